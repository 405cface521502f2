//! One hop: a service handling an operation (saturation, handler effects, steps,
//! the producer side of contract changes) and the server or internal span it leaves.

use super::*;

impl Exec<'_> {
    /// Serves `op` (a server span, or an internal span when `inline` is the caller's pod).
    pub(super) fn serve(
        &mut self,
        op_i: usize,
        parent: Option<String>,
        t0: i64,
        inline: Option<ResKey>,
    ) -> Served {
        let sys = self.sys;
        let plan = self.plan;
        let op = &sys.ops[op_i];
        let svc_i = op.service;
        let svc = &sys.services[svc_i];
        let res = match inline {
            Some(r) => r,
            None => self
                .fleet
                .pick(self.press, svc_i, self.region, t0, &mut self.rng),
        };
        let gen_change = self.fleet.generation(res).change;
        let span_id = ids::span_id(&mut self.rng);
        let here = Here {
            op: op_i,
            svc: svc_i,
            res,
            span: span_id.clone(),
        };
        let server = inline.is_none();
        let mut t = t0;
        let mut fail: Option<Fail> = None;
        let mut shape_out: Option<ShapeChange> = None;
        let mut ctype: Option<String> = None;
        let mut events = Vec::new();

        if server && !svc.edge {
            fail = self.saturation(&here, &mut t);
        }

        // Handler effects (the plan's code and contract changes).
        let mut throw_after: Option<(usize, Exc)> = None;
        let mut route_missing = false;
        if fail.is_none() {
            for eff in &plan.effects {
                let Effect::Handler {
                    op: e_op,
                    curve,
                    gate,
                    filter,
                    prob,
                    failure,
                } = eff
                else {
                    continue;
                };
                if *e_op != op_i || gate.is_some_and(|g| g != gen_change) {
                    continue;
                }
                let c = curve.at(t);
                if c <= 0.0 || !self.matches(filter) {
                    continue;
                }
                if !(self.force_handler || r::chance(&mut self.rng, prob * c)) {
                    continue;
                }
                match failure {
                    HandlerFailure::RouteMissing => {
                        route_missing = true;
                        let mut f = Fail::new(
                            404,
                            "not_found",
                            format!("No handler for {} {}", op.method, self.path),
                        );
                        if svc.lang == Lang::Java {
                            self.log(
                                &here,
                                t + MS / 2,
                                Sev::Warn,
                                "org.springframework.web.servlet.PageNotFound".into(),
                                format!("No mapping for {} {}", op.method, self.path),
                                None,
                            );
                        }
                        f.logged = true;
                        fail = Some(f);
                    }
                    HandlerFailure::Forbidden => {
                        let u = &sys.users[self.user];
                        let action = format!("{}:read", sys.domain.order.to_lowercase());
                        self.log(
                            &here,
                            t + MS,
                            Sev::Warn,
                            self.app_logger(svc_i, "security.PolicyEnforcer"),
                            format!(
                                "Access denied: subject={} role={} action={action} resource={}",
                                u.id,
                                crate::domains::USER_ROLES[u.role].0,
                                op.route
                            ),
                            None,
                        );
                        let mut f = Fail::new(
                            403,
                            "forbidden",
                            "You are not allowed to perform this action",
                        );
                        f.logged = true;
                        fail = Some(f);
                    }
                    HandlerFailure::Validation {
                        status,
                        field,
                        rule,
                    } => {
                        let detail = match rule {
                            Rule::Pattern(p) => format!("{field}: must match \"{p}\""),
                            Rule::Required => format!("{field}: must not be null"),
                            Rule::Email => format!("{field}: must be a well-formed email address"),
                        };
                        let body = match svc.lang {
                            Lang::Java => format!(
                                "Validation failed for {} {}: 1 error(s): [{detail}]",
                                op.method, op.route
                            ),
                            Lang::Go => format!("invalid request body: {detail}"),
                        };
                        self.log(
                            &here,
                            t + MS,
                            Sev::Warn,
                            self.app_logger(svc_i, "api.ApiExceptionHandler"),
                            body,
                            None,
                        );
                        let mut f = Fail::new(*status, "validation_failed", detail);
                        f.validation = Some((field.clone(), rule.clone()));
                        f.logged = true;
                        fail = Some(f);
                    }
                    HandlerFailure::ConfigMissing { property } => {
                        let e = ex::config_missing(sys, op, property);
                        let mut f =
                            Fail::new(500, "internal_error", "Internal Server Error").with_exc(e);
                        f.unhandled = true;
                        fail = Some(f);
                    }
                    HandlerFailure::Exception { exc, after_step } => {
                        self.goroutine += 1 + r::index(&mut self.rng, 50) as u64;
                        let e = ex::handler(sys, op, *exc, self.goroutine);
                        throw_after =
                            Some(((*after_step).min(op.steps.len().saturating_sub(1)), e));
                    }
                }
                break;
            }
        }

        // Steady background failure of this handler, and expected business errors.
        let noise = fail.is_none()
            && throw_after.is_none()
            && server
            && !svc.edge
            && r::chance(&mut self.rng, 0.0015);
        if noise {
            throw_after = Some((0, ex::background(sys, op)));
        }
        let biz = fail.is_none()
            && op.biz.as_ref().is_some_and(|b| {
                (self.force_biz && Some(op_i) == self.owner_op) || r::chance(&mut self.rng, b.rate)
            });

        if fail.is_none() {
            if op.steps.is_empty() {
                if let Some((_, e)) = throw_after.take() {
                    let mut f =
                        Fail::new(500, "internal_error", "Internal Server Error").with_exc(e);
                    f.unhandled = true;
                    fail = Some(f);
                }
            }
            for (k, step) in op.steps.iter().enumerate() {
                let out = self.step(&here, step, t, biz);
                t = out.end;
                match out.res {
                    StepRes::Ok => {}
                    StepRes::Shape(change, ct) => {
                        if svc.edge {
                            shape_out = Some(change);
                            ctype = ct;
                        } else {
                            let callee = match step {
                                Step::Call { op, .. } => *op,
                                _ => op_i,
                            };
                            let e = ex::shape(sys, op, &sys.ops[callee], &change);
                            let status = if matches!(change, ShapeChange::EnumValue { .. }) {
                                500
                            } else {
                                502
                            };
                            let mut f =
                                Fail::new(status, "upstream_response_invalid", "Bad Gateway")
                                    .with_exc(e);
                            f.unhandled = status == 500;
                            fail = Some(f);
                            break;
                        }
                    }
                    StepRes::Fail(f) => {
                        fail = Some(f);
                        break;
                    }
                }
                if throw_after.as_ref().is_some_and(|(after, _)| *after == k) {
                    if let Some((_, e)) = throw_after.take() {
                        let mut f =
                            Fail::new(500, "internal_error", "Internal Server Error").with_exc(e);
                        f.unhandled = true;
                        fail = Some(f);
                    }
                    break;
                }
                if biz && k == 0 && op.kind != OpKind::Charge {
                    break;
                }
            }
        }
        if fail.is_none() && biz {
            if let Some(b) = &op.biz {
                let f = Fail::new(b.status, b.code, b.message.clone());
                self.biz_log(&here, t, b.status);
                fail = Some(f);
            }
        }

        // In-handler work.
        let work = r::lognormal(&mut self.rng, op.work_ms, 0.5) * self.cpu_factor(svc_i, t);
        t += ms(work);

        // Producer side of a contract change.
        if fail.is_none() {
            for eff in &plan.effects {
                let Effect::Shape {
                    op: e_op,
                    curve,
                    gate,
                    filter,
                    prob,
                    change,
                } = eff
                else {
                    continue;
                };
                if *e_op != op_i || gate.is_some_and(|g| g != gen_change) {
                    continue;
                }
                let c = curve.at(t);
                if c > 0.0
                    && self.matches(filter)
                    && (self.force_handler || r::chance(&mut self.rng, prob * c))
                {
                    if let ShapeChange::ContentType { mime } = change {
                        ctype = Some(mime.clone());
                    }
                    shape_out = Some(change.clone());
                }
            }
        }

        let status = fail
            .as_ref()
            .map(|f| f.status)
            .unwrap_or_else(|| default_status(op.kind));
        // Log and record the failure where it originated.
        if let Some(f) = &fail {
            if f.status >= 500 && !f.logged {
                if let Some(e) = &f.exc {
                    events.push(Self::exception_event(t, e));
                    let panicked = f.unhandled && (svc.lang == Lang::Java || !e.stack.is_empty());
                    let (scope, body) = match (svc.lang, panicked) {
                        (Lang::Java, true) => (
                            "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]".to_string(),
                            format!(
                                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: {}: {}] with root cause",
                                e.ty, first_line(&e.msg)
                            ),
                        ),
                        (Lang::Java, false) => (
                            self.app_logger(svc_i, "api.ApiExceptionHandler"),
                            format!("{} {} failed with {}: {}", op.method, op.route, f.status, first_line(&e.msg)),
                        ),
                        (Lang::Go, true) => (self.app_logger(svc_i, ""), format!("panic recovered: {}", e.msg)),
                        (Lang::Go, false) => (
                            self.app_logger(svc_i, ""),
                            format!("{} {}: {}", op.method, op.route, first_line(&e.msg)),
                        ),
                    };
                    self.log(&here, t, Sev::Error, scope, body, Some(e));
                }
            }
        }

        if fail.is_none()
            && matches!(
                op.kind,
                OpKind::Owner(
                    EpKind::Checkout | EpKind::BasketAdd | EpKind::MeUpdate | EpKind::OrderCancel
                )
            )
        {
            self.success_log(&here, t, op.kind);
        }
        let end = t + if server {
            ms(r::float(&mut self.rng, 0.05, 0.3))
        } else {
            0
        };
        // The span.
        let u = &sys.users[self.user];
        let mut attrs: Vec<Attr> = Vec::new();
        let kind;
        let name;
        if server {
            kind = rec::SERVER;
            name = if route_missing {
                op.method.to_string()
            } else {
                format!("{} {}", op.method, op.route)
            };
            attrs.push(rec::s(self.sc.method(), op.method));
            if !route_missing {
                attrs.push(rec::s("http.route", op.route.clone()));
            }
            let path = if matches!(op.kind, OpKind::Edge(_) | OpKind::Owner(_)) {
                self.path.clone()
            } else {
                op.route.clone()
            };
            if self.sc.old {
                let target = if self.query.is_empty()
                    || !matches!(op.kind, OpKind::Edge(_) | OpKind::Owner(_))
                {
                    path
                } else {
                    format!("{path}?{}", self.query)
                };
                attrs.push(rec::s(self.sc.path(), target));
            } else {
                attrs.push(rec::s(self.sc.path(), path));
                if !self.query.is_empty() && matches!(op.kind, OpKind::Edge(_) | OpKind::Owner(_)) {
                    attrs.push(rec::s("url.query", self.query.clone()));
                }
            }
            attrs.push(rec::s(
                self.sc.scheme(),
                if svc.edge { "https" } else { "http" },
            ));
            attrs.push(rec::i(self.sc.status(), i64::from(status)));
            attrs.push(rec::s(
                self.sc.protocol_version(),
                if svc.edge { "2" } else { "1.1" },
            ));
            if svc.edge {
                let client = &sys.clients[u.client];
                attrs.push(rec::s(self.sc.host_name_attr(), sys.api_host.clone()));
                attrs.push(rec::s(self.sc.user_agent(), client.ua.clone()));
                attrs.push(rec::s(self.sc.client_address(), ip(u.ip)));
                if let (Some(v), true) = (
                    &client.version,
                    matches!(
                        client.kind,
                        crate::system::ClientKind::Ios | crate::system::ClientKind::Android
                    ),
                ) {
                    attrs.push(rec::a("http.request.header.x-app-version", vec![v.clone()]));
                }
            }
            if svc.edge || matches!(op.kind, OpKind::Owner(_)) {
                attrs.push(rec::s("enduser.id", u.id.clone()));
                attrs.push(rec::s("enduser.role", crate::domains::USER_ROLES[u.role].0));
                attrs.push(rec::s("tenant.id", sys.tenants[u.tenant]));
                attrs.push(rec::s("app.cohort", crate::domains::COHORTS[u.cohort].0));
            }
            if op.kind == OpKind::Owner(EpKind::Checkout) && status < 300 {
                let total = (r::float(&mut self.rng, 8.0, 260.0) * 100.0).round() / 100.0;
                attrs.push(rec::f("app.order.total_amount", total));
            }
            if status >= 500 && !self.sc.old {
                let et = fail
                    .as_ref()
                    .and_then(|f| f.exc.as_ref().map(|e| e.ty.clone()))
                    .unwrap_or_else(|| status.to_string());
                attrs.push(rec::s("error.type", et));
            }
        } else {
            kind = rec::INTERNAL;
            name = format!("{}.{}", op.class.replace("Controller", "Service"), op.func);
            attrs.push(rec::s("code.function", op.func.clone()));
            attrs.push(rec::s(
                "code.namespace",
                format!(
                    "{}.service.{}",
                    svc.pkg,
                    op.class.replace("Controller", "Service")
                ),
            ));
        }
        let status_rec = if status >= 500 {
            Status::Error(
                fail.as_ref()
                    .and_then(|f| f.exc.as_ref().map(|e| first_line(&e.msg).to_string()))
                    .unwrap_or_default(),
            )
        } else {
            Status::Unset
        };
        self.spans.push(SpanRec {
            res,
            scope: if server {
                self.scope_server(svc_i)
            } else {
                "io.opentelemetry.opentelemetry-instrumentation-annotations-1.16"
            },
            id: span_id,
            parent,
            name,
            kind,
            start: t0,
            end,
            attrs,
            events,
            status: status_rec,
        });
        if server {
            self.counters
                .record(svc_i as u16, op_i as u16, status, t0, end);
        }
        match fail {
            Some(f) => Served {
                status,
                end,
                shape: None,
                ctype,
                retry_after: f.retry_after,
                code: Some(f.code),
                msg: Some(f.msg),
                validation: f.validation,
            },
            None => Served {
                status,
                end,
                shape: shape_out,
                ctype,
                ..Served::default()
            },
        }
    }

    pub(super) fn cpu_factor(&self, svc: usize, t: i64) -> f64 {
        let u = self.press.at(svc, Resource::Cpu, t);
        let base = self.sys.services[svc].base_cpu;
        ((1.0 - base) / (1.0 - u.min(0.97))).max(1.0)
    }

    pub(super) fn saturation(&mut self, here: &Here, t: &mut i64) -> Option<Fail> {
        let svc = &self.sys.services[here.svc];
        let u = self.press.at(here.svc, Resource::Threads, *t);
        if u > 0.85 {
            let x = (u - 0.85) / 0.15;
            let wait = r::exponential(&mut self.rng, 5.0 + 60.0 * x * x).min(30_000.0);
            *t += ms(wait);
            if u > 1.0
                && (self.force_pressure || r::chance(&mut self.rng, ((u - 1.0) * 1.6).min(0.85)))
            {
                let queued = (svc.threads_max as f64 * 5.0 * (u - 0.8)).round() as u32;
                self.completed += r::int(&mut self.rng, 100, 5000) as u64;
                let e = ex::rejected(svc, queued, self.completed);
                return Some(
                    Fail::new(503, "service_unavailable", "Service Unavailable").with_exc(e),
                );
            }
        }
        let g = self.press.at(here.svc, Resource::Gc, *t);
        if g > 0.08 && r::chance(&mut self.rng, g.min(0.9)) {
            *t += ms(r::lognormal(&mut self.rng, 30.0 + 1500.0 * g * g, 0.6));
        }
        if g > 0.7
            && (r::chance(&mut self.rng, (g - 0.7) * 0.8) || (self.force_pressure && g > 0.5))
        {
            let e = ex::out_of_memory(svc);
            let status = if svc.lang == Lang::Java { 500 } else { 503 };
            let mut f = Fail::new(status, "internal_error", "Internal Server Error").with_exc(e);
            f.unhandled = svc.lang == Lang::Java;
            return Some(f);
        }
        let c = self.press.at(here.svc, Resource::Cpu, *t);
        if c > 0.95 {
            let mean = 3000.0 * ((c - 0.95) / 0.25).powi(2) + 50.0;
            let wait = if self.force_pressure {
                45_000.0
            } else {
                r::exponential(&mut self.rng, mean)
            };
            *t += ms(wait);
        }
        None
    }
}
