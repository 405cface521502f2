//! OpenAPI loading and self-diff on arbitrary JSON.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Ok(s) = apitriage_spec::Spec::from_value(v, "fuzz") {
            let _ = apitriage_spec::diff(&s, &s);
        }
    }
});
