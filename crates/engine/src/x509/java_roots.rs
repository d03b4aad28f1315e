//! Java's own trust stores: which root certificates each Java line (8, 11,
//! 17, 21, 25) trusts at each update, Debian's packaged store, and the
//! `jdk.security.caDistrustPolicies` of each update.
//!
//! The tables come from `data/java-roots` through `build.rs`: every root is
//! embedded once (roots Mozilla also has are taken from the Mozilla set the
//! engine already links), and parsed on first use. Where the data is
//! inferred rather than read from that line's own source tree (8 and 17
//! history, all of 21 and 25), the answers say so.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::java::{JavaRelease, TrustStore, RELEASE_LINES};
use crate::x509::cert::Certificate;

pub struct RootRec {
    sha256: [u8; 32],
    alias: &'static str,
    /// Offset and length in the DER blob; `None`: take it from the Mozilla set.
    der: Option<(usize, usize)>,
}

pub struct DistrustRec {
    policy: &'static str,
    root: [u8; 32],
    after: &'static str,
    /// (line index, first update with the policy, whether that is inferred).
    since: &'static [(u8, u16, bool)],
}

mod data {
    use super::{DistrustRec, RootRec};
    include!(concat!(env!("OUT_DIR"), "/java_roots.rs"));
}

static DER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/java_roots.der"));

/// Line indices in the membership table: 0..=4 are [`RELEASE_LINES`], 5 is Debian 12.
const DEBIAN: u8 = 5;
const NEWEST: u16 = u16::MAX - 1;

/// One root of some Java trust store.
#[derive(Debug)]
pub struct JavaRoot {
    pub cert: Arc<Certificate>,
    /// The JDK's alias (`digicertglobalrootca`), or Debian's when only Debian has it.
    pub alias: &'static str,
    index: u16,
}

/// Every root any bundled Java store holds, parsed once.
pub fn roots() -> &'static [JavaRoot] {
    static ROOTS: OnceLock<Vec<JavaRoot>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let mozilla: HashMap<String, &Arc<Certificate>> = super::roots::public_roots()
            .iter()
            .map(|c| (c.sha256.clone(), c))
            .collect();
        data::ROOTS
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let cert = match r.der {
                    Some((off, len)) => {
                        Arc::new(Certificate::from_der(DER.get(off..off + len)?).ok()?)
                    }
                    None => Arc::clone(mozilla.get(&colon(&r.sha256))?),
                };
                Some(JavaRoot {
                    cert,
                    alias: r.alias,
                    index: i as u16,
                })
            })
            .collect()
    })
}

/// The keytool form of a fingerprint, as [`Certificate::sha256`] holds it.
fn colon(b: &[u8]) -> String {
    crate::x509::cert::colon_hex(b)
}

fn line_index(line: u8) -> Option<u8> {
    RELEASE_LINES
        .iter()
        .position(|&l| l == line)
        .map(|i| i as u8)
}

fn present(index: u16, line: u8, update: u16) -> bool {
    data::MEMBERS.iter().any(|&(r, l, first, exact, removed)| {
        r == index && l == line && (!exact || first <= update) && update < removed
    })
}

/// The newest update of a line the data knows (additions or removals).
pub fn newest_update(line: u8) -> Option<u16> {
    let li = line_index(line)?;
    data::MEMBERS
        .iter()
        .filter(|m| m.1 == li)
        .flat_map(|&(_, _, first, _, removed)| {
            [first, if removed == u16::MAX { 0 } else { removed }]
        })
        .max()
}

/// Whether the line's membership history is read from its own sources
/// (11) or mapped from jdk11u by quarterly update (8, 17, 21, 25).
pub fn history_inferred(line: u8) -> bool {
    line != 11
}

/// The roots a store holds for a release. `ArchiverOnly` holds none.
pub fn anchors(store: TrustStore, release: JavaRelease) -> Vec<&'static JavaRoot> {
    let (line, update) = match store {
        TrustStore::Jdk => match line_index(release.line) {
            Some(l) => (l, release.update.unwrap_or(NEWEST)),
            None => return vec![],
        },
        TrustStore::Debian => (DEBIAN, NEWEST),
        TrustStore::Mozilla | TrustStore::ArchiverOnly => return vec![],
    };
    roots()
        .iter()
        .filter(|r| present(r.index, line, update))
        .collect()
}

/// A fingerprint without colons, lower case: keytool's and openssl's forms compare equal.
fn plain(sha256: &str) -> String {
    sha256.replace(':', "").to_ascii_lowercase()
}

/// The Java root with this fingerprint (colon or plain hex, any case).
pub fn find(sha256: &str) -> Option<&'static JavaRoot> {
    let want = plain(sha256);
    roots().iter().find(|r| plain(&r.cert.sha256) == want)
}

/// Whether the JDK's own cacerts of this release holds the certificate: the
/// set `jdkCA` in `jdk.certpath.disabledAlgorithms` refers to (SHA-1 below
/// such a root is refused; below a private root it is allowed).
pub fn is_jdk_ca(sha256: &str, store: TrustStore, release: JavaRelease) -> bool {
    let Some(r) = find(sha256) else { return false };
    match store {
        TrustStore::Debian => present(r.index, DEBIAN, NEWEST),
        TrustStore::Mozilla => super::roots::public_roots()
            .iter()
            .any(|m| m.sha256 == r.cert.sha256),
        _ => line_index(release.line)
            .is_some_and(|l| present(r.index, l, release.update.unwrap_or(NEWEST))),
    }
}

/// In which Java stores a root is, in words: "Java 17.0.8 and later",
/// "Java 8 up to 8u461", "Debian/Ubuntu packaged Java".
pub fn availability(root: &JavaRoot) -> Vec<String> {
    let mut out = Vec::new();
    for (li, &line) in RELEASE_LINES.iter().enumerate() {
        for &(r, l, first, exact, removed) in data::MEMBERS {
            if r != root.index || l != li as u8 {
                continue;
            }
            let from = if first == 0 || !exact {
                format!("Java {line}")
            } else {
                format!("Java {} and later", JavaRelease::update_label(line, first))
            };
            let text = if removed == u16::MAX {
                from
            } else {
                format!(
                    "{from} until {} (removed there)",
                    JavaRelease::update_label(line, removed)
                )
            };
            let note = if history_inferred(line) && (first > 0 || removed != u16::MAX) {
                " (update inferred from jdk11u)"
            } else {
                ""
            };
            out.push(format!("{text}{note}"));
        }
    }
    if data::MEMBERS
        .iter()
        .any(|m| m.0 == root.index && m.1 == DEBIAN)
    {
        out.push("Debian/Ubuntu packaged Java (ca-certificates-java)".into());
    }
    out
}

/// A distrust policy that applies to a root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distrust {
    /// The `jdk.security.caDistrustPolicies` value (`ENTRUST_TLS`).
    pub policy: &'static str,
    /// TLS server certificates issued (notBefore) after this day are refused.
    pub after: &'static str,
    /// The first update of the release's line that enforces it.
    pub since: String,
    /// That first update is inferred, not read from the line's sources.
    pub inferred: bool,
    /// The selected release enforces it.
    pub enforced: bool,
}

/// The distrust policy for an anchor, for a release: enforced when the
/// release already ships it, otherwise the update that will.
pub fn distrust(anchor_sha256: &str, release: JavaRelease) -> Option<Distrust> {
    let li = line_index(release.line)?;
    let want = plain(anchor_sha256);
    let rec = data::DISTRUST
        .iter()
        .find(|d| plain(&colon(&d.root)) == want)?;
    let &(_, first, inferred) = rec.since.iter().find(|s| s.0 == li)?;
    Some(Distrust {
        policy: rec.policy,
        after: rec.after,
        since: JavaRelease::update_label(release.line, first),
        inferred,
        enforced: release.update.unwrap_or(NEWEST) >= first,
    })
}

/// Java's decision (`*TLSPolicy.checkDistrust`): a server certificate is
/// refused when its notBefore, as a UTC day, is after the policy's date.
pub fn issued_after(not_before: i64, after: &str) -> bool {
    let day = crate::diagnose::format_time(not_before);
    day.get(..10).is_some_and(|d| d > after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_root_resolves() {
        assert_eq!(roots().len(), data::ROOTS.len());
    }

    #[test]
    fn distrust_day_is_exclusive() {
        // 2024-11-11T23:00Z is on the day itself: still accepted.
        assert!(!issued_after(1_731_366_000, "2024-11-11"));
        assert!(issued_after(1_731_366_000 + 3_600 * 2, "2024-11-11"));
    }
}
