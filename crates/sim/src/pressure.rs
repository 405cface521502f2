//! Utilisation of each service's resources over time, at one-second resolution.
//!
//! The simulated request rate is far below what a real service sees, so saturation is
//! not computed from simulated concurrency; it is modelled from the plan: a service's
//! load follows the traffic (daily shape, surges, one hot tenant) on the endpoints it
//! serves, held longer when its databases, cache or third parties slow down (a slow
//! downstream keeps connections and threads busy: the consequence that follows a
//! cause), and scenarios can add explicit curves. The request executor reads the same
//! table (waits, rejections, pauses) as the metrics writer (pool, queue, heap, CPU), so
//! the two always agree.

use std::collections::BTreeMap;

use crate::scenarios::{DepFailure, Effect, Plan, Resource, Target};
use crate::system::{Step, System};
use crate::time::{hour_of_day, SEC};

const RESOURCES: usize = 4;

fn res_index(r: Resource) -> usize {
    match r {
        Resource::Pool => 0,
        Resource::Threads => 1,
        Resource::Gc => 2,
        Resource::Cpu => 3,
    }
}

/// The daily traffic shape (mean 1 over a day): low at night, peaks late morning and
/// evening (UTC hours shifted by the system's main region).
pub(crate) fn daily(t: i64) -> f64 {
    let h = hour_of_day(t);
    let a = (std::f64::consts::TAU * (h - 9.0) / 24.0).sin();
    let b = (std::f64::consts::TAU * (h - 5.0) / 12.0).sin();
    (1.0 + 0.3 * a + 0.08 * b).max(0.3)
}

fn step_targets(sys: &System, step: &Step, svc: usize, out: &mut Vec<Target>) {
    match step {
        Step::Db { db, .. } => out.push(Target::Db(*db)),
        Step::Cache { miss, .. } => {
            out.push(Target::Cache);
            step_targets(sys, miss, svc, out);
        }
        Step::External { ext, .. } => out.push(Target::External(*ext)),
        Step::Call { op, .. } => {
            let callee = sys.ops[*op].service;
            if callee != svc {
                out.push(Target::Service(callee));
            }
        }
        Step::Work { .. } => {}
    }
}

fn op_targets(sys: &System, op: usize, svc: usize, out: &mut Vec<Target>) {
    let o = &sys.ops[op];
    for step in &o.steps {
        if o.service == svc {
            step_targets(sys, step, svc, out);
        }
        if let Step::Call { op: callee, .. } = step {
            op_targets(sys, *callee, svc, out);
        }
    }
}

/// For each service, the share of its traffic (by endpoint weight) whose handling
/// calls each downstream directly.
fn target_shares(sys: &System) -> BTreeMap<(usize, Target), f64> {
    let mut totals = vec![0.0; sys.services.len()];
    let mut used: BTreeMap<(usize, Target), f64> = BTreeMap::new();
    for (e, ep) in sys.endpoints.iter().enumerate() {
        for svc in sys.services_of_endpoint(e) {
            totals[svc] += ep.weight;
            let mut targets = Vec::new();
            op_targets(sys, ep.edge_op, svc, &mut targets);
            targets.sort();
            targets.dedup();
            for t in targets {
                *used.entry((svc, t)).or_insert(0.0) += ep.weight;
            }
        }
    }
    used.into_iter()
        .map(|((svc, t), w)| {
            (
                (svc, t),
                if totals[svc] > 0.0 {
                    w / totals[svc]
                } else {
                    0.0
                },
            )
        })
        .collect()
}

/// Utilisation tables.
pub(crate) struct Pressure {
    start: i64,
    len: usize,
    /// `[service][resource][second]`
    util: Vec<Vec<Vec<f32>>>,
    /// `[service][second]` load relative to the mean.
    load: Vec<Vec<f32>>,
    /// `[service][second]` extra replicas from autoscaling.
    extra_pods: Vec<Vec<f32>>,
}

/// Traffic multiplier of an endpoint at `t` (daily shape excluded), counting surges
/// that apply to every tenant and tenant-specific ones.
pub(crate) fn endpoint_multiplier(plan: &Plan, ep: usize, t: i64) -> f64 {
    let mut m = 1.0;
    for s in &plan.surges {
        match s.endpoint {
            None if s.tenant.is_none() => m *= 1.0 + s.curve.at(t),
            Some(e) if e == ep => m += s.curve.at(t),
            _ => {}
        }
    }
    m
}

/// Like [`endpoint_multiplier`] without the tenant-specific surges (the traffic
/// generator plays those as separate arrivals from the tenant's users).
pub(crate) fn endpoint_multiplier_no_tenant(plan: &Plan, ep: usize, t: i64) -> f64 {
    let mut m = 1.0;
    for s in &plan.surges {
        match (s.endpoint, s.tenant) {
            (None, None) => m *= 1.0 + s.curve.at(t),
            (Some(e), None) if e == ep => m += s.curve.at(t),
            _ => {}
        }
    }
    m
}

impl Pressure {
    pub(crate) fn build(sys: &System, plan: &Plan) -> Pressure {
        let start = plan.timeline.start;
        let len = ((plan.timeline.end - start) / SEC + 2).max(1) as usize;
        let n = sys.services.len();
        // Which endpoints reach which service, and their weights.
        let ep_services: Vec<Vec<usize>> = (0..sys.endpoints.len())
            .map(|e| sys.services_of_endpoint(e))
            .collect();
        let mut util = vec![vec![vec![0f32; len]; RESOURCES]; n];
        let mut load = vec![vec![0f32; len]; n];
        let mut extra_pods = vec![vec![0f32; len]; n];
        let base = |svc: usize, r: Resource| -> f64 {
            let s = &sys.services[svc];
            let mut b = match r {
                Resource::Pool => s.base_pool,
                Resource::Threads => s.base_threads,
                Resource::Gc => 0.03,
                Resource::Cpu => s.base_cpu,
            };
            for (o_svc, o_r, v) in &plan.base_overrides {
                if *o_svc == svc && *o_r == r {
                    b = *v;
                }
            }
            b
        };
        let shares = target_shares(sys);
        let share = |svc: usize, t: Target| shares.get(&(svc, t)).copied().unwrap_or(0.0);
        for (i, slot) in (0..len).map(|i| (i, start + i as i64 * SEC)) {
            let t = slot;
            let day = daily(t) / daily(plan.timeline.onset).max(0.3);
            let ep_mult: Vec<f64> = (0..sys.endpoints.len())
                .map(|e| endpoint_multiplier(plan, e, t))
                .collect();
            for svc in 0..n {
                let mut w_sum = 0.0;
                let mut l_sum = 0.0;
                for (e, svcs) in ep_services.iter().enumerate() {
                    if svcs.contains(&svc) {
                        let w = sys.endpoints[e].weight;
                        w_sum += w;
                        l_sum += w * ep_mult[e];
                    }
                }
                let l = if w_sum > 0.0 {
                    day * l_sum / w_sum
                } else {
                    day
                };
                load[svc][i] = l as f32;
                // How much longer resources are held because downstreams are slow.
                let mut hold_pool = 1.0;
                let mut hold_threads = 1.0;
                for eff in &plan.effects {
                    match eff {
                        Effect::Downstream {
                            target,
                            curve,
                            latency_mult,
                            fail_prob,
                            failure,
                            ..
                        } => {
                            let c = curve.at(t);
                            if c <= 0.0 {
                                continue;
                            }
                            let timeout_hold = match (failure, target) {
                                (Some(DepFailure::Timeout), Target::Cache) => fail_prob * 4.0,
                                (Some(DepFailure::Timeout), _) => fail_prob * 25.0,
                                _ => 0.0,
                            };
                            let lm = latency_mult.max(1.0) + timeout_hold;
                            let w = share(svc, *target);
                            if w <= 0.0 {
                                continue;
                            }
                            match target {
                                Target::Db(_) => {
                                    hold_pool *= 1.0 + (lm - 1.0) * c * w;
                                    hold_threads *= 1.0 + (lm - 1.0) * c * w;
                                }
                                Target::Cache => {
                                    if failure.is_some() {
                                        hold_pool *= 1.0 + 0.6 * c * fail_prob * w;
                                    }
                                    hold_threads *= 1.0 + (lm - 1.0) * c * w;
                                }
                                Target::External(_) | Target::Service(_) => {
                                    hold_threads *= 1.0 + (lm - 1.0) * c * w;
                                }
                            }
                        }
                        Effect::CacheMiss { curve, .. } => {
                            hold_pool *= 1.0 + 1.2 * curve.at(t) * share(svc, Target::Cache);
                        }
                        _ => {}
                    }
                }
                let mut u = [
                    base(svc, Resource::Pool) * l * hold_pool,
                    base(svc, Resource::Threads) * l * hold_threads,
                    base(svc, Resource::Gc) * l,
                    base(svc, Resource::Cpu) * l,
                ];
                for eff in &plan.effects {
                    if let Effect::Pressure {
                        service,
                        resource,
                        curve,
                    } = eff
                    {
                        if *service == svc {
                            let k = res_index(*resource);
                            u[k] = u[k].max(curve.at(t));
                        }
                    }
                }
                // Saturated pools and heaps keep threads busy; GC burns CPU.
                if u[0] > 1.0 {
                    u[1] = u[1].max(base(svc, Resource::Threads) * l * (1.0 + (u[0] - 1.0) * 4.0));
                }
                u[3] = (u[3] + u[2] * 0.5).max(u[3]);
                for (k, v) in u.iter().enumerate() {
                    util[svc][k][i] = *v as f32;
                }
                for (s, curve) in &plan.scale_out {
                    if *s == svc {
                        extra_pods[svc][i] = curve.at(t) as f32;
                    }
                }
            }
        }
        Pressure {
            start,
            len,
            util,
            load,
            extra_pods,
        }
    }

    fn slot(&self, t: i64) -> usize {
        (((t - self.start) / SEC).max(0) as usize).min(self.len - 1)
    }

    /// Utilisation of `resource` of `svc` at `t` (1.0 = full).
    pub(crate) fn at(&self, svc: usize, resource: Resource, t: i64) -> f64 {
        f64::from(self.util[svc][res_index(resource)][self.slot(t)])
    }

    /// Load of `svc` relative to its mean at `t`.
    pub(crate) fn load(&self, svc: usize, t: i64) -> f64 {
        f64::from(self.load[svc][self.slot(t)])
    }

    /// Replicas added by the autoscaler at `t`.
    pub(crate) fn extra_pods(&self, svc: usize, t: i64) -> f64 {
        f64::from(self.extra_pods[svc][self.slot(t)])
    }
}
