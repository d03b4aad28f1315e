//! What a TLS scan found out about a server (which protocol versions and
//! cipher suites it accepts), and what each Java would make of it.
//!
//! The probe gathers the facts with hand-built ClientHellos (it needs no TLS
//! library that still speaks TLS 1.0); everything here is pure logic, so the
//! page can judge a scan it is given just as the command line does.

pub mod java;

use serde::{Deserialize, Serialize};

use crate::rules::{Finding, Rule, Severity};

/// A protocol version by its wire code (0x0301 = TLS 1.0 … 0x0304 = TLS 1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version(pub u16);

impl Version {
    pub const TLS10: Version = Version(0x0301);
    pub const TLS11: Version = Version(0x0302);
    pub const TLS12: Version = Version(0x0303);
    pub const TLS13: Version = Version(0x0304);
    /// From the newest down: the order the scan asks in.
    pub const ALL: [Version; 4] = [Self::TLS13, Self::TLS12, Self::TLS11, Self::TLS10];

    /// The name OpenSSL prints (`Protocol : TLSv1`).
    pub fn openssl(self) -> &'static str {
        match self.0 {
            0x0301 => "TLSv1",
            0x0302 => "TLSv1.1",
            0x0303 => "TLSv1.2",
            0x0304 => "TLSv1.3",
            0x0300 => "SSLv3",
            _ => "unknown",
        }
    }

    /// The name Java's messages use (`TLS10`).
    pub fn java(self) -> &'static str {
        match self.0 {
            0x0301 => "TLS10",
            0x0302 => "TLS11",
            0x0303 => "TLS12",
            0x0304 => "TLS13",
            0x0300 => "SSL30",
            _ => "NONE",
        }
    }

    pub fn is_legacy(self) -> bool {
        self.0 < 0x0303
    }
}

/// Why a ClientHello got no ServerHello.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Refusal {
    /// A TLS alert, by its RFC name (`protocol_version`, `handshake_failure`).
    Alert(String),
    /// The server closed the connection without a word.
    Closed,
    /// The server reset the connection.
    Reset,
    /// No answer within the step's deadline.
    Timeout,
    /// A ServerHello of another (lower) version. Asked with TLS 1.3's
    /// supported_versions extension, this says the server ignores that
    /// extension and picks by the hello's legacy version, as servers that
    /// predate TLS 1.3 do: a Java offering 1.3 and 1.2 then reads a
    /// ServerHello it refuses.
    OtherVersion(Version),
    /// Anything else (not TLS, unparseable, connect failed), said in words.
    Other(String),
}

impl Refusal {
    pub fn text(&self) -> String {
        match self {
            Refusal::Alert(a) => format!("fatal alert {a}"),
            Refusal::Closed => "connection closed".into(),
            Refusal::Reset => "connection reset".into(),
            Refusal::Timeout => "no answer in time".into(),
            Refusal::OtherVersion(v) => format!("the server answered with {} instead", v.openssl()),
            Refusal::Other(s) => s.clone(),
        }
    }
}

/// What the server answered for one protocol version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionScan {
    pub version: Version,
    /// `TLSv1` …, for readers of the JSON.
    pub name: String,
    /// The server answered with a ServerHello of this very version.
    pub accepted: bool,
    /// When not accepted: the answer (or a ServerHello of another version,
    /// said in words).
    pub refusal: Option<Refusal>,
    /// The cipher suites it chose (IANA names), in the order it chose them
    /// while the scan removed each chosen one and asked again.
    pub suites: Vec<String>,
    /// True when the enumeration ended with a refusal: the server accepts no
    /// other suite the scan offers. False when the scan's budget ended it.
    pub complete: bool,
    /// The server's ephemeral key and handshake signature for the suites
    /// above, where its first flight showed them (ServerKeyExchange up to
    /// TLS 1.2, the key_share of a TLS 1.3 ServerHello).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_exchange: Vec<KeyExchange>,
}

/// The ephemeral key exchange of one answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyExchange {
    /// The suite it belongs to (IANA name).
    pub suite: String,
    /// The named group (`x25519`, `secp256r1`, `ffdhe2048`, …), or `dh` for
    /// a DHE prime the server chose itself.
    pub group: String,
    /// The key size Java's `keySize` constraints compare: the DH prime's
    /// bits, or the curve's.
    pub bits: Option<u32>,
    /// The ServerKeyExchange's signature scheme (TLS 1.2; IANA name).
    pub signature: Option<String>,
}

/// A named group's IANA name and key size (RFC 8422, 7919, 8446).
pub fn group(code: u16) -> (String, Option<u32>) {
    let (n, b) = match code {
        0x0013 => ("secp192r1", 192),
        0x0014 => ("secp224k1", 224),
        0x0015 => ("secp224r1", 224),
        0x0016 => ("secp256k1", 256),
        0x0017 => ("secp256r1", 256),
        0x0018 => ("secp384r1", 384),
        0x0019 => ("secp521r1", 521),
        0x001a => ("brainpoolP256r1", 256),
        0x001b => ("brainpoolP384r1", 384),
        0x001c => ("brainpoolP512r1", 512),
        0x001d => ("x25519", 255),
        0x001e => ("x448", 448),
        0x0100 => ("ffdhe2048", 2048),
        0x0101 => ("ffdhe3072", 3072),
        0x0102 => ("ffdhe4096", 4096),
        0x0103 => ("ffdhe6144", 6144),
        0x0104 => ("ffdhe8192", 8192),
        _ => return (format!("0x{code:04x}"), None),
    };
    (n.to_string(), Some(b))
}

/// A TLS 1.2 signature scheme's IANA name (RFC 8446 4.2.3, RFC 5246).
pub fn signature_scheme(code: u16) -> String {
    match code {
        0x0101 => "rsa_md5",
        0x0201 => "rsa_pkcs1_sha1",
        0x0202 => "dsa_sha1",
        0x0203 => "ecdsa_sha1",
        0x0301 => "rsa_sha224",
        0x0303 => "ecdsa_sha224",
        0x0401 => "rsa_pkcs1_sha256",
        0x0402 => "dsa_sha256",
        0x0403 => "ecdsa_secp256r1_sha256",
        0x0501 => "rsa_pkcs1_sha384",
        0x0503 => "ecdsa_secp384r1_sha384",
        0x0601 => "rsa_pkcs1_sha512",
        0x0603 => "ecdsa_secp521r1_sha512",
        0x0804 => "rsa_pss_rsae_sha256",
        0x0805 => "rsa_pss_rsae_sha384",
        0x0806 => "rsa_pss_rsae_sha512",
        0x0807 => "ed25519",
        0x0808 => "ed448",
        0x0809 => "rsa_pss_pss_sha256",
        0x080a => "rsa_pss_pss_sha384",
        0x080b => "rsa_pss_pss_sha512",
        _ => return format!("0x{code:04x}"),
    }
    .to_string()
}

/// The whole scan: one entry per version asked, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scan {
    pub versions: Vec<VersionScan>,
    /// How many connections the scan made.
    pub connections: usize,
}

impl Scan {
    pub fn get(&self, v: Version) -> Option<&VersionScan> {
        self.versions.iter().find(|s| s.version == v)
    }

    pub fn accepted(&self) -> Vec<Version> {
        self.versions
            .iter()
            .filter(|s| s.accepted)
            .map(|s| s.version)
            .collect()
    }
}

/// Why a cipher suite is weak for Java (`None` when it is not), from its
/// IANA name.
pub fn weakness(suite: &str) -> Option<&'static str> {
    let s = suite;
    if s.contains("_anon_") {
        Some("anonymous (no server authentication; Java disables \"anon\")")
    } else if s.contains("_WITH_NULL_") || s.contains("NULL_WITH_NULL") {
        Some("no encryption (Java disables \"NULL\")")
    } else if s.contains("EXPORT") {
        Some("export-grade (removed from Java)")
    } else if s.contains("_RC4_") {
        Some("RC4 (Java disables \"RC4\")")
    } else if s.contains("3DES_EDE_CBC") {
        Some("3DES (Java disables \"3DES_EDE_CBC\")")
    } else if s.contains("_DES_CBC_") || s.contains("DES40") {
        Some("single DES (Java disables \"DES\")")
    } else if s.starts_with("TLS_ECDH_") {
        Some("static ECDH key exchange (java.security disables \"ECDH\" in 11.0.25+, 21 and 25 and the current 8 and 17 updates)")
    } else if s.starts_with("TLS_RSA_") {
        Some("RSA key exchange without forward secrecy (java.security disables \"TLS_RSA_*\" in 11.0.30+, 17.0.19 and 25)")
    } else {
        None
    }
}

/// The findings a scan carries: `tls.legacy-protocol` when TLS 1.0/1.1 is
/// accepted, `tls.weak-cipher` when a weak suite is, and
/// `tls.handshake-failed` when no version is. Each with the Java table.
pub fn findings(scan: &Scan, rows: &[java::Row]) -> Vec<Finding> {
    let mut out = Vec::new();
    let accepted = scan.accepted();
    let table: Vec<String> = rows.iter().map(|r| r.line()).collect();
    let per_version: Vec<String> = scan
        .versions
        .iter()
        .map(|v| {
            if v.accepted {
                format!(
                    "{}: accepted, suites {}{}",
                    v.name,
                    v.suites.join(", "),
                    if v.complete {
                        ""
                    } else {
                        " (the scan's budget ended the list)"
                    }
                )
            } else {
                format!(
                    "{}: refused ({})",
                    v.name,
                    v.refusal.as_ref().map(|r| r.text()).unwrap_or_default()
                )
            }
        })
        .collect();
    let modern_fails = rows.iter().filter(|r| r.profile.modern()).any(|r| {
        r.outcome == java::Outcome::Fails
            && r.message
                .as_deref()
                .is_some_and(|m| m.contains("handshake_failure"))
    });
    let legacy: Vec<&str> = accepted
        .iter()
        .filter(|v| v.is_legacy())
        .map(|v| v.openssl())
        .collect();
    if !legacy.is_empty() {
        let only_legacy = accepted.iter().all(|v| v.is_legacy());
        let (sev, msg) = if only_legacy {
            // What current Java says depends on the server: one that predates
            // TLS 1.3 answers with its old version, which Java rejects by
            // name; a newer TLS library refuses Java's hello instead.
            let says = rows
                .iter()
                .find(|r| r.profile == java::Profile::Java17)
                .and_then(|r| r.message.clone())
                .unwrap_or_else(|| format!("The server selected protocol version {} is not accepted by client preferences …", accepted.iter().max().map(|v| v.java()).unwrap_or("TLS10")));
            (Severity::Error, format!("The server accepts only {}: Java 8u291+, 11.0.11+, 17, 21 and 25 refuse TLS 1.0 and 1.1 (Java 17 here: \"{says}\"); only Java 8 before 8u291 (or a Java with TLSv1 removed from jdk.tls.disabledAlgorithms) connects.", legacy.join(" and ")))
        } else {
            (Severity::Warning, format!("The server still accepts {} besides TLS 1.2/1.3. Current Java negotiates TLS 1.2 or 1.3 and is not affected; a client pinned to TLSv1 (mail.imap.ssl.protocols=TLSv1) fails with \"No appropriate protocol (protocol is disabled or cipher suites are inappropriate)\".", legacy.join(" and ")))
        };
        out.push(
            Finding::new(Rule::TlsLegacyProtocol, sev, msg)
                .evidence(per_version.join("; "))
                .evidence(format!("Java simulation: {}", table.join(" | ")))
                .fix([
                    "Enable TLS 1.2 on the mail server: on Exchange's Windows Server set the SCHANNEL\\Protocols\\TLS 1.2\\Client and \\Server keys Enabled=1, DisabledByDefault=0, and SchUseStrongCrypto=1 for .NET, then restart.",
                    "Then disable TLS 1.0 and 1.1 on the server.",
                    "Do not re-enable TLSv1 in the archiver's java.security except as a short, documented stopgap.",
                ]),
        );
    }
    let weak: Vec<String> = scan
        .versions
        .iter()
        .flat_map(|v| {
            v.suites
                .iter()
                .filter_map(move |s| weakness(s).map(|w| format!("{s} in {} ({w})", v.name)))
        })
        .collect();
    if !weak.is_empty() {
        let sev = if modern_fails {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(
            Finding::new(
                Rule::TlsWeakCipher,
                sev,
                if modern_fails {
                    "The server accepts cipher suites that current Java disables, and no suite current Java enables for the version it negotiates: the handshake fails (\"Received fatal alert: handshake_failure\").".to_string()
                } else {
                    "The server accepts cipher suites that Java disables (or will disable); the Java versions in the table still find a common suite.".to_string()
                },
            )
            .evidence(weak.join("; "))
            .evidence(format!("Java simulation: {}", table.join(" | ")))
            .fix([
                "Enable ECDHE key exchange with AES-GCM suites on the server (on Windows: the SSL Cipher Suite Order policy or Enable-TlsCipherSuite TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384).",
                "Disable RC4, 3DES, NULL/anonymous and, where clients allow, TLS_RSA_* suites on the server.",
            ]),
        );
    }
    if accepted.is_empty() && !scan.versions.is_empty() {
        out.push(
            Finding::new(
                Rule::TlsHandshakeFailed,
                Severity::Error,
                "The server answered no ClientHello of the scan (TLS 1.0 to 1.3) with a ServerHello: no Java can connect.",
            )
            .evidence(per_version.join("; "))
            .fix([
                "Check that this port speaks TLS, and that a certificate is bound to the IMAP service (Enable-ExchangeCertificate -Services IMAP).",
                "Check for a device in between (IPS, load balancer) that resets TLS connections.",
            ]),
        );
    }
    out
}
