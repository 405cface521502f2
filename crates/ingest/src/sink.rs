//! Where a reader puts what it read: the Summary, plus the bookkeeping that makes
//! "nothing silently dropped" true (per-kind record and skip counts, the first few
//! problems with `file:line`).

use crate::config::IngestConfig;
use crate::error::IngestError;
use apitriage_model::Summary;

/// A reader's view of the Summary for one file.
pub struct Sink<'a> {
    /// The Summary being filled.
    pub summary: &'a mut Summary,
    /// The file name, for messages.
    pub file: &'a str,
    /// Reader settings.
    pub config: &'a IngestConfig,
    /// Problems are located by byte offset, not line (chunks read in parallel).
    pub by_offset: bool,
    /// Whether this sink counts the file (only one chunk of a split file does).
    pub counts_file: bool,
    /// Exchanges taken from this file so far (their `entry` index).
    pub exchanges_seen: usize,
    counted_kinds: Vec<&'static str>,
}

impl<'a> Sink<'a> {
    /// A sink for one file.
    pub fn new(summary: &'a mut Summary, file: &'a str, config: &'a IngestConfig) -> Self {
        Sink {
            summary,
            file,
            config,
            by_offset: false,
            counts_file: true,
            exchanges_seen: 0,
            counted_kinds: Vec::new(),
        }
    }

    /// Counts the file once under `kind` (a file holding several kinds counts under each).
    pub fn file(&mut self, kind: &'static str) {
        if !self.counted_kinds.contains(&kind) {
            if !self.counts_file {
                // Another chunk of the same file counts it.
            } else if self.counted_kinds.is_empty() {
                self.summary.count_file(kind);
            } else {
                // Same file, another kind: the kind's file count, not the total.
                self.summary
                    .input
                    .kinds
                    .entry(kind.to_string())
                    .or_default()
                    .files += 1;
            }
            self.counted_kinds.push(kind);
        }
    }

    /// Counts `n` good records of `kind`.
    pub fn records(&mut self, kind: &'static str, n: u64) {
        self.file(kind);
        self.summary.count_records(kind, n);
    }

    /// Counts one bad record at `line` (1-based; 0 when unknown) with why. In a chunk
    /// read in parallel, `line` is the byte offset [`crate::formats::for_each_line`] gave.
    pub fn skip_line(&mut self, kind: &'static str, line: u64, message: impl std::fmt::Display) {
        if self.by_offset {
            let at = format!("byte {line}");
            return self.skip_at(kind, &at, message);
        }
        self.skip_line_number(kind, line, message);
    }

    /// Like [`Sink::skip_line`], for a location known to be a line number or not at all.
    pub fn skip_line_number(
        &mut self,
        kind: &'static str,
        line: u64,
        message: impl std::fmt::Display,
    ) {
        if self.by_offset {
            let at = "a line over the length limit".to_string();
            return self.skip_at(kind, &at, message);
        }
        self.file(kind);
        let loc = if line > 0 {
            format!("{}:{}", self.file, line)
        } else {
            self.file.to_string()
        };
        self.summary.skip(kind, format!("{loc}: {message}"));
    }

    /// Counts one bad record located by a description (e.g. `entry 4`).
    pub fn skip_at(&mut self, kind: &'static str, at: &str, message: impl std::fmt::Display) {
        self.file(kind);
        self.summary
            .skip(kind, format!("{}: {at}: {message}", self.file));
    }

    /// Records an error that stopped the file; what was read before it is kept.
    pub fn fail(&mut self, kind: &'static str, e: IngestError) {
        self.file(kind);
        self.summary.skip(kind, format!("{}: {e}", self.file));
    }
}
