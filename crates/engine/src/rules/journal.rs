//! The `journal.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::JournalTooManyMessages,
        section: "5",
        severity: Severity::Error,
        explanation: "The journal mailbox holds too many messages (over 20,000) for Exchange to answer in time.",
        fix: &["Create a new journal account and point journaling to it; import the old account's mail with the archiver's import feature."],
        patterns: &["too many messages"],
    },
    RuleInfo {
        rule: Rule::JournalAccount,
        section: "5",
        severity: Severity::Error,
        explanation: "The journal account cannot log in (disabled, locked, or password expired).",
        fix: &["In Active Directory, check that the journal account is enabled, not locked, its password not expired or due to change, and that it has a mailbox."],
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
