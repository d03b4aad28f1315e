//! The `tls.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::TlsLegacyProtocol,
        section: "2",
        severity: Severity::Error,
        explanation: "The server speaks only TLS 1.0/1.1, which Java 8u291+, 11.0.11+ and 17+ refuse.",
        fix: &["Enable TLS 1.2 on the mail server (on Exchange: the Windows SCHANNEL registry settings, then restart)."],
        patterns: &["no appropriate protocol", "is not accepted by client preferences", "received fatal alert: protocol_version", "ssl routines::unsupported protocol", "unsupported protocol"],
    },
    RuleInfo {
        rule: Rule::TlsWeakCipher,
        section: "2",
        severity: Severity::Error,
        explanation: "The negotiated cipher (RC4, 3DES, NULL/anon, static RSA or ECDH) is disabled in current Java updates.",
        fix: &["Enable ECDHE cipher suites with AES-GCM on the mail server."],
        patterns: &["no appropriate cipher suite"],
    },
    RuleInfo {
        rule: Rule::TlsPlaintextOnTlsPort,
        section: "2",
        severity: Severity::Error,
        explanation: "The archiver is set to SSL/TLS but the port answers in plain IMAP (Java: Unrecognized SSL message, plaintext connection?).",
        fix: &["Use port 993 with SSL/TLS, or port 143 with STARTTLS."],
        patterns: &["unsupported or unrecognized ssl message", "unrecognized ssl message, plaintext connection", "plaintext connection?", "wrong version number"],
    },
    RuleInfo {
        rule: Rule::TlsTlsOnPlaintextPort,
        section: "2",
        severity: Severity::Error,
        explanation: "The archiver is set to plaintext or STARTTLS but the port expects TLS at once (Java waits: Read timed out).",
        fix: &["Use SSL/TLS mode for port 993, or connect to port 143 for STARTTLS."],
        patterns: &["read timed out", "empty startup greeting", ":993/?starttls=always"],
    },
    RuleInfo {
        rule: Rule::TlsHandshakeFailed,
        section: "2",
        severity: Severity::Error,
        explanation: "The TLS handshake failed before certificates were exchanged (no shared version or cipher, or the connection was closed).",
        fix: &["Run openssl s_client against the server from the archiver machine and compare protocols and ciphers with the archiver's Java."],
        patterns: &["received fatal alert: handshake_failure", "remote host terminated the handshake", "remote host closed connection during handshake", "sslv3 alert handshake failure", "alert handshake failure", "handshakefailure", "no shared cipher", "ssl_accept() syscall failed", "failed to create ssl"],
    },
    RuleInfo {
        rule: Rule::TlsInterception,
        section: "2",
        severity: Severity::Error,
        explanation: "The chain ends at a root of a TLS-intercepting product (antivirus, proxy, firewall), not at the mail server's CA.",
        fix: &["Exclude the mail server from the product's TLS/mail scanning.", "Only if the interception is intended, import that product's root into the archiver's trust store."],
        patterns: &[],
    },
];
