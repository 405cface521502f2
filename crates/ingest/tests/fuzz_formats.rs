//! Arbitrary bytes through the sniffer and every reader must never panic. This runs the
//! same plain `fn(&[u8])` harness a coverage-guided fuzzer runs (see fuzz/).

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        apitriage_ingest::fuzz_any(&data);
    }

    #[test]
    fn json_looking_bytes_never_panic(body in "[{}\\[\\]\":,a-z0-9 ]{0,400}") {
        for prefix in ["{\"resourceSpans\":", "{\"resourceLogs\":", "{\"resourceMetrics\":", "{\"log\":{\"entries\":", "{\"status\":\"success\",\"data\":", "openapi: 3.0.0\n", "{\"time\":1764165730,\"kind\":\"deploy\""] {
            let data = format!("{prefix}{body}");
            apitriage_ingest::fuzz_any(data.as_bytes());
        }
    }
}
