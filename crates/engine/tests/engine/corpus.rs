//! The real-text corpus (`tests/corpus/`): pastes from public issue
//! trackers and forums, kept byte for byte with their source. Each must
//! produce every expected finding id and none of the wrong ones a naive
//! tool gives; the headline must not name a wrong cause.
//!
//! Texts the engine does not answer right yet are listed, each with what
//! is missing, in `tests/corpus/known-failures.txt`. The test fails when a
//! text outside that list fails (a regression) and when a listed text
//! passes (the list must shrink as the engine improves). The list is the
//! engine as the page builds it (without `all-roots`: only the newest
//! cacerts' roots): built with every root, as the command line is, a listed
//! text may be answered right, so only regressions count then.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use imap_doctor_engine::diagnose::parse_time;
use imap_doctor_engine::java::JavaRelease;
use imap_doctor_engine::{analyze, Input, Options};

#[derive(serde::Deserialize)]
struct Manifest {
    text: Vec<Entry>,
}

#[derive(serde::Deserialize)]
struct Entry {
    file: String,
    source: String,
    kind: String,
    expected: Vec<String>,
    wrong: Vec<String>,
    /// Analysis time, when the text's certificates make it matter.
    at: Option<String>,
    /// The archiver's Java release (`--java`), when the text's story is
    /// about a release other than the default (17, newest update).
    java: Option<String>,
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus"))
}

/// What went wrong with one text, empty when it is answered right.
fn judge(e: &Entry) -> Vec<String> {
    let bytes = std::fs::read(corpus_dir().join("texts").join(&e.file)).unwrap();
    let at = parse_time(e.at.as_deref().unwrap_or("2026-11-26T00:00:00Z")).unwrap();
    let java = e.java.as_deref().map(|j| JavaRelease::parse(j).unwrap());
    let r = analyze(
        &[Input {
            name: &e.file,
            bytes: &bytes,
        }],
        &[],
        &Options {
            at,
            java: java.map(|j| j.profile()).unwrap_or_default(),
            java_release: java,
            ..Options::default()
        },
    );
    let got: BTreeSet<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
    let mut problems = Vec::new();
    for x in &e.expected {
        if !got.contains(x.as_str()) {
            problems.push(format!("missing {x}"));
        }
    }
    for w in &e.wrong {
        if got.contains(w.as_str()) {
            problems.push(format!("wrong {w}"));
        }
    }
    if let Some(rule) = r.headline.rule {
        if e.wrong.iter().any(|w| w == rule.id()) {
            problems.push(format!("headline names the wrong cause {}", rule.id()));
        }
    }
    problems
}

fn known_failures() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(corpus_dir().join("known-failures.txt")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(' ') {
            Some((f, why)) => (f.to_string(), why.trim().to_string()),
            None => (l.trim().to_string(), String::new()),
        })
        .collect()
}

#[test]
fn every_text_gets_its_real_cause() {
    let manifest: Manifest =
        toml::from_str(&std::fs::read_to_string(corpus_dir().join("manifest.toml")).unwrap())
            .unwrap();
    assert!(
        manifest.text.len() >= 150,
        "the corpus holds {} texts",
        manifest.text.len()
    );
    let known = known_failures();
    let mut regressions = Vec::new();
    let mut fixed = Vec::new();
    let mut failing = 0;
    let mut now_failing = Vec::new();
    for e in &manifest.text {
        assert!(e.source.starts_with("https://"), "{}: no source", e.file);
        assert!(!e.kind.is_empty());
        let problems = judge(e);
        if !problems.is_empty() {
            failing += 1;
            now_failing.push(format!("{} {}", e.file, problems.join("; ")));
        }
        match (problems.is_empty(), known.contains_key(&e.file)) {
            (false, false) => regressions.push(format!("{}: {}", e.file, problems.join("; "))),
            (true, true) => fixed.push(e.file.clone()),
            _ => {}
        }
    }
    let page_build = !cfg!(feature = "all-roots");
    if page_build && std::env::var_os("CORPUS_WRITE_KNOWN").is_some() {
        let mut out = String::from("# Corpus texts the engine does not answer right yet (file, then what is wrong).\n# Regenerate with CORPUS_WRITE_KNOWN=1; the list may only shrink.\n");
        for l in &now_failing {
            out.push_str(l);
            out.push('\n');
        }
        std::fs::write(corpus_dir().join("known-failures.txt"), out).unwrap();
    }
    println!(
        "corpus: {} texts, {} answered right, {} known failures",
        manifest.text.len(),
        manifest.text.len() - failing,
        failing
    );
    assert!(
        regressions.is_empty(),
        "texts answered wrongly that were right:\n{}",
        regressions.join("\n")
    );
    if !page_build {
        println!(
            "with every root: {} listed text(s) answered right",
            fixed.len()
        );
        return;
    }
    assert!(
        fixed.is_empty(),
        "texts now answered right: remove them from known-failures.txt:\n{}",
        fixed.join("\n")
    );
}
