//! The running pods of each service over time. Every deploy, configuration rollout
//! or rollback starts a new generation of pods (new ReplicaSet hash, new pod names,
//! the version it runs) that replaces the previous one over a rolling-update window;
//! requests are served by whichever generation the rollout has reached. This is how a
//! deploy becomes visible in the telemetry itself (`service.version`, pod names,
//! startup logs) even when no change log is given.

use crate::pressure::Pressure;
use crate::random::{self as r, SimRng};
use crate::scenarios::Plan;
use crate::system::System;

const POD_ALPHABET: &str = "bcdfghjklmnpqrstvwxz2456789";

/// One generation of a service's pods.
#[derive(Debug, Clone)]
pub(crate) struct Generation {
    /// The change that started it (0 for the pods running at the start).
    pub change: u32,
    pub from: i64,
    pub rollout: i64,
    pub version: String,
    /// `[region][pod]` pod names (more than needed, for autoscaling).
    pub pods: Vec<Vec<String>>,
    /// `[region][pod]` node host names.
    pub nodes: Vec<Vec<String>>,
    /// `[region][pod]` pod IPs.
    pub ips: Vec<Vec<String>>,
}

/// All generations of all services.
#[derive(Debug, Clone)]
pub(crate) struct Fleet {
    pub gens: Vec<Vec<Generation>>,
}

/// Which pod served something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ResKey {
    pub svc: u16,
    pub gen: u16,
    pub region: u8,
    pub pod: u8,
}

const MAX_EXTRA_PODS: usize = 3;

fn generation(
    sys: &System,
    svc: usize,
    change: u32,
    from: i64,
    rollout: i64,
    version: String,
    rng: &mut SimRng,
) -> Generation {
    let s = &sys.services[svc];
    let rs_len = 9 + r::index(rng, 2);
    let rs = r::chars(rng, POD_ALPHABET, rs_len);
    let n = s.pods + MAX_EXTRA_PODS;
    let mut pods = Vec::new();
    let mut nodes = Vec::new();
    let mut ips = Vec::new();
    for region in &sys.regions {
        let mut p = Vec::new();
        let mut nd = Vec::new();
        let mut ip = Vec::new();
        for _ in 0..n {
            p.push(format!(
                "{}-{}-{}",
                s.name,
                rs,
                r::chars(rng, POD_ALPHABET, 5)
            ));
            let (a, b, c) = (r::int(rng, 0, 15), r::int(rng, 0, 255), r::int(rng, 1, 254));
            nd.push(format!(
                "ip-10-{a}-{b}-{c}.{}.compute.internal",
                region.name
            ));
            ip.push(format!(
                "10.{}.{}.{}",
                r::int(rng, 16, 31),
                r::int(rng, 0, 255),
                r::int(rng, 1, 254)
            ));
        }
        pods.push(p);
        nodes.push(nd);
        ips.push(ip);
    }
    Generation {
        change,
        from,
        rollout,
        version,
        pods,
        nodes,
        ips,
    }
}

impl Fleet {
    pub(crate) fn build(sys: &System, plan: &Plan, seed: u64) -> Fleet {
        let mut rng = r::stream(seed, "fleet");
        let mut gens = Vec::new();
        for svc in 0..sys.services.len() {
            let mut list = vec![generation(
                sys,
                svc,
                0,
                i64::MIN / 4,
                0,
                sys.services[svc].version.clone(),
                &mut rng,
            )];
            for c in plan
                .changes
                .iter()
                .filter(|c| c.service == svc && c.kind.restarts())
            {
                list.push(generation(
                    sys,
                    svc,
                    c.id,
                    c.at,
                    c.rollout,
                    c.version.clone(),
                    &mut rng,
                ));
            }
            gens.push(list);
        }
        Fleet { gens }
    }

    /// The generation serving `svc` at `t` (a rollout in progress serves both).
    pub(crate) fn pick(
        &self,
        press: &Pressure,
        svc: usize,
        region: usize,
        t: i64,
        rng: &mut SimRng,
    ) -> ResKey {
        let list = &self.gens[svc];
        let mut g = 0;
        for (i, gen) in list.iter().enumerate() {
            if gen.from <= t {
                g = i;
            }
        }
        if g > 0 {
            let gen = &list[g];
            if t < gen.from + gen.rollout {
                let progress = (t - gen.from) as f64 / gen.rollout.max(1) as f64;
                if !r::chance(rng, progress) {
                    g -= 1;
                }
            }
        }
        let base = list[g].pods.first().map(|p| p.len()).unwrap_or(1) - MAX_EXTRA_PODS;
        let active =
            (base + press.extra_pods(svc, t).floor() as usize).clamp(1, base + MAX_EXTRA_PODS);
        ResKey {
            svc: svc as u16,
            gen: g as u16,
            region: region as u8,
            pod: r::index(rng, active) as u8,
        }
    }

    pub(crate) fn generation(&self, key: ResKey) -> &Generation {
        &self.gens[key.svc as usize][key.gen as usize]
    }

    /// Number of pods of `svc` running in `region` at `t`, by generation (for startup
    /// logs and replica metrics).
    pub(crate) fn current(&self, svc: usize, t: i64) -> usize {
        let list = &self.gens[svc];
        let mut g = 0;
        for (i, gen) in list.iter().enumerate() {
            if gen.from <= t {
                g = i;
            }
        }
        g
    }
}
