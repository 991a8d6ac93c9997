//! The page's components, one a file.

pub mod app;
pub mod at_risk;
pub mod copy_button;
pub mod exports;
pub mod graph_downloads;
pub mod graph_layer;
pub mod highlight;
pub mod inputs;
pub mod lineage_graph;
pub mod loader;
pub mod minimap;
pub mod node_panel;
pub mod problem_card;
pub mod remember_switch;
pub mod shared_banner;
pub mod timeline;
