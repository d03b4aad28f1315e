//! The headline: one outcome word, one sentence, and the first steps. It is
//! rendered from the same findings the report lists, so the biggest words on
//! the page can never contradict them.

use serde::Serialize;

use crate::pkix::chain::Verdict;
use crate::rules::{Finding, FixStep, Rule, Severity};

/// What will happen when the archiver connects; each has one colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Java will connect (and, when a login was judged, log in).
    Connects,
    /// Java will connect, but something needs attention soon.
    ConnectsWithWarnings,
    /// Java will reject the server (chain, host name, TLS).
    Rejects,
    /// The connection will not be made (network, wrong port, not IMAP).
    CannotConnect,
    /// TLS works, the login will fail.
    LoginFails,
    /// The input does not say enough.
    CannotTell,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Connects => "connects",
            Outcome::ConnectsWithWarnings => "connects-with-warnings",
            Outcome::Rejects => "rejects",
            Outcome::CannotConnect => "cannot-connect",
            Outcome::LoginFails => "login-fails",
            Outcome::CannotTell => "cannot-tell",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Headline {
    pub outcome: Outcome,
    /// The big words: "Java will reject: missing intermediate".
    pub word: String,
    /// The cause in one sentence.
    pub sentence: String,
    /// The first one to three things to do.
    pub next_steps: Vec<FixStep>,
    /// The finding the headline is about, when there is one.
    pub rule: Option<Rule>,
}

/// Which outcome a finding leads to when it is an error.
fn outcome_of(rule: Rule) -> Outcome {
    let id = rule.id();
    // A setup command that failed says nothing yet about the connection.
    if rule == Rule::OauthServicePrincipalExists {
        return Outcome::CannotTell;
    }
    if id.starts_with("net.")
        || matches!(
            rule,
            Rule::ImapNotImap
                | Rule::TlsPlaintextOnTlsPort
                | Rule::TlsTlsOnPlaintextPort
                | Rule::ImapConnectionDropped
                | Rule::ImapStepDeadline
        )
    {
        Outcome::CannotConnect
    } else if id.starts_with("imap.")
        || id.starts_with("m365.")
        || id.starts_with("oauth.")
        || id.starts_with("journal.")
    {
        Outcome::LoginFails
    } else if id.starts_with("input.")
        || id.starts_with("powershell.")
        || rule == Rule::ChainInconclusive
    {
        Outcome::CannotTell
    } else {
        Outcome::Rejects
    }
}

/// The short cause after "Java will reject:" and the like.
fn cause_words(rule: Rule) -> &'static str {
    match rule {
        Rule::ChainMissingIntermediate | Rule::ChainServerSendsIncompleteChain => {
            "missing intermediate"
        }
        Rule::ChainUntrustedRoot => "untrusted root",
        Rule::ChainSelfSignedLeaf => "self-signed certificate",
        Rule::ChainExpired => "expired certificate",
        Rule::ChainNotYetValid => "certificate not valid yet",
        Rule::ChainBadSignature => "bad signature",
        Rule::ChainWeakSignature => "weak signature algorithm",
        Rule::ChainWeakKey => "weak key",
        Rule::ChainNotACa => "a CA certificate is not a CA",
        Rule::ChainLeafUsage => "certificate not for TLS servers",
        Rule::ChainNameConstraints => "name constraints",
        Rule::ChainCriticalExtension => "unknown critical extension",
        Rule::ChainBadAnchor => "unusable trust anchor",
        Rule::ChainUnparseable => "unreadable certificate",
        Rule::ChainRootNotInThisJava => "root missing in this Java",
        Rule::ChainDistrustedCa => "distrusted CA",
        Rule::ChainTruststoreNotUsed => "trust store not used",
        Rule::ChainTruststoreEmpty => "the trust store is empty",
        Rule::HostMismatch => "host name",
        Rule::TlsLegacyProtocol => "old TLS version",
        Rule::TlsWeakCipher => "disabled cipher",
        Rule::TlsSmallDhGroup => "small Diffie-Hellman group",
        Rule::TlsInterception => "TLS interception",
        Rule::TlsHandshakeFailed => "TLS handshake failed",
        Rule::TlsPlaintextOnTlsPort | Rule::TlsTlsOnPlaintextPort => "wrong connection mode",
        Rule::NetRefused => "connection refused",
        Rule::NetTimeout => "no answer (firewall?)",
        Rule::NetDns => "unknown host name",
        Rule::NetUnreachable => "no route to the server",
        Rule::ImapNotImap => "not an IMAP server",
        Rule::ImapLoginDisabled => "no usable login method",
        Rule::ImapNoStarttls => "no STARTTLS",
        Rule::ImapAuthFailed => "the server rejects the login",
        Rule::ImapNotConnected => "no access to the mailbox",
        Rule::ImapConnectionDropped => "the server closed the connection",
        Rule::ImapStepDeadline => "the server is too slow",
        Rule::ImapAppPasswordRequired => "app password or OAuth required",
        Rule::ImapInsecureLoginRefused => "login not attempted",
        Rule::M365BasicAuthDisabled => "basic authentication is off",
        Rule::M365ConnectionDisabled => "the connection is not enabled",
        Rule::OauthAuthenticateFailed => "Exchange rejects the OAuth token",
        Rule::OauthAadsts => "Microsoft Entra refuses the token request",
        Rule::OauthTokenEndpointUnreachable => "token endpoint unreachable",
        Rule::OauthAppLacksMailboxPermission => "the app has no FullAccess on the mailbox",
        Rule::OauthServicePrincipalExists => "the service principal already exists",
        Rule::PowershellCmdletNotAvailable => "the cmdlet is not available in this shell",
        Rule::JournalTooManyMessages => "journal mailbox too full",
        Rule::JournalAccount | Rule::JournalNotAnAddress => "journal account",
        _ => "",
    }
}

fn prefix(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Connects => "Java will connect",
        Outcome::ConnectsWithWarnings => "Java will connect, with warnings",
        Outcome::Rejects => "Java will reject the server",
        Outcome::CannotConnect => "Cannot connect",
        Outcome::LoginFails => "Login will fail",
        Outcome::CannotTell => "Cannot tell yet",
    }
}

fn steps(f: &Finding) -> Vec<FixStep> {
    f.fix.iter().take(3).cloned().collect()
}

/// The headline for a finished analysis.
pub fn headline(verdict: Verdict, summary: &str, findings: &[Finding]) -> Headline {
    let error = findings.iter().find(|f| f.severity == Severity::Error);
    if let Some(f) = error {
        let outcome = outcome_of(f.rule);
        let cause = match cause_words(f.rule) {
            "" => f.title.to_lowercase(),
            c => c.to_string(),
        };
        let word = match outcome {
            Outcome::Rejects => format!("Java will reject: {cause}"),
            other => format!("{}: {cause}", prefix(other)),
        };
        return Headline {
            outcome,
            word,
            sentence: f.message.clone(),
            next_steps: steps(f),
            rule: Some(f.rule),
        };
    }
    match verdict {
        Verdict::Trusted => {
            let warning = findings.iter().find(|f| f.severity == Severity::Warning);
            match warning {
                Some(w) => Headline {
                    outcome: Outcome::ConnectsWithWarnings,
                    word: prefix(Outcome::ConnectsWithWarnings).to_string(),
                    sentence: format!("{} {}", summary, w.message),
                    next_steps: steps(w),
                    rule: Some(w.rule),
                },
                None => Headline {
                    outcome: Outcome::Connects,
                    word: prefix(Outcome::Connects).to_string(),
                    sentence: summary.to_string(),
                    next_steps: vec![],
                    rule: None,
                },
            }
        }
        _ => {
            let warning = findings.iter().find(|f| f.severity == Severity::Warning);
            // An error text with no certificate whose cause is only likely
            // (a DH group OpenSSL refused, which Java may accept): that
            // cause is the headline, not a request for certificates.
            let cause = warning.filter(|w| {
                verdict == Verdict::NoCertificates
                    && !w.rule.id().starts_with("input.")
                    && !cause_words(w.rule).is_empty()
            });
            if let Some(w) = cause {
                return Headline {
                    outcome: Outcome::CannotTell,
                    word: format!("{}: {}", prefix(Outcome::CannotTell), cause_words(w.rule)),
                    sentence: w.message.clone(),
                    next_steps: steps(w),
                    rule: Some(w.rule),
                };
            }
            Headline {
                outcome: Outcome::CannotTell,
                // Certificates were given and still undecided: asking for
                // them would be wrong.
                word: if verdict == Verdict::Inconclusive {
                    "Cannot tell whether Java trusts this chain".to_string()
                } else {
                    "Cannot tell yet: paste the certificates".to_string()
                },
                sentence: summary.to_string(),
                next_steps: warning.map(steps).unwrap_or_else(|| {
                    vec![FixStep::Do(
                        "Paste the output of `openssl s_client -connect HOST:993 -showcerts`, the certificates, or the full error message.".into(),
                    )]
                }),
                rule: warning.map(|w| w.rule),
            }
        }
    }
}
