#![cfg(not(target_arch = "wasm32"))]
//! `molap reproduce` at the tiny preset: the report and its files are written, the same seeds
//! give byte-identical CSV data, and bad flags fail with a message naming the problem.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_molap");

/// Runs `molap reproduce` with `args` in `dir`.
fn reproduce(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("reproduce")
        .args(args)
        .current_dir(dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the molap binary runs")
}

/// The tiny preset with two seeds into `out`, insisting it succeeds.
fn tiny(dir: &Path, out: &str) {
    let output = reproduce(dir, &["--preset", "tiny", "--seeds", "2", "--out", out]);
    assert!(
        output.status.success(),
        "reproduce failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The CSV files of a report directory, by name, sorted.
fn csv_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("results"))
        .expect("a results directory")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The report without its timing line.
fn report_without_timing(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("results.md")).expect("results.md");
    text.lines()
        .filter(|l| !l.starts_with("Timing"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn tiny_preset_writes_the_report_and_reruns_identically() {
    let dir = tempfile::tempdir().unwrap();
    tiny(dir.path(), "a");
    tiny(dir.path(), "b");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));

    let report = std::fs::read_to_string(a.join("results.md")).unwrap();
    for text in [
        "reproduce --preset tiny --seeds 2",
        "## Efficiency",
        "## Robustness",
        "## Generalisation",
        "## Which ingredient buys what",
        "wall clock on",
        "results/robustness.svg",
    ] {
        assert!(report.contains(text), "the report lacks {text:?}");
    }
    for svg in [
        "parameters",
        "learning",
        "performance",
        "robustness",
        "generalisation",
    ] {
        let text = std::fs::read_to_string(a.join(format!("results/{svg}.svg"))).unwrap();
        assert!(text.starts_with("<svg"), "{svg}.svg is not an SVG document");
    }

    let (first, second) = (csv_files(&a), csv_files(&b));
    assert_eq!(first.len(), 7, "expected seven CSV files");
    for ((name, x), (_, y)) in first.iter().zip(&second) {
        assert!(
            x == y,
            "{name} differs between two runs with the same seeds"
        );
    }
    let without_out = |s: String| s.replace("--out a", "").replace("--out b", "");
    assert_eq!(
        without_out(report_without_timing(&a)),
        without_out(report_without_timing(&b)),
        "the report differs beyond its timing line"
    );
}

#[test]
fn bad_flags_fail_with_a_message_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["--preset", "huge"], "huge"),
        (&["--seeds", "0"], "--seeds"),
        (&["--held-out", "nosuchtask"], "nosuchtask"),
        (&["--points", "1", "--plan"], "--points"),
        (&["--criterion", "1.5"], "--criterion"),
    ];
    for (args, expected) in cases {
        let out = reproduce(dir.path(), args);
        assert!(!out.status.success(), "{args:?} should have failed");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn plan_prints_the_estimate_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = reproduce(dir.path(), &["--preset", "standard", "--plan"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("estimated on"), "{stderr}");
    assert!(!dir.path().join("docs").exists());
}
