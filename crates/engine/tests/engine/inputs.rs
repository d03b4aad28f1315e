//! Input recognition on kept fixtures: real `openssl s_client` output
//! (3.x, captured from `openssl s_server` on loopback), hand-kept 1.0.2,
//! 1.1.1 and LibreSSL transcripts, and every certificate container.
#![cfg(not(target_arch = "wasm32"))]

use imap_doctor_engine::diagnose::parse_time;
use imap_doctor_engine::{analyze, Input, Options, Report, Verdict};

const ROOT: &str = include_str!("../../../../tests/fixtures/pki/root.pem");
const INT: &str = include_str!("../../../../tests/fixtures/pki/int.pem");
const LEAF: &str = include_str!("../../../../tests/fixtures/pki/leaf.pem");
const ISSUING: &str = "CN=Fixture TLS Issuing CA 1, O=Fixture Trust, C=US";

fn at() -> i64 {
    parse_time("2030-01-01T00:00:00Z").unwrap()
}

fn run(paste: &[u8], trust: &[&str]) -> Report {
    let trust: Vec<Input<'_>> = trust
        .iter()
        .map(|t| Input {
            name: "trust.pem",
            bytes: t.as_bytes(),
        })
        .collect();
    analyze(
        &[Input {
            name: "paste",
            bytes: paste,
        }],
        &trust,
        &Options {
            at: at(),
            host: None,
            public_roots: true,
            ..Default::default()
        },
    )
}

fn has(r: &Report, id: &str) -> bool {
    r.findings.iter().any(|f| f.rule.id() == id)
}

#[test]
fn openssl3_missing_intermediate() {
    let r = run(
        include_bytes!("../../../../tests/fixtures/missing-intermediate.txt"),
        &[ROOT],
    );
    assert_eq!(r.verdict, Verdict::MissingIntermediate, "{}", r.to_text());
    let m = r.missing.as_ref().unwrap();
    assert_eq!(m.issuer, ISSUING);
    assert_eq!(m.ca_issuers, vec!["http://pki.fixture.test/issuing1.cer"]);
    assert!(m.authority_key_id.is_some());
    assert_eq!(r.host.as_deref(), Some("mail.example.test"));
    assert!(!has(&r, "host.mismatch"));
    let s = r.openssl.as_ref().unwrap();
    assert_eq!(s.chain.len(), 1);
    assert_eq!(s.protocol.as_ref().unwrap().value, "TLSv1.3");
    assert_eq!(s.verify_errors[0].num, 20);
    assert_eq!(s.verify_errors[0].depth, Some(0));
    assert!(!has(&r, "input.showcerts-missing"));
}

#[test]
fn openssl3_full_chain() {
    let r = run(
        include_bytes!("../../../../tests/fixtures/full-chain.txt"),
        &[ROOT],
    );
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    assert_eq!(r.path.len(), 3);
    assert_eq!(
        r.anchor.as_ref().unwrap().source,
        imap_doctor_engine::x509::cert::Source::TrustStore
    );
    // Without the private root the walk stops at the intermediate's issuer.
    let r = run(
        include_bytes!("../../../../tests/fixtures/full-chain.txt"),
        &[],
    );
    assert_eq!(r.verdict, Verdict::MissingIntermediate);
    assert_eq!(
        r.missing.unwrap().issuer,
        "CN=Fixture Root CA, O=Fixture Trust, C=US"
    );
}

#[test]
fn without_showcerts_the_names_are_followed() {
    let r = run(
        include_bytes!("../../../../tests/fixtures/no-showcerts.txt"),
        &[ROOT],
    );
    assert!(has(&r, "input.showcerts-missing"), "{}", r.to_text());
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    assert!(!has(&r, "chain.missing-intermediate"));
    let r = run(
        include_bytes!("../../../../tests/fixtures/no-showcerts.txt"),
        &[],
    );
    assert!(has(&r, "input.showcerts-missing"));
    assert_eq!(r.verdict, Verdict::MissingIntermediate, "{}", r.to_text());
    assert_eq!(
        r.missing.unwrap().issuer,
        "CN=Fixture Root CA, O=Fixture Trust, C=US"
    );
}

#[test]
fn openssl_102_legacy_protocol() {
    let r = run(
        include_bytes!("../../../../tests/fixtures/openssl-1.0.2-tls1.txt"),
        &[ROOT],
    );
    assert_eq!(r.verdict, Verdict::MissingIntermediate);
    assert_eq!(r.missing.as_ref().unwrap().issuer, ISSUING);
    assert!(has(&r, "tls.legacy-protocol"), "{}", r.to_text());
    let s = r.openssl.as_ref().unwrap();
    assert_eq!(s.protocol.as_ref().unwrap().value, "TLSv1");
    assert_eq!(s.cipher.as_ref().unwrap().value, "ECDHE-RSA-AES256-SHA");
    assert!(s
        .greeting
        .as_ref()
        .unwrap()
        .value
        .contains("Microsoft Exchange IMAP4"));
    assert_eq!(
        s.chain[0].subject,
        "/C=US/O=Example Corp/CN=mail.example.test"
    );
}

#[test]
fn openssl_111_starttls() {
    let r = run(
        include_bytes!("../../../../tests/fixtures/openssl-1.1.1-starttls.txt"),
        &[ROOT],
    );
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    let s = r.openssl.as_ref().unwrap();
    assert_eq!(s.starttls.as_deref(), Some("imap"));
    assert_eq!(s.port, Some(143));
    assert_eq!(s.protocol.as_ref().unwrap().value, "TLSv1.2");
    assert!(!has(&r, "tls.legacy-protocol"));
    assert!(!has(&r, "tls.weak-cipher"));
}

#[test]
fn libressl_without_showcerts() {
    let r = run(
        include_bytes!("../../../../tests/fixtures/libressl-no-showcerts.txt"),
        &[ROOT],
    );
    assert!(has(&r, "input.showcerts-missing"));
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    assert_eq!(r.openssl.as_ref().unwrap().chain.len(), 2);
}

#[test]
fn host_option_overrides_and_mismatches() {
    let r = analyze(
        &[Input {
            name: "p",
            bytes: include_bytes!("../../../../tests/fixtures/full-chain.txt"),
        }],
        &[Input {
            name: "t",
            bytes: ROOT.as_bytes(),
        }],
        &Options {
            at: at(),
            host: Some("outlook.office365.com".into()),
            public_roots: false,
            ..Default::default()
        },
    );
    assert!(has(&r, "host.mismatch"));
    assert!(r
        .findings
        .iter()
        .any(|f| f.message.contains("mail.example.test, imap.example.test")));
}

fn chain_verdict(paste: &[u8]) -> Report {
    run(paste, &[ROOT])
}

#[test]
fn pem_with_crlf_indentation_quotes_and_text() {
    let body =
        format!("Hello, here is our chain:\r\n{LEAF}\r\n{INT}\r\nthanks\r\n").replace('\n', "\r\n");
    assert_eq!(chain_verdict(body.as_bytes()).verdict, Verdict::Trusted);
    let indented: String = format!("{LEAF}{INT}")
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect();
    assert_eq!(chain_verdict(indented.as_bytes()).verdict, Verdict::Trusted);
    let quoted: String = format!("{LEAF}{INT}")
        .lines()
        .map(|l| format!("> > {l}\n"))
        .collect();
    let r = chain_verdict(quoted.as_bytes());
    assert_eq!(r.verdict, Verdict::Trusted);
    assert_eq!(
        r.certificates
            .iter()
            .filter(|c| c.source == imap_doctor_engine::x509::cert::Source::Server)
            .count(),
        2
    );
}

#[test]
fn ca_first_bare_paste_is_judged_as_java_sends_it() {
    // Java takes the first certificate as the server's, whatever it is: the
    // intermediate first validates to the root, then its key usage
    // (keyCertSign, cRLSign) fails JSSE's end-entity check. The JDK 17 trust
    // manager says exactly this for these fixtures (tests/java/Oracle.java).
    let r = chain_verdict(format!("{INT}{LEAF}").as_bytes());
    assert_eq!(r.verdict, Verdict::Invalid);
    assert!(has(&r, "chain.leaf-usage"));
    assert_eq!(
        r.java_error.as_deref(),
        Some("KeyUsage does not allow digital signatures")
    );
}

#[test]
fn der_pkcs7_and_headerless_base64() {
    assert_eq!(
        chain_verdict(include_bytes!("../../../../tests/fixtures/pki/chain.p7b")).verdict,
        Verdict::Trusted
    );
    assert_eq!(
        chain_verdict(include_bytes!(
            "../../../../tests/fixtures/pki/chain-der.p7b"
        ))
        .verdict,
        Verdict::Trusted
    );
    let der = include_bytes!("../../../../tests/fixtures/pki/leaf.der");
    let r = chain_verdict(der);
    assert_eq!(r.verdict, Verdict::MissingIntermediate);
    let bare: String = LEAF
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        chain_verdict(bare.as_bytes()).verdict,
        Verdict::MissingIntermediate
    );
    let x509 = LEAF
        .replace("BEGIN CERTIFICATE", "BEGIN X509 CERTIFICATE")
        .replace("END CERTIFICATE", "END X509 CERTIFICATE");
    assert_eq!(
        chain_verdict(format!("{x509}{INT}").as_bytes()).verdict,
        Verdict::Trusted
    );
}

#[test]
fn openssl_trusted_certificate_in_trust_store() {
    let r = run(
        format!("{LEAF}{INT}").as_bytes(),
        &[include_str!(
            "../../../../tests/fixtures/pki/root-trusted.pem"
        )],
    );
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
}

#[test]
fn private_key_is_never_shown() {
    let key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIBx0c2VjcmV0a2V5bWF0ZXJpYWxzaG91bGRuZXZlcg==\n-----END PRIVATE KEY-----\n";
    let r = chain_verdict(format!("{key}{LEAF}{INT}").as_bytes());
    assert!(has(&r, "input.private-key"));
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("MC4CAQAwBQYDK2VwBCIEIBx0c2VjcmV0"));
    assert!(!r.to_text().contains("MC4CAQAwBQYDK2VwBCIEIBx0c2VjcmV0"));
    assert_eq!(r.verdict, Verdict::Trusted);
}

#[test]
fn truncated_and_garbage_inputs() {
    let cut = &LEAF[..LEAF.len() / 2];
    let r = chain_verdict(cut.as_bytes());
    assert_eq!(r.verdict, Verdict::NoCertificates);
    assert!(r.summary.contains("cut off"), "{}", r.summary);
    let r = chain_verdict(b"\x00\x01\x02 hello");
    assert_eq!(r.verdict, Verdict::NoCertificates);
    let r = chain_verdict(b"");
    assert_eq!(r.verdict, Verdict::NoCertificates);
    // A damaged body: valid base64, not a certificate.
    let damaged = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
    let r = chain_verdict(damaged.as_bytes());
    assert_eq!(r.verdict, Verdict::NoCertificates);
    assert!(has(&r, "input.problem"));
}

#[test]
fn certificate_model_fields() {
    let r = chain_verdict(format!("{LEAF}{INT}").as_bytes());
    let leaf = &r.certificates[0].cert;
    assert_eq!(
        leaf.subject.display(),
        "CN=mail.example.test, O=Example Corp, C=US"
    );
    assert_eq!(
        leaf.dns_names.to_vec(),
        vec!["mail.example.test", "imap.example.test"]
    );
    assert_eq!(
        leaf.key,
        imap_doctor_engine::x509::cert::KeyInfo::Rsa { bits: 2048 }
    );
    assert_eq!(leaf.signature_algorithm.java_name(), "SHA256withECDSA");
    assert_eq!(leaf.ocsp, vec!["http://ocsp.fixture.test"]);
    assert_eq!(
        leaf.extended_key_usage.as_deref(),
        Some(&["serverAuth".to_string()][..])
    );
    assert_eq!(leaf.sha256.to_string().len(), 32 * 3 - 1);
    assert_eq!(leaf.sha1.to_string().len(), 20 * 3 - 1);
    let int = &r.certificates[1].cert;
    assert_eq!(int.basic_constraints.as_ref().unwrap().path_len, Some(0));
    assert_eq!(int.crl_points, vec!["http://pki.fixture.test/root.crl"]);
    assert_eq!(leaf.authority_key_id, int.subject_key_id);
    assert!(
        matches!(&int.key, imap_doctor_engine::x509::cert::KeyInfo::Ec { curve, .. } if curve == "P-256")
    );
}

#[test]
fn missing_public_root_is_named_when_public_roots_are_off() {
    // A chain whose issuer is a real public root: take any bundled root's name.
    let root = &imap_doctor_engine::x509::roots::public_roots()[0];
    let int = self_named_leaf(&root.subject.display());
    let r = analyze(
        &[Input {
            name: "p",
            bytes: int.as_bytes(),
        }],
        &[],
        &Options {
            at: at(),
            public_roots: false,
            ..Default::default()
        },
    );
    assert_eq!(r.verdict, Verdict::MissingIntermediate);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "chain.missing-intermediate")
        .unwrap();
    assert!(f.fix[0].contains("public root"), "{:?}", f.fix);
}

/// A certificate issued (by name) by `issuer_dn`, signed by a throwaway key.
fn self_named_leaf(issuer_dn: &str) -> String {
    let dir = std::env::temp_dir().join(format!("imap-doctor-named-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let subj: String = imap_doctor_engine::x509::dn::Dn::parse_text(issuer_dn)
        .unwrap()
        .rdns
        .iter()
        .flatten()
        .map(|a| {
            let n = imap_doctor_engine::x509::dn::short_name(&a.oid).unwrap_or("CN");
            format!("/{n}={}", a.value.text().replace('/', "\\/"))
        })
        .collect();
    let run = |args: &[&str]| {
        let o = std::process::Command::new("openssl")
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "3650",
        "-subj",
        &subj,
    ]);
    run(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "l.key",
        "-out",
        "l.csr",
        "-subj",
        "/CN=mail.example.test",
    ]);
    run(&[
        "x509",
        "-req",
        "-in",
        "l.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "l.pem",
        "-days",
        "3000",
    ]);
    std::fs::read_to_string(dir.join("l.pem")).unwrap()
}
