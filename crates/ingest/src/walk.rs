//! Expanding the inputs: files as given, directories walked in a stable order.

use crate::error::IngestError;
use std::path::PathBuf;

/// Every regular file under `paths`, sorted within each directory; hidden entries
/// (names starting with `.`) inside directories are skipped.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, IngestError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| IngestError::Open {
            path: p.clone(),
            source: e,
        })?;
        if meta.is_file() {
            out.push(p.clone());
            continue;
        }
        let walker = walkdir::WalkDir::new(p)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.map_err(|e| IngestError::Open {
                path: e
                    .path()
                    .map(|x| x.to_path_buf())
                    .unwrap_or_else(|| p.clone()),
                source: e.into(),
            })?;
            if entry.file_type().is_file() {
                out.push(entry.into_path());
            }
        }
    }
    Ok(out)
}
