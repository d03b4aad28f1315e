//! The `tls.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::TlsLegacyProtocol,
        section: "2",
        severity: Severity::Error,
        explanation: "The server offers only TLS 1.0/1.1, or the archiver was told to use them; {refused_by} refuse them.",
        fix: &["Enable TLS 1.2 (or 1.3) on the mail server (on Exchange: the Windows SCHANNEL registry settings, then restart).", "Remove TLSv1/TLSv1.1-only settings such as mail.imap.ssl.protocols from the archiver."],
        patterns: &["no appropriate protocol", "is not accepted by client preferences", "received fatal alert: protocol_version", "ssl routines::unsupported protocol", "unsupported protocol", "alert protocol version"],
    },
    RuleInfo {
        rule: Rule::TlsWeakCipher,
        section: "2",
        severity: Severity::Error,
        explanation: "No cipher suite is acceptable to both sides: the server offers only suites Java disables (RC4, 3DES, NULL/anon, static ECDH, TLS_RSA_*), or a Diffie-Hellman group smaller than the client accepts (Java: under 1024 bits; OpenSSL 3 on current systems: under 2048).",
        fix: &["Enable ECDHE cipher suites with AES-GCM on the mail server.", "If the server uses DHE, give it 2048-bit DH parameters (Dovecot: ssl_dh; Exchange: the Windows ClientMinKeyBitLength/ServerMinKeyBitLength setting)."],
        patterns: &["no appropriate cipher suite", "dh serverkeyexchange does not comply"],
    },
    RuleInfo {
        rule: Rule::TlsSmallDhGroup,
        section: "2",
        severity: Severity::Warning,
        explanation: "OpenSSL refused the server's Diffie-Hellman group as too small (\"dh key too small\"): OpenSSL 1.1.1 and 3 at their usual security level want 2048 bits, OpenSSL 1.0 at least 768. Java refuses only groups under 1024 bits (\"DH ServerKeyExchange does not comply to algorithm constraints\"), so whether the archiver fails depends on the group's size.",
        fix: &["Give the mail server 2048-bit DH parameters (Dovecot: ssl_dh; Exchange: the Windows SCHANNEL ServerMinKeyBitLength setting) or let it prefer ECDHE cipher suites.", "See the group's size: openssl s_client -connect HOST:993 -cipher DHE -tls1_2 -auth_level 0 (line \"Server Temp Key\"), or run imap-doctor probe, which judges it as Java does."],
        patterns: &["dh key too small", "dh_key_too_small"],
    },
    RuleInfo {
        rule: Rule::TlsPlaintextOnTlsPort,
        section: "2",
        severity: Severity::Error,
        explanation: "The archiver started TLS but the server answered in plain text: SSL/TLS mode on a plaintext port such as 143 (Java: Unrecognized SSL message, plaintext connection?).",
        fix: &["Use SSL/TLS with port 993, or STARTTLS (or plaintext) with port 143: the connection mode must match the port."],
        patterns: &["unsupported or unrecognized ssl message", "unrecognized ssl message, plaintext connection", "plaintext connection?", "wrong version number", "get_server_hello:unknown protocol", "server hello a: unknown protocol"],
    },
    RuleInfo {
        rule: Rule::TlsTlsOnPlaintextPort,
        section: "2",
        severity: Severity::Error,
        explanation: "The archiver waited for an answer that never came (Java: Read timed out): typically plaintext or STARTTLS mode on the SSL/TLS port 993 (the server waits for a TLS handshake), or a server too busy to answer (a journal mailbox too full).",
        fix: &["Use SSL/TLS with port 993, or STARTTLS with port 143.", "If the mode is right, check the journal mailbox size (over 20,000 messages slows Exchange down)."],
        patterns: &["read timed out", "empty startup greeting", ":993/?starttls=always"],
    },
    RuleInfo {
        rule: Rule::TlsHandshakeFailed,
        section: "2",
        severity: Severity::Error,
        explanation: "The server ended the TLS handshake: usually no common protocol version or cipher suite, a server that requires SNI or a client certificate, or a firewall/IPS that cuts TLS.",
        fix: &["Run openssl s_client against the server from the archiver machine to see what it offers, and compare with the archiver's Java.", "Enable TLS 1.2 with ECDHE/AES-GCM suites on the mail server."],
        patterns: &["received fatal alert: handshake_failure", "remote host terminated the handshake", "remote host closed connection during handshake", "sslv3 alert handshake failure", "alert handshake failure", "handshakefailure", "no shared cipher", "ssl_accept() syscall failed", "failed to create ssl", "ssl_connect syscall", "reset by peer - ssl_connect"],
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
