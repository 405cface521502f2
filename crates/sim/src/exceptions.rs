//! Exception types, messages and stack traces as Java (Spring on Tomcat, Jackson,
//! HikariCP, Lettuce, the PostgreSQL driver) and Go (net/http, database/sql,
//! encoding/json) services print them. The same bug gives the same signature every
//! time (line numbers are a hash of the site), so grouping by signature works like it
//! does on real logs.

use crate::random::fnv64;
use crate::scenarios::{DepFailure, ExcKind, ShapeChange};
use crate::system::{cap, Lang, Op, Service, System};

/// One exception as the telemetry records it (`exception.type`, `.message`,
/// `.stacktrace`; the stack trace is empty when the runtime prints none).
#[derive(Debug, Clone)]
pub(crate) struct Exc {
    pub ty: String,
    pub msg: String,
    pub stack: String,
}

const SPRING_TAIL: &[&str] = &[
    "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
    "java.base/java.lang.reflect.Method.invoke(Method.java:580)",
    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)",
    "org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:188)",
    "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
    "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:986)",
    "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
    "org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)",
    "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
    "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:138)",
    "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1736)",
    "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1190)",
    "org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)",
    "java.base/java.lang.Thread.run(Thread.java:1583)",
];

fn line_no(site: &str, lo: u64, span: u64) -> u64 {
    lo + fnv64(site) % span
}

fn java_stack(header: &str, frames: &[String]) -> String {
    let mut s = String::from(header);
    for f in frames {
        s.push_str("\n\tat ");
        s.push_str(f);
    }
    for f in SPRING_TAIL {
        s.push_str("\n\tat ");
        s.push_str(f);
    }
    s
}

fn handler_frames(svc: &Service, op: &Op, extra: &[(&str, &str)]) -> Vec<String> {
    let mut frames = Vec::new();
    for (class, method) in extra {
        let site = format!("{}.{}.{}", svc.pkg, class, method);
        frames.push(format!(
            "{}.{}.{}({}.java:{})",
            svc.pkg,
            class,
            method,
            class.rsplit('.').next().unwrap_or(class),
            line_no(&site, 30, 250)
        ));
    }
    let site = format!("{}.{}", op.class, op.func);
    frames.push(format!(
        "{}.api.{}.{}({}.java:{})",
        svc.pkg,
        op.class,
        op.func,
        op.class,
        line_no(&site, 40, 120)
    ));
    frames
}

fn go_file(op: &Op) -> String {
    let base: String = op
        .class
        .trim_end_matches("Controller")
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            if c.is_uppercase() && i > 0 {
                vec!['_', c.to_ascii_lowercase()]
            } else {
                vec![c.to_ascii_lowercase()]
            }
        })
        .collect();
    format!("{base}.go")
}

fn go_panic_stack(svc: &Service, op: &Op, header: &str, goroutine: u64) -> String {
    let handler = op.class.trim_end_matches("Controller");
    let file = go_file(op);
    let site = format!("{}{}", svc.pkg, op.func);
    format!(
        "{header}\n\ngoroutine {goroutine} [running]:\n{pkg}/internal/handlers.(*{handler}Handler).{func}(0xc0001a2000, {{0xb8e3a0, 0xc000412380}}, 0xc000398900)\n\t/src/internal/handlers/{file}:{line} +0x2bc\nnet/http.HandlerFunc.ServeHTTP(0xc000131e00?, {{0xb8e3a0?, 0xc000412380?}}, 0x1?)\n\t/usr/local/go/src/net/http/server.go:2220 +0x29\ngo.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.(*middleware).serveHTTP(0xc0002b4000, {{0xb8f1e0, 0xc0004a2000}}, 0xc000398800, {{0xb86c40, 0xc000131e00}})\n\t/go/pkg/mod/go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp@v0.58.0/handler.go:179 +0x11c5\nnet/http.serverHandler.ServeHTTP({{0xc0004a0000?}}, {{0xb8f1e0?, 0xc0004a2000?}}, 0x6?)\n\t/usr/local/go/src/net/http/server.go:3210 +0x8e\nnet/http.(*conn).serve(0xc0002d6000, {{0xb90218, 0xc0002a8e10}})\n\t/usr/local/go/src/net/http/server.go:2092 +0x5d0\ncreated by net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3360 +0x485",
        pkg = svc.pkg,
        func = cap(&op.func),
        line = line_no(&site, 60, 200),
    )
}

/// An exception thrown by handler code (the bug of a code-path scenario).
pub(crate) fn handler(sys: &System, op: &Op, kind: ExcKind, goroutine: u64) -> Exc {
    let svc = &sys.services[op.service];
    let d = sys.domain;
    let pkg = &svc.pkg;
    match svc.lang {
        Lang::Java => {
            let (ty, msg, extra): (&str, String, Vec<(String, String)>) = match kind {
                ExcKind::NullDeref => {
                    let noun = match op.func.as_str() {
                        f if f.starts_with("create") => "Address",
                        f if f.starts_with("get") => "PriceSnapshot",
                        "me" => "LoyaltyAccount",
                        "addItem" => "PriceSnapshot",
                        _ => "SortOrder",
                    };
                    let owner = if noun == "Address" || noun == "LoyaltyAccount" {
                        d.profile
                    } else {
                        d.item
                    };
                    (
                        "java.lang.NullPointerException",
                        format!(
                            "Cannot invoke \"{pkg}.model.{noun}.{}()\" because the return value of \"{pkg}.model.{owner}.get{noun}()\" is null",
                            if noun == "Address" { "getPostalCode" } else { "getValue" }
                        ),
                        vec![(format!("service.{}Service", op.class.trim_end_matches("Controller")), format!("build{noun}View"))],
                    )
                }
                ExcKind::ClassCast => (
                    "java.lang.ClassCastException",
                    format!("class {pkg}.pricing.LegacyDiscount cannot be cast to class {pkg}.pricing.TieredDiscount ({pkg}.pricing.LegacyDiscount and {pkg}.pricing.TieredDiscount are in unnamed module of loader 'app')"),
                    vec![("pricing.DiscountResolver".to_string(), "resolve".to_string())],
                ),
                ExcKind::IndexOutOfBounds => (
                    "java.lang.IndexOutOfBoundsException",
                    "Index 0 out of bounds for length 0".to_string(),
                    vec![("service.BundleAssembler".to_string(), "firstEligible".to_string())],
                ),
                ExcKind::Arithmetic => (
                    "java.lang.ArithmeticException",
                    "/ by zero".to_string(),
                    vec![("service.SplitCalculator".to_string(), "perUnit".to_string())],
                ),
                ExcKind::IllegalArgument => (
                    "java.lang.IllegalArgumentException",
                    format!("No enum constant {pkg}.model.BundleType.MIXED"),
                    vec![("model.BundleType".to_string(), "valueOf".to_string())],
                ),
            };
            let extra_refs: Vec<(&str, &str)> = extra
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let frames = handler_frames(svc, op, &extra_refs);
            let header = format!("{ty}: {msg}");
            Exc {
                ty: ty.to_string(),
                stack: java_stack(&header, &frames),
                msg,
            }
        }
        Lang::Go => {
            let (ty, msg, panic) = match kind {
                ExcKind::NullDeref => (
                    "runtime.Error",
                    "runtime error: invalid memory address or nil pointer dereference".to_string(),
                    true,
                ),
                ExcKind::ClassCast => (
                    "*runtime.TypeAssertionError",
                    "interface conversion: interface {} is string, not float64".to_string(),
                    true,
                ),
                ExcKind::IndexOutOfBounds => (
                    "runtime.boundsError",
                    "runtime error: index out of range [0] with length 0".to_string(),
                    true,
                ),
                ExcKind::Arithmetic => (
                    "runtime.Error",
                    "runtime error: integer divide by zero".to_string(),
                    true,
                ),
                ExcKind::IllegalArgument => (
                    "*errors.errorString",
                    "unsupported bundle type \"MIXED\"".to_string(),
                    false,
                ),
            };
            let stack = if panic {
                let header = if kind == ExcKind::NullDeref {
                    format!("panic: {msg}\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x9d3a1c]")
                } else {
                    format!("panic: {msg}")
                };
                go_panic_stack(svc, op, &header, goroutine)
            } else {
                String::new()
            };
            Exc {
                ty: ty.to_string(),
                msg,
                stack,
            }
        }
    }
}

/// What a client library reports when a downstream call fails.
pub(crate) fn downstream(svc: &Service, failure: DepFailure, what: Downstream<'_>) -> Exc {
    let java = svc.lang == Lang::Java;
    let (ty, msg): (String, String) = match (what, failure, java) {
        (Downstream::Http { host, url, .. }, DepFailure::Timeout, true) => (
            "java.net.SocketTimeoutException".into(),
            format!("Read timed out (calling {url} on {host})"),
        ),
        (Downstream::Http { url, method, .. }, DepFailure::Timeout, false) => (
            "*url.Error".into(),
            format!("{method} \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"),
        ),
        (Downstream::Http { host, .. }, DepFailure::Refused, true) => (
            "java.net.ConnectException".into(),
            format!("Connection refused ({host})"),
        ),
        (Downstream::Http { url, method, ip, .. }, DepFailure::Refused, false) => (
            "*url.Error".into(),
            format!("{method} \"{url}\": dial tcp {ip}:443: connect: connection refused"),
        ),
        (Downstream::Http { host, .. }, DepFailure::Dns, true) => (
            "java.net.UnknownHostException".into(),
            format!("{host}: Temporary failure in name resolution"),
        ),
        (Downstream::Http { host, url, method, .. }, DepFailure::Dns, false) => (
            "*url.Error".into(),
            format!("{method} \"{url}\": dial tcp: lookup {host} on 10.96.0.10:53: no such host"),
        ),
        (Downstream::Http { .. }, DepFailure::Tls, true) => (
            "javax.net.ssl.SSLHandshakeException".into(),
            "PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed".into(),
        ),
        (Downstream::Http { url, method, .. }, DepFailure::Tls, false) => (
            "*url.Error".into(),
            format!("{method} \"{url}\": tls: failed to verify certificate: x509: certificate has expired or is not yet valid"),
        ),
        (Downstream::Http { url, .. }, DepFailure::Status { code, retry_after }, true) => {
            let ty = match code {
                429 => "org.springframework.web.client.HttpClientErrorException$TooManyRequests",
                401 => "org.springframework.web.client.HttpClientErrorException$Unauthorized",
                _ => "org.springframework.web.client.HttpServerErrorException",
            };
            let body = match (code, retry_after) {
                (429, Some(s)) => format!("429 Too Many Requests: \"{{\"error\":\"rate_limited\",\"retry_after\":{s}}}\""),
                (401, _) => "401 Unauthorized: \"{\"error\":\"invalid_api_key\"}\"".to_string(),
                _ => format!("{code} {}: [no body]", status_text(code)),
            };
            (ty.into(), format!("{body} (calling {url})"))
        }
        (Downstream::Http { url, .. }, DepFailure::Status { code, retry_after }, false) => (
            "*errors.errorString".into(),
            match retry_after {
                Some(s) => format!("{url}: unexpected status {code} {} (retry after {s}s)", status_text(code)),
                None => format!("{url}: unexpected status {code} {}", status_text(code)),
            },
        ),
        (Downstream::Http { .. }, DepFailure::ReadOnly, _) => ("java.io.IOException".into(), "unexpected end of stream".into()),
        (Downstream::Db { host, verb, .. }, f, true) => match f {
            DepFailure::Refused => (
                "org.postgresql.util.PSQLException".into(),
                format!("Connection to {host}:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections."),
            ),
            DepFailure::ReadOnly => (
                "org.postgresql.util.PSQLException".into(),
                format!("ERROR: cannot execute {verb} in a read-only transaction"),
            ),
            _ => (
                "org.postgresql.util.PSQLException".into(),
                "ERROR: canceling statement due to statement timeout".into(),
            ),
        },
        (Downstream::Db { verb, ip, .. }, f, false) => match f {
            DepFailure::Refused => ("*net.OpError".into(), format!("dial tcp {ip}:5432: connect: connection refused")),
            DepFailure::ReadOnly => ("*pq.Error".into(), format!("pq: cannot execute {verb} in a read-only transaction")),
            _ => ("*pq.Error".into(), "pq: canceling statement due to statement timeout".into()),
        },
        (Downstream::Cache { host, ip }, f, true) => match f {
            DepFailure::Timeout => (
                "io.lettuce.core.RedisCommandTimeoutException".into(),
                "Command timed out after 1 second(s)".into(),
            ),
            _ => (
                "io.lettuce.core.RedisConnectionException".into(),
                format!("Unable to connect to {host}/{ip}:6379"),
            ),
        },
        (Downstream::Cache { ip, .. }, f, false) => match f {
            DepFailure::Timeout => ("*net.OpError".into(), format!("read tcp 10.0.7.21:41822->{ip}:6379: i/o timeout")),
            _ => ("*net.OpError".into(), format!("dial tcp {ip}:6379: connect: connection refused")),
        },
    };
    let stack = if java {
        let frames = match what {
            Downstream::Http { client, .. } => vec![
                "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)".to_string(),
                "java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)".to_string(),
                "org.apache.hc.core5.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:149)".to_string(),
                "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:883)".to_string(),
                format!("{}.client.{}Client.call({}Client.java:{})", svc.pkg, client, client, line_no(client, 40, 90)),
            ],
            Downstream::Db { .. } => vec![
                "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)".to_string(),
                "org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)".to_string(),
                "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)".to_string(),
                "org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:658)".to_string(),
                format!("{}.repository.JdbcRepository.execute(JdbcRepository.java:{})", svc.pkg, line_no(&svc.pkg, 30, 80)),
            ],
            Downstream::Cache { .. } => vec![
                "io.lettuce.core.RedisConnectionException.create(RedisConnectionException.java:78)".to_string(),
                "io.lettuce.core.AbstractRedisClient.getConnection(AbstractRedisClient.java:350)".to_string(),
                "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory.getConnection(LettuceConnectionFactory.java:1261)".to_string(),
                format!("{}.cache.CacheClient.get(CacheClient.java:{})", svc.pkg, line_no(&svc.pkg, 20, 60)),
            ],
        };
        java_stack(&format!("{ty}: {msg}"), &frames)
    } else {
        String::new()
    };
    Exc { ty, msg, stack }
}

/// Which downstream failed (for [`downstream`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Downstream<'a> {
    Http {
        host: &'a str,
        url: &'a str,
        method: &'a str,
        client: &'a str,
        ip: &'a str,
    },
    Db {
        host: &'a str,
        verb: &'a str,
        ip: &'a str,
    },
    Cache {
        host: &'a str,
        ip: &'a str,
    },
}

/// A consumer that cannot read a producer's changed response.
pub(crate) fn shape(sys: &System, consumer: &Op, producer: &Op, change: &ShapeChange) -> Exc {
    let svc = &sys.services[consumer.service];
    let psvc = &sys.services[producer.service];
    let pkg = &svc.pkg;
    let dto = match producer.kind {
        crate::system::OpKind::Charge => "PaymentResult".to_string(),
        crate::system::OpKind::PriceQuote => "Quote".to_string(),
        crate::system::OpKind::Reserve => "Reservation".to_string(),
        _ => sys.domain.item.to_string(),
    };
    match svc.lang {
        Lang::Java => {
            let (ty, msg) = match change {
                ShapeChange::Remove { field } => (
                    "com.fasterxml.jackson.databind.exc.MismatchedInputException".to_string(),
                    format!("Missing required creator property '{field}' (index 2)\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 187] (through reference chain: {pkg}.client.{dto}Dto[\"{field}\"])"),
                ),
                ShapeChange::Rename { from, to } => (
                    "com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException".to_string(),
                    format!("Unrecognized field \"{to}\" (class {pkg}.client.{dto}Dto), not marked as ignorable (4 known properties: \"id\", \"name\", \"{from}\", \"status\"])"),
                ),
                ShapeChange::Retype { field } => (
                    "com.fasterxml.jackson.databind.exc.MismatchedInputException".to_string(),
                    format!("Cannot construct instance of `{pkg}.client.Money` (although at least one Creator exists): no String-argument constructor/factory method to deserialize from String value ('12.50 EUR') (through reference chain: {pkg}.client.{dto}Dto[\"{field}\"])"),
                ),
                ShapeChange::EnumValue { field, value } => (
                    "com.fasterxml.jackson.databind.exc.InvalidFormatException".to_string(),
                    format!("Cannot deserialize value of type `{pkg}.client.{dto}Status` from String \"{value}\": not one of the values accepted for Enum class: [AUTHORIZED, DECLINED, PENDING] (through reference chain: {pkg}.client.{dto}Dto[\"{field}\"])"),
                ),
                ShapeChange::ContentType { mime } => (
                    "org.springframework.web.client.UnknownContentTypeException".to_string(),
                    format!("Could not extract response: no suitable HttpMessageConverter found for response type [class {pkg}.client.{dto}Dto] and content type [{mime}]"),
                ),
            };
            let client = cap(&psvc.name.replace('-', ""));
            let frames = vec![
                "org.springframework.web.client.HttpMessageConverterExtractor.extractData(HttpMessageConverterExtractor.java:118)".to_string(),
                "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:886)".to_string(),
                format!("{pkg}.client.{client}Client.fetch({client}Client.java:{})", line_no(&client, 40, 80)),
                format!("{pkg}.api.{}.{}({}.java:{})", consumer.class, consumer.func, consumer.class, line_no(&consumer.class, 40, 100)),
            ];
            let header = format!("{ty}: {msg}");
            Exc {
                stack: java_stack(&header, &frames),
                ty,
                msg,
            }
        }
        Lang::Go => {
            let (ty, msg) = match change {
                ShapeChange::Remove { field } | ShapeChange::Rename { from: field, .. } => (
                    "*errors.errorString",
                    format!("decode {} response: missing required field \"{field}\"", psvc.name),
                ),
                ShapeChange::Retype { field } => (
                    "*json.UnmarshalTypeError",
                    format!("json: cannot unmarshal string into Go struct field {dto}.{field} of type client.Money"),
                ),
                ShapeChange::EnumValue { value, .. } => (
                    "*errors.errorString",
                    format!("unknown {} status \"{value}\"", dto.to_lowercase()),
                ),
                ShapeChange::ContentType { .. } => (
                    "*json.SyntaxError",
                    "invalid character '<' looking for beginning of value".to_string(),
                ),
            };
            Exc {
                ty: ty.to_string(),
                msg,
                stack: String::new(),
            }
        }
    }
}

/// A required configuration value is missing at call time.
pub(crate) fn config_missing(sys: &System, op: &Op, property: &str) -> Exc {
    let svc = &sys.services[op.service];
    match svc.lang {
        Lang::Java => {
            let msg = format!("required property {property} is not set");
            let frames = vec![
                "org.springframework.core.env.AbstractPropertyResolver.getRequiredProperty(AbstractPropertyResolver.java:191)".to_string(),
                format!("{}.config.ProviderSettings.baseUrl(ProviderSettings.java:{})", svc.pkg, line_no(property, 20, 40)),
            ];
            let frames_all: Vec<String> = frames
                .into_iter()
                .chain(handler_frames(svc, op, &[]))
                .collect();
            Exc {
                ty: "java.lang.IllegalStateException".into(),
                stack: java_stack(
                    &format!("java.lang.IllegalStateException: {msg}"),
                    &frames_all,
                ),
                msg,
            }
        }
        Lang::Go => Exc {
            ty: "*errors.errorString".into(),
            msg: format!(
                "config: required key \"{}\" is empty",
                property.replace(['.', '-'], "_").to_uppercase()
            ),
            stack: String::new(),
        },
    }
}

/// The connection pool had no connection to give within its timeout.
pub(crate) fn pool_exhausted(svc: &Service, waiting: u32) -> Exc {
    match svc.lang {
        Lang::Java => {
            let msg = format!(
                "HikariPool-1 - Connection is not available, request timed out after {}ms (total={}, active={}, idle=0, waiting={waiting})",
                svc.pool_timeout_ms, svc.pool_max, svc.pool_max
            );
            let frames = vec![
                "com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)".to_string(),
                "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)".to_string(),
                "com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:128)".to_string(),
                "org.springframework.jdbc.datasource.DataSourceUtils.fetchConnection(DataSourceUtils.java:160)".to_string(),
            ];
            Exc {
                ty: "java.sql.SQLTransientConnectionException".into(),
                stack: java_stack(
                    &format!("java.sql.SQLTransientConnectionException: {msg}"),
                    &frames,
                ),
                msg,
            }
        }
        Lang::Go => Exc {
            ty: "*errors.errorString".into(),
            msg: "failed to acquire connection from pool: context deadline exceeded".into(),
            stack: String::new(),
        },
    }
}

/// The worker pool rejected the request.
pub(crate) fn rejected(svc: &Service, queued: u32, completed: u64) -> Exc {
    match svc.lang {
        Lang::Java => {
            let msg = format!(
                "Task java.util.concurrent.FutureTask@3f2a1b9 rejected from java.util.concurrent.ThreadPoolExecutor@6d1e7682[Running, pool size = {t}, active threads = {t}, queued tasks = {queued}, completed tasks = {completed}]",
                t = svc.threads_max
            );
            let frames = vec![
                "java.base/java.util.concurrent.ThreadPoolExecutor$AbortPolicy.rejectedExecution(ThreadPoolExecutor.java:2081)".to_string(),
                "java.base/java.util.concurrent.ThreadPoolExecutor.reject(ThreadPoolExecutor.java:841)".to_string(),
                "java.base/java.util.concurrent.ThreadPoolExecutor.execute(ThreadPoolExecutor.java:1376)".to_string(),
                "org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor.submit(ThreadPoolTaskExecutor.java:395)".to_string(),
            ];
            Exc {
                ty: "java.util.concurrent.RejectedExecutionException".into(),
                stack: java_stack(
                    &format!("java.util.concurrent.RejectedExecutionException: {msg}"),
                    &frames,
                ),
                msg,
            }
        }
        Lang::Go => Exc {
            ty: "*errors.errorString".into(),
            msg: format!("server busy: worker queue full ({queued} waiting)"),
            stack: String::new(),
        },
    }
}

/// The heap is exhausted.
pub(crate) fn out_of_memory(svc: &Service) -> Exc {
    match svc.lang {
        Lang::Java => Exc {
            ty: "java.lang.OutOfMemoryError".into(),
            msg: "Java heap space".into(),
            stack: "java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n\tat java.base/java.io.ByteArrayOutputStream.write(ByteArrayOutputStream.java:125)\n\tat com.fasterxml.jackson.core.json.UTF8JsonGenerator._flushBuffer(UTF8JsonGenerator.java:2203)\n\tat com.fasterxml.jackson.databind.ObjectMapper.writeValueAsString(ObjectMapper.java:3964)".into(),
        },
        Lang::Go => Exc {
            ty: "*errors.errorString".into(),
            msg: "server busy: memory limit reached, shedding load".into(),
            stack: String::new(),
        },
    }
}

/// A non-edge caller received an error status from an internal service.
pub(crate) fn upstream_status(svc: &Service, callee: &str, url: &str, status: u16) -> Exc {
    match svc.lang {
        Lang::Java => {
            let class = match status {
                502 => "HttpServerErrorException$BadGateway",
                503 => "HttpServerErrorException$ServiceUnavailable",
                504 => "HttpServerErrorException$GatewayTimeout",
                500 => "HttpServerErrorException$InternalServerError",
                _ => "HttpClientErrorException",
            };
            let ty = format!("org.springframework.web.client.{class}");
            let msg = format!(
                "{status} {}: [no body] (calling {callee} {url})",
                status_text(status)
            );
            let frames = vec![
                "org.springframework.web.client.StatusHandler.lambda$fromErrorHandler$1(StatusHandler.java:71)".to_string(),
                format!("{}.client.{}Client.call({}Client.java:{})", svc.pkg, cap(&callee.replace('-', "")), cap(&callee.replace('-', "")), line_no(callee, 40, 80)),
            ];
            Exc {
                stack: java_stack(&format!("{ty}: {msg}"), &frames),
                ty,
                msg,
            }
        }
        Lang::Go => Exc {
            ty: "*errors.errorString".into(),
            msg: format!(
                "{callee}: unexpected status {status} {} from {url}",
                status_text(status)
            ),
            stack: String::new(),
        },
    }
}

/// The steady background failure of an operation (same signature all day).
pub(crate) fn background(sys: &System, op: &Op) -> Exc {
    let svc = &sys.services[op.service];
    let which = fnv64(&format!("{}{}", svc.name, op.route)) % 3;
    match (svc.lang, which) {
        (Lang::Java, 0) => {
            let msg = "could not execute statement [ERROR: could not serialize access due to concurrent update]".to_string();
            let frames = handler_frames(svc, op, &[]);
            Exc {
                ty: "org.springframework.dao.CannotAcquireLockException".into(),
                stack: java_stack(
                    &format!("org.springframework.dao.CannotAcquireLockException: {msg}"),
                    &frames,
                ),
                msg,
            }
        }
        (Lang::Java, 1) => {
            let msg = "Row was updated or deleted by another transaction (or unsaved-value mapping was incorrect)".to_string();
            let frames = handler_frames(svc, op, &[]);
            Exc {
                ty: "org.springframework.orm.ObjectOptimisticLockingFailureException".into(),
                stack: java_stack(
                    &format!(
                        "org.springframework.orm.ObjectOptimisticLockingFailureException: {msg}"
                    ),
                    &frames,
                ),
                msg,
            }
        }
        (Lang::Java, _) => {
            let msg = "Connection reset".to_string();
            let frames = vec![
                "java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:318)".to_string(),
                "org.postgresql.core.VisibleBufferedInputStream.readMore(VisibleBufferedInputStream.java:161)".to_string(),
            ];
            Exc {
                ty: "java.net.SocketException".into(),
                stack: java_stack(&format!("java.net.SocketException: {msg}"), &frames),
                msg,
            }
        }
        (Lang::Go, 0) => Exc {
            ty: "*pq.Error".into(),
            msg: "pq: deadlock detected".into(),
            stack: String::new(),
        },
        (Lang::Go, 1) => Exc {
            ty: "*pq.Error".into(),
            msg: "pq: could not serialize access due to concurrent update".into(),
            stack: String::new(),
        },
        (Lang::Go, _) => Exc {
            ty: "*net.OpError".into(),
            msg: "read tcp 10.0.3.14:52144->10.0.9.3:5432: read: connection reset by peer".into(),
            stack: String::new(),
        },
    }
}

/// The reason phrase of an HTTP status.
pub(crate) fn status_text(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}
