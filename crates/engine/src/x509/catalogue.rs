//! Public intermediate CA certificates from the CCADB (Common CA Database,
//! CDLA-Permissive-2.0), so a missing intermediate can be handed over with
//! no network: looked up by Subject DN and key identifier, its signature
//! checked against the certificate below, and the variant chosen that chains
//! to a root the selected Java trusts.
//!
//! With the `full-catalogue` feature (the command line) every entry is
//! embedded; without it (the page) the curated entries are, plus a name
//! index of all entries (first three bytes of the Subject Key Identifier, CA
//! owner, expiry) so any missing public intermediate is at least named.

use std::sync::{Arc, OnceLock};

use crate::x509::cert::Certificate;
use crate::x509::sig::{verify, SigCheck};

mod data {
    include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
}

static DER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalogue.der"));

/// Levels of catalogue intermediates tried above the offered one.
const MAX_UP: usize = 3;

/// One embedded catalogue certificate.
#[derive(Debug)]
pub struct Entry {
    pub cert: Arc<Certificate>,
    /// The CA owner (the organisation of the root it chains to).
    pub owner: &'static str,
}

/// The day of the CCADB data the catalogue was made from (`YYYY-MM-DD`).
pub fn date() -> &'static str {
    data::DATE
}

/// Entries in the whole catalogue, embedded or only named.
pub fn size() -> usize {
    data::COUNT
}

/// Whether every entry's certificate is embedded (the command line).
pub fn is_full() -> bool {
    data::FULL
}

fn stored_der(i: usize) -> Option<&'static [u8]> {
    let &(off, len, _) = data::STORED.get(i)?;
    DER.get(off as usize..(off + len) as usize)
}

/// Embedded certificate `i`, parsed on first use: a lookup reads the few
/// with the name it looks for, not the thousands embedded (parsing them all
/// cost a 4,000-certificate paste a fifth of its time). `None` when it does
/// not parse.
fn entry(i: usize) -> Option<&'static Entry> {
    static E: OnceLock<Vec<OnceLock<Option<Entry>>>> = OnceLock::new();
    let slots = E.get_or_init(|| data::STORED.iter().map(|_| OnceLock::new()).collect());
    slots
        .get(i)?
        .get_or_init(|| {
            let &(_, _, owner) = data::STORED.get(i)?;
            Some(Entry {
                cert: Arc::new(Certificate::from_der(stored_der(i)?).ok()?),
                owner: data::OWNERS.get(owner as usize).copied().unwrap_or(""),
            })
        })
        .as_ref()
}

/// Java's name key of a certificate's subject, read without parsing the
/// rest of it (the same key its full parse gives).
fn subject_key(der: &[u8]) -> Option<String> {
    use crate::x509::cert::der_next;
    use x509_parser::prelude::{FromDer, X509Name};
    let (_, cert, _) = der_next(der)?;
    let (_, tbs, _) = der_next(cert)?;
    // [0] version (optional), serial, signature, issuer, validity, subject.
    let mut rest = tbs;
    if rest.first() == Some(&0xA0) {
        rest = der_next(rest)?.2;
    }
    for _ in 0..4 {
        rest = der_next(rest)?.2;
    }
    let (_, name) = X509Name::from_der(rest).ok()?;
    Some(crate::x509::dn::Dn::from_x509(&name).java_key())
}

/// The embedded entries whose subject is `name`, in catalogue order.
pub fn by_name(name: &crate::x509::dn::Dn) -> Vec<&'static Entry> {
    by_subject(&name.java_key()).collect()
}

/// The embedded entries whose subject has Java's name key `key`, in
/// catalogue order. The keys are read once; a lookup compares them all (a
/// few thousand short strings, microseconds, for a handful of lookups).
fn by_subject(key: &str) -> impl Iterator<Item = &'static Entry> + '_ {
    static KEYS: OnceLock<Vec<Option<String>>> = OnceLock::new();
    KEYS.get_or_init(|| {
        (0..data::STORED.len())
            .map(|i| stored_der(i).and_then(subject_key))
            .collect()
    })
    .iter()
    .enumerate()
    .filter(move |(_, k)| k.as_deref() == Some(key))
    .filter_map(|(i, _)| entry(i))
}

/// Embedded entries whose subject is `child`'s issuer and whose Subject Key
/// Identifier is `child`'s Authority Key Identifier (when both are present).
pub fn lookup(child: &Certificate) -> Vec<&'static Entry> {
    by_subject(&child.raw.issuer_key)
        .filter(
            |e| match (&child.authority_key_id, &e.cert.subject_key_id) {
                (Some(a), Some(s)) => a == s,
                _ => true,
            },
        )
        .collect()
}

/// What the name index knows of an entry that is not embedded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub owner: &'static str,
    /// notAfter month, `YYYY-MM`.
    pub not_after: String,
}

/// The name index (page build): entries whose Subject Key Identifier starts
/// with the first three bytes of `aki` (colon hex); one false match in about
/// 5,800 lookups of an unrelated key.
pub fn named(aki: &str) -> Vec<Named> {
    let bytes: Vec<u8> = aki
        .split(':')
        .take(4)
        .filter_map(|h| u8::from_str_radix(h, 16).ok())
        .collect();
    let Ok(prefix) = <[u8; 4]>::try_from(bytes.as_slice()) else {
        return vec![];
    };
    data::NAME_SKI
        .iter()
        .zip(data::NAME_OWNER.iter().zip(data::NAME_MONTH))
        .filter(|(ski, _)| ski[..] == prefix[..3])
        .map(|(_, (&owner, &month))| Named {
            owner: data::OWNERS.get(owner as usize).copied().unwrap_or(""),
            not_after: format!("{}-{:02}", month / 12, month % 12 + 1),
        })
        .collect()
}

/// A catalogue certificate that can stand in for the missing one.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub entry: &'static Entry,
    /// Its key verifies the certificate below.
    pub signs_child: bool,
    /// Expired at the analysis time: named, never offered as the fix.
    pub expired: bool,
    /// Further catalogue certificates needed above it (in order), and the
    /// trusted root the chain ends at, when it reaches one.
    pub above: Vec<&'static Entry>,
    pub root: Option<Arc<Certificate>>,
}

impl Candidate {
    /// Usable as the fix: signs the certificate below, valid, reaches a trusted root.
    pub fn is_fix(&self) -> bool {
        self.signs_child && !self.expired && self.root.is_some()
    }
}

fn issued_by(child: &Certificate, issuer: &Certificate) -> bool {
    child.raw.issuer_key == issuer.raw.subject_key
        && match (&child.authority_key_id, &issuer.subject_key_id) {
            (Some(a), Some(s)) => a == s,
            _ => true,
        }
        && verify(child, issuer) == SigCheck::Valid
}

/// From `cert` up to one of `anchors`, through at most [`MAX_UP`] further
/// unexpired catalogue certificates.
fn climb(
    cert: &Certificate,
    anchors: &[Arc<Certificate>],
    at: i64,
    depth: usize,
) -> Option<(Vec<&'static Entry>, Arc<Certificate>)> {
    if let Some(a) = anchors.iter().find(|a| issued_by(cert, a)) {
        return Some((vec![], a.clone()));
    }
    if depth >= MAX_UP {
        return None;
    }
    for e in by_subject(&cert.raw.issuer_key) {
        if e.cert.not_after < at || e.cert.raw.der == cert.raw.der || !issued_by(cert, &e.cert) {
            continue;
        }
        if let Some((mut up, root)) = climb(&e.cert, anchors, at, depth + 1) {
            up.insert(0, e);
            return Some((up, root));
        }
    }
    None
}

/// Every catalogue variant of `child`'s missing issuer, best first: signs
/// the child, unexpired, chains to `anchors` (the selected Java's roots),
/// fewest extra certificates.
pub fn candidates(child: &Certificate, anchors: &[Arc<Certificate>], at: i64) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = lookup(child)
        .into_iter()
        .take(16)
        .map(|e| {
            let signs_child = verify(child, &e.cert) == SigCheck::Valid;
            let expired = e.cert.not_after < at;
            let (above, root) = if signs_child {
                climb(&e.cert, anchors, at, 0)
                    .map(|(u, r)| (u, Some(r)))
                    .unwrap_or((vec![], None))
            } else {
                (vec![], None)
            };
            Candidate {
                entry: e,
                signs_child,
                expired,
                above,
                root,
            }
        })
        .collect();
    out.sort_by_key(|c| {
        (
            !c.signs_child,
            c.expired,
            c.root.is_none(),
            c.above.len(),
            -c.entry.cert.not_after,
        )
    });
    out
}
