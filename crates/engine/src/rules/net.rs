//! The `net.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::NetRefused,
        section: "3",
        severity: Severity::Error,
        explanation: "The connection was refused: nothing listens on that port (the Microsoft Exchange IMAP4 service is not started, or the port is wrong) or a firewall rejects it.",
        fix: &["On the Exchange server run services.msc and start Microsoft Exchange IMAP4 and Microsoft Exchange IMAP4 Backend; set them to Automatic.", "Check the port (993 SSL/TLS, 143 plaintext/STARTTLS) and the firewall.", "Test from the archiver machine: telnet {host} 143"],
        patterns: &["connection refused", "econnrefused", "actively refused"],
    },
    RuleInfo {
        rule: Rule::NetTimeout,
        section: "3",
        severity: Severity::Error,
        explanation: "The connection timed out: a firewall drops traffic to the IMAP port between the archiver and the server, or the host is unreachable.",
        fix: &["Test from the archiver machine: telnet {host} 143 (or 993).", "Allow the archiver to reach the mail server on port 143/993 in every firewall between them."],
        patterns: &["connect timed out", "connection timed out", "failed to connect to", "etimedout", "did not properly respond after a period of time"],
    },
    RuleInfo {
        rule: Rule::NetDns,
        section: "3",
        severity: Severity::Error,
        explanation: "The host name does not resolve (Java: java.net.UnknownHostException).",
        fix: &["Check the spelling of the IMAP server name.", "Check the archiver machine's DNS: nslookup the name there."],
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
