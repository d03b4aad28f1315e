//! The chain walk, modelled on what a stock JVM does when JSSE validates a
//! server's certificates (`sun.security.validator.PKIXValidator`):
//!
//! 1. If the server's first certificate is itself trusted, Java accepts it
//!    without further checks.
//! 2. If the presented list is ordered by name (each Subject DN equals the
//!    Issuer DN before it) and reaches a trusted certificate, or its last
//!    certificate is issued by a trusted subject whose key verifies it, Java
//!    *validates that list as given* ([`Mode::Validate`]): no alternative
//!    certificates are tried.
//! 3. Otherwise Java *builds* a path ([`Mode::Build`]): depth first from the
//!    server certificate, issuers are found by Subject DN = Issuer DN (and
//!    SKI = AKI when both are there), first among trust anchors, then among
//!    the presented certificates; any complete path that validates wins.
//!    Java never downloads a missing certificate (AIA fetching is off).
//!
//! Validation checks signatures, validity at the analysis time (not of the
//! anchor), CA basic constraints, keyCertSign, path length, the leaf's
//! serverAuth EKU, and Java 17's `jdk.certpath.disabledAlgorithms`.
//! The search is bounded in depth, visited nodes and signature checks.

use std::collections::HashMap;

use crate::java::{JavaRelease, TlsVersion};
use crate::x509::cert::{Certificate, Hash, KeyInfo, Source};
use crate::x509::sig::{verify, SigCheck};

/// How far a path may go (certificates below the anchor).
pub const MAX_DEPTH: usize = 10;
/// Most search steps before giving up.
pub const MAX_STEPS: usize = 20_000;
/// Most signature verifications in one analysis.
pub const MAX_SIGNATURE_CHECKS: usize = 3_000;

/// One certificate in the pool the walk draws from.
#[derive(Clone, Debug)]
pub struct Entry {
    pub cert: std::sync::Arc<Certificate>,
    pub source: Source,
    /// Position within its source (0 = first presented).
    pub position: usize,
    /// Alias or file name, when the user gave one.
    pub label: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Trusted,
    MissingIntermediate,
    UntrustedRoot,
    Invalid,
    NoCertificates,
    /// The walk could not decide: its search budget ran out, or a signature
    /// on the only path could not be checked here.
    Inconclusive,
}

impl Verdict {
    /// The verdict's name in the JSON report (the page's `data-verdict`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Trusted => "trusted",
            Verdict::MissingIntermediate => "missing-intermediate",
            Verdict::UntrustedRoot => "untrusted-root",
            Verdict::Invalid => "invalid",
            Verdict::NoCertificates => "no-certificates",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// Which of Java's two code paths the chain takes; it decides Java's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// The server's certificate is itself trusted.
    LeafTrusted,
    /// The presented list is validated as given ("PKIX path validation failed").
    Validate,
    /// A path is searched for ("PKIX path building failed").
    Build,
}

/// Something wrong with a certificate on the (partial) path. A walk lists
/// them in the order Java meets them, so the first is the one Java reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Expired {
        cert: usize,
    },
    NotYetValid {
        cert: usize,
    },
    /// `issuer` has the right name but its key does not verify `child`.
    BadSignature {
        child: usize,
        issuer: usize,
    },
    /// The signature algorithm or key type cannot be checked here.
    UnsupportedSignature {
        child: usize,
        issuer: usize,
    },
    /// `cert` signs `child` but is not a CA (basicConstraints).
    NotCa {
        cert: usize,
        child: usize,
    },
    /// `cert` signs but its key usage lacks keyCertSign.
    NoKeyCertSign {
        cert: usize,
    },
    /// `cert`'s pathLenConstraint allows fewer intermediates than follow it.
    PathLenExceeded {
        cert: usize,
        allowed: u32,
        found: u32,
    },
    WeakSignature {
        cert: usize,
        hash: Hash,
        public_anchor: bool,
    },
    WeakKey {
        cert: usize,
    },
    /// The server certificate's EKU does not allow TLS server use.
    LeafUsage {
        cert: usize,
    },
    /// The server certificate's key usage lacks digitalSignature, which
    /// JSSE's EndEntityChecker requires for the ECDHE suites and TLS 1.3.
    LeafKeyUsage {
        cert: usize,
    },
    /// The trusted certificate the path ends at is not a CA (`not_ca`) or its
    /// key usage lacks keyCertSign (`PKIXValidator.verifyTrustAnchor`).
    BadAnchor {
        anchor: usize,
        not_ca: bool,
    },
    /// `cert` has a name that `ca`'s NameConstraints do not permit.
    NameConstraints {
        cert: usize,
        ca: usize,
        name: String,
    },
    /// Java throws while it merges `cert`'s name constraints with those
    /// above it (see `nc::merge_failure`), or while it compares `cert`'s
    /// names with them; `message` is what the handshake says.
    NameConstraintsMerge {
        cert: usize,
        message: &'static str,
    },
    /// The server certificate's extended key usage cannot be decoded and
    /// the release's getter throws for it (see
    /// `JavaRelease::throws_on_undecodable_eku_san`).
    LeafEkuUnreadable {
        cert: usize,
    },
    /// Comparing `cert`'s names with the name constraints above it throws
    /// a RuntimeException Java does not catch: UnsupportedOperationException
    /// for two otherName, x400Address or ediPartyName names or two
    /// registeredIDs that differ, or (`npe`) a NullPointerException for a
    /// URI without a host against a URI constraint.
    NameConstraintsUnsupported {
        cert: usize,
        npe: bool,
    },
    /// `cert` carries critical extensions Java does not process.
    CriticalExtension {
        cert: usize,
        oids: Vec<String>,
    },
    /// The JDK cannot parse `cert`, so the handshake fails before any path.
    Unparseable {
        cert: usize,
        reason: String,
    },
    /// The chain is sent out of order, so Java builds a path, and its
    /// builder stops after `max` intermediate CAs (PKIXBuilderParameters'
    /// default maximum path length) below `below`.
    BuildTooDeep {
        below: usize,
        max: usize,
    },
    /// In a TLS 1.3 handshake JDK 25 accepts only certificate signatures
    /// that are TLS 1.3 signature schemes (no SHA-224, no DSA); the check is
    /// the trust manager's own AlgorithmChecker, which words its message
    /// differently for the first certificate below the anchor (`first`).
    Tls13SignatureScheme {
        cert: usize,
        first: bool,
    },
}

/// Where the walk stopped without reaching a trust anchor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeadEnd {
    /// No certificate with the needed Subject DN anywhere: `below` is the last
    /// certificate reached.
    MissingIssuer { below: usize },
    /// The walk reached a self-signed certificate that is not trusted.
    UntrustedSelfSigned { root: usize },
    /// Certificates with the right Subject DN exist, but none of their keys
    /// verifies `child`'s signature.
    BadSignature { child: usize, issuer: usize },
}

#[derive(Clone, Debug)]
pub struct Walk {
    pub verdict: Verdict,
    pub mode: Mode,
    /// Pool indices leaf first; ends with the anchor when one was reached.
    pub path: Vec<usize>,
    pub anchor: Option<usize>,
    pub dead_end: Option<DeadEnd>,
    pub problems: Vec<Problem>,
    /// The search hit a bound before it finished.
    pub exhausted: bool,
    /// There is no trust anchor at all: Java fails before any path work.
    pub no_anchors: bool,
}

/// Java's PKIXBuilderParameters allow 5 intermediate CAs by default.
pub const JAVA_BUILD_MAX_PATH: usize = 5;

/// Extensions some checker of Java's PKIX validator processes; any other
/// critical extension makes it fail with "unrecognized critical extension(s)".
const KNOWN_CRITICAL: [&str; 9] = [
    "2.5.29.15", // keyUsage
    "2.5.29.37", // extKeyUsage
    "2.5.29.17", // subjectAltName
    "2.5.29.19", // basicConstraints
    "2.5.29.30", // nameConstraints
    "2.5.29.32", // certificatePolicies
    "2.5.29.33", // policyMappings
    "2.5.29.36", // policyConstraints
    "2.5.29.54", // inhibitAnyPolicy
];

/// What a walk depends on besides the certificates: the analysis time in
/// milliseconds (Java compares `Date`s, so a certificate whose notAfter is
/// 12:00:00 has expired at 12:00:00.500), the Java release, and the TLS
/// version the handshake negotiates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub at_ms: i64,
    pub release: JavaRelease,
    pub tls: TlsVersion,
}

impl Policy {
    /// Java 17 (the default release) at `at` seconds, TLS 1.3.
    pub fn at(at: i64) -> Policy {
        Policy {
            at_ms: at.saturating_mul(1000),
            release: JavaRelease::default(),
            tls: TlsVersion::Tls13,
        }
    }
}

/// Whether Java finds `cert` expired at `at_ms` (`notAfter.before(date)`).
pub fn expired_at(cert: &Certificate, at_ms: i64) -> bool {
    cert.not_after.saturating_mul(1000) < at_ms
}

/// Whether Java finds `cert` not yet valid at `at_ms` (`notBefore.after(date)`).
pub fn not_yet_valid_at(cert: &Certificate, at_ms: i64) -> bool {
    cert.not_before.saturating_mul(1000) > at_ms
}

/// Whether a certificate signature is one of the schemes TLS 1.3 defines
/// for certificates (RFC 8446 4.2.3, as JDK 25's SignatureScheme lists
/// them): RSA PKCS#1 and ECDSA with SHA-1 or SHA-2 of 256 bits and more,
/// RSASSA-PSS, EdDSA. An algorithm the engine does not know is not judged.
fn tls13_certificate_scheme(alg: &crate::x509::cert::SignatureAlgorithm) -> bool {
    use crate::x509::cert::SignatureAlgorithm as S;
    match alg {
        S::RsaPkcs1 { hash } | S::Ecdsa { hash } => matches!(
            hash,
            Hash::Sha1 | Hash::Sha256 | Hash::Sha384 | Hash::Sha512
        ),
        S::RsaPss { .. } | S::Ed25519 | S::Unknown { .. } => true,
        S::Dsa { .. } => false,
    }
}

struct Search<'a> {
    pool: &'a [Entry],
    at_ms: i64,
    policy: Policy,
    /// Trust anchors by Java name key.
    anchors_by_subject: HashMap<&'a str, Vec<usize>>,
    /// Presented certificates by Java name key.
    presented_by_subject: HashMap<&'a str, Vec<usize>>,
    sig_cache: HashMap<(usize, usize), SigCheck>,
    sig_checks: usize,
    steps: usize,
    exhausted: bool,
    /// First complete path that failed validation, with its problems.
    invalid: Option<(Vec<usize>, usize, Vec<Problem>)>,
    /// Longest path that ended without an issuer.
    dead_end: Option<(Vec<usize>, DeadEnd)>,
    /// Where the builder's path length limit stopped the search.
    too_deep: Option<usize>,
}

impl<'a> Search<'a> {
    fn cert(&self, i: usize) -> &'a Certificate {
        &self.pool[i].cert
    }

    fn sig(&mut self, child: usize, issuer: usize) -> SigCheck {
        if let Some(r) = self.sig_cache.get(&(child, issuer)) {
            return *r;
        }
        if self.sig_checks >= MAX_SIGNATURE_CHECKS {
            // Out of budget: undecided, never "bad".
            self.exhausted = true;
            return SigCheck::Unsupported;
        }
        self.sig_checks += 1;
        let r = verify(self.cert(child), self.cert(issuer));
        self.sig_cache.insert((child, issuer), r);
        r
    }

    /// AKI/SKI must agree when both are present (the selector of Java's
    /// validator does this; its builder does not).
    fn key_ids_match(&self, child: usize, issuer: usize) -> bool {
        match (
            &self.cert(child).authority_key_id,
            &self.cert(issuer).subject_key_id,
        ) {
            (Some(a), Some(s)) => a == s,
            _ => true,
        }
    }

    /// The anchor that makes presented certificate `i` trusted: the same
    /// certificate, or one with the same subject and key.
    fn trusted_twin(&self, i: usize) -> Option<usize> {
        let c = self.cert(i);
        let candidates = self.anchors_by_subject.get(c.raw.subject_key.as_str())?;
        candidates
            .iter()
            .copied()
            .find(|&a| self.cert(a).raw.der == c.raw.der)
            .or_else(|| {
                candidates
                    .iter()
                    .copied()
                    .find(|&a| self.cert(a).raw.public_key() == c.raw.public_key())
            })
    }

    fn valid_at(&self, c: usize) -> bool {
        let cert = self.cert(c);
        !expired_at(cert, self.at_ms) && !not_yet_valid_at(cert, self.at_ms)
    }

    /// What `PKIXMasterCertPathValidator` finds on `path` (leaf first,
    /// without the anchor) below `anchor`, in the order it finds it: from
    /// the certificate below the anchor down to the leaf, and for each
    /// certificate AlgorithmChecker, KeyChecker (keyCertSign),
    /// ConstraintsChecker (basic constraints and path length, then name
    /// constraints), BasicChecker (signature, then validity), then the
    /// unresolved critical extensions.
    fn check_path(&mut self, path: &[usize], anchor: usize) -> Vec<Problem> {
        let mut problems = Vec::new();
        let public_anchor = self.pool[anchor].source == Source::PublicRoots;
        let n = path.len();
        // CAs on the path whose NameConstraints apply below them (the
        // anchor's own are ignored: PKIXValidator makes `TrustAnchor(cert, null)`).
        let mut constraining: Vec<usize> = Vec::new();
        let mut permitted: Vec<crate::x509::cert::ConstraintName> = Vec::new();
        let mut excluded: Vec<crate::x509::cert::ConstraintName> = Vec::new();
        let mut max_path_len = n as i64;
        let mut limiting: Option<(usize, u32)> = None;
        for idx in (0..n).rev() {
            let c = path[idx];
            let cert = self.cert(c);
            let issuer = path.get(idx + 1).copied().unwrap_or(anchor);
            let last = idx == 0;
            let position = n - idx; // 1 = just below the anchor
            problems.extend(self.algorithm_problems(c, public_anchor));
            if !last && !cert.has_key_usage("keyCertSign") {
                problems.push(Problem::NoKeyCertSign { cert: c });
            }
            if !last {
                let path_len: i64 = if cert.version < 3 {
                    if position == 1 && cert.self_issued {
                        i64::MAX
                    } else {
                        -1
                    }
                } else {
                    match &cert.basic_constraints {
                        Some(b) if b.ca => b.path_len.map_or(i64::MAX, i64::from),
                        _ => -1,
                    }
                };
                if path_len == -1 {
                    problems.push(Problem::NotCa {
                        cert: c,
                        child: path[idx - 1],
                    });
                }
                if !cert.self_issued {
                    if max_path_len <= 0 {
                        if let Some((ca, allowed)) = limiting {
                            let found = path[1..n]
                                .iter()
                                .take_while(|&&i| i != ca)
                                .filter(|&&i| !self.cert(i).self_issued)
                                .count() as u32;
                            problems.push(Problem::PathLenExceeded {
                                cert: ca,
                                allowed,
                                found,
                            });
                        }
                    }
                    max_path_len -= 1;
                }
                if path_len >= 0 && path_len < max_path_len {
                    max_path_len = path_len;
                    limiting = Some((c, path_len.min(u32::MAX as i64) as u32));
                }
            }
            if last || !cert.self_issued {
                for &ca in &constraining {
                    match nc::violation(self.cert(ca), cert) {
                        Some(nc::Failure::Refused(name)) => {
                            problems.push(Problem::NameConstraints { cert: c, ca, name });
                            break;
                        }
                        Some(nc::Failure::Threw(message)) => {
                            problems.push(Problem::NameConstraintsUnsupported {
                                cert: c,
                                npe: message == nc::NPE_URI,
                            });
                            break;
                        }
                        None => {}
                    }
                }
            }
            // JDK 21 and later drop a non-critical NameConstraints they
            // cannot decode (an ediPartyName without its partyName).
            let dropped = cert.raw.edi_party_name == Some(false)
                && self.policy.release.refuses_edi_party_name();
            if let Some(nc) = cert.raw.name_constraints.as_ref().filter(|_| !dropped) {
                // The first CA's constraints are taken as they are; later
                // ones are merged into them (ConstraintsChecker).
                // JDK 17 re-encodes the merged constraints; an ediPartyName
                // it read without a partyName cannot be encoded (21 and
                // later refuse such a certificate when they parse it).
                let edi = cert.raw.edi_party_name.is_some()
                    || constraining
                        .iter()
                        .any(|&k| self.cert(k).raw.edi_party_name.is_some());
                if !constraining.is_empty() && edi && !self.policy.release.refuses_edi_party_name()
                {
                    if nc::merge_failure(&excluded, &permitted, nc) == Some(nc::UNSUPPORTED) {
                        problems.push(Problem::NameConstraintsUnsupported {
                            cert: c,
                            npe: false,
                        });
                    } else {
                        problems.push(Problem::NameConstraintsMerge {
                            cert: c,
                            message: "PKIX path validation failed: java.security.cert.CertPathValidatorException: java.io.IOException: Cannot have null partyName",
                        });
                    }
                } else if !constraining.is_empty() {
                    match nc::merge_failure(&excluded, &permitted, nc) {
                        Some(nc::UNSUPPORTED) => {
                            problems.push(Problem::NameConstraintsUnsupported {
                                cert: c,
                                npe: false,
                            })
                        }
                        Some(message) => {
                            problems.push(Problem::NameConstraintsMerge { cert: c, message })
                        }
                        None => {}
                    }
                }
                constraining.push(c);
                excluded.extend(nc.excluded.iter().cloned());
                if !nc.permitted.is_empty() {
                    permitted = nc.permitted.clone();
                }
            }
            match self.sig(c, issuer) {
                SigCheck::Valid => {}
                SigCheck::Invalid => problems.push(Problem::BadSignature { child: c, issuer }),
                SigCheck::Unsupported => {
                    problems.push(Problem::UnsupportedSignature { child: c, issuer })
                }
            }
            if expired_at(cert, self.at_ms) {
                problems.push(Problem::Expired { cert: c });
            } else if not_yet_valid_at(cert, self.at_ms) {
                problems.push(Problem::NotYetValid { cert: c });
            }
            // The trust manager's own AlgorithmChecker is added after the
            // PKIX checkers, so it runs after signature and validity and
            // before the unresolved-extension check.
            if self.policy.tls == TlsVersion::Tls13
                && self.policy.release.tls13_certificate_schemes_only()
                && !tls13_certificate_scheme(&cert.signature_algorithm)
            {
                problems.push(Problem::Tls13SignatureScheme {
                    cert: c,
                    first: position == 1,
                });
            }
            let unknown: Vec<String> = cert
                .raw
                .critical_extensions
                .iter()
                .filter(|o| !KNOWN_CRITICAL.contains(&o.as_str()))
                .cloned()
                .collect();
            if !unknown.is_empty() {
                problems.push(Problem::CriticalExtension {
                    cert: c,
                    oids: unknown,
                });
            }
        }
        problems
    }

    /// What Java checks after a path validated: the anchor itself
    /// (`PKIXValidator.verifyTrustAnchor`), then the server certificate's
    /// key usage and extended key usage (`EndEntityChecker`, TLS server).
    fn after_path(&self, path: &[usize], anchor: usize) -> Vec<Problem> {
        let mut p = Vec::new();
        let a = self.cert(anchor);
        if a.version >= 3 {
            if !a.is_ca() {
                p.push(Problem::BadAnchor {
                    anchor,
                    not_ca: true,
                });
            } else if !a.has_key_usage("keyCertSign") {
                p.push(Problem::BadAnchor {
                    anchor,
                    not_ca: false,
                });
            }
        }
        if let Some(&leaf) = path.first() {
            p.extend(self.leaf_problems(leaf));
        }
        p
    }

    /// Algorithm constraints of one non-anchor certificate.
    fn algorithm_problems(&self, c: usize, public_anchor: bool) -> Vec<Problem> {
        let mut p = Vec::new();
        let cert = self.cert(c);
        if let Some(hash) = cert.signature_algorithm.hash() {
            let weak =
                matches!(hash, Hash::Md2 | Hash::Md5) || (hash == Hash::Sha1 && public_anchor);
            if weak {
                p.push(Problem::WeakSignature {
                    cert: c,
                    hash,
                    public_anchor,
                });
            }
        }
        if key_rejected(&cert.key) {
            p.push(Problem::WeakKey { cert: c });
        }
        p
    }

    /// Validity and algorithm constraints of one non-anchor certificate.
    fn own_problems(&self, c: usize, public_anchor: bool) -> Vec<Problem> {
        let mut p = self.algorithm_problems(c, public_anchor);
        let cert = self.cert(c);
        if expired_at(cert, self.at_ms) {
            p.push(Problem::Expired { cert: c });
        } else if not_yet_valid_at(cert, self.at_ms) {
            p.push(Problem::NotYetValid { cert: c });
        }
        p
    }

    /// CA checks for `path[k]`, which signs `path[k-1]` (for a partial path).
    fn issuer_problems(&self, path: &[usize], k: usize) -> Vec<Problem> {
        let mut p = Vec::new();
        let c = path[k];
        let cert = self.cert(c);
        if !cert.has_key_usage("keyCertSign") {
            p.push(Problem::NoKeyCertSign { cert: c });
        }
        if !cert.is_ca() {
            p.push(Problem::NotCa {
                cert: c,
                child: path[k - 1],
            });
        }
        p
    }

    /// `EndEntityChecker.checkTLSServer`: key usage first (digitalSignature,
    /// which every ECDHE suite and TLS 1.3 needs), then extended key usage.
    fn leaf_problems(&self, leaf: usize) -> Vec<Problem> {
        let mut p = Vec::new();
        let cert = self.cert(leaf);
        if !cert.has_key_usage("digitalSignature") {
            p.push(Problem::LeafKeyUsage { cert: leaf });
        }
        if self.policy.release.throws_on_undecodable_eku_san()
            && cert.raw.undecodable.iter().any(|o| o == "2.5.29.37")
        {
            p.push(Problem::LeafEkuUnreadable { cert: leaf });
        } else if let Some(eku) = &cert.extended_key_usage {
            let ok = eku.iter().any(|e| {
                e == "serverAuth"
                    || e == "anyExtendedKeyUsage"
                    // Server-Gated Cryptography (Microsoft, Netscape), still accepted.
                    || e == "1.3.6.1.4.1.311.10.3.3"
                    || e == "2.16.840.1.113730.4.1"
            });
            if !ok {
                p.push(Problem::LeafUsage { cert: leaf });
            }
        }
        p
    }

    /// Whether the builder's selector (`AdaptableX509CertSelector`) lets
    /// `issuer` sign `child`: a v1 or v2 certificate must be valid over the
    /// whole validity period of `child` (a v3 one is not asked).
    fn covers(&self, child: usize, issuer: usize) -> bool {
        let (c, i) = (self.cert(child), self.cert(issuer));
        i.version >= 3 || (i.not_before <= c.not_before && c.not_after <= i.not_after)
    }

    /// Whether `child`'s signature algorithm is made with `issuer`'s key type;
    /// such candidates are tried first.
    fn key_fits(&self, child: usize, issuer: usize) -> bool {
        use crate::x509::cert::SignatureAlgorithm as S;
        matches!(
            (
                &self.cert(child).signature_algorithm,
                &self.cert(issuer).key
            ),
            (S::RsaPkcs1 { .. } | S::RsaPss { .. }, KeyInfo::Rsa { .. })
                | (S::Ecdsa { .. }, KeyInfo::Ec { .. })
                | (S::Ed25519, KeyInfo::Ed25519)
                | (S::Dsa { .. }, KeyInfo::Dsa { .. })
        )
    }

    fn record_invalid(&mut self, path: &[usize], anchor: usize, problems: Vec<Problem>) {
        if self.invalid.is_none() {
            self.invalid = Some((path.to_vec(), anchor, problems));
        }
    }

    /// Depth-first search for a path from `path.last()` to an anchor, as
    /// Java's SunCertPathBuilder does: trust anchors first (any key id, but
    /// only ones valid now), then presented certificates, at most
    /// [`JAVA_BUILD_MAX_PATH`] non-self-issued CAs deep. Returns the first
    /// path that validates, with its anchor.
    fn dfs(&mut self, path: &mut Vec<usize>, cas: usize) -> Option<(Vec<usize>, usize)> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.exhausted = true;
            return None;
        }
        let cur = *path.last()?;
        let issuer_key = self.cert(cur).raw.issuer_key.clone();
        let mut any_candidate = false;
        let mut any_verified = false;
        let mut first_bad: Option<usize> = None;

        let anchors = self
            .anchors_by_subject
            .get(issuer_key.as_str())
            .cloned()
            .unwrap_or_default();
        // Past the search's own depth bound only the anchors are tried.
        let too_long = path.len() > MAX_DEPTH;
        let mut presented: Vec<usize> = Vec::new();
        for p in self
            .presented_by_subject
            .get(issuer_key.as_str())
            .cloned()
            .unwrap_or_default()
        {
            let der = &self.cert(p).raw.der;
            // A certificate sent twice is one certificate, one equal to a
            // trust anchor is that anchor, and a path never holds the same
            // certificate twice. (A twin of an anchor, same name and key
            // but another certificate, is an intermediate like any other:
            // ForwardBuilder.isPathCompleted compares whole certificates.)
            if path.iter().any(|&q| &self.cert(q).raw.der == der)
                || presented.iter().any(|&q| &self.cert(q).raw.der == der)
                || anchors.iter().any(|&q| &self.cert(q).raw.der == der)
            {
                continue;
            }
            presented.push(p);
        }
        if too_long {
            presented.clear();
        }
        if !presented.is_empty() && cas >= JAVA_BUILD_MAX_PATH {
            self.too_deep.get_or_insert(cur);
            presented.clear();
            any_candidate = true;
            any_verified = true;
        }
        // The order of ForwardBuilder's candidate set (a TreeSet sorted by
        // PKIXCertComparator): first a certificate whose subject key id is
        // the current certificate's authority key id, then one whose
        // issuer is a trusted subject; among equals, the comparator puts a
        // later-added certificate first (anchors are added before the
        // certificates sent). Key types that fit the signature go first
        // only to spend the signature budget well.
        let trusted_issuer = |i: usize| {
            self.anchors_by_subject
                .contains_key(self.cert(i).raw.issuer_key.as_str())
        };
        let aki = self.cert(cur).authority_key_id.clone();
        let mut cands: Vec<(usize, bool)> = anchors
            .iter()
            .map(|&a| (a, true))
            .chain(presented.iter().map(|&p| (p, false)))
            .collect();
        let n = cands.len();
        let position: HashMap<usize, usize> = cands
            .iter()
            .enumerate()
            .map(|(k, &(c, _))| (c, k))
            .collect();
        cands.sort_by_key(|&(c, _)| {
            let rank: u8 = if aki.is_some() && self.cert(c).subject_key_id == aki {
                0
            } else if trusted_issuer(c) {
                1
            } else {
                2
            };
            (rank, !self.key_fits(cur, c), n - position[&c])
        });
        for (c, is_anchor) in cands {
            if !self.covers(cur, c) {
                continue;
            }
            any_candidate = true;
            match self.sig(cur, c) {
                SigCheck::Invalid => {
                    first_bad.get_or_insert(c);
                    continue;
                }
                SigCheck::Valid | SigCheck::Unsupported => any_verified = true,
            }
            if self.exhausted {
                return None;
            }
            if is_anchor {
                // Above the first level, the builder's selector wants an
                // anchor that is valid now; the one that issued the target
                // itself is taken as it is (measured with the JDK, see
                // tests/differential/README.md).
                if path.len() > 1 && !self.valid_at(c) {
                    let p = if expired_at(self.cert(c), self.at_ms) {
                        Problem::Expired { cert: c }
                    } else {
                        Problem::NotYetValid { cert: c }
                    };
                    self.record_invalid(path, c, vec![p]);
                    continue;
                }
                let problems = self.check_path(path, c);
                if problems.is_empty() {
                    return Some((path.clone(), c));
                }
                self.record_invalid(path, c, problems);
                continue;
            }
            let next = cas + usize::from(!self.cert(c).self_issued);
            path.push(c);
            let found = self.dfs(path, next);
            path.pop();
            if found.is_some() {
                return found;
            }
            if self.exhausted {
                return None;
            }
        }
        if too_long {
            self.exhausted = true;
            return None;
        }
        if !any_verified {
            let c = self.cert(cur);
            let end = if let (true, Some(issuer)) = (any_candidate, first_bad) {
                DeadEnd::BadSignature { child: cur, issuer }
            } else if c.self_issued && self.sig(cur, cur) != SigCheck::Invalid {
                DeadEnd::UntrustedSelfSigned { root: cur }
            } else {
                DeadEnd::MissingIssuer { below: cur }
            };
            let longer = self
                .dead_end
                .as_ref()
                .is_none_or(|(p, _)| path.len() > p.len());
            if longer {
                self.dead_end = Some((path.clone(), end));
            }
        }
        None
    }
}

fn key_rejected(key: &KeyInfo) -> bool {
    match key {
        KeyInfo::Rsa { bits } | KeyInfo::Dsa { bits } => *bits < 1024,
        KeyInfo::Ec { bits, .. } => *bits < 224,
        _ => false,
    }
}

/// Java's NameConstraints checks (`NameConstraintsExtension.verify` and the
/// `constrains` method of each GeneralName type).
mod nc {
    use crate::x509::cert::{Certificate, ConstraintName, SanName};

    #[derive(PartialEq, Eq)]
    enum Rel {
        DiffType,
        Match,
        Narrows,
        Widens,
        SameType,
        /// `constrains` throws (a RuntimeException Java does not catch):
        /// the message the handshake fails with.
        Throws(&'static str),
    }

    /// How a certificate fails its CAs' name constraints.
    pub(super) enum Failure {
        /// `verify` says no: "name constraints check failed"; the name.
        Refused(String),
        /// Java throws while comparing: the handshake's message.
        Threw(&'static str),
    }

    /// A name of the certificate, in the forms constraints can apply to.
    enum Name {
        Dns(String),
        Ip(Vec<u8>),
        /// Java name key and display form.
        Dir(String, String),
        Email(String),
        /// The host of a URI (`None`: a URI without one, such as a URN).
        Uri(Option<String>),
        Rid(String),
        Unsupported(&'static str),
    }

    impl Name {
        fn describe(&self) -> String {
            match self {
                Name::Dns(d) => format!("DNS:{d}"),
                Name::Ip(b) => format!("IP:{}", ip_text(b)),
                Name::Dir(_, d) => format!("DirName:{d}"),
                Name::Email(e) => format!("email:{e}"),
                Name::Uri(h) => format!("URI with host {}", h.as_deref().unwrap_or("(none)")),
                Name::Rid(o) => format!("RID:{o}"),
                Name::Unsupported(k) => (*k).to_string(),
            }
        }
    }

    fn ip_text(b: &[u8]) -> String {
        match b.len() {
            4 => std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string(),
            16 => {
                let mut a = [0u8; 16];
                a.copy_from_slice(b);
                std::net::Ipv6Addr::from(a).to_string()
            }
            _ => crate::x509::cert::colon_hex(b),
        }
    }

    /// Java's `DNSName(String)` check: LDH labels starting with a letter or
    /// digit; a CN that fails it is not taken as a DNS name.
    fn java_dns_name(s: &str) -> bool {
        !s.is_empty()
            && !s.starts_with('.')
            && !s.ends_with('.')
            && s.split('.').all(|l| {
                l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
    }

    /// `DNSName.constrains`: a suffix counts on a label boundary, where a
    /// leading dot on the constraint stands in for the boundary (Java XORs
    /// the two, so `.example.com` covers `f*.example.com` but not itself
    /// plus a dot).
    fn dns(constraint: &str, name: &str) -> Rel {
        let (t, i) = (constraint.to_ascii_lowercase(), name.to_ascii_lowercase());
        if t == i {
            Rel::Match
        } else if let Some(head) = t.strip_suffix(i.as_str()) {
            if head.ends_with('.') ^ i.starts_with('.') {
                Rel::Widens
            } else {
                Rel::SameType
            }
        } else if let Some(head) = i.strip_suffix(t.as_str()) {
            if head.ends_with('.') ^ t.starts_with('.') {
                Rel::Narrows
            } else {
                Rel::SameType
            }
        } else {
            Rel::SameType
        }
    }

    fn email(constraint: &str, name: &str) -> Rel {
        let (t, i) = (constraint.to_ascii_lowercase(), name.to_ascii_lowercase());
        if t == i {
            return Rel::Match;
        }
        if let Some(head) = i.strip_suffix(t.as_str()) {
            if t.contains('@') {
                Rel::SameType
            } else if t.starts_with('.') || head.ends_with('@') {
                Rel::Narrows
            } else {
                Rel::SameType
            }
        } else if let Some(head) = t.strip_suffix(i.as_str()) {
            if i.contains('@') {
                Rel::SameType
            } else if i.starts_with('.') || head.ends_with('@') {
                Rel::Widens
            } else {
                Rel::SameType
            }
        } else {
            Rel::SameType
        }
    }

    fn ip(constraint: &[u8], name: &[u8]) -> Rel {
        if constraint.len() != name.len() * 2 {
            return Rel::SameType;
        }
        let (addr, mask) = constraint.split_at(name.len());
        if name
            .iter()
            .zip(mask)
            .zip(addr)
            .all(|((n, m), a)| n & m == *a)
        {
            Rel::Narrows
        } else {
            Rel::SameType
        }
    }

    fn dir(constraint: &str, name: &str) -> Rel {
        if constraint == name {
            Rel::Match
        } else if name.starts_with(constraint) {
            Rel::Narrows
        } else if constraint.starts_with(name) {
            Rel::Widens
        } else {
            Rel::SameType
        }
    }

    /// The host `java.net.URI` finds in a URI: the authority of a
    /// hierarchical URI without user info and port; `None` for an opaque
    /// URI (`urn:...`, `mailto:...`) or one without an authority.
    fn uri_host(uri: &str) -> Option<String> {
        let (_, rest) = uri.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if host_port.starts_with('[') {
            host_port.split_inclusive(']').next()?
        } else {
            host_port.split(':').next()?
        };
        (!host.is_empty()).then(|| host.to_string())
    }

    /// `URIName.constrains`: the hosts compare as DNS names, where a
    /// constraint with a leading dot is a domain (it covers hosts below it,
    /// not itself) and one without is a single host.
    fn uri(constraint: &str, host: Option<&str>) -> Rel {
        let Some(host) = host else {
            // `otherHost.equalsIgnoreCase(host)` on a null host.
            return Rel::Throws(NPE_URI);
        };
        if host.eq_ignore_ascii_case(constraint) {
            return Rel::Match;
        }
        if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
            return Rel::SameType;
        }
        let this_domain = constraint.starts_with('.');
        let other_domain = host.starts_with('.');
        let base = constraint.strip_prefix('.').unwrap_or(constraint);
        let mut r = dns(base, host);
        if !this_domain && !other_domain && matches!(r, Rel::Widens | Rel::Narrows) {
            r = Rel::SameType;
        }
        if this_domain != other_domain && r == Rel::Match {
            r = if this_domain {
                Rel::Widens
            } else {
                Rel::Narrows
            };
        }
        r
    }

    /// What the JDK's NullPointerException says when a URI name without a
    /// host meets a URI constraint.
    pub(super) const NPE_URI: &str =
        "Cannot invoke \"String.equalsIgnoreCase(String)\" because \"otherHost\" is null";

    /// `constrains` of OtherName, X400Address and EDIPartyName throws
    /// UnsupportedOperationException for two names of its own form, as
    /// OIDName does for two registeredIDs that differ; JSSE's handshake
    /// dispatcher turns that exception into this message (measured on 17,
    /// 21 and 25).
    pub(super) const UNSUPPORTED: &str = "Unsupported handshake message: certificate";

    fn unsupported(_kind: &str) -> &'static str {
        UNSUPPORTED
    }

    const OID_NAMES: &str = UNSUPPORTED;

    fn relation(c: &ConstraintName, n: &Name) -> Rel {
        match (c, n) {
            (ConstraintName::Dns(c), Name::Dns(n)) => dns(c, n),
            (ConstraintName::Ip(c), Name::Ip(n)) => ip(c, n),
            (ConstraintName::Dir { key, .. }, Name::Dir(n, _)) => dir(key, n),
            (ConstraintName::Email(c), Name::Email(n)) => email(c, n),
            (ConstraintName::Uri(c), Name::Uri(h)) => uri(c, h.as_deref()),
            (ConstraintName::Rid(c), Name::Rid(n)) => {
                if c == n {
                    Rel::Match
                } else {
                    Rel::Throws(OID_NAMES)
                }
            }
            (ConstraintName::Unsupported(a), Name::Unsupported(b)) if a == b => {
                Rel::Throws(unsupported(a))
            }
            _ => Rel::DiffType,
        }
    }

    /// `constrains` between two constraint names of successive CAs, as the
    /// merge (`GeneralSubtrees.union`/`intersect`/`reduce`) calls it: only
    /// whether it throws.
    fn pair_throws(a: &ConstraintName, b: &ConstraintName) -> Option<&'static str> {
        match (a, b) {
            (ConstraintName::Rid(x), ConstraintName::Rid(y)) if x != y => Some(OID_NAMES),
            (ConstraintName::Unsupported(x), ConstraintName::Unsupported(y)) if x == y => {
                Some(unsupported(x))
            }
            _ => None,
        }
    }

    /// `NameConstraintsExtension.verify(GeneralNameInterface)`.
    fn allowed(nc: &crate::x509::cert::NameConstraints, n: &Name) -> Result<bool, &'static str> {
        for c in &nc.excluded {
            match relation(c, n) {
                Rel::Match | Rel::Narrows => return Ok(false),
                Rel::Throws(m) => return Err(m),
                _ => {}
            }
        }
        let mut same_type = false;
        for c in &nc.permitted {
            match relation(c, n) {
                Rel::DiffType => {}
                Rel::Widens | Rel::SameType => same_type = true,
                Rel::Match | Rel::Narrows => return Ok(true),
                Rel::Throws(m) => return Err(m),
            }
        }
        Ok(!same_type)
    }

    /// Java merges the permitted subtrees of successive CAs
    /// (`GeneralSubtrees.intersect`). When both lists hold DNS (or rfc822)
    /// names and none of one list relates to any of the other, it builds the
    /// "widest" name of that type, `new DNSName("")` / `new RFC822Name("")`,
    /// which throws: the handshake fails with "Unexpected error: ...".
    /// The merge also compares names of one form pairwise, which throws for
    /// two registeredIDs that differ and for two otherName, x400Address or
    /// ediPartyName names (`excluded` and `permitted` are the subtrees
    /// merged so far, `nc` the new CA's).
    /// Returns that message.
    pub(super) fn merge_failure(
        excluded: &[ConstraintName],
        permitted: &[ConstraintName],
        nc: &crate::x509::cert::NameConstraints,
    ) -> Option<&'static str> {
        // union of the excluded subtrees, then minimize: every pair.
        let all_excluded: Vec<&ConstraintName> = excluded.iter().chain(&nc.excluded).collect();
        for (i, a) in all_excluded.iter().enumerate() {
            for b in &all_excluded[i + 1..] {
                if let Some(m) = pair_throws(a, b) {
                    return Some(m);
                }
            }
        }
        let new = &nc.permitted;
        if new.is_empty() || permitted.is_empty() {
            return None;
        }
        for a in permitted {
            for b in new {
                if let Some(m) = pair_throws(a, b) {
                    return Some(m);
                }
            }
        }
        let related = |a: &ConstraintName, b: &ConstraintName| match (a, b) {
            (ConstraintName::Dns(x), ConstraintName::Dns(y)) => dns(x, y) != Rel::SameType,
            (ConstraintName::Email(x), ConstraintName::Email(y)) => email(x, y) != Rel::SameType,
            _ => false,
        };
        type IsKind = fn(&ConstraintName) -> bool;
        let kinds: [(IsKind, &'static str); 2] = [
            (
                |n| matches!(n, ConstraintName::Email(_)),
                "Unexpected error: java.io.IOException: RFC822Name may not be null or empty",
            ),
            (
                |n| matches!(n, ConstraintName::Dns(_)),
                "Unexpected error: java.io.IOException: DNSName must not be null or empty",
            ),
        ];
        for (is_kind, msg) in kinds {
            let a: Vec<&ConstraintName> = permitted.iter().filter(|n| is_kind(n)).collect();
            let b: Vec<&ConstraintName> = new.iter().filter(|n| is_kind(n)).collect();
            if !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.iter().any(|y| related(x, y)))
            {
                return Some(msg);
            }
        }
        None
    }

    /// How `ca`'s NameConstraints refuse `cert`, if they do: Java checks the
    /// subject DN, then the subjectAltName entries in order (the subject's
    /// emailAddress when there are none), then the most specific CN as a
    /// DNS name or IP address when the SAN has no name of that type.
    pub(super) fn violation(ca: &Certificate, cert: &Certificate) -> Option<Failure> {
        let nc = ca.raw.name_constraints.as_ref()?;
        let mut names = Vec::new();
        if !cert.subject.rdns.is_empty() {
            names.push(Name::Dir(cert.subject.java_key(), cert.subject.display()));
        }
        let mut alt: Vec<Name> = cert
            .san_names()
            .into_iter()
            .map(|n| match n {
                SanName::Dns(d) => Name::Dns(d),
                SanName::Ip(b) => Name::Ip(b),
                SanName::Email(e) => Name::Email(e),
                SanName::Uri(u) => Name::Uri(uri_host(&u)),
                SanName::Dir(k, d) => Name::Dir(k, d),
                SanName::Rid(o) => Name::Rid(o),
                SanName::Unsupported(k) => Name::Unsupported(k),
            })
            .collect();
        if alt.is_empty() {
            // Without SAN entries, rfc822 constraints apply to emailAddress.
            alt.extend(
                cert.subject
                    .rdns
                    .iter()
                    .flatten()
                    .filter(|a| a.oid == "1.2.840.113549.1.9.1")
                    .map(|a| Name::Email(a.value.text())),
            );
        }
        let cn = cert
            .subject
            .rdns
            .iter()
            .rev()
            .flat_map(|rdn| rdn.iter().rev())
            .find(|a| a.oid == "2.5.4.3")
            .map(|a| a.value.text());
        if let Some(cn) = cn {
            if let Ok(ip) = cn.parse::<std::net::IpAddr>() {
                if !alt.iter().any(|n| matches!(n, Name::Ip(_))) {
                    alt.push(Name::Ip(match ip {
                        std::net::IpAddr::V4(v) => v.octets().to_vec(),
                        std::net::IpAddr::V6(v) => v.octets().to_vec(),
                    }));
                }
            } else if java_dns_name(&cn) && !alt.iter().any(|n| matches!(n, Name::Dns(_))) {
                alt.push(Name::Dns(cn));
            }
        }
        names.extend(alt);
        for n in &names {
            match allowed(nc, n) {
                Ok(true) => {}
                Ok(false) => return Some(Failure::Refused(n.describe())),
                Err(m) => return Some(Failure::Threw(m)),
            }
        }
        None
    }
}

/// Why the JDK of `release` cannot parse `cert`, if it cannot.
fn java_cannot_parse(cert: &Certificate, release: JavaRelease) -> Option<String> {
    cert.raw.java_parse_error.clone().or_else(|| {
        (cert.raw.edi_party_name == Some(true) && release.refuses_edi_party_name())
            .then(|| format!("Java {} cannot decode its ediPartyName", release.line))
    })
}

/// Walks from `server[0]` to a trust anchor. `server` lists pool indices in
/// the order the server sent them; every pool entry whose source is not
/// `Server` is a trust anchor.
pub fn walk(pool: &[Entry], server: &[usize], at: i64) -> Walk {
    walk_with(pool, server, Policy::at(at))
}

/// As [`walk`], for a Java release, TLS version and a time in milliseconds.
pub fn walk_with(pool: &[Entry], server: &[usize], policy: Policy) -> Walk {
    let mut s = Search {
        pool,
        at_ms: policy.at_ms,
        policy,
        anchors_by_subject: HashMap::new(),
        presented_by_subject: HashMap::new(),
        sig_cache: HashMap::new(),
        sig_checks: 0,
        steps: 0,
        exhausted: false,
        invalid: None,
        dead_end: None,
        too_deep: None,
    };
    for (i, e) in pool.iter().enumerate() {
        let map = if e.source == Source::Server {
            &mut s.presented_by_subject
        } else if java_cannot_parse(&e.cert, policy.release).is_some() {
            // A trusted certificate the JDK cannot parse never gets into
            // its KeyStore (keytool refuses it): it anchors nothing.
            continue;
        } else {
            &mut s.anchors_by_subject
        };
        map.entry(e.cert.raw.subject_key.as_str())
            .or_default()
            .push(i);
    }
    let no_anchors = s.anchors_by_subject.is_empty();
    let Some(&leaf) = server.first() else {
        return Walk {
            verdict: Verdict::NoCertificates,
            mode: Mode::Build,
            path: vec![],
            anchor: None,
            dead_end: None,
            problems: vec![],
            exhausted: false,
            no_anchors,
        };
    };
    let done = |verdict, mode, path, anchor, problems: Vec<Problem>, s: &Search| Walk {
        verdict,
        mode,
        path,
        anchor,
        dead_end: None,
        problems,
        exhausted: s.exhausted,
        no_anchors,
    };

    // 0. The JDK parses every certificate the server sends first.
    if let Some((c, reason)) = server
        .iter()
        .find_map(|&c| java_cannot_parse(s.cert(c), policy.release).map(|r| (c, r)))
    {
        return done(
            Verdict::Invalid,
            Mode::Validate,
            vec![leaf],
            None,
            vec![Problem::Unparseable { cert: c, reason }],
            &s,
        );
    }

    // A finished path: the checks after the path, then the verdict.
    let finish =
        |s: &mut Search, mode: Mode, path: Vec<usize>, a: usize, mut problems: Vec<Problem>| {
            let path_ok = problems.is_empty();
            if path_ok {
                problems = s.after_path(&path, a);
            }
            let only_unchecked = !problems.is_empty()
                && problems
                    .iter()
                    .all(|p| matches!(p, Problem::UnsupportedSignature { .. }));
            let verdict = if problems.is_empty() {
                Verdict::Trusted
            } else if only_unchecked {
                Verdict::Inconclusive
            } else {
                Verdict::Invalid
            };
            let mut full = path;
            full.push(a);
            Walk {
                verdict,
                mode,
                path: full,
                anchor: Some(a),
                dead_end: None,
                problems,
                exhausted: s.exhausted,
                no_anchors,
            }
        };

    // 1. The server's first certificate is itself trusted (the same one, or
    //    the same subject and key): Java accepts it with no further check.
    if let Some(a) = s.trusted_twin(leaf) {
        return done(
            Verdict::Trusted,
            Mode::LeafTrusted,
            vec![leaf, a],
            Some(a),
            vec![],
            &s,
        );
    }

    // 2. A list ordered by name is validated as given when one of its
    //    certificates is trusted (up to that one), or when its last
    //    certificate names a trusted subject as its issuer. Java's validator
    //    then tries every anchor with that name whose key id fits, and never
    //    searches further.
    let mut prev_issuer: Option<&str> = None;
    let mut validate: Option<Vec<usize>> = None;
    let mut ordered = true;
    for (i, &c) in server.iter().enumerate() {
        let cert = s.cert(c);
        if i != 0 && Some(cert.raw.subject_key.as_str()) != prev_issuer {
            ordered = false;
            break;
        }
        if i != 0 && s.trusted_twin(c).is_some() {
            validate = Some(server[..i].to_vec());
            break;
        }
        prev_issuer = Some(cert.raw.issuer_key.as_str());
    }
    if validate.is_none() && ordered {
        let last = *server.last().unwrap_or(&leaf);
        if s.anchors_by_subject
            .contains_key(s.cert(last).raw.issuer_key.as_str())
        {
            validate = Some(server.to_vec());
        }
    }
    if let Some(path) = validate {
        let last = *path.last().unwrap_or(&leaf);
        let anchors = s
            .anchors_by_subject
            .get(s.cert(last).raw.issuer_key.as_str())
            .cloned()
            .unwrap_or_default();
        let fitting: Vec<usize> = anchors
            .iter()
            .copied()
            .filter(|&a| s.key_ids_match(last, a))
            .collect();
        let mut first_failure = None;
        for &a in &fitting {
            let problems = s.check_path(&path, a);
            if problems.is_empty() {
                return finish(&mut s, Mode::Validate, path, a, problems);
            }
            first_failure.get_or_insert((a, problems));
        }
        if let Some((a, problems)) = first_failure {
            return finish(&mut s, Mode::Validate, path, a, problems);
        }
        // No anchor with that name has the key id the certificate names:
        // "Path does not chain with any of the trust anchors".
        let a = anchors.first().copied().unwrap_or(last);
        return done(
            Verdict::Invalid,
            Mode::Validate,
            path,
            None,
            vec![Problem::BadSignature {
                child: last,
                issuer: a,
            }],
            &s,
        );
    }

    // 3. Build.
    let mut path = vec![leaf];
    if let Some((found, a)) = s.dfs(&mut path, 0) {
        return finish(&mut s, Mode::Build, found, a, vec![]);
    }
    let inconclusive = |path: Vec<usize>| Walk {
        verdict: Verdict::Inconclusive,
        mode: Mode::Build,
        path,
        anchor: None,
        dead_end: None,
        problems: vec![],
        exhausted: true,
        no_anchors,
    };
    if s.exhausted {
        return inconclusive(vec![leaf]);
    }
    if let Some(below) = s.too_deep {
        let mut problems = vec![Problem::BuildTooDeep {
            below,
            max: JAVA_BUILD_MAX_PATH,
        }];
        if let Some((_, _, p)) = &s.invalid {
            problems.extend(p.iter().cloned());
        }
        return done(
            Verdict::Invalid,
            Mode::Build,
            vec![leaf],
            None,
            problems,
            &s,
        );
    }
    if let Some((mut p, a, problems)) = s.invalid.take() {
        p.push(a);
        let verdict = if problems
            .iter()
            .all(|p| matches!(p, Problem::UnsupportedSignature { .. }))
        {
            Verdict::Inconclusive
        } else {
            Verdict::Invalid
        };
        return done(verdict, Mode::Build, p, Some(a), problems, &s);
    }
    let (dead_path, dead_end) = s
        .dead_end
        .take()
        .unwrap_or((vec![leaf], DeadEnd::MissingIssuer { below: leaf }));
    // Certificates already reached will also be checked once the path is complete:
    // report their own problems now (public_anchor unknown: assume private).
    let mut problems: Vec<Problem> = Vec::new();
    for (k, &c) in dead_path.iter().enumerate() {
        if !matches!(dead_end, DeadEnd::UntrustedSelfSigned { root } if root == c) {
            problems.extend(s.own_problems(c, false));
        }
        if k > 0 {
            problems.extend(s.issuer_problems(&dead_path, k));
        }
    }
    let verdict = match dead_end {
        DeadEnd::UntrustedSelfSigned { .. } => Verdict::UntrustedRoot,
        DeadEnd::MissingIssuer { .. } => Verdict::MissingIntermediate,
        DeadEnd::BadSignature { child, issuer } => {
            problems.insert(0, Problem::BadSignature { child, issuer });
            Verdict::Invalid
        }
    };
    Walk {
        verdict,
        mode: Mode::Build,
        path: dead_path,
        anchor: None,
        dead_end: Some(dead_end),
        problems,
        exhausted: s.exhausted,
        no_anchors,
    }
}

/// Java's `SSLHandshakeException` message for this walk (what JavaMail
/// shows), for the chain part; `None` when Java accepts the chain or the
/// walk cannot tell.
pub fn java_message(pool: &[Entry], walk: &Walk) -> Option<String> {
    java_message_for(pool, walk, JavaRelease::default())
}

/// The TLS alert JDK 25 names in front of a handshake failure's message
/// (`Alert` chosen by the certificate consumer from the exception's reason),
/// as measured on 25.0.2.
fn alert(walk: &Walk) -> &'static str {
    if walk.no_anchors {
        return "internal_error";
    }
    if walk.mode != Mode::Validate {
        return "certificate_unknown";
    }
    match walk.problems.first() {
        Some(Problem::Expired { .. }) => "certificate_expired",
        // CertificateMessage.getCertificateAlert: INVALID_SIGNATURE and
        // NOT_YET_VALID are bad_certificate.
        Some(Problem::NotYetValid { .. } | Problem::BadSignature { .. }) => "bad_certificate",
        Some(
            Problem::WeakSignature { .. }
            | Problem::WeakKey { .. }
            | Problem::Tls13SignatureScheme { .. },
        ) => "unsupported_certificate",
        _ => "certificate_unknown",
    }
}

/// `(alert) message` for releases that word it so (JDK 25), else `message`.
pub fn with_alert(release: JavaRelease, alert: &str, message: String) -> String {
    if release.alert_in_message() {
        format!("({alert}) {message}")
    } else {
        message
    }
}

/// As [`java_message`], worded as `release` words it.
pub fn java_message_for(pool: &[Entry], walk: &Walk, release: JavaRelease) -> Option<String> {
    let m = java_message_inner(pool, walk, release)?;
    if let Some(Problem::NameConstraintsUnsupported { npe, .. }) = walk.problems.first() {
        // Thrown past the validator in either mode. JDK 25 reports the
        // NullPointerException as an internal error without its text.
        return Some(match (release.alert_in_message(), npe) {
            (true, true) => "(internal_error) Unhandled exception".into(),
            (true, false) => format!("(unexpected_message) {m}"),
            (false, _) => m,
        });
    }
    // The chain is parsed before the trust manager is made; JSSE's
    // CertificateMessage sends bad_certificate for it.
    if matches!(walk.problems.first(), Some(Problem::Unparseable { .. })) {
        return Some(with_alert(release, "bad_certificate", m));
    }
    if walk.no_anchors && release.alert_in_message() {
        // JDK 25 reports the RuntimeException from the trust manager as an
        // internal error without its text.
        return Some("(internal_error) Unhandled exception".into());
    }
    Some(with_alert(release, alert(walk), m))
}

fn java_message_inner(pool: &[Entry], walk: &Walk, release: JavaRelease) -> Option<String> {
    const BUILD: &str = "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target";
    let cert = |i: usize| &pool[i].cert;
    match walk.problems.first() {
        Some(Problem::Unparseable { .. }) => {
            return Some("Failed to parse server certificates".into())
        }
        Some(Problem::NameConstraintsUnsupported { npe, .. }) => {
            return Some(if *npe { nc::NPE_URI } else { nc::UNSUPPORTED }.to_string())
        }
        // A RuntimeException, not a validation failure: no PKIX prefix.
        Some(Problem::NameConstraintsMerge { message, .. }) if walk.mode == Mode::Validate => {
            return Some((*message).to_string())
        }
        _ => {}
    }
    if walk.no_anchors && walk.verdict != Verdict::NoCertificates {
        return Some("Unexpected error: java.security.InvalidAlgorithmParameterException: the trustAnchors parameter must be non-empty".into());
    }
    match walk.verdict {
        Verdict::Trusted | Verdict::NoCertificates | Verdict::Inconclusive => return None,
        _ => {}
    }
    let prefix = match walk.mode {
        Mode::Validate => "PKIX path validation failed: ",
        _ => "PKIX path building failed: ",
    };
    let first = walk.problems.first();
    match first {
        Some(Problem::BadAnchor { anchor, not_ca }) => {
            let subject = cert(*anchor).subject.display();
            let what = if *not_ca {
                "is not a CA certificate"
            } else {
                "does not have keyCertSign bit set in KeyUsage extension"
            };
            return Some(format!(
                "{prefix}sun.security.validator.ValidatorException: TrustAnchor with subject \"{subject}\" {what}"
            ));
        }
        Some(Problem::LeafKeyUsage { .. }) => {
            return Some("KeyUsage does not allow digital signatures".into())
        }
        Some(Problem::LeafEkuUnreadable { .. }) => {
            return Some("Invalid encoding for ExtendedKeyUsageExtension.".into())
        }
        Some(Problem::LeafUsage { .. }) => {
            return Some(
                "Extended key usage does not permit use for TLS server authentication".into(),
            )
        }
        _ => {}
    }
    if walk.mode != Mode::Validate {
        return Some(BUILD.to_string());
    }
    let detail = match first {
        Some(Problem::Expired { .. } | Problem::NotYetValid { .. }) => "validity check failed".to_string(),
        Some(Problem::BadSignature { .. }) => {
            // Without an anchor, the validator's selector found none whose
            // key id fits the certificate below it.
            if walk.anchor.is_none() {
                "Path does not chain with any of the trust anchors".into()
            } else {
                "signature check failed".into()
            }
        }
        Some(Problem::NotCa { .. }) => "basic constraints check failed: this is not a CA certificate".into(),
        Some(Problem::PathLenExceeded { .. }) => "basic constraints check failed: pathLenConstraint violated - this cert must be the last cert in the certification path".into(),
        Some(Problem::NoKeyCertSign { .. }) => "CA key usage check failed: keyCertSign bit is not set".into(),
        // JDK 21 names the disabled hash and the certificate (measured on
        // 21.0.8 and 25.0.2); 17 names the signature algorithm.
        Some(Problem::WeakSignature { cert: c, hash, .. }) if release.line >= 21 => format!(
            "Algorithm constraints check failed on disabled algorithm: {} used with certificate: {}",
            hash.name(),
            cert(*c).subject.display()
        ),
        Some(Problem::WeakSignature { cert: c, .. }) => format!(
            "Algorithm constraints check failed on signature algorithm: {}",
            cert(*c).signature_algorithm.java_name()
        ),
        Some(Problem::WeakKey { .. }) => "Algorithm constraints check failed on keysize limits".into(),
        Some(Problem::Tls13SignatureScheme { cert: c, first }) => {
            let cert = cert(*c);
            let alg = cert.signature_algorithm.java_name();
            if *first {
                format!("Algorithm constraints check failed on signature algorithm: {alg}")
            } else {
                // AlgorithmChecker's wording when it has the previous key:
                // no space before "signature", the certificate's own key.
                let (kind, bits) = java_key(&cert.key);
                format!("Algorithm constraints check failed on {alg}signature and {kind} key with size of {bits}bits")
            }
        }
        Some(Problem::NameConstraints { .. }) => "name constraints check failed".into(),
        Some(Problem::CriticalExtension { .. }) => "unrecognized critical extension(s)".into(),
        _ => return Some(BUILD.to_string()),
    };
    Some(format!(
        "{prefix}java.security.cert.CertPathValidatorException: {detail}"
    ))
}

/// `PublicKey.getAlgorithm()` and `KeyUtil.getKeySize` as Java reports them.
fn java_key(k: &KeyInfo) -> (&'static str, usize) {
    match k {
        KeyInfo::Rsa { bits } => ("RSA", *bits),
        // Java names the field size: 521 for P-521, whose points this
        // parser measures in whole bytes (528 bits).
        KeyInfo::Ec { curve, .. } if curve == "P-521" => ("EC", 521),
        KeyInfo::Ec { bits, .. } => ("EC", *bits),
        KeyInfo::Ed25519 => ("EdDSA", 255),
        KeyInfo::Dsa { bits } => ("DSA", *bits),
        KeyInfo::Unknown { .. } => ("unknown", 0),
    }
}

#[cfg(test)]
mod tests {
    use super::Verdict;

    #[test]
    fn verdict_names_are_the_json_names() {
        for v in [
            Verdict::Trusted,
            Verdict::MissingIntermediate,
            Verdict::UntrustedRoot,
            Verdict::Invalid,
            Verdict::NoCertificates,
            Verdict::Inconclusive,
        ] {
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.as_str())
            );
        }
    }
}
