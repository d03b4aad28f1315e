//! `probe --oauth`: the token endpoint's chain, judged like the IMAP
//! server's. A token endpoint stub speaks TLS on loopback with its own test
//! PKI (rustls as the server); the archiver's Java must trust it to get a
//! token. Three cases: trusted through a PKCS#12 truststore made by keytool
//! (`--trust-store archiver-only`), a missing intermediate, an untrusted root.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;

use imap_doctor_testkit::*;

use crate::probe::{jwt, oauth_probe_args, probe, rules, step_ok, stub, xoauth_stub};
use crate::support::{finding, read_http_body};

const TENANT: &str = "11111111-2222-3333-4444-555555555555";
const CLIENT: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

/// A token endpoint over TLS on 127.0.0.1 presenting `chain` (leaf first,
/// its key `key_der`), answering each POST with a token that has
/// IMAP.AccessAsApp. Serves a few connections, then ends.
fn tls_token_endpoint(chain: Vec<Vec<u8>>, key_der: Vec<u8>) -> u16 {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            chain.into_iter().map(CertificateDer::from).collect(),
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_der)),
        )
        .unwrap();
    let cfg = Arc::new(cfg);
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten().take(4) {
            let cfg = cfg.clone();
            std::thread::spawn(move || {
                let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                let conn = rustls::ServerConnection::new(cfg).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, s);
                // A client that drops the connection (the probe after
                // capturing the chain) ends here.
                if read_http_body(&mut BufReader::new(&mut tls)).is_none() {
                    return;
                }
                let body = format!(
                    "{{\"token_type\":\"Bearer\",\"access_token\":\"{}\"}}",
                    jwt(&["IMAP.AccessAsApp"])
                );
                let _ = write!(
                    tls,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    port
}

fn run(endpoint: u16, extra: &[&str]) -> (i32, serde_json::Value) {
    // The IMAP stub speaks plain text; this test is about the token endpoint.
    let owned = oauth_probe_args(
        stub(2, xoauth_stub),
        &format!("https://localhost:{endpoint}"),
    );
    let mut args: Vec<&str> = owned.iter().map(String::as_str).collect();
    args.extend_from_slice(extra);
    probe(
        &args,
        &[
            ("IMAP_DOCTOR_TENANT", TENANT),
            ("IMAP_DOCTOR_CLIENT_ID", CLIENT),
            ("IMAP_DOCTOR_CLIENT_SECRET", "s3cr3t"),
        ],
    )
}

/// The findings about the token endpoint's chain: their rule ids.
fn token_findings(v: &serde_json::Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["evidence"].as_array().is_some_and(|e| {
                e.iter().any(|e| {
                    e.as_str()
                        .unwrap_or("")
                        .contains("the token endpoint's chain")
                })
            })
        })
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

struct Pki {
    root: TestCert,
    int: TestCert,
    leaf: TestCert,
    key: Vec<u8>,
    dir: std::path::PathBuf,
}

fn pki(name: &str) -> Pki {
    let root = self_signed(&Spec::ca(&format!("Token Root CA {name}")));
    let int = issued(&Spec::ca(&format!("Token Issuing CA {name}")), &root);
    let leaf = issued(&Spec::leaf("localhost"), &int);
    // A TestCert carries its own key (as the issuer of what it could sign).
    let key = leaf.issuer.as_ref().unwrap().key().serialize_der();
    let dir = scratch(&format!("token-endpoint-{name}"));
    std::fs::write(dir.join("root.pem"), root.pem()).unwrap();
    Pki {
        root,
        int,
        leaf,
        key,
        dir,
    }
}

#[test]
fn trusted_through_the_archivers_truststore() {
    let p = pki("trusted");
    // The archiver's own store (a PKCS#12 truststore, as keytool makes it)
    // holds the test root; nothing else is trusted.
    keytool(
        &p.dir,
        &[
            "-importcert",
            "-noprompt",
            "-alias",
            "token-root",
            "-file",
            "root.pem",
            "-keystore",
            "truststore.p12",
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
        ],
    );
    let store = p.dir.join("truststore.p12").display().to_string();
    let port = tls_token_endpoint(vec![p.leaf.der.clone(), p.int.der.clone()], p.key.clone());
    let (_, v) = run(port, &["--trust", &store, "--trust-store", "archiver-only"]);
    assert!(step_ok(&v, "token-tls"), "{v:#}");
    let t = token_findings(&v);
    assert!(t.iter().all(|(_, sev)| sev != "error"), "{t:?}");
    assert!(t.iter().any(|(id, _)| id == "chain.ok"), "{t:?}");
    // The token came over a connection whose root is the one Java trusts.
    assert!(step_ok(&v, "token") && step_ok(&v, "login"), "{v:#}");

    // The same endpoint with Java's own cacerts: the test root is not in it.
    let port = tls_token_endpoint(vec![p.leaf.der.clone(), p.int.der.clone()], p.key.clone());
    let (code, v) = run(port, &[]);
    assert!(!step_ok(&v, "token-tls") && !step_ok(&v, "token"), "{v:#}");
    let t = token_findings(&v);
    assert!(
        t.iter()
            .any(|(id, sev)| id == "chain.missing-intermediate" && sev == "error")
            || t.iter()
                .any(|(id, sev)| id == "chain.untrusted-root" && sev == "error"),
        "{t:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_missing_intermediate_on_the_token_endpoint() {
    let p = pki("missing");
    let root = p.dir.join("root.pem").display().to_string();
    // The endpoint sends its certificate alone.
    let port = tls_token_endpoint(vec![p.leaf.der.clone()], p.key.clone());
    let (code, v) = run(port, &["--trust", &root, "--no-public-roots"]);
    let t = token_findings(&v);
    assert!(
        t.contains(&("chain.missing-intermediate".into(), "error".into())),
        "{t:?} {v:#}"
    );
    let f = finding(&v, "chain.missing-intermediate").unwrap();
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("Token endpoint localhost:"),
        "{f:#}"
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("Token Issuing CA missing"),
        "{f:#}"
    );
    // The endpoint was reached: the chain is the cause, not the network.
    assert!(!step_ok(&v, "token-tls") && !step_ok(&v, "token"), "{v:#}");
    assert!(!rules(&v).contains(&"oauth.token-endpoint-unreachable".to_string()));
    assert_eq!(code, 1);
}

#[test]
fn an_untrusted_root_on_the_token_endpoint() {
    let p = pki("untrusted");
    let other = self_signed(&Spec::ca("Some Other Root"));
    std::fs::write(p.dir.join("other.pem"), other.pem()).unwrap();
    let other = p.dir.join("other.pem").display().to_string();
    // The endpoint sends its whole chain, root included; the archiver
    // trusts another root only.
    let port = tls_token_endpoint(
        vec![p.leaf.der.clone(), p.int.der.clone(), p.root.der.clone()],
        p.key.clone(),
    );
    let (code, v) = run(port, &["--trust", &other, "--no-public-roots"]);
    let t = token_findings(&v);
    assert!(
        t.contains(&("chain.untrusted-root".into(), "error".into())),
        "{t:?} {v:#}"
    );
    assert!(!step_ok(&v, "token"), "{v:#}");
    assert_eq!(code, 1);
}

#[test]
fn an_unreachable_token_endpoint() {
    // Nothing listens there: the chain check says so once, and the token
    // request is not made.
    let closed = crate::support::free_port();
    let (code, v) = run(closed, &[]);
    assert!(!step_ok(&v, "token-tls") && !step_ok(&v, "token"), "{v:#}");
    let r = rules(&v);
    assert_eq!(
        r.iter()
            .filter(|id| *id == "oauth.token-endpoint-unreachable")
            .count(),
        1,
        "{r:?}"
    );
    assert!(token_findings(&v).is_empty(), "{v:#}");
    assert_eq!(code, 1);
}
