//! The app's view of a diagnosed project (reserved for the web app's data model; see issue 4).
