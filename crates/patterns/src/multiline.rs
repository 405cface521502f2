//! Recognising the continuation lines of multi-line records, so a stack trace is
//! assigned the pattern of the log line that introduced it rather than mined frame by
//! frame. Drain itself (He et al., ICWS 2017) mines single lines; grouping them into
//! records first is the usual pre-step (Logstash's `multiline` codec, Fluent Bit's
//! `multiline.parser java`, Vector's `multiline` options).
//!
//! The test is stateless and deliberately narrow, so an ordinary log line is never
//! swallowed by the record before it. A line continues the previous record when it:
//!
//! - starts with a tab (Java and Go stack frames are tab-indented; log layouts pad with
//!   spaces, never tabs);
//! - is a Java stack frame, `at com.example.Foo.bar(Foo.java:42)`, indented with
//!   spaces or not indented at all (some shippers strip the tab);
//! - starts (after indentation) with `Caused by: ` or `Suppressed: `;
//! - is a Java elision line, `... 12 more` or `... 8 common frames omitted`;
//! - is a Python traceback header, `Traceback (most recent call last):`, or an indented
//!   frame, `  File "app.py", line 3, in main`.

/// Whether `line` continues the record of the line before it (see the module docs).
///
/// ```
/// use apitriage_patterns::is_continuation;
/// assert!(is_continuation("\tat com.example.OrderService.place(OrderService.java:42)"));
/// assert!(is_continuation("Caused by: java.net.SocketTimeoutException: Read timed out"));
/// assert!(is_continuation("\t... 12 more"));
/// assert!(!is_continuation("2024-03-12 10:15:33.456 ERROR 4711 --- [main] c.e.App : boom"));
/// ```
pub fn is_continuation(line: &str) -> bool {
    if line.starts_with('\t') {
        return true;
    }
    let indented = line.starts_with(' ');
    let text = line.trim_start();
    if let Some(frame) = text.strip_prefix("at ") {
        return indented || (frame.contains('(') && frame.trim_end().ends_with(')'));
    }
    if text.starts_with("Caused by: ") || text.starts_with("Suppressed: ") {
        return true;
    }
    if text.starts_with("... ") {
        let end = text.trim_end();
        return end.ends_with(" more") || end.ends_with(" common frames omitted");
    }
    text.trim_end() == "Traceback (most recent call last):"
        || (indented && text.starts_with("File \""))
}
