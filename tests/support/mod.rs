//! End-to-end support: a static file server on loopback and a headless
//! Chromium driven through Debian's chromedriver (nothing is downloaded).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

/// Serves `root` on 127.0.0.1 under the URL prefix `prefix` (e.g. "/" or
/// "/docs/tools/imap/"). Extra pages can be given as (path, html).
pub struct StaticServer {
    pub port: u16,
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        _ => "application/octet-stream",
    }
}

impl StaticServer {
    pub fn start(
        root: PathBuf,
        prefix: &'static str,
        extra: Vec<(String, String)>,
    ) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                let extra = extra.clone();
                std::thread::spawn(move || serve(stream, &root, prefix, &extra));
            }
        });
        StaticServer { port }
    }
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }
}

fn serve(mut stream: TcpStream, root: &Path, prefix: &str, extra: &[(String, String)]) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
    }
    let path = line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split('?')
        .next()
        .unwrap_or("/")
        .to_string();
    let (status, ctype, body) = if let Some((_, html)) = extra.iter().find(|(p, _)| *p == path) {
        (
            "200 OK",
            "text/html; charset=utf-8",
            html.clone().into_bytes(),
        )
    } else if let Some(rel) = path.strip_prefix(prefix) {
        let rel = if rel.is_empty() { "index.html" } else { rel };
        let file = root.join(rel);
        match (rel.contains(".."), std::fs::read(&file)) {
            (false, Ok(b)) => ("200 OK", content_type(&file), b),
            _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
        }
    } else {
        ("404 Not Found", "text/plain", b"not found".to_vec())
    };
    let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    let _ = stream.write_all(&body);
}

/// chromedriver on a free loopback port; killed on drop.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn chromedriver() -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver (Debian package chromium-driver) must be installed");
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Driver { child, port }
}

/// A headless Chromium session whose downloads land in `downloads`.
pub async fn browser(driver: &Driver, downloads: &Path) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary("/usr/bin/chromium").unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--window-size=1280,1000",
    ] {
        caps.add_arg(arg).unwrap();
    }
    caps.add_experimental_option(
        "prefs",
        serde_json::json!({
            "download.default_directory": downloads.to_str().unwrap(),
            "download.prompt_for_download": false,
        }),
    )
    .unwrap();
    WebDriver::new(&format!("http://127.0.0.1:{}", driver.port), caps)
        .await
        .unwrap()
}

/// Sets a textarea's or input's value and fires `input`, as typing would.
pub async fn set_value(d: &WebDriver, selector: &str, value: &str) {
    d.execute(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![serde_json::json!(selector), serde_json::json!(value)],
    )
    .await
    .unwrap();
}

/// Waits until `js` (an expression) is truthy, up to 15 s.
pub async fn wait_until(d: &WebDriver, js: &str, what: &str) {
    let start = Instant::now();
    loop {
        let r = d
            .execute(&format!("return !!({js});"), vec![])
            .await
            .unwrap();
        if r.json().as_bool() == Some(true) {
            return;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let html = d.source().await.unwrap_or_default();
            panic!(
                "timed out waiting for {what}; page: {}",
                &html[..html.len().min(3000)]
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn text(d: &WebDriver, selector: &str) -> String {
    d.find(By::Css(selector))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves a screenshot, scrolled to the verdict when there is one.
pub async fn screenshot(d: &WebDriver, name: &str) {
    let _ = d
        .execute("const v = document.querySelector('#verdict'); if (v) v.scrollIntoView({block: 'start'});", vec![])
        .await;
    d.screenshot(&artifacts().join(format!("{name}.png")))
        .await
        .unwrap();
}

pub fn dist() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    assert!(
        dir.join("index.html").exists(),
        "build the page first: trunk build --release"
    );
    dir
}

/// Pastes `value` into a textarea or input as the browser does for Ctrl+V:
/// an `input` event whose inputType is `insertFromPaste`.
pub async fn paste(d: &WebDriver, selector: &str, value: &str) {
    d.execute(
        "const e = document.querySelector(arguments[0]); e.focus(); e.value = arguments[1]; e.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));",
        vec![serde_json::json!(selector), serde_json::json!(value)],
    )
    .await
    .unwrap();
}

/// Resizes the window so the page's viewport is `width` CSS pixels wide
/// (the outer window has borders on some platforms; headless has none).
pub async fn viewport(d: &WebDriver, width: u32, height: u32) {
    d.set_window_rect(0, 0, width, height).await.unwrap();
    let inner: i64 = d
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap()
        .convert()
        .unwrap();
    if inner != width as i64 {
        let outer = width as i64 + (width as i64 - inner);
        d.set_window_rect(0, 0, outer as u32, height).await.unwrap();
    }
}

/// Runs axe-core (injected from node_modules, nothing fetched) on the
/// current document and fails on any violation, naming rule and nodes.
pub async fn axe(d: &WebDriver, state: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    let src = std::fs::read_to_string(&path)
        .expect("axe-core is installed: npm install --no-audit --no-fund");
    d.execute(&src, vec![]).await.unwrap();
    let found: Vec<String> = d
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document, {resultTypes: ['violations']})
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
                   v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(found.is_empty(), "axe-core, {state}: {found:#?}");
}

/// Screenshots at a phone, a tablet and a laptop width, light and dark
/// (the theme switched in place, as `?theme=` would set it), scrolled to
/// `anchor` when given. Returns the window to 1280×1000.
pub async fn shots(d: &WebDriver, name: &str, anchor: Option<&str>) {
    for (w, h) in [(390, 844), (820, 1000), (1366, 900)] {
        viewport(d, w, h).await;
        for theme in ["light", "dark"] {
            d.execute(
                "document.documentElement.setAttribute('data-theme', arguments[0]);",
                vec![serde_json::json!(theme)],
            )
            .await
            .unwrap();
            if let Some(a) = anchor {
                d.execute(
                    "const v = document.querySelector(arguments[0]); if (v) v.scrollIntoView({block: 'start'}); else window.scrollTo(0, 0);",
                    vec![serde_json::json!(a)],
                )
                .await
                .unwrap();
            } else {
                d.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
            d.screenshot(&artifacts().join(format!("{name}-{w}-{theme}.png")))
                .await
                .unwrap();
        }
    }
    d.execute(
        "document.documentElement.setAttribute('data-theme', 'auto');",
        vec![],
    )
    .await
    .unwrap();
    d.set_window_rect(0, 0, 1280, 1000).await.unwrap();
}

/// The built page (`dist/`) served on loopback, open in headless Chromium
/// whose downloads land in a fresh directory of the test's own. Fields drop
/// in order: the browser session, then chromedriver, then the server.
pub struct Session {
    pub d: WebDriver,
    _driver: Driver,
    pub server: StaticServer,
    pub downloads: PathBuf,
}

impl Session {
    /// Opens the page and waits until it is ready for input; `tag` names
    /// the downloads directory.
    pub async fn open(tag: &str) -> Session {
        let server = StaticServer::start(dist(), "/", vec![]);
        let driver = chromedriver();
        let downloads =
            std::env::temp_dir().join(format!("imap-doctor-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&downloads);
        std::fs::create_dir_all(&downloads).unwrap();
        let d = browser(&driver, &downloads).await;
        d.goto(server.url("/")).await.unwrap();
        wait_until(&d, "document.querySelector('#paste')", "the page").await;
        Session {
            d,
            _driver: driver,
            server,
            downloads,
        }
    }
}

impl Session {
    /// Ends the browser session (chromedriver and the server stop on drop).
    pub async fn quit(self) {
        self.d.quit().await.unwrap();
    }
}

/// The content of a file the browser downloads to `path`, once it is
/// complete: it exists, is not empty, and its size held for one poll
/// (Chromium may show the final name before the last write lands).
pub async fn downloaded(path: &Path) -> String {
    let start = Instant::now();
    let mut last = None;
    while start.elapsed() < Duration::from_secs(10) {
        let len = std::fs::metadata(path).map(|m| m.len()).ok();
        if len.is_some_and(|l| l > 0) && len == last {
            break;
        }
        last = len;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} was not downloaded: {e}", path.display()))
}
