//! Makes the single-file page: `dist/` (from `trunk build --release`) folded
//! into one self-contained HTML file with the styles, the JavaScript glue and
//! the WebAssembly (base64) inside. It works opened from disk (`file://`,
//! where Chromium refuses `fetch()`) and after the browser's "Save page as".
//!
//! Usage: cargo run --release --example single_file -- [DIST] [OUT]
//! (defaults: dist, dist-single/imap-doctor.html)

use std::path::PathBuf;

use base64::Engine;
use sha2::{Digest, Sha256};

fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| {
        format!(
            "cannot read {}: {e} (run trunk build --release first)",
            path.display()
        )
    })
}

fn csp_hash(s: &str) -> String {
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
    )
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let dist = PathBuf::from(args.next().unwrap_or_else(|| "dist".into()));
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "dist-single/imap-doctor.html".into()),
    );
    let css = String::from_utf8_lossy(&read(&dist.join("style.css"))?).into_owned();
    let glue = String::from_utf8_lossy(&read(&dist.join("imap-doctor-web.js"))?).into_owned();
    let wasm = read(&dist.join("imap-doctor-web_bg.wasm"))?;
    if !glue.contains("async function __wbg_init(") {
        return Err(
            "the wasm-bindgen glue has no __wbg_init: update examples/single_file.rs".into(),
        );
    }
    // The wasm is stored gzipped and base64-encoded, and unpacked with the
    // browser's own DecompressionStream: a third of the size of plain base64.
    // zopfli writes a standard gzip stream (DecompressionStream reads it),
    // about 4% smaller than zlib's level 9 for this wasm.
    // More iterations than zopfli's default 15 find a little more (the
    // page's size budget is tight); it is a build step, run once.
    let options = zopfli::Options {
        iteration_count: std::num::NonZeroU64::new(60).ok_or("iterations")?,
        ..zopfli::Options::default()
    };
    let mut gz = Vec::new();
    zopfli::compress(options, zopfli::Format::Gzip, wasm.as_slice(), &mut gz)
        .map_err(|e| e.to_string())?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&gz);
    // The glue is an ES module; appended code in the same module calls its
    // init function with the bytes instead of a URL (nothing is fetched).
    let script = format!(
        "{glue}\nconst __imapDoctorGz = Uint8Array.from(atob(\"{b64}\"), (c) => c.charCodeAt(0));\nconst __imapDoctorWasm = await new Response(new Blob([__imapDoctorGz]).stream().pipeThrough(new DecompressionStream(\"gzip\"))).arrayBuffer();\nawait __wbg_init({{ module_or_path: __imapDoctorWasm }});\n"
    );
    if script.contains("</script") || css.contains("</style") {
        return Err("a closing tag inside the inlined code would end it early".into());
    }
    let csp = format!(
        "default-src 'none'; script-src {} 'wasm-unsafe-eval'; style-src {}; img-src data: blob:; object-src 'none'; base-uri 'none'; form-action 'none'",
        csp_hash(&script),
        csp_hash(&css)
    );
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<link rel=\"icon\" href=\"data:,\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n<title>imap-doctor: why the archiver cannot connect to IMAP</title>\n<style>{css}</style>\n</head>\n<body><div id=\"app\"></div>\n<script type=\"module\">{script}</script>\n</body>\n</html>\n"
    );
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&out, html).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("{}", out.display());
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("single_file: {e}");
        std::process::exit(1);
    }
}
