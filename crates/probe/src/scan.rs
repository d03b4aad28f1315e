//! The TLS scan: which protocol versions and cipher suites the server
//! accepts, without a TLS library. rustls speaks only TLS 1.2 and 1.3, but
//! the servers Java 8u291+ refuses are exactly those that stop at TLS 1.0 or
//! 1.1; so the scan builds its own ClientHellos (TLS 1.0 to 1.3), sends them
//! over a plain socket (after STARTTLS on port 143), and reads only the
//! server's first flight: ServerHello, Certificate (in clear before TLS 1.3)
//! or an alert. It never finishes a handshake.
//!
//! Bounds: at most [`MAX_CONNECTIONS`] connections, each within one step
//! deadline, all within the scan's own deadline; at most [`MAX_ANSWER`]
//! bytes read per connection. The server's bytes are parsed with
//! `tls-parser` (rusticata), not by hand.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use imap_doctor_engine::tls::{KeyExchange, Refusal, Scan, Version, VersionScan};
use tls_parser::{
    parse_tls_message_alert, parse_tls_message_handshake, parse_tls_raw_record,
    parse_tls_server_hello_extensions, TlsCipherSuite, TlsExtension, TlsMessage,
    TlsMessageHandshake, TlsRecordType,
};

use crate::deadline::DeadlineStream;
use crate::imap::Lines;

/// The most connections one scan makes: one per version, the rest to list
/// the suites of the versions the server accepts.
pub const MAX_CONNECTIONS: usize = 12;
/// The most bytes read from one answer (a ServerHello and a long chain fit).
pub const MAX_ANSWER: usize = 128 * 1024;
/// The most suites listed per version (each costs a connection).
pub const MAX_SUITES_PER_VERSION: usize = 6;

/// Where and how to connect.
pub struct Target<'a> {
    pub addr: SocketAddr,
    /// The SNI name (left out when it is an IP address).
    pub host: &'a str,
    /// Send `STARTTLS` after the greeting before each ClientHello.
    pub starttls: bool,
    /// Each connection's deadline.
    pub timeout: Duration,
    /// Where the whole scan must end.
    pub deadline: Instant,
}

/// What the scan learnt, and the chain when the server sent one in clear.
#[derive(Debug, Default)]
pub struct Output {
    pub scan: Scan,
    pub chain: Vec<Vec<u8>>,
    /// The version and suite of the answer that carried the chain.
    pub chain_from: Option<(Version, String)>,
}

/// The server's first flight, as far as the scan needs it.
#[derive(Debug)]
enum Answer {
    Hello {
        version: Version,
        suite: u16,
        chain: Vec<Vec<u8>>,
        kx: Option<Kx>,
    },
    Refused(Refusal),
}

/// The ephemeral key the server's first flight showed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Kx {
    group: String,
    bits: Option<u32>,
    signature: Option<String>,
}

impl Kx {
    fn named(code: u16, signature: Option<String>) -> Kx {
        let (group, bits) = imap_doctor_engine::tls::group(code);
        Kx {
            group,
            bits,
            signature,
        }
    }
}

/// What the first flight has shown so far.
#[derive(Default)]
struct Flight {
    hello: Option<(Version, u16)>,
    chain: Vec<Vec<u8>>,
    kx: Option<Kx>,
}

impl Flight {
    /// The answer, once a ServerHello was seen.
    fn answer(&mut self) -> Option<Answer> {
        self.hello.map(|(version, suite)| Answer::Hello {
            version,
            suite,
            chain: std::mem::take(&mut self.chain),
            kx: self.kx.take(),
        })
    }
}

/// The bits of a big-endian unsigned number (a DH prime).
fn bit_length(n: &[u8]) -> u32 {
    let n = &n[n.iter().take_while(|&&b| b == 0).count()..];
    match n.first() {
        Some(&b) => (n.len() as u32 - 1) * 8 + (8 - b.leading_zeros()),
        None => 0,
    }
}

/// A ServerKeyExchange's parameters for `suite` at `version`: a DHE prime
/// or an ECDHE named curve, then (TLS 1.2) the signature scheme.
fn server_key_exchange(params: &[u8], suite: u16, version: Version) -> Option<Kx> {
    use tls_parser::{ECParametersContent, TlsCipherKx};
    let kx = TlsCipherSuite::from_id(suite)?.kx;
    let scheme = |rest: &[u8]| -> Option<String> {
        (version >= Version::TLS12 && rest.len() >= 2).then(|| {
            imap_doctor_engine::tls::signature_scheme(u16::from_be_bytes([rest[0], rest[1]]))
        })
    };
    match kx {
        TlsCipherKx::Dhe => {
            let (rest, dh) = tls_parser::parse_dh_params(params).ok()?;
            Some(Kx {
                group: "dh".into(),
                bits: Some(bit_length(dh.dh_p)),
                signature: scheme(rest),
            })
        }
        TlsCipherKx::Ecdhe => {
            let (rest, ec) = tls_parser::parse_ecdh_params(params).ok()?;
            match ec.curve_params.params_content {
                ECParametersContent::NamedGroup(g) => Some(Kx::named(g.0, scheme(rest))),
                _ => Some(Kx {
                    group: "explicit curve".into(),
                    bits: None,
                    signature: scheme(rest),
                }),
            }
        }
        _ => None,
    }
}

/// The suites a ClientHello offers for TLS ≤ 1.2: every suite tls-parser
/// knows that a server could pick without extra configuration (no PSK, SRP,
/// Kerberos, GOST), Java's own default order first, so that a server that
/// follows the client's preference picks what Java would get.
fn legacy_suites() -> Vec<u16> {
    let mut java: Vec<u16> = imap_doctor_engine::tls::java::Profile::Java8u281
        .suites(Version::TLS12)
        .into_iter()
        .chain(imap_doctor_engine::tls::java::Profile::Java21.suites(Version::TLS12))
        .filter_map(|n| TlsCipherSuite::from_name(n).map(|s| s.id.0))
        .collect();
    let mut rest: Vec<u16> = tls_parser::CIPHERS
        .values()
        .filter(|s| {
            let n = s.name;
            let id = s.id.0;
            !(0x1300..=0x13ff).contains(&id)
                && id != 0x00ff
                && id != 0x5600
                && !n.contains("PSK")
                && !n.contains("SRP")
                && !n.contains("KRB5")
                && !n.contains("GOST")
                && n.starts_with("TLS_")
        })
        .map(|s| s.id.0)
        .collect();
    rest.sort_unstable();
    let mut seen = std::collections::HashSet::new();
    java.retain(|id| seen.insert(*id));
    rest.retain(|id| seen.insert(*id));
    java.extend(rest);
    // A bounded hello: old servers mishandle very long ones.
    java.truncate(200);
    java
}

fn random(buf: &mut [u8]) {
    // rustls's provider is already linked; its SecureRandom is the system's.
    let p = rustls::crypto::ring::default_provider();
    if p.secure_random.fill(buf).is_err() {
        // Without randomness the scan still works (the server's answer is
        // all it needs); a fixed pattern keeps it deterministic.
        for (i, b) in buf.iter_mut().enumerate() {
            *b = i as u8;
        }
    }
}

fn push_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// Wraps `body` with a two-byte length.
fn with_len16(out: &mut Vec<u8>, body: &[u8]) {
    push_u16(out, body.len() as u16);
    out.extend_from_slice(body);
}

fn extension(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    push_u16(out, kind);
    with_len16(out, body);
}

/// One ClientHello record for `version` offering `suites`.
pub fn client_hello(version: Version, suites: &[u16], host: &str) -> Vec<u8> {
    let tls13 = version == Version::TLS13;
    let mut ext = Vec::new();
    // SNI, unless the name is an address (RFC 6066 forbids those).
    if host.parse::<std::net::IpAddr>().is_err() && !host.is_empty() && host.len() < 256 {
        let mut name = vec![0u8];
        with_len16(&mut name, host.as_bytes());
        let mut list = Vec::new();
        with_len16(&mut list, &name);
        extension(&mut ext, 0x0000, &list);
    }
    // supported_groups: the named groups Java offers by default (Java 8
    // and 11: P-256, P-384, P-521, ffdhe2048 … 8192; Java 13+ also x25519
    // and x448), the older Javas' first, so that a server following the
    // client's order picks a group every Java has; a server with none of
    // them refuses the scan as it refuses Java.
    let mut groups = Vec::new();
    for g in [
        0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x001d, 0x001e,
    ] {
        push_u16(&mut groups, g);
    }
    let mut body = Vec::new();
    with_len16(&mut body, &groups);
    extension(&mut ext, 0x000a, &body);
    // ec_point_formats: uncompressed.
    extension(&mut ext, 0x000b, &[1, 0]);
    if version >= Version::TLS12 {
        // signature_algorithms (only meaningful from TLS 1.2).
        let mut algs = Vec::new();
        for a in [
            0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201,
        ] {
            push_u16(&mut algs, a);
        }
        let mut body = Vec::new();
        with_len16(&mut body, &algs);
        extension(&mut ext, 0x000d, &body);
    }
    if tls13 {
        // supported_versions: 1.3 only, so the answer says whether 1.3 is on.
        extension(&mut ext, 0x002b, &[2, 0x03, 0x04]);
        // psk_key_exchange_modes (psk_dhe_ke): some servers want it.
        extension(&mut ext, 0x002d, &[1, 1]);
        // key_share: a random X25519 public key (any 32 bytes are one); the
        // handshake is never finished, so no private key is kept.
        let mut key = [0u8; 32];
        random(&mut key);
        let mut share = Vec::new();
        push_u16(&mut share, 0x001d);
        with_len16(&mut share, &key);
        let mut body = Vec::new();
        with_len16(&mut body, &share);
        extension(&mut ext, 0x0033, &body);
    }

    let mut hello = Vec::new();
    // legacy_version: TLS 1.3 hellos say 1.2 (RFC 8446 4.1.2).
    push_u16(&mut hello, if tls13 { 0x0303 } else { version.0 });
    let mut rnd = [0u8; 32];
    random(&mut rnd);
    hello.extend_from_slice(&rnd);
    if tls13 {
        // A session id, as middlebox-compatible 1.3 clients send.
        let mut sid = [0u8; 32];
        random(&mut sid);
        hello.push(32);
        hello.extend_from_slice(&sid);
    } else {
        hello.push(0);
    }
    let mut cs = Vec::new();
    for s in suites {
        push_u16(&mut cs, *s);
    }
    // The renegotiation SCSV: a safe client, as every current client is.
    push_u16(&mut cs, 0x00ff);
    with_len16(&mut hello, &cs);
    hello.extend_from_slice(&[1, 0]); // compression: null only
    with_len16(&mut hello, &ext);

    let mut hs = vec![0x01];
    let n = hello.len() as u32;
    hs.extend_from_slice(&n.to_be_bytes()[1..]);
    hs.extend_from_slice(&hello);
    // Record version 1.0: what clients send for the widest reach.
    let mut rec = vec![0x16, 0x03, 0x01];
    with_len16(&mut rec, &hs);
    rec
}

fn alert_name(code: u8) -> String {
    match code {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        40 => "handshake_failure",
        42 => "bad_certificate",
        47 => "illegal_parameter",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        109 => "missing_extension",
        112 => "unrecognized_name",
        _ => return format!("alert {code}"),
    }
    .to_string()
}

fn io_refusal(e: &std::io::Error) -> Refusal {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::TimedOut | K::WouldBlock => Refusal::Timeout,
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => Refusal::Reset,
        K::UnexpectedEof => Refusal::Closed,
        _ => Refusal::Other(e.to_string()),
    }
}

/// Parses the whole handshake messages in `hs` from `*used` on; an answer
/// once the first flight is over (or unparseable).
fn messages(hs: &[u8], used: &mut usize, f: &mut Flight) -> Option<Answer> {
    loop {
        match parse_tls_message_handshake(&hs[*used..]) {
            Ok((rest, msg)) => {
                let n = hs.len() - *used - rest.len();
                *used += n;
                let TlsMessage::Handshake(m) = msg else {
                    continue;
                };
                match m {
                    TlsMessageHandshake::ServerHello(sh) => {
                        let mut v = Version(sh.version.0);
                        let mut share = None;
                        if let Some(Ok((_, exts))) = sh.ext.map(parse_tls_server_hello_extensions) {
                            for e in exts {
                                match e {
                                    TlsExtension::SupportedVersions(vs) => {
                                        if let Some(s) = vs.first() {
                                            v = Version(s.0);
                                        }
                                    }
                                    // The server's key share (or, in a
                                    // HelloRetryRequest, the group it asks
                                    // for) starts with the group.
                                    TlsExtension::KeyShare(k) if k.len() >= 2 => {
                                        share = Some(u16::from_be_bytes([k[0], k[1]]));
                                    }
                                    _ => {}
                                }
                            }
                        }
                        f.hello = Some((v, sh.cipher.0));
                        if v >= Version::TLS13 {
                            // The rest is encrypted.
                            f.kx = share.map(|g| Kx::named(g, None));
                            return f.answer();
                        }
                    }
                    TlsMessageHandshake::Certificate(c) => {
                        f.chain = c.cert_chain.iter().map(|c| c.data.to_vec()).collect();
                    }
                    TlsMessageHandshake::ServerKeyExchange(ske) => {
                        if let Some((v, suite)) = f.hello {
                            f.kx = server_key_exchange(ske.parameters, suite, v);
                        }
                    }
                    TlsMessageHandshake::ServerDone(_) if f.hello.is_some() => {
                        return f.answer();
                    }
                    _ => {}
                }
            }
            Err(e) if e.is_incomplete() => return None,
            Err(_) => {
                return f.answer().or(Some(Answer::Refused(Refusal::Other(
                    "an unparseable handshake message".into(),
                ))))
            }
        }
    }
}

/// Reads records until the first flight is over (ServerHelloDone, a TLS
/// 1.3 ServerHello, an alert), the size bound, or the deadline.
fn read_answer<S: Read>(sock: &mut S) -> Answer {
    let mut raw: Vec<u8> = Vec::new();
    // Handshake bytes across records (a Certificate spans several).
    let mut hs: Vec<u8> = Vec::new();
    let mut used = 0; // bytes of `raw` consumed as records
    let mut hs_used = 0; // bytes of `hs` consumed as messages
    let mut f = Flight::default();
    loop {
        // Whole records first.
        loop {
            match parse_tls_raw_record(&raw[used..]) {
                Ok((rest, rec)) => {
                    let n = raw.len() - used - rest.len();
                    match rec.hdr.record_type {
                        TlsRecordType::Alert => {
                            if let Ok((_, TlsMessage::Alert(a))) = parse_tls_message_alert(rec.data)
                            {
                                return Answer::Refused(Refusal::Alert(alert_name(a.code.0)));
                            }
                            return Answer::Refused(Refusal::Other("an unreadable alert".into()));
                        }
                        TlsRecordType::Handshake => {
                            hs.extend_from_slice(rec.data);
                            if let Some(a) = messages(&hs, &mut hs_used, &mut f) {
                                return a;
                            }
                        }
                        // After a TLS 1.3 ServerHello (or anything else): done.
                        _ => {
                            return f.answer().unwrap_or_else(|| {
                                Answer::Refused(Refusal::Other(format!(
                                    "a {:?} record before any ServerHello",
                                    rec.hdr.record_type
                                )))
                            });
                        }
                    }
                    used += n;
                }
                Err(e) if e.is_incomplete() => break,
                Err(_) => {
                    let first = raw.get(used).copied().unwrap_or(0);
                    return Answer::Refused(Refusal::Other(if first == b'*' {
                        "a plain-text IMAP line instead of TLS".into()
                    } else {
                        "an answer that is not TLS".into()
                    }));
                }
            }
        }
        if raw.len() >= MAX_ANSWER {
            return f.answer().unwrap_or_else(|| {
                Answer::Refused(Refusal::Other(format!(
                    "more than {MAX_ANSWER} bytes without a ServerHello"
                )))
            });
        }
        let mut buf = [0u8; 8192];
        let want = buf.len().min(MAX_ANSWER - raw.len());
        match sock.read(&mut buf[..want]) {
            Ok(0) => return f.answer().unwrap_or(Answer::Refused(Refusal::Closed)),
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            // A ServerHello already answers the question.
            Err(e) => return f.answer().unwrap_or(Answer::Refused(io_refusal(&e))),
        }
    }
}

/// The IMAP STARTTLS exchange on a fresh connection (greeting, STARTTLS,
/// tagged OK), as the probe's session does it; the socket back, ready for
/// the ClientHello.
fn starttls(sock: DeadlineStream) -> Result<DeadlineStream, Refusal> {
    let mut lines = Lines::new(sock);
    let greeting = lines
        .read_line()
        .map_err(|e| Refusal::Other(format!("greeting: {e}")))?;
    if !greeting.starts_with("* OK") {
        return Err(Refusal::Other(format!(
            "greeting: {}",
            greeting.chars().take(100).collect::<String>()
        )));
    }
    match lines.command("s1", "STARTTLS") {
        Ok((_, status)) if status.split_whitespace().nth(1) == Some("OK") => {}
        Ok((_, status)) => {
            return Err(Refusal::Other(format!(
                "STARTTLS: {}",
                status.chars().take(100).collect::<String>()
            )))
        }
        Err(e) => return Err(Refusal::Other(format!("STARTTLS: {e}"))),
    }
    if !lines.pending().is_empty() {
        // Bytes after the OK would be injected into the TLS stream.
        return Err(Refusal::Other("data after the STARTTLS answer".into()));
    }
    Ok(lines.stream)
}

/// One connection: connect, STARTTLS if asked, the ClientHello, the answer.
fn ask(t: &Target<'_>, version: Version, suites: &[u16]) -> Answer {
    let now = Instant::now();
    let deadline = (now + t.timeout).min(t.deadline);
    let left = deadline.saturating_duration_since(now);
    if left < Duration::from_millis(1) {
        return Answer::Refused(Refusal::Timeout);
    }
    let sock = match TcpStream::connect_timeout(&t.addr, left) {
        Ok(s) => s,
        Err(e) => return Answer::Refused(Refusal::Other(format!("connect: {e}"))),
    };
    let mut sock = DeadlineStream::new(sock, deadline);
    if t.starttls {
        sock = match starttls(sock) {
            Ok(s) => s,
            Err(r) => return Answer::Refused(r),
        };
    }
    let hello = client_hello(version, suites, t.host);
    if let Err(e) = sock.write_all(&hello).and_then(|_| sock.flush()) {
        return Answer::Refused(io_refusal(&e));
    }
    read_answer(&mut sock)
}

fn key_exchange(suite: u16, kx: Option<Kx>) -> Option<KeyExchange> {
    kx.map(|k| KeyExchange {
        suite: suite_name(suite),
        group: k.group,
        bits: k.bits,
        signature: k.signature,
    })
}

fn suite_name(id: u16) -> String {
    TlsCipherSuite::from_id(id)
        .map(|s| s.name.to_string())
        .unwrap_or_else(|| format!("0x{id:04X}"))
}

/// The scan: one ClientHello per version, newest first, then the suites of
/// each accepted version ≤ 1.2 (newest first) by removing the suite the
/// server chose and asking again, until it refuses or the budget is spent.
pub fn scan(t: &Target<'_>) -> Output {
    let mut out = Output::default();
    let legacy = legacy_suites();
    let tls13: Vec<u16> = [0x1302u16, 0x1301, 0x1303]
        .into_iter()
        .chain(legacy.iter().copied())
        .collect();
    for v in Version::ALL {
        if out.scan.connections >= MAX_CONNECTIONS || Instant::now() >= t.deadline {
            break;
        }
        let offer = if v == Version::TLS13 { &tls13 } else { &legacy };
        out.scan.connections += 1;
        let a = ask(t, v, offer);
        let mut vs = VersionScan {
            version: v,
            name: v.openssl().to_string(),
            accepted: false,
            refusal: None,
            suites: vec![],
            complete: false,
            key_exchange: vec![],
        };
        match a {
            Answer::Hello {
                version,
                suite,
                chain,
                kx,
            } if version == v => {
                vs.accepted = true;
                vs.suites.push(suite_name(suite));
                vs.key_exchange.extend(key_exchange(suite, kx));
                // Keep the chain of the newest version that sent one in
                // clear: that is what a client of that version sees.
                if out.chain.is_empty() && !chain.is_empty() {
                    out.chain = chain;
                    out.chain_from = Some((v, suite_name(suite)));
                }
            }
            Answer::Hello { version, .. } => {
                vs.refusal = Some(Refusal::OtherVersion(version));
            }
            Answer::Refused(r) => vs.refusal = Some(r),
        }
        out.scan.versions.push(vs);
    }
    // The suites of each accepted version up to 1.2.
    let to_list: Vec<usize> = (0..out.scan.versions.len())
        .filter(|&i| {
            let v = &out.scan.versions[i];
            v.accepted && v.version <= Version::TLS12
        })
        .collect();
    for (k, &i) in to_list.iter().enumerate() {
        let v = out.scan.versions[i].version;
        // Share what is left fairly among the versions still to list.
        let share = (MAX_CONNECTIONS - out.scan.connections) / (to_list.len() - k);
        let mut spent = 0;
        loop {
            if out.scan.versions[i].suites.len() >= MAX_SUITES_PER_VERSION
                || spent >= share
                || Instant::now() >= t.deadline
            {
                break;
            }
            let found: Vec<u16> = out.scan.versions[i]
                .suites
                .iter()
                .filter_map(|n| TlsCipherSuite::from_name(n).map(|s| s.id.0))
                .collect();
            let offer: Vec<u16> = legacy
                .iter()
                .copied()
                .filter(|s| !found.contains(s))
                .collect();
            out.scan.connections += 1;
            spent += 1;
            match ask(t, v, &offer) {
                Answer::Hello {
                    version, suite, kx, ..
                } if version == v && offer.contains(&suite) => {
                    out.scan.versions[i].suites.push(suite_name(suite));
                    out.scan.versions[i]
                        .key_exchange
                        .extend(key_exchange(suite, kx));
                }
                // A refusal (alert or close) with the chosen suites taken
                // away: the list is complete. A timeout or reset says
                // nothing for sure.
                Answer::Refused(Refusal::Alert(_)) | Answer::Refused(Refusal::Closed) => {
                    out.scan.versions[i].complete = true;
                    break;
                }
                _ => break,
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hellos_parse_back_with_tls_parser() {
        for v in Version::ALL {
            let suites = legacy_suites();
            let rec = client_hello(v, &suites, "mail.example.com");
            let (rest, r) = parse_tls_raw_record(&rec).expect("a record");
            assert!(rest.is_empty());
            let (_, m) = parse_tls_message_handshake(r.data).expect("a handshake message");
            let TlsMessage::Handshake(TlsMessageHandshake::ClientHello(ch)) = m else {
                panic!("not a ClientHello: {m:?}");
            };
            assert_eq!(ch.version.0, v.0.min(0x0303));
            // The offered suites and the SCSV.
            assert_eq!(ch.ciphers.len(), suites.len() + 1);
            let ext = tls_parser::parse_tls_client_hello_extensions(ch.ext.unwrap())
                .expect("extensions")
                .1;
            let sni = ext
                .iter()
                .any(|e| matches!(e, TlsExtension::SNI(n) if n[0].1 == b"mail.example.com"));
            assert!(sni, "{ext:?}");
            let key_share = ext.iter().any(|e| matches!(e, TlsExtension::KeyShare(_)));
            assert_eq!(key_share, v == Version::TLS13);
        }
    }

    #[test]
    fn the_java_suites_come_first() {
        let s = legacy_suites();
        assert_eq!(suite_name(s[0]), "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        assert!(s.len() > 60 && s.len() <= 200, "{}", s.len());
        assert!(s.contains(&0x000a) && s.contains(&0x0005)); // 3DES, RC4
    }
}
