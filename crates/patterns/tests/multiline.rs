//! Multi-line records: a Java stack trace belongs to the log line that introduced it
//! when the caller asks for record grouping (`Miner::add_line`), while `Miner::add`
//! mines every line on its own.

use apitriage_patterns::{is_continuation, Miner};

const SPRING_ERROR: &str = "\
2024-03-12 10:15:33.456 ERROR 4711 --- [nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception
org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"http://payments:8080/api/v1/charges\": Read timed out
\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:791)
\tat org.springframework.web.client.RestTemplate.execute(RestTemplate.java:717)
\tat com.example.orders.client.PaymentClient.charge(PaymentClient.java:58)
\tat com.example.orders.service.OrderService.place(OrderService.java:112)
Caused by: java.net.SocketTimeoutException: Read timed out
\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)
\tat java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)
\t... 12 more
2024-03-12 10:15:34.001  INFO 4711 --- [nio-8080-exec-5] c.e.orders.web.OrderController           : Created order 45c48cce-2e2d-4fbd-a2f4-01c8a1b2c3d4 for customer 77 in 12ms
2024-03-12 10:15:35.789 ERROR 4711 --- [nio-8080-exec-8] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception
org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"http://payments:8080/api/v1/charges\": Read timed out
\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:791)
Caused by: java.net.SocketTimeoutException: Read timed out
\t... 14 more
";

#[test]
fn stack_trace_lines_take_the_pattern_of_their_record() {
    let mut miner = Miner::default();
    let lines: Vec<&str> = SPRING_ERROR.lines().collect();
    let clusters: Vec<usize> = lines.iter().map(|line| miner.add_line(line)).collect();
    // Record 1: line 0 (head), line 1 (exception message: not a continuation, so its own
    // record), lines 2..=9 continue line 1's record.
    for line in 2..=9 {
        assert_eq!(clusters[line], clusters[1], "line {line}: {}", lines[line]);
    }
    assert_ne!(clusters[0], clusters[1]);
    // The second error groups with the first, frames included.
    assert_eq!(clusters[11], clusters[0]);
    assert_eq!(clusters[12], clusters[1]);
    assert_eq!(clusters[13], clusters[1]);
    assert_eq!(clusters[15], clusters[1]);
    assert_ne!(clusters[10], clusters[0]);
    // Continuation lines are not counted: two records each.
    assert_eq!(miner.count(clusters[0]), 2);
    assert_eq!(miner.count(clusters[1]), 2);
    assert_eq!(
        miner.template(clusters[1]),
        "org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"<*>\": Read timed out"
    );
}

#[test]
fn add_mines_frames_on_their_own() {
    let mut miner = Miner::default();
    let clusters: Vec<usize> = SPRING_ERROR.lines().map(|line| miner.add(line)).collect();
    assert_ne!(clusters[2], clusters[1]);
    assert_eq!(clusters[2], clusters[3], "frames group with frames");
    assert_eq!(clusters[2], clusters[4]);
    assert_eq!(miner.template(clusters[2]), "at <*>");
}

#[test]
fn a_leading_continuation_line_is_mined_on_its_own() {
    let mut miner = Miner::default();
    let first = miner.add_line("\tat com.example.Foo.bar(Foo.java:42)");
    assert_eq!(
        miner.template(first),
        "at com.example.Foo.bar(Foo.java:<*>)"
    );
    let head = miner.add_line("ERROR boom");
    miner.end_record();
    let after_end = miner.add_line("\tat com.example.Foo.baz(Foo.java:7)");
    assert_ne!(after_end, head, "end_record stops the record");
}

#[test]
fn continuation_lines_are_recognised_narrowly() {
    let yes = [
        "\tat com.example.OrderService.place(OrderService.java:42)",
        "    at com.example.OrderService.place(OrderService.java:42)",
        "at com.example.OrderService.place(OrderService.java:42)",
        "Caused by: java.net.SocketTimeoutException: Read timed out",
        "\tSuppressed: java.io.IOException: close failed",
        "\t... 12 more",
        "        ... 8 common frames omitted",
        "Traceback (most recent call last):",
        "  File \"/app/orders.py\", line 42, in place",
        "\t/usr/local/go/src/runtime/panic.go:838 +0x207",
    ];
    for line in yes {
        assert!(is_continuation(line), "{line:?}");
    }
    let no = [
        "",
        " INFO [main] c.e.App : Started App in 3.2 seconds",
        "at the moment the cache is cold",
        "2024-03-12 10:15:33.456 ERROR 4711 --- [main] c.e.App : boom",
        "java.lang.IllegalStateException: boom",
        "... and then it failed",
    ];
    for line in no {
        assert!(!is_continuation(line), "{line:?}");
    }
}
