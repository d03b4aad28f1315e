//! The single file's LZMA unpacker (`www/unlzma.js`, our own) against
//! liblzma's encoder (the xz tools' own), in Node: every kind of LZMA
//! symbol (literals, matched literals, matches near and far enough for
//! direct and aligned distance bits, repeated distances, short repeats), the
//! settings examples/single_file.rs uses and xz's defaults, and a truncated
//! stream, which must fail rather than hand over short bytes.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::Command;

/// A .lzma stream of `data` at xz -9e with these literal/position settings.
fn lzma(data: &[u8], lc: u32, lp: u32, pb: u32) -> Vec<u8> {
    // 1 << 31: LZMA_PRESET_EXTREME (xz2 does not name it).
    let mut o = xz2::stream::LzmaOptions::new_preset(9 | 1 << 31).unwrap();
    o.literal_context_bits(lc)
        .literal_position_bits(lp)
        .position_bits(pb);
    let stream = xz2::stream::Stream::new_lzma_encoder(&o).unwrap();
    let mut enc = xz2::write::XzEncoder::new_stream(Vec::new(), stream);
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// Deterministic pseudo-random bytes (xorshift), so a failure reproduces.
fn noise(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    // Text-like: words from a small vocabulary, with repeats at every
    // distance up to a few hundred KB.
    let words = noise(4096, 7);
    let mut text = Vec::new();
    let mut i = 0;
    while text.len() < 600_000 {
        let w = usize::from(words[i % words.len()]) % 40;
        text.extend_from_slice(format!("word{w} ").as_bytes());
        if i % 97 == 0 {
            text.extend_from_slice(b"\n");
        }
        i += 1;
    }
    // A random block repeated 2 MB later with a few bytes changed: the far
    // matches need direct and aligned distance bits, the changed bytes
    // matched literals and repeated distances.
    let block = noise(300_000, 11);
    let mut far = block.clone();
    far.extend(noise(2_000_000, 13));
    let mut copy = block;
    for k in (0..copy.len()).step_by(5_003) {
        copy[k] ^= 0x20;
    }
    far.extend(copy);
    let wasm_like: Vec<u8> = (0..400_000u32)
        .flat_map(|i| [0x20, (i % 7) as u8, 0x41, (i % 13) as u8, 0x6a, 0x21])
        .collect();
    vec![
        ("empty", vec![]),
        ("one byte", vec![42]),
        ("noise", noise(100_000, 3)),
        ("text", text),
        ("far", far),
        ("wasm-like", wasm_like),
    ]
}

#[test]
fn unlzma_js_unpacks_what_liblzma_packs() {
    let dir = std::env::temp_dir().join(format!("imap-doctor-unlzma-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cases = Vec::new();
    for (name, data) in inputs() {
        // The page's settings (examples/single_file.rs) and xz's defaults.
        for (lc, lp, pb) in [(4, 0, 0), (3, 0, 2)] {
            let file = format!("{}-{lc}{lp}{pb}", name.replace(' ', "-"));
            std::fs::write(dir.join(format!("{file}.raw")), &data).unwrap();
            std::fs::write(dir.join(format!("{file}.lzma")), lzma(&data, lc, lp, pb)).unwrap();
            cases.push(file);
        }
    }
    let script = format!(
        r#"const fs = require("fs");
{unlzma}
const dir = process.argv[1];
for (const name of process.argv.slice(2)) {{
  const want = fs.readFileSync(dir + "/" + name + ".raw");
  const packed = new Uint8Array(fs.readFileSync(dir + "/" + name + ".lzma"));
  const got = __imapDoctorUnlzma(packed, want.length);
  console.log(name + " " + (Buffer.compare(Buffer.from(got), want) === 0 ? "same" : "DIFFERENT"));
  if (want.length > 0) {{
    try {{
      __imapDoctorUnlzma(packed.subarray(0, packed.length >> 1), want.length);
      console.log(name + " truncated: NO ERROR");
    }} catch (e) {{
      console.log(name + " truncated: " + e.message);
    }}
  }}
}}
"#,
        unlzma = include_str!("../www/unlzma.js")
    );
    let out = Command::new("node")
        .arg("-e")
        .arg(&script)
        .arg(&dir)
        .args(&cases)
        .output()
        .expect("node (scripts/setup installs it with npm)");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in &cases {
        assert!(
            stdout.contains(&format!("{name} same\n")),
            "{name}: {stdout}"
        );
        if !name.starts_with("empty") {
            assert!(
                stdout.contains(&format!("{name} truncated: lzma: ")),
                "{name}: {stdout}"
            );
        }
    }
}
