//! Transparent decompression by magic bytes (gzip RFC 1952, zstd RFC 8878), not by
//! file name: files are often renamed or served without their extension.

use std::io::Read;

/// Compression found at the start of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (also concatenated members).
    Gzip,
    /// Zstandard.
    Zstd,
}

/// Looks at the first bytes.
pub fn detect(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// Wraps `raw` in the decoder its magic bytes call for.
pub fn wrap(
    raw: Box<dyn Read + Send>,
    compression: Compression,
) -> std::io::Result<Box<dyn Read + Send>> {
    Ok(match compression {
        Compression::None => raw,
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(raw)),
        Compression::Zstd => Box::new(
            ruzstd::decoding::StreamingDecoder::new(raw)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?,
        ),
    })
}
