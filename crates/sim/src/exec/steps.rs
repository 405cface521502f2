//! The steps of a handler: calls to other services (with client spans, timeouts and
//! retries), SQL, cache reads with fallback, third-party calls, in-process work.

use super::*;

impl Exec<'_> {
    pub(super) fn step(&mut self, here: &Here, step: &Step, t: i64, biz: bool) -> StepOut {
        match step {
            Step::Call {
                op,
                timeout_ms,
                retries,
            } => self.call(here, *op, *timeout_ms, *retries, t),
            Step::Db {
                db,
                verb,
                table,
                write,
                median_ms,
            } => self.db(here, *db, verb, table, *write, *median_ms, t),
            Step::Cache {
                key,
                hit,
                miss,
                fallback,
                ..
            } => self.cache(here, key, *hit, miss, *fallback, t, biz),
            Step::External {
                ext,
                method,
                path,
                timeout_ms,
                retries,
                fail_open,
            } => self.external(
                here,
                *ext,
                method,
                path,
                *timeout_ms,
                *retries,
                *fail_open,
                t,
                biz,
            ),
            Step::Work { name, median_ms } => {
                let dur =
                    ms(r::lognormal(&mut self.rng, *median_ms, 0.5) * self.cpu_factor(here.svc, t));
                let id = ids::span_id(&mut self.rng);
                self.spans.push(SpanRec {
                    res: here.res,
                    scope: "io.opentelemetry.opentelemetry-instrumentation-annotations-1.16",
                    id,
                    parent: Some(here.span.clone()),
                    name: name.clone(),
                    kind: rec::INTERNAL,
                    start: t,
                    end: t + dur,
                    attrs: Vec::new(),
                    events: Vec::new(),
                    status: Status::Unset,
                });
                StepOut {
                    end: t + dur,
                    res: StepRes::Ok,
                }
            }
        }
    }

    pub(super) fn call(
        &mut self,
        here: &Here,
        callee: usize,
        timeout_ms: i64,
        retries: u8,
        t: i64,
    ) -> StepOut {
        let sys = self.sys;
        let cop = &sys.ops[callee];
        let caller_svc = &sys.services[here.svc];
        if cop.service == here.svc {
            let s = self.serve(callee, Some(here.span.clone()), t, Some(here.res));
            return StepOut {
                end: s.end,
                res: served_to_step(s),
            };
        }
        let csvc = &sys.services[cop.service];
        let path = if matches!(cop.kind, OpKind::Owner(_)) {
            self.path.clone()
        } else {
            cop.route.clone()
        };
        let url = if self.query.is_empty() || !matches!(cop.kind, OpKind::Owner(_)) {
            format!("http://{}:{}{}", csvc.name, csvc.port, path)
        } else {
            format!("http://{}:{}{}?{}", csvc.name, csvc.port, path, self.query)
        };
        let mut t_cur = t;
        let mut last = None;
        for attempt in 0..=retries {
            let cspan = ids::span_id(&mut self.rng);
            let send = t_cur + ms(r::float(&mut self.rng, 0.1, 0.5));
            let s = self.serve(callee, Some(cspan.clone()), send, None);
            let mut end = s.end + ms(r::float(&mut self.rng, 0.1, 0.6));
            let timed_out = end - t_cur > timeout_ms * MS;
            if timed_out {
                end = t_cur + timeout_ms * MS;
            }
            let mut attrs = vec![
                rec::s(self.sc.method(), cop.method),
                rec::s(self.sc.url_full(), url.clone()),
                rec::s(self.sc.server_address(), csvc.name.clone()),
                rec::i(self.sc.server_port(), i64::from(csvc.port)),
                rec::s("peer.service", csvc.name.clone()),
            ];
            if attempt > 0 {
                attrs.push(rec::i(self.sc.resend_count(), i64::from(attempt)));
            }
            let mut events = Vec::new();
            let status;
            let exc;
            if timed_out {
                let e = ex::downstream(
                    caller_svc,
                    DepFailure::Timeout,
                    Downstream::Http {
                        host: &csvc.name,
                        url: &url,
                        method: cop.method,
                        client: &client_name(&csvc.name),
                        ip: "10.0.0.1",
                    },
                );
                if !self.sc.old {
                    attrs.push(rec::s("error.type", e.ty.clone()));
                }
                events.push(Self::exception_event(end, &e));
                status = Status::Error(e.msg.clone());
                exc = Some(e);
            } else {
                attrs.push(rec::i(self.sc.status(), i64::from(s.status)));
                if s.status >= 400 {
                    if !self.sc.old {
                        attrs.push(rec::s("error.type", s.status.to_string()));
                    }
                    status = Status::Error(String::new());
                } else {
                    status = Status::Unset;
                }
                exc = None;
            }
            self.spans.push(SpanRec {
                res: here.res,
                scope: self.scope_client(here.svc),
                id: cspan,
                parent: Some(here.span.clone()),
                name: if self.sc.old {
                    format!("HTTP {}", cop.method)
                } else {
                    cop.method.to_string()
                },
                kind: rec::CLIENT,
                start: t_cur,
                end,
                attrs,
                events,
                status,
            });
            if caller_svc.edge && Some(callee) == self.owner_op {
                self.upstream = Some(end - t_cur);
            }
            t_cur = end;
            let retryable = timed_out || matches!(s.status, 502..=504);
            last = Some((s, timed_out, exc));
            if !retryable || attempt == retries {
                break;
            }
            t_cur += ms(r::float(&mut self.rng, 50.0, 250.0));
        }
        let Some((s, timed_out, exc)) = last else {
            return StepOut {
                end: t_cur,
                res: StepRes::Ok,
            };
        };
        if timed_out {
            let e = exc.unwrap_or_else(|| ex::upstream_status(caller_svc, &csvc.name, &url, 504));
            if caller_svc.edge {
                let body = match caller_svc.lang {
                    Lang::Java => format!(
                        "Timeout waiting for {} after {} ms on {} {}",
                        csvc.name, timeout_ms, cop.method, path
                    ),
                    Lang::Go => format!(
                        "http: proxy error: context deadline exceeded (upstream {})",
                        csvc.name
                    ),
                };
                let scope = match caller_svc.lang {
                    Lang::Java => {
                        "org.springframework.cloud.gateway.filter.NettyRoutingFilter".to_string()
                    }
                    Lang::Go => caller_svc.pkg.clone(),
                };
                self.log(here, t_cur, Sev::Warn, scope, body, None);
                let mut f = Fail::new(504, "gateway_timeout", "Gateway Timeout");
                f.logged = true;
                return StepOut {
                    end: t_cur,
                    res: StepRes::Fail(f),
                };
            }
            return StepOut {
                end: t_cur,
                res: StepRes::Fail(
                    Fail::new(504, "gateway_timeout", "Upstream timed out").with_exc(e),
                ),
            };
        }
        if s.status >= 500 && !caller_svc.edge {
            let e = ex::upstream_status(caller_svc, &csvc.name, &url, s.status);
            let mut f = Fail::new(
                s.status,
                s.code.as_deref().unwrap_or("upstream_error"),
                s.msg.clone().unwrap_or_default(),
            )
            .with_exc(e);
            f.retry_after = s.retry_after;
            return StepOut {
                end: t_cur,
                res: StepRes::Fail(f),
            };
        }
        StepOut {
            end: t_cur,
            res: served_to_step(s),
        }
    }

    /// Downstream effects on `target` for this request: (latency multiplier, failure).
    pub(super) fn downstream_effects(
        &mut self,
        target: Target,
        write: bool,
        t: i64,
    ) -> (f64, Option<DepFailure>) {
        let plan = self.plan;
        let mut mult = 1.0;
        let mut failure = None;
        for eff in &plan.effects {
            let Effect::Downstream {
                target: e_t,
                curve,
                filter,
                latency_mult,
                fail_prob,
                failure: e_f,
            } = eff
            else {
                continue;
            };
            if *e_t != target || (filter.writes_only && !write) {
                continue;
            }
            let c = curve.at(t);
            if c <= 0.0 || !self.matches(filter) {
                continue;
            }
            mult *= 1.0 + (latency_mult - 1.0) * c;
            if failure.is_none() {
                if let Some(fk) = e_f {
                    if (self.force_dep && *fail_prob > 0.3)
                        || r::chance(&mut self.rng, fail_prob * c)
                    {
                        failure = Some(*fk);
                    }
                }
            }
        }
        (mult.max(0.05), failure)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn db(
        &mut self,
        here: &Here,
        db: usize,
        verb: &str,
        table: &str,
        write: bool,
        median_ms: f64,
        t: i64,
    ) -> StepOut {
        let sys = self.sys;
        let svc = &sys.services[here.svc];
        let dbi = &sys.dbs[db];
        let mut t = t;
        // Connection pool.
        let u = self.press.at(here.svc, Resource::Pool, t);
        if u > 0.75 {
            let x = (u - 0.75) / 0.25;
            let wait = r::exponential(&mut self.rng, median_ms * 30.0 * x * x)
                .min(svc.pool_timeout_ms as f64 * 0.9);
            t += ms(wait);
            if u > 1.0
                && (self.force_pressure || r::chance(&mut self.rng, ((u - 1.0) * 1.8).min(0.9)))
            {
                let end = t + svc.pool_timeout_ms * MS;
                let waiting = (svc.pool_max as f64 * (u - 0.9) * 4.0).round() as u32;
                let e = ex::pool_exhausted(svc, waiting);
                return StepOut {
                    end,
                    res: StepRes::Fail(
                        Fail::new(503, "service_unavailable", "Service Unavailable").with_exc(e),
                    ),
                };
            }
        }
        let (mult, failure) = self.downstream_effects(Target::Db(db), write, t);
        let failure = match failure {
            Some(DepFailure::ReadOnly) if !write => None,
            f => f,
        };
        let mut lat = r::lognormal(&mut self.rng, median_ms * dbi.median_ms / 2.5 * mult, 0.5);
        match failure {
            Some(DepFailure::Refused) => lat = r::float(&mut self.rng, 1.0, 4.0),
            Some(DepFailure::Timeout) => lat = 5000.0,
            _ => {}
        }
        let end = t + ms(lat);
        let collection = table.to_string();
        let query = match verb {
            "SELECT" => format!("SELECT * FROM {table} WHERE id = ?"),
            "INSERT" => format!("INSERT INTO {table} (id, payload, created_at) VALUES (?, ?, ?)"),
            _ => format!("UPDATE {table} SET status = ?, updated_at = ? WHERE id = ?"),
        };
        let mut attrs = vec![
            rec::s("db.system", "postgresql"),
            rec::s(self.sc.db_namespace(), dbi.namespace.clone()),
            rec::s(self.sc.db_operation(), verb.to_string()),
            rec::s(self.sc.db_collection(), collection.clone()),
            rec::s(self.sc.db_query(), query),
            rec::s(self.sc.server_address(), dbi.host.clone()),
            rec::i(self.sc.server_port(), 5432),
        ];
        let mut events = Vec::new();
        let mut status = Status::Unset;
        let mut fail = None;
        if let Some(fk) = failure {
            let e = ex::downstream(
                svc,
                fk,
                Downstream::Db {
                    host: &dbi.host,
                    verb,
                    ip: "10.0.9.3",
                },
            );
            if !self.sc.old {
                attrs.push(rec::s("error.type", e.ty.clone()));
            }
            events.push(Self::exception_event(end, &e));
            status = Status::Error(first_line(&e.msg).to_string());
            let code = match fk {
                DepFailure::Refused => 503,
                _ => 500,
            };
            fail = Some(Fail::new(code, "internal_error", "Internal Server Error").with_exc(e));
        }
        let name = if self.sc.old {
            format!("{verb} {}.{collection}", dbi.namespace)
        } else {
            format!("{verb} {collection}")
        };
        let id = ids::span_id(&mut self.rng);
        self.spans.push(SpanRec {
            res: here.res,
            scope: self.scope_db(here.svc),
            id,
            parent: Some(here.span.clone()),
            name,
            kind: rec::CLIENT,
            start: t,
            end,
            attrs,
            events,
            status,
        });
        StepOut {
            end,
            res: match fail {
                Some(f) => StepRes::Fail(f),
                None => StepRes::Ok,
            },
        }
    }

    pub(super) fn cache_span(
        &mut self,
        here: &Here,
        op: &str,
        key: &str,
        t: i64,
        end: i64,
        err: Option<&Exc>,
    ) {
        let sys = self.sys;
        let mut attrs = vec![
            rec::s("db.system", "redis"),
            rec::s(self.sc.db_operation(), op.to_string()),
            rec::s(self.sc.db_query(), format!("{op} {key}?")),
            rec::s(self.sc.server_address(), sys.cache.host.clone()),
            rec::i(self.sc.server_port(), 6379),
        ];
        let mut events = Vec::new();
        let mut status = Status::Unset;
        if let Some(e) = err {
            if !self.sc.old {
                attrs.push(rec::s("error.type", e.ty.clone()));
            }
            events.push(Self::exception_event(end, e));
            status = Status::Error(e.msg.clone());
        }
        let id = ids::span_id(&mut self.rng);
        self.spans.push(SpanRec {
            res: here.res,
            scope: self.scope_cache(here.svc),
            id,
            parent: Some(here.span.clone()),
            name: op.to_string(),
            kind: rec::CLIENT,
            start: t,
            end,
            attrs,
            events,
            status,
        });
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn cache(
        &mut self,
        here: &Here,
        key: &str,
        hit: f64,
        miss: &Step,
        fallback: bool,
        t: i64,
        biz: bool,
    ) -> StepOut {
        let sys = self.sys;
        let plan = self.plan;
        let svc = &sys.services[here.svc];
        let (mult, failure) = self.downstream_effects(Target::Cache, false, t);
        if let Some(fk) = failure {
            let lat = match fk {
                DepFailure::Timeout => 1000.0,
                _ => r::float(&mut self.rng, 0.5, 3.0),
            };
            let end = t + ms(lat);
            let e = ex::downstream(
                svc,
                fk,
                Downstream::Cache {
                    host: &sys.cache.host,
                    ip: "10.0.4.12",
                },
            );
            self.cache_span(here, "GET", key, t, end, Some(&e));
            if fallback {
                let scope = self.app_logger(here.svc, "cache.CacheClient");
                self.log(
                    here,
                    end,
                    Sev::Warn,
                    scope,
                    format!(
                        "Cache read failed for {key}*, falling back to the database: {}",
                        first_line(&e.msg)
                    ),
                    None,
                );
                return self.step(here, miss, end, biz);
            }
            return StepOut {
                end,
                res: StepRes::Fail(
                    Fail::new(503, "service_unavailable", "Service Unavailable").with_exc(e),
                ),
            };
        }
        let end = t + ms(r::lognormal(&mut self.rng, 0.35 * mult, 0.4));
        self.cache_span(here, "GET", key, t, end, None);
        let mut miss_boost = 0.0;
        for eff in &plan.effects {
            if let Effect::CacheMiss { key: k, curve } = eff {
                if *k == key {
                    miss_boost = f64::max(miss_boost, curve.at(t));
                }
            }
        }
        let p_hit = hit * (1.0 - miss_boost);
        // A captured failing example of a saturation story goes down the slow path.
        let forced_miss = self.force_pressure
            && (miss_boost > 0.0 || self.press.at(here.svc, Resource::Pool, t) > 1.0);
        if !forced_miss && r::chance(&mut self.rng, p_hit) {
            return StepOut {
                end,
                res: StepRes::Ok,
            };
        }
        let out = self.step(here, miss, end, biz);
        if matches!(out.res, StepRes::Ok) {
            let set_end = out.end + ms(r::lognormal(&mut self.rng, 0.3, 0.4));
            self.cache_span(here, "SET", key, out.end, set_end, None);
            return StepOut {
                end: set_end,
                res: StepRes::Ok,
            };
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn external(
        &mut self,
        here: &Here,
        ext_i: usize,
        method: &str,
        path: &str,
        timeout_ms: i64,
        retries: u8,
        fail_open: bool,
        t: i64,
        biz: bool,
    ) -> StepOut {
        let sys = self.sys;
        let plan = self.plan;
        let svc = &sys.services[here.svc];
        let ext = &sys.externals[ext_i];
        let gen_change = self.fleet.generation(here.res).change;
        let mut host = ext.host.clone();
        let mut rewired = None;
        for eff in &plan.effects {
            if let Effect::Rewire {
                service,
                ext: e,
                host: h,
                gate,
                failure,
            } = eff
            {
                if *service == here.svc && *e == ext_i && gate.is_none_or(|g| g == gen_change) {
                    host = h.clone();
                    rewired = Some(*failure);
                }
            }
        }
        let url = format!("https://{host}{path}");
        let mut t_cur = t;
        let mut result: Option<(Option<DepFailure>, u16)> = None;
        for attempt in 0..=retries {
            let (mult, mut failure) =
                self.downstream_effects(Target::External(ext_i), false, t_cur);
            if rewired.is_some() {
                failure = rewired;
            }
            let declined = biz && ext.kind == ExtKind::Psp;
            let mut lat = r::lognormal(&mut self.rng, ext.median_ms * mult, 0.35);
            let mut code: u16 = if method == "POST" { 201 } else { 200 };
            match failure {
                Some(DepFailure::Timeout) => lat = timeout_ms as f64,
                Some(DepFailure::Status { code: c, .. }) => {
                    code = c;
                    lat = r::float(&mut self.rng, 15.0, 60.0);
                }
                Some(DepFailure::Dns) => lat = r::float(&mut self.rng, 2.0, 40.0),
                Some(DepFailure::Tls) => lat = r::float(&mut self.rng, 25.0, 90.0),
                Some(DepFailure::Refused) => lat = r::float(&mut self.rng, 1.0, 5.0),
                _ => {}
            }
            if failure.is_none() && lat > timeout_ms as f64 {
                failure = Some(DepFailure::Timeout);
                lat = timeout_ms as f64;
            }
            if failure.is_none() && declined {
                code = 402;
            }
            let end = t_cur + ms(lat);
            let mut attrs = vec![
                rec::s(self.sc.method(), method.to_string()),
                rec::s(self.sc.url_full(), url.clone()),
                rec::s(self.sc.server_address(), host.clone()),
                rec::i(self.sc.server_port(), 443),
            ];
            if rewired.is_none() {
                attrs.push(rec::s("peer.service", ext.peer.clone()));
            }
            if attempt > 0 {
                attrs.push(rec::i(self.sc.resend_count(), i64::from(attempt)));
            }
            let mut events = Vec::new();
            let mut status = Status::Unset;
            let has_status = matches!(failure, None | Some(DepFailure::Status { .. }));
            if has_status {
                attrs.push(rec::i(self.sc.status(), i64::from(code)));
            }
            if failure.is_some() || code >= 400 {
                let e = failure.map(|fk| {
                    ex::downstream(
                        svc,
                        fk,
                        Downstream::Http {
                            host: &host,
                            url: &url,
                            method,
                            client: &client_name(&ext.peer),
                            ip: "203.0.113.10",
                        },
                    )
                });
                if !self.sc.old {
                    let et = match (&e, failure) {
                        (_, Some(DepFailure::Status { code, .. })) => code.to_string(),
                        (Some(e), _) if svc.lang == Lang::Java => e.ty.clone(),
                        (Some(_), Some(DepFailure::Timeout)) => "timeout".to_string(),
                        (Some(e), _) => e.ty.clone(),
                        (None, _) => code.to_string(),
                    };
                    attrs.push(rec::s("error.type", et));
                }
                if let Some(e) = &e {
                    if !matches!(failure, Some(DepFailure::Status { .. })) {
                        events.push(Self::exception_event(end, e));
                    }
                    status = Status::Error(first_line(&e.msg).to_string());
                } else {
                    status = Status::Error(String::new());
                }
            }
            let id = ids::span_id(&mut self.rng);
            self.spans.push(SpanRec {
                res: here.res,
                scope: self.scope_client(here.svc),
                id,
                parent: Some(here.span.clone()),
                name: if self.sc.old {
                    format!("HTTP {method}")
                } else {
                    method.to_string()
                },
                kind: rec::CLIENT,
                start: t_cur,
                end,
                attrs,
                events,
                status,
            });
            t_cur = end;
            let retryable = matches!(
                failure,
                Some(DepFailure::Timeout)
                    | Some(DepFailure::Refused)
                    | Some(DepFailure::Status {
                        code: 500..=599,
                        ..
                    })
            );
            result = Some((failure, code));
            if !retryable || attempt == retries {
                break;
            }
            t_cur += ms(r::float(&mut self.rng, 100.0, 400.0));
        }
        let Some((failure, code)) = result else {
            return StepOut {
                end: t_cur,
                res: StepRes::Ok,
            };
        };
        let Some(fk) = failure else {
            if code == 402 {
                return StepOut {
                    end: t_cur,
                    res: StepRes::Ok,
                };
            }
            return StepOut {
                end: t_cur,
                res: StepRes::Ok,
            };
        };
        let e = ex::downstream(
            svc,
            fk,
            Downstream::Http {
                host: &host,
                url: &url,
                method,
                client: &client_name(&ext.peer),
                ip: "203.0.113.10",
            },
        );
        if fail_open {
            let scope = self.app_logger(
                here.svc,
                &format!("client.{}Client", client_name(&ext.peer)),
            );
            self.log(
                here,
                t_cur,
                Sev::Warn,
                scope,
                format!(
                    "{} unavailable, continuing without it: {}",
                    ext.peer,
                    first_line(&e.msg)
                ),
                None,
            );
            return StepOut {
                end: t_cur,
                res: StepRes::Ok,
            };
        }
        let (status, code, msg, retry_after) = match fk {
            DepFailure::Timeout => (504, "gateway_timeout", "Upstream provider timed out", None),
            DepFailure::Status {
                code: 429,
                retry_after,
            } => (
                503,
                "provider_unavailable",
                "Provider is rate limiting requests",
                retry_after,
            ),
            _ => (502, "bad_gateway", "Upstream provider error", None),
        };
        let mut f = Fail::new(status, code, msg).with_exc(e);
        f.retry_after = retry_after;
        StepOut {
            end: t_cur,
            res: StepRes::Fail(f),
        }
    }
}
