//! `alb.log`: AWS Application Load Balancer access-log entries, space-separated in the
//! documented field order (type, time, elb, client:port, target:port, the three
//! processing times, ELB and target status codes, bytes, "request", "user_agent", TLS
//! cipher and protocol, target group ARN, "trace_id", "domain_name",
//! "chosen_cert_arn", matched rule priority, request creation time,
//! "actions_executed", "redirect_url", "error_reason", "target:port_list",
//! "target_status_code_list", "classification", "classification_reason",
//! conn_trace_id). The trace id is the X-Ray root of the OTLP trace.

use crate::ids::xray_root;
use crate::time::{rfc3339_micros, secs3};

/// One access-log entry's inputs.
pub(crate) struct Entry<'a> {
    pub start: i64,
    pub end: i64,
    pub region: &'a str,
    pub account: &'a str,
    pub lb_name: &'a str,
    pub lb_id: &'a str,
    pub tg_name: &'a str,
    pub tg_id: &'a str,
    pub cert_id: &'a str,
    pub client_ip: &'a str,
    pub client_port: u16,
    pub target_ip: &'a str,
    pub target_port: u16,
    pub status: u16,
    pub received: u64,
    pub sent: u64,
    pub method: &'a str,
    pub host: &'a str,
    pub path_query: &'a str,
    pub user_agent: &'a str,
    pub trace_id: &'a str,
    pub conn_id: &'a str,
}

/// Formats one line.
pub(crate) fn line(e: &Entry) -> String {
    let total = (e.end - e.start).max(0);
    format!(
        "h2 {time} app/{lb}/{lb_id} {cip}:{cport} {tip}:{tport} 0.000 {tpt} 0.000 {st} {st} {rx} {tx} \"{m} https://{host}:443{pq} HTTP/2.0\" \"{ua}\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:{region}:{acct}:targetgroup/{tg}/{tg_id} \"{trace}\" \"{host}\" \"arn:aws:acm:{region}:{acct}:certificate/{cert}\" 1 {created} \"forward\" \"-\" \"-\" \"{tip}:{tport}\" \"{st}\" \"-\" \"-\" TID_{conn}",
        time = rfc3339_micros(e.end),
        lb = e.lb_name,
        lb_id = e.lb_id,
        cip = e.client_ip,
        cport = e.client_port,
        tip = e.target_ip,
        tport = e.target_port,
        tpt = secs3(total),
        st = e.status,
        rx = e.received,
        tx = e.sent,
        m = e.method,
        host = e.host,
        pq = e.path_query,
        ua = e.user_agent.replace('"', "\\\""),
        region = e.region,
        acct = e.account,
        tg = e.tg_name,
        tg_id = e.tg_id,
        trace = xray_root(e.trace_id),
        cert = e.cert_id,
        created = rfc3339_micros(e.start),
        conn = e.conn_id,
    )
}
