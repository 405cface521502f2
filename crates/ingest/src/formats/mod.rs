//! The registry of input formats. Adding a format is one file in this folder and one
//! line in [`FORMATS`]: a [`Format`] says how sure it is that some bytes are its own
//! ([`Format::sniff`]) and reads them into a [`Sink`].

use crate::config::IngestConfig;
use crate::error::IngestError;
use crate::input::Input;
use crate::sink::Sink;

pub mod alb;
pub mod changes;
pub mod combined;
pub mod envoy;
pub mod har;
pub mod jsonl;
pub mod openapi;
pub mod otlp_convert;
pub mod otlp_json;
pub mod otlp_proto;
pub mod prometheus_json;
pub mod prometheus_text;

/// One input format.
pub trait Format: Sync {
    /// The input kind its records count under (`traces`, `access_log`, ...). Formats
    /// holding several kinds (OTLP) count each record under its own kind.
    fn kind(&self) -> &'static str;
    /// How sure the format is that `input` is its own: 0 (no) to 100 (certain).
    fn sniff(&self, input: &Input, config: &IngestConfig) -> u8;
    /// Reads the whole input.
    fn read(&self, input: &mut Input, sink: &mut Sink<'_>) -> Result<(), IngestError>;
    /// True when any line can be read without the lines before it, so that a large
    /// file can be split at newlines and read in parallel.
    fn line_independent(&self, _input: &Input) -> bool {
        false
    }
}

/// Every format, in no particular order: the best sniff score wins.
pub static FORMATS: &[&dyn Format] = &[
    &otlp_json::OtlpJson,
    &otlp_proto::OtlpProto,
    &har::Har,
    &prometheus_json::PrometheusJson,
    &prometheus_text::PrometheusText,
    &changes::Changes,
    &openapi::OpenApi,
    &combined::Combined,
    &alb::Alb,
    &envoy::Envoy,
    &jsonl::JsonLines,
];

/// The format that recognises `input` best, if any scores above zero.
pub fn sniff(input: &Input, config: &IngestConfig) -> Option<&'static dyn Format> {
    FORMATS
        .iter()
        .map(|f| (f.sniff(input, config), *f))
        .filter(|(score, _)| *score > 0)
        .max_by_key(|(score, _)| *score)
        .map(|(_, f)| f)
}

/// The first non-blank lines of the head, for line-oriented sniffers. The last line
/// is dropped when the head was cut mid-line.
pub fn head_lines(head: &[u8], n: usize) -> Vec<&str> {
    let cut = if head.len() >= crate::input::HEAD_BYTES {
        memchr::memrchr(b'\n', head).unwrap_or(head.len())
    } else {
        head.len()
    };
    std::str::from_utf8(&head[..cut])
        .or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(n)
        .collect()
}

/// The sniff score of a line format whose lines either parse or not: the share of the
/// first lines that parse, scaled below certainty; nothing under a fifth.
pub fn sniff_lines(input: &Input, parses: impl Fn(&str) -> bool) -> u8 {
    let lines = head_lines(input.head(), 20);
    let s = share(&lines, parses);
    if s < 20 {
        0
    } else {
        (s as u32 * 95 / 100) as u8
    }
}

/// The share (0..=100) of `lines` for which `pred` holds.
pub fn share(lines: &[&str], pred: impl Fn(&str) -> bool) -> u8 {
    if lines.is_empty() {
        return 0;
    }
    (lines.iter().filter(|l| pred(l)).count() * 100 / lines.len()) as u8
}

/// Runs `each` on every line of the input, handling over-long lines and invalid UTF-8
/// by skipping them with a located message.
pub fn for_each_line(
    input: &mut Input,
    sink: &mut Sink<'_>,
    kind: &'static str,
    mut each: impl FnMut(&str, u64, &mut Sink<'_>),
) -> Result<(), IngestError> {
    let max = sink.config.max_line_bytes;
    loop {
        match input.next_line(max)? {
            crate::input::Line::End => return Ok(()),
            crate::input::Line::TooLong { number, len } => sink.skip_line_number(
                kind,
                number,
                format!("line of {len} bytes is longer than the {max}-byte limit (max_line_bytes); skipped"),
            ),
            crate::input::Line::Ok(line) => {
                // Chunks of a file read in parallel do not know their line numbers; the
                // sink then reports this byte offset instead.
                let number = if sink.by_offset { line.offset } else { line.number };
                match std::str::from_utf8(line.bytes) {
                    Ok(text) => {
                        if !text.trim().is_empty() {
                            each(text, number, sink)
                        }
                    }
                    Err(e) => sink.skip_line(
                        kind,
                        number,
                        format!(
                            "invalid UTF-8 at byte {} of the line (offset {} in the file)",
                            e.valid_up_to(),
                            line.offset + e.valid_up_to() as u64
                        ),
                    ),
                }
            }
        }
    }
}
