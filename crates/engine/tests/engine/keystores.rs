//! Trust stores: JKS, JCEKS and PKCS#12 files made by the JDK's own keytool,
//! keytool text output, and the Java oracle with a keytool-made trust store.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use imap_doctor_engine::diagnose::parse_time;
use imap_doctor_engine::{analyze, Input, Options, Report, Verdict};
use imap_doctor_testkit::*;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");

fn at() -> i64 {
    parse_time("2030-01-01T00:00:00Z").unwrap()
}

fn run(store: &[u8], password: Option<&str>) -> Report {
    let paste = std::fs::read(format!("{FIX}/full-chain.txt")).unwrap();
    analyze(
        &[Input {
            name: "paste",
            bytes: &paste,
        }],
        &[Input {
            name: "store",
            bytes: store,
        }],
        &Options {
            at: at(),
            public_roots: false,
            keystore_password: password.map(str::to_string),
            ..Default::default()
        },
    )
}

/// Makes a trust store of `kind` holding the fixture root (alias fixture-root),
/// plus a private-key entry when `with_key`.
fn make_store(kind: &str, password: &str, with_key: bool) -> PathBuf {
    let dir = scratch(&format!("ks-{kind}-{password}-{with_key}"));
    let file = dir.join(format!("trust.{}", kind.to_lowercase()));
    let f = file.to_str().unwrap();
    let root = format!("{FIX}/pki/root.pem");
    keytool(
        &dir,
        &[
            "-importcert",
            "-noprompt",
            "-alias",
            "fixture-root",
            "-file",
            &root,
            "-keystore",
            f,
            "-storetype",
            kind,
            "-storepass",
            password,
        ],
    );
    if with_key {
        keytool(
            &dir,
            &[
                "-genkeypair",
                "-alias",
                "server-key",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=archiver.example.test",
                "-keystore",
                f,
                "-storetype",
                kind,
                "-storepass",
                password,
                "-keypass",
                password,
            ],
        );
    }
    file
}

fn anchored_by_alias(r: &Report) -> bool {
    r.anchor.as_ref().and_then(|a| a.label.clone()).as_deref() == Some("alias fixture-root")
}

#[test]
fn jks_and_jceks_read_without_and_with_password() {
    for kind in ["JKS", "JCEKS"] {
        let file = make_store(kind, "s3cret-pw", false);
        let bytes = std::fs::read(&file).unwrap();
        let r = run(&bytes, None);
        assert_eq!(r.verdict, Verdict::Trusted, "{kind}: {}", r.to_text());
        assert!(anchored_by_alias(&r), "{kind}: {:?}", r.anchor);
        assert!(
            r.notices
                .iter()
                .any(|n| n.contains(kind) && n.contains("integrity not checked")),
            "{:?}",
            r.notices
        );
        let r = run(&bytes, Some("s3cret-pw"));
        assert_eq!(r.verdict, Verdict::Trusted);
        assert!(
            r.notices.iter().any(|n| n.contains("integrity checked")),
            "{:?}",
            r.notices
        );
        let r = run(&bytes, Some("wrong"));
        assert_ne!(r.verdict, Verdict::Trusted);
        assert!(
            r.notices
                .iter()
                .any(|n| n.contains("password does not open")),
            "{:?}",
            r.notices
        );
        // The JDK agrees on the very same store.
        let chain = file.parent().unwrap().join("leaf-int.pem");
        std::fs::write(
            &chain,
            format!(
                "{}{}",
                std::fs::read_to_string(format!("{FIX}/pki/leaf.pem")).unwrap(),
                std::fs::read_to_string(format!("{FIX}/pki/int.pem")).unwrap()
            ),
        )
        .unwrap();
        assert_eq!(
            java_oracle_keystore(&chain, &file, kind, "s3cret-pw"),
            JavaSays::Trusted
        );
    }
}

#[test]
fn pkcs12_default_and_given_password() {
    let file = make_store("PKCS12", "changeit", false);
    let r = run(&std::fs::read(&file).unwrap(), None);
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    assert!(anchored_by_alias(&r));
    let file = make_store("PKCS12", "other-pw", false);
    let bytes = std::fs::read(&file).unwrap();
    let r = run(&bytes, None);
    assert_ne!(r.verdict, Verdict::Trusted);
    assert!(
        r.notices
            .iter()
            .any(|n| n.contains("not protected by the default password changeit")),
        "{:?}",
        r.notices
    );
    let r = run(&bytes, Some("other-pw"));
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    let r = run(&bytes, Some("nope"));
    assert!(
        r.notices
            .iter()
            .any(|n| n.contains("password does not open")),
        "{:?}",
        r.notices
    );
}

#[test]
fn private_key_entries_are_never_shown() {
    for kind in ["JKS", "PKCS12"] {
        let file = make_store(kind, "changeit", true);
        let r = run(&std::fs::read(&file).unwrap(), Some("changeit"));
        assert_eq!(r.verdict, Verdict::Trusted, "{kind}");
        assert!(
            r.notices.iter().any(|n| n.contains("1 private-key entr")),
            "{kind}: {:?}",
            r.notices
        );
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("PRIVATE KEY"));
        // The key entry's own certificate is listed as a trusted certificate, never its key.
        assert!(r
            .certificates
            .iter()
            .any(|c| c.cert.subject.display() == "CN=archiver.example.test"));
    }
}

#[test]
fn corrupt_keystores_get_a_message() {
    let file = make_store("JKS", "changeit", false);
    let bytes = std::fs::read(&file).unwrap();
    let r = run(&bytes[..bytes.len() / 2], None);
    assert!(
        r.notices.iter().any(|n| n.contains("damaged")),
        "{:?}",
        r.notices
    );
    let mut bad = bytes.clone();
    bad[8..12].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    let r = run(&bad, None);
    assert!(
        r.notices.iter().any(|n| n.contains("damaged")),
        "{:?}",
        r.notices
    );
    let file = make_store("PKCS12", "changeit", false);
    let p12 = std::fs::read(&file).unwrap();
    let r = run(&p12[..p12.len() - 40], None);
    assert_ne!(r.verdict, Verdict::Trusted);
    assert!(!r.notices.is_empty());
}

#[test]
fn keytool_text_outputs() {
    let file = make_store("PKCS12", "changeit", false);
    let dir = file.parent().unwrap();
    let f = file.to_str().unwrap();
    // -list -rfc: aliases and PEM.
    let rfc = keytool(
        dir,
        &["-list", "-rfc", "-keystore", f, "-storepass", "changeit"],
    );
    let r = run(rfc.as_bytes(), None);
    assert_eq!(r.verdict, Verdict::Trusted);
    assert!(anchored_by_alias(&r), "{:?}", r.anchor);
    // -printcert -rfc.
    let printed = keytool(
        dir,
        &[
            "-printcert",
            "-rfc",
            "-file",
            &format!("{FIX}/pki/root.pem"),
        ],
    );
    assert_eq!(run(printed.as_bytes(), None).verdict, Verdict::Trusted);
    // -list -v: names and fingerprints only.
    let v = keytool(
        dir,
        &["-list", "-v", "-keystore", f, "-storepass", "changeit"],
    );
    let r = run(v.as_bytes(), None);
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule.id() == "truststore.listing"),
        "{}",
        r.to_text()
    );
    // The listing names the root, which the server does not send: trusted by name only.
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule.id() == "truststore.name-only"),
        "{}",
        r.to_text()
    );
    assert_eq!(r.verdict, Verdict::Trusted);
    // The summary names what anchors the chain (the listing's entry, by
    // name only), never an empty anchor ("leads to .").
    assert!(
        r.summary.contains("trust-store listing") && r.summary.contains("by name only"),
        "{}",
        r.summary
    );
    // No finding was written and then withdrawn: nothing refers to a
    // finding the report does not hold.
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
    for f in &r.findings {
        let text = format!("{} {:?}", f.message, f.fix);
        assert!(
            !text.contains("see chain.missing-intermediate")
                || ids.contains(&"chain.missing-intermediate"),
            "{text}"
        );
    }
}

#[test]
fn listing_fingerprint_of_a_sent_root_anchors_it() {
    let dir = scratch("ks-list-fp");
    let f = dir.join("t.p12");
    let fs = f.to_str().unwrap();
    keytool(
        &dir,
        &[
            "-importcert",
            "-noprompt",
            "-alias",
            "corp-root",
            "-file",
            &format!("{FIX}/pki/root.pem"),
            "-keystore",
            fs,
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
        ],
    );
    let v = keytool(
        &dir,
        &["-list", "-v", "-keystore", fs, "-storepass", "changeit"],
    );
    let paste = std::fs::read(format!("{FIX}/untrusted-root.txt")).unwrap();
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: &paste,
        }],
        &[Input {
            name: "listing",
            bytes: v.as_bytes(),
        }],
        &Options {
            at: at(),
            public_roots: false,
            ..Default::default()
        },
    );
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    assert!(r.anchor.unwrap().label.unwrap().contains("alias corp-root"));
}
