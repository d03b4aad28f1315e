//! What the live probe saw, as typed data: the chain as DER, the negotiated
//! protocol and cipher, the IMAP greeting and capabilities, the login's
//! outcome, the journal count, the step timings and the TLS scan.
//!
//! The engine turns a capture into evidence directly ([`evidence`]): no text
//! is written and parsed back, so nothing a server says in its greeting can
//! pass for an s_client line or an error text. The s_client-style transcript
//! ([`Capture::transcript`]) exists only for the user's `--paste`; its line
//! numbers are the ones the evidence cites, so "line 12" in a finding points
//! at the same line of that paste.

use serde::{Deserialize, Serialize};

use super::openssl::{ChainEntry, Located, SClient};
use super::FoundDer;
use crate::settings::Mode;
use crate::tls::{Scan, Version};
use crate::x509::cert::Certificate;

/// How the login test ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Login {
    /// No login was asked for.
    NotAsked,
    /// The probe kept the credentials back (no TLS, or a chain Java would
    /// not trust), with why.
    Withheld { why: String },
    /// The token endpoint gave no token (OAuth), with its answer.
    NoToken { why: String },
    /// The server accepted the login.
    LoggedIn { mechanism: String },
    /// The server answered the login with a tagged NO or BAD.
    Rejected { mechanism: String, status: String },
    /// The connection failed during the login.
    Failed { why: String },
}

/// One step's duration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    pub step: String,
    pub ok: bool,
    pub elapsed_ms: u64,
}

/// The TLS scan's facts (the Java table is derived from them by
/// [`crate::tls::java::simulate`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanCapture {
    pub scan: Scan,
    /// The version and suite of the answer whose Certificate message gave a
    /// chain, when the scan read one in clear.
    pub chain_from: Option<(Version, String)>,
    /// That chain (DER, server's order).
    #[serde(skip)]
    pub chain: Vec<Vec<u8>>,
}

/// Everything one probe of one endpoint saw.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    /// The host name the archiver uses (and the TLS server name).
    pub host: String,
    pub port: u16,
    /// The mode asked for; `None`: find out.
    pub mode: Option<Mode>,
    /// The server advertised STARTTLS.
    pub starttls_offered: bool,
    /// The chain below came through STARTTLS.
    pub starttls_used: bool,
    /// The certificates the server sent, in its order (DER).
    #[serde(skip)]
    pub chain: Vec<Vec<u8>>,
    /// OpenSSL's name of the negotiated version (`TLSv1.3`).
    pub protocol: Option<String>,
    /// The negotiated suite.
    pub cipher: Option<String>,
    /// The server's first line, when it was an IMAP greeting.
    pub greeting: Option<String>,
    /// Upper-cased capability atoms (the last CAPABILITY answer).
    pub capabilities: Vec<String>,
    pub login: Option<Login>,
    /// EXISTS of the journal folder after login.
    pub journal_count: Option<u64>,
    pub timings: Vec<Timing>,
    pub scan: Option<ScanCapture>,
}

/// A capture as the engine's evidence: the server's certificates and the
/// facts an s_client transcript of the same connection would give.
pub struct Evidence {
    pub certificates: Vec<FoundDer>,
    pub sclient: SClient,
}

impl Capture {
    /// The certificates that parse, with their parsed form, in order.
    fn parsed_chain(&self) -> impl Iterator<Item = (&Vec<u8>, Certificate)> {
        self.chain
            .iter()
            .filter_map(|der| Certificate::from_der(der).ok().map(|c| (der, c)))
    }

    /// The s_client-style transcript for `--paste` (the page reads it like
    /// any s_client output), and the typed facts with the line numbers that
    /// transcript gives them. One function writes both, so they agree.
    fn render(&self) -> (String, Evidence) {
        let mut out = String::new();
        let mut line = 0usize;
        let mut push = |out: &mut String, text: &str| -> usize {
            out.push_str(text);
            out.push('\n');
            line += text.matches('\n').count() + 1;
            line
        };
        let mut s = SClient {
            host: Some(self.host.clone()),
            port: Some(self.port),
            starttls: self.starttls_used.then(|| "imap".to_string()),
            showcerts: true,
            ..SClient::default()
        };
        let mut certificates = Vec::new();
        push(
            &mut out,
            &format!(
                "$ openssl s_client -connect {}:{}{} -showcerts    (captured by imap-doctor probe)",
                self.host,
                self.port,
                if self.starttls_used {
                    " -starttls imap"
                } else {
                    ""
                }
            ),
        );
        push(&mut out, "CONNECTED(00000003)");
        if !self.chain.is_empty() {
            push(&mut out, "---");
            push(&mut out, "Certificate chain");
            for (depth, (der, c)) in self.parsed_chain().enumerate() {
                let (subject, issuer) = (c.subject.display(), c.issuer.display());
                let at = push(&mut out, &format!(" {depth} s:{subject}"));
                let pem_line = push(&mut out, &format!("   i:{issuer}")) + 1;
                let pem = c.pem();
                push(&mut out, pem.trim_end_matches('\n'));
                s.chain.push(ChainEntry {
                    depth,
                    subject,
                    issuer,
                    key: None,
                    validity: None,
                    line: at,
                    from_depth_lines: false,
                });
                certificates.push(FoundDer::new(der.clone(), Some(pem_line), None));
            }
            push(&mut out, "---");
        }
        if let (Some(p), Some(c)) = (&self.protocol, &self.cipher) {
            push(&mut out, &format!("New, {p}, Cipher is {c}"));
            push(&mut out, "SSL-Session:");
            let at = push(&mut out, &format!("    Protocol  : {p}"));
            s.protocol = located(p, at);
            let at = push(&mut out, &format!("    Cipher    : {c}"));
            s.cipher = located(c, at);
            push(&mut out, "---");
        }
        if let Some(g) = &self.greeting {
            let at = push(&mut out, g);
            // s_client readers take a greeting only from "* OK".
            if g.trim_start().starts_with("* OK") {
                s.greeting = located(g, at);
            }
        }
        if !self.capabilities.is_empty() {
            let caps = self.capabilities.join(" ");
            let at = push(&mut out, &format!("* CAPABILITY {caps}"));
            s.capability = located(&caps, at);
        }
        (
            out,
            Evidence {
                certificates,
                sclient: s,
            },
        )
    }

    /// The s_client-style transcript (for `--paste` only).
    pub fn transcript(&self) -> String {
        self.render().0
    }
}

fn located(v: &str, line: usize) -> Option<Located> {
    let v = v.trim();
    (!v.is_empty()).then(|| Located {
        value: v.to_string(),
        line,
    })
}

/// The capture as typed evidence for the engine (no text parsed).
pub fn evidence(c: &Capture) -> Evidence {
    c.render().1
}
