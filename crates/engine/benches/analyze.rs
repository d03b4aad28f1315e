//! Benchmarks: a 3-certificate paste, a paste against a 150-root trust
//! store, and 1,000 certificates sharing one subject name.

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

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
