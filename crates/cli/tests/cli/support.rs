//! What the probe's tests share: the command line (run the binary, read its
//! JSON, its findings and steps) and scripted loopback servers (a plain stub
//! per connection, or one that records every byte it receives).
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, Read};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_imap-doctor");

/// A loopback port nothing listens on (bound, then released).
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One run of the binary.
pub(crate) struct Out {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) elapsed: Duration,
}

impl Out {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{e}: {} {}", self.stdout, self.stderr))
    }
    pub(crate) fn rules(&self) -> Vec<String> {
        rules(&self.json())
    }
    pub(crate) fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// `imap-doctor ARGS` with `env` added, standard input closed.
pub(crate) fn run(args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let t = Instant::now();
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: t.elapsed(),
    }
}

/// `imap-doctor probe ARGS --json --timeout 3`: the exit code and the JSON.
pub(crate) fn probe_json(args: &[&str], env: &[(&str, &str)]) -> (i32, serde_json::Value) {
    let mut all = vec!["probe"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "--timeout", "3"]);
    let o = run(&all, env);
    (o.code, o.json())
}

/// The finding ids of a report, in order.
pub(crate) fn rules(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// The report's first finding with this rule id.
pub(crate) fn finding<'a>(v: &'a serde_json::Value, rule: &str) -> Option<&'a serde_json::Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
}

/// Reads an HTTP request's header lines and then its body, as long as
/// Content-Length says and at most 4,096 bytes; `None` without a body or
/// when the client stops early (the probe drops the connection once it
/// has the server's chain).
pub(crate) fn read_http_body(r: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut len = 0usize;
    let mut line = String::new();
    while r.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
        line.clear();
    }
    let mut body = vec![0u8; len.min(4096)];
    (len > 0 && r.read_exact(&mut body).is_ok()).then_some(body)
}

/// Whether the probe's step `step` succeeded.
pub(crate) fn step_ok(v: &serde_json::Value, step: &str) -> bool {
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["step"] == step && s["ok"] == true)
}

/// A stub server: runs `serve` on each connection (up to `n`), each in its
/// own thread.
pub(crate) fn stub(n: usize, serve: fn(TcpStream)) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten().take(n) {
            std::thread::spawn(move || serve(s));
        }
    });
    port
}

/// Everything a [`Hostile`] server received, over all connections.
pub(crate) type Received = Arc<Mutex<Vec<u8>>>;

/// A scripted server: each connection runs `script` in its own thread with
/// the stream and the shared record of everything received.
pub(crate) struct Hostile {
    pub(crate) port: u16,
    received: Received,
    pub(crate) connections: Arc<Mutex<usize>>,
}

impl Hostile {
    pub(crate) fn start(script: fn(TcpStream, Received)) -> Hostile {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let received: Received = Arc::default();
        let connections = Arc::new(Mutex::new(0));
        let (r, c) = (received.clone(), connections.clone());
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                *c.lock().unwrap() += 1;
                let r = r.clone();
                std::thread::spawn(move || script(s, r));
            }
        });
        Hostile {
            port,
            received,
            connections,
        }
    }

    pub(crate) fn received(&self) -> Vec<u8> {
        self.received.lock().unwrap().clone()
    }
}

/// Reads one line from the client, recording it; None when it is gone.
pub(crate) fn read_line(s: &mut TcpStream, rec: &Received) -> Option<String> {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    loop {
        match s.read(&mut b) {
            Ok(1) => {
                rec.lock().unwrap().push(b[0]);
                line.push(b[0]);
                if b[0] == b'\n' {
                    return Some(String::from_utf8_lossy(&line).into_owned());
                }
            }
            _ => return None,
        }
    }
}

/// Keeps reading (and recording) until the client goes away.
pub(crate) fn drain(mut s: TcpStream, rec: Received) {
    let mut b = [0u8; 4096];
    while let Ok(n) = s.read(&mut b) {
        if n == 0 {
            break;
        }
        rec.lock().unwrap().extend_from_slice(&b[..n]);
    }
}
