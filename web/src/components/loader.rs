//! Getting files in: the file and folder pickers, "Try a sample", the progress of a load, and the
//! page-wide drop (files or whole folders). Only converts browser objects into [`Picked`] files —
//! a folder's files named by their path inside it (`webkitRelativePath` for a folder pick, the
//! entry's full path for a drop), which is how the core groups a PBIP model's TMDL files;
//! recognizing them is the core's job (by content).

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DragEvent, File, FileList, FileSystemDirectoryEntry, FileSystemDirectoryReader,
    FileSystemEntry, FileSystemFileEntry, HtmlInputElement, Response,
};
use yew::prelude::*;

use crate::state::{Picked, Progress};

/// The bundled real failing run, fetched relative to the page so any sub-path works.
const SAMPLE: [&str; 3] = [
    "sample/run_results.json",
    "sample/manifest.json",
    "sample/dbt.log",
];

#[derive(Properties, PartialEq)]
pub struct LoaderProps {
    pub progress: Option<Progress>,
    pub has_files: bool,
    pub on_files: Callback<Vec<Picked>>,
    /// The sample's files: they replace what is loaded.
    pub on_sample: Callback<Vec<Picked>>,
    pub on_cancel: Callback<()>,
    pub on_clear: Callback<()>,
    pub on_error: Callback<String>,
}

#[function_component]
pub fn Loader(props: &LoaderProps) -> Html {
    let on_pick = {
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(list) = input.files() {
                on_files.emit(from_list(&list, true));
            }
            input.set_value("");
        })
    };
    let on_sample = {
        let on_files = props.on_sample.clone();
        let on_error = props.on_error.clone();
        Callback::from(move |_: MouseEvent| {
            let on_files = on_files.clone();
            let on_error = on_error.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match fetch_sample().await {
                    Ok(files) => on_files.emit(files),
                    Err(e) => on_error.emit(format!(
                        "The sample could not be loaded ({e}); drop your own target/ folder instead"
                    )),
                }
            });
        })
    };
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let clear = props.on_clear.reform(|_: MouseEvent| ());
    html! {
        <section class="loader" aria-label="Load dbt artifacts">
            <p class="drop-hint">
                { "Drop " }<code>{ "run_results.json" }</code>{ ", " }<code>{ "manifest.json" }</code>
                { " and " }<code>{ "dbt.log" }</code>{ " — or a whole " }<code>{ "target/" }</code>
                { " folder, with a Power BI project's folder to see which semantic models it breaks — anywhere on this page." }
            </p>
            <div class="loader-buttons">
                <label class="button">
                    { "Choose files…" }
                    <input id="file-input" type="file" multiple=true onchange={on_pick.clone()} />
                </label>
                <label class="button">
                    { "Choose a folder…" }
                    <input id="folder-input" type="file" webkitdirectory=true multiple=true onchange={on_pick} />
                </label>
                <button id="sample" class="button primary" onclick={on_sample}>{ "Try a sample" }</button>
                if props.has_files {
                    <button class="button" onclick={clear}>{ "Start over" }</button>
                }
            </div>
            if let Some(p) = &props.progress {
                <div class="progress" role="status" aria-live="polite">
                    <progress max={p.total.to_string()} value={p.done.to_string()}></progress>
                    <span>{ &p.text }{ "…" }</span>
                    <button class="button small" onclick={cancel}>{ "Cancel" }</button>
                </div>
            }
        </section>
    }
}

/// The files of a `FileList`; a folder picker's keep their relative path, filtered like a dropped
/// folder.
pub fn from_list(list: &FileList, from_folder_picker: bool) -> Vec<Picked> {
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|file| {
            let rel = Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|v| v.as_string())
                .filter(|p| !p.is_empty());
            match rel {
                Some(path) if from_folder_picker => {
                    wanted_in_folder(&path).then_some(Picked { name: path, file })
                }
                _ => Some(Picked {
                    name: file.name(),
                    file,
                }),
            }
        })
        .collect()
}

/// What a drop carries, taken synchronously while the event is live: folders as entries to walk,
/// else plain files.
pub enum Dropped {
    Files(Vec<Picked>),
    Entries(Vec<FileSystemEntry>),
}

pub fn dropped(e: &DragEvent) -> Dropped {
    let Some(dt) = e.data_transfer() else {
        return Dropped::Files(Vec::new());
    };
    let items = dt.items();
    let entries: Vec<FileSystemEntry> = (0..items.length())
        .filter_map(|i| items.get(i))
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .collect();
    if entries.iter().any(|e| e.is_directory()) {
        return Dropped::Entries(entries);
    }
    Dropped::Files(dt.files().map(|l| from_list(&l, false)).unwrap_or_default())
}

/// Walks dropped folders: every file inside, but the compiled SQL and other files that are no input.
pub async fn walk(entries: Vec<FileSystemEntry>) -> Vec<Picked> {
    let mut out = Vec::new();
    let mut stack = entries;
    while let Some(entry) = stack.pop() {
        if entry.is_directory() {
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            let reader = dir.create_reader();
            loop {
                let batch = read_entries(&reader).await;
                if batch.is_empty() {
                    break;
                }
                stack.extend(batch);
            }
        } else if entry.is_file() {
            let path = entry.full_path().trim_start_matches('/').to_string();
            if !wanted_in_folder(&path) {
                continue;
            }
            let fe: FileSystemFileEntry = entry.unchecked_into();
            let promise = Promise::new(&mut |resolve: Function, reject: Function| {
                fe.file_with_callback_and_callback(&resolve, &reject);
            });
            if let Ok(file) = JsFuture::from(promise).await {
                out.push(Picked {
                    name: path,
                    file: file.unchecked_into(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

async fn read_entries(reader: &FileSystemDirectoryReader) -> Vec<FileSystemEntry> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
    });
    match JsFuture::from(promise).await {
        Ok(list) => Array::from(&list)
            .iter()
            .map(|e| e.unchecked_into())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Inside a dropped or picked folder, the files the core's one rule takes or names as not needed
/// (`artifacts::folder`, the same for the CLI and ZIPs); compiled SQL, packages, Power BI's
/// cache and a report's pages are passed over.
fn wanted_in_folder(path: &str) -> bool {
    dbt_triage::artifacts::folder::entry(path) != dbt_triage::artifacts::folder::Entry::Skip
}

async fn fetch_sample() -> Result<Vec<Picked>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let mut out = Vec::new();
    for url in SAMPLE {
        let resp: Response = JsFuture::from(window.fetch_with_str(url))
            .await
            .map_err(|_| format!("{url} could not be fetched"))?
            .unchecked_into();
        if !resp.ok() {
            return Err(format!("{url}: HTTP {}", resp.status()));
        }
        let blob = JsFuture::from(resp.blob().map_err(|_| "no body")?)
            .await
            .map_err(|_| format!("{url} could not be read"))?;
        let name = url.rsplit('/').next().unwrap_or(url);
        let file = File::new_with_blob_sequence(&Array::of1(&blob), name)
            .map_err(|_| "the browser could not make a file".to_string())?;
        out.push(Picked {
            name: name.to_string(),
            file,
        });
    }
    Ok(out)
}
