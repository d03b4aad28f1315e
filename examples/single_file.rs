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

/// The .lzma ("LZMA alone") stream of `data`: xz's strongest preset, with
/// literal contexts tuned for WebAssembly (no position bits: its code is a
/// byte stream without 2- or 4-byte alignment; four bits of the previous
/// byte as context). Measured on the page's wasm: 477,098 bytes, against
/// 479,051 with xz's defaults and about 583,000 with zopfli.
fn lzma(data: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    use xz2::stream::{LzmaOptions, Stream};
    let err = |e: &dyn std::fmt::Display| format!("lzma: {e}");
    // 9 with LZMA_PRESET_EXTREME (1 << 31; xz2 does not name it): xz -9e.
    let mut options = LzmaOptions::new_preset(9 | 1 << 31).map_err(|e| err(&e))?;
    options
        .literal_context_bits(4)
        .literal_position_bits(0)
        .position_bits(0);
    let stream = Stream::new_lzma_encoder(&options).map_err(|e| err(&e))?;
    let mut enc = xz2::write::XzEncoder::new_stream(Vec::new(), stream);
    enc.write_all(data).map_err(|e| err(&e))?;
    enc.finish().map_err(|e| err(&e))
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
    // The wasm is stored LZMA-compressed and base64-encoded, and unpacked by
    // www/unlzma.js: LZMA stores it a fifth smaller than the best deflate
    // (zopfli), though the browser's DecompressionStream reads only deflate;
    // the few hundred lines of the unpacker cost about 2 KB.
    let packed = lzma(&wasm)?;
    // Its comment lines are for readers of the source, not for the page
    // (about 700 bytes gzipped); the file has no multi-line strings.
    let unlzma: String = include_str!("../www/unlzma.js")
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&packed);
    // The glue is an ES module; appended code in the same module calls its
    // init function with the bytes instead of a URL (nothing is fetched).
    // atob's text to bytes with a plain loop: Uint8Array.from(text, map)
    // walks the string as an iterator, ten times slower (45 ms of CPU in
    // Node for this payload, against 4).
    let script = format!(
        "{glue}\n{unlzma}\n{{\nconst text = atob(\"{b64}\");\nconst packed = new Uint8Array(text.length);\nfor (let i = 0; i < text.length; i++) packed[i] = text.charCodeAt(i);\nawait __wbg_init({{ module_or_path: __imapDoctorUnlzma(packed, {size}) }});\n}}\n",
        size = wasm.len()
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
