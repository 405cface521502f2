//! What the services log and how they name their loggers and scopes.

use super::*;

impl Exec<'_> {
    pub(super) fn scope_server(&self, svc: usize) -> &'static str {
        match self.sys.services[svc].lang {
            Lang::Java if self.sys.services[svc].edge => "io.opentelemetry.netty-4.1",
            Lang::Java => "io.opentelemetry.tomcat-10.0",
            Lang::Go => "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
        }
    }

    pub(super) fn scope_client(&self, svc: usize) -> &'static str {
        match self.sys.services[svc].lang {
            Lang::Java if self.sys.services[svc].edge => "io.opentelemetry.netty-4.1",
            Lang::Java => "io.opentelemetry.apache-httpclient-5.0",
            Lang::Go => "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
        }
    }

    pub(super) fn scope_db(&self, svc: usize) -> &'static str {
        match self.sys.services[svc].lang {
            Lang::Java => "io.opentelemetry.jdbc",
            Lang::Go => "github.com/XSAM/otelsql",
        }
    }

    pub(super) fn scope_cache(&self, svc: usize) -> &'static str {
        match self.sys.services[svc].lang {
            Lang::Java => "io.opentelemetry.lettuce-5.1",
            Lang::Go => "github.com/redis/go-redis/extra/redisotel",
        }
    }

    pub(super) fn log(
        &mut self,
        here: &Here,
        time: i64,
        sev: Sev,
        scope: String,
        body: String,
        exc: Option<&Exc>,
    ) {
        let svc = &self.sys.services[here.svc];
        let mut attrs = Vec::new();
        if svc.lang == Lang::Java {
            attrs.push(rec::s(
                "thread.name",
                format!(
                    "http-nio-{}-exec-{}",
                    svc.port,
                    1 + r::index(&mut self.rng, 40)
                ),
            ));
        }
        if let Some(e) = exc {
            attrs.push(rec::s("exception.type", e.ty.clone()));
            attrs.push(rec::s("exception.message", e.msg.clone()));
            if !e.stack.is_empty() {
                attrs.push(rec::s("exception.stacktrace", e.stack.clone()));
            }
        }
        self.logs.push(LogRec {
            res: here.res,
            scope,
            time,
            sev,
            body,
            attrs,
            span: Some(here.span.clone()),
            trace: true,
        });
    }

    pub(super) fn app_logger(&self, svc: usize, suffix: &str) -> String {
        let s = &self.sys.services[svc];
        match s.lang {
            Lang::Java => format!("{}.{}", s.pkg, suffix),
            Lang::Go => s.pkg.clone(),
        }
    }

    pub(super) fn exception_event(time: i64, e: &Exc) -> EventRec {
        let mut attrs = vec![
            rec::s("exception.type", e.ty.clone()),
            rec::s("exception.message", e.msg.clone()),
        ];
        if !e.stack.is_empty() {
            attrs.push(rec::s("exception.stacktrace", e.stack.clone()));
        }
        attrs.push(rec::b("exception.escaped", true));
        EventRec {
            name: "exception",
            time,
            attrs,
        }
    }

    pub(super) fn biz_log(&mut self, here: &Here, t: i64, status: u16) {
        let sys = self.sys;
        let op = &sys.ops[here.op];
        let d = sys.domain;
        let key = r::int(&mut self.rng, 0, 1 << 30) as u64;
        let (sev, body) = match status {
            422 if op.kind == OpKind::Owner(EpKind::Promo) => (
                Sev::Info,
                format!(
                    "Code {} rejected: expired or not applicable",
                    d.promo_codes[(key % d.promo_codes.len() as u64) as usize]
                ),
            ),
            422 => (
                Sev::Info,
                "Address rejected: postal code does not match country".to_string(),
            ),
            409 if op.kind == OpKind::Reserve => (
                Sev::Warn,
                format!(
                    "Insufficient availability for {}_{}: requested 2, available 1",
                    d.item_prefix,
                    base32(key, 10)
                ),
            ),
            409 => (
                Sev::Info,
                format!("{} cannot be cancelled in its current status", d.order),
            ),
            402 => (
                Sev::Info,
                "Payment declined by provider: card_declined".to_string(),
            ),
            _ => return,
        };
        let scope = self.app_logger(
            here.svc,
            &format!("service.{}", op.class.replace("Controller", "Service")),
        );
        self.log(here, t, sev, scope, body, None);
    }

    /// The INFO line a handler writes when a write succeeds.
    pub(super) fn success_log(&mut self, here: &Here, t: i64, kind: OpKind) {
        let sys = self.sys;
        let d = sys.domain;
        let op = &sys.ops[here.op];
        let id = base32(r::mix(self.user as u64, t as u64), 10);
        let body = match kind {
            OpKind::Owner(EpKind::Checkout) => format!(
                "{} {}_{id} created for customer {} ({} lines)",
                d.order,
                d.order_prefix,
                sys.users[self.user].id,
                1 + r::index(&mut self.rng, 4)
            ),
            OpKind::Owner(EpKind::BasketAdd) => format!(
                "{} line added: {}_{id} x{}",
                d.basket,
                d.item_prefix,
                1 + r::index(&mut self.rng, 3)
            ),
            OpKind::Owner(EpKind::OrderCancel) => format!(
                "{} {} cancelled by customer",
                d.order,
                self.path.rsplit('/').nth(1).unwrap_or("")
            ),
            _ => format!("{} {} updated", d.profile, sys.users[self.user].id),
        };
        let scope = self.app_logger(
            here.svc,
            &format!("service.{}", op.class.replace("Controller", "Service")),
        );
        self.log(here, t, Sev::Info, scope, body, None);
    }

    /// Logs an app-reported client error at the edge (client-events endpoint).
    pub(crate) fn beacon_log(&mut self) {
        let Some(text) = self.beacon.clone() else {
            return;
        };
        let Some(span) = self.spans.iter().find(|s| s.kind == rec::SERVER) else {
            return;
        };
        let here = Here {
            op: 0,
            svc: 0,
            res: span.res,
            span: span.id.clone(),
        };
        let t = span.start + MS;
        let u = &self.sys.users[self.user];
        let client = &self.sys.clients[u.client];
        let scope = self.app_logger(0, "events.ClientEventsController");
        let body = format!(
            "client-reported error from {}: {}",
            client.version.clone().unwrap_or_else(|| "web".into()),
            text
        );
        self.log(&here, t, Sev::Warn, scope, body, None);
    }
}
