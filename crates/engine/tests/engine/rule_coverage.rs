//! Every rule id is produced by at least one test: its id (or its `Rule::`
//! variant) appears in a test that asserts it, or in the corpus manifest's
//! expected findings. Ids no test produces yet are listed, with why, in
//! `tests/rules-without-a-test.txt`; the list may only shrink.

use std::path::{Path, PathBuf};

use imap_doctor_engine::Rule;

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The Rust files under `dir`; with `tests_only`, only the part of each
/// file after its `#[cfg(test)]` (the unit tests inside a source file).
fn collect(dir: &Path, tests_only: bool, out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, tests_only, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            if !tests_only {
                out.push_str(&text);
            } else if let Some(i) = text.find("#[cfg(test)]") {
                out.push_str(&text[i..]);
            }
        }
    }
}

#[test]
fn every_rule_is_produced_by_a_test() {
    let mut tests = String::new();
    for d in [
        "crates/engine/tests",
        "crates/cli/tests",
        "crates/probe/tests",
        "tests",
    ] {
        collect(&root().join(d), false, &mut tests);
    }
    // Unit tests inside the sources (`#[cfg(test)] mod tests`).
    for d in ["crates/engine/src", "crates/probe/src"] {
        collect(&root().join(d), true, &mut tests);
    }
    let manifest = std::fs::read_to_string(root().join("tests/corpus/manifest.toml")).unwrap();
    let expected: String = manifest
        .lines()
        .filter(|l| l.starts_with("expected"))
        .collect::<Vec<_>>()
        .join("\n");
    let allowed =
        std::fs::read_to_string(root().join("tests/rules-without-a-test.txt")).unwrap_or_default();
    let allowed: Vec<&str> = allowed
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut missing = Vec::new();
    let mut stale = Vec::new();
    for r in Rule::ALL {
        let id = r.id();
        let variant = format!("Rule::{:?}", r);
        let quoted = format!("\"{id}\"");
        let produced =
            tests.contains(&quoted) || tests.contains(&variant) || expected.contains(&quoted);
        match (produced, allowed.contains(&id)) {
            (false, false) => missing.push(id),
            (true, true) => stale.push(id),
            _ => {}
        }
    }
    assert!(missing.is_empty(), "rules no test produces: {missing:?}");
    assert!(
        stale.is_empty(),
        "now tested, remove from tests/rules-without-a-test.txt: {stale:?}"
    );
}
