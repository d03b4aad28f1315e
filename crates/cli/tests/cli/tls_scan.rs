//! `probe --tls-scan` against real TLS servers on loopback: `openssl
//! s_server` limited to TLS 1.0, to TLS 1.2 with one TLS_RSA suite, and a
//! default TLS 1.2/1.3 one; the same TLS 1.0 server behind an IMAP STARTTLS
//! front; and stubs that reset or stay silent after the ClientHello. The
//! chain the scan reads in clear is compared with `openssl s_client`'s.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use imap_doctor_testkit::*;

pub(crate) use crate::support::finding;
use crate::support::{free_port, BIN};

/// An `openssl s_server` on loopback; killed on drop.
struct SServer {
    child: Child,
    port: u16,
    dir: std::path::PathBuf,
}

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An RSA chain (root → intermediate → leaf for mail.example.test) made
/// with the openssl command: RSA, so that TLS_RSA suites and TLS 1.0
/// signatures work with it.
pub(crate) fn chain(name: &str) -> std::path::PathBuf {
    let dir = scratch(&format!("tls-scan-{name}"));
    let spec = |name, subject, ca| OsslSpec {
        name,
        subject,
        key: "rsa:2048",
        digest: "sha256",
        ca,
        pss: false,
    };
    openssl_chain(
        &dir,
        &[
            spec("root", "/CN=Scan Root CA", true),
            spec("int", "/CN=Scan Issuing CA", true),
            spec("leaf", "/CN=mail.example.test", false),
        ],
    );
    dir
}

fn s_server(name: &str, args: &[&str]) -> SServer {
    let dir = chain(name);
    let port = free_port();
    let child = Command::new("openssl")
        .arg("s_server")
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .args(["-cert", dir.join("leaf.pem").to_str().unwrap()])
        .args(["-key", dir.join("leaf.key").to_str().unwrap()])
        .args(["-cert_chain", dir.join("int.pem").to_str().unwrap()])
        .args(args)
        .arg("-www")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server");
    // Wait until it listens.
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "s_server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    SServer { child, port, dir }
}

pub(crate) fn probe(
    port: u16,
    mode: &str,
    timeout: &str,
    extra: &[&str],
) -> (i32, serde_json::Value, Duration) {
    let t = Instant::now();
    let out = Command::new(BIN)
        .args(["probe", "mail.example.test", "--connect-to"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["--port", &port.to_string(), "--mode", mode])
        .args(["--tls-scan", "--json", "--timeout", timeout])
        .args(extra)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{e}: {text} {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v, t.elapsed())
}

pub(crate) fn version<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["tls_scan"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == name)
        .unwrap_or_else(|| panic!("{name} not scanned: {v:#}"))
}

pub(crate) fn java<'a>(v: &'a serde_json::Value, profile: &str) -> &'a serde_json::Value {
    v["tls_scan"]["java"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["profile"] == profile)
        .unwrap_or_else(|| panic!("{profile} not simulated: {v:#}"))
}

const MODERN: [&str; 5] = ["Java8u291", "Java11", "Java17", "Java21", "Java25"];

/// What a TLS 1.0-only server must give, whatever is in front of it.
fn assert_tls10_only(v: &serde_json::Value) {
    assert_eq!(version(v, "TLSv1")["accepted"], true, "{v:#}");
    for n in ["TLSv1.1", "TLSv1.2", "TLSv1.3"] {
        assert_eq!(version(v, n)["accepted"], false, "{n}: {v:#}");
    }
    let old = java(v, "Java8u281");
    assert_eq!(old["outcome"], "connects", "{v:#}");
    assert_eq!(old["version"], "TLSv1");
    // Every Java that offers TLS 1.3 sends the same kind of hello, and
    // OpenSSL refuses it the same way: with the protocol_version alert
    // (checked against the installed JDK in the test below), not with a
    // TLS 1.0 ServerHello as a server that predates TLS 1.3 would.
    for p in MODERN {
        let r = java(v, p);
        assert_eq!(r["outcome"], "fails", "{p}: {v:#}");
        assert_eq!(
            r["message"], "Received fatal alert: protocol_version",
            "{p}"
        );
    }
    let f = finding(v, "tls.legacy-protocol").expect("tls.legacy-protocol");
    assert_eq!(f["severity"], "error");
    // The scan never sent more than its bound of connections.
    assert!(v["tls_scan"]["connections"].as_u64().unwrap() <= 12);
}

fn server_chain(v: &serde_json::Value) -> Vec<String> {
    v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["source"] == "server")
        .map(|c| c["sha256"].as_str().unwrap().to_string())
        .collect()
}

fn s_client_chain(port: u16, args: &[&str]) -> Vec<String> {
    let out = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-showcerts",
        ])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    pem::parse_many(String::from_utf8_lossy(&out.stdout).as_bytes())
        .unwrap()
        .iter()
        .map(|p| {
            imap_doctor_engine::x509::cert::Certificate::from_der(p.contents())
                .unwrap()
                .sha256
                .to_string()
        })
        .collect()
}

#[test]
fn tls10_only_server_java_table_and_its_chain_in_clear() {
    let s = s_server("tls10", &["-tls1", "-cipher", "ALL:@SECLEVEL=0"]);
    let (code, v, _) = probe(
        s.port,
        "tls",
        "5",
        &["--trust", s.dir.join("root.pem").to_str().unwrap()],
    );
    assert_eq!(code, 1, "{v:#}");
    assert_tls10_only(&v);
    // The installed JDK says what its row says.
    if let Some((feature, real)) = crate::java_client::handshakes(&[s.port]) {
        if [11, 17, 21, 25].contains(&feature) {
            assert_eq!(crate::java_client::simulated(&v, feature), real[0]);
        }
    }
    // rustls cannot read this chain; the scan read it from the Certificate
    // message in clear, and it is what openssl s_client -tls1 shows.
    let ours = server_chain(&v);
    assert_eq!(ours.len(), 2, "{v:#}");
    let theirs = s_client_chain(s.port, &["-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"]);
    assert_eq!(ours, theirs);
    assert_eq!(v["tls_scan"]["chain_certificates"], 2);
    assert!(v["tls_scan"]["chain_from"]
        .as_str()
        .unwrap()
        .starts_with("TLSv1 "));
    // The chain is judged like any other: with its root trusted, the path
    // is complete (only the protocol is wrong).
    assert_eq!(v["verdict"], "trusted", "{v:#}");
}

#[test]
fn tls12_with_only_a_tls_rsa_suite() {
    let s = s_server("rsa-kx", &["-tls1_2", "-cipher", "AES128-SHA"]);
    let (_, v, _) = probe(s.port, "tls", "5", &[]);
    let t12 = version(&v, "TLSv1.2");
    assert_eq!(t12["accepted"], true, "{v:#}");
    assert_eq!(
        t12["suites"],
        serde_json::json!(["TLS_RSA_WITH_AES_128_CBC_SHA"])
    );
    // Asked again without it, the server refused: the list is complete.
    assert_eq!(t12["complete"], true, "{v:#}");
    assert_eq!(version(&v, "TLSv1.3")["accepted"], false);
    // The java.security lines of 11.0.33, 17.0.19 and 25.0.2 hold
    // TLS_RSA_*; those of 8u281, 8u504 and 21.0.8 do not.
    for p in ["Java8u281", "Java8u291", "Java21"] {
        let r = java(&v, p);
        assert_eq!(r["outcome"], "connects", "{p}: {v:#}");
        assert_eq!(r["suite"], "TLS_RSA_WITH_AES_128_CBC_SHA");
        assert_eq!(r["version"], "TLSv1.2");
    }
    for p in ["Java11", "Java17", "Java25"] {
        let r = java(&v, p);
        assert_eq!(r["outcome"], "fails", "{p}: {v:#}");
        assert_eq!(r["message"], "Received fatal alert: handshake_failure");
    }
    let f = finding(&v, "tls.weak-cipher").expect("tls.weak-cipher");
    assert_eq!(f["severity"], "error");
    assert!(finding(&v, "tls.legacy-protocol").is_none(), "{v:#}");
}

#[test]
fn a_current_server_every_java_connects() {
    let s = s_server("modern", &[]);
    let (_, v, _) = probe(s.port, "tls", "5", &[]);
    assert_eq!(version(&v, "TLSv1.3")["accepted"], true, "{v:#}");
    assert_eq!(version(&v, "TLSv1.2")["accepted"], true, "{v:#}");
    assert_eq!(java(&v, "Java8u281")["version"], "TLSv1.2");
    for p in MODERN {
        let r = java(&v, p);
        assert_eq!(r["outcome"], "connects", "{p}: {v:#}");
        assert_eq!(r["version"], "TLSv1.3", "{p}");
    }
    assert!(finding(&v, "tls.legacy-protocol").is_none(), "{v:#}");
    assert!(finding(&v, "tls.handshake-failed").is_none(), "{v:#}");
}

/// An IMAP front with STARTTLS that, after `OK`, pipes the connection to
/// the TLS server on `backend` (as a STARTTLS port of that server would).
fn starttls_front(backend: u16) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten().take(20) {
            std::thread::spawn(move || {
                let _ = serve_front(s, backend);
            });
        }
    });
    port
}

fn serve_front(mut s: TcpStream, backend: u16) -> std::io::Result<()> {
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    s.write_all(b"* OK IMAP ready\r\n")?;
    let mut r = BufReader::new(s.try_clone()?);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let tag = line.split_whitespace().next().unwrap_or("*").to_string();
        if line.to_ascii_uppercase().contains("CAPABILITY") {
            s.write_all(
                format!("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n{tag} OK done\r\n")
                    .as_bytes(),
            )?;
        } else if line.to_ascii_uppercase().contains("STARTTLS") {
            s.write_all(format!("{tag} OK Begin TLS negotiation now\r\n").as_bytes())?;
            let b = TcpStream::connect(("127.0.0.1", backend))?;
            let (mut b2, mut s2) = (b.try_clone()?, s.try_clone()?);
            std::thread::spawn(move || std::io::copy(&mut b2, &mut s2));
            let mut b = b;
            let _ = std::io::copy(&mut r, &mut b);
            // The probe hung up: hang up on s_server too (it serves one
            // connection at a time), which also ends the other copy.
            let _ = b.shutdown(std::net::Shutdown::Both);
            return Ok(());
        } else {
            s.write_all(format!("{tag} BAD unknown\r\n").as_bytes())?;
        }
    }
}

#[test]
fn tls10_only_behind_starttls() {
    let s = s_server("tls10-starttls", &["-tls1", "-cipher", "ALL:@SECLEVEL=0"]);
    let front = starttls_front(s.port);
    let (_, v, _) = probe(front, "starttls", "5", &[]);
    assert_tls10_only(&v);
    assert_eq!(server_chain(&v).len(), 2, "{v:#}");
    // LOGINDISABLED before STARTTLS is the normal plain-text offer, not a
    // cause: the probe hands the engine its capabilities as data, so they
    // are not read as an error text (the transcript form once was).
    assert!(finding(&v, "imap.login-disabled").is_none(), "{v:#}");
}

/// Reads a little of the ClientHello and closes with the rest unread: the
/// kernel answers with a reset.
fn resetting(mut s: TcpStream) {
    let mut b = [0u8; 8];
    let _ = s.read(&mut b);
}

fn silent(s: TcpStream) {
    std::thread::sleep(Duration::from_secs(30));
    drop(s);
}

fn stub(serve: fn(TcpStream)) -> u16 {
    crate::support::stub(30, serve)
}

#[test]
fn a_server_that_resets_or_stays_silent_ends_within_its_deadline() {
    let port = stub(resetting);
    let (code, v, took) = probe(port, "tls", "2", &[]);
    assert_eq!(code, 1);
    assert!(took < Duration::from_secs(4), "{took:?}");
    assert!(finding(&v, "tls.handshake-failed").is_some(), "{v:#}");
    for p in MODERN {
        assert_eq!(java(&v, p)["outcome"], "fails", "{p}: {v:#}");
    }
    assert_eq!(v["tls_scan"]["connections"], 4, "{v:#}");

    // Silence: every connection waits its full deadline, and the scan's
    // budget (four deadlines) ends it: the handshake step (1 s) plus the
    // scan (at most 4 s).
    let port = stub(silent);
    let (code, v, took) = probe(port, "tls", "1", &[]);
    assert_eq!(code, 1);
    assert!(took < Duration::from_secs(7), "{took:?}");
    assert!(took >= Duration::from_secs(4), "{took:?}");
    for n in ["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"] {
        assert_eq!(version(&v, n)["refusal"]["kind"], "timeout", "{n}: {v:#}");
    }
    assert_eq!(java(&v, "Java17")["message"], "Read timed out");
}

/// The server's ephemeral key as the scan recorded it for `version`.
fn key_exchange<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    &version(v, name)["key_exchange"][0]
}

#[test]
fn dh_prime_size_and_curve_restrictions_against_the_jdk() {
    let dir = scratch("tls-scan-dhparam");
    let dh = dir.join("dh1024.pem");
    let o = Command::new("openssl")
        .args(["dhparam", "-out"])
        .arg(&dh)
        .arg("1024")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // openssl's own word on the prime's size.
    let text = Command::new("openssl")
        .args(["dhparam", "-noout", "-text", "-in"])
        .arg(&dh)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("(1024 bit)"));
    let dh = dh.to_str().unwrap().to_string();
    let tls12 = |cipher: &'static str, extra: &[&str]| {
        let mut args = vec!["-no_tls1_3", "-cipher", cipher];
        args.extend_from_slice(extra);
        args.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "dhe-1024",
            tls12(
                // Debian's level 2 wants 2048 bits; OpenSSL never serves
                // less than 1024, even at level 0.
                "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0",
                &["-dhparam", &dh],
            ),
        ),
        (
            "x448",
            tls12("ECDHE-RSA-AES128-GCM-SHA256", &["-groups", "x448"]),
        ),
        (
            "p384",
            tls12("ECDHE-RSA-AES128-GCM-SHA256", &["-groups", "secp384r1"]),
        ),
        (
            "brainpool",
            tls12(
                "ECDHE-RSA-AES128-GCM-SHA256",
                &["-groups", "brainpoolP256r1"],
            ),
        ),
    ];
    let mut servers = Vec::new();
    let mut scans = Vec::new();
    for (name, args) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let s = s_server(&format!("kx-{name}"), &args);
        let (_, v, _) = probe(s.port, "tls", "5", &[]);
        scans.push(v);
        servers.push(s);
    }
    // The DHE prime and the curves, as the ServerKeyExchange said.
    let k = key_exchange(&scans[0], "TLSv1.2");
    assert_eq!(k["group"], "dh", "{:#}", scans[0]);
    assert_eq!(k["bits"], 1024);
    assert!(
        k["signature"].as_str().unwrap().starts_with("rsa_"),
        "{k:#}"
    );
    assert_eq!(key_exchange(&scans[1], "TLSv1.2")["group"], "x448");
    assert_eq!(key_exchange(&scans[1], "TLSv1.2")["bits"], 448);
    assert_eq!(key_exchange(&scans[2], "TLSv1.2")["group"], "secp384r1");
    // brainpoolP256r1 is in no Java's default groups, nor in the scan's.
    assert_eq!(version(&scans[3], "TLSv1.2")["accepted"], false);
    // 1024 bits is Java's minimum (DH keySize < 1024): every Java connects.
    for p in [
        "Java8u281",
        "Java8u291",
        "Java11",
        "Java17",
        "Java21",
        "Java25",
    ] {
        assert_eq!(java(&scans[0], p)["outcome"], "connects", "{p}");
    }
    // x448 reached JSSE in JDK 13: the Java 11 row stays open.
    assert_eq!(java(&scans[1], "Java11")["outcome"], "unknown");
    assert_eq!(java(&scans[1], "Java17")["outcome"], "connects");
    // The installed JDK against the same servers says what its row says.
    let ports: Vec<u16> = servers.iter().map(|s| s.port).collect();
    if let Some((feature, real)) = crate::java_client::handshakes(&ports) {
        if [11, 17, 21, 25].contains(&feature) {
            for ((v, real), (name, _)) in scans.iter().zip(&real).zip(&cases) {
                assert_eq!(
                    &crate::java_client::simulated(v, feature),
                    real,
                    "{name}: Java {feature}"
                );
            }
        }
    }
}
