//! Every reader, through content sniffing, on arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| apitriage_ingest::fuzz_any(data));
