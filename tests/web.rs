//! Component tests of the page in headless Chromium (wasm-bindgen-test),
//! and the engine itself running as WebAssembly.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A missing-intermediate chain: a leaf whose issuer is not anywhere.
const LEAF_ONLY: &str = include_str!("fixtures/missing-intermediate.txt");

#[wasm_bindgen_test]
fn engine_runs_in_the_browser() {
    use imap_doctor::{analyze, Input, Options, Verdict};
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: LEAF_ONLY.as_bytes(),
        }],
        &[],
        &Options {
            at: imap_doctor::analyze::parse_time("2027-01-01T00:00:00Z").unwrap(),
            host: None,
            public_roots: true,
        },
    );
    assert_eq!(r.verdict, Verdict::MissingIntermediate);
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule.id() == "chain.missing-intermediate"));
}
