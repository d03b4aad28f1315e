//! Java runtimes and JavaMail: what each refuses by default
//! (`jdk.tls.disabledAlgorithms`, `jdk.certpath.disabledAlgorithms`; see the
//! reference notes), so findings can say which versions they apply to.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JavaProfile {
    /// Java 8 before update 291 (TLS 1.0/1.1 still enabled).
    Java8Old,
    /// Java 8u291 and later.
    Java8,
    Java11,
    #[default]
    Java17,
    Java21,
}

impl JavaProfile {
    pub const ALL: [JavaProfile; 5] = [
        JavaProfile::Java8Old,
        JavaProfile::Java8,
        JavaProfile::Java11,
        JavaProfile::Java17,
        JavaProfile::Java21,
    ];

    pub fn label(self) -> &'static str {
        match self {
            JavaProfile::Java8Old => "Java 8 before 8u291",
            JavaProfile::Java8 => "Java 8u291 or later",
            JavaProfile::Java11 => "Java 11",
            JavaProfile::Java17 => "Java 17",
            JavaProfile::Java21 => "Java 21",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            JavaProfile::Java8Old => "8-old",
            JavaProfile::Java8 => "8",
            JavaProfile::Java11 => "11",
            JavaProfile::Java17 => "17",
            JavaProfile::Java21 => "21",
        }
    }

    pub fn from_key(k: &str) -> Option<JavaProfile> {
        JavaProfile::ALL.into_iter().find(|p| p.key() == k)
    }

    /// TLS 1.0 and 1.1 are disabled (April 2021 updates: 8u291, 11.0.11, and 16+).
    pub fn refuses_tls10_11(self) -> bool {
        self != JavaProfile::Java8Old
    }

    /// `TLS_RSA_*` suites are disabled by default (JDK 24; January 2026
    /// updates of 21 and 17). Older updates of 8 and 11 still allow them.
    pub fn refuses_tls_rsa(self) -> bool {
        matches!(self, JavaProfile::Java17 | JavaProfile::Java21)
    }
}

/// The Java versions that refuse TLS 1.0/1.1, as findings name them.
pub const TLS10_REFUSED_BY: &str = "Java 8u291+, 11.0.11+, 17, 21";

/// A Java release: the line (8, 11, 17, 21, 25) and the update within it
/// (8u381 → update 381; 17.0.8 → update 8; 0 = the line's first release).
/// `None` as update means "the newest update the bundled data knows".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JavaRelease {
    pub line: u8,
    pub update: Option<u16>,
}

/// The lines whose trust stores are bundled.
pub const RELEASE_LINES: [u8; 5] = [8, 11, 17, 21, 25];

impl Default for JavaRelease {
    fn default() -> JavaRelease {
        JavaRelease {
            line: 17,
            update: None,
        }
    }
}

impl JavaRelease {
    /// Reads `8`, `8u381`, `1.8.0_381`, `11`, `11.0.20`, `17.0.8`, `21`,
    /// `25`, and the profile key `8-old` (an update before 8u291).
    pub fn parse(s: &str) -> Result<JavaRelease, String> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix("java").unwrap_or(&t).trim();
        let bad = || {
            format!(
                "{s:?} is not a Java release: give a line (8, 11, 17, 21, 25) or an update such as 8u381, 1.8.0_381, 11.0.20, 17.0.8"
            )
        };
        if t == "8-old" {
            return Ok(JavaRelease {
                line: 8,
                update: Some(281),
            });
        }
        let num = |x: &str| -> Result<u16, String> {
            if x.is_empty() || x.len() > 4 || !x.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            x.parse().map_err(|_| bad())
        };
        let (line, update) = if let Some(rest) = t.strip_prefix("1.8.0") {
            let u = rest.strip_prefix('_').map(num).transpose()?;
            (8, u)
        } else if let Some((l, u)) = t.split_once('u') {
            (
                num(l)?,
                Some(num(u.split(['-', '+', ' ']).next().unwrap_or(u))?),
            )
        } else {
            // 17, 17.0.8, 17.0.8.1, 17.0.8+7
            let core = t.split(['+', '-', ' ']).next().unwrap_or(t);
            let parts: Vec<&str> = core.split('.').collect();
            match parts.as_slice() {
                [l] => (num(l)?, None),
                [l, minor] => {
                    num(minor)?;
                    (num(l)?, Some(0))
                }
                [l, minor, u, ..] => {
                    num(minor)?;
                    (num(l)?, Some(num(u)?))
                }
                _ => return Err(bad()),
            }
        };
        let line = u8::try_from(line).map_err(|_| bad())?;
        if !RELEASE_LINES.contains(&line) {
            return Err(format!(
                "Java {line} is not a long-term release whose trust store is bundled; choose 8, 11, 17, 21 or 25 (a non-LTS release trusts what the LTS before it of the same date does)"
            ));
        }
        Ok(JavaRelease { line, update })
    }

    /// `8u381`, `17.0.8`, `17 (newest update known)`.
    pub fn label(&self) -> String {
        match (self.line, self.update) {
            (l, None) => format!("Java {l} (newest update)"),
            (8, Some(u)) => format!("Java 8u{u}"),
            (l, Some(0)) => format!("Java {l} GA"),
            (l, Some(u)) => format!("Java {l}.0.{u}"),
        }
    }

    /// How one update of this line is written.
    pub fn update_label(line: u8, update: u16) -> String {
        match (line, update) {
            (8, u) => format!("8u{u}"),
            (l, 0) => format!("{l} GA"),
            (l, u) => format!("{l}.0.{u}"),
        }
    }

    /// The protocol/cipher profile this release follows.
    pub fn profile(&self) -> JavaProfile {
        match (self.line, self.update) {
            (8, Some(u)) if u < 291 => JavaProfile::Java8Old,
            (8, _) => JavaProfile::Java8,
            (11, _) => JavaProfile::Java11,
            (17, _) => JavaProfile::Java17,
            _ => JavaProfile::Java21,
        }
    }

    /// The release a protocol profile stands for when no release is given.
    pub fn from_profile(p: JavaProfile) -> JavaRelease {
        match p {
            JavaProfile::Java8Old => JavaRelease {
                line: 8,
                update: Some(281),
            },
            JavaProfile::Java8 => JavaRelease {
                line: 8,
                update: None,
            },
            JavaProfile::Java11 => JavaRelease {
                line: 11,
                update: None,
            },
            JavaProfile::Java17 => JavaRelease {
                line: 17,
                update: None,
            },
            JavaProfile::Java21 => JavaRelease {
                line: 21,
                update: None,
            },
        }
    }
}

/// Which certificates the archiver's Java trusts by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrustStore {
    /// The JDK's own `lib/security/cacerts` (OpenJDK, Oracle, Zulu, Corretto,
    /// and runtimes bundled with an application), per release and update.
    #[default]
    Jdk,
    /// Debian/Ubuntu packaged Java: `/etc/ssl/certs/java/cacerts` from
    /// `ca-certificates-java` (Mozilla's list as Debian 12 ships it).
    Debian,
    /// A `cacerts` generated from Mozilla's current list (Eclipse Temurin
    /// builds do this): the bundled Mozilla set.
    Mozilla,
    /// The archiver's own keystore replaces cacerts (MailArchiva's
    /// certificate store): only the certificates given as trusted count.
    ArchiverOnly,
}

impl TrustStore {
    pub const ALL: [TrustStore; 4] = [
        TrustStore::Jdk,
        TrustStore::Debian,
        TrustStore::Mozilla,
        TrustStore::ArchiverOnly,
    ];

    pub fn key(self) -> &'static str {
        match self {
            TrustStore::Jdk => "jdk",
            TrustStore::Debian => "debian",
            TrustStore::Mozilla => "mozilla",
            TrustStore::ArchiverOnly => "archiver-only",
        }
    }

    pub fn from_key(k: &str) -> Option<TrustStore> {
        TrustStore::ALL.into_iter().find(|t| t.key() == k)
    }

    pub fn label(self) -> &'static str {
        match self {
            TrustStore::Jdk => {
                "the JDK's own cacerts (OpenJDK, Oracle, Zulu, Corretto, bundled runtimes)"
            }
            TrustStore::Debian => "Debian/Ubuntu packaged Java (ca-certificates-java, Debian 12)",
            TrustStore::Mozilla => {
                "a cacerts generated from Mozilla's root list (e.g. Eclipse Temurin)"
            }
            TrustStore::ArchiverOnly => "only the archiver's own keystore (it replaces cacerts)",
        }
    }
}

/// The TLS version the archiver's Java negotiates with the server. Some
/// checks of the trust manager depend on it (see
/// [`JavaRelease::tls13_certificate_schemes_only`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TlsVersion {
    #[serde(rename = "1.2")]
    Tls12,
    #[serde(rename = "1.3")]
    Tls13,
}

impl TlsVersion {
    /// `1.2`, `1.3`, `TLSv1.2`, `TLSv1.3` (s_client's `Protocol` line).
    pub fn parse(s: &str) -> Option<TlsVersion> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix("tlsv").unwrap_or(&t);
        match t {
            "1.2" => Some(TlsVersion::Tls12),
            "1.3" => Some(TlsVersion::Tls13),
            _ => None,
        }
    }
}

impl JavaRelease {
    /// `HostnameChecker` (TYPE_TLS, endpoint identification "HTTPS") takes a
    /// wildcard only in the left-most label from JDK 19 on (JDK-7192189,
    /// RFC 6125; the rest of the name must then be equal). JDK 8, 11 and 17
    /// match a wildcard in any label (`mail.*.example.com`,
    /// `*.*.example.com`). Measured: 17.0.15 any label; 21.0.2, 21.0.4,
    /// 21.0.8 and 25.0.2 the left-most only.
    pub fn wildcard_leftmost_only(&self) -> bool {
        self.line >= 19
    }

    /// In a TLS 1.3 handshake, JDK 25 checks the server's certificate
    /// signatures against the signature schemes TLS 1.3 defines
    /// (JDK-8349583: the certificate-scope list is made for the negotiated
    /// version): RSA PKCS#1 and ECDSA with SHA-1/256/384/512, RSASSA-PSS and
    /// EdDSA pass; SHA-224 (RSA, ECDSA) and every DSA signature fail with
    /// "Algorithm constraints check failed". TLS 1.2 is unchanged, and JDK
    /// 17.0.15 and 21.0.8 accept all of them in both versions (measured with
    /// the differential oracle).
    pub fn tls13_certificate_schemes_only(&self) -> bool {
        self.line >= 25
    }

    /// JDK 21 and 25 cannot decode an ediPartyName written as RFC 5280
    /// writes it (`[5] { [1] UTF8String }`: Java looks for an implicit
    /// `[1]`) in NameConstraints: the certificate does not parse when the
    /// extension is critical, and the extension is dropped when it is not.
    /// 17 reads it with no partyName and fails only when it re-encodes
    /// merged constraints (measured on 17.0.15, 21.0.8 and 25.0.2).
    pub fn refuses_edi_party_name(&self) -> bool {
        self.line >= 21
    }

    /// From JDK 21 on, `X509CertImpl.getExtendedKeyUsage` and
    /// `getSubjectAlternativeNames` throw a CertificateParsingException for
    /// a non-critical extension that could not be decoded (17 returns null,
    /// as if it were absent). EndEntityChecker and the host-name check meet
    /// it (measured: 17.0.15 absent, 21.0.8 and 25.0.2 throw).
    pub fn throws_on_undecodable_eku_san(&self) -> bool {
        self.line >= 21
    }

    /// JDK 25 puts the TLS alert it sends in front of the handshake
    /// exception's message, e.g. `(certificate_unknown) PKIX path building
    /// failed: …`; 17 and 21 do not (measured: 17.0.15, 21.0.8, 25.0.2).
    pub fn alert_in_message(&self) -> bool {
        self.line >= 25
    }
}
