//! The probe's capture as typed evidence: the same verdict and findings as
//! the s_client transcript the probe prints for `--paste`, with nothing the
//! server says read as an s_client line or an error text.

use imap_doctor_engine::diagnose::analyze_capture;
use imap_doctor_engine::input::capture::Capture;
use imap_doctor_engine::{analyze, Input, Options, Report, Verdict};
use imap_doctor_testkit::*;

fn opts(host: &str) -> Options {
    Options {
        at: now().unix_timestamp(),
        host: Some(host.to_string()),
        public_roots: false,
        ..Options::default()
    }
}

fn both(c: &Capture, trust: &str) -> (Report, Report) {
    let trust = [Input {
        name: "trust.pem",
        bytes: trust.as_bytes(),
    }];
    let typed = analyze_capture(c, &trust, &opts(&c.host));
    let paste = c.transcript();
    let text = analyze(
        &[Input {
            name: "probe",
            bytes: paste.as_bytes(),
        }],
        &trust,
        &opts(&c.host),
    );
    (typed, text)
}

fn ids(r: &Report) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.rule.id()).collect()
}

fn capture(chain: &[&TestCert], greeting: &str, caps: &[&str]) -> Capture {
    Capture {
        host: "mail.example.test".into(),
        port: 993,
        chain: chain.iter().map(|c| c.der.clone()).collect(),
        protocol: Some("TLSv1.3".into()),
        cipher: Some("TLS13_AES_256_GCM_SHA384".into()),
        greeting: Some(greeting.into()),
        capabilities: caps.iter().map(|c| c.to_string()).collect(),
        ..Capture::default()
    }
}

#[test]
fn typed_capture_and_its_transcript_agree() {
    let root = self_signed(&Spec::ca("Capture Root"));
    let int = issued(&Spec::ca("Capture Issuing CA"), &root);
    let leaf = issued(&Spec::leaf("mail.example.test"), &int);
    let other = issued(&Spec::leaf("imap.other.test"), &int);
    let cases: Vec<(&str, Vec<&TestCert>, String, Verdict)> = vec![
        ("complete", vec![&leaf, &int], root.pem(), Verdict::Trusted),
        (
            "missing intermediate",
            vec![&leaf],
            root.pem(),
            Verdict::MissingIntermediate,
        ),
        (
            "untrusted root",
            vec![&leaf, &int, &root],
            self_signed(&Spec::ca("Another Root")).pem(),
            Verdict::UntrustedRoot,
        ),
        (
            "host mismatch",
            vec![&other, &int],
            root.pem(),
            Verdict::Trusted,
        ),
    ];
    for (name, chain, trust, verdict) in cases {
        let c = capture(
            &chain,
            "* OK [CAPABILITY IMAP4rev1] ready",
            &["IMAP4REV1", "AUTH=PLAIN"],
        );
        let (typed, text) = both(&c, &trust);
        assert_eq!(typed.verdict, verdict, "{name}: {:?}", ids(&typed));
        assert_eq!(typed.verdict, text.verdict, "{name}");
        assert_eq!(ids(&typed), ids(&text), "{name}");
        assert_eq!(typed.path, text.path, "{name}");
        assert_eq!(typed.headline.word, text.headline.word, "{name}");
        // The facts cite the lines of the --paste transcript.
        let o = typed.openssl.as_ref().unwrap();
        let t = c.transcript();
        let lines: Vec<&str> = t.lines().collect();
        let p = o.protocol.as_ref().unwrap();
        assert_eq!(lines[p.line - 1].trim(), "Protocol  : TLSv1.3", "{name}");
        for e in &o.chain {
            assert!(
                lines[e.line - 1].contains(&format!("{} s:{}", e.depth, e.subject)),
                "{name}"
            );
        }
        assert_eq!(o.chain.len(), chain.len(), "{name}");
    }
}

#[test]
fn what_the_server_says_is_not_read_as_an_error_text() {
    let root = self_signed(&Spec::ca("Capture Root 2"));
    let leaf = issued(&Spec::leaf("mail.example.test"), &root);
    // A greeting and capabilities that, read as text, look like errors: a
    // Java timeout, an OpenSSL error line and LOGINDISABLED before STARTTLS.
    let c = capture(
        &[&leaf],
        "* OK Read timed out; 40F7:error:0A00010B:SSL routines::wrong version number errno=104",
        &["IMAP4REV1", "STARTTLS", "LOGINDISABLED"],
    );
    let (typed, text) = both(&c, &root.pem());
    assert_eq!(typed.verdict, Verdict::Trusted);
    assert!(
        typed
            .findings
            .iter()
            .all(|f| f.severity != imap_doctor_engine::Severity::Error),
        "{:?}",
        ids(&typed)
    );
    // The transcript read as a paste does take them for evidence: the reason
    // the probe hands the engine data.
    assert!(
        ids(&text)
            .iter()
            .any(|i| *i == "imap.login-disabled" || i.starts_with("tls.")),
        "{:?}",
        ids(&text)
    );
}
