//! The typed report the engine returns, and its text renderings (terminal
//! and Markdown for support tickets). The JSON form is the serde form.

pub mod headline;

use std::fmt::Write;
use std::sync::Arc;

use serde::Serialize;

use crate::input::openssl::SClient;
use crate::pkix::chain::Verdict;
use crate::rules::{Finding, Severity};
use crate::x509::cert::{Certificate, Source};
use crate::x509::fingerprint::Sha256Fingerprint;

/// A certificate as the report shows it.
#[derive(Clone, Debug, Serialize)]
pub struct CertView {
    #[serde(flatten)]
    pub cert: Arc<Certificate>,
    pub source: Source,
    /// Position in its source (0 = first the server sent).
    pub position: usize,
    /// Alias or file name, when known.
    pub label: Option<String>,
    /// Its place on the path, 0 = server certificate.
    pub path_index: Option<usize>,
    pub pem: Pem,
}

/// A certificate's PEM text, rendered when it is shown or serialised
/// instead of held: a report of thousands of certificates keeps no second
/// copy of them (a 10 MB paste held 10 MB more). JSON has the same string.
#[derive(Clone, Debug)]
pub struct Pem(pub Arc<Certificate>);

impl std::fmt::Display for Pem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.pem())
    }
}

impl Serialize for Pem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The certificate Java would need and does not have.
#[derive(Clone, Debug, Serialize)]
pub struct Missing {
    /// Subject DN the missing certificate must have.
    pub issuer: String,
    /// Subject Key Identifier it must have (the AKI of the certificate below).
    pub authority_key_id: Option<String>,
    /// Where the certificate below says its issuer can be downloaded.
    pub ca_issuers: Vec<String>,
    /// SHA-256 of the certificate that needs it.
    pub needed_by: Option<Sha256Fingerprint>,
    /// The certificate itself, when imap-doctor's intermediate catalogue has
    /// a variant that signs the certificate below (offline, no download).
    pub offered: Option<Offered>,
}

/// A catalogue certificate (CCADB data) that completes the chain.
#[derive(Clone, Debug, Serialize)]
pub struct Offered {
    pub sha256: Sha256Fingerprint,
    pub subject: String,
    pub pem: String,
    /// The CA owner (the organisation of the root it chains to).
    pub ca_owner: String,
    pub not_after: String,
    /// Further catalogue certificates needed above it (PEM, in order).
    pub also_needed: Vec<String>,
    /// The root of the selected Java's store the completed chain ends at;
    /// `None` when no variant chains to it.
    pub chains_to: Option<String>,
    /// The day of the CCADB data.
    pub catalogue_date: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Anchor {
    pub sha256: Sha256Fingerprint,
    pub source: Source,
    pub label: Option<String>,
    pub subject: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub verdict: Verdict,
    /// The outcome word, one-sentence cause and first steps, from the findings.
    pub headline: headline::Headline,
    /// One plain sentence for the banner.
    pub summary: String,
    /// What Java's exception will most likely say.
    pub java_error: Option<String>,
    pub host: Option<String>,
    /// RFC 3339 time the analysis used.
    pub analysed_at: String,
    pub certificates: Vec<CertView>,
    /// SHA-256 of each certificate on the path, leaf first (anchor last when reached).
    pub path: Vec<Sha256Fingerprint>,
    pub anchor: Option<Anchor>,
    pub missing: Option<Missing>,
    /// Which trust store and Java release the verdict assumed.
    pub trust_store: String,
    pub findings: Vec<Finding>,
    pub openssl: Option<SClient>,
    /// Messages about the input itself.
    pub notices: Vec<String>,
}

impl Report {
    /// True when some finding says the connection will fail.
    pub fn has_error(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The rule ids of the error findings, in report order.
    pub fn error_rule_ids(&self) -> Vec<&'static str> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.rule.id())
            .collect()
    }

    /// The certificate with this fingerprint (as text: colon or plain hex).
    pub fn cert(&self, sha256: &str) -> Option<&CertView> {
        let want = Sha256Fingerprint::parse(sha256)?;
        self.cert_by(&want)
    }

    pub fn cert_by(&self, sha256: &Sha256Fingerprint) -> Option<&CertView> {
        self.certificates.iter().find(|c| c.cert.sha256 == *sha256)
    }

    pub fn path_certs(&self) -> Vec<&CertView> {
        self.path.iter().filter_map(|s| self.cert_by(s)).collect()
    }

    pub fn verdict_label(&self) -> &'static str {
        match self.verdict {
            Verdict::Trusted => "TRUSTED",
            Verdict::MissingIntermediate => "MISSING INTERMEDIATE",
            Verdict::UntrustedRoot => "UNTRUSTED ROOT",
            Verdict::Invalid => "INVALID",
            Verdict::NoCertificates => "NO CERTIFICATES",
            Verdict::Inconclusive => "INCONCLUSIVE",
        }
    }

    fn chain_lines(&self, out: &mut String, md: bool) {
        let bullet = if md { "- " } else { "  " };
        let certs = self.path_certs();
        for (i, c) in certs.iter().enumerate() {
            let role = if i == 0 {
                "server certificate"
            } else if c.cert.self_issued {
                "root"
            } else {
                "intermediate"
            };
            let days = (c.cert.not_after
                - crate::diagnose::parse_time(&self.analysed_at).unwrap_or(0))
                / 86_400;
            let _ = writeln!(
                out,
                "{bullet}[{i}] {} ({role}, {}, {}, {} days left)",
                c.cert.subject.display(),
                c.source.describe(),
                c.cert.key.describe(),
                days
            );
            let _ = writeln!(out, "{bullet}    issued by {}", c.cert.issuer.display());
            let _ = writeln!(out, "{bullet}    SHA-256 {}", c.cert.sha256);
        }
        if let Some(m) = &self.missing {
            let _ = writeln!(out, "{bullet}[?] MISSING: {}", m.issuer);
            if let Some(aki) = &m.authority_key_id {
                let _ = writeln!(out, "{bullet}    its Subject Key Identifier must be {aki}");
            }
            for url in &m.ca_issuers {
                let _ = writeln!(out, "{bullet}    download from {url}");
            }
            if let Some(o) = &m.offered {
                let _ = writeln!(
                    out,
                    "{bullet}    imap-doctor has this certificate: {} (CA {}, valid until {}, SHA-256 {})",
                    o.subject, o.ca_owner, o.not_after, o.sha256
                );
            }
        }
    }

    fn findings_lines(&self, out: &mut String, md: bool) {
        for f in &self.findings {
            if md {
                let _ = writeln!(
                    out,
                    "### {} — {} (`{}`)\n",
                    f.severity.as_str().to_uppercase(),
                    f.title,
                    f.rule.id()
                );
                let _ = writeln!(out, "{}\n", f.message);
                for e in &f.evidence {
                    let _ = writeln!(out, "- Evidence: {e}");
                }
                if !f.evidence.is_empty() {
                    out.push('\n');
                }
                for (i, s) in f.fix.iter().enumerate() {
                    let _ = writeln!(out, "{}. {s}", i + 1);
                }
                out.push('\n');
            } else {
                let _ = writeln!(
                    out,
                    "{:<7} {}  {}",
                    f.severity.as_str().to_uppercase(),
                    f.rule.id(),
                    f.title
                );
                let _ = writeln!(out, "        {}", f.message);
                for e in &f.evidence {
                    let _ = writeln!(out, "        evidence: {e}");
                }
                for (i, s) in f.fix.iter().enumerate() {
                    let _ = writeln!(out, "        {}. {s}", i + 1);
                }
                out.push('\n');
            }
        }
    }

    /// The report for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Verdict: {}", self.verdict_label());
        let _ = writeln!(out, "{}", self.summary);
        if let Some(j) = &self.java_error {
            let _ = writeln!(out, "Java will say: {j}");
        }
        let _ = writeln!(
            out,
            "Analysed at {}{}",
            self.analysed_at,
            self.host
                .as_ref()
                .map(|h| format!(" for host {h}"))
                .unwrap_or_default()
        );
        let _ = writeln!(out, "Trust store assumed: {}", self.trust_store);
        for n in &self.notices {
            let _ = writeln!(out, "Note: {n}");
        }
        if !self.path.is_empty() || self.missing.is_some() {
            let _ = writeln!(out, "\nPath, server certificate first:");
            self.chain_lines(&mut out, false);
        }
        if !self.findings.is_empty() {
            let _ = writeln!(out, "\nFindings:");
            self.findings_lines(&mut out, false);
        }
        out
    }

    /// The report as Markdown, for a support ticket.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "## imap-doctor: {}\n", self.verdict_label());
        let _ = writeln!(out, "{}\n", self.summary);
        if let Some(j) = &self.java_error {
            let _ = writeln!(out, "Java will say: `{j}`\n");
        }
        let _ = writeln!(
            out,
            "Analysed at {}{}\n",
            self.analysed_at,
            self.host
                .as_ref()
                .map(|h| format!(" for host `{h}`"))
                .unwrap_or_default()
        );
        let _ = writeln!(out, "Trust store assumed: {}\n", self.trust_store);
        for n in &self.notices {
            let _ = writeln!(out, "> {n}\n");
        }
        if !self.path.is_empty() || self.missing.is_some() {
            let _ = writeln!(out, "### Path, server certificate first\n");
            self.chain_lines(&mut out, true);
            out.push('\n');
        }
        self.findings_lines(&mut out, true);
        out
    }
}

/// A file name from a certificate's CN: letters, digits, dot, dash, underscore.
pub fn file_stem(cn: &str) -> String {
    let s: String = cn
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_matches('_').to_string();
    if s.is_empty() {
        "certificate".into()
    } else {
        s
    }
}
