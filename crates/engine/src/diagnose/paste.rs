//! Evidence a paste carries beyond its certificates: how an `openssl
//! s_client` run failed, what OpenSSL itself said about the chain, whether a
//! TLS-inspecting product stands in the middle, and what an IMAP protocol
//! log shows about the login. Each function reads; none decides the verdict.

use crate::input::openssl::SClient;
use crate::rules::{Finding, Rule, Severity};
use crate::x509::dn::Dn;

/// What a failed `s_client` run means for a Java client, when it failed
/// before any certificate was exchanged.
pub fn handshake_failure(s: &SClient) -> Option<Finding> {
    let hostport = format!(
        "{}:{}",
        s.host.clone().unwrap_or_else(|| "HOST".into()),
        s.port.unwrap_or(993)
    );
    let err = s.handshake_error.as_ref();
    let lower = err.map(|e| e.value.to_lowercase()).unwrap_or_default();
    let evidence = err.map(|e| format!("line {}: {}", e.line, e.value));
    let with = |f: Finding| match &evidence {
        Some(e) => f.evidence(e.clone()),
        None => f,
    };
    if s.starttls_not_found && (s.port == Some(993) || s.chain.is_empty()) {
        return Some(with(
            Finding::new(
                Rule::TlsTlsOnPlaintextPort,
                Severity::Error,
                format!("openssl was asked for STARTTLS, but {hostport} did not offer it and the handshake failed: this port expects TLS at once (SSL/TLS mode). A Java client set to STARTTLS or plaintext on it waits until it times out (Read timed out)."),
            )
            .fix([
                "Set the archiver's IMAP connection to SSL/TLS for port 993, or connect to port 143 for STARTTLS.".to_string(),
                format!("Check it with: openssl s_client -connect {hostport} -showcerts"),
            ]),
        ));
    }
    if err.is_none() && !(s.no_peer_certificate && s.chain.is_empty()) {
        return None;
    }
    // OpenSSL 1.0 names a reply that is no TLS record "unknown protocol";
    // after a STARTTLS the server accepted, that is a server whose TLS
    // failed to start, not a mode that does not match the port.
    let (rule, meaning, fix): (Rule, String, Vec<String>) = if lower
        .contains("wrong version number")
        || (s.starttls.is_none() && lower.contains("get_server_hello:unknown protocol"))
    {
        (
            Rule::TlsPlaintextOnTlsPort,
            format!("{hostport} answered the TLS handshake in plain text (wrong version number): the port speaks plain IMAP. Java says \"Unrecognized SSL message, plaintext connection?\"."),
            vec![
                "Use SSL/TLS with port 993, or STARTTLS with port 143: the connection mode must match the port.".into(),
            ],
        )
    } else if lower.contains("alert protocol version") || lower.contains("alert number 70") {
        // The alert came from the server: it refused the versions this
        // client offered, the reverse of a server stuck on old versions.
        (
            Rule::TlsLegacyProtocol,
            format!("{hostport} refused the TLS versions this client offered (protocol_version alert): the client is limited to old versions (an old OpenSSL or Java, or options such as -ssl3/-tls1 or mail.imap.ssl.protocols=TLSv1) while the server requires newer ones."),
            vec![
                "Let the client use TLS 1.2 or 1.3: remove TLSv1/TLSv1.1-only settings (mail.imap.ssl.protocols, jdk.tls.client.protocols) and update an old Java (7 and early 8 builds offer TLS 1.0 only by default).".into(),
                format!("Confirm with a current OpenSSL: openssl s_client -connect {hostport} -tls1_2"),
            ],
        )
    } else if lower.contains("unsupported protocol") {
        (
            Rule::TlsLegacyProtocol,
            format!("{hostport} offers only TLS versions this OpenSSL refuses (unsupported protocol): almost always TLS 1.0 or 1.1 only. Java 8u291+, 11.0.11+ and 17+ refuse them too (\"No appropriate protocol (protocol is disabled or cipher suites are inappropriate)\")."),
            vec![
                "Enable TLS 1.2 on the mail server (Exchange: the Windows SCHANNEL and .NET settings for TLS 1.2, then restart).".into(),
                format!("Confirm which versions it offers: openssl s_client -connect {hostport} -tls1 (and -tls1_1, -tls1_2)."),
            ],
        )
    } else if lower.contains("dh key too small") {
        (
            Rule::TlsSmallDhGroup,
            format!("{hostport} uses Diffie-Hellman parameters smaller than this OpenSSL accepts (dh key too small: under 2048 bits on OpenSSL 3 and 1.1.1 builds at security level 2, under 768 on OpenSSL 1.0). Java refuses DH groups under 1024 bits (\"DH ServerKeyExchange does not comply to algorithm constraints\"); a group of 1024 to 2047 bits still passes Java but is weak, so whether the archiver fails depends on the size."),
            vec![
                "Configure 2048-bit DH parameters on the mail server, or prefer ECDHE cipher suites.".into(),
                format!("See the group size with: openssl s_client -connect {hostport} -cipher DHE -tls1_2 -auth_level 0 (line \"Server Temp Key\"), or run imap-doctor probe, which records it and judges it as Java does."),
            ],
        )
    } else if lower.contains("connection refused") || lower.contains("errno=111") {
        (
            Rule::NetRefused,
            format!("The connection to {hostport} was refused: nothing listens there, or a firewall rejects it."),
            vec!["Start the IMAP service (Exchange: Microsoft Exchange IMAP4 and IMAP4 Backend) and check the port.".into()],
        )
    } else if lower.contains("name or service not known") || lower.contains("nodename nor servname")
    {
        (
            Rule::NetDns,
            "The host name does not resolve; Java fails with java.net.UnknownHostException.".into(),
            vec!["Check the spelling of the server name and DNS on the archiver machine.".into()],
        )
    } else if lower.contains("errno=110") || lower.contains("timed out") {
        (
            Rule::NetTimeout,
            format!("The connection to {hostport} timed out: a firewall drops it."),
            vec!["Open the IMAP port from the archiver to the mail server in every firewall between them.".into()],
        )
    } else {
        let why = if lower.contains("errno=104") || lower.contains("reset") {
            "the server (or a firewall, load balancer or IPS in between) reset the connection during the handshake"
        } else if lower.contains("errno=0") || lower.contains("unexpected eof") {
            "the server closed the connection without answering the handshake (often TLS on the wrong port, or a device in between that cuts TLS)"
        } else if lower.contains("handshake failure") || lower.contains("alert number 40") {
            "the server found no protocol version and cipher suite it shares with the client (handshake failure), or it requires SNI or a client certificate"
        } else if lower.contains("unknown protocol") {
            "the server did not answer with TLS at all (unknown protocol): a plain-text service, or STARTTLS that did not start"
        } else {
            "the handshake failed before the server sent a certificate"
        };
        (
            Rule::TlsHandshakeFailed,
            format!("No certificate was exchanged: {why}. A Java client fails the same way (javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake, or Received fatal alert: handshake_failure); running openssl again with -showcerts does not help."),
            vec![
                "Check what the server offers: openssl s_client -connect HOST:993 -tls1_2 (and -tls1_3); on Exchange, enable TLS 1.2 with ECDHE and AES-GCM suites.".into(),
                "Check that the port matches the mode: 993 SSL/TLS, 143 STARTTLS.".into(),
                "If it works from another machine, look for a firewall, proxy or load balancer in between.".into(),
            ],
        )
    };
    // OpenSSL 1.1.1 and 3 refuse DH groups under 2048 bits, Java only
    // under 1024: unless this is OpenSSL 1.0's check (under 768 bits),
    // Java may well connect, so the finding cannot be an error.
    let severity =
        if rule == Rule::TlsSmallDhGroup && !lower.contains("ssl3_check_cert_and_algorithm") {
            Severity::Warning
        } else {
            Severity::Error
        };
    Some(with(Finding::new(rule, severity, meaning).fix(fix)))
}

/// Products that re-sign TLS connections with their own root, recognised
/// from the issuer names they use.
const INTERCEPTORS: &[(&str, &str)] = &[
    ("avast", "Avast"),
    ("avg web/mail shield", "AVG"),
    ("avg technologies", "AVG"),
    ("kaspersky", "Kaspersky"),
    ("eset ssl filter", "ESET"),
    ("eset, spol", "ESET"),
    ("bitdefender", "Bitdefender"),
    ("fortinet", "Fortinet FortiGate"),
    ("fortigate", "Fortinet FortiGate"),
    ("zscaler", "Zscaler"),
    ("sophos", "Sophos"),
    ("palo alto", "Palo Alto Networks"),
    ("cisco umbrella", "Cisco Umbrella"),
    ("blue coat", "Blue Coat"),
    ("mcafee web gateway", "McAfee Web Gateway"),
    ("netskope", "Netskope"),
    ("check point", "Check Point"),
    ("watchguard", "WatchGuard"),
    ("barracuda", "Barracuda"),
    ("untangle", "Untangle"),
    ("trend micro", "Trend Micro"),
    ("norton", "Norton"),
    ("forcepoint", "Forcepoint"),
];

/// The intercepting product whose name appears in one of these DNs.
pub fn interceptor<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<(&'static str, String)> {
    for n in names {
        let lower = n.to_lowercase();
        if let Some((_, product)) = INTERCEPTORS
            .iter()
            .find(|(needle, _)| lower.contains(needle))
        {
            return Some((product, n.to_string()));
        }
    }
    None
}

pub fn interception_finding(product: &str, dn: &str) -> Finding {
    Finding::new(
        Rule::TlsInterception,
        Severity::Error,
        format!("The chain is not the mail server's: it was re-signed by {product}, which inspects TLS connections on this machine or network. Java does not trust {product}'s root, so it fails with PKIX path building failed; no intermediate is missing."),
    )
    .evidence(format!("issuer {dn}"))
    .fix([
        format!("Exclude the mail server (or the archiver's Java process) from {product}'s TLS / mail scanning, then test again: the chain should then end at a public CA."),
        format!("Only if the interception is intended, import {product}'s root certificate into the archiver's trust store."),
    ])
}

/// The server's own part in a chain judged by names: its chain list is
/// complete (closed by `---`) and lacks the intermediate `missing`, so the
/// server does not send its full chain. Says so, and when OpenSSL found that
/// intermediate in its own store (`-CAfile`), that this is why OpenSSL was
/// content where Java is not.
pub fn incomplete_chain_finding(s: &SClient, missing: &Dn) -> Option<Finding> {
    // A re-signed chain is the intercepting product's, not the server's.
    let names = s
        .chain
        .iter()
        .flat_map(|e| [e.subject.as_str(), e.issuer.as_str()]);
    if !s.chain_list_closed || interceptor(names).is_some() {
        return None;
    }
    // Matched by the name itself: its Java text, as the message writes it,
    // reads back in the other order for a name encoded CN first.
    let key = missing.loose_key();
    let local = s
        .local_intermediates
        .iter()
        .find(|e| Dn::parse_text(&e.subject).is_some_and(|d| d.loose_key() == key));
    let missing = missing.display();
    let sent = s.chain.iter().filter(|e| !e.from_depth_lines).count();
    let mut f = Finding::new(
        Rule::ChainServerSendsIncompleteChain,
        Severity::Warning,
        match local {
            Some(_) => format!("The server sends {sent} certificate(s) and not the intermediate {missing}. OpenSSL verified the chain only because it found that intermediate in its own store (-CAfile / -CApath); Java and every client without it fail."),
            None => format!("The server sends {sent} certificate(s) and not the intermediate {missing}."),
        },
    )
    .fix([
        "Ask the mail server's admin to install the full chain: the server certificate followed by every intermediate (Dovecot: ssl_cert with the intermediates appended; Exchange: the intermediate in the computer's Intermediate Certification Authorities store, then restart the IMAP4 services).",
        "Until then, the archiver's trust store must hold the missing intermediate.",
    ]);
    if let Some(e) = s.chain.iter().rfind(|e| !e.from_depth_lines) {
        f = f.evidence(format!(
            "line {}: last certificate the server sends: {}",
            e.line, e.subject
        ));
    }
    if let Some(e) = local {
        f = f.evidence(format!(
            "line {}: depth={} {} (from OpenSSL's own store, not sent)",
            e.line, e.depth, e.subject
        ));
    }
    Some(f)
}

/// What an IMAP protocol log shows about the login.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoginFacts {
    /// A password was sent (LOGIN, AUTHENTICATE PLAIN/LOGIN), with its line.
    pub password_login: Option<(usize, &'static str)>,
    /// OAuth was used (AUTHENTICATE XOAUTH2 / OAUTHBEARER).
    pub oauth_login: Option<usize>,
    /// The server is Exchange Online (Microsoft 365).
    pub exchange_online: bool,
    /// The line where the server accepted STARTTLS ("OK Begin TLS
    /// negotiation"): capabilities announced before it (LOGINDISABLED) no
    /// longer apply after it.
    pub starttls_ok: Option<usize>,
    /// An IMAP session was under way (a greeting, a tagged OK, a BYE), so a
    /// later read timeout is not a connect-time mode mismatch.
    pub session_seen: bool,
    /// The host JavaMail names in "Couldn't connect to host, port: …".
    pub connect_host: Option<String>,
}

/// Reads client commands and server names from a protocol log. Linear:
/// one look at each line, each bounded in length.
pub fn login_facts(text: &str) -> LoginFacts {
    let mut f = LoginFacts::default();
    for (i, raw) in text.lines().enumerate() {
        if raw.len() > 4096 {
            continue;
        }
        let upper = raw.to_ascii_uppercase();
        let lower = raw.to_ascii_lowercase();
        if f.connect_host.is_none() {
            f.connect_host = crate::input::errtext::connect_host(raw)
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty());
        }
        if lower.contains("outlook.office365.com")
            || lower.contains("outlook.office.com")
            || lower.contains(".prod.outlook.com")
            || lower.contains("office365")
        {
            f.exchange_online = true;
        }
        if (upper.contains("* OK")
            || upper.contains("* BYE")
            || upper.contains(" OK LOGIN")
            || upper.contains(" FETCH")
            // A stack through a folder operation (JavaMail's IMAPFolder,
            // K-9's ImapFolder) or K-9's in-session "IO Error": the store
            // was connected when the read failed.
            || lower.contains("imapfolder.")
            || lower.contains("messagingexception: io error"))
            && !lower.contains("couldn't connect")
        {
            f.session_seen = true;
        }
        if f.starttls_ok.is_none() && upper.contains(" OK") && upper.contains("BEGIN TLS") {
            f.starttls_ok = Some(i + 1);
        }
        // The server's answer to a LOGIN command shows a password was sent;
        // clients that quote only the text keep Exchange's exact wording
        // (Python imaplib: "error: b'LOGIN failed.'").
        if (upper.contains(" NO LOGIN FAILED") || raw.contains("LOGIN failed."))
            && f.password_login.is_none()
        {
            f.password_login = Some((i + 1, "LOGIN"));
        }
        // A command is "<tag> LOGIN …" or "<tag> AUTHENTICATE <mech>".
        let words: Vec<&str> = upper
            .split(|c: char| c.is_whitespace() || c == '\'' || c == '"')
            .filter(|w| !w.is_empty())
            .collect();
        for w in words.windows(2) {
            let tag_like = w[0].chars().any(|c| c.is_ascii_digit()) && w[0].len() <= 16;
            match (tag_like, w[1]) {
                (true, "LOGIN") if f.password_login.is_none() => {
                    f.password_login = Some((i + 1, "LOGIN"))
                }
                _ => {}
            }
        }
        for (mech, name) in [
            ("AUTHENTICATE PLAIN", "AUTHENTICATE PLAIN"),
            ("AUTHENTICATE LOGIN", "AUTHENTICATE LOGIN"),
            ("AUTH PLAIN", "AUTH PLAIN"),
            ("AUTH LOGIN", "AUTH LOGIN"),
        ] {
            if upper.contains(mech) && f.password_login.is_none() {
                f.password_login = Some((i + 1, name));
            }
        }
        if (upper.contains("AUTHENTICATE XOAUTH2") || upper.contains("AUTHENTICATE OAUTHBEARER"))
            && f.oauth_login.is_none()
        {
            f.oauth_login = Some(i + 1);
        }
    }
    f
}

/// OpenSSL's own word on the chain (store-independent only: a self-signed
/// server certificate, a self-signed certificate in the chain, an expired
/// certificate), for pastes that name the certificates without holding them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OpensslSays {
    /// `num=18` at depth 0, or `Verify return code: 18`.
    pub self_signed_leaf: Option<usize>,
    /// `num=19` (self-signed certificate in the chain), with its depth.
    pub self_signed_in_chain: Option<(Option<usize>, usize)>,
    /// `num=10` (expired), with its depth and line.
    pub expired: Vec<(Option<usize>, usize)>,
    /// `num=20`/`21`/`2` at depth 0 with no deeper certificate: the server
    /// sent its certificate alone and OpenSSL found no issuer for it.
    pub leaf_issuer_not_found: Option<usize>,
}

pub fn openssl_says(s: &SClient) -> OpensslSays {
    let mut o = OpensslSays::default();
    for e in &s.verify_errors {
        match e.num {
            18 if e.depth.unwrap_or(0) == 0 => o.self_signed_leaf = Some(e.line),
            19 => o.self_signed_in_chain = Some((e.depth, e.line)),
            10 => o.expired.push((e.depth, e.line)),
            2 | 20 | 21 if e.depth.unwrap_or(0) == 0 && o.leaf_issuer_not_found.is_none() => {
                o.leaf_issuer_not_found = Some(e.line)
            }
            _ => {}
        }
    }
    // Only when nothing deeper was printed: otherwise OpenSSL did find an
    // issuer and the error is about a certificate further up.
    if s.chain.iter().any(|c| c.depth > 0) {
        o.leaf_issuer_not_found = None;
    }
    if let Some(r) = &s.verify_return {
        if r.value.starts_with("18 ") && o.self_signed_leaf.is_none() {
            o.self_signed_leaf = Some(r.line);
        }
        if r.value.starts_with("19 ") && o.self_signed_in_chain.is_none() {
            o.self_signed_in_chain = Some((None, r.line));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_commands_and_exchange_online() {
        let f = login_facts("C: A1 LOGIN journal@contoso.com REDACTED\nS: A1 NO LOGIN failed.\n* OK outlook.office365.com ready");
        assert_eq!(f.password_login, Some((1, "LOGIN")));
        assert!(f.exchange_online);
        let f =
            login_facts("=> 'A1 AUTHENTICATE XOAUTH2 dXNlcj1…'\n<= 'A1 NO AUTHENTICATE failed.'");
        assert_eq!(f.oauth_login, Some(1));
        assert_eq!(f.password_login, None);
        // "LOGIN" inside a sentence is not a command…
        assert_eq!(
            login_facts("* BAD The LOGIN command is disabled").password_login,
            None
        );
        // …but a tagged "NO LOGIN failed" answers one…
        assert_eq!(
            login_facts("1001 NO LOGIN failed.").password_login,
            Some((1, "LOGIN"))
        );
        // …and so does Exchange's answer quoted by a client without its tag.
        assert_eq!(
            login_facts("error: b'LOGIN failed.'").password_login,
            Some((1, "LOGIN"))
        );
        // A generic "login failed" of some application is no LOGIN command.
        assert_eq!(login_facts("Login failed. Try again").password_login, None);
    }

    fn failure(text: &str) -> Finding {
        let s = crate::input::openssl::parse(text).expect("an s_client paste");
        handshake_failure(&s).expect("a handshake failure")
    }

    #[test]
    fn who_refused_the_protocol_version() {
        // The server's alert: the client offered versions it no longer takes.
        let f = failure("CONNECTED(00000003)\n140:error:1409442E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1544:SSL alert number 70\n---\nno peer certificate available\n");
        assert_eq!(f.rule, Rule::TlsLegacyProtocol);
        assert!(f
            .message
            .contains("refused the TLS versions this client offered"));
        // OpenSSL's own refusal: the server offered versions it no longer takes.
        let f = failure("CONNECTED(00000003)\n140:error:1425F102:SSL routines:ssl_choose_client_version:unsupported protocol:../ssl/statem/statem_lib.c:1929:\n---\nno peer certificate available\n");
        assert_eq!(f.rule, Rule::TlsLegacyProtocol);
        assert!(f.message.contains("offers only TLS versions"));
    }

    #[test]
    fn openssl_1_0_unknown_protocol_is_a_plaintext_reply() {
        let f = failure("CONNECTED(00000003)\n139:error:140770FC:SSL routines:SSL23_GET_SERVER_HELLO:unknown protocol:s23_clnt.c:794:\n---\nno peer certificate available\n---\nSSL handshake has read 7 bytes and written 289 bytes\n");
        assert_eq!(f.rule, Rule::TlsPlaintextOnTlsPort);
        let f = failure("openssl s_client -connect mail.example.org:143 -starttls imap\nCONNECTED(00000003)\n139:error:140770FC:SSL routines:SSL23_GET_SERVER_HELLO:unknown protocol:s23_clnt.c:769:\n---\nno peer certificate available\n");
        assert_eq!(f.rule, Rule::TlsHandshakeFailed);
    }

    #[test]
    fn interceptors_by_issuer_name() {
        assert_eq!(
            interceptor(["O=Avast Web/Mail Shield, CN=Avast Web/Mail Shield Root"]).map(|x| x.0),
            Some("Avast")
        );
        assert_eq!(interceptor(["CN=DigiCert Global Root G2"]), None);
    }
}
