//! The log-template miner on arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| apitriage_patterns::fuzz(data));
