//! The native probe: what the article's `telnet` and `openssl s_client`
//! steps do by hand, in one run: resolve, connect, greeting, CAPABILITY,
//! STARTTLS or implicit TLS (capturing the chain without trusting it), an
//! optional login and journal count. The result is judged by the same
//! engine, with the same finding ids, as the page.

pub mod http;
pub mod imap;
pub mod tls;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use base64::Engine;
use serde::Serialize;

use imap::{Greeting, Lines, ReadError};
use imap_doctor_engine::diagnose::{analyze, Input, Options};
use imap_doctor_engine::java::JavaProfile;
use imap_doctor_engine::report::Report;
use imap_doctor_engine::rules::{Finding, Rule, Severity};
use imap_doctor_engine::settings;
use imap_doctor_engine::x509::cert::Certificate;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModeChoice {
    Auto,
    Plain,
    Starttls,
    Tls,
}

/// OAuth client credentials for the login test.
#[derive(Clone, Debug)]
pub struct OAuth {
    pub tenant: String,
    pub client_id: String,
    pub secret: String,
    /// Base URL of the token endpoint (tests point it at a local server).
    pub endpoint: String,
}

#[derive(Clone, Debug)]
pub enum LoginTest {
    None,
    Password { user: String, password: String },
    OAuth { user: String, creds: OAuth },
}

#[derive(Clone, Debug)]
pub struct ProbeOptions {
    pub host: String,
    pub port: Option<u16>,
    pub mode: ModeChoice,
    /// Connect here instead of resolving `host` (host stays the TLS name).
    pub connect_to: Option<String>,
    pub timeout: Duration,
    pub login: LoginTest,
    pub folder: String,
    /// Where `--fetch-missing` writes the downloaded certificate.
    pub fetch_missing: Option<std::path::PathBuf>,
    pub trust: Vec<(String, Vec<u8>)>,
    pub public_roots: bool,
    pub at: i64,
    pub java: JavaProfile,
    pub identity_check: bool,
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
    /// An s_client-style transcript the page accepts as input.
    #[serde(skip)]
    pub paste: String,
}

enum Conn {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
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
}

/// How long to wait for an unasked-for greeting before starting TLS.
const PEEK: Duration = Duration::from_millis(1200);

impl Run {
    fn step(&mut self, step: &'static str, start: Instant, ok: bool, detail: impl Into<String>) {
        self.steps.push(Step {
            step,
            ok,
            elapsed_ms: start.elapsed().as_millis() as u64,
            detail: detail.into(),
        });
    }

    fn finding(&mut self, f: Finding) {
        self.findings.push(f);
    }

    fn addr_text(&self) -> String {
        self.opts
            .connect_to
            .clone()
            .unwrap_or_else(|| format!("{}:{}", self.opts.host, self.port))
    }

    fn resolve(&mut self) -> Option<Vec<SocketAddr>> {
        let t = Instant::now();
        let target = self.addr_text();
        match target.to_socket_addrs() {
            Ok(a) => {
                let addrs: Vec<SocketAddr> = a.collect();
                let detail = addrs
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.step("resolve", t, !addrs.is_empty(), detail);
                (!addrs.is_empty()).then_some(addrs)
            }
            Err(e) => {
                self.step("resolve", t, false, e.to_string());
                self.finding(
                    Finding::new(Rule::NetDns, Severity::Error, format!("The host name {} does not resolve; Java fails with java.net.UnknownHostException: {}.", self.opts.host, self.opts.host))
                        .evidence(format!("{target}: {e}"))
                        .fix(["Check the spelling of the IMAP server name.", "Check DNS on the archiver machine (nslookup the name there)."]),
                );
                None
            }
        }
    }

    fn connect(&mut self, addrs: &[SocketAddr]) -> Option<TcpStream> {
        let t = Instant::now();
        let mut last = None;
        for a in addrs {
            match TcpStream::connect_timeout(a, self.opts.timeout) {
                Ok(s) => {
                    let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
                    let _ = s.set_write_timeout(Some(self.opts.timeout));
                    let _ = s.set_nodelay(true);
                    self.step("connect", t, true, a.to_string());
                    return Some(s);
                }
                Err(e) => last = Some((*a, e)),
            }
        }
        let (a, e) = last?;
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

    /// Reads what the server says on its own within `wait`.
    fn peek(&mut self, sock: &TcpStream, wait: Duration) -> Vec<u8> {
        let mut lines = Lines::new(sock, wait);
        match lines.read_line() {
            Ok(l) => l.into_bytes(),
            Err(ReadError::Timeout { got } | ReadError::Closed { got }) => got,
            Err(ReadError::TooLong) => lines.pending().to_vec(),
            Err(_) => vec![],
        }
    }

    fn handshake(&mut self, sock: TcpStream) -> Option<Conn> {
        let t = Instant::now();
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
                return None;
            }
        };
        let mut sock = sock;
        let deadline = Instant::now() + self.opts.timeout;
        while conn.is_handshaking() {
            if Instant::now() > deadline {
                self.step("tls", t, false, "no TLS handshake within the time limit");
                return None;
            }
            match conn.complete_io(&mut sock) {
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => {
                    let msg = e.to_string();
                    self.step("tls", t, false, msg.clone());
                    let lower = msg.to_lowercase();
                    if lower.contains("protocolversion")
                        || lower.contains("protocol_version")
                        || lower.contains("peerincompatible")
                    {
                        self.finding(Finding::new(Rule::TlsLegacyProtocol, Severity::Error, "The server offers no TLS 1.2 or 1.3. Java 8u291+, 11.0.11+, 17 and 21 refuse TLS 1.0 and 1.1.")
                            .evidence(msg)
                            .fix(["Enable TLS 1.2 on the mail server (Schannel and .NET on Exchange's Windows Server)."]));
                    } else if lower.contains("handshakefailure")
                        || lower.contains("handshake_failure")
                    {
                        self.finding(Finding::new(Rule::TlsHandshakeFailed, Severity::Error, "The server refused the TLS handshake: no common protocol version or cipher suite.")
                            .evidence(msg)
                            .fix(["Enable TLS 1.2 with ECDHE and AES-GCM cipher suites on the mail server."]));
                    }
                    return None;
                }
            }
        }
        self.chain = recorder.chain.lock().map(|c| c.clone()).unwrap_or_default();
        self.protocol = conn.protocol_version().map(tls::protocol_name);
        self.cipher = conn
            .negotiated_cipher_suite()
            .map(|s| format!("{:?}", s.suite()));
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
            Err(e) => {
                self.step("greeting", t, false, e.to_string());
                let msg = match e {
                    ReadError::TooLong => format!("The server sent a greeting longer than {} bytes without ending it: not an IMAP server.", imap::MAX_LINE),
                    _ => format!("No IMAP greeting: {e}."),
                };
                self.finding(Finding::new(Rule::ImapNotImap, Severity::Error, msg).fix([
                    "Check host and port: IMAP is 993 (SSL/TLS) or 143 (plaintext/STARTTLS).",
                ]));
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

    fn capability(&mut self, lines: &mut Lines<Conn>) {
        let t = Instant::now();
        match lines.command("a1", "CAPABILITY") {
            Ok((untagged, status)) => {
                let caps = imap::capabilities(&untagged);
                if !caps.is_empty() {
                    self.caps = caps;
                }
                self.step("capability", t, status.contains(" OK"), self.caps.join(" "));
            }
            Err(e) => self.step("capability", t, false, e.to_string()),
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

    fn login(&mut self, lines: &mut Lines<Conn>) -> bool {
        let t = Instant::now();
        match self.opts.login.clone() {
            LoginTest::None => true,
            LoginTest::Password { user, password } => {
                let b64 = base64::engine::general_purpose::STANDARD;
                let result = if self.has("AUTH=PLAIN") {
                    let ir = b64.encode(format!("\0{user}\0{password}"));
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
                    lines.command("a3", &format!("LOGIN {} {}", q(&user), q(&password)))
                };
                self.login_result(result, t, false, &user)
            }
            LoginTest::OAuth { user, creds } => {
                let token = match http::client_credentials_token(
                    &creds.endpoint,
                    &creds.tenant,
                    &creds.client_id,
                    &creds.secret,
                    self.opts.timeout,
                ) {
                    Ok(http::TokenReply::Token(tok)) => {
                        self.step("token", t, true, "access token received");
                        tok
                    }
                    Ok(http::TokenReply::Error(e)) => {
                        self.step("token", t, false, e.clone());
                        self.text_findings(&e);
                        return false;
                    }
                    Err(e) => {
                        self.step("token", t, false, e.clone());
                        self.finding(Finding::new(
                            Rule::OauthAadsts,
                            Severity::Error,
                            format!("The token endpoint could not be reached: {e}"),
                        ));
                        return false;
                    }
                };
                // The engine's token rules.
                let s = settings::Settings {
                    host: self.opts.host.clone(),
                    login: settings::Login::Oauth,
                    tenant: creds.tenant.clone(),
                    client_id: creds.client_id.clone(),
                    token: token.clone(),
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
                let sasl = base64::engine::general_purpose::STANDARD
                    .encode(format!("user={user}\x01auth=Bearer {token}\x01\x01"));
                let result = if self.has("SASL-IR") {
                    lines.command("a3", &format!("AUTHENTICATE XOAUTH2 {sasl}"))
                } else {
                    lines.send("a3 AUTHENTICATE XOAUTH2").and_then(|_| {
                        lines.read_line()?;
                        lines.send(&sasl)?;
                        lines.answer("a3")
                    })
                };
                self.login_result(result, t2, true, &user)
            }
        }
    }

    fn login_result(
        &mut self,
        r: Result<(Vec<String>, String), ReadError>,
        t: Instant,
        oauth: bool,
        user: &str,
    ) -> bool {
        match r {
            Ok((_, status)) if status.split_whitespace().nth(1) == Some("OK") => {
                self.step("login", t, true, format!("logged in as {user}"));
                true
            }
            Ok((_, status)) => {
                let text = status.splitn(3, ' ').nth(2).unwrap_or("").to_string();
                self.step("login", t, false, status.clone());
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
                self.step("login", t, false, e.to_string());
                false
            }
        }
    }

    fn examine(&mut self, lines: &mut Lines<Conn>) {
        let t = Instant::now();
        let folder = self.opts.folder.replace('"', "");
        match lines.command("a4", &format!("EXAMINE \"{folder}\"")) {
            Ok((untagged, status)) if status.contains(" OK") => {
                let n = imap::exists(&untagged);
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
            Err(e) => self.step("journal", t, false, e.to_string()),
        }
        let _ = lines.command("a5", "LOGOUT");
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
        self.findings.extend(
            r.findings
                .into_iter()
                .filter(|f| !f.rule.id().starts_with("input.")),
        );
    }

    /// The whole conversation after TCP connect.
    fn session(&mut self, sock: TcpStream, mode: ModeChoice) {
        let t = Instant::now();
        match mode {
            ModeChoice::Tls => {
                let early = self.peek(&sock, PEEK.min(self.opts.timeout));
                if imap::classify(&early) == Greeting::Imap {
                    let line = String::from_utf8_lossy(&early).trim().to_string();
                    self.step(
                        "greeting",
                        t,
                        false,
                        format!("plain-text greeting on a TLS port: {line}"),
                    );
                    self.finding(Finding::new(Rule::TlsPlaintextOnTlsPort, Severity::Error, format!("Port {} answers with a plain-text IMAP greeting, but the mode is SSL/TLS: Java fails with \"Unsupported or unrecognized SSL message\".", self.port))
                        .evidence(format!("greeting: {line}"))
                        .fix(["Use SSL/TLS with port 993, or STARTTLS/plaintext with port 143."]));
                    return;
                }
                if !early.is_empty() {
                    self.not_imap(&String::from_utf8_lossy(&early), imap::classify(&early));
                    return;
                }
                let Some(conn) = self.handshake(sock) else {
                    return;
                };
                let mut lines = Lines::new(conn, self.opts.timeout);
                if self.greeting(&mut lines, Instant::now()) {
                    self.capability(&mut lines);
                    self.login_methods_check(true);
                    self.after_capability(&mut lines);
                }
            }
            ModeChoice::Plain | ModeChoice::Starttls | ModeChoice::Auto => {
                let probe_sock = sock.try_clone().ok();
                let mut lines = Lines::new(Conn::Plain(sock), self.opts.timeout);
                match lines.read_line() {
                    Err(ReadError::Timeout { got }) if got.is_empty() => {
                        self.step("greeting", t, false, "no greeting within the time limit");
                        drop(probe_sock);
                        // Is it a TLS port? Try a handshake on a new connection.
                        if let Some(addrs) = self
                            .addr_text()
                            .to_socket_addrs()
                            .ok()
                            .map(|a| a.collect::<Vec<_>>())
                        {
                            if let Some(s2) = addrs
                                .first()
                                .and_then(|a| TcpStream::connect_timeout(a, self.opts.timeout).ok())
                            {
                                let _ = s2.set_read_timeout(Some(Duration::from_millis(200)));
                                if self.handshake(s2).is_some() {
                                    self.finding(Finding::new(Rule::TlsTlsOnPlaintextPort, Severity::Error, format!("Port {} speaks TLS from the first byte (SSL/TLS), but the mode is plaintext/STARTTLS: the archiver waits for a greeting that never comes (Read timed out).", self.port))
                                        .fix(["Set the connection mode to SSL/TLS for this port (993), or use port 143 for STARTTLS."]));
                                    return;
                                }
                            }
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
                self.capability(&mut lines);
                let want_tls = matches!(mode, ModeChoice::Starttls | ModeChoice::Auto);
                if want_tls && self.has("STARTTLS") {
                    let t2 = Instant::now();
                    match lines.command("a2", "STARTTLS") {
                        Ok((_, status)) if status.contains(" OK") => {
                            self.step("starttls", t2, true, status);
                            let Conn::Plain(sock) = lines.stream else {
                                return;
                            };
                            self.starttls_used = true;
                            let Some(conn) = self.handshake(sock) else {
                                return;
                            };
                            let mut lines = Lines::new(conn, self.opts.timeout);
                            self.capability(&mut lines);
                            self.login_methods_check(true);
                            self.after_capability(&mut lines);
                        }
                        Ok((_, status)) => self.step("starttls", t2, false, status),
                        Err(e) => self.step("starttls", t2, false, e.to_string()),
                    }
                    return;
                }
                if mode == ModeChoice::Starttls {
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

    /// The probe's findings as an s_client-style transcript.
    fn transcript(&self) -> String {
        let mut out = format!(
            "$ openssl s_client -connect {}:{}{} -showcerts    (captured by imap-doctor probe)\nCONNECTED(00000003)\n",
            self.opts.host,
            self.port,
            if self.starttls_used { " -starttls imap" } else { "" }
        );
        if !self.chain.is_empty() {
            out.push_str("---\nCertificate chain\n");
            for (i, der) in self.chain.iter().enumerate() {
                if let Ok(c) = Certificate::from_der(der) {
                    out.push_str(&format!(
                        " {i} s:{}\n   i:{}\n{}",
                        c.subject.display(),
                        c.issuer.display(),
                        c.pem()
                    ));
                }
            }
            out.push_str("---\n");
        }
        if let (Some(p), Some(c)) = (&self.protocol, &self.cipher) {
            out.push_str(&format!("New, {p}, Cipher is {c}\nSSL-Session:\n    Protocol  : {p}\n    Cipher    : {c}\n---\n"));
        }
        if let Some(g) = &self.greeting {
            out.push_str(&format!("{g}\n"));
        }
        if !self.caps.is_empty() {
            out.push_str(&format!("* CAPABILITY {}\n", self.caps.join(" ")));
        }
        out
    }
}

/// Probes one endpoint.
pub fn probe(opts: ProbeOptions) -> ProbeResult {
    let port = opts.port.unwrap_or(match opts.mode {
        ModeChoice::Plain | ModeChoice::Starttls => 143,
        _ => 993,
    });
    let mode = match (opts.mode, port) {
        (ModeChoice::Auto, 993) => ModeChoice::Tls,
        (ModeChoice::Auto, _) => ModeChoice::Auto,
        (m, _) => m,
    };
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
    };
    if let Some(addrs) = run.resolve() {
        if let Some(sock) = run.connect(&addrs) {
            run.session(sock, mode);
        }
    }
    let paste = run.transcript();
    let trust: Vec<Input<'_>> = run
        .opts
        .trust
        .iter()
        .map(|(n, b)| Input { name: n, bytes: b })
        .collect();
    let mut report = analyze(
        &[Input {
            name: "probe",
            bytes: paste.as_bytes(),
        }],
        &trust,
        &Options {
            at: run.opts.at,
            host: Some(run.opts.host.clone()),
            public_roots: run.opts.public_roots,
            keystore_password: None,
            java: run.opts.java,
            identity_check: run.opts.identity_check,
            ..Default::default()
        },
    );
    if let Some(dir) = run.opts.fetch_missing.clone() {
        fetch_missing(&mut run, &mut report, &dir);
    }
    let had_certs = !run.chain.is_empty();
    report.findings.extend(std::mem::take(&mut run.findings));
    report.findings.sort_by_key(|f| f.severity);
    if !had_certs {
        if let Some(f) = report
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
        {
            report.summary = format!("The probe stopped before TLS: {}", f.message);
        }
    }
    ProbeResult {
        target: format!("{}:{}", run.opts.host, port),
        report,
        steps: run.steps,
        paste,
    }
}

/// `--fetch-missing`: download the missing intermediate from its AIA URL
/// (http only, bounded), check it signs the certificate below, write it.
fn fetch_missing(run: &mut Run, report: &mut Report, dir: &std::path::Path) {
    let Some(m) = report.missing.clone() else {
        return;
    };
    let Some(below) = m
        .needed_by
        .as_ref()
        .and_then(|s| report.cert(s))
        .map(|c| c.cert.clone())
    else {
        return;
    };
    for url in &m.ca_issuers {
        let t = Instant::now();
        let bytes = match http::get(url, run.opts.timeout) {
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
            .filter_map(|f| Certificate::from_der(&f.der).ok())
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
