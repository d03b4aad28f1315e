//! The `m365.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::M365BasicAuthDisabled,
        section: "4",
        severity: Severity::Error,
        explanation: "Microsoft turned off basic authentication (user name and password) for IMAP in Exchange Online in 2022; only OAuth works.",
        fix: &["Configure the archiver's Microsoft 365 OAuth connection (app registration, IMAP.AccessAsApp, service principal, FullAccess)."],
        patterns: &["basicauthblocked", "basic authentication is disabled"],
    },
    RuleInfo {
        rule: Rule::M365ConnectionDisabled,
        section: "4",
        severity: Severity::Error,
        explanation: "The archiver's Microsoft 365 connection selected as the token is not enabled or no longer exists.",
        fix: &["Enable the Microsoft 365 connection the journal account uses, or select another."],
        patterns: &["is either not enabled or no longer exists"],
    },
    RuleInfo {
        rule: Rule::M365CertificateChain,
        section: "4",
        severity: Severity::Info,
        explanation: "Exchange Online's certificate chain, which Java updates trust its root, and what to import into an archiver's own store.",
        fix: &["If the archiver uses its own certificate store, import the roots named here into it."],
        patterns: &[],
    },
];
