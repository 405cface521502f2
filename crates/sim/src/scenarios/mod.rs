//! Scenarios: causal stories told as a [`Plan`] over a seeded [`System`].
//!
//! A plan is a timeline of effects (a downstream that slows or fails, a handler that
//! throws or rejects for some users, a producer whose response shape changes, a
//! resource that saturates, cache entries that expire), the change events that cause
//! them (deploys, config and flag changes) and the traffic that drives them (surges,
//! one hot tenant). Scenarios are grouped by bucket, one file each; every scenario also
//! gets the same confounders (background errors, expected business errors, an
//! unrelated deploy near the onset, retries, daily traffic shape), added here, so that
//! no single symptom gives the bucket away.

mod capacity;
mod code_path;
mod contract;
mod control;
mod dependency;

use crate::curve::Curve;
use crate::domains::EpKind;
use crate::random::{self as r, SimRng};
use crate::system::{ClientKind, OpKind, System};
use crate::time::{MIN, SEC};

/// One scenario as `simulate --list` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScenarioInfo {
    /// Name used on the command line and in bundle directory names.
    pub name: &'static str,
    /// `contract`, `dependency`, `capacity`, `code_path` or `none`.
    pub bucket: &'static str,
    /// One sentence saying what happens.
    pub summary: &'static str,
}

struct Def {
    info: ScenarioInfo,
    build: fn(&mut Builder),
}

macro_rules! def {
    ($name:expr, $bucket:expr, $summary:expr, $build:path) => {
        Def {
            info: ScenarioInfo {
                name: $name,
                bucket: $bucket,
                summary: $summary,
            },
            build: $build,
        }
    };
}

static DEFS: &[Def] = &[
    def!("response-field-renamed", "contract",
        "A release renames a JSON key in a public response; the API keeps answering 200 but apps cannot read it, report client errors and retry.",
        contract::response_field_renamed),
    def!("producer-field-removed", "contract",
        "An internal service's release drops (or retypes) a field another service deserialises strictly; the caller answers 502.",
        contract::producer_field_removed),
    def!("stricter-request-validation", "contract",
        "A release tightens request validation on one POST endpoint; 422s rise for payloads that were accepted before.",
        contract::stricter_request_validation),
    def!("enum-value-added", "contract",
        "A provider service starts returning a new enum value its consumer does not know; the consumer fails with 500s on part of the traffic.",
        contract::enum_value_added),
    def!("content-type-changed", "contract",
        "A release makes an internal service answer XML or HTML where its caller expects JSON; the caller cannot parse it and answers 502.",
        contract::content_type_changed),
    def!("old-app-version-rejected", "contract",
        "A release makes a request field required; older mobile app builds that do not send it get 400s, newer builds are fine.",
        contract::old_app_version_rejected),
    def!("payment-provider-timeout", "dependency",
        "The payment provider becomes slow and times out; checkout answers 504 and the caller's pool fills up later as a consequence.",
        dependency::payment_provider_timeout),
    def!("database-failover", "dependency",
        "A database fails over: connections are refused, then writes hit a read-only node for a few minutes.",
        dependency::database_failover),
    def!("third-party-rate-limited", "dependency",
        "A third party starts answering 429 with Retry-After; the calling endpoint answers 503.",
        dependency::third_party_rate_limited),
    def!("dns-failure-one-region", "dependency",
        "Name resolution of one third party fails in one region only.",
        dependency::dns_failure_one_region),
    def!("tls-handshake-failure-one-region", "dependency",
        "TLS handshakes with one third party fail in one region (its regional edge serves a bad certificate).",
        dependency::tls_failure_one_region),
    def!("cache-cluster-down", "dependency",
        "The cache cluster stops accepting connections; reads fall back to the databases (which slow down) and token checks fail.",
        dependency::cache_cluster_down),
    def!("traffic-surge-pool-exhaustion", "capacity",
        "Traffic triples; tail latency climbs first, then one service's connection pool runs out and it answers 503.",
        capacity::traffic_surge_pool_exhaustion),
    def!("gc-storm-memory-pressure", "capacity",
        "Rising load fills one JVM's heap; GC pauses grow, latency tails out, then requests fail.",
        capacity::gc_storm_memory_pressure),
    def!("cache-stampede", "capacity",
        "Hot cache entries expire during a traffic spike; misses stampede the database and the owning service's pool saturates.",
        capacity::cache_stampede),
    def!("hot-tenant-overload", "capacity",
        "One tenant's integration floods one endpoint; the shared service saturates and every tenant sees latency and errors.",
        capacity::hot_tenant_overload),
    def!("thread-pool-starvation", "capacity",
        "Slow requests pile up in one service's worker pool; the queue grows and new work is rejected.",
        capacity::thread_pool_starvation),
    def!("cpu-throttling-autoscale-capped", "capacity",
        "A surge meets an autoscaler already at its maximum; CPU is throttled and latency climbs until callers time out.",
        capacity::cpu_throttling_autoscale_capped),
    def!("null-pointer-after-deploy", "code_path",
        "A deploy introduces a null dereference in one handler; requests of some users fail with 500s and stack traces.",
        code_path::null_pointer_after_deploy),
    def!("route-missing-after-deploy", "code_path",
        "A deploy drops a route; the endpoint that served 200 answers 404.",
        code_path::route_missing_after_deploy),
    def!("feature-flag-cohort-breakage", "code_path",
        "A feature flag is turned on for one cohort; its code path throws and only that cohort gets 500s.",
        code_path::feature_flag_cohort_breakage),
    def!("permission-check-regression", "code_path",
        "A deploy changes an authorisation check; one user role starts getting 403 on one endpoint.",
        code_path::permission_check_regression),
    def!("missing-config-property", "code_path",
        "A configuration change removes a required property; the handler that needs it throws on every call.",
        code_path::missing_config_property),
    def!("wrong-base-url-config", "code_path",
        "A configuration change points a service at the wrong base URL for its provider; every call to it fails.",
        code_path::wrong_base_url_config),
    def!("control-steady", "none",
        "Normal traffic with the usual background errors, business errors, retries and an unrelated deploy.",
        control::steady),
    def!("control-peak-and-deploy", "none",
        "A daily traffic peak and two routine deploys, handled without degradation.",
        control::peak_and_deploy),
    def!("control-transient-blip", "none",
        "A short provider slowdown that client retries absorb.",
        control::transient_blip),
];

/// All scenarios, in a fixed order.
pub fn scenarios() -> Vec<ScenarioInfo> {
    DEFS.iter().map(|d| d.info).collect()
}

pub(crate) fn find(name: &str) -> Option<ScenarioInfo> {
    DEFS.iter().find(|d| d.info.name == name).map(|d| d.info)
}

/// When things happen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeline {
    pub start: i64,
    pub onset: i64,
    pub end: i64,
}

/// Who a downstream effect hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    /// Every operation served by this service.
    Service(usize),
    Db(usize),
    Cache,
    External(usize),
}

/// Which requests an effect applies to (all set conditions must hold).
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub region: Option<usize>,
    pub cohort: Option<usize>,
    pub role: Option<usize>,
    pub tenant: Option<usize>,
    pub not_tenant: Option<usize>,
    pub clients: Option<Vec<ClientKind>>,
    /// Only app builds older than the current release.
    pub old_clients: bool,
    /// Only this share of users (a stable per-user property), with a salt.
    pub user_share: Option<(f64, u64)>,
    /// Only statements that write.
    pub writes_only: bool,
}

/// How a downstream fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DepFailure {
    Timeout,
    Refused,
    ReadOnly,
    Status { code: u16, retry_after: Option<u32> },
    Dns,
    Tls,
}

/// Exception kinds a handler can throw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExcKind {
    NullDeref,
    ClassCast,
    IndexOutOfBounds,
    Arithmetic,
    IllegalArgument,
}

/// How a handler fails.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum HandlerFailure {
    Exception {
        exc: ExcKind,
        after_step: usize,
    },
    RouteMissing,
    Forbidden,
    Validation {
        status: u16,
        field: String,
        rule: Rule,
    },
    ConfigMissing {
        property: String,
    },
}

/// A validation rule added by a release.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rule {
    Pattern(String),
    Required,
    Email,
}

/// How a producer's response changes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ShapeChange {
    Rename { from: String, to: String },
    Remove { field: String },
    Retype { field: String },
    EnumValue { field: String, value: String },
    ContentType { mime: String },
}

/// Resources that saturate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resource {
    Pool,
    Threads,
    Gc,
    Cpu,
}

/// One thing that goes wrong (or changes) over time.
#[derive(Debug, Clone)]
pub(crate) enum Effect {
    Downstream {
        target: Target,
        curve: Curve,
        filter: Filter,
        latency_mult: f64,
        fail_prob: f64,
        failure: Option<DepFailure>,
    },
    Handler {
        op: usize,
        curve: Curve,
        gate: Option<u32>,
        filter: Filter,
        prob: f64,
        failure: HandlerFailure,
    },
    Shape {
        op: usize,
        curve: Curve,
        gate: Option<u32>,
        filter: Filter,
        prob: f64,
        change: ShapeChange,
    },
    Pressure {
        service: usize,
        resource: Resource,
        curve: Curve,
    },
    CacheMiss {
        key: &'static str,
        curve: Curve,
    },
    Rewire {
        service: usize,
        ext: usize,
        host: String,
        gate: Option<u32>,
        failure: DepFailure,
    },
}

/// Kinds of change events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeKind {
    Deploy,
    Config,
    Flag,
    Rollback,
}

impl ChangeKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Deploy => "deploy",
            ChangeKind::Config => "config",
            ChangeKind::Flag => "flag",
            ChangeKind::Rollback => "rollback",
        }
    }

    /// Whether pods restart (a new generation of pods appears).
    pub(crate) fn restarts(self) -> bool {
        !matches!(self, ChangeKind::Flag)
    }
}

/// A change event.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub id: u32,
    pub at: i64,
    pub kind: ChangeKind,
    pub service: usize,
    pub version: String,
    pub description: String,
    pub rollout: i64,
}

/// Extra traffic: the curve is the extra factor (1.0 doubles the rate).
#[derive(Debug, Clone)]
pub(crate) struct Surge {
    pub endpoint: Option<usize>,
    pub tenant: Option<usize>,
    pub curve: Curve,
}

/// What the captured failing request should show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// The failure the scenario causes.
    Failure,
    /// An expected business error (controls).
    Business,
}

/// The user's captured session.
#[derive(Debug, Clone)]
pub(crate) struct HarPlan {
    pub endpoint: usize,
    pub at: i64,
    pub filter: Filter,
    pub expect: Expect,
}

/// What the new OpenAPI document says differently.
#[derive(Debug, Clone)]
pub(crate) enum SpecChange {
    Response {
        op: usize,
        change: ShapeChange,
    },
    Request {
        op: usize,
        field: String,
        rule: Rule,
    },
    /// A compatible addition (an optional response field).
    Compatible {
        op: usize,
    },
}

/// Which service's API documents to write.
#[derive(Debug, Clone)]
pub(crate) struct SpecPlan {
    pub service: usize,
    pub old_version: String,
    pub new_version: String,
    pub change: Option<SpecChange>,
}

/// The label the plan carries.
#[derive(Debug, Clone, Default)]
pub(crate) struct Culprit {
    pub service: Option<String>,
    pub endpoint: Option<String>,
    pub dependency: Option<String>,
}

/// The whole scenario over the system.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub bucket: &'static str,
    pub culprit: Culprit,
    pub timeline: Timeline,
    pub effects: Vec<Effect>,
    pub changes: Vec<Change>,
    pub surges: Vec<Surge>,
    pub base_overrides: Vec<(usize, Resource, f64)>,
    pub har: HarPlan,
    pub spec: SpecPlan,
    /// Replicas added by the autoscaler per service: (service, curve of extra pods).
    pub scale_out: Vec<(usize, Curve)>,
    /// Feature-flag reloads to log: (service, time, flag, revision).
    pub flag_logs: Vec<(usize, i64, String, u32)>,
}

/// Helps scenario functions build a plan.
pub(crate) struct Builder<'a> {
    pub sys: &'a System,
    pub rng: SimRng,
    pub tl: Timeline,
    pub plan: Plan,
    next_change: u32,
    /// Services whose failure is the story (confounders avoid them).
    pub involved: Vec<usize>,
}

impl<'a> Builder<'a> {
    /// Minutes as ns, drawn uniformly in `[lo, hi]` (fractional minutes allowed).
    pub(crate) fn minutes(&mut self, lo: f64, hi: f64) -> i64 {
        (r::float(&mut self.rng, lo, hi) * MIN as f64) as i64
    }

    /// Seconds as ns, drawn uniformly in `[lo, hi]`.
    pub(crate) fn seconds(&mut self, lo: f64, hi: f64) -> i64 {
        (r::float(&mut self.rng, lo, hi) * SEC as f64) as i64
    }

    /// The version a service runs at time `t` (after the changes so far).
    pub(crate) fn version_at(&self, svc: usize, t: i64) -> String {
        let mut v = self.sys.services[svc].version.clone();
        let mut changes: Vec<&Change> = self
            .plan
            .changes
            .iter()
            .filter(|c| c.service == svc && c.kind.restarts())
            .collect();
        changes.sort_by_key(|c| c.at);
        for c in changes {
            if c.at <= t {
                v = c.version.clone();
            }
        }
        v
    }

    fn bump(&mut self, version: &str) -> String {
        let parts: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
        if parts.len() != 3 {
            return format!("{version}.1");
        }
        if r::chance(&mut self.rng, 0.7) {
            format!("{}.{}.0", parts[0], parts[1] + 1)
        } else {
            format!("{}.{}.{}", parts[0], parts[1], parts[2] + 1)
        }
    }

    fn add_change(
        &mut self,
        kind: ChangeKind,
        svc: usize,
        at: i64,
        version: String,
        description: String,
    ) -> u32 {
        self.next_change += 1;
        let id = self.next_change;
        let rollout = if kind.restarts() {
            self.seconds(50.0, 150.0)
        } else {
            0
        };
        self.plan.changes.push(Change {
            id,
            at,
            kind,
            service: svc,
            version,
            description,
            rollout,
        });
        id
    }

    /// A deploy of a new version of `svc` at `at`; returns the change id (the gate of
    /// effects that only the new pods show).
    pub(crate) fn deploy(&mut self, svc: usize, at: i64, description: &str) -> u32 {
        let current = self.version_at(svc, at);
        let version = self.bump(&current);
        let name = &self.sys.services[svc].name;
        // Half the teams write release notes; the others deploy a release train.
        let text = if r::chance(&mut self.rng, 0.5) {
            format!("{name} {version}: {description}")
        } else {
            let pr = r::int(&mut self.rng, 1200, 9800);
            let generic = [
                format!("Release {name} {version}"),
                format!("{name} {version} (weekly release train)"),
                format!("Deploy {name} {version}, merge of PR #{pr}"),
            ];
            generic[r::index(&mut self.rng, generic.len())].clone()
        };
        self.add_change(ChangeKind::Deploy, svc, at, version, text)
    }

    /// A configuration change that restarts the pods of `svc` with the same version.
    pub(crate) fn config(&mut self, svc: usize, at: i64, description: &str) -> u32 {
        let version = self.version_at(svc, at);
        self.add_change(
            ChangeKind::Config,
            svc,
            at,
            version,
            description.to_string(),
        )
    }

    /// A feature-flag change read by `svc` (no restart).
    pub(crate) fn flag(&mut self, svc: usize, at: i64, flag: &str, description: &str) -> u32 {
        let rev = r::int(&mut self.rng, 1200, 4800) as u32;
        let id = self.add_change(
            ChangeKind::Flag,
            svc,
            at,
            format!("rev-{rev}"),
            description.to_string(),
        );
        self.plan.flag_logs.push((svc, at, flag.to_string(), rev));
        id
    }

    /// A rollback of `svc` to the version it ran before `before`.
    pub(crate) fn rollback(&mut self, svc: usize, at: i64, before: i64) -> u32 {
        let version = self.version_at(svc, before - 1);
        let name = &self.sys.services[svc].name;
        let text = format!("Roll {name} back to {version}");
        self.add_change(ChangeKind::Rollback, svc, at, version, text)
    }

    /// Sets the culprit.
    pub(crate) fn culprit(
        &mut self,
        service: Option<String>,
        endpoint: usize,
        dependency: Option<String>,
    ) {
        self.plan.culprit = Culprit {
            service,
            endpoint: Some(self.sys.endpoints[endpoint].label()),
            dependency,
        };
    }

    /// The failing example the user reports.
    pub(crate) fn har(&mut self, endpoint: usize, at: i64, filter: Filter) {
        self.plan.har = HarPlan {
            endpoint,
            at,
            filter,
            expect: Expect::Failure,
        };
    }

    /// A time inside the incident window, `lo..hi` of the way through it.
    pub(crate) fn during(&mut self, lo: f64, hi: f64) -> i64 {
        let span = (self.tl.end - self.tl.onset) as f64;
        self.tl.onset + (span * r::float(&mut self.rng, lo, hi)) as i64
    }

    /// The endpoint index of a kind.
    pub(crate) fn ep(&self, kind: EpKind) -> usize {
        self.sys.endpoint(kind)
    }

    /// The public endpoint whose owner op is `op`, or whose call tree reaches it with
    /// the most traffic.
    pub(crate) fn endpoint_reaching(&self, op: usize) -> usize {
        let mut best = 0;
        let mut best_w = -1.0;
        for (i, e) in self.sys.endpoints.iter().enumerate() {
            if self.sys.endpoint_reaches_op(i, op) && e.weight > best_w {
                best = i;
                best_w = e.weight;
            }
        }
        best
    }

    /// The busiest public endpoint owned by `svc`.
    pub(crate) fn busiest_endpoint_of(&self, svc: usize) -> usize {
        let mut best = None;
        let mut best_w = -1.0;
        for (i, e) in self.sys.endpoints.iter().enumerate() {
            if let Some(o) = e.owner_op {
                if self.sys.ops[o].service == svc && e.weight > best_w {
                    best = Some(i);
                    best_w = e.weight;
                }
            }
        }
        best.unwrap_or_else(|| {
            // A helper-only service: the busiest endpoint reaching any of its ops.
            let ops: Vec<usize> = (0..self.sys.ops.len())
                .filter(|o| self.sys.ops[*o].service == svc)
                .collect();
            ops.iter()
                .map(|o| self.endpoint_reaching(*o))
                .max_by(|a, b| {
                    self.sys.endpoints[*a]
                        .weight
                        .total_cmp(&self.sys.endpoints[*b].weight)
                })
                .unwrap_or(0)
        })
    }

    /// Spec documents for `svc`: the version before the window (or before `deploy_at`)
    /// and the version at the end.
    pub(crate) fn spec(&mut self, svc: usize, change: Option<SpecChange>) {
        let new_version = self.version_at(svc, self.tl.end);
        let old_version = {
            let v0 = self.sys.services[svc].version.clone();
            if v0 == new_version {
                self.sys.services[svc].prev_version.clone()
            } else {
                v0
            }
        };
        self.plan.spec = SpecPlan {
            service: svc,
            old_version,
            new_version,
            change,
        };
    }

    /// The owner op of an endpoint (or its edge op for edge-handled endpoints).
    pub(crate) fn owner(&self, ep: usize) -> usize {
        let e = &self.sys.endpoints[ep];
        e.owner_op.unwrap_or(e.edge_op)
    }

    pub(crate) fn op_of(&self, kind: OpKind) -> usize {
        self.sys.op_of(kind)
    }
}

/// Builds the plan of `scenario` (which must exist) for `sys`.
pub(crate) fn plan(scenario: &str, seed: u64, sys: &System) -> Option<Plan> {
    let def = DEFS.iter().find(|d| d.info.name == scenario)?;
    let mut rng = r::stream(seed, &format!("plan:{scenario}"));
    // A fixed base date derived from the seed: 2025-01-06 plus up to ~11 months.
    let day0: i64 = 1_736_121_600; // 2025-01-06T00:00:00Z
    let day = day0 + 86_400 * (r::mix(seed, 17) % 330) as i64;
    let onset = (day * SEC)
        + r::int(&mut rng, 8, 20) * 3600 * SEC
        + r::int(&mut rng, 0, 59) * MIN
        + r::int(&mut rng, 0, 59) * SEC;
    let baseline = r::int(&mut rng, 45, 70) * MIN;
    let duration = r::int(&mut rng, 14, 28) * MIN;
    let tl = Timeline {
        start: onset - baseline,
        onset,
        end: onset + duration,
    };
    let ep0 = sys.endpoint(EpKind::Promo);
    let mut b = Builder {
        sys,
        rng,
        tl,
        plan: Plan {
            bucket: def.info.bucket,
            culprit: Culprit::default(),
            timeline: tl,
            effects: Vec::new(),
            changes: Vec::new(),
            surges: Vec::new(),
            base_overrides: Vec::new(),
            har: HarPlan {
                endpoint: ep0,
                at: onset,
                filter: Filter::default(),
                expect: Expect::Business,
            },
            spec: SpecPlan {
                service: sys.edge(),
                old_version: sys.services[0].prev_version.clone(),
                new_version: sys.services[0].version.clone(),
                change: None,
            },
            scale_out: Vec::new(),
            flag_logs: Vec::new(),
        },
        next_change: 0,
        involved: Vec::new(),
    };
    (def.build)(&mut b);
    confounders(&mut b);
    b.plan.changes.sort_by_key(|c| (c.at, c.id));
    b.plan.timeline = b.tl;
    Some(b.plan)
}

/// The noise every scenario gets: an unrelated deploy near the onset, sometimes an
/// earlier deploy, sometimes a short provider blip that retries absorb.
fn confounders(b: &mut Builder) {
    let n = b.sys.services.len();
    let candidates: Vec<usize> = (0..n).filter(|s| !b.involved.contains(s)).collect();
    let descriptions = [
        "bump base image and dependencies",
        "add request metrics for new dashboards",
        "refactor logging configuration",
        "copy changes and translations",
        "upgrade HTTP client library",
        "tune readiness probe",
        "housekeeping: remove unused endpoints behind flag",
    ];
    if !candidates.is_empty() {
        let svc = *r::pick(&mut b.rng, &candidates);
        let offset = if r::chance(&mut b.rng, 0.5) {
            -b.minutes(2.0, 9.0)
        } else {
            b.minutes(1.5, 7.0)
        };
        let at = b.tl.onset + offset;
        let text = *r::pick(&mut b.rng, &descriptions);
        b.deploy(svc, at, text);
        if r::chance(&mut b.rng, 0.5) {
            let svc2 = *r::pick(&mut b.rng, &candidates);
            let at2 = b.tl.start + b.minutes(5.0, 25.0);
            let text2 = *r::pick(&mut b.rng, &descriptions);
            b.deploy(svc2, at2, text2);
        }
    }
    if r::chance(&mut b.rng, 0.4) {
        let ext = b.sys.external(if r::chance(&mut b.rng, 0.5) {
            crate::domains::ExtKind::Psp
        } else {
            crate::domains::ExtKind::Maps
        });
        let at = b.tl.start + b.minutes(8.0, 35.0);
        let dur = b.seconds(20.0, 50.0);
        b.plan.effects.push(Effect::Downstream {
            target: Target::External(ext),
            curve: Curve::pulse(at, 5 * SEC, at + dur, 5 * SEC, 1.0),
            filter: Filter::default(),
            latency_mult: r::float(&mut b.rng, 2.0, 3.5),
            fail_prob: 0.06,
            failure: Some(DepFailure::Timeout),
        });
    }
}
