//! One diagnosis: the headline, the summary and the findings come from one
//! decision and never contradict each other (the examples of the issue "One
//! diagnosis from all the evidence").

use imap_doctor_engine::diagnose::parse_time;
use imap_doctor_engine::report::headline::Outcome;
use imap_doctor_engine::{analyze, Input, Options, Report, Severity, Verdict};
use imap_doctor_testkit::*;

fn run(paste: &str, trust: &[&str], host: Option<&str>) -> Report {
    let trust: Vec<Input> = trust
        .iter()
        .map(|t| Input {
            name: "trust.pem",
            bytes: t.as_bytes(),
        })
        .collect();
    analyze(
        &[Input {
            name: "paste",
            bytes: paste.as_bytes(),
        }],
        &trust,
        &Options {
            at: now().unix_timestamp(),
            host: host.map(str::to_string),
            public_roots: false,
            ..Options::default()
        },
    )
}

/// Every finding id a finding's text refers to is in the report.
fn references_resolve(r: &Report) {
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
    for f in &r.findings {
        let text = format!("{} {:?}", f.message, f.fix);
        for rule in imap_doctor_engine::Rule::ALL {
            if text.contains(&format!("see {}", rule.id())) {
                assert!(
                    ids.contains(&rule.id()),
                    "{} refers to {} which is not reported",
                    f.rule.id(),
                    rule.id()
                );
            }
        }
    }
}

#[test]
fn host_mismatch_is_never_headed_trusted() {
    let root = self_signed(&Spec::ca("Diag Root"));
    let leaf = issued(&Spec::leaf("mail.example.test"), &root);
    let r = run(&pems(&[&leaf]), &[&root.pem()], Some("imap.other.test"));
    // The chain itself is fine…
    assert_eq!(r.verdict, Verdict::Trusted);
    // …but the headline, the summary and the first error all say the host name.
    assert_eq!(r.headline.outcome, Outcome::Rejects, "{:?}", r.headline);
    assert!(r.headline.word.contains("host name"), "{}", r.headline.word);
    assert_eq!(r.headline.rule.map(|x| x.id()), Some("host.mismatch"));
    assert!(r.summary.contains("will still fail"), "{}", r.summary);
    let first_error = r
        .findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .unwrap();
    assert_eq!(first_error.rule.id(), "host.mismatch");
    assert!(
        r.java_error
            .as_deref()
            .unwrap_or("")
            .contains("imap.other.test"),
        "{:?}",
        r.java_error
    );
    references_resolve(&r);
}

#[test]
fn host_mismatch_without_identity_check_is_a_warning_and_no_java_error() {
    let root = self_signed(&Spec::ca("Diag Root 2"));
    let leaf = issued(&Spec::leaf("mail.example.test"), &root);
    let trust = root.pem();
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: pems(&[&leaf]).as_bytes(),
        }],
        &[Input {
            name: "trust.pem",
            bytes: trust.as_bytes(),
        }],
        &Options {
            at: now().unix_timestamp(),
            host: Some("imap.other.test".into()),
            public_roots: false,
            identity_check: false,
            ..Options::default()
        },
    );
    assert_eq!(
        r.headline.outcome,
        Outcome::ConnectsWithWarnings,
        "{:?}",
        r.headline
    );
    assert_eq!(r.java_error, None);
}

#[test]
fn an_error_text_alone_is_headed_by_its_cause() {
    let r = run("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID", &[], None);
    assert_eq!(r.headline.outcome, Outcome::LoginFails, "{:?}", r.headline);
    assert!(!r.headline.word.to_lowercase().contains("no certificates"));
    let r = run(
        "javax.mail.MessagingException: * BYE User is authenticated but not connected.",
        &[],
        None,
    );
    assert_eq!(r.headline.rule.map(|x| x.id()), Some("imap.not-connected"));
    assert_eq!(r.headline.outcome, Outcome::LoginFails);
}

#[test]
fn a_password_login_to_exchange_online_is_basic_auth_off() {
    let log = "S: * OK The Microsoft Exchange IMAP4 service is ready. [outlook.office365.com]\nC: A1 AUTHENTICATE PLAIN\nS: +\nC: REDACTED\nS: A1 NO AUTHENTICATE failed.\n";
    let r = run(log, &[], None);
    assert_eq!(
        r.headline.rule.map(|x| x.id()),
        Some("m365.basic-auth-disabled"),
        "{:?}",
        r.findings.iter().map(|f| f.rule.id()).collect::<Vec<_>>()
    );
    assert!(r
        .findings
        .iter()
        .all(|f| f.rule.id() != "oauth.authenticate-failed"));
    // The same failure with XOAUTH2 is the token being refused.
    let log = "S: * OK The Microsoft Exchange IMAP4 service is ready. [outlook.office365.com]\nC: A1 AUTHENTICATE XOAUTH2 dXNlcj0...\nS: A1 NO AUTHENTICATE failed.\n";
    let r = run(log, &[], None);
    assert_eq!(
        r.headline.rule.map(|x| x.id()),
        Some("oauth.authenticate-failed")
    );
}

#[test]
fn names_only_self_signed_server_is_not_a_missing_intermediate() {
    // s_client without -showcerts: the chain list names one certificate
    // whose issuer is itself (Dovecot's default certificate).
    let paste = "CONNECTED(00000003)\ndepth=0 CN = imap.example.com\nverify error:num=18:self-signed certificate\nverify return:1\n---\nCertificate chain\n 0 s:CN = imap.example.com\n   i:CN = imap.example.com\n---\nServer certificate\nsubject=CN = imap.example.com\n";
    let r = run(paste, &[], None);
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
    assert!(ids.contains(&"chain.self-signed-leaf"), "{ids:?}");
    assert!(!ids.contains(&"chain.missing-intermediate"), "{ids:?}");
    assert_eq!(
        r.headline.rule.map(|x| x.id()),
        Some("chain.self-signed-leaf")
    );
}

#[test]
fn names_only_expired_intermediate_is_not_trusted() {
    // OpenSSL 3 prints each certificate's validity; the intermediate here
    // expired long ago, so the names-only verdict must not be "trusted".
    let root = self_signed(&Spec::ca("Names Root"));
    let subject_root = "C = US, O = Test Org, CN = Names Root";
    let paste = format!("CONNECTED(00000003)\n---\nCertificate chain\n 0 s:CN = mail.example.test\n   i:CN = Names Int\n   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256\n   v:NotBefore: Jan  1 00:00:00 2020 GMT; NotAfter: Jan  1 00:00:00 2099 GMT\n 1 s:CN = Names Int\n   i:{subject_root}\n   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256\n   v:NotBefore: Jan  1 00:00:00 2015 GMT; NotAfter: Jan  1 00:00:00 2020 GMT\n---\n");
    let r = run(&paste, &[&root.pem()], None);
    assert_ne!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
    assert!(ids.contains(&"chain.expired"), "{ids:?}");
    assert!(ids.contains(&"input.showcerts-missing"), "{ids:?}");
    let at = parse_time("2019-06-01T00:00:00Z").unwrap();
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: paste.as_bytes(),
        }],
        &[Input {
            name: "trust.pem",
            bytes: root.pem().as_bytes(),
        }],
        &Options {
            at,
            public_roots: false,
            ..Options::default()
        },
    );
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    // Trusted by names only, and it says so.
    assert!(r.summary.contains("names"), "{}", r.summary);
}

#[test]
fn a_handshake_failure_does_not_ask_for_showcerts() {
    let paste = "openssl s_client -showcerts -connect mail.example.com:993\nCONNECTED(00000003)\nwrite:errno=104\n---\nno peer certificate available\n---\nNo client certificate CA names sent\n---\nSSL handshake has read 0 bytes and written 305 bytes\n";
    let r = run(paste, &[], None);
    assert_eq!(
        r.headline.rule.map(|x| x.id()),
        Some("tls.handshake-failed"),
        "{:?}",
        r.headline
    );
    assert!(
        !r.summary.contains("run it again with -showcerts"),
        "{}",
        r.summary
    );
    assert!(r
        .findings
        .iter()
        .all(|f| f.rule.id() != "input.showcerts-missing"));
}

#[test]
fn exchange_online_gets_its_chain_note() {
    // A real s_client paste of outlook.office365.com (tests/corpus 153):
    // names only, trusted by Java 17's own DigiCert/GlobalSign roots, and
    // the Exchange Online note says which chain it serves.
    let paste = include_str!(
        "../../../../tests/corpus/texts/153-outlook-993-globalsign-chain-2021-s-client.txt"
    );
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: paste.as_bytes(),
        }],
        &[],
        &Options {
            at: parse_time("2026-11-26T00:00:00Z").unwrap(),
            ..Options::default()
        },
    );
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
    assert!(ids.contains(&"m365.certificate-chain"), "{ids:?}");
    assert!(!ids.contains(&"chain.missing-intermediate"), "{ids:?}");
    assert_eq!(r.verdict, Verdict::Trusted);
    // What an archiver's own store needs: DigiCert's roots, and DigiCert's
    // cross-signs of Microsoft's G2 roots (real CCADB certificates) for the
    // front ends that do not send them.
    let note = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "m365.certificate-chain")
        .unwrap();
    let steps = format!("{:?}", note.fix);
    for needed in [
        "DigiCert Global Root G2 (SHA-256",
        "Microsoft TLS RSA Root G2 cross-signed by DigiCert Global Root G2 (SHA-256 DD:CD:1E:8A",
        "Microsoft TLS ECC Root G2 cross-signed by DigiCert Global Root G3 (SHA-256 61:79:9E:35",
    ] {
        assert!(steps.contains(needed), "{needed}: {steps}");
    }
}
