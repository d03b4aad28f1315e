//! End-to-end: the page built by Trunk, served on loopback, driven in real
//! headless Chromium. Needs `trunk build --release` first (scripts/test
//! does it); ignored by a plain `cargo test`. One browser at a time:
//! run with `--test-threads=1`.
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
    // Readable on a phone: nothing wider than the screen.
    d.set_window_rect(0, 0, 390, 844).await.unwrap();
    d.execute(
        "document.querySelector('#result').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    screenshot(&d, "06-phone").await;
    let overflow: bool = d
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth + 1;",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    if overflow {
        let wide: Vec<String> = d
            .execute("return [...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible').slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '/' + e.clientWidth);", vec![])
            .await
            .unwrap()
            .convert()
            .unwrap();
        panic!("the page is wider than a phone screen: {wide:?}");
    }
    d.set_window_rect(0, 0, 1280, 1000).await.unwrap();

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

#[tokio::test]
#[ignore = "needs dist/ and Chromium: run by scripts/test"]
async fn settings_checker_end_to_end() {
    use base64::Engine;
    let server = StaticServer::start(dist(), "/", vec![]);
    let driver = chromedriver();
    let downloads =
        std::env::temp_dir().join(format!("imap-doctor-dl-settings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&downloads);
    std::fs::create_dir_all(&downloads).unwrap();
    let d = browser(&driver, &downloads).await;
    d.goto(server.url("/")).await.unwrap();
    wait_until(&d, "document.querySelector('#tab-settings')", "the page").await;
    d.find(By::Id("tab-settings"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &d,
        "document.querySelector('#set-host')",
        "the settings form",
    )
    .await;

    const CLIENT: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    const APP_OBJ: &str = "99999999-8888-7777-6666-555555555555";
    const SECRET_ID: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    set_value(&d, "#set-host", "outlook.office365.com").await;
    set_value(&d, "#set-tenant", "contoso.onmicrosoft.com").await;
    set_value(&d, "#set-client_id", CLIENT).await;
    set_value(&d, "#set-app_object_id", APP_OBJ).await;
    set_value(&d, "#set-mailbox", "journal@contoso.com").await;
    // The classic D1 mistake: the App registration's Object ID.
    set_value(&d, "#set-object_id", APP_OBJ).await;
    wait_until(&d, "document.querySelector(\".field-finding[data-rule='oauth.object-id-is-app-registration']\")", "the D1 finding next to the field").await;
    let f = text(
        &d,
        ".field-finding[data-rule='oauth.object-id-is-app-registration']",
    )
    .await;
    assert!(f.contains("Enterprise Applications"), "{f}");
    assert!(
        f.contains(&format!("Remove-ServicePrincipal -Identity {APP_OBJ}")),
        "{f}"
    );
    let cmds = text(&d, "#settings").await;
    assert!(cmds.contains(&format!("New-ServicePrincipal -AppId {CLIENT} -ObjectId <Object ID from Enterprise Applications>")), "{cmds}");
    screenshot(&d, "20-settings-d1").await;

    // A token without IMAP.AccessAsApp.
    let enc = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap())
    };
    let token = format!(
        "{}.{}.c2ln",
        enc(serde_json::json!({"typ": "JWT", "alg": "RS256"})),
        enc(
            serde_json::json!({"aud": "https://outlook.office365.com", "appid": CLIENT, "roles": ["Mail.Read"], "exp": 4_000_000_000i64, "oid": "12345678-90ab-cdef-1234-567890abcdef"})
        )
    );
    set_value(&d, "#set-token", &token).await;
    wait_until(
        &d,
        "document.querySelector(\"[data-rule='oauth.token-missing-role']\")",
        "the token finding",
    )
    .await;
    assert!(text(&d, "#token-claims").await.contains("Mail.Read"));
    // With the token, the command uses the service principal id it names.
    assert!(text(&d, "#settings").await.contains("New-ServicePrincipal -AppId aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee -ObjectId 12345678-90ab-cdef-1234-567890abcdef"));

    // The Secret ID instead of the secret; the report holds no secret.
    set_value(&d, "#set-client_secret", SECRET_ID).await;
    wait_until(
        &d,
        "document.querySelector(\"[data-rule='oauth.secret-is-id']\")",
        "the secret finding",
    )
    .await;
    screenshot(&d, "21-settings-token").await;
    d.find(By::Id("save-settings-report"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let file = downloads.join("imap-doctor-settings.md");
    for _ in 0..100 {
        if file.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let md = std::fs::read_to_string(&file).expect("the settings report was downloaded");
    assert!(
        md.contains("oauth.secret-is-id") && md.contains("«redacted»"),
        "{md}"
    );
    assert!(
        !md.contains(SECRET_ID) && !md.contains(&token[..30]),
        "{md}"
    );

    // The host typed here feeds the certificate check's host-name rule.
    d.find(By::Id("tab-certs"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &d,
        "document.querySelector('#paste')",
        "the certificate view",
    )
    .await;
    set_value(&d, "#paste", &fixture("missing-intermediate.txt")).await;
    wait_until(
        &d,
        "document.querySelector(\"[data-rule='host.mismatch']\")",
        "host.mismatch from the settings host",
    )
    .await;
    assert!(text(&d, "[data-rule='host.mismatch']")
        .await
        .contains("outlook.office365.com"));
    d.quit().await.unwrap();
}
