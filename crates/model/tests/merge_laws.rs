//! The Summary's merge must be associative and commutative: per-thread Summaries are
//! combined in whatever order threads finish, and the verdict must not depend on it.

use apitriage_model::record::*;
use apitriage_model::Summary;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Rec {
    Req {
        t: i64,
        svc: u8,
        ep: u8,
        status: Option<u16>,
        ms: u16,
        region: u8,
        user: u16,
        resend: bool,
    },
    Down {
        t: i64,
        svc: u8,
        ds: u8,
        err: bool,
        ms: u16,
    },
    Log {
        t: i64,
        svc: u8,
        sev: u8,
        msg: u8,
        n: u16,
    },
    Metric {
        t: i64,
        name: u8,
        pod: u8,
        v: i32,
    },
}

const MSGS: [&str; 4] = [
    "java.net.SocketTimeoutException: Read timed out after 3000 ms",
    "order 12345 not found",
    "HikariPool-1 - Connection is not available",
    "payment accepted",
];

fn rec() -> impl Strategy<Value = Rec> {
    let t = 1_700_000_000_000_000_000i64..1_700_000_600_000_000_000i64;
    prop_oneof![
        (
            t.clone(),
            0u8..3,
            0u8..4,
            proptest::option::of(prop_oneof![Just(200u16), Just(404), Just(422), Just(503)]),
            1u16..5000,
            0u8..3,
            0u16..6000,
            any::<bool>()
        )
            .prop_map(|(t, svc, ep, status, ms, region, user, resend)| Rec::Req {
                t,
                svc,
                ep,
                status,
                ms,
                region,
                user,
                resend
            }),
        (t.clone(), 0u8..3, 0u8..3, any::<bool>(), 1u16..5000).prop_map(|(t, svc, ds, err, ms)| {
            Rec::Down {
                t,
                svc,
                ds,
                err,
                ms,
            }
        }),
        (t.clone(), 0u8..3, 0u8..6, 0u8..4, 0u16..100).prop_map(|(t, svc, sev, msg, n)| Rec::Log {
            t,
            svc,
            sev,
            msg,
            n
        }),
        (t, 0u8..2, 0u8..3, -100i32..100).prop_map(|(t, name, pod, v)| Rec::Metric {
            t,
            name,
            pod,
            v
        }),
    ]
}

fn fold(recs: &[Rec]) -> Summary {
    let mut s = Summary::new();
    for r in recs {
        match r {
            Rec::Req {
                t,
                svc,
                ep,
                status,
                ms,
                region,
                user,
                resend,
            } => {
                let svc = format!("svc-{svc}");
                let route = format!("/r{ep}/{user}");
                let region = format!("region-{region}");
                let user = format!("u{user}");
                let dims = [("region", region.as_str()), ("user", user.as_str())];
                s.add_request(&RequestRecord {
                    time: *t,
                    service: &svc,
                    method: "GET",
                    route: &route,
                    status: *status,
                    error: status.is_none() && ms % 7 == 0,
                    duration_ms: Some(*ms as f64),
                    resend_count: *resend as u32,
                    dims: &dims,
                    wrote: Some(ms % 2 == 0),
                    ..Default::default()
                });
            }
            Rec::Down {
                t,
                svc,
                ds,
                err,
                ms,
            } => {
                let svc = format!("svc-{svc}");
                let ds = format!("ds-{ds}");
                s.add_downstream(&DownstreamRecord {
                    time: *t,
                    caller: &svc,
                    downstream: &ds,
                    error: *err,
                    error_text: err.then_some("timeout"),
                    duration_ms: Some(*ms as f64),
                    ..Default::default()
                });
            }
            Rec::Log {
                t,
                svc,
                sev,
                msg,
                n,
            } => {
                let svc = format!("svc-{svc}");
                let body = format!("{} #{n}", MSGS[*msg as usize]);
                s.add_log(&LogRecord {
                    time: *t,
                    service: &svc,
                    severity: Severity::from_number(*sev as i32 * 4 + 1),
                    body: &body,
                    ..Default::default()
                });
            }
            Rec::Metric { t, name, pod, v } => {
                let pod = format!("pod-{pod}");
                let labels = [("pod", pod.as_str())];
                s.add_metric(&MetricPoint {
                    time: *t,
                    name: if *name == 0 { "cpu" } else { "queue_depth" },
                    labels: &labels,
                    value: *v as f64,
                    cumulative: false,
                });
            }
        }
    }
    s
}

fn merged(parts: &[&Summary]) -> String {
    let mut s = Summary::new();
    for p in parts {
        s.merge(p);
    }
    s.finish();
    s.canonical()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn merge_is_associative_and_commutative(
        a in proptest::collection::vec(rec(), 0..60),
        b in proptest::collection::vec(rec(), 0..60),
        c in proptest::collection::vec(rec(), 0..60),
    ) {
        let (sa, sb, sc) = (fold(&a), fold(&b), fold(&c));
        let abc = merged(&[&sa, &sb, &sc]);
        prop_assert_eq!(&abc, &merged(&[&sc, &sa, &sb]));
        prop_assert_eq!(&abc, &merged(&[&sb, &sc, &sa]));
        let mut ab = sa.clone();
        ab.merge(&sb);
        let mut bc = sb.clone();
        bc.merge(&sc);
        prop_assert_eq!(&merged(&[&ab, &sc]), &merged(&[&sa, &bc]));
        // Folding everything at once equals merging the parts.
        let all: Vec<Rec> = a.iter().chain(&b).chain(&c).cloned().collect();
        let mut whole = fold(&all);
        whole.finish();
        prop_assert_eq!(&abc, &whole.canonical());
    }
}

#[test]
fn caps_hold_in_any_order() {
    // More distinct users than the cap: the kept sample must not depend on order.
    let recs: Vec<Rec> = (0..9000u16)
        .map(|u| Rec::Req {
            t: 1_700_000_000_000_000_000 + u as i64 * 1_000_000,
            svc: 0,
            ep: 0,
            status: Some(200),
            ms: 5,
            region: 0,
            user: u,
            resend: false,
        })
        .collect();
    let (x, y) = recs.split_at(4000);
    let (sx, sy) = (fold(x), fold(y));
    let a = merged(&[&sx, &sy]);
    let b = merged(&[&sy, &sx]);
    assert_eq!(a, b);
    let mut s = Summary::new();
    s.merge(&sx);
    s.merge(&sy);
    s.finish();
    let users = s
        .dims
        .iter()
        .find(|(k, _)| s.s(**k) == "user")
        .map(|(_, v)| v.len())
        .unwrap();
    assert_eq!(users, apitriage_model::summary::DIM_VALUES_CAP);
}
