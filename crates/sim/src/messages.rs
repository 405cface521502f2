//! Log lines that do not belong to a request: routine INFO chatter, the steady
//! background warnings and errors every production system has, startup lines of new
//! pods (which carry the version, so deploys show in logs too), flag reloads, and the
//! pool housekeeper's warning when GC pauses stall it.

use crate::random::{self as r, SimRng};
use crate::records::Sev;
use crate::system::{Lang, Service, System};

/// A background log line: severity, logger, body.
pub(crate) type Line = (Sev, String, String);

fn logger(s: &Service, java: &str) -> String {
    match s.lang {
        Lang::Java => java.replace("{pkg}", &s.pkg),
        Lang::Go => s.pkg.clone(),
    }
}

/// One routine line for `svc` (most are INFO; a steady few are WARN/ERROR).
pub(crate) fn routine(sys: &System, svc: usize, rng: &mut SimRng) -> Line {
    let s = &sys.services[svc];
    let n = r::int(rng, 1, 60);
    let ms = r::int(rng, 3, 90);
    match r::index(rng, 10) {
        0 => (
            Sev::Info,
            logger(s, "{pkg}.outbox.OutboxRelay"),
            format!("Outbox relay published {n} events in {ms} ms"),
        ),
        1 => (
            Sev::Info,
            logger(s, "{pkg}.security.JwksCache"),
            format!("Refreshed signing keys from https://auth.{}.example/.well-known/jwks.json (2 keys)", sys.company),
        ),
        2 => (
            Sev::Info,
            logger(s, "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator"),
            format!("[Consumer clientId={0}-1, groupId={0}] Committed offsets for {1} partitions", s.name, 1 + n % 6),
        ),
        3 => (
            Sev::Info,
            logger(s, "{pkg}.jobs.CleanupJob"),
            format!("Expired {n} idle sessions"),
        ),
        4 => (
            Sev::Warn,
            logger(s, "{pkg}.repository.SlowQueryLogger"),
            format!("Slow query ({} ms): SELECT id, status FROM audit_log WHERE created_at > ? ORDER BY created_at", 900 + ms * 10),
        ),
        5 => (
            Sev::Warn,
            logger(s, "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator"),
            format!("[Consumer clientId={}-1] Offset commit failed on partition events-{}: The coordinator is loading and hence can't process requests.", s.name, n % 6),
        ),
        6 => (
            Sev::Error,
            logger(s, "io.opentelemetry.exporter.internal.http.HttpExporter"),
            "Failed to export metrics. Server responded with HTTP status code 503.".to_string(),
        ),
        7 => (
            Sev::Info,
            logger(s, "{pkg}.cache.CacheStats"),
            format!("Local cache size={} evictions={}", 1000 + n * 37, n),
        ),
        8 => (
            Sev::Info,
            logger(s, "{pkg}.health.ReadinessReporter"),
            "Readiness state: ACCEPTING_TRAFFIC".to_string(),
        ),
        _ => (
            Sev::Info,
            logger(s, "{pkg}.jobs.ReconciliationJob"),
            format!("Reconciled {n} records in {ms} ms"),
        ),
    }
}

/// The line a new pod prints when it has started.
pub(crate) fn startup(sys: &System, svc: usize, version: &str, rng: &mut SimRng) -> Line {
    let s = &sys.services[svc];
    let secs = r::float(rng, 6.0, 24.0);
    match s.lang {
        Lang::Java => {
            let app: String = s
                .name
                .split('-')
                .map(crate::system::cap)
                .collect::<Vec<_>>()
                .join("");
            (
                Sev::Info,
                format!("{}.{}Application", s.pkg, app),
                format!(
                    "Started {app}Application v{version} in {secs:.3} seconds (process running for {:.3})",
                    secs + 1.4
                ),
            )
        }
        Lang::Go => (
            Sev::Info,
            s.pkg.clone(),
            format!(
                "server listening on :{} version={version} go=go1.23.4",
                s.port
            ),
        ),
    }
}

/// The line a service prints when it picks up a new flag configuration.
pub(crate) fn flag_reload(sys: &System, svc: usize, flag: &str, rev: u32) -> Line {
    let s = &sys.services[svc];
    (
        Sev::Info,
        logger(s, "{pkg}.flags.FlagClient"),
        format!("Feature flag configuration updated to revision {rev} (changed: {flag})"),
    )
}

/// HikariCP's housekeeper warning when the JVM stalls (long GC pauses).
pub(crate) fn housekeeper(sys: &System, svc: usize, rng: &mut SimRng) -> Option<Line> {
    let s = &sys.services[svc];
    if s.lang != Lang::Java {
        return None;
    }
    let secs = r::float(rng, 1.2, 9.0);
    Some((
        Sev::Warn,
        "com.zaxxer.hikari.pool.HikariPool".to_string(),
        format!("HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={secs:.1}s)."),
    ))
}
