//! The rule catalogue: stable ids (see `KB-RULES.md`) and, one file per
//! family, each rule's table entry: KB section, default severity, title,
//! explanation, fix steps and the error-text patterns that point to it.
//! A finding can only carry a rule from this list. Ids are stable: add,
//! never rename or reuse; a new meaning gets a new id.

mod chain;
mod host;
mod imap;
mod input;
mod journal;
mod m365;
mod net;
mod oauth;
mod powershell;
mod tls;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

macro_rules! rules {
    ($( $variant:ident => $id:literal, $title:literal; )*) => {
        /// Every finding id the tool reports. Never rename an id.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Rule { $( $variant, )* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];
            pub fn id(self) -> &'static str {
                match self { $( Rule::$variant => $id, )* }
            }
            pub fn title(self) -> &'static str {
                match self { $( Rule::$variant => $title, )* }
            }
            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $( $id => Some(Rule::$variant), )* _ => None }
            }
        }
    };
}

rules! {
    ChainMissingIntermediate => "chain.missing-intermediate", "An intermediate certificate is missing";
    ChainUntrustedRoot => "chain.untrusted-root", "The root certificate is not trusted";
    ChainServerSendsIncompleteChain => "chain.server-sends-incomplete-chain", "The server does not send its full chain";
    ChainSelfSignedLeaf => "chain.self-signed-leaf", "The server certificate is self-signed";
    ChainBadSignature => "chain.bad-signature", "A signature does not verify";
    ChainExpired => "chain.expired", "A certificate has expired";
    ChainNotYetValid => "chain.not-yet-valid", "A certificate is not valid yet";
    ChainExpiresSoon => "chain.expires-soon", "A certificate expires soon";
    ChainWeakSignature => "chain.weak-signature", "Java rejects this signature algorithm";
    ChainWeakKey => "chain.weak-key", "The key is too small";
    ChainNotACa => "chain.not-a-ca", "A certificate signs others but is not a CA";
    ChainWrongOrder => "chain.wrong-order", "The server sends its certificates out of order";
    ChainExtraCertificates => "chain.extra-certificates", "The server sends certificates that are not needed";
    ChainContainsRoot => "chain.contains-root", "The server sends the root certificate";
    ChainOk => "chain.ok", "Java will trust this chain";
    ChainLeafUsage => "chain.leaf-usage", "The server certificate is not for TLS servers";
    ChainSearchLimit => "chain.search-limit", "The chain search stopped at its limit";
    ChainUnsupportedSignature => "chain.unsupported-signature", "A signature could not be checked here";
    HostMismatch => "host.mismatch", "The certificate does not cover the host name";
    TlsLegacyProtocol => "tls.legacy-protocol", "The server only speaks an old TLS version";
    TlsWeakCipher => "tls.weak-cipher", "The negotiated cipher is disabled in Java";
    TlsPlaintextOnTlsPort => "tls.plaintext-on-tls-port", "Plain IMAP on a port set to SSL/TLS";
    TlsTlsOnPlaintextPort => "tls.tls-on-plaintext-port", "TLS on a port set to plaintext or STARTTLS";
    NetRefused => "net.refused", "The connection is refused";
    NetTimeout => "net.timeout", "The connection times out";
    NetDns => "net.dns", "The host name does not resolve";
    ImapNotImap => "imap.not-imap", "The server is not an IMAP server";
    ImapLoginDisabled => "imap.login-disabled", "No login method the archiver can use";
    ImapNoStarttls => "imap.no-starttls", "The server does not offer STARTTLS";
    ImapAuthFailed => "imap.auth-failed", "The server rejects the login";
    M365BasicAuthDisabled => "m365.basic-auth-disabled", "Microsoft 365 no longer accepts passwords over IMAP";
    M365ConnectionDisabled => "m365.connection-disabled", "The Microsoft 365 connection is not enabled";
    OauthObjectIdIsAppRegistration => "oauth.object-id-is-app-registration", "The Object ID is the App registration's";
    OauthBadGuid => "oauth.bad-guid", "An ID is not a GUID";
    OauthBadTenant => "oauth.bad-tenant", "The tenant is neither a GUID nor a domain";
    OauthSecretIsId => "oauth.secret-is-id", "The client secret looks like the Secret ID";
    OauthTokenAudience => "oauth.token-audience", "The token is for the wrong audience";
    OauthTokenMissingRole => "oauth.token-missing-role", "The token lacks IMAP.AccessAsApp";
    OauthTokenExpired => "oauth.token-expired", "The token has expired";
    OauthTokenWrongTenant => "oauth.token-wrong-tenant", "The token is from another tenant";
    OauthTokenWrongApp => "oauth.token-wrong-app", "The token is for another application";
    OauthTokenUnreadable => "oauth.token-unreadable", "The access token cannot be read";
    OauthAadsts => "oauth.aadsts", "Microsoft Entra returned an error";
    OauthAuthenticateFailed => "oauth.authenticate-failed", "Exchange rejects the OAuth token";
    JournalTooManyMessages => "journal.too-many-messages", "The journal mailbox is too full";
    JournalAccount => "journal.account", "The journal account cannot log in";
    ChainTruststoreNotUsed => "chain.truststore-not-used", "The archiver is not using this trust store";
    TruststoreNameOnly => "truststore.name-only", "Trusted by name only";
    TruststoreListing => "truststore.listing", "Trust-store listing read";
    TlsHandshakeFailed => "tls.handshake-failed", "The TLS handshake failed";
    ImapConnectionDropped => "imap.connection-dropped", "The server closed the connection";
    InputShowcertsMissing => "input.showcerts-missing", "The paste lacks the certificates the server sent";
    InputPrivateKey => "input.private-key", "A private key was pasted";
    InputProblem => "input.problem", "Part of the input could not be read";
    ChainNameConstraints => "chain.name-constraints", "A CA's name constraints exclude this certificate";
    ChainCriticalExtension => "chain.critical-extension", "A certificate carries a critical extension Java does not know";
    ChainBadAnchor => "chain.bad-anchor", "The trusted certificate cannot anchor a path in Java";
    ChainUnparseable => "chain.unparseable", "Java cannot parse a certificate the server sends";
    ChainRootNotInThisJava => "chain.root-not-in-this-java", "This Java version lacks the root";
    ChainDistrustedCa => "chain.distrusted-ca", "Java distrusts this CA for new certificates";
    ChainInconclusive => "chain.inconclusive", "The chain could not be decided within the search budget";
    TlsInterception => "tls.interception", "The connection is intercepted by a TLS-inspecting product";
    TlsSmallDhGroup => "tls.small-dh-group", "The server's Diffie-Hellman group is smaller than the client accepts";
    ImapNotConnected => "imap.not-connected", "Authenticated, but the mailbox is not available over IMAP";
    ImapInsecureLoginRefused => "imap.insecure-login-refused", "The probe did not send the credentials";
    ImapStepDeadline => "imap.step-deadline", "The server did not finish a step in time";
    OauthTokenEndpointUnreachable => "oauth.token-endpoint-unreachable", "The Microsoft token endpoint cannot be reached";
    JournalNotAnAddress => "journal.not-an-address", "The journal account is not an e-mail address";
    InputLimit => "input.limit", "The input is larger than the analysis reads";
    InputChainNeeded => "input.chain-needed", "The certificates are needed to name the cause";
    NetUnreachable => "net.unreachable", "The network path to the server is missing";
    ImapAppPasswordRequired => "imap.app-password-required", "The provider requires an app password or OAuth";
    ImapReadTimeout => "imap.read-timeout", "The server stopped answering during the session";
    ImapCredentialsSentInsecurely => "imap.credentials-sent-insecurely", "The probe sent the credentials without a trusted TLS connection";
    M365CertificateChain => "m365.certificate-chain", "Which chain Exchange Online serves, and which Java trusts it";
    DataCatalogueAge => "data.catalogue-age", "The bundled intermediate catalogue is getting old";
    OauthObjectIdUnconfirmed => "oauth.object-id-unconfirmed", "Confirm the Enterprise Application Object ID";
    OauthAppLacksMailboxPermission => "oauth.app-lacks-mailbox-permission", "The app has no FullAccess on the mailbox";
    OauthServicePrincipalExists => "oauth.service-principal-exists", "A service principal for the app already exists";
    PowershellCmdletNotAvailable => "powershell.cmdlet-not-available", "The cmdlet is not available in this PowerShell session";
    ChainTruststoreEmpty => "chain.truststore-empty", "The client's trust store holds no certificates";
}

/// One rule's entry in the table.
#[derive(Debug)]
pub struct RuleInfo {
    pub rule: Rule,
    /// Section of KB-RULES.md (and of the knowledge-base article).
    pub section: &'static str,
    /// Severity when nothing in the evidence says otherwise.
    pub severity: Severity,
    /// What the rule means, for any admin. May hold `{name}` placeholders
    /// (see [`PLACEHOLDERS`]) that [`RuleInfo::render`] fills in.
    pub explanation: &'static str,
    /// Generic fix steps, with placeholders like the explanation.
    pub fix: &'static [&'static str],
    /// Lower-case error-text needles that point to this rule.
    pub patterns: &'static [&'static str],
}

/// The placeholders the table's wording may hold, each filled by the
/// finding that renders it: `refused_by` (the Java releases that refuse
/// TLS 1.0/1.1), `code`, `meaning` and `code_fix` (an AADSTS code, what it
/// means and what to do about it), `host` (the mail server's name from the
/// input, so a command can be copied as it is).
pub const PLACEHOLDERS: &[&str] = &["refused_by", "code", "meaning", "code_fix", "host"];

impl RuleInfo {
    /// The explanation and fix steps with the case's `values` in place of
    /// their `{name}` placeholders; a placeholder without a value is left
    /// as written, so a missing value shows rather than vanishes.
    pub fn render(&self, values: &[(&str, &str)]) -> (String, Vec<String>) {
        (
            fill(self.explanation, values),
            self.fix.iter().map(|f| fill(f, values)).collect(),
        )
    }
}

fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, *v))
        });
        match value {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every family's table, in the order error texts are matched.
const TABLES: &[&[RuleInfo]] = &[
    chain::RULES,
    host::RULES,
    tls::RULES,
    net::RULES,
    imap::RULES,
    m365::RULES,
    oauth::RULES,
    journal::RULES,
    powershell::RULES,
    input::RULES,
];

/// All table entries.
pub fn table() -> impl Iterator<Item = &'static RuleInfo> {
    TABLES.iter().flat_map(|t| t.iter())
}

/// Every (needle, rule) pair of the table, for the error-text matcher.
pub fn patterns() -> impl Iterator<Item = (&'static str, Rule)> {
    table().flat_map(|i| i.patterns.iter().map(move |p| (*p, i.rule)))
}

impl Rule {
    /// This rule's table entry.
    pub fn info(self) -> &'static RuleInfo {
        table()
            .find(|i| i.rule == self)
            .expect("every rule has a table entry (checked by a test)")
    }
    pub fn default_severity(self) -> Severity {
        self.info().severity
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One fix step: something to do, or a choice of ways to do it (which
/// are alternatives, never consecutive steps). In JSON a plain step is a
/// string and a choice an array of `{label, steps}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FixStep {
    Do(String),
    OneOf(Vec<Alternative>),
}

/// One way of doing a step, e.g. "In MailArchiva" or "With keytool".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alternative {
    pub label: String,
    pub steps: Vec<String>,
}

impl FixStep {
    /// The step as one line of plain text (alternatives joined with "or").
    pub fn text(&self) -> String {
        match self {
            FixStep::Do(s) => s.clone(),
            FixStep::OneOf(alts) => alts
                .iter()
                .map(|a| format!("{}: {}", a.label, a.steps.join(" ")))
                .collect::<Vec<_>>()
                .join(" — or — "),
        }
    }

    pub fn contains(&self, needle: &str) -> bool {
        match self {
            FixStep::Do(s) => s.contains(needle),
            FixStep::OneOf(alts) => alts
                .iter()
                .any(|a| a.label.contains(needle) || a.steps.iter().any(|s| s.contains(needle))),
        }
    }
}

impl std::fmt::Display for FixStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl From<String> for FixStep {
    fn from(s: String) -> FixStep {
        FixStep::Do(s)
    }
}

impl From<&str> for FixStep {
    fn from(s: &str) -> FixStep {
        FixStep::Do(s.to_string())
    }
}

/// One diagnosis: what is wrong, the evidence, and how to fix it.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub title: String,
    pub message: String,
    /// Which certificate, line or setting shows it.
    pub evidence: Vec<String>,
    /// Numbered steps, in order; a step may offer alternatives.
    pub fix: Vec<FixStep>,
    /// SHA-256 of the certificate concerned, when there is one.
    pub certificate: Option<crate::x509::fingerprint::Sha256Fingerprint>,
}

impl Finding {
    pub fn new(rule: Rule, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity,
            title: rule.title().to_string(),
            message: message.into(),
            evidence: vec![],
            fix: vec![],
            certificate: None,
        }
    }
    pub fn evidence(mut self, e: impl Into<String>) -> Finding {
        self.evidence.push(e.into());
        self
    }
    pub fn fix<I, S>(mut self, steps: I) -> Finding
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fix
            .extend(steps.into_iter().map(|s| FixStep::Do(s.into())));
        self
    }
    /// Steps already built (plain or with alternatives).
    pub fn steps(mut self, steps: Vec<FixStep>) -> Finding {
        self.fix.extend(steps);
        self
    }
    /// A step that can be done in one of several ways.
    pub fn one_of<I, L, J, S>(mut self, alternatives: I) -> Finding
    where
        I: IntoIterator<Item = (L, J)>,
        L: Into<String>,
        J: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fix.push(FixStep::OneOf(
            alternatives
                .into_iter()
                .map(|(label, steps)| Alternative {
                    label: label.into(),
                    steps: steps.into_iter().map(Into::into).collect(),
                })
                .collect(),
        ));
        self
    }
    pub fn cert(mut self, sha256: &crate::x509::fingerprint::Sha256Fingerprint) -> Finding {
        self.certificate = Some(*sha256);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_one_table_entry_with_section_and_fix() {
        for r in Rule::ALL {
            let n = table().filter(|i| i.rule == *r).count();
            assert_eq!(n, 1, "{} has {n} table entries", r.id());
            let info = r.info();
            assert!(
                ["1", "2", "3", "4", "5", "6"].contains(&info.section),
                "{}: KB section {}",
                r.id(),
                info.section
            );
            assert!(!info.explanation.is_empty(), "{}: no explanation", r.id());
            // Only the purely informative rules may have nothing to do.
            if !matches!(r, Rule::ChainOk | Rule::TruststoreListing) {
                assert!(!info.fix.is_empty(), "{}: no fix", r.id());
            }
            // The family file is named after the id's first part.
            let fam = r.id().split('.').next().unwrap();
            assert!(
                [
                    "chain",
                    "truststore",
                    "host",
                    "tls",
                    "net",
                    "imap",
                    "m365",
                    "oauth",
                    "journal",
                    "powershell",
                    "input",
                    "data"
                ]
                .contains(&fam),
                "{}",
                r.id()
            );
        }
    }

    #[test]
    fn placeholders_are_known_and_filled() {
        let all: Vec<(&str, &str)> = PLACEHOLDERS.iter().map(|p| (*p, "X")).collect();
        for info in table() {
            let (exp, fix) = info.render(&all);
            for text in std::iter::once(&exp).chain(&fix) {
                assert!(
                    !text.contains('{') && !text.contains('}'),
                    "{}: unknown placeholder in {text:?}",
                    info.rule.id()
                );
            }
        }
        let (exp, _) = Rule::TlsLegacyProtocol
            .info()
            .render(&[("refused_by", "Java 17")]);
        assert!(exp.contains("; Java 17 refuse them."), "{exp}");
        assert_eq!(fill("{a} {b} {", &[("a", "1")]), "1 {b} {");
    }

    #[test]
    fn patterns_are_lower_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (p, r) in patterns() {
            assert_eq!(p, p.to_lowercase(), "{p}");
            assert!(
                seen.insert(p),
                "{p} points to two rules (second: {})",
                r.id()
            );
        }
    }

    #[test]
    fn ids_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for r in Rule::ALL {
            assert!(seen.insert(r.id()), "duplicate id {}", r.id());
            assert_eq!(Rule::from_id(r.id()), Some(*r));
        }
    }

    #[test]
    fn every_kb_rule_id_exists() {
        // The ids named in sections 1 and 2 of KB-RULES.md.
        for id in [
            "chain.missing-intermediate",
            "chain.untrusted-root",
            "chain.server-sends-incomplete-chain",
            "chain.self-signed-leaf",
            "chain.bad-signature",
            "chain.expired",
            "chain.not-yet-valid",
            "chain.expires-soon",
            "chain.weak-signature",
            "chain.weak-key",
            "chain.not-a-ca",
            "chain.wrong-order",
            "chain.extra-certificates",
            "chain.contains-root",
            "chain.ok",
            "host.mismatch",
            "tls.legacy-protocol",
            "tls.weak-cipher",
            "tls.plaintext-on-tls-port",
            "tls.tls-on-plaintext-port",
        ] {
            assert!(Rule::from_id(id).is_some(), "{id}");
        }
    }
}
