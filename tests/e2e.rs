//! End-to-end: the page built by Trunk, served on loopback, driven in real
//! headless Chromium. Needs `trunk build --release` first (scripts/test
//! does it); ignored by a plain `cargo test`.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::time::Duration;

use support::*;
use thirtyfour::prelude::*;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIX}/{name}")).unwrap()
}

async fn verdict_is(d: &WebDriver, v: &str) {
    wait_until(
        d,
        &format!("document.querySelector('#verdict[data-verdict=\"{v}\"]')"),
        &format!("verdict {v}"),
    )
    .await;
}

#[tokio::test]
#[ignore = "needs dist/ and Chromium: run by scripts/test"]
async fn page_end_to_end() {
    let server = StaticServer::start(dist(), "/", vec![]);
    let driver = chromedriver();
    let downloads = std::env::temp_dir().join(format!("imap-doctor-dl-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&downloads);
    std::fs::create_dir_all(&downloads).unwrap();
    let d = browser(&driver, &downloads).await;
    d.goto(server.url("/")).await.unwrap();
    wait_until(&d, "document.querySelector('#paste')", "the page").await;
    let loaded: i64 = d
        .execute(
            "return performance.getEntriesByType('resource').length;",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    screenshot(&d, "01-empty").await;

    // Paste a missing-intermediate s_client output.
    set_value(&d, "#paste", &fixture("missing-intermediate.txt")).await;
    verdict_is(&d, "missing-intermediate").await;
    let banner = text(&d, "#verdict").await;
    assert!(banner.contains("Java will reject this server: the intermediate certificate CN=Fixture TLS Issuing CA 1"), "{banner}");
    assert_eq!(
        text(&d, "#missing .missing-dn").await,
        "CN=Fixture TLS Issuing CA 1, O=Fixture Trust, C=US"
    );
    assert!(text(&d, "#missing")
        .await
        .contains("http://pki.fixture.test/issuing1.cer"));
    d.find(By::Css("[data-rule='chain.missing-intermediate']"))
        .await
        .unwrap();
    assert_eq!(
        d.find(By::Css("#host"))
            .await
            .unwrap()
            .attr("placeholder")
            .await
            .unwrap()
            .unwrap(),
        "mail.example.test (from the paste)"
    );
    screenshot(&d, "02-missing-intermediate").await;

    // The trust-store input turns the verdict to trusted.
    d.find(By::Css("details.more summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    set_value(
        &d,
        "#trust",
        &format!("{}{}", fixture("pki/root.pem"), fixture("pki/int.pem")),
    )
    .await;
    verdict_is(&d, "trusted").await;
    d.find(By::Css("[data-rule='chain.ok']")).await.unwrap();
    d.find(By::Css("[data-rule='chain.server-sends-incomplete-chain']"))
        .await
        .unwrap();
    screenshot(&d, "03-trusted-with-trust-store").await;

    // A keystore made by the JDK's keytool, dropped into the trust input.
    set_value(&d, "#trust", "").await;
    verdict_is(&d, "missing-intermediate").await;
    let ks_dir = std::env::temp_dir().join(format!("imap-doctor-e2e-ks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&ks_dir);
    std::fs::create_dir_all(&ks_dir).unwrap();
    let jks = ks_dir.join("trust.jks");
    for (alias, file) in [
        ("fixture-root", "pki/root.pem"),
        ("fixture-issuing", "pki/int.pem"),
    ] {
        let ok = std::process::Command::new("keytool")
            .args([
                "-importcert",
                "-noprompt",
                "-alias",
                alias,
                "-file",
                &format!("{FIX}/{file}"),
                "-keystore",
                jks.to_str().unwrap(),
                "-storetype",
                "JKS",
                "-storepass",
                "changeit",
            ])
            .output()
            .unwrap();
        assert!(ok.status.success());
    }
    d.find(By::Css("#trust-files"))
        .await
        .unwrap()
        .send_keys(jks.to_str().unwrap())
        .await
        .unwrap();
    verdict_is(&d, "trusted").await;
    assert!(text(&d, "#notices")
        .await
        .contains("Read a JKS keystore: 2 certificate(s)"));
    assert!(text(&d, "[data-rule='chain.ok']")
        .await
        .contains("alias fixture-"));
    screenshot(&d, "03b-trusted-with-jks").await;
    d.find(By::Css("#trust-files-list button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Drop a .der file instead of pasting (through the file input).
    set_value(&d, "#paste", "").await;
    set_value(&d, "#trust", "").await;
    wait_until(&d, "document.querySelector('#hint')", "the empty state").await;
    d.find(By::Css("#files"))
        .await
        .unwrap()
        .send_keys(format!("{FIX}/pki/leaf.der"))
        .await
        .unwrap();
    verdict_is(&d, "missing-intermediate").await;
    assert!(text(&d, "#server-files").await.contains("leaf.der"));

    // Download a certificate from its details panel.
    d.execute(
        "document.querySelector('details.cert .download-pem').click();",
        vec![],
    )
    .await
    .unwrap();
    let file = downloads.join("mail.example.test.pem");
    let mut waited = 0;
    while !file.exists() && waited < 100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    let pem = std::fs::read_to_string(&file).expect("the certificate was downloaded");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    assert_eq!(pem.trim(), fixture("pki/leaf.pem").trim());

    // The example menu.
    d.find(By::Css("#server-files button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let pick = |i: usize| {
        format!("const s = document.querySelector('#examples'); s.value = '{i}'; s.dispatchEvent(new Event('change', {{bubbles: true}}));")
    };
    d.execute(&pick(2), vec![]).await.unwrap();
    verdict_is(&d, "invalid").await;
    d.find(By::Css("[data-rule='chain.expired']"))
        .await
        .unwrap();
    screenshot(&d, "04-example-expired").await;
    d.execute(&pick(1), vec![]).await.unwrap();
    verdict_is(&d, "untrusted-root").await;
    d.find(By::Css("[data-rule='chain.untrusted-root']"))
        .await
        .unwrap();
    d.find(By::Css("#download-imports")).await.unwrap();
    screenshot(&d, "05-example-untrusted-root").await;
    d.execute(&pick(0), vec![]).await.unwrap();
    verdict_is(&d, "missing-intermediate").await;

    // No request after load, and none to another origin.
    let names: Vec<String> = d
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name);",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert_eq!(names.len() as i64, loaded, "requests after load: {names:?}");
    let origin = server.url("/");
    assert!(names.iter().all(|n| n.starts_with(&origin)), "{names:?}");

    d.quit().await.unwrap();
}
