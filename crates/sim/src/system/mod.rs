//! The seeded system: topology, names and the population that uses it.
//!
//! A seed picks a business domain and a company, splits the eleven service roles over
//! 2 to 11 internal services (roles that share a service call each other in-process),
//! names everything from the domain's pools, and wires each public endpoint to a call
//! tree: edge → owner service → its database, cache, other services and third parties.
//! It also picks the population (regions, client apps and versions, tenants, cohorts,
//! roles, users) and the bundle's formats (which access log, which metrics format,
//! current or older semantic conventions). The topology depends on the seed only, not
//! on the scenario, so the same seed gives the same system under every scenario and a
//! classifier cannot learn names instead of evidence.

mod ops;
mod population;

use crate::domains::{self, DomainDef, EpKind, ExtKind, Role, DOMAINS};
use crate::random::{self as r, SimRng};

/// Implementation language of a service (decides stack traces, error texts, metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Java,
    Go,
}

/// One deployable service.
#[derive(Debug, Clone)]
pub(crate) struct Service {
    pub name: String,
    pub lang: Lang,
    /// Java package root (`com.acme.orders`) or Go module path.
    pub pkg: String,
    pub edge: bool,
    /// Version running when the bundle starts.
    pub version: String,
    /// The release before it (the old OpenAPI document).
    pub prev_version: String,
    pub port: u16,
    /// Pods per region.
    pub pods: usize,
    pub pool_max: u32,
    pub pool_timeout_ms: i64,
    pub threads_max: u32,
    pub heap_max_mb: f64,
    /// Utilisation of the connection pool, worker threads and CPU at mean load.
    pub base_pool: f64,
    pub base_threads: f64,
    pub base_cpu: f64,
}

/// What an operation is (the public endpoint it serves, or an internal helper).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpKind {
    /// The edge's route for a public endpoint.
    Edge(EpKind),
    /// The owner service's handler for a public endpoint.
    Owner(EpKind),
    ItemsBatch,
    PriceQuote,
    Reserve,
    Charge,
    Notify,
    Introspect,
}

/// An expected business error an operation returns at a steady rate.
#[derive(Debug, Clone)]
pub(crate) struct Biz {
    pub status: u16,
    pub rate: f64,
    pub code: &'static str,
    pub message: String,
}

/// One step of an operation's handler.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// An HTTP call to another operation (in-process when it is on the same service).
    Call {
        op: usize,
        timeout_ms: i64,
        retries: u8,
    },
    /// A SQL statement.
    Db {
        db: usize,
        verb: &'static str,
        table: &'static str,
        write: bool,
        median_ms: f64,
    },
    /// A cache read; on a miss (or, when `fallback`, an error) `miss` runs.
    Cache {
        key: &'static str,
        hit: f64,
        miss: Box<Step>,
        fallback: bool,
    },
    /// An HTTP call to a third party.
    External {
        ext: usize,
        method: &'static str,
        path: &'static str,
        timeout_ms: i64,
        retries: u8,
        fail_open: bool,
    },
    /// In-process work worth a span.
    Work { name: String, median_ms: f64 },
}

/// One server-side operation (a route on a service).
#[derive(Debug, Clone)]
pub(crate) struct Op {
    pub kind: OpKind,
    pub service: usize,
    pub role: Option<Role>,
    pub method: &'static str,
    pub route: String,
    pub steps: Vec<Step>,
    pub biz: Option<Biz>,
    /// Handler class (Java) or handler type (Go), and method.
    pub class: String,
    pub func: String,
    /// Median in-handler work, ms.
    pub work_ms: f64,
}

/// A public endpoint as users see it.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub kind: EpKind,
    pub method: &'static str,
    pub route: String,
    pub edge_op: usize,
    pub owner_op: Option<usize>,
    pub weight: f64,
}

impl Endpoint {
    /// `"METHOD /route"`.
    pub(crate) fn label(&self) -> String {
        format!("{} {}", self.method, self.route)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Database {
    pub host: String,
    pub namespace: String,
    pub median_ms: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct CacheCluster {
    pub host: String,
}

#[derive(Debug, Clone)]
pub(crate) struct External {
    pub kind: ExtKind,
    pub peer: String,
    pub host: String,
    pub median_ms: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Region {
    pub name: &'static str,
    pub weight: f64,
    pub ip: [u8; 2],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientKind {
    Ios,
    Android,
    Web,
    Partner,
}

/// A client application build (what `user_agent.original` says).
#[derive(Debug, Clone)]
pub(crate) struct Client {
    pub kind: ClientKind,
    pub ua: String,
    /// App version for native apps and SDKs.
    pub version: Option<String>,
    /// Whether this build is older than the current release of its app.
    pub old: bool,
    pub weight: f64,
}

/// One end user.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub id: String,
    pub tenant: usize,
    pub region: usize,
    pub client: usize,
    pub cohort: usize,
    pub role: usize,
    pub ip: [u8; 4],
    pub key: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccessFormat {
    Alb,
    Nginx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetricsFormat {
    PromJson,
    PromText,
    Otlp,
}

/// Which files the bundle has and how they are spelled.
#[derive(Debug, Clone)]
pub(crate) struct Formats {
    pub access: AccessFormat,
    pub metrics: MetricsFormat,
    pub metrics_step_s: i64,
    pub old_semconv: bool,
    pub spec_json: bool,
    pub spec_both: bool,
    pub openapi_31: bool,
    pub changes_file: bool,
    /// Trace ids in the AWS X-Ray form (first 8 hex digits are the epoch second).
    pub xray_ids: bool,
    pub sample_rate: f64,
}

/// The whole seeded system.
#[derive(Debug, Clone)]
pub(crate) struct System {
    pub domain: &'static DomainDef,
    pub company: &'static str,
    pub api_host: String,
    pub env: &'static str,
    pub namespace: String,
    pub services: Vec<Service>,
    pub role_service: [usize; 11],
    pub ops: Vec<Op>,
    pub endpoints: Vec<Endpoint>,
    pub dbs: Vec<Database>,
    pub cache: CacheCluster,
    pub externals: Vec<External>,
    pub regions: Vec<Region>,
    pub clients: Vec<Client>,
    pub tenants: Vec<&'static str>,
    pub users: Vec<User>,
    pub user_cdf: Vec<f64>,
    pub formats: Formats,
    /// Mean requests per second at the edge at scale 1.
    pub base_rps: f64,
}

impl System {
    pub(crate) fn edge(&self) -> usize {
        0
    }

    pub(crate) fn service_of(&self, role: Role) -> usize {
        self.role_service[role.index()]
    }

    pub(crate) fn endpoint(&self, kind: EpKind) -> usize {
        self.endpoints
            .iter()
            .position(|e| e.kind == kind)
            .unwrap_or(0)
    }

    pub(crate) fn op_of(&self, kind: OpKind) -> usize {
        self.ops.iter().position(|o| o.kind == kind).unwrap_or(0)
    }

    pub(crate) fn external(&self, kind: ExtKind) -> usize {
        self.externals
            .iter()
            .position(|e| e.kind == kind)
            .unwrap_or(0)
    }

    /// The database a role's operations use.
    pub(crate) fn db_of(&self, role: Role) -> usize {
        domains::db_group(role)
    }

    /// Whether any step of `op` (recursively, through in-process calls) uses `db`.
    pub(crate) fn service_uses_db(&self, svc: usize, db: usize) -> bool {
        self.ops
            .iter()
            .filter(|o| o.service == svc)
            .any(|o| o.steps.iter().any(|s| step_uses_db(s, db)))
    }

    /// Whether `svc` has any operation that touches a database.
    pub(crate) fn service_has_db(&self, svc: usize) -> bool {
        (0..self.dbs.len()).any(|d| self.service_uses_db(svc, d))
    }

    /// Whether `svc` calls the third party `ext` directly.
    pub(crate) fn service_uses_external(&self, svc: usize, ext: usize) -> bool {
        self.ops.iter().filter(|o| o.service == svc).any(|o| {
            o.steps.iter().any(|s| match s {
                Step::External { ext: e, .. } => *e == ext,
                Step::Cache { miss, .. } => {
                    matches!(**miss, Step::External { ext: e, .. } if e == ext)
                }
                _ => false,
            })
        })
    }

    /// Every service an endpoint's requests pass through (edge first).
    pub(crate) fn services_of_endpoint(&self, ep: usize) -> Vec<usize> {
        let mut out = Vec::new();
        self.collect_services(self.endpoints[ep].edge_op, &mut out);
        out
    }

    fn collect_services(&self, op: usize, out: &mut Vec<usize>) {
        let svc = self.ops[op].service;
        if !out.contains(&svc) {
            out.push(svc);
        }
        for step in &self.ops[op].steps {
            if let Step::Call { op: callee, .. } = step {
                self.collect_services(*callee, out);
            }
        }
    }

    /// Whether an endpoint's call tree reaches operation `op`.
    pub(crate) fn endpoint_reaches_op(&self, ep: usize, op: usize) -> bool {
        self.op_reaches(self.endpoints[ep].edge_op, op)
    }

    fn op_reaches(&self, from: usize, target: usize) -> bool {
        if from == target {
            return true;
        }
        self.ops[from].steps.iter().any(|s| match s {
            Step::Call { op, .. } => self.op_reaches(*op, target),
            _ => false,
        })
    }

    /// The first (caller op, callee op) pair where `caller` calls `callee` over the
    /// network and neither is the edge, for a callee on `producer_roles`.
    pub(crate) fn cross_service_call(&self, callee_kind: OpKind) -> Option<(usize, usize)> {
        let callee = self.op_of(callee_kind);
        self.ops.iter().enumerate().find_map(|(i, o)| {
            if self.services[o.service].edge {
                return None;
            }
            let calls = o
                .steps
                .iter()
                .any(|s| matches!(s, Step::Call { op, .. } if *op == callee));
            (calls && self.ops[callee].service != o.service).then_some((i, callee))
        })
    }

    /// The public base URL.
    pub(crate) fn base_url(&self) -> String {
        format!("https://{}", self.api_host)
    }
}

fn step_uses_db(step: &Step, db: usize) -> bool {
    match step {
        Step::Db { db: d, .. } => *d == db,
        Step::Cache { miss, .. } => step_uses_db(miss, db),
        _ => false,
    }
}

/// Capitalises the first letter.
pub(crate) fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn semver(rng: &mut SimRng) -> (u32, u32, u32) {
    (
        r::int(rng, 1, 6) as u32,
        r::int(rng, 2, 40) as u32,
        r::int(rng, 0, 9) as u32,
    )
}

/// Builds the system for `seed`; `volume` (scale × volume factor) sizes the user pool.
pub(crate) fn build(seed: u64, volume: f64) -> System {
    let mut rng = r::stream(seed, "system");
    let domain = &DOMAINS[r::index(&mut rng, DOMAINS.len())];
    let company = *r::pick(&mut rng, domains::COMPANIES);
    let brand = *r::pick(&mut rng, domain.brand_words);
    let api_host = format!("api.{company}{brand}.example");
    let env = *r::pick(&mut rng, domains::ENVIRONMENTS);
    let namespace = r::pick(&mut rng, domains::NAMESPACES).replace("{key}", domain.key);

    // Services: the edge, then 2..=11 internal services over the roles.
    let n_internal = r::int(&mut rng, 2, 11) as usize;
    let mut role_service = [0usize; 11];
    let group_a = [
        Role::Catalog,
        Role::Search,
        Role::Inventory,
        Role::Pricing,
        Role::Payments,
        Role::Notifications,
    ];
    for role in Role::ALL {
        role_service[role.index()] = if group_a.contains(&role) { 1 } else { 2 };
    }
    let mut split_order = vec![
        Role::Payments,
        Role::Basket,
        Role::Accounts,
        Role::Search,
        Role::Inventory,
        Role::Auth,
        Role::Pricing,
        Role::Notifications,
        Role::Reporting,
    ];
    // Seeded shuffle (Fisher-Yates).
    for i in (1..split_order.len()).rev() {
        let j = r::index(&mut rng, i + 1);
        split_order.swap(i, j);
    }
    let mut service_roles: Vec<Vec<Role>> =
        vec![Vec::new(), vec![Role::Catalog], vec![Role::Orders]];
    for role in split_order.iter().take(n_internal - 2) {
        role_service[role.index()] = service_roles.len();
        service_roles.push(vec![*role]);
    }
    for role in Role::ALL {
        let s = role_service[role.index()];
        if !service_roles[s].contains(&role) {
            service_roles[s].push(role);
        }
    }

    let mut used_names: Vec<String> = Vec::new();
    let mut services = Vec::new();
    for (i, roles) in service_roles.iter().enumerate() {
        let edge = i == 0;
        let pool: &[&str] = if edge {
            domain.edge_names
        } else {
            domain.role_names[roles[0].index()]
        };
        let start = r::index(&mut rng, pool.len());
        let mut name = String::new();
        for k in 0..pool.len() {
            let candidate = pool[(start + k) % pool.len()];
            if !used_names.iter().any(|u| u == candidate) {
                name = candidate.to_string();
                break;
            }
        }
        if name.is_empty() {
            name = format!("{}-{}", pool[start], i);
        }
        used_names.push(name.clone());
        let lang = if r::chance(&mut rng, if edge { 0.5 } else { 0.25 }) {
            Lang::Go
        } else {
            Lang::Java
        };
        let short: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let pkg = match lang {
            Lang::Java => format!("com.{company}.{short}"),
            Lang::Go => format!("github.com/{company}/{name}"),
        };
        let (maj, min, pat) = semver(&mut rng);
        let version = format!("{maj}.{min}.{pat}");
        let prev_version = if pat > 0 && r::chance(&mut rng, 0.4) {
            format!("{maj}.{min}.{}", pat - 1)
        } else {
            format!("{maj}.{}.{}", min - 1, r::int(&mut rng, 0, 6))
        };
        services.push(Service {
            name,
            lang,
            pkg,
            edge,
            version,
            prev_version,
            port: if lang == Lang::Go {
                8080
            } else {
                *r::pick(&mut rng, &[8080u16, 8080, 8081, 9000])
            },
            pods: (if edge {
                r::int(&mut rng, 3, 5)
            } else {
                r::int(&mut rng, 2, 4)
            }) as usize,
            pool_max: *r::pick(&mut rng, &[10u32, 10, 16, 20, 30]),
            pool_timeout_ms: *r::pick(&mut rng, &[3000i64, 5000, 10000, 30000]),
            threads_max: *r::pick(&mut rng, &[50u32, 100, 200, 200]),
            heap_max_mb: *r::pick(&mut rng, &[1024.0f64, 1536.0, 2048.0, 3072.0]),
            base_pool: r::float(&mut rng, 0.1, 0.3),
            base_threads: r::float(&mut rng, 0.08, 0.25),
            base_cpu: r::float(&mut rng, 0.12, 0.32),
        });
    }

    // Databases, cache, third parties.
    let db_suffix = *r::pick(&mut rng, domains::DB_SUFFIXES);
    let dbs: Vec<Database> = domain
        .db_prefixes
        .iter()
        .map(|p| Database {
            host: format!("{p}-{db_suffix}"),
            namespace: p.replace('-', "_"),
            median_ms: r::float(&mut rng, 1.5, 4.0),
        })
        .collect();
    let cache = CacheCluster {
        host: r::pick(&mut rng, domains::CACHE_NAMES).replace("{key}", domain.key),
    };
    let externals: Vec<External> = [
        ExtKind::Psp,
        ExtKind::Fraud,
        ExtKind::Email,
        ExtKind::Maps,
        ExtKind::Fx,
    ]
    .iter()
    .map(|k| {
        let peer = r::pick(&mut rng, domains::external_names(*k)).to_string();
        External {
            kind: *k,
            host: format!("api.{peer}.example"),
            peer,
            median_ms: match k {
                ExtKind::Psp => r::float(&mut rng, 140.0, 260.0),
                ExtKind::Fraud => r::float(&mut rng, 35.0, 70.0),
                ExtKind::Email => r::float(&mut rng, 60.0, 120.0),
                ExtKind::Maps => r::float(&mut rng, 40.0, 90.0),
                ExtKind::Fx => r::float(&mut rng, 20.0, 45.0),
            },
        }
    })
    .collect();

    let mut sys = System {
        domain,
        company,
        api_host,
        env,
        namespace,
        services,
        role_service,
        ops: Vec::new(),
        endpoints: Vec::new(),
        dbs,
        cache,
        externals,
        regions: Vec::new(),
        clients: Vec::new(),
        tenants: Vec::new(),
        users: Vec::new(),
        user_cdf: Vec::new(),
        formats: Formats {
            access: AccessFormat::Alb,
            metrics: MetricsFormat::PromJson,
            metrics_step_s: 15,
            old_semconv: false,
            spec_json: false,
            spec_both: true,
            openapi_31: false,
            changes_file: true,
            xray_ids: false,
            sample_rate: 1.0,
        },
        base_rps: r::float(&mut rng, 3.0, 6.0),
    };
    ops::build_ops(&mut sys, &mut rng);
    population::scale_utilisation(&mut sys);
    population::build_population(&mut sys, &mut rng, volume);

    sys.formats = Formats {
        access: if r::chance(&mut rng, 0.5) {
            AccessFormat::Alb
        } else {
            AccessFormat::Nginx
        },
        metrics: match r::weighted(&mut rng, &[0.4, 0.3, 0.3]) {
            0 => MetricsFormat::PromJson,
            1 => MetricsFormat::PromText,
            _ => MetricsFormat::Otlp,
        },
        metrics_step_s: *r::pick(&mut rng, &[10i64, 15]),
        old_semconv: r::chance(&mut rng, 0.3),
        spec_json: r::chance(&mut rng, 0.25),
        spec_both: r::chance(&mut rng, 0.8),
        openapi_31: r::chance(&mut rng, 0.5),
        changes_file: r::chance(&mut rng, 0.65),
        xray_ids: false,
        // Bigger systems sample harder (head sampling by trace id).
        sample_rate: (*r::pick(&mut rng, &[1.0, 0.5, 0.5, 0.25]) / volume.max(1.0).sqrt())
            .clamp(0.01, 1.0),
    };
    sys.formats.xray_ids = sys.formats.access == AccessFormat::Alb;
    sys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_that_call_each_other_cross_services() {
        for seed in 0..40 {
            let sys = build(seed, 0.1);
            assert!(sys.services.len() >= 3 && sys.services.len() <= 12);
            assert_ne!(sys.service_of(Role::Orders), sys.service_of(Role::Payments));
            assert_ne!(sys.service_of(Role::Basket), sys.service_of(Role::Catalog));
            assert!(sys.cross_service_call(OpKind::ItemsBatch).is_some());
            assert!(sys.cross_service_call(OpKind::Charge).is_some());
            let mut names: Vec<&str> = sys.services.iter().map(|s| s.name.as_str()).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), sys.services.len());
        }
    }
}
