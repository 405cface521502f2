//! `access.log`: nginx's `combined` format followed by `$request_time` and
//! `$upstream_response_time`:
//! `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
//! "$http_referer" "$http_user_agent" $request_time $upstream_response_time`.

use crate::time::{nginx_local, secs3};

/// One access-log entry's inputs.
pub(crate) struct Entry<'a> {
    pub end: i64,
    pub total: i64,
    pub upstream: Option<i64>,
    pub client_ip: &'a str,
    pub method: &'a str,
    pub path_query: &'a str,
    pub protocol: &'a str,
    pub status: u16,
    pub bytes: u64,
    pub referer: &'a str,
    pub user_agent: &'a str,
}

/// Formats one line.
pub(crate) fn line(e: &Entry) -> String {
    let upstream = match e.upstream {
        Some(u) => secs3(u),
        None => "-".to_string(),
    };
    format!(
        "{ip} - - [{time}] \"{m} {pq} {proto}\" {st} {bytes} \"{referer}\" \"{ua}\" {rt} {upstream}",
        ip = e.client_ip,
        time = nginx_local(e.end),
        m = e.method,
        pq = e.path_query,
        proto = e.protocol,
        st = e.status,
        bytes = e.bytes,
        referer = e.referer,
        ua = e.user_agent.replace('"', "\\x22"),
        rt = secs3(e.total),
    )
}
