//! Reader settings from the `[ingest]` table of the TOML config: JSON-lines field
//! names, a custom nginx `log_format`, and limits.

use serde::{Deserialize, Serialize};

/// Reader settings. Every field has a default that suits common setups.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// An nginx `log_format` string for access logs that are not `combined`.
    pub nginx_log_format: Option<String>,
    /// Field names of JSON-lines access logs, tried in order; see [`JsonFields`].
    pub json_fields: JsonFields,
    /// Longest line read; longer lines are skipped and reported.
    pub max_line_bytes: usize,
    /// Largest whole document (HAR, OpenAPI, Prometheus JSON) read.
    pub max_document_bytes: usize,
    /// The service name to use for access logs that do not name one.
    pub default_service: Option<String>,
    /// Uncompressed line-oriented files over twice this size are split at newlines and
    /// read in parallel chunks of this size.
    pub chunk_bytes: u64,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            nginx_log_format: None,
            json_fields: JsonFields::default(),
            max_line_bytes: 32 * 1024 * 1024,
            max_document_bytes: 512 * 1024 * 1024,
            default_service: None,
            chunk_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Candidate field names for JSON-lines access logs. Dotted names reach into nested
/// objects (`http.status`). The first name present wins.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JsonFields {
    /// Timestamp.
    pub time: Vec<String>,
    /// HTTP method.
    pub method: Vec<String>,
    /// Route template.
    pub route: Vec<String>,
    /// Raw path or URL.
    pub path: Vec<String>,
    /// Response status.
    pub status: Vec<String>,
    /// Duration.
    pub duration: Vec<String>,
    /// Unit of the duration: `s`, `ms`, `us` or `ns`; when unset it is read from the
    /// field name's suffix (`_ms`, `_seconds`...) or defaults to milliseconds.
    pub duration_unit: Option<String>,
    /// Serving service.
    pub service: Vec<String>,
    /// Release of the serving service.
    pub version: Vec<String>,
    /// Trace id.
    pub trace_id: Vec<String>,
    /// User agent.
    pub user_agent: Vec<String>,
    /// Extra dimensions: name → candidate fields.
    pub dims: std::collections::BTreeMap<String, Vec<String>>,
}

fn v(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

impl Default for JsonFields {
    fn default() -> Self {
        let mut dims = std::collections::BTreeMap::new();
        dims.insert(
            "region".into(),
            v(&["region", "cloud.region", "aws_region"]),
        );
        dims.insert(
            "user".into(),
            v(&["user_id", "userId", "user", "enduser.id", "uid"]),
        );
        dims.insert(
            "tenant".into(),
            v(&["tenant", "tenant_id", "tenantId", "org_id", "account_id"]),
        );
        dims.insert("cohort".into(), v(&["cohort", "experiment", "variant"]));
        dims.insert("host".into(), v(&["host", "hostname", "pod", "instance"]));
        dims.insert(
            "client_version".into(),
            v(&["app_version", "client_version", "clientVersion"]),
        );
        JsonFields {
            time: v(&[
                "time",
                "timestamp",
                "@timestamp",
                "ts",
                "time_local",
                "date",
                "start_time",
            ]),
            method: v(&[
                "method",
                "http.method",
                "request_method",
                "http_method",
                "verb",
                "http.request.method",
            ]),
            route: v(&["route", "http.route", "endpoint", "handler"]),
            path: v(&[
                "path",
                "url",
                "uri",
                "request_uri",
                "url.path",
                "http.target",
                "request_path",
                "http.url",
            ]),
            status: v(&[
                "status",
                "status_code",
                "http.status_code",
                "statusCode",
                "response_code",
                "http.response.status_code",
                "http_status",
            ]),
            duration: v(&[
                "duration_ms",
                "latency_ms",
                "elapsed_ms",
                "response_time_ms",
                "request_time",
                "duration",
                "latency",
                "elapsed",
                "response_time",
                "took",
            ]),
            duration_unit: None,
            service: v(&[
                "service",
                "service.name",
                "service_name",
                "app",
                "application",
            ]),
            version: v(&[
                "version",
                "service.version",
                "release",
                "app_version_server",
            ]),
            trace_id: v(&["trace_id", "traceId", "trace.id", "traceid", "x_trace_id"]),
            user_agent: v(&[
                "user_agent",
                "userAgent",
                "http_user_agent",
                "user_agent.original",
                "ua",
            ]),
            dims,
        }
    }
}
