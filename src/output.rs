//! Writing results: to a file with `-o`, else standard output, where a closed pipe
//! (`apitriage ... | head`) is a normal end, not an error.

use crate::Failure;
use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` or standard output.
pub fn emit(path: Option<&Path>, text: &str) -> Result<(), Failure> {
    match path {
        Some(p) => {
            std::fs::write(p, text).map_err(|e| Failure::other(format!("{}: {e}", p.display())))
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Failure::other(format!("writing output: {e}"))),
            }
        }
    }
}

/// True when colour should be used on standard output.
pub fn use_color(to_file: bool) -> bool {
    use std::io::IsTerminal;
    !to_file
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
}
