//! A fuzz driver on stable Rust: mutates seeds (the test fixtures, the
//! real-text corpus, and generated keystores) and feeds them to every entry
//! point of the engine — input recognition, keystores, the settings check,
//! token decoding and the full analysis. Stops at the first panic or at an
//! execution slower than the hang limit, saving the input.
//!
//! `cargo run -p imap-doctor-engine --example fuzz -- [--seconds N] [--iterations N] [--seed N]`
//! (`scripts/fuzz [SECONDS]` runs it). No cargo-fuzz, no nightly: a small
//! xorshift generator and our own mutations, reproducible from `--seed`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use imap_doctor_engine::input::{self, keystore};
use imap_doctor_engine::settings::{self, Settings};
use imap_doctor_engine::{analyze, Input, Options};

/// One execution slower than this is reported as a hang.
const HANG: Duration = Duration::from_secs(30);
/// Inputs grow up to this size by mutation (the engine's own limits are
/// exercised by the tests with generated sizes).
const MAX_LEN: usize = 256 * 1024;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Fragments the readers look for, and numbers at the edges of their limits.
const TOKENS: &[&[u8]] = &[
    b"-----BEGIN CERTIFICATE-----\n",
    b"-----END CERTIFICATE-----\n",
    b"-----BEGIN PKCS7-----\n",
    b"-----BEGIN PRIVATE KEY-----\n",
    b"Certificate chain\n",
    b" 0 s:CN = x\n   i:CN = y\n",
    b"depth=0 CN = x\n",
    b"verify error:num=20:unable to get local issuer certificate\n",
    b"Verify return code: 21\n",
    b"New, TLSv1, Cipher is RC4-MD5\n",
    b"CONNECTED(00000003)\n",
    b"openssl s_client -connect [::1]:993 -starttls imap\n",
    b"Alias name: x\nOwner: CN=x\nSHA256: ",
    b"AADSTS7000215: ",
    b"PKIX path building failed\n",
    b"NotAfter: ",
    b"Caused by: ",
    b"> > ",
    b"\xFE\xED\xFE\xED",
    b"\xCE\xCE\xCE\xCE",
    b"\x02\x04\x7F\xFF\xFF\xFF",
    b"\x02\x03\x4C\x4B\x41",
    b"\x30\x84\xFF\xFF\xFF\xFF",
    b"\x30\x80",
    b"\xFF\xFF\xFF\xFF",
    b"\x00\x00",
    b"eyJhbGciOiJub25lIn0.eyJyb2xlcyI6WyJJTUFQLkFjY2Vzc0FzQXBwIl19.",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], data: &mut Vec<u8>) {
    for _ in 0..=rng.below(8) {
        let len = data.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                let n = 1 + rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                data.splice(i..i, bytes);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(256));
                data.drain(i..i + n);
            }
            4 if len > 0 => {
                // Repeat a range: the shape of a hostile paste.
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(512));
                let copy = data[i..i + n].to_vec();
                let times = 1 + rng.below(64);
                for _ in 0..times {
                    data.splice(i..i, copy.iter().copied());
                }
            }
            5 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let i = rng.below(len + 1);
                data.splice(i..i, t.iter().copied());
            }
            6 if !seeds.is_empty() => {
                // Splice in part of another seed.
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = a + rng.below(other.len() - a + 1);
                    let i = rng.below(len + 1);
                    data.splice(i..i, other[a..b].iter().copied());
                }
            }
            7 if len > 0 => data.truncate(rng.below(len)),
            _ => {
                // An "interesting" integer at a random place.
                if len >= 4 {
                    let i = rng.below(len - 3);
                    let v: u32 = [
                        0,
                        1,
                        0x7F,
                        0x80,
                        0xFF,
                        0xFFFF,
                        5_000_001,
                        i32::MAX as u32,
                        u32::MAX,
                    ][rng.below(9)];
                    data[i..i + 4].copy_from_slice(&v.to_be_bytes());
                }
            }
        }
    }
    data.truncate(MAX_LEN);
}

/// Every entry point, on one input.
fn exec(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = input::recognise_with(data, Some("changeit"));
    let _ = keystore::read_jks(data, Some("changeit"));
    let _ = keystore::read_pkcs12(data, None);
    let _ = settings::decode_token(&text);
    let mut fields = text.split('\n').map(|s| s.to_string());
    let mut next = || fields.next().unwrap_or_default();
    let s = Settings {
        host: next(),
        port: next().trim().parse().ok(),
        mailbox: next(),
        tenant: next(),
        client_id: next(),
        app_object_id: next(),
        object_id: next(),
        client_secret: next(),
        message_count: next().trim().parse().ok(),
        token: next(),
        ..Default::default()
    };
    let sr = settings::check(&s, 1_900_000_000);
    let _ = serde_json::to_string(&sr);
    if let Ok(s) = serde_json::from_slice::<Settings>(data) {
        let _ = settings::check(&s, 1_900_000_000);
    }
    // Half as the server's side, half as the trust store.
    let mid = data.len() / 2;
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: data,
        }],
        &[Input {
            name: "trust",
            bytes: &data[mid..],
        }],
        &Options {
            at: 1_900_000_000,
            host: Some("mail.example.test".into()),
            public_roots: data.first().is_some_and(|b| b & 1 == 1),
            keystore_password: Some("changeit".into()),
            ..Default::default()
        },
    );
    let _ = r.to_text();
    let _ = r.to_markdown();
    let _ = serde_json::to_string(&r);
}

fn files(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files(&p, out);
        } else if let Ok(b) = std::fs::read(&p) {
            if b.len() <= MAX_LEN {
                out.push(b);
            }
        }
    }
}

/// A JKS and a PKCS#12 (real MAC, password changeit) holding the fixture
/// root, so mutations reach the keystore readers' inner parts.
fn keystore_seeds(root_der: &[u8]) -> Vec<Vec<u8>> {
    fn der(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        if body.len() < 0x80 {
            v.push(body.len() as u8);
        } else {
            let b: Vec<u8> = body
                .len()
                .to_be_bytes()
                .into_iter()
                .skip_while(|&b| b == 0)
                .collect();
            v.push(0x80 | b.len() as u8);
            v.extend(b);
        }
        v.extend_from_slice(body);
        v
    }
    let oid = |b: &[u8]| der(0x06, b);
    let seq = |p: &[Vec<u8>]| der(0x30, &p.concat());
    const P9: [u8; 8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09];
    let data_oid = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
    let bag = seq(&[
        oid(&[
            0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x03,
        ]),
        der(
            0xA0,
            &seq(&[
                oid(&[P9.as_slice(), &[0x16, 0x01]].concat()),
                der(0xA0, &der(0x04, root_der)),
            ]),
        ),
        der(
            0x31,
            &seq(&[
                oid(&[
                    0x60, 0x86, 0x48, 0x01, 0x86, 0xF9, 0x66, 0xAD, 0xCA, 0x7B, 0x01, 0x01,
                ]),
                der(0x31, &oid(&[0x55, 0x1D, 0x25, 0x00])),
            ]),
        ),
    ]);
    let auth = seq(&[seq(&[oid(&data_oid), der(0xA0, &der(0x04, &seq(&[bag])))])]);
    let salt = [3u8; 8];
    let key = pkcs12::kdf::derive_key_utf8::<sha2::Sha256>(
        "changeit",
        &salt,
        pkcs12::kdf::Pkcs12KeyType::Mac,
        16,
        32,
    )
    .unwrap_or_default();
    use hmac::Mac;
    let mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&key)
        .map(|mut m| {
            m.update(&auth);
            m.finalize().into_bytes().to_vec()
        })
        .unwrap_or_default();
    let p12 = seq(&[
        der(0x02, &[3]),
        seq(&[oid(&data_oid), der(0xA0, &der(0x04, &auth))]),
        seq(&[
            seq(&[
                seq(&[
                    oid(&[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]),
                    der(0x05, &[]),
                ]),
                der(0x04, &mac),
            ]),
            der(0x04, &salt),
            der(0x02, &[16]),
        ]),
    ]);
    let mut jks = vec![0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2];
    jks.extend(4u16.to_be_bytes());
    jks.extend(b"root");
    jks.extend([0; 8]);
    jks.extend(5u16.to_be_bytes());
    jks.extend(b"X.509");
    jks.extend((root_der.len() as u32).to_be_bytes());
    jks.extend(root_der);
    jks.extend([0; 20]);
    vec![p12, jks]
}

fn main() {
    let mut seconds: Option<u64> = None;
    let mut iterations: Option<u64> = None;
    let mut seed = 0x1234_5678_9ABC_DEF0u64;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).and_then(|v| v.parse().ok());
        match args[i].as_str() {
            "--seconds" => seconds = v,
            "--iterations" => iterations = v,
            "--seed" => seed = v.unwrap_or(seed),
            other => {
                eprintln!("unknown argument {other}; use --seconds N, --iterations N, --seed N");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    if seconds.is_none() && iterations.is_none() {
        seconds = Some(30);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut seeds = Vec::new();
    files(&root.join("tests/fixtures"), &mut seeds);
    files(&root.join("tests/corpus/texts"), &mut seeds);
    if let Some(pem) = seeds
        .iter()
        .find_map(|s| input::recognise(s).certificates.into_iter().next())
    {
        seeds.extend(keystore_seeds(pem.der()));
    }
    seeds.push(Vec::new());
    let crashes = root.join("target/fuzz-crashes");
    eprintln!(
        "fuzz: {} seeds, seed {seed}, {}",
        seeds.len(),
        match (seconds, iterations) {
            (Some(s), _) => format!("{s} s"),
            (_, Some(n)) => format!("{n} executions"),
            _ => unreachable!(),
        }
    );
    // A panic is reported by the driver with the input, not by the hook.
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed | 1);
    let start = Instant::now();
    let mut n = 0u64;
    let mut slowest = Duration::ZERO;
    loop {
        if seconds.is_some_and(|s| start.elapsed() >= Duration::from_secs(s))
            || iterations.is_some_and(|k| n >= k)
        {
            break;
        }
        let mut data = seeds[rng.below(seeds.len())].clone();
        mutate(&mut rng, &seeds, &mut data);
        let t = Instant::now();
        let outcome = std::panic::catch_unwind(|| exec(&data));
        let took = t.elapsed();
        slowest = slowest.max(took);
        let failure = match outcome {
            Err(e) => Some(format!(
                "panic: {}",
                e.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            )),
            Ok(()) if took > HANG => Some(format!("slow: one execution took {took:?}")),
            Ok(()) => None,
        };
        if let Some(why) = failure {
            let _ = std::fs::create_dir_all(&crashes);
            let file = crashes.join(format!("crash-{seed}-{n}.bin"));
            let _ = std::fs::write(&file, &data);
            eprintln!("fuzz: {why}\nfuzz: input saved to {}", file.display());
            std::process::exit(1);
        }
        n += 1;
    }
    eprintln!(
        "fuzz: {n} executions in {:.1} s, no panic, slowest {slowest:?}",
        start.elapsed().as_secs_f64()
    );
}
