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

/// The host page of a docs site: the tool in a frame, sized by its messages.
fn host_page(src: &str) -> String {
    format!(
        r#"<!doctype html><html><head><title>Docs</title></head><body style="background:#fff"><h1>Our docs</h1>
<iframe id="tool" title="imap-doctor" src="{src}" style="width:100%;height:300px;border:0"></iframe>
<script>window.__posts = 0; addEventListener('message', (e) => {{ if (e.data && e.data.type === 'imap-doctor:height') {{ window.__posts++; window.__h = e.data.height; document.getElementById('tool').style.height = e.data.height + 'px'; }} }});</script>
</body></html>"#
    )
}

async fn frame_background(d: &WebDriver) -> String {
    d.execute(
        "return getComputedStyle(document.body).backgroundColor + ' ' + document.documentElement.dataset.theme;",
        vec![],
    )
    .await
    .unwrap()
    .convert()
    .unwrap()
}

#[tokio::test]
#[ignore = "needs dist/ and Chromium: run by scripts/test"]
async fn embedded_frame_grows_and_keeps_the_host_theme() {
    let server = StaticServer::start(
        dist(),
        "/tool/",
        vec![
            ("/plain.html".into(), host_page("/tool/?embed")),
            ("/dark.html".into(), host_page("/tool/?embed&theme=dark")),
        ],
    );
    let driver = chromedriver();
    let dl = std::env::temp_dir().join("imap-doctor-embed");
    std::fs::create_dir_all(&dl).unwrap();
    let d = browser(&driver, &dl).await;
    // The visitor's system is in dark mode.
    d.cdp()
        .send_raw(
            "Emulation.setEmulatedMedia",
            serde_json::json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}),
        )
        .await
        .unwrap();

    // On its own the page follows the system: dark.
    d.goto(server.url("/tool/")).await.unwrap();
    wait_until(&d, "document.querySelector('#paste')", "the page").await;
    let own = frame_background(&d).await;
    assert!(
        own.ends_with("auto") && own.starts_with("rgb(17, 20, 24)"),
        "{own}"
    );

    // In a light docs page's frame it stays light unless asked.
    d.goto(server.url("/plain.html")).await.unwrap();
    let frame = d.find(By::Id("tool")).await.unwrap();
    frame.clone().enter_frame().await.unwrap();
    paste_and_expect(&d, "missing-intermediate").await;
    let framed = frame_background(&d).await;
    assert!(
        framed.ends_with("light") && framed.starts_with("rgb(245, 246, 248)"),
        "{framed}"
    );
    d.enter_default_frame().await.unwrap();
    wait_until(&d, "window.__h > 300", "the frame reporting its height").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let (before, posts): (f64, i64) = d
        .execute("return [window.__h, window.__posts];", vec![])
        .await
        .unwrap()
        .convert()
        .unwrap();
    screenshot(&d, "12-iframe-light-on-dark-system").await;

    // Opening a certificate panel changes no analysis, yet the frame grows.
    frame.clone().enter_frame().await.unwrap();
    d.find(By::Css("details.cert summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.enter_default_frame().await.unwrap();
    wait_until(
        &d,
        &format!("window.__h > {before} + 100 && window.__posts > {posts}"),
        "the frame growing with the panel",
    )
    .await;
    // The frame follows its content: the last height posted may trail a
    // layout that is still settling (fonts, a wrapped line), so both are
    // read until they agree, for up to five seconds.
    let (mut frame_height, mut inner): (f64, f64) = (0.0, -10.0);
    for _ in 0..50 {
        frame_height = d
            .execute(
                "return document.getElementById('tool').getBoundingClientRect().height;",
                vec![],
            )
            .await
            .unwrap()
            .convert()
            .unwrap();
        frame.clone().enter_frame().await.unwrap();
        inner = d
            .execute(
                "return document.body.getBoundingClientRect().height;",
                vec![],
            )
            .await
            .unwrap()
            .convert()
            .unwrap();
        d.enter_default_frame().await.unwrap();
        if (frame_height - inner).abs() <= 2.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        (frame_height - inner).abs() <= 2.0,
        "frame {frame_height}px, content {inner}px"
    );

    // ?theme=dark in the frame is dark.
    d.goto(server.url("/dark.html")).await.unwrap();
    let frame = d.find(By::Id("tool")).await.unwrap();
    frame.enter_frame().await.unwrap();
    wait_until(&d, "document.querySelector('#paste')", "the framed page").await;
    let dark = frame_background(&d).await;
    assert!(
        dark.ends_with("dark") && dark.starts_with("rgb(17, 20, 24)"),
        "{dark}"
    );
    d.enter_default_frame().await.unwrap();
    screenshot(&d, "13-iframe-theme-dark").await;
    d.quit().await.unwrap();
}
