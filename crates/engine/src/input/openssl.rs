//! Reading `openssl s_client` output (OpenSSL 1.0.2, 1.1.1, 3.x, LibreSSL),
//! with or without `-showcerts`, with or without `-starttls imap`.

use serde::Serialize;

/// Most chain-list entries and verify errors kept from one transcript; a real
/// one has a handful, and each kept entry is reported.
pub const MAX_LIST: usize = 1_000;

/// One entry of the `Certificate chain` list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainEntry {
    pub depth: usize,
    pub subject: String,
    pub issuer: String,
    /// OpenSSL 3.x `a:` line (key and signature algorithm).
    pub key: Option<String>,
    /// OpenSSL 3.x `v:` line (validity).
    pub validity: Option<String>,
    pub line: usize,
    /// Named only by OpenSSL's `depth=N …` lines (the chain OpenSSL built
    /// from what was sent and its own store), not by the chain list.
    pub from_depth_lines: bool,
}

/// A `verify error:num=N:text` line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerifyError {
    pub depth: Option<usize>,
    pub num: i32,
    pub text: String,
    pub line: usize,
}

/// A value together with the line it was read from (1-based).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Located {
    pub value: String,
    pub line: usize,
}

/// What an `openssl s_client` transcript told us.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SClient {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub starttls: Option<String>,
    pub chain: Vec<ChainEntry>,
    pub verify_errors: Vec<VerifyError>,
    pub verify_return: Option<Located>,
    pub protocol: Option<Located>,
    pub cipher: Option<Located>,
    pub greeting: Option<Located>,
    pub capability: Option<Located>,
    /// The first error line of a failed connection or handshake
    /// (`…:error:…:wrong version number:…`, `write:errno=104`, `connect:errno=111`).
    pub handshake_error: Option<Located>,
    /// `no peer certificate available`: the server sent no certificate.
    pub no_peer_certificate: bool,
    /// `Didn't find STARTTLS in server response` (`-starttls` against a server
    /// that did not offer it, e.g. the implicit-TLS port 993).
    pub starttls_not_found: bool,
    /// The command line asked for `-showcerts`.
    pub showcerts: bool,
    /// The `Certificate chain` list ended with its `---` line: it holds
    /// everything the server sent (not cut by the paste).
    pub chain_list_closed: bool,
    /// Intermediates OpenSSL named in its `depth=N` lines beyond a closed
    /// chain list: it found them in its own store (`-CAfile`, `-CApath`),
    /// the server did not send them.
    pub local_intermediates: Vec<ChainEntry>,
}

fn located(value: &str, line: usize) -> Option<Located> {
    let value = value.trim();
    (!value.is_empty() && value != "(NONE)" && value != "0000").then(|| Located {
        value: value.to_string(),
        line,
    })
}

/// Splits `host:port`, `[v6]:port`.
fn host_port(s: &str) -> (String, Option<u16>) {
    if let Some(rest) = s.strip_prefix('[') {
        if let Some((h, p)) = rest.split_once(']') {
            return (h.to_string(), p.trim_start_matches(':').parse().ok());
        }
    }
    match s.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (h.to_string(), p.parse().ok()),
        _ => (s.to_string(), None),
    }
}

/// Parses s_client output. Returns `None` when the text is not s_client output.
pub fn parse(text: &str) -> Option<SClient> {
    let mut s = SClient::default();
    let mut seen = false;
    let mut in_chain = false;
    let mut servername = None;
    // The depth of the nearest `depth=N` line so far: OpenSSL prints it just
    // before each `verify error` line (one pass, not a rescan per error).
    let mut last_depth: Option<usize> = None;
    // The subject OpenSSL printed for each depth, first time seen.
    let mut depth_subjects: Vec<Option<(String, usize)>> = Vec::new();
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let depth_line = raw
            .trim_start()
            .strip_prefix("depth=")
            .map(|rest| rest.split_whitespace().next().and_then(|d| d.parse().ok()));
        if let Some(d) = depth_line {
            last_depth = d;
            if let Some(d) = d.filter(|&d| d < MAX_LIST) {
                let subject = raw
                    .trim_start()
                    .trim_start_matches("depth=")
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .trim()
                    .to_string();
                if depth_subjects.len() <= d {
                    depth_subjects.resize(d + 1, None);
                }
                if depth_subjects[d].is_none() && !subject.is_empty() {
                    depth_subjects[d] = Some((subject, idx + 1));
                }
            }
        }
        // Very long lines are certificate bodies or garbage: not s_client text.
        if raw.len() > 4096 {
            continue;
        }
        let line = raw.trim_end();
        let t = line.trim_start();
        // Pastes quoted in mail or Markdown: "> CONNECTED(…)".
        let t = t.strip_prefix('>').map(str::trim_start).unwrap_or(t);
        if t.contains("s_client") {
            let words: Vec<&str> = t.split_whitespace().collect();
            for w in words.windows(2) {
                match w[0] {
                    "-connect" => {
                        let (h, p) = host_port(w[1]);
                        s.host = Some(h);
                        s.port = p;
                    }
                    "-starttls" => s.starttls = Some(w[1].to_string()),
                    "-servername" => servername = Some(w[1].to_string()),
                    _ => {}
                }
            }
            if words.contains(&"-showcerts") {
                s.showcerts = true;
            }
            // OpenSSL 3 takes the target as a bare `host:port` argument too.
            if s.host.is_none() && !words.contains(&"-connect") {
                if let Some(w) = words
                    .iter()
                    .skip_while(|w| !w.ends_with("s_client"))
                    .skip(1)
                    .find(|w| !w.starts_with('-') && w.contains(':') && !w.contains('/'))
                {
                    let (h, p) = host_port(w);
                    if p.is_some() {
                        s.host = Some(h);
                        s.port = p;
                    }
                }
            }
            // The s_client command line itself: what follows is its output.
            seen = true;
            if let Some(pos) = words.iter().position(|w| w.starts_with("-connect=")) {
                let (h, p) = host_port(&words[pos]["-connect=".len()..]);
                s.host = Some(h);
                s.port = p;
            }
            continue;
        }
        if t.starts_with("CONNECTED(") || t.starts_with("SSL handshake has read") {
            seen = true;
        }
        if t == "Certificate chain" {
            seen = true;
            in_chain = true;
            continue;
        }
        if in_chain {
            // The list ends at s_client's `---` line; with -showcerts each
            // entry is followed by its PEM block, whose BEGIN/END lines also
            // start with dashes but do not end the list.
            if t.starts_with("---") && !t.starts_with("-----BEGIN") && !t.starts_with("-----END") {
                in_chain = false;
                s.chain_list_closed = !s.chain.is_empty();
                continue;
            }
            if let Some((num, rest)) = t.split_once(' ') {
                if let Ok(depth) = num.parse::<usize>() {
                    if let Some(subject) = rest
                        .trim_start()
                        .strip_prefix("s:")
                        .filter(|_| s.chain.len() < MAX_LIST)
                    {
                        s.chain.push(ChainEntry {
                            depth,
                            subject: subject.trim().to_string(),
                            issuer: String::new(),
                            key: None,
                            validity: None,
                            line: line_no,
                            from_depth_lines: false,
                        });
                        continue;
                    }
                }
            }
            if let Some(last) = s.chain.last_mut() {
                if let Some(i) = t.strip_prefix("i:") {
                    last.issuer = i.trim().to_string();
                } else if let Some(a) = t.strip_prefix("a:") {
                    last.key = Some(a.trim().to_string());
                } else if let Some(v) = t.strip_prefix("v:") {
                    last.validity = Some(v.trim().to_string());
                }
            }
            continue;
        }
        if let Some(rest) = t.strip_prefix("verify error:num=") {
            seen = true;
            let (num, text) = rest.split_once(':').unwrap_or((rest, ""));
            if s.verify_errors.len() >= MAX_LIST {
                continue;
            }
            s.verify_errors.push(VerifyError {
                depth: last_depth,
                num: num.trim().parse().unwrap_or(-1),
                text: text.trim().to_string(),
                line: line_no,
            });
            continue;
        }
        if let Some(rest) = t.strip_prefix("Verify return code:") {
            seen = true;
            s.verify_return = located(rest, line_no);
            continue;
        }
        if let Some(rest) = t.strip_prefix("New, ") {
            // `New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384`
            // `New, TLSv1/SSLv3, Cipher is ECDHE-RSA-AES256-GCM-SHA384` (1.0.2)
            seen = true;
            if let Some((proto, cipher)) = rest.split_once(", Cipher is ") {
                if s.protocol.is_none() && !proto.contains('/') {
                    s.protocol = located(proto, line_no);
                }
                if s.cipher.is_none() {
                    s.cipher = located(cipher, line_no);
                }
            }
            continue;
        }
        if let Some(rest) = t.strip_prefix("Protocol") {
            if let Some(v) = rest.trim_start().strip_prefix(':') {
                // The SSL-Session block's value is the negotiated version.
                s.protocol = located(v, line_no);
                continue;
            }
        }
        if let Some(rest) = t.strip_prefix("Cipher") {
            if let Some(v) = rest.trim_start().strip_prefix(':') {
                if let Some(c) = located(v, line_no) {
                    s.cipher = Some(c);
                }
                continue;
            }
        }
        if t.starts_with("* OK") && s.greeting.is_none() {
            s.greeting = located(t, line_no);
            continue;
        }
        if let Some(c) = t.strip_prefix("* CAPABILITY ") {
            s.capability = located(c, line_no);
            continue;
        }
        if t.starts_with("depth=") {
            seen = true;
            continue;
        }
        if t.contains("no peer certificate available") {
            seen = true;
            s.no_peer_certificate = true;
            continue;
        }
        if t.starts_with("Didn't find STARTTLS") {
            seen = true;
            s.starttls_not_found = true;
            continue;
        }
        // An error line is s_client's only beside its other marks (the
        // command, CONNECTED(…)): "errno=0" in a Ruby or PHP log is not.
        if s.handshake_error.is_none() && is_connection_error(t) {
            s.handshake_error = located(t, line_no);
        }
    }
    if s.host.is_none() {
        s.host = servername;
    }
    // A chain list cut by the paste (or missing, without -showcerts) is
    // completed from OpenSSL's depth lines: depth N's issuer is depth N+1's
    // subject; the top one, verified by OpenSSL without an error at its
    // depth, is a root of OpenSSL's own store (self-signed).
    let top = depth_subjects.len();
    // A paste cut before its last depth lines (OpenSSL prints the root
    // first, depth 0 last) still names the upper part of the chain.
    let start = if s.chain.is_empty() {
        depth_subjects
            .iter()
            .position(Option::is_some)
            .unwrap_or(top)
    } else {
        s.chain.len()
    };
    for d in start..top {
        let Some((subject, line)) = depth_subjects[d].clone() else {
            break;
        };
        let issuer = match depth_subjects.get(d + 1) {
            Some(Some((next, _))) => next.clone(),
            Some(None) => String::new(),
            None if !s.verify_errors.iter().any(|e| e.depth == Some(d)) => subject.clone(),
            None => String::new(),
        };
        let entry = ChainEntry {
            depth: d,
            subject,
            issuer,
            key: None,
            validity: None,
            line,
            from_depth_lines: true,
        };
        // Beyond a complete chain list, an intermediate (not the top,
        // self-signed root) came from OpenSSL's own store: Java, without
        // that file, does not have it.
        if s.chain_list_closed && entry.issuer != entry.subject {
            if s.local_intermediates.len() < MAX_LIST {
                s.local_intermediates.push(entry);
            }
            continue;
        }
        s.chain.push(entry);
    }
    seen.then_some(s)
}

/// An s_client line that says the connection or the handshake failed.
fn is_connection_error(t: &str) -> bool {
    (t.contains(":error:") && (t.contains("SSL routines") || t.contains("ssl")))
        || t.contains("errno=")
        || t.starts_with("connect:")
        || t.contains("Connection refused")
        || t.contains("Name or service not known")
        || t.contains("nodename nor servname")
        || t.contains("BIO_connect")
}

/// True for protocol names Java 8u291+/11.0.11+/17+ refuse.
pub fn is_legacy_protocol(p: &str) -> bool {
    matches!(
        p.trim(),
        "TLSv1" | "TLSv1.0" | "TLSv1.1" | "SSLv3" | "SSLv2"
    )
}

/// Why a cipher (OpenSSL or IANA name) is disabled in current Java, if it is.
pub fn weak_cipher_reason(c: &str) -> Option<&'static str> {
    let u = c.to_ascii_uppercase();
    if u.contains("RC4") {
        Some("RC4 is disabled in Java (jdk.tls.disabledAlgorithms: RC4)")
    } else if u.contains("3DES") || u.contains("DES-CBC3") || u.contains("DES_EDE") {
        Some("3DES is disabled in Java (jdk.tls.disabledAlgorithms: 3DES_EDE_CBC)")
    } else if u.contains("NULL")
        || u.contains("ANON")
        || u.starts_with("ADH")
        || u.starts_with("AECDH")
    {
        Some("NULL and anonymous ciphers are disabled in Java (anon, NULL)")
    } else if (u.starts_with("ECDH-") || u.starts_with("TLS_ECDH_")) && !u.contains("ECDHE") {
        Some("static ECDH ciphers are disabled in Java 20+ and recent 8u/11u/17u updates (ECDH)")
    } else if u.starts_with("TLS_RSA_")
        || u.starts_with("AES128-")
        || u.starts_with("AES256-")
        || u.starts_with("CAMELLIA")
        || u.starts_with("DES-")
        || u == "AES128-SHA"
        || u == "AES256-SHA"
    {
        Some("RSA key exchange (TLS_RSA_*) is disabled in Java 24 and the January 2026 updates of 11, 17 and 21")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_ciphers() {
        assert!(weak_cipher_reason("ECDHE-RSA-AES256-GCM-SHA384").is_none());
        assert!(weak_cipher_reason("TLS_AES_256_GCM_SHA384").is_none());
        assert!(weak_cipher_reason("AES256-SHA").is_some());
        assert!(weak_cipher_reason("DES-CBC3-SHA").is_some());
        assert!(weak_cipher_reason("ECDH-RSA-AES128-SHA").is_some());
        assert!(weak_cipher_reason("RC4-MD5").is_some());
    }

    #[test]
    fn depth_lines_beyond_a_complete_chain_list_are_openssl_s_own() {
        let t = "depth=2 O = Root Org, CN = Root X\nverify return:1\ndepth=1 O = CA Org, CN = Inter Y\nverify return:1\ndepth=0 CN = mail.example.org\nverify return:1\nCONNECTED(00000003)\n---\nCertificate chain\n 0 s:/CN=mail.example.org\n   i:/O=CA Org/CN=Inter Y\n---\n";
        let s = parse(t).unwrap();
        assert!(s.chain_list_closed);
        // The intermediate came from OpenSSL's store; the root stays as the top.
        assert_eq!(s.local_intermediates.len(), 1);
        assert_eq!(s.local_intermediates[0].subject, "O = CA Org, CN = Inter Y");
        assert_eq!(s.chain.len(), 2);
        assert_eq!(s.chain[1].subject, s.chain[1].issuer);
        // A list cut by the paste (no closing line) is completed instead.
        let cut = t.trim_end().trim_end_matches("---");
        let s = parse(cut).unwrap();
        assert!(!s.chain_list_closed);
        assert!(s.local_intermediates.is_empty());
        assert_eq!(s.chain.len(), 3);
    }

    #[test]
    fn showcerts_pem_blocks_do_not_end_the_chain_list() {
        let t = "CONNECTED(00000003)\n---\nCertificate chain\n 0 s:CN = mail.example.org\n   i:CN = Inter Y\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n 1 s:CN = Inter Y\n   i:CN = Root X\n   v:NotBefore: Jan  1 00:00:00 2024 GMT; NotAfter: Jan  1 00:00:00 2030 GMT\n-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n---\nServer certificate\n";
        let s = parse(t).unwrap();
        assert_eq!(s.chain.len(), 2);
        assert_eq!(s.chain[1].subject, "CN = Inter Y");
        assert_eq!(s.chain[1].issuer, "CN = Root X");
        assert!(s.chain[1].validity.is_some());
        assert!(s.chain_list_closed);
    }

    #[test]
    fn a_paste_cut_before_depth_0_keeps_the_upper_chain() {
        let s = parse("$ openssl s_client imap.example.org:993\nCONNECTED(00000004)\ndepth=2 CN = Root X\nverify return:1\ndepth=1 CN = Inter Y\nverify return:1\n").unwrap();
        assert_eq!(s.host.as_deref(), Some("imap.example.org"));
        assert_eq!(s.port, Some(993));
        assert_eq!(s.chain.len(), 2);
        assert_eq!(s.chain[0].subject, "CN = Inter Y");
        assert_eq!(s.chain[0].issuer, "CN = Root X");
    }

    #[test]
    fn host_from_command_line() {
        let s = parse("$ openssl s_client -connect [::1]:993 -showcerts\nCONNECTED(00000003)\n")
            .unwrap();
        assert_eq!(s.host.as_deref(), Some("::1"));
        assert_eq!(s.port, Some(993));
        assert!(parse("just some words").is_none());
    }
}
