//! Benchmarks: a 3-certificate paste, a paste against a 150-root trust
//! store, and 1,000 certificates sharing one subject name; and pastes of
//! size N and 10N (verify-error lines, AADSTS codes, a trust listing
//! against the server's certificates) whose times should stay about 10x
//! apart: analysis time linear in paste size.

use criterion::{criterion_group, criterion_main, Criterion};
use imap_doctor_engine::{analyze, Input, Options};

const FULL: &str = include_str!("../../../tests/fixtures/full-chain.txt");
const ROOT: &str = include_str!("../../../tests/fixtures/pki/root.pem");

fn opts(public_roots: bool) -> Options {
    Options {
        at: 1_900_000_000,
        host: None,
        public_roots,
        ..Default::default()
    }
}

fn same_name_pile() -> (String, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let ca = |cn: &str| {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(DnType::CommonName, cn);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.use_authority_key_identifier_extension = true;
        p
    };
    let root =
        CertifiedIssuer::self_signed(ca("Bench Root"), KeyPair::generate().unwrap()).unwrap();
    let int = CertifiedIssuer::signed_by(ca("Same Name CA"), KeyPair::generate().unwrap(), &root)
        .unwrap();
    let mut leaf = CertificateParams::new(vec!["mail.example.test".to_string()]).unwrap();
    leaf.use_authority_key_identifier_extension = true;
    let leaf = leaf.signed_by(&KeyPair::generate().unwrap(), &int).unwrap();
    let mut paste = leaf.pem();
    // 999 look-alikes: the same subject name, other keys, signed by the root.
    for _ in 0..999 {
        let fake = ca("Same Name CA")
            .signed_by(&KeyPair::generate().unwrap(), &root)
            .unwrap();
        paste.push_str(&fake.pem());
    }
    paste.push_str(&int.pem());
    (paste, root.pem())
}

fn bench(c: &mut Criterion) {
    c.bench_function("3-certificate paste", |b| {
        b.iter(|| {
            analyze(
                &[Input {
                    name: "p",
                    bytes: FULL.as_bytes(),
                }],
                &[Input {
                    name: "t",
                    bytes: ROOT.as_bytes(),
                }],
                &opts(false),
            )
        })
    });
    // Warm the parsed root set once so the benchmark measures analysis.
    let _ = imap_doctor_engine::x509::roots::public_roots();
    c.bench_function("paste against the ~150 public roots", |b| {
        b.iter(|| {
            analyze(
                &[Input {
                    name: "p",
                    bytes: FULL.as_bytes(),
                }],
                &[],
                &opts(true),
            )
        })
    });
    let (pile, root) = same_name_pile();
    c.bench_function("1,000 certificates with one subject name", |b| {
        b.iter(|| {
            analyze(
                &[Input {
                    name: "p",
                    bytes: pile.as_bytes(),
                }],
                &[Input {
                    name: "t",
                    bytes: root.as_bytes(),
                }],
                &opts(false),
            )
        })
    });
}

fn verify_errors(n: usize) -> String {
    let mut t = String::from("CONNECTED(00000003)\n");
    for i in 0..n {
        if i % 2 == 0 {
            t.push_str("depth=0 CN = mail.example.test\n");
        }
        t.push_str("verify error:num=20:unable to get local issuer certificate\n");
    }
    t
}

fn aadsts_codes(n: usize) -> String {
    (0..n)
        .map(|i| format!("AADSTS{}: Invalid client secret provided.\n", 7_000_000 + i))
        .collect()
}

/// A keytool -list -v listing of `n` entries (none matching).
fn listing(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "Alias name: a{i}\nOwner: CN=Entry {i}\nSHA256: {}\n\n",
                format!("{:064X}", (i as u128 + 1) * 0x9E37_79B9_7F4A_7C15)
                    .as_bytes()
                    .chunks(2)
                    .map(|c| std::str::from_utf8(c).unwrap())
                    .collect::<Vec<_>>()
                    .join(":")
            )
        })
        .collect()
}

fn linear(c: &mut Criterion) {
    let mut g = c.benchmark_group("linear in paste size");
    for n in [4_000, 40_000] {
        let t = verify_errors(n);
        g.bench_function(format!("{n} verify-error lines"), |b| {
            b.iter(|| {
                analyze(
                    &[Input {
                        name: "p",
                        bytes: t.as_bytes(),
                    }],
                    &[],
                    &opts(false),
                )
            })
        });
        let t = aadsts_codes(n);
        g.bench_function(format!("{n} AADSTS codes"), |b| {
            b.iter(|| {
                analyze(
                    &[Input {
                        name: "p",
                        bytes: t.as_bytes(),
                    }],
                    &[],
                    &opts(false),
                )
            })
        });
    }
    // The listing against 1,000 server certificates (the chain repeated).
    let pile = FULL.repeat(1_000 / 3);
    for n in [14_000, 140_000] {
        let l = listing(n);
        g.bench_function(format!("{n}-entry listing x 1,000 certificates"), |b| {
            b.iter(|| {
                analyze(
                    &[Input {
                        name: "p",
                        bytes: pile.as_bytes(),
                    }],
                    &[Input {
                        name: "t",
                        bytes: l.as_bytes(),
                    }],
                    &opts(false),
                )
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench, linear
}
criterion_main!(benches);
