//! The probe against real servers on loopback only: Dovecot (Debian's
//! dovecot-imapd) with the test chains, plaintext with and without
//! LOGINDISABLED, STARTTLS and implicit TLS, a user and a journal mailbox;
//! small stub servers for OAuth, silence, endless greetings and refusals;
//! a local HTTP server for --fetch-missing.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use imap_doctor_testkit::*;

use crate::support::{finding, free_port, read_http_body, BIN};
pub(crate) use crate::support::{probe_json as probe, rules, step_ok, stub};

/// A Dovecot instance with its own config; stopped on drop.
pub(crate) struct Dovecot {
    pub(crate) dir: PathBuf,
    pub plain: u16,
    pub tls: u16,
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.dir.join("run/master.pid")) {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
    }
}

pub(crate) struct DovecotSpec<'a> {
    pub(crate) name: &'a str,
    pub(crate) listen: &'a str,
    pub(crate) cert_chain: Option<String>,
    pub(crate) key: Option<String>,
    pub(crate) plaintext_auth: bool,
    pub(crate) messages: usize,
}

fn dovecot(spec: DovecotSpec<'_>) -> Dovecot {
    dovecot_with(spec, "")
}

/// A Dovecot with `extra` lines in its configuration (after the ssl ones).
pub(crate) fn dovecot_with(spec: DovecotSpec<'_>, extra: &str) -> Dovecot {
    let dir = scratch(&format!("dovecot-{}", spec.name));
    for d in [
        "run",
        "home/journal/Maildir/cur",
        "home/journal/Maildir/new",
        "home/journal/Maildir/tmp",
    ] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    for i in 0..spec.messages {
        std::fs::write(
            dir.join(format!("home/journal/Maildir/new/{i}.msg")),
            format!("From: a@example.test\r\nSubject: {i}\r\n\r\nx\r\n"),
        )
        .unwrap();
    }
    // The mail processes run as nobody; Dovecot refuses root for them.
    Command::new("chown")
        .args(["-R", "nobody:nogroup"])
        .arg(dir.join("home"))
        .status()
        .unwrap();
    Command::new("chmod")
        .args(["755"])
        .arg(&dir)
        .status()
        .unwrap();
    let (plain, tls) = (free_port(), free_port());
    let ssl = match (&spec.cert_chain, &spec.key) {
        (Some(c), Some(k)) => {
            std::fs::write(dir.join("chain.pem"), c).unwrap();
            std::fs::write(dir.join("key.pem"), k).unwrap();
            format!(
                "ssl = yes\nssl_cert = <{0}/chain.pem\nssl_key = <{0}/key.pem\n",
                dir.display()
            )
        }
        _ => "ssl = no\n".to_string(),
    };
    let tls_listener = if spec.cert_chain.is_some() {
        format!("  inet_listener imaps {{\n    port = {tls}\n    ssl = yes\n  }}\n")
    } else {
        String::new()
    };
    let conf = format!(
        "base_dir = {d}/run\nlog_path = {d}/dovecot.log\nprotocols = imap\nlisten = {listen}\n{ssl}{extra}disable_plaintext_auth = {dpa}\nauth_mechanisms = plain login\npassdb {{\n  driver = static\n  args = password=secret\n}}\nuserdb {{\n  driver = static\n  args = uid=nobody gid=nogroup home={d}/home/%u\n}}\nmail_location = maildir:{d}/home/%u/Maildir\nservice imap-login {{\n  inet_listener imap {{\n    port = {plain}\n  }}\n{tls_listener}}}\n",
        d = dir.display(),
        listen = spec.listen,
        dpa = if spec.plaintext_auth { "no" } else { "yes" },
    );
    std::fs::write(dir.join("dovecot.conf"), conf).unwrap();
    let st = Command::new("dovecot")
        .arg("-c")
        .arg(dir.join("dovecot.conf"))
        .status()
        .expect("dovecot (Debian package dovecot-imapd) must be installed");
    assert!(
        st.success(),
        "dovecot failed to start: {}",
        std::fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default()
    );
    let start = Instant::now();
    while TcpStream::connect((spec.listen, plain)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "dovecot did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Dovecot { dir, plain, tls }
}

struct TestPki {
    int: TestCert,
    dir: PathBuf,
}

fn pki(name: &str) -> TestPki {
    let root = self_signed(&Spec::ca("Probe Root CA"));
    let int = issued(&Spec::ca("Probe Issuing CA"), &root);
    let dir = scratch(&format!("probe-pki-{name}"));
    std::fs::write(dir.join("root.pem"), root.pem()).unwrap();
    TestPki { int, dir }
}

fn leaf_for(p: &TestPki, spec: Spec) -> (TestCert, String) {
    let leaf = issued(&spec, &p.int);
    let key = leaf.issuer.as_ref().unwrap().key().serialize_pem();
    (leaf, key)
}

fn root_path(p: &TestPki) -> String {
    p.dir.join("root.pem").display().to_string()
}

#[test]
fn implicit_tls_and_starttls_with_a_complete_chain() {
    let p = pki("complete");
    let (leaf, key) = leaf_for(&p, Spec::leaf("mail.example.test"));
    let d = dovecot(DovecotSpec {
        name: "complete",
        listen: "127.0.0.1",
        cert_chain: Some(pems(&[&leaf, &p.int])),
        key: Some(key),
        plaintext_auth: true,
        messages: 3,
    });
    let root = root_path(&p);
    let tls = format!("127.0.0.1:{}", d.tls);
    let (code, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &tls,
            "--port",
            "993",
            "--trust",
            &root,
        ],
        &[],
    );
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["verdict"], "trusted");
    for s in ["resolve", "connect", "tls", "greeting", "capability"] {
        assert!(step_ok(&v, s), "step {s}: {v:#}");
    }
    // The probe's chain agrees with openssl s_client's on the same server.
    let ours: Vec<String> = v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["source"] == "server")
        .map(|c| c["sha256"].as_str().unwrap().to_string())
        .collect();
    let out = Command::new("openssl")
        .args(["s_client", "-connect", &tls, "-showcerts"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let theirs: Vec<String> = pem::parse_many(String::from_utf8_lossy(&out.stdout).as_bytes())
        .unwrap()
        .iter()
        .map(|p| {
            imap_doctor_engine::x509::cert::Certificate::from_der(p.contents())
                .unwrap()
                .sha256
                .to_string()
        })
        .collect();
    assert_eq!(ours, theirs);

    // STARTTLS on the plaintext port (auto mode on a non-993 port).
    let plain = format!("127.0.0.1:{}", d.plain);
    let (code, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &plain,
            "--port",
            "143",
            "--trust",
            &root,
            "--mode",
            "starttls",
        ],
        &[],
    );
    assert_eq!(code, 0, "{v:#}");
    assert!(step_ok(&v, "starttls"));
    assert_eq!(v["verdict"], "trusted");

    // A password login and the journal count.
    let (code, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &tls,
            "--port",
            "993",
            "--trust",
            &root,
            "--user",
            "journal",
            "--password-env",
            "PW",
        ],
        &[("PW", "secret")],
    );
    assert_eq!(code, 0, "{v:#}");
    assert!(step_ok(&v, "login"));
    let journal = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "journal")
        .unwrap();
    assert!(
        journal["detail"].as_str().unwrap().contains("3 message"),
        "{journal}"
    );
    let (code, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &tls,
            "--port",
            "993",
            "--trust",
            &root,
            "--user",
            "journal",
            "--password-env",
            "PW",
        ],
        &[("PW", "wrong")],
    );
    assert_eq!(code, 1);
    assert!(rules(&v).contains(&"imap.auth-failed".to_string()), "{v:#}");

    // Wrong host name.
    let (_, v) = probe(
        &[
            "other.example.test",
            "--connect-to",
            &tls,
            "--port",
            "993",
            "--trust",
            &root,
        ],
        &[],
    );
    assert!(rules(&v).contains(&"host.mismatch".to_string()));

    // Mode and port mixed up, both ways.
    let (_, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &tls,
            "--port",
            "993",
            "--mode",
            "plain",
            "--trust",
            &root,
        ],
        &[],
    );
    assert!(
        rules(&v).contains(&"tls.tls-on-plaintext-port".to_string()),
        "{v:#}"
    );
    let (_, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &plain,
            "--port",
            "143",
            "--mode",
            "tls",
        ],
        &[],
    );
    assert!(
        rules(&v).contains(&"tls.plaintext-on-tls-port".to_string()),
        "{v:#}"
    );
}

/// A one-file HTTP server on loopback: serves `body` at any path.
fn http_once(body: Vec<u8>) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten().take(5) {
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            while r.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                line.clear();
            }
            let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = s.write_all(&body);
        }
    });
    port
}

#[test]
fn missing_intermediate_self_signed_expired_and_fetch_missing() {
    let p = pki("missing");
    let http = http_once(p.int.der.clone());
    let (leaf, key) = leaf_for(
        &p,
        Spec::leaf("mail.example.test").aia(&format!("http://127.0.0.1:{http}/int.cer")),
    );
    let d = dovecot(DovecotSpec {
        name: "missing",
        listen: "127.0.0.1",
        cert_chain: Some(leaf.pem()),
        key: Some(key),
        plaintext_auth: true,
        messages: 0,
    });
    let root = root_path(&p);
    let tls = format!("127.0.0.1:{}", d.tls);
    let out_dir = scratch("fetch-missing-out");
    let (code, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &tls,
            "--port",
            "993",
            "--trust",
            &root,
            "--fetch-missing",
            out_dir.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "missing-intermediate");
    assert_eq!(
        v["missing"]["issuer"],
        "CN=Probe Issuing CA, O=Test Org, C=US"
    );
    assert!(step_ok(&v, "fetch-missing"), "{v:#}");
    let written = std::fs::read_to_string(out_dir.join("Probe_Issuing_CA.pem")).unwrap();
    assert_eq!(written.trim(), p.int.pem().trim().replace("\r\n", "\n"));
    drop(d);

    // Self-signed server certificate.
    let ss = self_signed(&Spec::leaf("mail.example.test"));
    let key = ss.issuer.as_ref().unwrap().key().serialize_pem();
    let d = dovecot(DovecotSpec {
        name: "self-signed",
        listen: "127.0.0.1",
        cert_chain: Some(ss.pem()),
        key: Some(key),
        plaintext_auth: true,
        messages: 0,
    });
    let (_, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &format!("127.0.0.1:{}", d.tls),
            "--port",
            "993",
        ],
        &[],
    );
    assert_eq!(v["verdict"], "untrusted-root");
    assert!(rules(&v).contains(&"chain.self-signed-leaf".to_string()));
    drop(d);

    // Expired server certificate.
    let (old, key) = leaf_for(&p, Spec::leaf("mail.example.test").valid(-400, -3));
    let d = dovecot(DovecotSpec {
        name: "expired",
        listen: "127.0.0.1",
        cert_chain: Some(pems(&[&old, &p.int])),
        key: Some(key),
        plaintext_auth: true,
        messages: 0,
    });
    let (_, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &format!("127.0.0.1:{}", d.tls),
            "--port",
            "993",
            "--trust",
            &root,
        ],
        &[],
    );
    assert_eq!(v["verdict"], "invalid");
    assert!(rules(&v).contains(&"chain.expired".to_string()));
}

#[test]
fn logindisabled_no_starttls_and_a_full_journal() {
    let p = pki("plain");
    let (leaf, key) = leaf_for(&p, Spec::leaf("mail.example.test"));
    // Dovecot treats a client from its own address as secure: listen on
    // 127.0.0.2 and connect from 127.0.0.1 to see LOGINDISABLED.
    let d = dovecot(DovecotSpec {
        name: "logindisabled",
        listen: "127.0.0.2",
        cert_chain: Some(pems(&[&leaf, &p.int])),
        key: Some(key),
        plaintext_auth: false,
        messages: 0,
    });
    let (_, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &format!("127.0.0.2:{}", d.plain),
            "--port",
            "143",
            "--mode",
            "plain",
        ],
        &[],
    );
    assert!(
        rules(&v).contains(&"imap.login-disabled".to_string()),
        "{v:#}"
    );
    drop(d);
    // Plain-text login allowed: no finding.
    let d = dovecot(DovecotSpec {
        name: "plain-ok",
        listen: "127.0.0.2",
        cert_chain: None,
        key: None,
        plaintext_auth: true,
        messages: 20_001,
    });
    let (_, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &format!("127.0.0.2:{}", d.plain),
            "--port",
            "143",
            "--mode",
            "plain",
            "--user",
            "journal",
            "--password-env",
            "PW",
            // Plain text on purpose: Dovecot without TLS holds the full journal.
            "--send-credentials-insecurely",
        ],
        &[("PW", "secret")],
    );
    assert!(
        !rules(&v).contains(&"imap.login-disabled".to_string()),
        "{v:#}"
    );
    assert!(
        rules(&v).contains(&"journal.too-many-messages".to_string()),
        "{v:#}"
    );
    // No TLS configured: STARTTLS mode has nothing to start.
    let (_, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &format!("127.0.0.2:{}", d.plain),
            "--port",
            "143",
            "--mode",
            "starttls",
        ],
        &[],
    );
    assert!(rules(&v).contains(&"imap.no-starttls".to_string()), "{v:#}");
}

#[test]
fn refused_silent_endless_and_not_imap() {
    let closed = free_port();
    let (code, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &format!("127.0.0.1:{closed}"),
            "--port",
            "143",
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(rules(&v).contains(&"net.refused".to_string()));
    assert_eq!(v["verdict"], "no-certificates");

    let silent = stub(4, |s| {
        std::thread::sleep(Duration::from_secs(8));
        drop(s);
    });
    let t = Instant::now();
    let (_, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &format!("127.0.0.1:{silent}"),
            "--port",
            "143",
            "--mode",
            "plain",
        ],
        &[],
    );
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "the probe must not hang"
    );
    assert!(rules(&v).contains(&"imap.not-imap".to_string()), "{v:#}");

    let endless = stub(2, |mut s| {
        let _ = s.write_all(b"* OK ");
        let chunk = [b'A'; 4096];
        for _ in 0..10_000 {
            if s.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let t = Instant::now();
    let (_, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &format!("127.0.0.1:{endless}"),
            "--port",
            "143",
            "--mode",
            "plain",
        ],
        &[],
    );
    assert!(t.elapsed() < Duration::from_secs(20));
    let f = finding(&v, "imap.not-imap").expect("endless greeting");
    assert!(f["message"].as_str().unwrap().contains("longer than"));

    let pop3 = stub(2, |mut s| {
        let _ = s.write_all(b"+OK POP3 server ready\r\n");
        std::thread::sleep(Duration::from_secs(1));
    });
    let (_, v) = probe(
        &[
            "mail.example.test",
            "--connect-to",
            &format!("127.0.0.1:{pop3}"),
            "--port",
            "110",
            "--mode",
            "plain",
        ],
        &[],
    );
    let f = finding(&v, "imap.not-imap").expect("pop3");
    assert!(f["message"].as_str().unwrap().contains("POP3"));
}

/// `probe` arguments for an OAuth login to Exchange Online, sent to the
/// XOAUTH2 stub on `imap` in plain text (the credential gate has its own
/// tests in hostile_servers), with the token endpoint at `token_url`.
pub(crate) fn oauth_probe_args(imap: u16, token_url: &str) -> Vec<String> {
    [
        "outlook.office365.com",
        "--connect-to",
        &format!("127.0.0.1:{imap}"),
        "--port",
        "143",
        "--mode",
        "plain",
        "--oauth",
        "--user",
        "journal@contoso.com",
        "--send-credentials-insecurely",
        "--token-endpoint",
        token_url,
    ]
    .map(str::to_string)
    .to_vec()
}

/// IMAP stub that accepts XOAUTH2 only for a token with IMAP.AccessAsApp.
pub(crate) fn xoauth_stub(mut s: TcpStream) {
    let _ = s.write_all(b"* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR] stub ready\r\n");
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
        let mut w = line.split_whitespace();
        let (tag, cmd) = (
            w.next().unwrap_or("*").to_string(),
            w.next().unwrap_or("").to_ascii_uppercase(),
        );
        let reply = match cmd.as_str() {
            "CAPABILITY" => {
                format!("* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR\r\n{tag} OK done\r\n")
            }
            "AUTHENTICATE" => {
                use base64::Engine;
                let arg = w.nth(1).unwrap_or("");
                let raw = base64::engine::general_purpose::STANDARD
                    .decode(arg)
                    .unwrap_or_default();
                let text = String::from_utf8_lossy(&raw).to_string();
                let ok = text.starts_with("user=journal@contoso.com\x01auth=Bearer ") && {
                    let tok = text
                        .split("Bearer ")
                        .nth(1)
                        .unwrap_or("")
                        .trim_end_matches('\x01');
                    imap_doctor_engine::settings::decode_token(tok)
                        .map(|(_, c)| {
                            c.get("roles").and_then(|r| r.as_array()).is_some_and(|r| {
                                r.iter().any(|v| v.as_str() == Some("IMAP.AccessAsApp"))
                            })
                        })
                        .unwrap_or(false)
                };
                if ok {
                    format!("{tag} OK AUTHENTICATE completed.\r\n")
                } else {
                    format!("{tag} NO AUTHENTICATE failed.\r\n")
                }
            }
            "EXAMINE" => {
                format!("* 42 EXISTS\r\n* 0 RECENT\r\n{tag} OK [READ-ONLY] EXAMINE completed.\r\n")
            }
            "LOGOUT" => format!("* BYE\r\n{tag} OK LOGOUT completed.\r\n"),
            _ => format!("{tag} BAD unknown\r\n"),
        };
        if s.write_all(reply.as_bytes()).is_err() {
            break;
        }
        line.clear();
    }
}

pub(crate) fn jwt(roles: &[&str]) -> String {
    use base64::Engine;
    let e = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap())
    };
    format!(
        "{}.{}.c2ln",
        e(serde_json::json!({"alg": "RS256", "typ": "JWT"})),
        e(
            serde_json::json!({"aud": "https://outlook.office365.com", "tid": "11111111-2222-3333-4444-555555555555", "appid": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "roles": roles, "exp": 4_000_000_000i64})
        )
    )
}

/// A token endpoint: answers every POST with `body`.
fn token_endpoint(body: String) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten().take(3) {
            let form =
                read_http_body(&mut BufReader::new(s.try_clone().unwrap())).unwrap_or_default();
            let form = String::from_utf8_lossy(&form);
            assert!(
                form.contains("grant_type=client_credentials")
                    && form.contains("outlook.office365.com%2F.default"),
                "{form}"
            );
            let status = if body.contains("AADSTS") {
                "401 Unauthorized"
            } else {
                "200 OK"
            };
            let _ = write!(s, "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        }
    });
    port
}

#[test]
fn oauth_login_token_rules_and_entra_errors() {
    let env = [
        ("IMAP_DOCTOR_TENANT", "11111111-2222-3333-4444-555555555555"),
        (
            "IMAP_DOCTOR_CLIENT_ID",
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        ),
        ("IMAP_DOCTOR_CLIENT_SECRET", "s3cr3t"),
    ];
    let run = |endpoint: u16| {
        let args = oauth_probe_args(
            stub(2, xoauth_stub),
            &format!("http://127.0.0.1:{endpoint}"),
        );
        probe(&args.iter().map(String::as_str).collect::<Vec<_>>(), &env)
    };
    // A good token: logged in, journal counted.
    let (_, v) = run(token_endpoint(format!(
        "{{\"token_type\":\"Bearer\",\"access_token\":\"{}\"}}",
        jwt(&["IMAP.AccessAsApp"])
    )));
    assert!(step_ok(&v, "token") && step_ok(&v, "login"), "{v:#}");
    assert!(v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["step"] == "journal" && s["detail"].as_str().unwrap().contains("42")));
    // A token without the role: the engine says why, Exchange says AUTHENTICATE failed.
    let (_, v) = run(token_endpoint(format!(
        "{{\"access_token\":\"{}\"}}",
        jwt(&["Mail.Read"])
    )));
    let r = rules(&v);
    assert!(
        r.contains(&"oauth.token-missing-role".to_string())
            && r.contains(&"oauth.authenticate-failed".to_string()),
        "{r:?}"
    );
    // Entra refuses the secret.
    let (_, v) = run(token_endpoint("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}".into()));
    let r = rules(&v);
    assert!(r.contains(&"oauth.aadsts".to_string()), "{r:?}");
}

#[test]
fn paste_block_is_accepted_by_the_engine_and_targets_run_concurrently() {
    let p = pki("paste");
    let (leaf, key) = leaf_for(&p, Spec::leaf("mail.example.test"));
    let d = dovecot(DovecotSpec {
        name: "paste",
        listen: "127.0.0.1",
        cert_chain: Some(pems(&[&leaf, &p.int])),
        key: Some(key),
        plaintext_auth: true,
        messages: 0,
    });
    let out = Command::new(BIN)
        .args([
            "probe",
            "mail.example.test",
            "--connect-to",
            &format!("127.0.0.1:{}", d.tls),
            "--port",
            "993",
            "--paste",
        ])
        .output()
        .unwrap();
    let paste = String::from_utf8_lossy(&out.stdout).to_string();
    let root = std::fs::read(p.dir.join("root.pem")).unwrap();
    let r = imap_doctor_engine::analyze(
        &[imap_doctor_engine::Input {
            name: "paste",
            bytes: paste.as_bytes(),
        }],
        &[imap_doctor_engine::Input {
            name: "t",
            bytes: &root,
        }],
        &imap_doctor_engine::Options {
            at: now().unix_timestamp(),
            public_roots: false,
            ..Default::default()
        },
    );
    assert_eq!(r.verdict, imap_doctor_engine::Verdict::Trusted, "{paste}");
    assert_eq!(r.host.as_deref(), Some("mail.example.test"));

    let targets = p.dir.join("targets.txt");
    let closed = free_port();
    std::fs::write(
        &targets,
        format!(
            "# endpoints\n127.0.0.1:{} tls\n127.0.0.1:{}\n127.0.0.1:{closed} plain\n",
            d.tls, d.plain
        ),
    )
    .unwrap();
    let out = Command::new(BIN)
        .args([
            "probe",
            "--targets",
            targets.to_str().unwrap(),
            "--json",
            "--timeout",
            "3",
            "--trust",
            p.dir.join("root.pem").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines
        .iter()
        .any(|l| rules(l).contains(&"net.refused".to_string())));
    assert_eq!(out.status.code(), Some(1));
}
