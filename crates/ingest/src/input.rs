//! One input file as a byte stream: decompressed, with its first bytes available for
//! sniffing, read line by line with exact line numbers and byte offsets, and bounded
//! (over-long lines and oversized documents are skipped, not buffered).

use crate::decompress::{self, Compression};
use crate::error::IngestError;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;

/// Bytes looked at to recognise a format.
pub const HEAD_BYTES: usize = 64 * 1024;

/// An opened, decompressed input.
pub struct Input {
    name: String,
    head: Vec<u8>,
    reader: BufReader<Box<dyn Read + Send>>,
    compression: Compression,
    offset: u64,
    line: u64,
    buf: Vec<u8>,
    /// Bytes of the reader's buffer lent out as the last line, consumed on the next
    /// read: a line that lies whole in the buffer is handed out without a copy.
    pending: usize,
    /// False for a chunk of a file read in parallel: line numbers are unknown, so
    /// problems are located by byte offset instead.
    lines_known: bool,
    /// Stop at the first line starting at or after this offset (chunks).
    end: u64,
}

/// One line of an input.
#[derive(Debug, Clone, Copy)]
pub struct LineRef<'a> {
    /// 1-based line number.
    pub number: u64,
    /// Byte offset of the line start in the decompressed stream.
    pub offset: u64,
    /// The line without its terminator.
    pub bytes: &'a [u8],
}

/// What [`Input::next_line`] found.
pub enum Line<'a> {
    /// A line.
    Ok(LineRef<'a>),
    /// A line longer than the limit, skipped whole.
    TooLong {
        /// Its number.
        number: u64,
        /// Its length.
        len: u64,
    },
    /// End of input.
    End,
}

impl Input {
    /// Opens and sniffs a file.
    pub fn open(path: &Path) -> Result<Input, IngestError> {
        let f = File::open(path).map_err(|e| IngestError::Open {
            path: path.to_path_buf(),
            source: e,
        })?;
        Self::from_reader(&path.display().to_string(), Box::new(f))
    }

    /// Wraps bytes already in memory.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Input, IngestError> {
        Self::from_reader(name, Box::new(Cursor::new(bytes)))
    }

    fn from_reader(name: &str, mut raw: Box<dyn Read + Send>) -> Result<Input, IngestError> {
        let mut magic = [0u8; 4];
        let n = read_up_to(&mut raw, &mut magic).map_err(|e| IngestError::Truncated {
            offset: 0,
            message: e.to_string(),
        })?;
        let compression = decompress::detect(&magic[..n]);
        let rechained: Box<dyn Read + Send> = Box::new(Cursor::new(magic[..n].to_vec()).chain(raw));
        let mut decoded =
            decompress::wrap(rechained, compression).map_err(|e| IngestError::Truncated {
                offset: 0,
                message: format!("{} stream: {e}", compression_name(compression)),
            })?;
        let mut head = vec![0u8; HEAD_BYTES];
        let got = read_up_to(&mut decoded, &mut head);
        // A decode error inside the head still leaves the bytes before it usable.
        let got = match got {
            Ok(g) => g,
            Err(e) => {
                return Err(IngestError::Truncated {
                    offset: 0,
                    message: format!("{} stream: {e}", compression_name(compression)),
                })
            }
        };
        head.truncate(got);
        let reader: Box<dyn Read + Send> = Box::new(Cursor::new(head.clone()).chain(decoded));
        Ok(Input {
            name: name.to_string(),
            head,
            reader: BufReader::with_capacity(256 * 1024, reader),
            compression,
            offset: 0,
            line: 0,
            buf: Vec::new(),
            pending: 0,
            lines_known: true,
            end: u64::MAX,
        })
    }

    /// Opens the lines of an uncompressed file that start within `[start, end)`: the
    /// unit of parallel reading. The line straddling `start` belongs to the chunk before.
    pub fn open_chunk(path: &Path, start: u64, end: u64) -> Result<Input, IngestError> {
        use std::io::{Seek, SeekFrom};
        let open_err = |e: std::io::Error| IngestError::Open {
            path: path.to_path_buf(),
            source: e,
        };
        let mut f = File::open(path).map_err(open_err)?;
        let mut offset = 0;
        if start > 0 {
            f.seek(SeekFrom::Start(start - 1)).map_err(open_err)?;
            let mut r = BufReader::new(f);
            let mut skipped = Vec::new();
            // From the byte before `start`: when it is a newline, `start` begins a line.
            let n = r.read_until(b'\n', &mut skipped).map_err(open_err)?;
            offset = start - 1 + n as u64;
            f = r.into_inner();
            f.seek(SeekFrom::Start(offset)).map_err(open_err)?;
        }
        let name = path.display().to_string();
        let mut input = Self::from_reader(&name, Box::new(f))?;
        input.offset = offset;
        input.lines_known = start == 0;
        input.end = end;
        Ok(input)
    }

    /// False when line numbers are unknown (a chunk after the first).
    pub fn lines_known(&self) -> bool {
        self.lines_known
    }

    /// The file name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The first (up to) [`HEAD_BYTES`] decompressed bytes.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// The compression found.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Why no format took this input, for the "ignored" note.
    pub fn why_unrecognised(&self) -> String {
        let h = &self.head;
        if h.is_empty() {
            return "empty file".into();
        }
        if looks_binary(h) {
            return "not a telemetry format (binary content)".into();
        }
        "not a recognised telemetry format (no reader matched its content)".into()
    }

    /// Reads the next line, bounded by `max` bytes.
    pub fn next_line(&mut self, max: usize) -> Result<Line<'_>, IngestError> {
        self.settle();
        self.buf.clear();
        let start = self.offset;
        if start >= self.end {
            return Ok(Line::End);
        }
        // The common case: the whole line is already in the buffer.
        let whole = match self.reader.fill_buf() {
            Ok(available) => memchr::memchr(b'\n', available).filter(|&i| i <= max),
            Err(_) => None,
        };
        if let Some(i) = whole {
            self.pending = i + 1;
            self.offset += (i + 1) as u64;
            self.line += 1;
            let mut line = &self.reader.buffer()[..i];
            while let [rest @ .., b'\r'] = line {
                line = rest;
            }
            return Ok(Line::Ok(LineRef {
                number: self.line,
                offset: start,
                bytes: line,
            }));
        }
        let mut too_long = false;
        let mut total: u64 = 0;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(IngestError::Truncated {
                        offset: self.offset,
                        message: format!(
                            "{}input ends in a damaged or truncated stream ({e}); {} lines read before it",
                            match self.compression {
                                Compression::None => String::new(),
                                c => format!("{} ", compression_name(c)),
                            },
                            self.line
                        ),
                    })
                }
            };
            if available.is_empty() {
                break;
            }
            let (used, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            if !too_long {
                if self.buf.len() + used > max.saturating_add(1) {
                    too_long = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(&available[..used]);
                }
            }
            total += used as u64;
            self.reader.consume(used);
            self.offset += used as u64;
            if done {
                break;
            }
        }
        if total == 0 {
            return Ok(Line::End);
        }
        self.line += 1;
        if too_long {
            return Ok(Line::TooLong {
                number: self.line,
                len: total,
            });
        }
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        Ok(Line::Ok(LineRef {
            number: self.line,
            offset: start,
            bytes: &self.buf,
        }))
    }

    fn settle(&mut self) {
        if self.pending > 0 {
            self.reader.consume(self.pending);
            self.pending = 0;
        }
    }

    /// Reads the whole remaining input, up to `max` bytes.
    pub fn read_all(&mut self, max: usize) -> Result<Vec<u8>, IngestError> {
        self.settle();
        let mut out = Vec::new();
        let limit = max as u64 + 1;
        let res = (&mut self.reader).take(limit).read_to_end(&mut out);
        if let Err(e) = res {
            return Err(IngestError::Truncated {
                offset: self.offset + out.len() as u64,
                message: format!("damaged or truncated stream: {e}"),
            });
        }
        self.offset += out.len() as u64;
        if out.len() > max {
            return Err(IngestError::Invalid(format!(
                "document larger than the {} MiB limit (max_document_bytes)",
                max / (1024 * 1024)
            )));
        }
        Ok(out)
    }
}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                if n > 0 {
                    break;
                }
                return Err(e);
            }
        }
    }
    Ok(n)
}

fn compression_name(c: Compression) -> &'static str {
    match c {
        Compression::None => "plain",
        Compression::Gzip => "gzip",
        Compression::Zstd => "zstd",
    }
}

/// True when the bytes look like binary content (NUL bytes or mostly non-text).
pub fn looks_binary(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(4096)];
    if sample.contains(&0) {
        return true;
    }
    let odd = sample
        .iter()
        .filter(|&&b| b < 0x09 || (b > 0x0d && b < 0x20) || b == 0x7f)
        .count();
    odd * 20 > sample.len()
}
