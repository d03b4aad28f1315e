//! The probe against hostile servers on loopback: each scripted server
//! records every byte it receives, and each test checks the probe's time
//! bound (step deadline plus a margin for a loaded 2-core machine), finding
//! id and exit code, and that no credential reaches a server (or the output)
//! where Java would not send it. Also: output to a closed pipe or a full disk.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use imap_doctor_testkit::*;

use crate::support::{drain, read_line, run, Hostile, Out, Received, BIN};

/// What a slow machine may add to a deadline.
const MARGIN: Duration = Duration::from_secs(3);
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// `imap-doctor probe mail.example.test --connect-to 127.0.0.1:PORT …`.
fn probe(port: u16, extra: &[&str], env: &[(&str, &str)]) -> Out {
    let target = format!("127.0.0.1:{port}");
    let mut args = vec!["probe", "mail.example.test", "--connect-to", &target];
    args.extend_from_slice(extra);
    run(&args, env)
}

fn assert_within(o: &Out, deadline: Duration) {
    assert!(
        o.elapsed < deadline + MARGIN,
        "took {:?}, bound {:?}: {}",
        o.elapsed,
        deadline + MARGIN,
        o.all()
    );
}

#[test]
fn silent_trickling_endless_and_flooding_servers_end_at_the_step_deadline() {
    // Silent: the greeting step, then the "is it TLS?" handshake, each 2 s.
    let silent = Hostile::start(|s, r| {
        std::thread::sleep(Duration::from_secs(60));
        drain(s, r);
    });
    let o = probe(
        silent.port,
        &[
            "--port",
            "143",
            "--mode",
            "plain",
            "--timeout",
            "2",
            "--json",
        ],
        &[],
    );
    assert_within(&o, Duration::from_secs(4));
    assert_eq!(o.code, 1);
    assert!(
        o.rules().contains(&"imap.step-deadline".into()),
        "{}",
        o.all()
    );

    // A greeting trickled one byte per 200 ms never ends: a per-line
    // timeout would wait forever, the step deadline does not.
    let trickle = Hostile::start(|mut s, _| {
        let _ = s.write_all(b"* OK ");
        for _ in 0..600 {
            if s.write_all(b"A").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    let o = probe(
        trickle.port,
        &[
            "--port",
            "143",
            "--mode",
            "plain",
            "--timeout",
            "2",
            "--json",
        ],
        &[],
    );
    assert_within(&o, Duration::from_secs(2));
    assert_eq!(o.code, 1);
    assert!(
        o.rules().contains(&"imap.step-deadline".into()),
        "{}",
        o.all()
    );

    // An endless line without a newline, 1 KiB every 50 ms: the line bound.
    let endless = Hostile::start(|mut s, _| {
        let _ = s.write_all(b"* OK ");
        for _ in 0..2000 {
            if s.write_all(&[b'B'; 1024]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let o = probe(
        endless.port,
        &[
            "--port",
            "143",
            "--mode",
            "plain",
            "--timeout",
            "5",
            "--json",
        ],
        &[],
    );
    assert_within(&o, Duration::from_secs(5));
    assert_eq!(o.code, 1);
    assert!(o.rules().contains(&"imap.not-imap".into()), "{}", o.all());

    // An untagged line every 0.5 s forever in answer to CAPABILITY.
    let flood = Hostile::start(|mut s, r| {
        let _ = s.write_all(b"* OK IMAP4rev1 ready\r\n");
        if read_line(&mut s, &r).is_none() {
            return;
        }
        for _ in 0..1200 {
            if s.write_all(b"* OK still thinking\r\n").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    let o = probe(
        flood.port,
        &[
            "--port",
            "143",
            "--mode",
            "plain",
            "--timeout",
            "2",
            "--json",
        ],
        &[],
    );
    assert_within(&o, Duration::from_secs(2));
    assert_eq!(o.code, 1);
    assert!(
        o.rules().contains(&"imap.step-deadline".into()),
        "{}",
        o.all()
    );
    let v = o.json();
    let cap = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "capability")
        .expect("capability step");
    assert_eq!(cap["ok"], false);
}

#[test]
fn tls_trickle_reset_and_plaintext_on_the_tls_port() {
    // The ServerHello trickled one byte per 100 ms: 52 s with a per-read
    // timeout, here the handshake's step deadline.
    let tls = Hostile::start(|mut s, r| {
        let mut hello = [0u8; 5];
        if s.read_exact(&mut hello).is_err() {
            return;
        }
        r.lock().unwrap().extend_from_slice(&hello);
        let mut record = vec![
            0x16, 0x03, 0x03, 0x02, 0x00, 0x02, 0x00, 0x01, 0xfc, 0x03, 0x03,
        ];
        record.extend(std::iter::repeat_n(0x42, 600));
        for b in record {
            if s.write_all(&[b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let o = probe(
        tls.port,
        &["--port", "993", "--timeout", "2", "--json"],
        &[],
    );
    assert_within(&o, Duration::from_secs(2));
    assert_eq!(o.code, 1);
    assert!(
        o.rules().contains(&"imap.step-deadline".into()),
        "{}",
        o.all()
    );
    // The probe did send a ClientHello (a TLS handshake record).
    assert_eq!(tls.received().first(), Some(&0x16));

    // Reset: the greeting, then the connection closed with the client's
    // CAPABILITY unread, which makes the kernel send a reset.
    let reset = Hostile::start(|mut s, _| {
        let _ = s.write_all(b"* OK ready\r\n");
        std::thread::sleep(Duration::from_millis(300));
        drop(s);
    });
    let o = probe(
        reset.port,
        &[
            "--port",
            "143",
            "--mode",
            "plain",
            "--timeout",
            "3",
            "--json",
        ],
        &[],
    );
    assert_within(&o, Duration::from_secs(3));
    assert_eq!(o.code, 1);
    assert!(
        o.rules().contains(&"imap.connection-dropped".into()),
        "{}",
        o.all()
    );

    // A plain-text IMAP server on the TLS port: recognised from the bytes
    // that come back instead of a ServerHello, with no fixed wait.
    let plain = Hostile::start(|mut s, r| {
        let _ = s.write_all(b"* OK [CAPABILITY IMAP4rev1] plain text here\r\n");
        drain(s, r);
    });
    let o = probe(
        plain.port,
        &["--port", "993", "--timeout", "5", "--json"],
        &[],
    );
    assert_eq!(o.code, 1);
    assert!(
        o.rules().contains(&"tls.plaintext-on-tls-port".into()),
        "{}",
        o.all()
    );
    assert!(
        o.elapsed < Duration::from_millis(1500),
        "no fixed wait: {:?}",
        o.elapsed
    );
}

/// A plain-text IMAP server without STARTTLS that would accept any login.
fn no_starttls(mut s: TcpStream, r: Received) {
    let _ = s.write_all(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR] ready\r\n");
    while let Some(line) = read_line(&mut s, &r) {
        let tag = line.split_whitespace().next().unwrap_or("*").to_string();
        let reply = if line.to_ascii_uppercase().contains("CAPABILITY") {
            format!("* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR\r\n{tag} OK done\r\n")
        } else {
            format!("{tag} OK fine\r\n")
        };
        if s.write_all(reply.as_bytes()).is_err() {
            break;
        }
    }
}

fn no_secret_in(haystack: &[u8], secrets: &[&str]) {
    let text = String::from_utf8_lossy(haystack);
    for sec in secrets {
        assert!(!text.contains(sec), "{sec:?} found in: {text}");
        // Any base64 run in the text, decoded, must not hold it either.
        for run in text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
            .filter(|r| r.len() >= 8)
        {
            for cut in 0..4 {
                let body = run.trim_end_matches('=');
                if body.len() <= cut {
                    continue;
                }
                let body = &body[cut..];
                let usable = &body[..body.len() - body.len() % 4];
                if let Ok(d) = B64.decode(usable) {
                    assert!(
                        !String::from_utf8_lossy(&d).contains(sec),
                        "{sec:?} in base64 {run}"
                    );
                }
            }
        }
    }
}

#[test]
fn no_credentials_without_starttls_in_auto_mode() {
    let srv = Hostile::start(no_starttls);
    let pw = "Pa55word-not-for-cleartext";
    let o = probe(
        srv.port,
        &[
            "--port",
            "143",
            "--timeout",
            "3",
            "--json",
            "--user",
            "journal",
            "--password-env",
            "PW",
        ],
        &[("PW", pw)],
    );
    assert_within(&o, Duration::from_secs(3));
    assert_eq!(o.code, 1, "{}", o.all());
    let rules = o.rules();
    assert!(
        rules.contains(&"imap.insecure-login-refused".into())
            && rules.contains(&"imap.no-starttls".into()),
        "{rules:?}"
    );
    assert!(o.stdout.contains("mail.imap.starttls.required=true"));
    let got = srv.received();
    assert!(String::from_utf8_lossy(&got).contains("CAPABILITY"));
    no_secret_in(&got, &[pw]);
    let sasl = B64.encode(format!("\0journal\0{pw}"));
    assert!(!String::from_utf8_lossy(&got).contains(&sasl));

    // OAuth: the token endpoint is not even asked, no token reaches IMAP.
    let token_srv = Hostile::start(drain);
    let srv = Hostile::start(no_starttls);
    let endpoint = format!("http://127.0.0.1:{}", token_srv.port);
    let o = probe(
        srv.port,
        &[
            "--port",
            "143",
            "--timeout",
            "3",
            "--json",
            "--oauth",
            "--user",
            "journal@contoso.com",
            "--tenant",
            "contoso.com",
            "--client-id",
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "--token-endpoint",
            &endpoint,
        ],
        &[("IMAP_DOCTOR_CLIENT_SECRET", "cl13nt-s3cret")],
    );
    assert_eq!(o.code, 1);
    assert!(o.rules().contains(&"imap.insecure-login-refused".into()));
    assert_eq!(*token_srv.connections.lock().unwrap(), 0);
    let got = String::from_utf8_lossy(&srv.received()).to_string();
    assert!(!got.contains("AUTHENTICATE"), "{got}");

    // The explicit override sends them, and says so.
    let srv = Hostile::start(no_starttls);
    let o = probe(
        srv.port,
        &[
            "--port",
            "143",
            "--timeout",
            "3",
            "--json",
            "--user",
            "journal",
            "--password-env",
            "PW",
            "--send-credentials-insecurely",
        ],
        &[("PW", pw)],
    );
    assert!(
        o.rules()
            .contains(&"imap.credentials-sent-insecurely".into()),
        "{}",
        o.all()
    );
    assert!(String::from_utf8_lossy(&srv.received()).contains(&sasl));
    no_secret_in(o.all().as_bytes(), &[pw]);
}

#[test]
fn no_credentials_over_an_untrusted_chain() {
    // openssl s_server with a self-signed certificate: it prints every byte
    // the client sends, and plays the greeting and CAPABILITY answer.
    let dir = scratch("hostile-untrusted");
    let ss = self_signed(&Spec::leaf("mail.example.test"));
    std::fs::write(dir.join("c.pem"), ss.pem()).unwrap();
    std::fs::write(
        dir.join("k.pem"),
        ss.issuer.as_ref().unwrap().key().serialize_pem(),
    )
    .unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new("openssl")
        .args([
            "s_server",
            "-accept",
            &port.to_string(),
            "-cert",
            "c.pem",
            "-key",
            "k.pem",
        ])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    while out.read_line(&mut line).map(|n| n > 0).unwrap_or(false) && !line.contains("ACCEPT") {
        line.clear();
    }
    let seen: Received = Arc::default();
    let s2 = seen.clone();
    std::thread::spawn(move || {
        let mut b = [0u8; 4096];
        while let Ok(n) = out.read(&mut b) {
            if n == 0 {
                break;
            }
            s2.lock().unwrap().extend_from_slice(&b[..n]);
        }
    });
    server
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\na1 OK done\r\n")
        .unwrap();
    let pw = "n0t-over-untrusted-tls";
    let o = probe(
        port,
        &[
            "--port",
            "993",
            "--timeout",
            "3",
            "--json",
            "--user",
            "journal",
            "--password-env",
            "PW",
        ],
        &[("PW", pw)],
    );
    std::thread::sleep(Duration::from_millis(200));
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(o.code, 1, "{}", o.all());
    let rules = o.rules();
    assert!(
        rules.contains(&"imap.insecure-login-refused".into())
            && rules.contains(&"chain.self-signed-leaf".into()),
        "{rules:?}"
    );
    let got = String::from_utf8_lossy(&seen.lock().unwrap()).to_string();
    assert!(got.contains("a1 CAPABILITY"), "s_server saw: {got}");
    assert!(
        !got.contains("AUTHENTICATE") && !got.contains("LOGIN"),
        "s_server saw: {got}"
    );
    no_secret_in(got.as_bytes(), &[pw]);
}

/// Echoes every command back, tagged and untagged, and rejects logins.
fn echo(mut s: TcpStream, r: Received) {
    let _ = s.write_all(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] echo\r\n");
    while let Some(line) = read_line(&mut s, &r) {
        let line = line.trim_end();
        let tag = line.split_whitespace().next().unwrap_or("*").to_string();
        let reply = if line.contains("CAPABILITY") {
            format!(
                "* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\n* ECHO {line}\r\n{tag} OK {line}\r\n"
            )
        } else {
            format!("* ECHO {line}\r\n{tag} NO [ALERT] you said: {line}\r\n")
        };
        if s.write_all(reply.as_bytes()).is_err() {
            break;
        }
    }
}

#[test]
fn an_echoing_server_and_token_endpoint_print_no_secret() {
    let srv = Hostile::start(echo);
    let pw = "ech0ed/pass+word";
    for fmt in [&["--json"][..], &[][..], &["--paste"][..]] {
        let mut args = vec![
            "--port",
            "143",
            "--mode",
            "plain",
            "--timeout",
            "3",
            "--user",
            "journal",
            "--password-env",
            "PW",
            "--send-credentials-insecurely",
        ];
        args.extend_from_slice(fmt);
        let o = probe(srv.port, &args, &[("PW", pw)]);
        assert!(o.stdout.contains("mail.example.test"), "{}", o.all());
        no_secret_in(o.all().as_bytes(), &[pw]);
    }
    // The server did get it (the override), so the echo held it.
    assert!(
        String::from_utf8_lossy(&srv.received()).contains(&B64.encode(format!("\0journal\0{pw}")))
    );

    // A token endpoint that echoes the request body (with the URL-encoded
    // secret) and the secret itself in its error description.
    let secret = "t0ken/s3cret+x=y&z";
    let token = Hostile::start(|mut s, r| {
        let mut head = Vec::new();
        let mut b = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && s.read(&mut b).map(|n| n == 1).unwrap_or(false) {
            head.push(b[0]);
        }
        let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
        let len: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let mut body = vec![0u8; len];
        let _ = s.read_exact(&mut body);
        r.lock().unwrap().extend_from_slice(&body);
        let body = String::from_utf8_lossy(&body).to_string();
        let decoded = body
            .replace("%2F", "/")
            .replace("%2B", "+")
            .replace("%3D", "=")
            .replace("%26", "&");
        let json = serde_json::json!({
            "error": "invalid_client",
            "error_description": format!("AADSTS7000215: Invalid client secret provided. Request: {body} Decoded: {decoded}"),
        })
        .to_string();
        let _ = write!(
            s,
            "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
            json.len()
        );
    });
    let imap = Hostile::start(no_starttls);
    let endpoint = format!("http://127.0.0.1:{}", token.port);
    for fmt in ["--json", "--paste", "--timeout"] {
        let mut args = vec![
            "--port",
            "143",
            "--mode",
            "plain",
            "--oauth",
            "--user",
            "journal@contoso.com",
            "--tenant",
            "contoso.com",
            "--client-id",
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "--token-endpoint",
            &endpoint,
            "--send-credentials-insecurely",
        ];
        args.push(fmt);
        if fmt == "--timeout" {
            args.push("3");
        }
        let o = probe(imap.port, &args, &[("IMAP_DOCTOR_CLIENT_SECRET", secret)]);
        if fmt == "--json" {
            assert!(o.rules().contains(&"oauth.aadsts".into()), "{}", o.all());
        }
        no_secret_in(o.all().as_bytes(), &[secret, "t0ken%2Fs3cret%2Bx%3Dy%26z"]);
    }
    // The endpoint did receive the (URL-encoded) secret it echoed.
    assert!(String::from_utf8_lossy(&token.received()).contains("t0ken%2Fs3cret%2Bx%3Dy%26z"));
}

#[test]
fn many_hostile_targets_end_in_rounds_of_eight() {
    let silent = Hostile::start(|s, r| {
        std::thread::sleep(Duration::from_secs(60));
        drain(s, r);
    });
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = scratch("hostile-targets");
    let mut list = String::new();
    for _ in 0..16 {
        list.push_str(&format!("127.0.0.1:{} plain\n", silent.port));
    }
    list.push_str(&format!("127.0.0.1:{closed} plain\n"));
    std::fs::write(dir.join("t.txt"), list).unwrap();
    let o = run(
        &[
            "probe",
            "--targets",
            dir.join("t.txt").to_str().unwrap(),
            "--timeout",
            "1",
            "--json",
        ],
        &[],
    );
    // 17 endpoints, 8 at a time: 3 rounds of at most a 4 s budget each
    // (a silent one takes about 2 s: greeting, then the TLS check).
    assert_within(&o, Duration::from_secs(12));
    assert_eq!(o.code, 1);
    let lines: Vec<serde_json::Value> = o
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 17, "{}", o.all());
    let deadline = lines
        .iter()
        .filter(|l| l["findings"].to_string().contains("imap.step-deadline"))
        .count();
    assert_eq!(deadline, 16);
}

#[test]
fn a_closed_pipe_is_a_quiet_end_and_a_full_disk_one_line_and_exit_2() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/missing-intermediate.txt"
    );
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(BIN)
        .args(["analyze", file, "--at", "2030-01-01T00:00:00Z"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(BIN)
        .args(["analyze", file, "--at", "2030-01-01T00:00:00Z", "--json"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_certificate_naming_forty_aia_urls_costs_three_downloads_within_one_deadline() {
    // The server sends only its leaf; the leaf names 40 caIssuers URLs, all
    // on a local HTTP listener that answers each at once with 404. The probe
    // must try exactly 3 of them (not 40), within one step deadline.
    let root = self_signed(&Spec::ca("AIA Root"));
    let int = issued(&Spec::ca("AIA Issuing CA"), &root);
    let http = TcpListener::bind("127.0.0.1:0").unwrap();
    let http_port = http.local_addr().unwrap().port();
    let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let a2 = accepted.clone();
    std::thread::spawn(move || {
        for mut s in http.incoming().flatten() {
            a2.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            while r.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                line.clear();
            }
            let _ = s.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    let urls: Vec<String> = (0..40)
        .map(|i| format!("http://127.0.0.1:{http_port}/ca-{i}.cer"))
        .collect();
    let mut spec = Spec::leaf("mail.example.test");
    for u in &urls {
        spec = spec.aia(u);
    }
    let leaf = issued(&spec, &int);
    let dir = scratch("hostile-aia");
    std::fs::write(dir.join("c.pem"), leaf.pem()).unwrap();
    std::fs::write(
        dir.join("k.pem"),
        leaf.issuer.as_ref().unwrap().key().serialize_pem(),
    )
    .unwrap();
    std::fs::write(dir.join("root.pem"), root.pem()).unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new("openssl")
        .args([
            "s_server",
            "-accept",
            &port.to_string(),
            "-cert",
            "c.pem",
            "-key",
            "k.pem",
            "-quiet",
        ])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let out_dir = scratch("hostile-aia-out");
    let root_path = dir.join("root.pem");
    let o = probe(
        port,
        &[
            "--port",
            "993",
            "--timeout",
            "2",
            "--json",
            "--trust",
            root_path.to_str().unwrap(),
            "--no-public-roots",
            "--fetch-missing",
            out_dir.to_str().unwrap(),
        ],
        &[],
    );
    let _ = server.kill();
    let _ = server.wait();
    let tries = accepted.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(tries, 3, "AIA downloads tried: {}", o.all());
    // TLS and the download each have one 2 s deadline; the run's budget is 4 × 2 s.
    assert_within(&o, Duration::from_secs(8));
    let v = o.json();
    assert_eq!(v["verdict"], "missing-intermediate", "{}", o.all());
    assert_eq!(o.code, 1);
}
