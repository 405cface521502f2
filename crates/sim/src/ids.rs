//! Trace and span ids. With an AWS load balancer in front, ids follow the X-Ray
//! layout (the first 8 hex digits are the request's epoch second), which is what the
//! X-Ray propagator produces and what lets an ALB log line's `Root=1-...` trace id be
//! matched to the OTLP trace.

use crate::random::{hex, SimRng};
use crate::time::SEC;

/// A 32-hex-digit trace id.
pub(crate) fn trace_id(rng: &mut SimRng, xray: bool, t: i64) -> String {
    if xray {
        format!("{:08x}{}", (t / SEC) as u32, hex(rng, 12))
    } else {
        hex(rng, 16)
    }
}

/// A 16-hex-digit span id.
pub(crate) fn span_id(rng: &mut SimRng) -> String {
    hex(rng, 8)
}

/// The ALB `trace_id` field for an X-Ray style trace id.
pub(crate) fn xray_root(trace_id: &str) -> String {
    if trace_id.len() == 32 {
        format!("Root=1-{}-{}", &trace_id[..8], &trace_id[8..])
    } else {
        format!("Root=1-{trace_id}")
    }
}
