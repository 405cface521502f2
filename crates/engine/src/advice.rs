//! What to do next, in the project's own words and specific to what was found: the
//! fastest next check, what not to spend the first minutes on, and mitigations.

use apitriage_model::report::RunbookRow;
use apitriage_model::Culprit;

/// Next check, avoid-first and mitigations for a verdict.
pub struct Advice {
    /// The fastest next check.
    pub next_check: String,
    /// What to avoid doing first.
    pub avoid_first: String,
    /// Mitigations.
    pub mitigation: Vec<String>,
}

/// Builds the advice for `bucket`, naming what the verdict found.
pub fn advise(bucket: &str, c: &Culprit, release: Option<&str>) -> Advice {
    let ep = c.endpoint.as_deref().unwrap_or("the failing endpoint");
    let svc = c.service.as_deref().unwrap_or("the failing service");
    let rel = release.map(|r| format!(" {r}")).unwrap_or_default();
    match bucket {
        "contract" => Advice {
            next_check: format!("Diff the request and response schema of {ep} between the previous release and {svc}{rel}; validate the captured failing exchange against the spec."),
            avoid_first: "Scaling infrastructure or tuning the database: the requests are reaching the service and being refused or misread.".into(),
            mitigation: vec![
                format!("Roll back the breaking change in {svc}{rel}, or make it backward compatible (accept and emit both the old and new field names for a while)."),
                format!("Loosen the new validation on {ep} temporarily if clients cannot be updated quickly."),
                "Afterwards: check the OpenAPI diff in CI (`apitriage spec diff --fail-on breaking`) and version breaking changes.".into(),
            ],
        },
        "dependency" => {
            let dep = c.dependency.as_deref().unwrap_or(svc);
            Advice {
                next_check: format!("Look at {dep}'s latency and error rate by caller around the onset (its status page or dashboards), and at the timeouts and circuit-breaker state of the clients calling it."),
                avoid_first: format!("Refactoring or hot-fixing the handler of {ep} without evidence: the failures come from {dep}."),
                mitigation: vec![
                    format!("Degrade gracefully: serve {ep} without {dep} where possible (cached data, queued work, a fallback provider)."),
                    format!("Tighten the timeout and open the circuit breaker towards {dep} so callers fail fast instead of piling up."),
                    "Honour Retry-After and back off retries, so the retries do not deepen the outage.".into(),
                ],
            }
        }
        "capacity" => Advice {
            next_check: format!("Check saturation of {svc}: CPU, memory and GC, thread and connection pools, queue depth, against request rate, and whether autoscaling fired or hit a quota."),
            avoid_first: "Blaming a third party straight away: the constraint is inside the system, and latency rose with load.".into(),
            mitigation: vec![
                format!("Shed or limit load on {svc} (return 429 with Retry-After, rate-limit the heaviest tenant or client)."),
                format!("Scale {svc} out or up, and raise the exhausted pool only if its backend can take it."),
                "Turn off expensive features or queries until the load drops.".into(),
            ],
        },
        "code_path" => Advice {
            next_check: format!("Read the server logs and stack traces of {svc} for {ep}, grouped by exception type, from the first failure on; reproduce with the smallest failing input."),
            avoid_first: "Adding client retries: the same input will fail the same way, and retries multiply load.".into(),
            mitigation: vec![
                format!("Roll back {svc}{rel} or turn off the feature flag behind the failing path."),
                format!("Hot-fix the handler of {ep} once the failing branch is known, with a regression test for that input."),
                "Afterwards: canary releases with automatic rollback on error-rate change.".into(),
            ],
        },
        _ => Advice {
            next_check: "Get one concrete failing request (HAR, trace id or access-log line) with its timestamp and release, then run apitriage again with --at and --request.".into(),
            avoid_first: "Acting on a bucket guess: nothing in this data separates the buckets yet.".into(),
            mitigation: vec!["No mitigation is recommended until the failure is confirmed and classified.".into()],
        },
    }
}

/// The runbook table row for this incident.
pub fn runbook_row(seen_first: String, bucket: &str, a: &Advice) -> RunbookRow {
    RunbookRow {
        seen_first,
        bucket: bucket.to_string(),
        next_check: a.next_check.clone(),
        avoid_first: a.avoid_first.clone(),
    }
}
