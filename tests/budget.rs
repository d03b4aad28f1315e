//! Budget measurements, printed (never asserted: timing goals live in
//! benchmarks, not tests). Run by scripts/budget, which also checks the size.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::Path;

use support::*;
use thirtyfour::prelude::*;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

async fn analysis_ms(d: &WebDriver, paste: &str, trust: &str, expect: &str) -> f64 {
    d.execute("performance.clearMeasures('imap-doctor-analysis');", vec![])
        .await
        .unwrap();
    set_value(d, "#trust", trust).await;
    set_value(d, "#paste", paste).await;
    wait_until(d, &format!("document.querySelector('#verdict[data-verdict=\"{expect}\"]') && performance.getEntriesByName('imap-doctor-analysis').length"), expect).await;
    d.execute("const m = performance.getEntriesByName('imap-doctor-analysis'); return m[m.length - 1].duration;", vec![])
        .await
        .unwrap()
        .convert()
        .unwrap()
}

#[tokio::test]
#[ignore = "measurements for scripts/budget"]
async fn page_budgets() {
    let single = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist-single/imap-doctor.html");
    let url = format!("file://{}", single.display());
    let driver = chromedriver();
    let dl = std::env::temp_dir().join("imap-doctor-budget");
    std::fs::create_dir_all(&dl).unwrap();
    let d = browser(&driver, &dl).await;
    let full = std::fs::read_to_string(format!("{FIX}/full-chain.txt")).unwrap();
    let root = std::fs::read_to_string(format!("{FIX}/pki/root.pem")).unwrap();
    let mut store: String = imap_doctor_engine::x509::roots::public_roots()
        .iter()
        .map(|r| r.pem())
        .collect();
    store.push_str(&root);
    // Top up to 150 certificates with generated roots.
    let mut store_count = imap_doctor_engine::x509::roots::public_roots().len() + 1;
    while store_count < 150 {
        let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(
            rcgen::DnType::CommonName,
            format!("Filler Root {store_count}"),
        );
        p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        store.push_str(
            &p.self_signed(&rcgen::KeyPair::generate().unwrap())
                .unwrap()
                .pem(),
        );
        store_count += 1;
    }

    let (mut ready, mut small, mut big) = (vec![], vec![], vec![]);
    for _ in 0..5 {
        d.goto(&url).await.unwrap();
        wait_until(
            &d,
            "performance.getEntriesByName('imap-doctor-ready').length",
            "ready",
        )
        .await;
        ready.push(
            d.execute(
                "return performance.getEntriesByName('imap-doctor-ready')[0].startTime;",
                vec![],
            )
            .await
            .unwrap()
            .convert::<f64>()
            .unwrap(),
        );
        small.push(analysis_ms(&d, &full, &root, "trusted").await);
        set_value(&d, "#paste", "").await;
        big.push(analysis_ms(&d, &full, &store, "trusted").await);
    }
    println!(
        "budget: navigation to ready for input (single file, file://): {:.0} ms (median of 5)",
        median(ready)
    );
    println!(
        "budget: analyse a pasted 3-certificate chain: {:.1} ms",
        median(small)
    );
    println!(
        "budget: analyse with a {store_count}-certificate trust store: {:.1} ms",
        median(big)
    );
    d.quit().await.unwrap();
}
