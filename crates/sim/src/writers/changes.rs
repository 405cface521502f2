//! `changes.jsonl`: the change log, one JSON object a line in time order:
//! `{"time", "kind": "deploy"|"config"|"flag"|"rollback", "service", "version",
//! "description"}`.

use serde::Serialize;

use super::Out;
use crate::error::SimError;
use crate::scenarios::Plan;
use crate::system::System;
use crate::time::rfc3339_secs;

#[derive(Serialize)]
struct Line<'a> {
    time: String,
    kind: &'static str,
    service: &'a str,
    version: &'a str,
    description: &'a str,
}

/// Writes all change events of the plan.
pub(crate) fn write(out: &mut Out, sys: &System, plan: &Plan) -> Result<(), SimError> {
    for c in &plan.changes {
        out.json_line(&Line {
            time: rfc3339_secs(c.at),
            kind: c.kind.as_str(),
            service: &sys.services[c.service].name,
            version: &c.version,
            description: &c.description,
        })?;
    }
    Ok(())
}
