//! The page offline and embedded: the single-file build opened from disk
//! with no server, the same after the browser's "Save page as", the normal
//! build under a sub-path, and inside another page's iframe.
//! Needs `scripts/single-file` first (scripts/test does it).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::Path;

use support::*;
use thirtyfour::prelude::*;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIX}/{name}")).unwrap()
}

async fn paste_and_expect(d: &WebDriver, verdict: &str) {
    wait_until(d, "document.querySelector('#paste')", "the page").await;
    set_value(d, "#paste", &fixture("missing-intermediate.txt")).await;
    wait_until(
        d,
        &format!("document.querySelector('#verdict[data-verdict=\"{verdict}\"]')"),
        verdict,
    )
    .await;
}

async fn resources(d: &WebDriver) -> Vec<String> {
    d.execute(
        "return performance.getEntriesByType('resource').map(e => e.name);",
        vec![],
    )
    .await
    .unwrap()
    .convert()
    .unwrap()
}

#[tokio::test]
#[ignore = "needs dist-single/ and Chromium: run by scripts/test"]
async fn single_file_from_disk_and_after_save_page_as() {
    let single = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist-single/imap-doctor.html");
    assert!(single.exists(), "build it first: scripts/single-file");
    let driver = chromedriver();
    let dl = std::env::temp_dir().join("imap-doctor-offline");
    std::fs::create_dir_all(&dl).unwrap();
    let d = browser(&driver, &dl).await;

    // No server runs: file:// only.
    d.goto(format!("file://{}", single.display()))
        .await
        .unwrap();
    paste_and_expect(&d, "missing-intermediate").await;
    assert!(text(&d, "#missing .missing-dn")
        .await
        .contains("Fixture TLS Issuing CA 1"));
    let r = resources(&d).await;
    assert!(r.is_empty(), "the single file made requests: {r:?}");
    screenshot(&d, "10-single-file").await;

    // "Save page as" (complete) saves the live DOM with the script; reopen it.
    let saved: String = d
        .execute(
            "return '<!doctype html>\\n' + document.documentElement.outerHTML;",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    let saved_path = dl.join("saved.html");
    std::fs::write(&saved_path, saved).unwrap();
    d.goto(format!("file://{}", saved_path.display()))
        .await
        .unwrap();
    wait_until(
        &d,
        "document.querySelectorAll('#paste').length === 1 && !document.querySelector('#verdict')",
        "a fresh page",
    )
    .await;
    paste_and_expect(&d, "missing-intermediate").await;
    assert_eq!(d.find_all(By::Css("#paste")).await.unwrap().len(), 1);
    assert!(resources(&d).await.is_empty());
    d.quit().await.unwrap();
}

#[tokio::test]
#[ignore = "needs dist/ and Chromium: run by scripts/test"]
async fn dist_under_a_sub_path_and_in_an_iframe() {
    let host = r#"<!doctype html><html><head><title>Docs</title></head><body><h1>Our docs</h1>
<iframe id="tool" title="imap-doctor" src="/docs/tools/imap/?embed" style="width:100%;height:600px;border:0"></iframe>
<script>addEventListener('message', (e) => { if (e.data && e.data.type === 'imap-doctor:height') { window.__h = e.data.height; document.getElementById('tool').style.height = e.data.height + 'px'; } });</script>
</body></html>"#;
    let server = StaticServer::start(
        dist(),
        "/docs/tools/imap/",
        vec![("/host.html".into(), host.into())],
    );
    let driver = chromedriver();
    let dl = std::env::temp_dir().join("imap-doctor-subpath");
    std::fs::create_dir_all(&dl).unwrap();
    let d = browser(&driver, &dl).await;

    d.goto(server.url("/docs/tools/imap/")).await.unwrap();
    paste_and_expect(&d, "missing-intermediate").await;
    let origin = server.url("/docs/tools/imap/");
    let r = resources(&d).await;
    assert!(r.iter().all(|n| n.starts_with(&origin)), "{r:?}");

    d.goto(server.url("/host.html")).await.unwrap();
    let frame = d.find(By::Id("tool")).await.unwrap();
    frame.enter_frame().await.unwrap();
    paste_and_expect(&d, "missing-intermediate").await;
    let embed: bool = d.execute("return document.body.classList.contains('embed') && getComputedStyle(document.querySelector('.top')).display === 'none';", vec![]).await.unwrap().convert().unwrap();
    assert!(embed, "the compact embedded look is on");
    d.enter_default_frame().await.unwrap();
    wait_until(&d, "window.__h > 600", "the frame reporting its height").await;
    screenshot(&d, "11-iframe").await;
    d.quit().await.unwrap();
}
