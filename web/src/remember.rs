//! Remembered history: when the user switches it on (off by default), the page keeps each run's
//! record — its time, command and node statuses ([`RunRecord`]), never the files, messages or
//! SQL — in this browser's IndexedDB, so that the next drop can say "recurring since Tuesday"
//! without the old files. Nothing is stored while it is off: the switch itself lives in
//! localStorage only while it is on, and the database is created on the first run remembered.
//! "Forget" deletes both. Nothing is ever sent anywhere.
//!
//! IndexedDB by hand over web-sys, on purpose: the five calls this needs (open, put, get all,
//! delete, delete the database) are a few lines each when an `IDBRequest`'s `onsuccess` is handed
//! a Promise's own `resolve`; the `idb` crate did the same with tokio's channels behind it and
//! added 32 KB (gzip) to the page's wasm (measured with scripts/build-web). Records are JSON
//! strings keyed by invocation id, so a run given twice is kept once.

use dbt_triage::diagnose::history::RunRecord;
use gloo_events::EventListener;
use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB: &str = "dbt-triage";
const STORE: &str = "runs";
/// The localStorage key whose presence means "remember".
const SWITCH: &str = "dbt-triage.remember";
/// How many runs are kept: the newest, by when they ran.
pub const KEPT: usize = 100;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Whether the user switched remembering on (in an earlier visit, too).
pub fn enabled() -> bool {
    storage().is_some_and(|s| s.get_item(SWITCH).ok().flatten().is_some())
}

pub fn enable() {
    if let Some(s) = storage() {
        let _ = s.set_item(SWITCH, "on");
    }
}

/// Settles when the request succeeds (its result) or fails.
async fn done(request: &IdbRequest) -> Result<JsValue, String> {
    let settled = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(settled).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    outcome.map_err(|_| "the browser's storage refused the request".to_string())?;
    request.result().map_err(|_| "no result".to_string())
}

/// Settles when the transaction has written everything (or failed).
async fn committed(tx: &IdbTransaction) -> Result<(), String> {
    let settled = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
    });
    JsFuture::from(settled)
        .await
        .map(|_| ())
        .map_err(|_| "the browser's storage did not write the runs".to_string())
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or("this browser has no IndexedDB")?;
    let request = factory
        .open_with_u32(DB, 1)
        .map_err(|_| "IndexedDB could not be opened")?;
    // Listened to until the database is open (it comes first, and only on the first open).
    let upgrade = {
        let target = request.clone();
        EventListener::once(&request, "upgradeneeded", move |_| {
            if let Ok(db) = target.result() {
                let _ = db
                    .unchecked_into::<IdbDatabase>()
                    .create_object_store(STORE);
            }
        })
    };
    let db = done(&request).await;
    drop(upgrade);
    Ok(db?.unchecked_into())
}

fn store(
    db: &IdbDatabase,
    mode: IdbTransactionMode,
) -> Result<(IdbTransaction, IdbObjectStore), String> {
    let tx = db
        .transaction_with_str_and_mode(STORE, mode)
        .map_err(|_| "no transaction")?;
    let store = tx.object_store(STORE).map_err(|_| "no store")?;
    Ok((tx, store))
}

/// Every run remembered (none while remembering is off).
pub async fn load() -> Vec<RunRecord> {
    if !enabled() {
        return Vec::new();
    }
    let Ok(db) = open().await else {
        return Vec::new();
    };
    let read = async {
        let (_tx, store) = store(&db, IdbTransactionMode::Readonly)?;
        let request = store.get_all().map_err(|_| "no read")?;
        let values: Array = done(&request).await?.unchecked_into();
        Ok::<Vec<RunRecord>, String>(
            values
                .iter()
                .filter_map(|v| v.as_string())
                .filter_map(|text| serde_json::from_str(&text).ok())
                .collect(),
        )
    };
    let out = read.await.unwrap_or_default();
    db.close();
    out
}

/// Keeps these runs (when remembering is on), and only the newest [`KEPT`] of all.
/// Returns how many runs are remembered now.
pub async fn save(records: &[RunRecord]) -> Result<usize, String> {
    if !enabled() {
        return Ok(0);
    }
    let db = open().await?;
    let write = async {
        let (tx, store) = store(&db, IdbTransactionMode::Readwrite)?;
        for r in records {
            let text = serde_json::to_string(r).map_err(|e| e.to_string())?;
            store
                .put_with_key(
                    &JsValue::from_str(&text),
                    &JsValue::from_str(&r.invocation_id),
                )
                .map_err(|_| "the run could not be stored")?;
        }
        committed(&tx).await
    };
    let written = write.await;
    db.close();
    written?;
    let mut all = load().await;
    if all.len() > KEPT {
        all.sort_by(|a, b| a.generated_at.cmp(&b.generated_at));
        let old: Vec<String> = all[..all.len() - KEPT]
            .iter()
            .map(|r| r.invocation_id.clone())
            .collect();
        forget_some(&old).await;
        return Ok(KEPT);
    }
    Ok(all.len())
}

async fn forget_some(ids: &[String]) {
    let Ok(db) = open().await else { return };
    if let Ok((tx, store)) = store(&db, IdbTransactionMode::Readwrite) {
        for id in ids {
            let _ = store.delete(&JsValue::from_str(id));
        }
        let _ = committed(&tx).await;
    }
    db.close();
}

/// Switches remembering off and deletes everything remembered.
pub async fn forget() {
    if let Some(s) = storage() {
        let _ = s.remove_item(SWITCH);
    }
    clear().await;
}

/// Deletes every run remembered; remembering stays on.
pub async fn clear() {
    let factory = web_sys::window().and_then(|w| w.indexed_db().ok().flatten());
    if let Some(request) = factory.and_then(|f| f.delete_database(DB).ok()) {
        let _ = done(&request).await;
    }
}
