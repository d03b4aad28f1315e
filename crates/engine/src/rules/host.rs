//! The `host.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::HostMismatch,
        section: "2",
        severity: Severity::Error,
        explanation: "The host name the archiver connects to matches no DNS name of the server certificate (or its CN when it has no SAN); JavaMail checks this by default since Jakarta/Angus Mail 1.1.",
        fix: &["Connect by a name the certificate lists (see its Subject Alternative Names), or install a certificate that covers the name used.", "Paste the openssl output with the host to see the names it covers."],
        patterns: &["no subject alternative dns name matching", "no subject alternative names matching ip address", "no subject alternative names present", "no name matching", "can't verify identity of server", "does not match the server certificate", "certificate owner does not match hostname", "hostname mismatch", "err_tls_cert_altname_invalid", "does not match certificate's altnames"],
    },
];
