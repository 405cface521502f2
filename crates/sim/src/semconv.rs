//! Attribute names of the OpenTelemetry semantic conventions, in the current spelling
//! (HTTP and database conventions as stabilised in 2023-2024) and in the older one that
//! instrumentation released before then still emits. A bundle uses one or the other,
//! chosen by seed, so readers must accept both.

/// The attribute names a bundle uses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Semconv {
    pub old: bool,
}

macro_rules! key {
    ($name:ident, $new:expr, $old:expr) => {
        pub(crate) fn $name(&self) -> &'static str {
            if self.old {
                $old
            } else {
                $new
            }
        }
    };
}

impl Semconv {
    key!(method, "http.request.method", "http.method");
    key!(status, "http.response.status_code", "http.status_code");
    key!(path, "url.path", "http.target");
    key!(url_full, "url.full", "http.url");
    key!(scheme, "url.scheme", "http.scheme");
    key!(server_address, "server.address", "net.peer.name");
    key!(server_port, "server.port", "net.peer.port");
    key!(host_name_attr, "server.address", "net.host.name");
    key!(client_address, "client.address", "http.client_ip");
    key!(user_agent, "user_agent.original", "http.user_agent");
    key!(
        resend_count,
        "http.request.resend_count",
        "http.resend_count"
    );
    key!(db_namespace, "db.namespace", "db.name");
    key!(db_operation, "db.operation.name", "db.operation");
    key!(db_collection, "db.collection.name", "db.sql.table");
    key!(db_query, "db.query.text", "db.statement");
    key!(
        environment,
        "deployment.environment.name",
        "deployment.environment"
    );
    key!(protocol_version, "network.protocol.version", "http.flavor");
}
