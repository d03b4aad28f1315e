//! The `journal.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::JournalTooManyMessages,
        section: "5",
        severity: Severity::Warning,
        explanation: "The journal mailbox holds more than 20,000 messages; Exchange may be unable to answer.",
        fix: &["Create a new journal account and import the old one into the archive."],
        patterns: &["too many messages"],
    },
    RuleInfo {
        rule: Rule::JournalAccount,
        section: "5",
        severity: Severity::Error,
        explanation: "The journal account cannot log in on on-premises Exchange.",
        fix: &["In Active Directory check that the account is enabled, not locked, its password not expired or due to change, and that it has a mailbox."],
        patterns: &["account is disabled", "account has been locked", "password has expired"],
    },
    RuleInfo {
        rule: Rule::JournalNotAnAddress,
        section: "5",
        severity: Severity::Error,
        explanation: "The journal account is not an e-mail address.",
        fix: &["Enter the journal mailbox's full e-mail address."],
        patterns: &[],
    },
];
