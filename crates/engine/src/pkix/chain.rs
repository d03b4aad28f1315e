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

/// Something wrong with a certificate on the (partial) path.
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
}

struct Search<'a> {
    pool: &'a [Entry],
    at: i64,
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
            self.exhausted = true;
            return SigCheck::Invalid;
        }
        self.sig_checks += 1;
        let r = verify(self.cert(child), self.cert(issuer));
        self.sig_cache.insert((child, issuer), r);
        r
    }

    /// AKI/SKI must agree when both are present (Java's selector does this).
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
                    .find(|&a| self.cert(a).raw.public_key == c.raw.public_key)
            })
    }

    /// All checks Java's validator runs on a complete path `path` (leaf
    /// first, without the anchor) ending at `anchor`.
    fn check_path(&mut self, path: &[usize], anchor: usize) -> Vec<Problem> {
        let mut problems = Vec::new();
        let public_anchor = self.pool[anchor].source == Source::PublicRoots;
        for (k, &c) in path.iter().enumerate() {
            let issuer = path.get(k + 1).copied().unwrap_or(anchor);
            match self.sig(c, issuer) {
                SigCheck::Valid => {}
                SigCheck::Invalid => problems.push(Problem::BadSignature { child: c, issuer }),
                SigCheck::Unsupported => {
                    problems.push(Problem::UnsupportedSignature { child: c, issuer })
                }
            }
            problems.extend(self.own_problems(c, public_anchor));
            if k > 0 {
                problems.extend(self.issuer_problems(path, k));
            }
        }
        if let Some(&leaf) = path.first() {
            problems.extend(self.leaf_problems(leaf));
        }
        problems
    }

    /// Validity and algorithm constraints of one non-anchor certificate.
    fn own_problems(&self, c: usize, public_anchor: bool) -> Vec<Problem> {
        let mut p = Vec::new();
        let cert = self.cert(c);
        if self.at > cert.not_after {
            p.push(Problem::Expired { cert: c });
        } else if self.at < cert.not_before {
            p.push(Problem::NotYetValid { cert: c });
        }
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

    /// CA checks for `path[k]`, which signs `path[k-1]`.
    fn issuer_problems(&self, path: &[usize], k: usize) -> Vec<Problem> {
        let mut p = Vec::new();
        let c = path[k];
        let cert = self.cert(c);
        if !cert.is_ca() {
            p.push(Problem::NotCa {
                cert: c,
                child: path[k - 1],
            });
        }
        if !cert.has_key_usage("keyCertSign") {
            p.push(Problem::NoKeyCertSign { cert: c });
        }
        if let Some(allowed) = cert.basic_constraints.as_ref().and_then(|b| b.path_len) {
            // Intermediates between this CA and the leaf, not counting self-issued ones.
            let found = path[1..k]
                .iter()
                .filter(|&&i| !self.cert(i).self_issued)
                .count() as u32;
            if found > allowed {
                p.push(Problem::PathLenExceeded {
                    cert: c,
                    allowed,
                    found,
                });
            }
        }
        p
    }

    fn leaf_problems(&self, leaf: usize) -> Vec<Problem> {
        match &self.cert(leaf).extended_key_usage {
            Some(eku)
                if !eku
                    .iter()
                    .any(|e| e == "serverAuth" || e == "anyExtendedKeyUsage") =>
            {
                vec![Problem::LeafUsage { cert: leaf }]
            }
            _ => vec![],
        }
    }

    /// Depth-first search for a path from `path.last()` to an anchor.
    /// Returns the complete valid path (with its anchor) when one is found.
    fn dfs(&mut self, path: &mut Vec<usize>) -> Option<(Vec<usize>, usize)> {
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

        // Trust anchors first, as Java's builder does.
        let anchors = self
            .anchors_by_subject
            .get(issuer_key.as_str())
            .cloned()
            .unwrap_or_default();
        for a in anchors {
            any_candidate = true;
            // Same name, other key id: another version of that CA certificate.
            if !self.key_ids_match(cur, a) {
                first_bad.get_or_insert(a);
                continue;
            }
            match self.sig(cur, a) {
                SigCheck::Invalid => {
                    first_bad.get_or_insert(a);
                    continue;
                }
                SigCheck::Valid | SigCheck::Unsupported => any_verified = true,
            }
            let problems = self.check_path(path, a);
            if problems.is_empty() {
                return Some((path.clone(), a));
            }
            if self.invalid.is_none() {
                self.invalid = Some((path.clone(), a, problems));
            }
        }
        if path.len() >= MAX_DEPTH {
            self.exhausted = true;
            return None;
        }
        let presented = self
            .presented_by_subject
            .get(issuer_key.as_str())
            .cloned()
            .unwrap_or_default();
        for p in presented {
            if path.contains(&p) {
                continue;
            }
            if !self.key_ids_match(cur, p) {
                any_candidate = true;
                first_bad.get_or_insert(p);
                continue;
            }
            // A presented certificate that equals a trusted one (same subject and key)
            // is covered by the anchor loop above.
            if self.trusted_twin(p).is_some() {
                continue;
            }
            any_candidate = true;
            match self.sig(cur, p) {
                SigCheck::Invalid => {
                    first_bad.get_or_insert(p);
                    continue;
                }
                SigCheck::Valid | SigCheck::Unsupported => any_verified = true,
            }
            path.push(p);
            let found = self.dfs(path);
            path.pop();
            if found.is_some() {
                return found;
            }
            if self.exhausted {
                return None;
            }
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

/// Walks from `server[0]` to a trust anchor. `server` lists pool indices in
/// the order the server sent them; every pool entry whose source is not
/// `Server` is a trust anchor.
pub fn walk(pool: &[Entry], server: &[usize], at: i64) -> Walk {
    let mut s = Search {
        pool,
        at,
        anchors_by_subject: HashMap::new(),
        presented_by_subject: HashMap::new(),
        sig_cache: HashMap::new(),
        sig_checks: 0,
        steps: 0,
        exhausted: false,
        invalid: None,
        dead_end: None,
    };
    for (i, e) in pool.iter().enumerate() {
        let map = if e.source == Source::Server {
            &mut s.presented_by_subject
        } else {
            &mut s.anchors_by_subject
        };
        map.entry(e.cert.raw.subject_key.as_str())
            .or_default()
            .push(i);
    }
    let Some(&leaf) = server.first() else {
        return Walk {
            verdict: Verdict::NoCertificates,
            mode: Mode::Build,
            path: vec![],
            anchor: None,
            dead_end: None,
            problems: vec![],
            exhausted: false,
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
    };

    // 1. The leaf itself is a trusted certificate (the very same one).
    if let Some(a) = s
        .trusted_twin(leaf)
        .filter(|&a| s.cert(a).raw.der == s.cert(leaf).raw.der)
    {
        return done(
            Verdict::Trusted,
            Mode::LeafTrusted,
            vec![leaf, a],
            Some(a),
            vec![],
            &s,
        );
    }

    // 2. A list ordered by name that reaches a trusted certificate (or the
    //    same subject and key) is validated as given.
    let mut prev_issuer: Option<&str> = None;
    let mut ordered = true;
    for (i, &c) in server.iter().enumerate() {
        let cert = s.cert(c);
        if i != 0 && Some(cert.raw.subject_key.as_str()) != prev_issuer {
            ordered = false;
            break;
        }
        if i != 0 {
            if let Some(a) = s.trusted_twin(c) {
                let path = server[..i].to_vec();
                let problems = s.check_path(&path, a);
                let mut full = path;
                full.push(a);
                let verdict = if problems.is_empty() {
                    Verdict::Trusted
                } else {
                    Verdict::Invalid
                };
                return done(verdict, Mode::Validate, full, Some(a), problems, &s);
            }
        }
        prev_issuer = Some(cert.raw.issuer_key.as_str());
    }
    //    Or whose last certificate names a trusted subject as its issuer:
    //    Java validates the list against the anchors with that name and does
    //    not search further, even when none of their keys fits.
    if ordered {
        let last = *server.last().unwrap_or(&leaf);
        let issuer_key = s.cert(last).raw.issuer_key.clone();
        let anchors = s
            .anchors_by_subject
            .get(issuer_key.as_str())
            .cloned()
            .unwrap_or_default();
        if !anchors.is_empty() {
            let path = server.to_vec();
            let fitting: Vec<usize> = anchors
                .iter()
                .copied()
                .filter(|&a| s.key_ids_match(last, a))
                .collect();
            let mut first_failure = None;
            for &a in &fitting {
                let problems = s.check_path(&path, a);
                let mut full = path.clone();
                full.push(a);
                if problems.is_empty() {
                    return done(Verdict::Trusted, Mode::Validate, full, Some(a), vec![], &s);
                }
                first_failure.get_or_insert((full, a, problems));
            }
            let (full, a, problems) = first_failure.unwrap_or_else(|| {
                (
                    path.clone(),
                    anchors[0],
                    vec![Problem::BadSignature {
                        child: last,
                        issuer: anchors[0],
                    }],
                )
            });
            let anchor = (full.last() == Some(&a)).then_some(a);
            return done(Verdict::Invalid, Mode::Validate, full, anchor, problems, &s);
        }
    }

    // 3. Build.
    let mut path = vec![leaf];
    if let Some((mut found, a)) = s.dfs(&mut path) {
        found.push(a);
        return done(Verdict::Trusted, Mode::Build, found, Some(a), vec![], &s);
    }
    if let Some((mut p, a, problems)) = s.invalid.take() {
        p.push(a);
        return done(Verdict::Invalid, Mode::Build, p, Some(a), problems, &s);
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
    }
}
