//! Hostile inputs: each case is generated (no big files) and asserts a
//! bounded outcome — Java's refusal, a cap reached, `input.limit`. Time is
//! printed, never asserted: on a loaded CI machine a wall-clock limit fails
//! for no reason; linearity in the input is measured by `benches/analyze.rs`
//! (`linear in paste size`).
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use imap_doctor_engine::input::{self, errtext, keystore, openssl};
use imap_doctor_engine::{analyze, Input, Options, Report, Rule};
use imap_doctor_testkit::scratch;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
const FULL: &str = include_str!("../../../../tests/fixtures/full-chain.txt");
const ROOT_PEM: &str = include_str!("../../../../tests/fixtures/pki/root.pem");

fn opts() -> Options {
    Options {
        at: 1_900_000_000,
        public_roots: false,
        ..Default::default()
    }
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    eprintln!("{what}: {:?}", t.elapsed());
    r
}

fn has(r: &Report, rule: Rule) -> bool {
    r.findings.iter().any(|f| f.rule == rule)
}

// ---------------------------------------------------------------- DER writer

fn der(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = body.len();
    if n < 0x80 {
        v.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        v.push(0x80 | bytes.len() as u8);
        v.extend(bytes);
    }
    v.extend_from_slice(body);
    v
}
fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &parts.concat())
}
fn oid(b: &[u8]) -> Vec<u8> {
    der(0x06, b)
}
fn int(n: u64) -> Vec<u8> {
    let mut b: Vec<u8> = n
        .to_be_bytes()
        .into_iter()
        .skip_while(|&b| b == 0)
        .collect();
    if b.is_empty() || b[0] & 0x80 != 0 {
        b.insert(0, 0);
    }
    der(0x02, &b)
}
fn octets(b: &[u8]) -> Vec<u8> {
    der(0x04, b)
}
fn ctx0(b: &[u8]) -> Vec<u8> {
    der(0xA0, b)
}

const DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
const ENCRYPTED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x06];
const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];

/// A SafeContents with the fixture root as a trusted-certificate bag (as
/// keytool writes one: friendlyName and Oracle's trustedKeyUsage).
fn trusted_root_safe() -> Vec<u8> {
    let root = pem::parse(ROOT_PEM).unwrap().into_contents();
    let cert_bag = seq(&[
        oid(&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x16, 0x01]),
        ctx0(&octets(&root)),
    ]);
    let name: Vec<u8> = "fixture-root"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let attrs = der(
        0x31,
        &[
            seq(&[
                oid(&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x14]),
                der(0x31, &der(0x1E, &name)),
            ]),
            seq(&[
                oid(&[
                    0x60, 0x86, 0x48, 0x01, 0x86, 0xF9, 0x66, 0xAD, 0xCA, 0x7B, 0x01, 0x01,
                ]),
                der(0x31, &oid(&[0x55, 0x1D, 0x25, 0x00])),
            ]),
        ]
        .concat(),
    );
    seq(&[seq(&[
        oid(&[
            0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x03,
        ]),
        ctx0(&cert_bag),
        attrs,
    ])])
}

/// A PFX of `safes` (ContentInfos) with an HMAC-SHA256 MAC of `iterations`;
/// the MAC is computed with `changeit` when `real_mac`, else left zero
/// (Java checks the count before deriving anything).
fn pfx(safes: &[Vec<u8>], iterations: u64, real_mac: bool) -> Vec<u8> {
    let auth_data = seq(safes);
    let salt = [7u8; 20];
    let digest = if real_mac {
        use hmac::Mac;
        let key = pkcs12::kdf::derive_key_utf8::<sha2::Sha256>(
            "changeit",
            &salt,
            pkcs12::kdf::Pkcs12KeyType::Mac,
            iterations as i32,
            32,
        )
        .unwrap();
        let mut m = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&key).unwrap();
        m.update(&auth_data);
        m.finalize().into_bytes().to_vec()
    } else {
        vec![0; 32]
    };
    seq(&[
        int(3),
        seq(&[oid(DATA), ctx0(&octets(&auth_data))]),
        seq(&[
            seq(&[seq(&[oid(SHA256), der(0x05, &[])]), octets(&digest)]),
            octets(&salt),
            int(iterations),
        ]),
    ])
}

fn data_safe(safe_contents: &[u8]) -> Vec<u8> {
    seq(&[oid(DATA), ctx0(&octets(safe_contents))])
}

/// An EncryptedData part under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC).
fn encrypted_safe(iterations: u64) -> Vec<u8> {
    let pbes2 = seq(&[
        oid(&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D]),
        seq(&[
            seq(&[
                oid(&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C]),
                seq(&[
                    octets(&[9; 16]),
                    int(iterations),
                    seq(&[
                        oid(&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x09]),
                        der(0x05, &[]),
                    ]),
                ]),
            ]),
            seq(&[
                oid(&[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A]),
                octets(&[1; 16]),
            ]),
        ]),
    ]);
    seq(&[
        oid(ENCRYPTED_DATA),
        ctx0(&seq(&[
            int(0),
            seq(&[oid(DATA), pbes2, der(0x80, &[0; 32])]),
        ])),
    ])
}

/// What the JDK's keytool says when listing `store` with changeit.
fn keytool_list(dir: &Path, store: &[u8]) -> String {
    let f = dir.join("store.p12");
    std::fs::write(&f, store).unwrap();
    let out = Command::new("keytool")
        .args([
            "-list",
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
            "-keystore",
        ])
        .arg(&f)
        .output()
        .expect("keytool (the JDK) must be installed");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn trust_run(store: &[u8]) -> Report {
    analyze(
        &[Input {
            name: "paste",
            bytes: FULL.as_bytes(),
        }],
        &[Input {
            name: "store",
            bytes: store,
        }],
        &opts(),
    )
}

#[test]
fn pkcs12_generator_is_a_real_keystore() {
    // Positive control: with a normal count and a real MAC, Java lists the
    // entry and the engine anchors the chain on it.
    let store = pfx(&[data_safe(&trusted_root_safe())], 2048, true);
    let java = keytool_list(&scratch("hostile-p12-ok"), &store);
    assert!(java.contains("fixture-root"), "{java}");
    assert!(java.contains("trustedCertEntry"), "{java}");
    let r = trust_run(&store);
    assert_eq!(
        r.anchor.and_then(|a| a.label).as_deref(),
        Some("alias fixture-root"),
        "{:?}",
        r.notices
    );
}

#[test]
fn pkcs12_mac_iteration_count_over_javas_limit_is_refused_before_deriving() {
    // 2^31-1 iterations: about 20 minutes of CPU per password if derived.
    let store = pfx(&[data_safe(&trusted_root_safe())], i32::MAX as u64, false);
    assert!(store.len() < 2_000);
    let java = keytool_list(&scratch("hostile-p12-mac"), &store);
    let expected = "MAC iteration count too large: 2147483647";
    assert!(java.contains(expected), "keytool said: {java}");
    let r = timed("refusing the MAC count", || trust_run(&store));
    let n = r.notices.iter().find(|n| n.contains(expected));
    assert!(n.is_some(), "{:?}", r.notices);
    assert!(n.unwrap().contains("Java refuses"), "{n:?}");
    // Just over the limit is refused too; the limit itself is Java's.
    let over = pfx(&[data_safe(&trusted_root_safe())], 5_000_001, false);
    let e = keystore::read_pkcs12(&over, None).unwrap_err();
    assert!(e.to_string().contains("5000001"), "{e}");
}

#[test]
fn pkcs12_cert_pbe_iteration_count_over_javas_limit_is_refused() {
    let store = pfx(&[encrypted_safe(i32::MAX as u64)], 2048, false);
    let java = keytool_list(&scratch("hostile-p12-pbe"), &store);
    assert!(
        java.contains("cert PBE iteration count too large"),
        "keytool said: {java}"
    );
    let e = timed("refusing the PBE count", || {
        keystore::read_pkcs12(&store, None)
    })
    .unwrap_err();
    assert!(
        e.to_string().contains("cert PBE iteration count too large"),
        "{e}"
    );
}

#[test]
fn pkcs12_many_parts_cannot_add_up_to_minutes() {
    // Each part within Java's limit, together far beyond what we spend.
    let parts: Vec<Vec<u8>> = (0..8).map(|_| encrypted_safe(4_000_000)).collect();
    let store = pfx(&parts, 1, false);
    let e = timed("refusing the total", || keystore::read_pkcs12(&store, None)).unwrap_err();
    assert!(
        matches!(e, keystore::KeystoreError::TooCostly { .. }),
        "{e}"
    );
}

/// A JKS with one private-key entry: `alias_len` bytes of alias and a chain
/// of `chain` certificates of `cert_len` bytes each.
fn jks(alias_len: usize, chain: u32, cert_len: usize) -> Vec<u8> {
    let mut b = vec![0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 1];
    b.extend(1u32.to_be_bytes()); // private-key entry
    b.extend((alias_len as u16).to_be_bytes());
    b.extend(std::iter::repeat_n(b'a', alias_len));
    b.extend([0; 8]); // timestamp
    b.extend(4u32.to_be_bytes());
    b.extend([1, 2, 3, 4]); // the protected key
    b.extend(chain.to_be_bytes());
    for _ in 0..chain {
        b.extend(5u16.to_be_bytes());
        b.extend(b"X.509");
        b.extend((cert_len as u32).to_be_bytes());
        b.extend(std::iter::repeat_n(0x30, cert_len));
    }
    b.extend([0; 20]);
    b
}

#[test]
fn jks_memory_stays_a_small_multiple_of_the_file() {
    // The attack: a 65,535-byte alias copied onto 10,000 empty certificates.
    let store = jks(65_535, 10_000, 0);
    let e = keystore::read_jks(&store, None).unwrap_err();
    assert!(e.to_string().contains("empty certificate"), "{e}");
    // Non-empty but tiny certificates: read, with the alias cut.
    let store = jks(65_535, 10_000, 1);
    let s = keystore::read_jks(&store, None).unwrap();
    assert_eq!(s.certificates.len(), 10_000);
    let held: usize = s
        .certificates
        .iter()
        .map(|c| c.alias.len() + c.der.len())
        .sum();
    assert!(
        held <= 40 * store.len(),
        "{held} bytes held for a {}-byte file",
        store.len()
    );
    // A chain count the remaining bytes cannot hold is refused before reading.
    let mut lying = jks(10, 1, 1);
    let at = 12 + 4 + 2 + 10 + 8 + 4 + 4;
    lying[at..at + 4].copy_from_slice(&9_999u32.to_be_bytes());
    let e = keystore::read_jks(&lying, None).unwrap_err();
    assert!(e.to_string().contains("too long"), "{e}");
    // And the whole engine survives both.
    let r = trust_run(&jks(65_535, 10_000, 1));
    assert!(!r.notices.is_empty());
}

#[test]
fn verify_errors_take_one_pass() {
    // No depth= lines: the old reader rescanned every earlier line per error.
    let mut t = String::from("CONNECTED(00000003)\ndepth=2 C = US, CN = Root\n");
    for _ in 0..100_000 {
        t.push_str("verify error:num=20:unable to get local issuer certificate\n");
    }
    let s = timed("100,000 verify errors", || openssl::parse(&t)).unwrap();
    assert_eq!(s.verify_errors.len(), openssl::MAX_LIST);
    assert!(s.verify_errors.iter().all(|e| e.depth == Some(2)));
    // Depth is still the nearest depth= line before each error.
    let s = openssl::parse(
        "depth=1 CN = a\nverify error:num=20:x\ndepth=0 CN = b\nverify error:num=21:y\n",
    )
    .unwrap();
    let depths: Vec<_> = s.verify_errors.iter().map(|e| e.depth).collect();
    assert_eq!(depths, vec![Some(1), Some(0)]);
}

#[test]
fn aadsts_codes_are_deduplicated_and_capped() {
    let mut t = String::new();
    for i in 0..100_000u32 {
        t.push_str(&format!(
            "{{\"error\":\"invalid_client\",\"error_description\":\"AADSTS{}: something.\"}}\n",
            7_000_000 + i
        ));
    }
    let (hits, dropped) = timed("100,000 AADSTS codes", || errtext::scan_counted(&t));
    let codes: std::collections::HashSet<_> = hits
        .iter()
        .filter(|h| h.rule == Rule::OauthAadsts)
        .map(|h| h.code)
        .collect();
    assert_eq!(codes.len(), errtext::MAX_AADSTS_CODES);
    assert_eq!(dropped.codes, 100_000 - errtext::MAX_AADSTS_CODES);
    let r = timed("analysing them", || {
        analyze(
            &[Input {
                name: "log",
                bytes: t.as_bytes(),
            }],
            &[],
            &opts(),
        )
    });
    let aadsts = r
        .findings
        .iter()
        .filter(|f| f.rule == Rule::OauthAadsts)
        .count();
    assert_eq!(aadsts, errtext::MAX_AADSTS_CODES);
    assert!(has(&r, Rule::InputLimit));
    // The report stays small: a few hundred bytes per finding, not per line.
    assert!(serde_json::to_string(&r).unwrap().len() < 200_000);
}

#[test]
fn repeated_error_lines_are_capped_per_rule() {
    let t = "javax.mail.MessagingException: Connection refused\n".repeat(200_000);
    let (hits, dropped) = timed("200,000 error lines", || errtext::scan_counted(&t));
    assert_eq!(hits.len(), errtext::MAX_HITS_PER_RULE);
    assert_eq!(dropped.lines, 200_000 - errtext::MAX_HITS_PER_RULE);
}

#[test]
fn a_long_listing_is_matched_through_an_index() {
    // The leaf's own fingerprint, listed 20,000 times among 200,000 others.
    let leaf = input::recognise(FULL.as_bytes()).certificates[0]
        .der()
        .to_vec();
    let sha256 = imap_doctor_engine::x509::cert::Certificate::from_der(&leaf)
        .unwrap()
        .sha256;
    let mut listing = String::new();
    for i in 0..220_000u32 {
        let fp = if i % 11 == 0 {
            sha256.to_string()
        } else {
            let h = format!("{:064X}", u128::from(i) * 0x9E37_79B9_7F4A_7C15);
            h.as_bytes()
                .chunks(2)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join(":")
        };
        listing.push_str(&format!(
            "Alias name: a{i}\nOwner: CN=Entry {i}\nSHA256: {fp}\n\n"
        ));
    }
    let r = timed("a 220,000-entry listing", || {
        analyze(
            &[Input {
                name: "paste",
                bytes: FULL.as_bytes(),
            }],
            &[Input {
                name: "listing",
                bytes: listing.as_bytes(),
            }],
            &opts(),
        )
    });
    // Matched, and added to the trust store once, not 20,000 times.
    let from_listing = r
        .certificates
        .iter()
        .filter(|c| {
            c.label
                .as_deref()
                .is_some_and(|l| l.ends_with("(keytool listing)"))
        })
        .count();
    assert_eq!(from_listing, 1, "{}", r.to_text());
    assert!(has(&r, Rule::TruststoreListing));
}

#[test]
fn limits_hold_across_inputs() {
    // Lines: three logs of 400,000 lines each; the third is cut.
    let log = "x\n".repeat(400_000);
    let inputs: Vec<Input<'_>> = ["a.log", "b.log", "c.log"]
        .iter()
        .map(|n| Input {
            name: n,
            bytes: log.as_bytes(),
        })
        .collect();
    let r = timed("1.2 million lines", || analyze(&inputs, &[], &opts()));
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == Rule::InputLimit)
        .expect("input.limit");
    assert!(
        f.evidence.iter().any(|e| e.starts_with("c.log")),
        "{:?}",
        f.evidence
    );
    // Certificates: 5,000 per input is each input's own limit; two such
    // trust inputs and the server's three exceed the shared one.
    let pile = ROOT_PEM.repeat(input::MAX_CERTIFICATES);
    let r = timed("10,003 certificates", || {
        analyze(
            &[Input {
                name: "paste",
                bytes: FULL.as_bytes(),
            }],
            &[
                Input {
                    name: "t1",
                    bytes: pile.as_bytes(),
                },
                Input {
                    name: "t2",
                    bytes: pile.as_bytes(),
                },
            ],
            &opts(),
        )
    });
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == Rule::InputLimit)
        .expect("input.limit");
    assert!(
        f.evidence
            .iter()
            .any(|e| e.starts_with("t2") && e.contains("certificates")),
        "{:?}",
        f.evidence
    );
    // Bytes: three 12 MB binary files; the third is read only in part.
    let mut blob = vec![0x30u8, 0xFF, 0xFE];
    blob.resize(12 * 1024 * 1024, 0xAB);
    let inputs: Vec<Input<'_>> = ["1.bin", "2.bin", "3.bin"]
        .iter()
        .map(|n| Input {
            name: n,
            bytes: &blob,
        })
        .collect();
    let r = timed("36 MB of binary", || analyze(&inputs, &[], &opts()));
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == Rule::InputLimit)
        .expect("input.limit");
    assert!(
        f.evidence
            .iter()
            .any(|e| e.starts_with("3.bin") && e.contains("bytes")),
        "{:?}",
        f.evidence
    );
}

#[test]
fn fixtures_still_read_the_same() {
    // The bounded readers change nothing for real inputs.
    for f in [
        "full-chain.txt",
        "missing-intermediate.txt",
        "no-showcerts.txt",
    ] {
        let bytes = std::fs::read(format!("{FIX}/{f}")).unwrap();
        let r = analyze(
            &[Input {
                name: f,
                bytes: &bytes,
            }],
            &[],
            &opts(),
        );
        assert!(!has(&r, Rule::InputLimit), "{f}");
    }
}
