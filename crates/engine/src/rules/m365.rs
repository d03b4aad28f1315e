//! The `m365.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::M365BasicAuthDisabled,
        section: "4",
        severity: Severity::Error,
        explanation: "Microsoft 365 refuses password (basic) authentication for IMAP since 2022; only OAuth works.",
        fix: &["Upgrade the archiver to a version with OAuth (MailArchiva 8.11.13 or later) and follow steps A, B, C1, D1 and E1: an app registration with IMAP.AccessAsApp, a service principal, FullAccess on the journal mailbox."],
        patterns: &["basicauthblocked", "basic authentication is disabled"],
    },
    RuleInfo {
        rule: Rule::M365ConnectionDisabled,
        section: "4",
        severity: Severity::Error,
        explanation: "The archiver's Microsoft 365 connection selected as the token is not enabled (or was deleted).",
        fix: &["In the archiver's Microsoft 365 connection settings, enable the connection selected as the token (or select an existing one) and save."],
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
