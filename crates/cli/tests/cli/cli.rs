//! The `imap-doctor analyze` command line: output, JSON schema, exit codes,
//! and chains captured live from `openssl s_server` on loopback.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use imap_doctor_testkit::*;

use crate::support::finding;

const BIN: &str = env!("CARGO_BIN_EXE_imap-doctor");
const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");

fn run(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut si = child.stdin.take().unwrap();
        if let Some(b) = stdin {
            si.write_all(b).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_report_schema_and_exit_one_on_error() {
    let file = format!("{FIX}/missing-intermediate.txt");
    let root = format!("{FIX}/pki/root.pem");
    let (code, out, _) = run(
        &[
            "analyze",
            &file,
            "--trust",
            &root,
            "--no-public-roots",
            "--at",
            "2030-01-01T00:00:00Z",
            "--json",
        ],
        None,
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "missing-intermediate");
    let c = &v["certificates"][0];
    for k in ["subject", "issuer", "sha256", "source"] {
        assert!(c.get(k).is_some(), "certificate field {k}");
    }
    assert_eq!(c["source"], "server");
    assert!(v["path"].as_array().unwrap().len() == 1);
    assert_eq!(
        v["missing"]["issuer"],
        "CN=Fixture TLS Issuing CA 1, O=Fixture Trust, C=US"
    );
    assert!(v["missing"]["authority_key_id"].is_string());
    assert_eq!(
        v["missing"]["ca_issuers"][0],
        "http://pki.fixture.test/issuing1.cer"
    );
    let f = finding(&v, "chain.missing-intermediate").unwrap();
    assert_eq!(f["severity"], "error");
    assert!(f["message"].is_string() && f["evidence"].is_array() && f["fix"].is_array());
}

#[test]
fn human_report_and_exit_zero_when_trusted() {
    let file = format!("{FIX}/full-chain.txt");
    let root = format!("{FIX}/pki/root.pem");
    let (code, out, _) = run(
        &[
            "analyze",
            &file,
            "--trust",
            &root,
            "--at",
            "2030-01-01T00:00:00Z",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("Verdict: TRUSTED"));
    assert!(out.contains("chain.ok"));
    assert!(out.contains("[2] CN=Fixture Root CA"));
}

#[test]
fn reads_standard_input() {
    let leaf = std::fs::read(format!("{FIX}/pki/leaf.pem")).unwrap();
    let (code, out, _) = run(&["analyze", "--at", "2030-01-01T00:00:00Z"], Some(&leaf));
    assert_eq!(code, 1);
    assert!(
        out.contains("MISSING: CN=Fixture TLS Issuing CA 1"),
        "{out}"
    );
}

#[test]
fn unusable_input_exits_two_with_a_reason() {
    let (code, _, err) = run(&["analyze", "-"], Some(b"this is not a certificate"));
    assert_eq!(code, 2);
    assert!(err.contains("No certificate was found"), "{err}");
    let (code, _, err) = run(&["analyze", "/nonexistent/chain.pem"], None);
    assert_eq!(code, 2);
    assert!(err.contains("cannot open /nonexistent/chain.pem"), "{err}");
    let (code, _, err) = run(&["analyze", "--at", "yesterday", "-"], Some(b""));
    assert_eq!(code, 2);
    assert!(err.contains("RFC 3339"), "{err}");
    let (code, _, err) = run(
        &["analyze", "-"],
        Some(b"-----BEGIN CERTIFICATE-----\nMIIB"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("cut off"), "{err}");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Serves `cert`(+`chain`) with `openssl s_server` on loopback, captures
/// `openssl s_client -showcerts` against it.
fn capture(dir: &std::path::Path, chain_file: Option<&str>) -> String {
    let port = free_port();
    let mut args = vec![
        "s_server".to_string(),
        "-accept".into(),
        format!("127.0.0.1:{port}"),
        "-cert".into(),
        "leaf.pem".into(),
        "-key".into(),
        "leaf.key".into(),
        "-quiet".into(),
    ];
    if let Some(c) = chain_file {
        args.extend(["-cert_chain".to_string(), c.to_string()]);
    }
    let mut server = Command::new("openssl")
        .args(&args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "s_server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-servername",
            "mail.example.test",
            "-showcerts",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    format!(
        "$ openssl s_client -connect mail.example.test:{port} -showcerts\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn live_openssl_captures() {
    let p_root = self_signed(&Spec::ca("Capture Root CA"));
    let p_int = issued(&Spec::ca("Capture Issuing CA"), &p_root);
    let p_leaf = issued(
        &Spec::leaf("mail.example.test").aia("http://ca.capture.test/int.cer"),
        &p_int,
    );
    let dir = scratch("capture");
    std::fs::write(dir.join("leaf.pem"), p_leaf.pem()).unwrap();
    std::fs::write(
        dir.join("leaf.key"),
        p_leaf.issuer.as_ref().unwrap().key().serialize_pem(),
    )
    .unwrap();
    std::fs::write(dir.join("int.pem"), p_int.pem()).unwrap();
    std::fs::write(dir.join("root.pem"), p_root.pem()).unwrap();

    // Complete chain sent.
    let text = capture(&dir, Some("int.pem"));
    std::fs::write(dir.join("complete.txt"), &text).unwrap();
    let root = dir.join("root.pem");
    let (code, out, _) = run(
        &[
            "analyze",
            dir.join("complete.txt").to_str().unwrap(),
            "--trust",
            root.to_str().unwrap(),
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "trusted");
    // The chain in the report is exactly what the server sent.
    let sent: Vec<&str> = v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["source"] == "server")
        .map(|c| c["sha256"].as_str().unwrap())
        .collect();
    let expect: Vec<String> = [&p_leaf, &p_int]
        .iter()
        .map(|c| {
            imap_doctor_engine::x509::cert::Certificate::from_der(&c.der)
                .unwrap()
                .sha256
                .to_string()
        })
        .collect();
    assert_eq!(sent, expect);
    assert_eq!(v["host"], "mail.example.test");

    // Leaf only: the intermediate is missing, named with its AIA.
    let text = capture(&dir, None);
    std::fs::write(dir.join("leaf-only.txt"), &text).unwrap();
    let (code, out, _) = run(
        &[
            "analyze",
            dir.join("leaf-only.txt").to_str().unwrap(),
            "--trust",
            root.to_str().unwrap(),
            "--json",
        ],
        None,
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "missing-intermediate");
    assert_eq!(
        v["missing"]["issuer"],
        "CN=Capture Issuing CA, O=Test Org, C=US"
    );
    assert_eq!(
        v["missing"]["ca_issuers"][0],
        "http://ca.capture.test/int.cer"
    );
}

#[test]
fn error_text_alone_is_usable_input() {
    let (code, out, _) = run(
        &["analyze", "-"],
        Some(b"javax.mail.MessagingException: No login methods supported!\n"),
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("imap.login-disabled"));
    assert!(out.contains("Set-ImapSettings -LoginType PlainTextLogin"));
}

#[test]
fn keystore_password_comes_from_the_environment() {
    let dir = scratch("cli-ks");
    let store = dir.join("t.p12");
    keytool(
        &dir,
        &[
            "-importcert",
            "-noprompt",
            "-alias",
            "fixture-root",
            "-file",
            &format!("{FIX}/pki/root.pem"),
            "-keystore",
            store.to_str().unwrap(),
            "-storetype",
            "PKCS12",
            "-storepass",
            "pw-from-env",
        ],
    );
    let file = format!("{FIX}/full-chain.txt");
    let out = Command::new(BIN)
        .args([
            "analyze",
            &file,
            "--trust",
            store.to_str().unwrap(),
            "--keystore-password-env",
            "IMAP_DOCTOR_TEST_PW",
            "--at",
            "2030-01-01T00:00:00Z",
            "--no-public-roots",
        ])
        .env("IMAP_DOCTOR_TEST_PW", "pw-from-env")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("alias fixture-root"));
    let (code, _, err) = run(
        &[
            "analyze",
            &file,
            "--keystore-password-env",
            "IMAP_DOCTOR_UNSET_VAR",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("IMAP_DOCTOR_UNSET_VAR"));
}

#[test]
fn java_profile_changes_legacy_protocol_severity() {
    let file = format!("{FIX}/openssl-1.0.2-tls1.txt");
    let root = format!("{FIX}/pki/root.pem");
    let int = format!("{FIX}/pki/int.pem");
    let (code, out, _) = run(
        &[
            "analyze",
            &file,
            "--trust",
            &root,
            "--trust",
            &int,
            "--at",
            "2030-01-01T00:00:00Z",
            "--java",
            "8-old",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("WARNING tls.legacy-protocol"), "{out}");
    let (code, out, _) = run(
        &[
            "analyze",
            &file,
            "--trust",
            &root,
            "--trust",
            &int,
            "--at",
            "2030-01-01T00:00:00Z",
            "--java",
            "17",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(out.contains("ERROR   tls.legacy-protocol"), "{out}");
}
