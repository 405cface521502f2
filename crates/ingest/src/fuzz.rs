//! Entry points for fuzzing the access-log readers: each runs one reader over
//! arbitrary bytes (sniffing them, then reading them whatever the sniff said), the
//! way [`crate::read_bytes`] does, and must return without panicking whatever the
//! input. Used by the `fuzz_access` proptest and meant for `cargo fuzz` targets.

use crate::config::IngestConfig;
use crate::formats::{alb::Alb, combined::Combined, envoy::Envoy, jsonl::JsonLines, Format};
use crate::input::Input;
use crate::sink::Sink;
use apitriage_model::Summary;

/// A custom nginx format exercised by [`fuzz_combined`]: quoted and unquoted
/// variables, an upstream list and adjacent variables.
const FUZZ_LOG_FORMAT: &str = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_user_agent\" $request_time $upstream_response_time $upstream_addr$upstream_status host=$host";

fn run(format: &dyn Format, data: &[u8], config: &IngestConfig) -> Summary {
    let mut summary = Summary::new();
    let Ok(mut input) = Input::from_bytes("fuzz", data.to_vec()) else {
        return summary;
    };
    let _ = format.sniff(&input, config);
    let mut sink = Sink::new(&mut summary, "fuzz", config);
    sink.file(format.kind());
    if let Err(e) = format.read(&mut input, &mut sink) {
        sink.fail(format.kind(), e);
    }
    summary
}

fn small_lines() -> IngestConfig {
    IngestConfig {
        max_line_bytes: 4096,
        ..IngestConfig::default()
    }
}

/// Runs the nginx/Apache reader, as `combined` and with a custom `log_format`.
pub fn fuzz_combined(data: &[u8]) {
    run(&Combined, data, &small_lines());
    let config = IngestConfig {
        nginx_log_format: Some(FUZZ_LOG_FORMAT.to_string()),
        ..small_lines()
    };
    run(&Combined, data, &config);
}

/// Compiles the first line of `data` as an nginx `log_format` and reads the rest
/// with it.
pub fn fuzz_nginx_log_format(data: &[u8]) {
    let split = memchr::memchr(b'\n', data).unwrap_or(data.len());
    let (format, rest) = data.split_at(split);
    let config = IngestConfig {
        nginx_log_format: Some(String::from_utf8_lossy(format).into_owned()),
        ..small_lines()
    };
    run(&Combined, rest, &config);
}

/// Runs the ALB / Classic ELB reader.
pub fn fuzz_alb(data: &[u8]) {
    run(&Alb, data, &small_lines());
}

/// Runs the Envoy reader.
pub fn fuzz_envoy(data: &[u8]) {
    run(&Envoy, data, &small_lines());
}

/// Runs the JSON-lines reader, with the default field mapping and with a custom one
/// (nested names, a fixed duration unit).
pub fn fuzz_jsonl(data: &[u8]) {
    run(&JsonLines, data, &small_lines());
    let mut config = small_lines();
    config.json_fields.status = vec!["a.b.c".into(), "a.b".into(), "a".into()];
    config.json_fields.duration = vec!["a.d".into()];
    config.json_fields.duration_unit = Some("s".into());
    run(&JsonLines, data, &config);
}
