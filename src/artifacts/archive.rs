//! ZIP archives of a target/ folder (CI systems hand artifacts out as ZIPs): their entries become
//! inputs of their own, named `<archive>/<path>`. Bounded: only entries that can be inputs are
//! read, each and all together within a size limit, so a zip bomb is an answer, not an outage.

use std::io::{Cursor, Read};

use super::folder;

/// The most an archive may inflate to, all entries together.
pub const MAX_TOTAL: u64 = 1 << 30;
/// The most entries looked at.
const MAX_ENTRIES: usize = 100_000;

/// The entries worth reading, or why the archive could not be opened.
pub(crate) fn entries(name: &str, bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    entries_within(name, bytes, MAX_TOTAL)
}

fn entries_within(
    name: &str,
    bytes: &[u8],
    max_total: u64,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        format!("this ZIP archive cannot be opened ({e}) — unzip it yourself and add the target/ folder")
    })?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for i in 0..zip.len().min(MAX_ENTRIES) {
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        if !entry.is_file() {
            continue;
        }
        let path = entry.name().to_string();
        match folder::entry(&path) {
            folder::Entry::Skip => continue,
            // Named, not inflated: the core says what it is from its name.
            folder::Entry::Unneeded(_) => {
                out.push((format!("{name}/{path}"), Vec::new()));
                continue;
            }
            folder::Entry::Take => {}
        }
        let budget = max_total.saturating_sub(total);
        let mut data = Vec::new();
        let read = entry.by_ref().take(budget + 1).read_to_end(&mut data);
        if read.is_err() {
            return Err(format!(
                "{path} inside this ZIP archive cannot be read (damaged or encrypted) — unzip it \
                 yourself and add the files"
            ));
        }
        total += data.len() as u64;
        if total > max_total {
            return Err(format!(
                "this ZIP archive inflates to more than {} MB — unzip it and add only \
                 run_results.json, manifest.json and logs/dbt.log",
                max_total >> 20
            ));
        }
        out.push((format!("{name}/{path}"), data));
    }
    Ok(out)
}

/// A gzip file's content (`manifest.json.gz`), within the same limit as an archive.
pub(crate) fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_TOTAL + 1)
        .read_to_end(&mut data)
        .map_err(|e| {
            format!("this gzip file cannot be decompressed ({e}) — it is damaged; copy it again")
        })?;
    if data.len() as u64 > MAX_TOTAL {
        return Err(format!(
            "this gzip file decompresses to more than {} MB — add the artifacts themselves",
            MAX_TOTAL >> 20
        ));
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in files {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn only_inputs_are_taken() {
        let z = zip_of(&[
            ("target/run_results.json", b"{}"),
            ("target/compiled/shop/models/a.sql", b"select 1"),
            ("target/catalog.json", b"{}"),
            ("logs/dbt.log", b"Running with dbt=1.10.0"),
            ("__MACOSX/target/._run_results.json", b"x"),
        ]);
        let names: Vec<String> = entries("ci.zip", &z)
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            names,
            [
                "ci.zip/target/run_results.json",
                "ci.zip/target/catalog.json",
                "ci.zip/logs/dbt.log"
            ]
        );
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let zeros = vec![0u8; 8 << 20];
        let z = zip_of(&[("target/run_results.json", &zeros)]);
        assert!(z.len() < 100_000, "deflated to {}", z.len());
        let err = entries_within("bomb.zip", &z, 1 << 20).unwrap_err();
        assert!(err.contains("inflates to more than 1 MB"), "{err}");
    }

    #[test]
    fn garbage_after_the_magic_is_an_answer() {
        let err = entries("x.zip", b"PK\x03\x04garbage").unwrap_err();
        assert!(err.contains("cannot be opened"), "{err}");
    }
}
