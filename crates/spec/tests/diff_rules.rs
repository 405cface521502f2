//! One pair of small documents per diff rule (tests/fixtures/rules/<case>/), each with the
//! exact list of changes it must produce: severity, rule id, operation and location.
//! Exact, so that a rule that starts firing where it should not fails here too.

use apitriage_spec::diff::RULE_IDS;
use apitriage_spec::{diff, Change, Spec, Verdict};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(rules_dir())
        .expect("fixtures/rules exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn normalise(line: &str) -> String {
    line.split('|')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" | ")
}

fn line(c: &Change) -> String {
    let op = if c.method.is_empty() {
        c.path.clone()
    } else {
        format!("{} {}", c.method, c.path)
    };
    normalise(&format!(
        "{} | {} | {} | {}",
        c.severity, c.id, op, c.location
    ))
}

fn expected(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("expect.txt")).expect("expect.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(normalise)
        .collect()
}

fn load(dir: &Path, name: &str) -> Spec {
    Spec::load(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_rule_fixture_reports_exactly_its_expected_changes() {
    let mut failures = Vec::new();
    for dir in cases() {
        let report = diff(&load(&dir, "old.yaml"), &load(&dir, "new.yaml"));
        let mut got: Vec<String> = report.changes.iter().map(line).collect();
        let mut want = expected(&dir);
        got.sort();
        want.sort();
        if got != want {
            failures.push(format!(
                "{}:\n  want {want:#?}\n  got  {got:#?}\n  details {:#?}",
                dir.display(),
                report.changes.iter().map(|c| &c.detail).collect::<Vec<_>>()
            ));
        }
        let breaking = want.iter().any(|l| l.starts_with("breaking"));
        let verdict = match (want.is_empty(), breaking) {
            (true, _) => Verdict::Unchanged,
            (false, true) => Verdict::Breaking,
            (false, false) => Verdict::Compatible,
        };
        assert_eq!(report.verdict, verdict, "{}", dir.display());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_id_has_a_fixture() {
    let covered: BTreeSet<String> = cases()
        .iter()
        .flat_map(|d| expected(d))
        .filter_map(|l| l.split(" | ").nth(1).map(str::to_string))
        .collect();
    let missing: Vec<&&str> = RULE_IDS
        .iter()
        // Only reachable past the step budget; covered by a unit test in src/diff.
        .filter(|id| **id != "diff-truncated")
        .filter(|id| !covered.contains(**id))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
    for id in &covered {
        assert!(
            RULE_IDS.contains(&id.as_str()),
            "unknown rule id {id} in a fixture"
        );
    }
}

#[test]
fn a_document_compared_with_itself_is_unchanged() {
    for dir in cases() {
        for name in ["old.yaml", "new.yaml"] {
            let spec = load(&dir, name);
            let report = diff(&spec, &spec);
            assert_eq!(
                report.verdict,
                Verdict::Unchanged,
                "{}/{name}",
                dir.display()
            );
        }
    }
}
