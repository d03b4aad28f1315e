//! The `net.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::NetRefused,
        section: "3",
        severity: Severity::Error,
        explanation: "Nothing listens on the port (the Microsoft Exchange IMAP4 service is not started, or the port is wrong).",
        fix: &["Start the Microsoft Exchange IMAP4 service (services.msc) and the IMAP4 Backend service.", "Check the port: 993 for SSL/TLS, 143 for STARTTLS."],
        patterns: &["connection refused", "econnrefused", "actively refused"],
    },
    RuleInfo {
        rule: Rule::NetTimeout,
        section: "3",
        severity: Severity::Error,
        explanation: "No answer to the TCP connection: a firewall between the archiver and the server drops it.",
        fix: &["Open port 993 (or 143) from the archiver to the mail server in every firewall between them."],
        patterns: &["connect timed out", "connection timed out", "failed to connect to", "etimedout", "did not properly respond after a period of time"],
    },
    RuleInfo {
        rule: Rule::NetDns,
        section: "3",
        severity: Severity::Error,
        explanation: "The host name does not resolve (Java: UnknownHostException).",
        fix: &["Check the spelling of the server name and DNS on the archiver machine."],
        patterns: &["unknownhostexception", "name or service not known"],
    },
    RuleInfo {
        rule: Rule::NetUnreachable,
        section: "3",
        severity: Severity::Error,
        explanation: "The archiver machine has no network path to the server (No route to host / Network is unreachable), often an IPv6 address without IPv6 routing.",
        fix: &["Check routing from the archiver machine; prefer IPv4 with -Djava.net.preferIPv4Stack=true if IPv6 is not routed."],
        patterns: &["no route to host", "enetunreach", "network is unreachable"],
    },
];
