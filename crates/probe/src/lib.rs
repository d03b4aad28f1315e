//! The native probe: what the article's `telnet` and `openssl s_client`
//! steps do by hand, in one run: resolve, connect, greeting, CAPABILITY,
//! STARTTLS or implicit TLS (capturing the chain without trusting it), an
//! optional login and journal count. The result is judged by the same
//! engine, with the same finding ids, as the page.
//!
//! Security and time bounds (see README.md):
//! - credentials are sent only inside TLS whose chain the engine trusts with
//!   the options given (as Java would), unless the caller explicitly asks for
//!   an insecure login;
//! - every known secret, and the forms a server may echo it back in, is
//!   redacted from the steps, findings and transcript;
//! - every step has a deadline for the whole step (not per read), and the
//!   whole run has a budget.

pub mod deadline;
pub mod http;
pub mod imap;
pub mod scan;
pub mod tls;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use base64::Engine;
use serde::Serialize;

use deadline::DeadlineStream;
use imap::{Greeting, Lines, ReadError};
use imap_doctor_engine::diagnose::{analyze, analyze_capture, Input, Options};
use imap_doctor_engine::input::capture::{self, Capture};
use imap_doctor_engine::java::JavaProfile;
use imap_doctor_engine::report::Report;
use imap_doctor_engine::rules::{Finding, FixStep, Rule, Severity};
use imap_doctor_engine::secret::{Redactor, Secret};
use imap_doctor_engine::settings;
use imap_doctor_engine::settings::Mode;
use imap_doctor_engine::x509::cert::Certificate;
use imap_doctor_engine::Verdict;

/// The connection mode asked for: one of the engine's [`Mode`]s, or `None`
/// to find out (implicit TLS on 993, otherwise STARTTLS when offered).
pub type ModeChoice = Option<Mode>;

/// OAuth client credentials for the login test.
#[derive(Clone, Debug)]
pub struct OAuth {
    pub tenant: String,
    pub client_id: String,
    pub secret: Secret,
    /// Base URL of the token endpoint (tests point it at a local server).
    pub endpoint: String,
}

#[derive(Clone, Debug)]
pub enum LoginTest {
    None,
    Password { user: String, password: Secret },
    OAuth { user: String, creds: OAuth },
}

/// The most AIA "CA Issuers" addresses tried for one certificate.
pub const MAX_AIA_URLS: usize = 3;

#[derive(Clone, Debug)]
pub struct ProbeOptions {
    pub host: String,
    pub port: Option<u16>,
    pub mode: ModeChoice,
    /// Connect here instead of resolving `host` (host stays the TLS name).
    pub connect_to: Option<String>,
    /// The deadline of each step (connect, greeting, CAPABILITY, STARTTLS,
    /// TLS handshake, token, login, EXAMINE, each AIA download).
    pub timeout: Duration,
    /// The deadline of the whole run, whatever each step takes.
    pub budget: Duration,
    pub login: LoginTest,
    /// Send the credentials even without TLS, or over TLS whose chain the
    /// engine does not trust (reported as a warning finding).
    pub send_credentials_insecurely: bool,
    pub folder: String,
    /// Where `--fetch-missing` writes the downloaded certificate.
    pub fetch_missing: Option<std::path::PathBuf>,
    pub trust: Vec<(String, Vec<u8>)>,
    pub public_roots: bool,
    pub at: i64,
    pub java: JavaProfile,
    /// The archiver's Java release (roots, distrust policies); `None`: the
    /// newest update of `java`'s line.
    pub java_release: Option<imap_doctor_engine::java::JavaRelease>,
    /// Where that Java takes its roots from.
    pub trust_store: imap_doctor_engine::java::TrustStore,
    pub identity_check: bool,
    /// Also run the TLS scan (versions and suites with hand-built
    /// ClientHellos, and the Java client simulation); it has its own budget.
    pub tls_scan: bool,
}

impl ProbeOptions {
    /// The default run budget for a step deadline: enough for a normal run's
    /// steps to each take a while, bounded for a hostile server.
    pub fn default_budget(timeout: Duration) -> Duration {
        timeout * 4
    }
}

/// One step of the probe, timed.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub step: &'static str,
    pub ok: bool,
    pub elapsed_ms: u64,
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub struct ProbeResult {
    pub target: String,
    #[serde(flatten)]
    pub report: Report,
    pub steps: Vec<Step>,
    /// The TLS scan and the Java table, with `tls_scan: true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_scan: Option<TlsScanReport>,
    /// An s_client-style transcript the page accepts as input (`--paste`).
    #[serde(skip)]
    pub paste: String,
    /// What the probe saw, as the engine judged it.
    #[serde(skip)]
    pub capture: Capture,
    /// The secrets of this run and their encodings; whoever prints anything
    /// derived from the result passes it through this too.
    #[serde(skip)]
    pub redactor: Redactor,
}

/// The scan as the JSON shows it.
#[derive(Debug, Serialize)]
pub struct TlsScanReport {
    #[serde(flatten)]
    pub scan: imap_doctor_engine::tls::Scan,
    /// The Java client simulation, one row per JDK.
    pub java: Vec<imap_doctor_engine::tls::java::Row>,
    /// The version and suite of the answer whose Certificate message gave
    /// the chain, when the scan captured one.
    pub chain_from: Option<String>,
    pub chain_certificates: usize,
}

impl ProbeResult {
    /// True when a step failed or a finding is an error.
    pub fn failed(&self) -> bool {
        self.report.has_error() || self.steps.iter().any(|s| !s.ok)
    }
}

type TlsStream = rustls::StreamOwned<rustls::ClientConnection, DeadlineStream>;

enum Conn {
    Plain(DeadlineStream),
    Tls(Box<TlsStream>),
}

impl Conn {
    fn set_deadline(&mut self, d: Instant) {
        match self {
            Conn::Plain(s) => s.set_deadline(d),
            Conn::Tls(s) => s.sock.set_deadline(d),
        }
    }
}

impl Read for Conn {
    fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(b),
            Conn::Tls(s) => s.read(b),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(b),
            Conn::Tls(s) => s.write(b),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

struct Run {
    opts: ProbeOptions,
    port: u16,
    steps: Vec<Step>,
    findings: Vec<Finding>,
    chain: Vec<Vec<u8>>,
    protocol: Option<String>,
    cipher: Option<String>,
    greeting: Option<String>,
    caps: Vec<String>,
    starttls_used: bool,
    /// The TLS handshake completed on the connection in use.
    tls_up: bool,
    /// Where the run must end, whatever the steps take.
    run_deadline: Instant,
    /// The address connected to (for a second connection).
    addr: Option<SocketAddr>,
    redactor: Redactor,
    login_outcome: Option<capture::Login>,
    journal_count: Option<u64>,
    /// The scan's facts, when it ran.
    scan: Option<capture::ScanCapture>,
    /// The token endpoint's chain as Java judges it, once checked.
    token_tls: Option<TokenTls>,
}

/// What the check of the token endpoint's chain found.
#[derive(Clone, Debug)]
enum TokenTls {
    /// Not an https:// endpoint (a test stub): nothing to check.
    NotTls,
    /// No chain: the endpoint could not be reached or spoke no TLS.
    Unreachable,
    /// Java would trust it; the anchor (PEM) the engine found the path to.
    Trusted { anchor_pem: String },
    /// Java would not trust it (the findings say why).
    NotTrusted { why: String },
}

fn redact_finding(r: &Redactor, f: &mut Finding) {
    r.apply(&mut f.message);
    for e in &mut f.evidence {
        r.apply(e);
    }
    for s in &mut f.fix {
        match s {
            FixStep::Do(t) => r.apply(t),
            FixStep::OneOf(alts) => {
                for a in alts {
                    r.apply(&mut a.label);
                    for t in &mut a.steps {
                        r.apply(t);
                    }
                }
            }
        }
    }
}

/// The redactor for the secrets a login test will use.
fn redactor_for(login: &LoginTest) -> Redactor {
    let mut r = Redactor::new();
    match login {
        LoginTest::None => {}
        LoginTest::Password { user, password } => {
            r.add(password.expose());
            r.add_encoded(&format!("\0{user}\0{}", password.expose()));
        }
        LoginTest::OAuth { creds, .. } => r.add(creds.secret.expose()),
    }
    r
}

/// Resolves in a helper thread so that a resolver that never answers cannot
/// hold the probe past the step's deadline (the thread is left to finish).
fn resolve_within(target: &str, wait: Duration) -> Result<Vec<SocketAddr>, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let t = target.to_string();
    let spawned = std::thread::Builder::new()
        .name("resolve".into())
        .spawn(move || {
            let r = t
                .to_socket_addrs()
                .map(|a| a.collect::<Vec<_>>())
                .map_err(|e| e.to_string());
            let _ = tx.send(r);
        });
    if let Err(e) = spawned {
        return Err(format!("cannot start the resolver: {e}"));
    }
    match rx.recv_timeout(wait) {
        Ok(r) => r,
        Err(_) => Err(format!(
            "no answer from the resolver within {} s",
            wait.as_secs_f32()
        )),
    }
}

impl Run {
    fn step(&mut self, step: &'static str, start: Instant, ok: bool, detail: impl Into<String>) {
        let detail = self.redactor.redact(&detail.into());
        self.steps.push(Step {
            step,
            ok,
            elapsed_ms: start.elapsed().as_millis() as u64,
            detail,
        });
    }

    fn finding(&mut self, mut f: Finding) {
        redact_finding(&self.redactor, &mut f);
        self.findings.push(f);
    }

    /// The deadline of a step starting now.
    fn step_deadline(&self) -> Instant {
        (Instant::now() + self.opts.timeout).min(self.run_deadline)
    }

    /// The time a step starting now may take.
    fn step_time(&self) -> Duration {
        self.step_deadline()
            .saturating_duration_since(Instant::now())
    }

    fn addr_text(&self) -> String {
        self.opts
            .connect_to
            .clone()
            .unwrap_or_else(|| format!("{}:{}", self.opts.host, self.port))
    }

    /// A step that failed on a read or write: the step, and the finding
    /// that says why (so the run never ends "ok" after a failed step).
    fn step_error(&mut self, step: &'static str, t: Instant, e: &ReadError) {
        self.step(step, t, false, e.to_string());
        let f = match e {
            ReadError::Timeout { .. } => Finding::new(
                Rule::ImapStepDeadline,
                Severity::Error,
                format!(
                    "The server did not finish the {step} step within {:.1} s (the deadline holds for the whole step, however slowly the server trickles its answer). Java fails with java.net.SocketTimeoutException: Read timed out when its mail.imap.timeout is shorter.",
                    t.elapsed().as_secs_f32()
                ),
            )
            .fix([
                "Check the server's load (an Exchange with a very full journal mailbox answers slowly) and the network between the archiver and the server.",
                "Raise mail.imap.timeout / mail.imap.connectiontimeout in the archiver only if the server is known to be slow but healthy.",
            ]),
            ReadError::TooLong => Finding::new(
                Rule::ImapStepDeadline,
                Severity::Error,
                format!(
                    "The server's answer in the {step} step exceeded the probe's bounds ({} lines of at most {} bytes): not a normal IMAP answer.",
                    imap::MAX_LINES,
                    imap::MAX_LINE
                ),
            )
            .fix(["Check host and port: IMAP is 993 (SSL/TLS) or 143 (plaintext/STARTTLS)."]),
            ReadError::Closed { .. } | ReadError::Io(_) => Finding::new(
                Rule::ImapConnectionDropped,
                Severity::Error,
                format!("The server closed or reset the connection during the {step} step: {e}."),
            )
            .fix([
                "Check the server's IMAP log for the reason (connection limits, a failing IMAP4 Backend service, an intrusion-prevention device).",
            ]),
        };
        self.finding(f.evidence(format!("{step}: {e}")));
    }

    fn resolve(&mut self) -> Option<Vec<SocketAddr>> {
        let t = Instant::now();
        let target = self.addr_text();
        match resolve_within(&target, self.step_time()) {
            Ok(addrs) => {
                let detail = addrs
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.step("resolve", t, !addrs.is_empty(), detail);
                (!addrs.is_empty()).then_some(addrs)
            }
            Err(e) => {
                self.step("resolve", t, false, e.clone());
                self.finding(
                    Finding::new(Rule::NetDns, Severity::Error, format!("The host name {} does not resolve; Java fails with java.net.UnknownHostException: {}.", self.opts.host, self.opts.host))
                        .evidence(format!("{target}: {e}"))
                        .fix(["Check the spelling of the IMAP server name.", "Check DNS on the archiver machine (nslookup the name there)."]),
                );
                None
            }
        }
    }

    fn connect(&mut self, addrs: &[SocketAddr]) -> Option<DeadlineStream> {
        let t = Instant::now();
        let deadline = self.step_deadline();
        let mut last = None;
        for a in addrs {
            let left = deadline.saturating_duration_since(Instant::now());
            if left < Duration::from_millis(1) {
                break;
            }
            match TcpStream::connect_timeout(a, left) {
                Ok(s) => {
                    self.step("connect", t, true, a.to_string());
                    self.addr = Some(*a);
                    return Some(DeadlineStream::new(s, self.step_deadline()));
                }
                Err(e) => last = Some((*a, e)),
            }
        }
        let (a, e) = last.unwrap_or_else(|| {
            (
                addrs[0],
                std::io::Error::new(std::io::ErrorKind::TimedOut, "connect timed out"),
            )
        });
        self.step("connect", t, false, format!("{a}: {e}"));
        let f = if e.kind() == std::io::ErrorKind::ConnectionRefused {
            Finding::new(Rule::NetRefused, Severity::Error, format!("{a} refused the connection: nothing listens on port {} (is the Microsoft Exchange IMAP4 service started?) or a firewall rejects it. Java: java.net.ConnectException: Connection refused.", a.port()))
                .fix(["On the Exchange server run services.msc and start Microsoft Exchange IMAP4 and IMAP4 Backend (Automatic).", "Check the port: 993 for SSL/TLS, 143 for plaintext/STARTTLS.", "Check the firewalls between the archiver and Exchange."])
        } else {
            Finding::new(Rule::NetTimeout, Severity::Error, format!("No answer from {a} within {} s: a firewall drops the traffic or the host is down. Java: java.net.SocketTimeoutException: Connect timed out.", self.opts.timeout.as_secs()))
                .fix(["Allow the archiver to reach Exchange on port 143/993 in every firewall between them.", "Test from the archiver machine: telnet exchange.company.com 143."])
        };
        self.finding(f.evidence(format!("{a}: {e}")));
        None
    }

    /// After a failed handshake: what did the server send instead of a
    /// ServerHello? A TLS record starts with 0x14–0x17; a plain-text IMAP
    /// greeting with `*`. Reads the rest of a text line (bounded by size and
    /// by the step's deadline) to show it. True when explained.
    fn explain_non_tls(&mut self, sock: &mut DeadlineStream, t: Instant) -> bool {
        let mut got = sock.first_bytes().to_vec();
        match got.first() {
            None | Some(0x14..=0x17) => return false,
            _ => {}
        }
        while !got.contains(&b'\n') && got.len() < deadline::FIRST_BYTES {
            let mut b = [0u8; 256];
            match sock.read(&mut b) {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&b[..n]),
            }
        }
        let text = String::from_utf8_lossy(&got);
        let line = text.lines().next().unwrap_or("").trim().to_string();
        if imap::classify(&got) == Greeting::Imap {
            self.step(
                "greeting",
                t,
                false,
                format!("plain-text greeting on a TLS port: {line}"),
            );
            self.finding(Finding::new(Rule::TlsPlaintextOnTlsPort, Severity::Error, format!("Port {} answers with a plain-text IMAP greeting, but the mode is SSL/TLS: Java fails with \"Unsupported or unrecognized SSL message\".", self.port))
                .evidence(format!("greeting: {line}"))
                .fix(["Use SSL/TLS with port 993, or STARTTLS/plaintext with port 143."]));
        } else {
            self.not_imap(&line, imap::classify(&got));
        }
        true
    }

    /// The TLS handshake on `sock`, within one step deadline.
    fn handshake(&mut self, mut sock: DeadlineStream) -> Option<Conn> {
        let t = Instant::now();
        sock.set_deadline(self.step_deadline());
        let (cfg, recorder) = tls::config();
        let name =
            rustls::pki_types::ServerName::try_from(self.opts.host.clone()).unwrap_or_else(|_| {
                rustls::pki_types::ServerName::try_from("localhost".to_string())
                    .expect("valid name")
            });
        let mut conn = match rustls::ClientConnection::new(cfg, name) {
            Ok(c) => c,
            Err(e) => {
                self.step("tls", t, false, e.to_string());
                self.finding(Finding::new(
                    Rule::TlsHandshakeFailed,
                    Severity::Error,
                    format!("The probe could not start TLS: {e}"),
                ));
                return None;
            }
        };
        while conn.is_handshaking() {
            if let Err(e) = conn.complete_io(&mut sock) {
                let msg = e.to_string();
                if self.explain_non_tls(&mut sock, t) {
                    self.step("tls", t, false, msg);
                    return None;
                }
                let lower = msg.to_lowercase();
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                ) {
                    self.step_error("tls", t, &ReadError::Timeout { got: vec![] });
                } else if lower.contains("protocolversion")
                    || lower.contains("protocol_version")
                    || lower.contains("peerincompatible")
                {
                    self.step("tls", t, false, msg.clone());
                    self.finding(Finding::new(Rule::TlsLegacyProtocol, Severity::Error, "The server offers no TLS 1.2 or 1.3. Java 8u291+, 11.0.11+, 17 and 21 refuse TLS 1.0 and 1.1.")
                        .evidence(msg)
                        .fix(["Enable TLS 1.2 on the mail server (Schannel and .NET on Exchange's Windows Server)."]));
                } else if lower.contains("handshakefailure") || lower.contains("handshake_failure")
                {
                    self.step("tls", t, false, msg.clone());
                    self.finding(Finding::new(Rule::TlsHandshakeFailed, Severity::Error, "The server refused the TLS handshake: no common protocol version or cipher suite.")
                        .evidence(msg)
                        .fix(["Enable TLS 1.2 with ECDHE and AES-GCM cipher suites on the mail server."]));
                } else if matches!(
                    e.kind(),
                    std::io::ErrorKind::UnexpectedEof
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::BrokenPipe
                ) {
                    self.step_error("tls", t, &ReadError::Io(e));
                } else {
                    self.step("tls", t, false, msg.clone());
                    self.finding(Finding::new(Rule::TlsHandshakeFailed, Severity::Error, format!("The TLS handshake failed: {msg}. Java fails with an SSLHandshakeException."))
                        .evidence(msg)
                        .fix(["Check that the port speaks TLS (993) and that TLS 1.2 or 1.3 is enabled on the server."]));
                }
                return None;
            }
        }
        self.chain = recorder.chain.lock().map(|c| c.clone()).unwrap_or_default();
        self.protocol = conn.protocol_version().map(tls::protocol_name);
        self.cipher = conn
            .negotiated_cipher_suite()
            .map(|s| format!("{:?}", s.suite()));
        self.tls_up = true;
        self.step(
            "tls",
            t,
            true,
            format!(
                "{} {} ({} certificate(s))",
                self.protocol.clone().unwrap_or_default(),
                self.cipher.clone().unwrap_or_default(),
                self.chain.len()
            ),
        );
        Some(Conn::Tls(Box::new(rustls::StreamOwned::new(conn, sock))))
    }

    fn greeting(&mut self, lines: &mut Lines<Conn>, t: Instant) -> bool {
        lines.stream.set_deadline(self.step_deadline());
        let r = lines.read_line();
        self.on_greeting(r, t)
    }

    /// Records what the server said first; true for an IMAP greeting.
    fn on_greeting(&mut self, r: Result<String, ReadError>, t: Instant) -> bool {
        match r {
            Ok(l) => {
                let kind = imap::classify(l.as_bytes());
                let ok = kind == Greeting::Imap;
                self.step("greeting", t, ok, l.clone());
                if ok {
                    self.caps = imap::capabilities(std::slice::from_ref(&l));
                    self.greeting = Some(l);
                } else {
                    self.not_imap(&l, kind);
                }
                ok
            }
            Err(ReadError::TooLong) => {
                self.step("greeting", t, false, ReadError::TooLong.to_string());
                let msg = format!("The server sent a greeting longer than {} bytes without ending it: not an IMAP server.", imap::MAX_LINE);
                self.finding(Finding::new(Rule::ImapNotImap, Severity::Error, msg).fix([
                    "Check host and port: IMAP is 993 (SSL/TLS) or 143 (plaintext/STARTTLS).",
                ]));
                false
            }
            Err(e) => {
                self.step_error("greeting", t, &e);
                false
            }
        }
    }

    fn not_imap(&mut self, line: &str, kind: Greeting) {
        let what = match kind {
            Greeting::Pop3 => "a POP3 server (+OK)",
            Greeting::Smtp => "an SMTP server (220)",
            Greeting::Http => "a web server",
            _ => "not an IMAP server",
        };
        self.finding(
            Finding::new(
                Rule::ImapNotImap,
                Severity::Error,
                format!("The server on port {} is {what}, not IMAP.", self.port),
            )
            .evidence(format!(
                "greeting: {}",
                line.chars().take(200).collect::<String>()
            ))
            .fix(["Use the IMAP port: 993 for SSL/TLS or 143 for plaintext/STARTTLS."]),
        );
    }

    /// CAPABILITY; true when the server answered OK.
    fn capability(&mut self, lines: &mut Lines<Conn>) -> bool {
        let t = Instant::now();
        lines.stream.set_deadline(self.step_deadline());
        match lines.command("a1", "CAPABILITY") {
            Ok((untagged, status)) => {
                let caps = imap::capabilities(&untagged);
                if !caps.is_empty() {
                    self.caps = caps;
                }
                let ok = imap::tagged_status(&status, "a1") == imap::Status::Ok;
                self.step("capability", t, ok, self.caps.join(" "));
                ok
            }
            Err(e) => {
                self.step_error("capability", t, &e);
                false
            }
        }
    }

    fn has(&self, cap: &str) -> bool {
        self.caps.iter().any(|c| c == cap)
    }

    fn login_methods_check(&mut self, encrypted: bool) {
        let usable = ["AUTH=PLAIN", "AUTH=LOGIN", "AUTH=NTLM"]
            .iter()
            .any(|c| self.has(c));
        if self.has("LOGINDISABLED") && !usable {
            let how = if encrypted {
                "even inside TLS"
            } else {
                "on this unencrypted connection"
            };
            self.finding(
                Finding::new(Rule::ImapLoginDisabled, Severity::Error, format!("The server advertises LOGINDISABLED and no AUTH= method {how}: JavaMail fails with \"No login methods supported!\" (the archiver's \"No such login method\")."))
                    .evidence(format!("CAPABILITY {}", self.caps.join(" ")))
                    .fix([
                        "Use SSL/TLS on port 993, or STARTTLS on port 143, so login happens inside TLS.",
                        "Or allow plain-text login on Exchange: Set-ImapSettings -LoginType PlainTextLogin (Exchange 2007: IMAP4 Properties → Authentication), then restart the IMAP4 services.",
                    ]),
            );
        }
    }

    /// The engine's judgement of what the probe has seen so far, with the
    /// options given (trust store, Java version, host): the capture goes to
    /// the engine as typed evidence.
    fn judge(&self) -> Report {
        self.judge_capture(&self.capture())
    }

    /// The engine's judgement of one capture (the IMAP server's, or the
    /// token endpoint's) with the archiver's Java and trust store.
    fn judge_capture(&self, capture: &Capture) -> Report {
        let trust: Vec<Input<'_>> = self
            .opts
            .trust
            .iter()
            .map(|(n, b)| Input { name: n, bytes: b })
            .collect();
        analyze_capture(
            capture,
            &trust,
            &Options {
                at: self.opts.at,
                host: Some(capture.host.clone()),
                public_roots: self.opts.public_roots,
                keystore_password: None,
                java: self.opts.java,
                identity_check: self.opts.identity_check,
                java_release: self.opts.java_release,
                trust_store: self.opts.trust_store,
                // What the probe negotiated is what this server gives a
                // current Java (Java 25 judges TLS 1.3 certificate signatures).
                tls_version: capture
                    .protocol
                    .as_deref()
                    .and_then(imap_doctor_engine::java::TlsVersion::parse),
                ..Default::default()
            },
        )
    }

    /// Whether the credentials may be sent: only inside TLS whose chain the
    /// engine trusts — where Java would send them — unless the caller asked
    /// for an insecure login by name. Says why when not.
    fn may_send_credentials(&mut self) -> bool {
        let why = if !self.tls_up {
            let no_starttls = !self.has("STARTTLS");
            if no_starttls && !self.findings.iter().any(|f| f.rule == Rule::ImapNoStarttls) {
                self.finding(Finding::new(Rule::ImapNoStarttls, Severity::Error, "The server does not advertise STARTTLS on this plain-text connection. A JavaMail client with mail.imap.starttls.enable=true but without mail.imap.starttls.required=true WOULD send its password in clear to this server (or to anyone in the middle who strips STARTTLS).")
                    .evidence(format!("CAPABILITY {}", self.caps.join(" ")))
                    .fix([
                        "Set mail.imap.starttls.required=true in the archiver (or use SSL/TLS on port 993) so that it never logs in without TLS.",
                        "Bind a certificate to the IMAP service on Exchange (Enable-ExchangeCertificate -Services IMAP) and restart it.",
                    ]));
            }
            if no_starttls {
                "the connection is not encrypted: the server offers no STARTTLS".to_string()
            } else {
                "the connection is not encrypted (plain-text mode)".to_string()
            }
        } else {
            let r = self.judge();
            if r.verdict == Verdict::Trusted && !r.has_error() {
                return true;
            }
            let errors = r.error_rule_ids();
            format!(
                "Java would not trust this TLS connection ({}; {})",
                r.verdict_label(),
                if errors.is_empty() {
                    "no trusted path".to_string()
                } else {
                    errors.join(", ")
                }
            )
        };
        if self.opts.send_credentials_insecurely {
            self.finding(Finding::new(Rule::ImapCredentialsSentInsecurely, Severity::Warning, format!("The credentials were sent although {why}, because --send-credentials-insecurely was given. Anyone on the path may have read them: change the password (or the client secret) if the network is not yours."))
                .fix(["Fix the TLS problem first and test again without --send-credentials-insecurely.", "Change the password or client secret used for this test."]));
            return true;
        }
        let t = Instant::now();
        self.step("login", t, false, format!("not attempted: {why}"));
        self.login_outcome = Some(capture::Login::Withheld {
            why: self.redactor.redact(&why),
        });
        self.finding(Finding::new(Rule::ImapInsecureLoginRefused, Severity::Error, format!("The probe did not send the credentials: {why}. Java (with mail.imap.ssl.enable or mail.imap.starttls.required) would not send them either; the other findings say what to fix."))
            .fix([
                "Fix the findings above (STARTTLS, certificate chain, host name) and run the probe again.",
                "Only on a network you control, --send-credentials-insecurely tests the login anyway.",
            ]));
        false
    }

    fn login(&mut self, lines: &mut Lines<Conn>) -> bool {
        if matches!(self.opts.login, LoginTest::None) || !self.may_send_credentials() {
            return false;
        }
        let t = Instant::now();
        match self.opts.login.clone() {
            LoginTest::None => false,
            LoginTest::Password { user, password } => {
                lines.stream.set_deadline(self.step_deadline());
                let b64 = base64::engine::general_purpose::STANDARD;
                let plain = self.has("AUTH=PLAIN");
                let result = if plain {
                    let ir = b64.encode(format!("\0{user}\0{}", password.expose()));
                    if self.has("SASL-IR") {
                        lines.command("a3", &format!("AUTHENTICATE PLAIN {ir}"))
                    } else {
                        lines.send("a3 AUTHENTICATE PLAIN").and_then(|_| {
                            lines.read_line()?;
                            lines.send(&ir)?;
                            lines.answer("a3")
                        })
                    }
                } else {
                    let q =
                        |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
                    lines.command(
                        "a3",
                        &format!("LOGIN {} {}", q(&user), q(password.expose())),
                    )
                };
                let mechanism = if plain { "AUTHENTICATE PLAIN" } else { "LOGIN" };
                self.login_result(result, t, mechanism, &user)
            }
            LoginTest::OAuth { user, creds } => {
                let anchor = match self.token_endpoint_tls() {
                    TokenTls::NotTls => None,
                    TokenTls::Trusted { anchor_pem } => Some(anchor_pem),
                    TokenTls::NotTrusted { .. } if self.opts.send_credentials_insecurely => None,
                    TokenTls::NotTrusted { why } => {
                        // The archiver's token request would fail on this
                        // chain; the client secret is not sent to it.
                        let why = format!("the archiver's Java would not trust the token endpoint's chain ({why})");
                        self.step(
                            "token",
                            Instant::now(),
                            false,
                            format!("not attempted: {why}"),
                        );
                        self.login_outcome = Some(capture::Login::NoToken { why });
                        return false;
                    }
                    TokenTls::Unreachable => {
                        self.step(
                            "token",
                            Instant::now(),
                            false,
                            "not attempted: the token endpoint is unreachable",
                        );
                        self.login_outcome = Some(capture::Login::NoToken {
                            why: "the token endpoint is unreachable".into(),
                        });
                        return false;
                    }
                };
                let t = Instant::now();
                let token = match http::client_credentials_token(
                    &creds.endpoint,
                    &creds.tenant,
                    &creds.client_id,
                    &creds.secret,
                    self.step_time(),
                    anchor.as_deref(),
                ) {
                    Ok(http::TokenReply::Token(tok)) => {
                        self.redactor.add(tok.expose());
                        self.redactor.add_encoded(&format!(
                            "user={user}\x01auth=Bearer {}\x01\x01",
                            tok.expose()
                        ));
                        self.step("token", t, true, "access token received");
                        tok
                    }
                    Ok(http::TokenReply::Error(e)) => {
                        let e = self.redactor.redact(&e);
                        self.step("token", t, false, e.clone());
                        self.login_outcome = Some(capture::Login::NoToken { why: e.clone() });
                        self.text_findings(&e);
                        return false;
                    }
                    Err(e) => {
                        self.step("token", t, false, e.clone());
                        self.login_outcome = Some(capture::Login::NoToken {
                            why: self.redactor.redact(&e),
                        });
                        if matches!(self.token_tls, Some(TokenTls::NotTrusted { .. })) {
                            // Reached, but over a chain already reported as
                            // one Java (and here the request) does not trust.
                            return false;
                        }
                        self.finding(
                            Finding::new(
                                Rule::OauthTokenEndpointUnreachable,
                                Severity::Error,
                                format!("The token endpoint could not be reached or did not answer in time: {e}"),
                            )
                            .evidence(e)
                            .fix(["Allow the archiver to reach login.microsoftonline.com on port 443 (proxy, firewall)."]),
                        );
                        return false;
                    }
                };
                // The engine's token rules.
                let s = settings::Settings {
                    host: self.opts.host.clone(),
                    login: settings::Login::Oauth,
                    tenant: creds.tenant.clone(),
                    client_id: creds.client_id.clone(),
                    token: token.expose().to_string(),
                    ..settings::Settings::default()
                };
                let checked = settings::check(&s, self.opts.at);
                for f in checked
                    .findings
                    .into_iter()
                    .filter(|f| f.field == "token" || f.field == "object_id")
                {
                    self.finding(f.finding);
                }
                let t2 = Instant::now();
                lines.stream.set_deadline(self.step_deadline());
                let sasl = base64::engine::general_purpose::STANDARD.encode(format!(
                    "user={user}\x01auth=Bearer {}\x01\x01",
                    token.expose()
                ));
                let result = if self.has("SASL-IR") {
                    lines.command("a3", &format!("AUTHENTICATE XOAUTH2 {sasl}"))
                } else {
                    lines.send("a3 AUTHENTICATE XOAUTH2").and_then(|_| {
                        lines.read_line()?;
                        lines.send(&sasl)?;
                        lines.answer("a3")
                    })
                };
                self.login_result(result, t2, "AUTHENTICATE XOAUTH2", &user)
            }
        }
    }

    /// The token endpoint's chain as the archiver's Java judges it; checked
    /// once per run.
    fn token_endpoint_tls(&mut self) -> TokenTls {
        if let Some(t) = &self.token_tls {
            return t.clone();
        }
        let t = self.check_token_endpoint();
        self.token_tls = Some(t.clone());
        t
    }

    /// With OAuth, the archiver's Java fetches its token over TLS from the
    /// token endpoint: that chain must be trusted by the same Java, with the
    /// same trust store, as the IMAP server's. Captured with the probe's TLS
    /// and judged by the same engine; its findings reuse the chain ids with
    /// evidence naming the token endpoint.
    fn check_token_endpoint(&mut self) -> TokenTls {
        let LoginTest::OAuth { creds, .. } = &self.opts.login else {
            return TokenTls::NotTls;
        };
        let Some((host, port)) = tls::https_host_port(&creds.endpoint) else {
            return TokenTls::NotTls;
        };
        let t = Instant::now();
        let target = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let deadline = self.step_deadline();
        let connected = resolve_within(&target, self.step_time()).and_then(|addrs| {
            let mut last = format!("{target}: no address");
            for a in addrs {
                let left = deadline.saturating_duration_since(Instant::now());
                if left < Duration::from_millis(1) {
                    last = format!("{target}: connect timed out");
                    break;
                }
                match TcpStream::connect_timeout(&a, left) {
                    Ok(s) => return Ok(s),
                    Err(e) => last = format!("{a}: {e}"),
                }
            }
            Err(last)
        });
        let hs = connected.and_then(|s| {
            let _ = s.set_nodelay(true);
            let mut sock = DeadlineStream::new(s, deadline);
            tls::handshake_only(&mut sock, &host).map_err(|e| format!("{target}: TLS: {e}"))
        });
        let hs = match hs {
            Ok(h) if !h.chain.is_empty() => h,
            Ok(_) | Err(_) => {
                let e = hs
                    .err()
                    .unwrap_or_else(|| format!("{target}: no certificate"));
                self.step("token-tls", t, false, e.clone());
                self.finding(
                    Finding::new(
                        Rule::OauthTokenEndpointUnreachable,
                        Severity::Error,
                        format!("The token endpoint {target} could not be reached over TLS: {e}. The archiver cannot get an OAuth token there either."),
                    )
                    .evidence(format!("token endpoint {}", creds_endpoint(&self.opts.login)))
                    .fix(["Allow the archiver to reach login.microsoftonline.com on port 443 (proxy, firewall)."]),
                );
                return TokenTls::Unreachable;
            }
        };
        let c = Capture {
            host: host.clone(),
            port,
            chain: hs.chain,
            protocol: hs.protocol,
            cipher: hs.cipher,
            ..Capture::default()
        };
        let r = self.judge_capture(&c);
        let trusted = r.verdict == Verdict::Trusted && !r.has_error();
        self.step(
            "token-tls",
            t,
            trusted,
            format!(
                "{target} {} {} ({} certificate(s)): {}",
                c.protocol.as_deref().unwrap_or(""),
                c.cipher.as_deref().unwrap_or(""),
                c.chain.len(),
                r.verdict_label()
            ),
        );
        let whose = format!("the token endpoint's chain ({target}): the archiver's Java fetches its OAuth token there and must trust it too");
        for f in r
            .findings
            .iter()
            .filter(|f| f.rule.id().starts_with("chain.") || f.rule.id().starts_with("host."))
        {
            let mut f = f.clone();
            f.message = format!("Token endpoint {target}: {}", f.message);
            f.evidence.insert(0, whose.clone());
            self.finding(f);
        }
        if trusted {
            let anchor_pem = r
                .anchor
                .as_ref()
                .and_then(|a| r.cert_by(&a.sha256))
                .map(|c| c.pem.to_string())
                .unwrap_or_default();
            TokenTls::Trusted { anchor_pem }
        } else {
            let errors = r.error_rule_ids();
            TokenTls::NotTrusted {
                why: if errors.is_empty() {
                    r.verdict_label().to_string()
                } else {
                    errors.join(", ")
                },
            }
        }
    }

    fn text_findings(&mut self, text: &str) {
        let r = analyze(
            &[Input {
                name: "token endpoint",
                bytes: text.as_bytes(),
            }],
            &[],
            &Options {
                at: self.opts.at,
                public_roots: false,
                ..Default::default()
            },
        );
        for f in r
            .findings
            .into_iter()
            .filter(|f| !f.rule.id().starts_with("input."))
        {
            self.finding(f);
        }
    }

    /// A second connection, to see whether a silent plain-text port speaks
    /// TLS. Its steps and findings are kept only when it does.
    fn tls_on_plain_port(&mut self) -> bool {
        let Some(addr) = self.addr else {
            return false;
        };
        let (steps, findings) = (self.steps.len(), self.findings.len());
        let left = self.step_time();
        if left < Duration::from_millis(1) {
            return false;
        }
        let Ok(s2) = TcpStream::connect_timeout(&addr, left) else {
            return false;
        };
        let ok = self
            .handshake(DeadlineStream::new(s2, self.step_deadline()))
            .is_some();
        if !ok {
            self.steps.truncate(steps);
            self.findings.truncate(findings);
            self.tls_up = false;
        }
        ok
    }

    /// The whole conversation after TCP connect.
    fn session(&mut self, sock: DeadlineStream, mode: ModeChoice) {
        let t = Instant::now();
        match mode {
            Some(Mode::Tls) => {
                // The handshake starts at once; a plain-text greeting (or
                // anything else that is not TLS) is recognised from the bytes
                // that come back instead of a ServerHello.
                let Some(conn) = self.handshake(sock) else {
                    return;
                };
                let mut lines = Lines::new(conn);
                if self.greeting(&mut lines, Instant::now()) && self.capability(&mut lines) {
                    self.login_methods_check(true);
                    self.after_capability(&mut lines);
                }
            }
            Some(Mode::Plaintext) | Some(Mode::Starttls) | None => {
                let mut lines = Lines::new(Conn::Plain(sock));
                lines.stream.set_deadline(self.step_deadline());
                match lines.read_line() {
                    Err(ReadError::Timeout { got }) if got.is_empty() => {
                        self.step_error("greeting", t, &ReadError::Timeout { got });
                        drop(lines);
                        // Is it a TLS port? Try a handshake on a new connection.
                        if self.tls_on_plain_port() {
                            self.findings.retain(|f| f.rule != Rule::ImapStepDeadline);
                            self.finding(Finding::new(Rule::TlsTlsOnPlaintextPort, Severity::Error, format!("Port {} speaks TLS from the first byte (SSL/TLS), but the mode is plaintext/STARTTLS: the archiver waits for a greeting that never comes (Read timed out).", self.port))
                                .fix(["Set the connection mode to SSL/TLS for this port (993), or use port 143 for STARTTLS."]));
                            return;
                        }
                        self.finding(Finding::new(Rule::ImapNotImap, Severity::Error, format!("The server on port {} accepted the connection but sent no greeting within {} s, and no TLS handshake either.", self.port, self.opts.timeout.as_secs()))
                            .fix(["Check host and port; a silent server can also be an overloaded Exchange (journal mailbox too full)."]));
                        return;
                    }
                    other => {
                        if !self.on_greeting(other, t) {
                            return;
                        }
                    }
                }
                if !self.capability(&mut lines) {
                    return;
                }
                let want_tls = matches!(mode, Some(Mode::Starttls) | None);
                if want_tls && self.has("STARTTLS") {
                    let t2 = Instant::now();
                    lines.stream.set_deadline(self.step_deadline());
                    match lines.command("a2", "STARTTLS") {
                        Ok((_, status))
                            if imap::tagged_status(&status, "a2") == imap::Status::Ok =>
                        {
                            self.step("starttls", t2, true, status);
                            let Conn::Plain(sock) = lines.stream else {
                                return;
                            };
                            self.starttls_used = true;
                            let mut sock = sock;
                            sock.forget_first_bytes();
                            let Some(conn) = self.handshake(sock) else {
                                return;
                            };
                            let mut lines = Lines::new(conn);
                            if !self.capability(&mut lines) {
                                return;
                            }
                            self.login_methods_check(true);
                            self.after_capability(&mut lines);
                        }
                        Ok((_, status)) => {
                            self.step("starttls", t2, false, status.clone());
                            self.finding(Finding::new(Rule::ImapNoStarttls, Severity::Error, "The server advertises STARTTLS but refuses it: JavaMail fails (or, without starttls.required, logs in unencrypted).")
                                .evidence(status)
                                .fix(["Bind a certificate to the IMAP service on Exchange (Enable-ExchangeCertificate -Services IMAP) and restart it, or use SSL/TLS on port 993."]));
                            self.after_capability(&mut lines);
                        }
                        Err(e) => self.step_error("starttls", t2, &e),
                    }
                    return;
                }
                if mode == Some(Mode::Starttls) {
                    self.finding(Finding::new(Rule::ImapNoStarttls, Severity::Error, "STARTTLS mode is chosen but the server does not advertise STARTTLS: JavaMail fails with \"STARTTLS required but not supported by server\" (or, without starttls.required, logs in unencrypted).")
                        .evidence(format!("CAPABILITY {}", self.caps.join(" ")))
                        .fix(["Bind a certificate to the IMAP service on Exchange (Enable-ExchangeCertificate -Services IMAP) and restart it, or use SSL/TLS on port 993."]));
                }
                self.login_methods_check(false);
                self.after_capability(&mut lines);
            }
        }
    }

    fn after_capability(&mut self, lines: &mut Lines<Conn>) {
        if !matches!(self.opts.login, LoginTest::None) && self.login(lines) {
            self.examine(lines);
        }
    }

    fn login_result(
        &mut self,
        r: Result<(Vec<String>, String), ReadError>,
        t: Instant,
        mechanism: &str,
        user: &str,
    ) -> bool {
        let oauth = mechanism.ends_with("XOAUTH2");
        match r {
            Ok((_, status)) if imap::tagged_status(&status, "a3") == imap::Status::Ok => {
                self.step("login", t, true, format!("logged in as {user}"));
                self.login_outcome = Some(capture::Login::LoggedIn {
                    mechanism: mechanism.to_string(),
                });
                true
            }
            Ok((_, status)) => {
                let text = status.splitn(3, ' ').nth(2).unwrap_or("").to_string();
                self.step("login", t, false, status.clone());
                self.login_outcome = Some(capture::Login::Rejected {
                    mechanism: mechanism.to_string(),
                    status: self.redactor.redact(&status),
                });
                let online = settings::is_exchange_online(&self.opts.host);
                if oauth {
                    self.finding(Finding::new(Rule::OauthAuthenticateFailed, Severity::Error, format!("Exchange rejected the OAuth token: {text}"))
                        .evidence(status)
                        .fix([
                            "Grant admin consent for IMAP.AccessAsApp (Office 365 Exchange Online) in the app registration.",
                            "Register the service principal with the Enterprise Application's Object ID (step D1) and give it FullAccess to the mailbox (step E1).",
                            "Check that the mailbox address is right.",
                        ]));
                } else if online {
                    self.finding(Finding::new(Rule::M365BasicAuthDisabled, Severity::Error, format!("Microsoft 365 rejected the password login ({text}): basic authentication for IMAP is turned off."))
                        .evidence(status)
                        .fix(["Configure OAuth (steps A, B, C1, D1, E1) and use --oauth."]));
                } else {
                    self.finding(Finding::new(Rule::ImapAuthFailed, Severity::Error, format!("The server rejected the login: {text}"))
                        .evidence(status)
                        .fix([
                            "Check the user name (often the full address) and the password.",
                            "In Active Directory check that the journal account is enabled, not locked, its password not expired, and that it has a mailbox.",
                        ]));
                }
                false
            }
            Err(e) => {
                self.login_outcome = Some(capture::Login::Failed { why: e.to_string() });
                self.step_error("login", t, &e);
                false
            }
        }
    }

    fn examine(&mut self, lines: &mut Lines<Conn>) {
        let t = Instant::now();
        let folder = self.opts.folder.replace(['"', '\\', '\r', '\n'], "");
        lines.stream.set_deadline(self.step_deadline());
        match lines.command("a4", &format!("EXAMINE \"{folder}\"")) {
            Ok((untagged, status)) if imap::tagged_status(&status, "a4") == imap::Status::Ok => {
                let n = imap::exists(&untagged);
                self.journal_count = n;
                self.step(
                    "journal",
                    t,
                    true,
                    format!(
                        "{folder}: {} message(s)",
                        n.map(|n| n.to_string()).unwrap_or_else(|| "?".into())
                    ),
                );
                if let Some(n) = n.filter(|&n| n > settings::JOURNAL_LIMIT) {
                    self.finding(Finding::new(Rule::JournalTooManyMessages, Severity::Error, format!("The journal folder {folder} holds {n} messages, more than {}: Exchange may be unable to answer the archiver in time.", settings::JOURNAL_LIMIT))
                        .evidence(format!("EXAMINE {folder}: {n} EXISTS"))
                        .fix(["Create a new journal mailbox and point the journal rule to it.", "Import the old mailbox's mail with the archiver's import feature."]));
                }
            }
            Ok((_, status)) => self.step("journal", t, false, status),
            Err(e) => {
                self.step_error("journal", t, &e);
                return;
            }
        }
        // Polite, but not waited for: the run is over.
        lines.stream.set_deadline(self.step_deadline());
        let _ = lines.send("a5 LOGOUT");
    }

    /// The TLS scan on new connections to the address the session used
    /// (after STARTTLS when the session used or wanted it), with its own
    /// budget. When the session's rustls handshake got no chain (a TLS
    /// 1.0/1.1-only server), the chain the scan read in clear is judged.
    fn tls_scan(&mut self, mode: ModeChoice) -> Option<TlsScanReport> {
        let t = Instant::now();
        let addr = self.addr?;
        let starttls = match mode {
            Some(Mode::Tls) => false,
            Some(Mode::Starttls) => true,
            Some(Mode::Plaintext) => {
                self.step("tls-scan", t, true, "skipped: plaintext mode");
                return None;
            }
            None if self.starttls_used || self.has("STARTTLS") => true,
            None if self.tls_up => false,
            None => {
                self.step(
                    "tls-scan",
                    t,
                    true,
                    "skipped: the server offers no TLS on this port",
                );
                return None;
            }
        };
        let budget = self.opts.budget.max(self.opts.timeout);
        let target = scan::Target {
            addr,
            host: &self.opts.host,
            starttls,
            timeout: self.opts.timeout,
            deadline: Instant::now() + budget,
        };
        let out = scan::scan(&target);
        let rows = imap_doctor_engine::tls::java::simulate(&out.scan);
        let accepted: Vec<String> = out
            .scan
            .versions
            .iter()
            .filter(|v| v.accepted)
            .map(|v| format!("{} ({})", v.name, v.suites.join(", ")))
            .collect();
        self.step(
            "tls-scan",
            t,
            !accepted.is_empty(),
            format!(
                "{} connection(s); accepted: {}",
                out.scan.connections,
                if accepted.is_empty() {
                    "none".to_string()
                } else {
                    accepted.join("; ")
                }
            ),
        );
        // The scan knows better than the guess from a failed rustls handshake.
        self.findings
            .retain(|f| !matches!(f.rule, Rule::TlsLegacyProtocol | Rule::TlsWeakCipher));
        if !out.scan.accepted().is_empty() {
            self.findings.retain(|f| f.rule != Rule::TlsHandshakeFailed);
        }
        for f in imap_doctor_engine::tls::findings(&out.scan, &rows) {
            self.finding(f);
        }
        let chain_from = out
            .chain_from
            .as_ref()
            .map(|(v, s)| format!("{} {s}", v.openssl()));
        if self.chain.is_empty() && !out.chain.is_empty() {
            self.chain = out.chain.clone();
            if let Some((v, s)) = &out.chain_from {
                self.protocol = Some(v.openssl().to_string());
                self.cipher = Some(s.clone());
            }
            self.starttls_used = starttls;
        }
        self.scan = Some(capture::ScanCapture {
            scan: out.scan.clone(),
            chain_from: out.chain_from.clone(),
            chain: out.chain.clone(),
        });
        Some(TlsScanReport {
            scan: out.scan,
            java: rows,
            chain_from,
            chain_certificates: out.chain.len(),
        })
    }

    /// What the probe has seen so far, as typed data. Whatever the server
    /// sent that is kept as text (greeting, capabilities) is redacted first.
    fn capture(&self) -> Capture {
        let r = &self.redactor;
        Capture {
            host: self.opts.host.clone(),
            port: self.port,
            mode: self.opts.mode,
            starttls_offered: self.has("STARTTLS"),
            starttls_used: self.starttls_used,
            chain: self.chain.clone(),
            protocol: self.protocol.clone(),
            cipher: self.cipher.clone(),
            greeting: self.greeting.as_deref().map(|g| r.redact(g)),
            capabilities: self.caps.iter().map(|c| r.redact(c)).collect(),
            login: self.login_outcome.clone(),
            journal_count: self.journal_count,
            timings: self
                .steps
                .iter()
                .map(|s| capture::Timing {
                    step: s.step.to_string(),
                    ok: s.ok,
                    elapsed_ms: s.elapsed_ms,
                })
                .collect(),
            scan: self.scan.clone(),
        }
    }
}

/// The token endpoint's address, for evidence.
fn creds_endpoint(login: &LoginTest) -> &str {
    match login {
        LoginTest::OAuth { creds, .. } => &creds.endpoint,
        _ => "",
    }
}

/// Probes one endpoint. Ends within `opts.budget` (plus the engine's
/// analysis), whatever the server does.
pub fn probe(opts: ProbeOptions) -> ProbeResult {
    let started = Instant::now();
    let port = opts.port.unwrap_or(match opts.mode {
        Some(Mode::Plaintext) | Some(Mode::Starttls) => 143,
        _ => 993,
    });
    let mode = match (opts.mode, port) {
        (None, 993) => Some(Mode::Tls),
        (None, _) => None,
        (m, _) => m,
    };
    let redactor = redactor_for(&opts.login);
    let run_deadline = started + opts.budget.max(opts.timeout);
    let mut run = Run {
        opts,
        port,
        steps: vec![],
        findings: vec![],
        chain: vec![],
        protocol: None,
        cipher: None,
        greeting: None,
        caps: vec![],
        starttls_used: false,
        tls_up: false,
        run_deadline,
        addr: None,
        redactor,
        login_outcome: None,
        journal_count: None,
        scan: None,
        token_tls: None,
    };
    if let Some(addrs) = run.resolve() {
        if let Some(sock) = run.connect(&addrs) {
            run.session(sock, mode);
        }
    }
    if matches!(run.opts.login, LoginTest::OAuth { .. }) {
        // Also when the IMAP side stopped before the login.
        run.token_endpoint_tls();
    }
    let tls_scan = if run.opts.tls_scan {
        run.tls_scan(mode)
    } else {
        None
    };
    let mut report = run.judge();
    if tls_scan.is_some() {
        // The scan's findings replace what the engine guesses from the one
        // protocol line of the transcript.
        report
            .findings
            .retain(|f| !matches!(f.rule, Rule::TlsLegacyProtocol | Rule::TlsWeakCipher));
    }
    if let Some(dir) = run.opts.fetch_missing.clone() {
        fetch_missing(&mut run, &mut report, &dir);
    }
    let had_certs = !run.chain.is_empty();
    report.findings.extend(std::mem::take(&mut run.findings));
    if !had_certs {
        // Without certificates the engine asks for a paste; the probe knows
        // what happened instead.
        report
            .findings
            .retain(|f| !f.rule.id().starts_with("input."));
    }
    report.findings.sort_by_key(|f| f.severity);
    if !had_certs {
        if let Some(f) = report
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
        {
            report.summary = format!("The probe stopped before TLS: {}", f.message);
        } else if let Some(s) = run.steps.iter().find(|s| !s.ok) {
            report.summary = format!("The {} step failed: {}", s.step, s.detail);
        } else {
            report.summary =
                "Plain-text IMAP answers (greeting and CAPABILITY); this mode uses no TLS, so there is no certificate to judge.".to_string();
        }
    }
    // Whatever the server echoed, no secret leaves the probe.
    for f in &mut report.findings {
        redact_finding(&run.redactor, f);
    }
    run.redactor.apply(&mut report.summary);
    if let Some(j) = &mut report.java_error {
        run.redactor.apply(j);
    }
    report.headline = imap_doctor_engine::report::headline::headline(
        report.verdict,
        &report.summary,
        &report.findings,
    );
    let capture = run.capture();
    let paste = run.redactor.redact(&capture.transcript());
    ProbeResult {
        target: format!("{}:{}", run.opts.host, port),
        report,
        steps: run.steps,
        tls_scan,
        paste,
        capture,
        redactor: run.redactor,
    }
}

/// `--fetch-missing`: download the missing intermediate from its AIA URL
/// (http only, bounded), check it signs the certificate below, write it.
/// At most [`MAX_AIA_URLS`] addresses, all within one step deadline: a
/// certificate naming a thousand slow URLs cannot hold the probe.
fn fetch_missing(run: &mut Run, report: &mut Report, dir: &std::path::Path) {
    let Some(m) = report.missing.clone() else {
        return;
    };
    let Some(below) = m
        .needed_by
        .as_ref()
        .and_then(|s| report.cert_by(s))
        .map(|c| c.cert.clone())
    else {
        return;
    };
    let deadline = run.step_deadline();
    if m.ca_issuers.len() > MAX_AIA_URLS {
        run.step(
            "fetch-missing",
            Instant::now(),
            true,
            format!(
                "{} AIA addresses; trying the first {MAX_AIA_URLS}",
                m.ca_issuers.len()
            ),
        );
    }
    for url in m.ca_issuers.iter().take(MAX_AIA_URLS) {
        let t = Instant::now();
        let left = deadline.saturating_duration_since(t);
        if left < Duration::from_millis(1) {
            run.step(
                "fetch-missing",
                t,
                false,
                format!("{url}: not tried, the download budget is spent"),
            );
            break;
        }
        let bytes = match http::get(url, left) {
            Ok(b) => b,
            Err(e) => {
                run.step("fetch-missing", t, false, e);
                continue;
            }
        };
        let found = imap_doctor_engine::input::recognise(&bytes);
        let issuer = found
            .certificates
            .iter()
            .filter_map(|f| Certificate::from_der(f.der()).ok())
            .find(|c| {
                imap_doctor_engine::x509::sig::verify(&below, c)
                    == imap_doctor_engine::x509::sig::SigCheck::Valid
            });
        let Some(issuer) = issuer else {
            run.step(
                "fetch-missing",
                t,
                false,
                format!(
                    "{url}: no certificate in it signs {}",
                    below.subject.display()
                ),
            );
            continue;
        };
        let name = format!(
            "{}.pem",
            imap_doctor_engine::report::file_stem(&issuer.label())
        );
        let path = dir.join(&name);
        match std::fs::write(&path, issuer.pem()) {
            Ok(()) => {
                run.step(
                    "fetch-missing",
                    t,
                    true,
                    format!(
                        "{url} → {} (it signs {})",
                        path.display(),
                        below.subject.display()
                    ),
                );
                if let Some(f) = report
                    .findings
                    .iter_mut()
                    .find(|f| f.rule == Rule::ChainMissingIntermediate)
                {
                    f.evidence.push(format!("downloaded from {url} and checked: it signs the certificate below; written to {}", path.display()));
                    f.fix.insert(0, format!("Import {} (downloaded and checked by the probe) into the archiver's trust store.", path.display()).into());
                }
            }
            Err(e) => run.step(
                "fetch-missing",
                t,
                false,
                format!("cannot write {}: {e}", path.display()),
            ),
        }
        return;
    }
}
