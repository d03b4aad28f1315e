//! Component tests of the page in headless Chromium (wasm-bindgen-test),
//! and the engine itself running as WebAssembly.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A missing-intermediate chain: a leaf whose issuer is not anywhere.
const LEAF_ONLY: &str = include_str!("fixtures/missing-intermediate.txt");

#[wasm_bindgen_test]
fn engine_runs_in_the_browser() {
    use imap_doctor_engine::{analyze, Input, Options, Verdict};
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: LEAF_ONLY.as_bytes(),
        }],
        &[],
        &Options {
            at: imap_doctor_engine::diagnose::parse_time("2027-01-01T00:00:00Z").unwrap(),
            host: None,
            public_roots: true,
            ..Default::default()
        },
    );
    assert_eq!(r.verdict, Verdict::MissingIntermediate);
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule.id() == "chain.missing-intermediate"));
}

/// Waits (polling) until `selector` exists under `root`, up to ~5 s.
async fn wait_for(root: &web_sys::Element, selector: &str) -> web_sys::Element {
    for _ in 0..100 {
        if let Ok(Some(e)) = root.query_selector(selector) {
            return e;
        }
        gloo::timers::future::TimeoutFuture::new(50).await;
    }
    panic!("{selector} never appeared; page: {}", root.inner_html());
}

#[wasm_bindgen_test]
async fn pasting_a_chain_shows_verdict_missing_card_and_finding() {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<imap_doctor_web::App>::with_root(root.clone()).render();

    let area: web_sys::HtmlTextAreaElement = wait_for(&root, "#paste").await.dyn_into().unwrap();
    area.set_value(LEAF_ONLY);
    let ev = web_sys::InputEvent::new("input").unwrap();
    area.dispatch_event(&ev).unwrap();

    let verdict = wait_for(&root, "#verdict").await;
    assert_eq!(
        verdict.get_attribute("data-verdict").as_deref(),
        Some("missing-intermediate")
    );
    assert!(verdict
        .text_content()
        .unwrap()
        .contains("Fixture TLS Issuing CA 1"));
    let missing = wait_for(&root, "#missing .missing-dn").await;
    assert_eq!(
        missing.text_content().unwrap(),
        "CN=Fixture TLS Issuing CA 1, O=Fixture Trust, C=US"
    );
    wait_for(&root, "[data-rule='chain.missing-intermediate']").await;
}

#[wasm_bindgen_test]
fn signatures_verify_in_the_browser() {
    // ECDSA P-256 (leaf by intermediate) and P-384 (intermediate by root).
    use imap_doctor_engine::{analyze, Input, Options, Verdict};
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: include_bytes!("fixtures/full-chain.txt"),
        }],
        &[Input {
            name: "trust",
            bytes: include_bytes!("fixtures/pki/root.pem"),
        }],
        &Options {
            at: imap_doctor_engine::diagnose::parse_time("2030-01-01T00:00:00Z").unwrap(),
            host: None,
            public_roots: false,
            ..Default::default()
        },
    );
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    assert_eq!(r.path.len(), 3);
}

/// The worker hands reports over in the page's own encoding: every kind of
/// report comes back the same (compared as the engine's JSON, which the
/// page itself never needs).
#[wasm_bindgen_test]
fn reports_cross_from_the_worker_unchanged() {
    use imap_doctor_engine::{analyze, Input, Options};
    let cases: [(&str, &str); 6] = [
        (LEAF_ONLY, ""),
        (
            include_str!("fixtures/full-chain.txt"),
            include_str!("fixtures/pki/root.pem"),
        ),
        (include_str!("fixtures/untrusted-root.txt"), ""),
        (include_str!("fixtures/expired.txt"), ""),
        (include_str!("fixtures/openssl-1.1.1-starttls.txt"), ""),
        (
            include_str!("corpus/texts/139-msal4j-aadsts7000222-java.txt"),
            "",
        ),
    ];
    for (paste, trust) in cases {
        let trust_in = [Input {
            name: "trust",
            bytes: trust.as_bytes(),
        }];
        let r = analyze(
            &[Input {
                name: "paste",
                bytes: paste.as_bytes(),
            }],
            if trust.is_empty() { &[] } else { &trust_in },
            &Options {
                at: imap_doctor_engine::diagnose::parse_time("2027-01-01T00:00:00Z").unwrap(),
                ..Default::default()
            },
        );
        let bytes = imap_doctor_web::codec::encode(&r);
        let back = imap_doctor_web::codec::decode(&bytes).expect("decodes");
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            serde_json::to_string(&r).unwrap()
        );
        // Cut short, it is refused rather than half-read.
        assert!(imap_doctor_web::codec::decode(&bytes[..bytes.len() - 1]).is_none());
    }
}
