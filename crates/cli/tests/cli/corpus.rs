//! The real-text corpus (`tests/corpus/`) through the `imap-doctor`
//! binary, as an admin would run it: `imap-doctor analyze FILE --json`.
//! Texts answered right by the engine (those not in `known-failures.txt`)
//! must be answered the same way by the command line, with exit code 1
//! when the answer is an error.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_imap-doctor");

#[derive(serde::Deserialize)]
struct Manifest {
    text: Vec<Entry>,
}

#[derive(serde::Deserialize)]
struct Entry {
    file: String,
    expected: Vec<String>,
    wrong: Vec<String>,
    at: Option<String>,
    java: Option<String>,
}

fn corpus() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus"))
}

#[test]
fn the_command_line_answers_the_corpus() {
    let manifest: Manifest =
        toml::from_str(&std::fs::read_to_string(corpus().join("manifest.toml")).unwrap()).unwrap();
    let known: BTreeSet<String> = std::fs::read_to_string(corpus().join("known-failures.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    let mut failures = Vec::new();
    let mut checked = 0;
    for e in manifest.text.iter().filter(|e| !known.contains(&e.file)) {
        let out = Command::new(BIN)
            .arg("analyze")
            .arg(corpus().join("texts").join(&e.file))
            .args([
                "--json",
                "--at",
                e.at.as_deref().unwrap_or("2026-11-26T00:00:00Z"),
                "--java",
                e.java.as_deref().unwrap_or("17"),
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = match serde_json::from_slice(&out.stdout) {
            Ok(v) => v,
            Err(err) => {
                failures.push(format!(
                    "{}: no JSON ({err}): {}",
                    e.file,
                    String::from_utf8_lossy(&out.stderr)
                ));
                continue;
            }
        };
        checked += 1;
        let ids: BTreeSet<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect();
        for x in &e.expected {
            if !ids.contains(x) {
                failures.push(format!("{}: missing {x}", e.file));
            }
        }
        for w in &e.wrong {
            if ids.contains(w) {
                failures.push(format!("{}: wrong {w}", e.file));
            }
        }
        let has_error = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "error");
        let code = out.status.code();
        if has_error && code != Some(1) {
            failures.push(format!("{}: an error finding but exit {code:?}", e.file));
        }
        // The headline is in the JSON and names a cause that is not a wrong one.
        if let Some(rule) = v["headline"]["rule"].as_str() {
            if e.wrong.iter().any(|w| w == rule) {
                failures.push(format!("{}: headline names {rule}", e.file));
            }
        }
    }
    assert!(checked >= 100, "only {checked} texts were checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
