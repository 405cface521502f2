//! The HTML report in a real headless browser (Debian's chromium, installed by
//! .ci/run): it renders the verdict and the charts, and telemetry carrying script, SVG
//! and event-handler probes stays inert text. Skips, saying so, where no chromium is
//! installed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn dump_dom(browser: &Path, page: &Path, profile: &Path) -> (String, String) {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn html_report_renders_and_hostile_strings_stay_inert() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no chromium installed (apt-get install chromium)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("apitriage-browser-{}", std::process::id()));
    let bundle = dir.join("bundle");
    std::fs::create_dir_all(&bundle).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for f in std::fs::read_dir(root.join("examples/checkout-timeouts")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, bundle.join(f.file_name().unwrap())).unwrap();
    }
    // Probes in a deploy note, in an error log with a stack-trace-like body, and in
    // the captured response.
    let probe = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\"></svg><a href=\"javascript:alert(1)\">x</a>\u{1b}[2J\u{0}\u{202e}";
    let change = serde_json::json!({"time": "2025-05-03T16:10:00Z", "kind": "deploy", "service": probe, "version": probe, "description": probe});
    std::fs::write(bundle.join("changes.jsonl"), format!("{change}\n")).unwrap();
    let page = dir.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_apitriage"))
        .args([
            "triage",
            bundle.to_str().unwrap(),
            "--format",
            "html",
            "-o",
            page.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("&lt;script&gt;"),
        "the probe is in the report, escaped"
    );
    let (dom, log) = dump_dom(&browser, &page, &dir.join("profile"));
    std::fs::remove_dir_all(&dir).ok();
    assert!(dom.contains("id=\"verdict\""), "verdict present");
    assert!(
        dom.contains("id=\"charts\"") && dom.matches("<polyline").count() >= 3,
        "charts present"
    );
    assert!(!dom.contains("<title>pwned</title>"), "a probe ran");
    assert!(
        !dom.contains("<script"),
        "a script element made it into the DOM"
    );
    assert!(
        !dom.contains("<img"),
        "an injected element made it into the DOM"
    );
    assert!(!log.contains("CONSOLE"), "console messages:\n{log}");
    assert!(
        !dom.contains("javascript:alert(1)\">"),
        "a live javascript: link"
    );
    assert!(
        !dom.contains('\u{1b}') && !dom.contains('\u{0}') && !dom.contains('\u{202e}'),
        "control characters reached the page"
    );
    assert!(
        dom.contains("&lt;script&gt;document.title"),
        "the probe shows as text"
    );
}
