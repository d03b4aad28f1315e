//! Java's own trust stores: which root certificates each Java line (8, 11,
//! 17, 21, 25) trusts at each update, Debian's packaged store, and the
//! `jdk.security.caDistrustPolicies` of each update.
//!
//! The tables come from `data/java-roots` through `build.rs`: every root is
//! embedded once (with `all-roots`, roots Mozilla also has are taken from the
//! Mozilla set the command line links), and parsed on first use. The page
//! (no `all-roots`) carries every Java store's roots (the JDK lines' at
//! every update, Debian's) and knows the rest of Mozilla's list by name
//! ([`known_by_name`]); [`not_carried`] says when that can matter. Where the data is
//! inferred rather than read from that line's own source tree (8 and 17
//! history, all of 21 and 25), the answers say so.

use std::sync::{Arc, OnceLock};

use crate::java::{JavaRelease, TrustStore, RELEASE_LINES};
use crate::x509::cert::Certificate;
use crate::x509::dn::Dn;
#[cfg(feature = "all-roots")]
use crate::x509::fingerprint::Fingerprint;
use crate::x509::fingerprint::Sha256Fingerprint;

pub struct RootRec {
    sha256: [u8; 32],
    alias: &'static str,
    der: Stored,
}

/// Where a root's certificate is in this build.
pub enum Stored {
    /// Offset and length in the DER blob.
    Der(usize, usize),
    /// In the Mozilla set (`all-roots` builds only).
    Mozilla,
}

pub struct DistrustRec {
    policy: &'static str,
    root: [u8; 32],
    after: &'static str,
    /// (line index, first update with the policy, whether that is inferred).
    since: &'static [(u8, u16, bool)],
}

mod data {
    use super::{DistrustRec, RootRec, Stored};
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
        data::ROOTS
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let cert = match r.der {
                    Stored::Der(off, len) => {
                        Arc::new(Certificate::from_der(DER.get(off..off + len)?).ok()?)
                    }
                    Stored::Mozilla => from_mozilla(&r.sha256)?,
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

#[cfg(feature = "all-roots")]
fn from_mozilla(sha256: &[u8; 32]) -> Option<Arc<Certificate>> {
    use std::collections::HashMap;
    static BY_SHA: OnceLock<HashMap<Sha256Fingerprint, Arc<Certificate>>> = OnceLock::new();
    BY_SHA
        .get_or_init(|| {
            super::roots::public_roots()
                .iter()
                .map(|c| (c.sha256, Arc::clone(c)))
                .collect()
        })
        .get(&Fingerprint(*sha256))
        .cloned()
}

#[cfg(not(feature = "all-roots"))]
fn from_mozilla(_: &[u8; 32]) -> Option<Arc<Certificate>> {
    // build.rs emits `Stored::Mozilla` only with `all-roots`.
    None
}

/// Whether Mozilla's set holds this fingerprint (the set keeps the first
/// 8 bytes of each).
pub(crate) fn in_mozilla_set(sha256: &Sha256Fingerprint) -> bool {
    data::MOZILLA.iter().any(|m| sha256.0.starts_with(m))
}

pub(crate) fn mozilla_set_len() -> usize {
    data::MOZILLA.len()
}

/// On the page, whose Mozilla store lacks the roots no Java store has:
/// one sentence saying so, for a chain that reached no anchor.
pub fn not_carried(store: TrustStore) -> Option<String> {
    (!super::roots::COMPLETE && store == TrustStore::Mozilla).then(|| format!(
        "This page carries the {} roots of Mozilla's list that some Java store also has, of {}; a chain ending at one of the others is judged fully only by the command line (imap-doctor analyze --trust-store mozilla).",
        super::roots::public_roots().len(),
        data::MOZILLA.len()
    ))
}

/// A public root this build knows only by its name: on the page, the roots
/// of Mozilla's list that no Java store has (the page carries every Java
/// store's roots, not Mozilla's others: size budget). Enough to say who
/// trusts it and when it expires, never enough to check a signature.
#[derive(Clone, Copy, Debug)]
pub struct NamedRoot {
    /// Its name (the subject's common name, or organization).
    pub name: &'static str,
    /// notAfter, seconds since 1970 (to the day).
    pub not_after: i64,
}

/// The key both a certificate's subject and a name read from a tool's text
/// yield: the first 8 bytes of the SHA-256 of [`Dn::loose_key`].
fn name_key(name: &Dn) -> [u8; 8] {
    use sha2::Digest;
    let h = sha2::Sha256::digest(name.loose_key().as_bytes());
    let mut out = [0u8; 8];
    out.copy_from_slice(&h[..8]);
    out
}

/// The public root named `name` that this build does not carry, if any
/// (always `None` with `all-roots`: the command line carries every root).
pub fn known_by_name(name: &Dn) -> Option<NamedRoot> {
    let key = name_key(name);
    data::MOZILLA_NOT_CARRIED
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|&(_, name, days)| NamedRoot {
            name,
            not_after: i64::from(days) * 86_400,
        })
}

impl NamedRoot {
    /// Whether the selected store holds the root: only Mozilla's list
    /// does (no Java store has it, whatever the release).
    pub fn held_by(&self, store: TrustStore) -> bool {
        store == TrustStore::Mozilla
    }
}

/// The entry of an availability list that speaks of `line`.
pub fn first_in_line(availability: Vec<String>, line: u8) -> Option<String> {
    availability.into_iter().find(|t| {
        t.starts_with(&format!("Java {line} ")) || t.starts_with(&format!("Java {line}."))
    })
}

/// A Java line's index in the membership table.
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

/// The Java root with this fingerprint.
pub fn find(sha256: &Sha256Fingerprint) -> Option<&'static JavaRoot> {
    roots().iter().find(|r| r.cert.sha256 == *sha256)
}

/// Whether the JDK's own cacerts of this release holds the certificate: the
/// set `jdkCA` in `jdk.certpath.disabledAlgorithms` refers to (SHA-1 below
/// such a root is refused; below a private root it is allowed).
pub fn is_jdk_ca(sha256: &Sha256Fingerprint, store: TrustStore, release: JavaRelease) -> bool {
    let Some(r) = find(sha256) else { return false };
    match store {
        TrustStore::Debian => present(r.index, DEBIAN, NEWEST),
        TrustStore::Mozilla => in_mozilla_set(&r.cert.sha256),
        _ => line_index(release.line)
            .is_some_and(|l| present(r.index, l, release.update.unwrap_or(NEWEST))),
    }
}

/// In which Java stores a root is, in words: "Java 17.0.8 and later",
/// "Java 8 up to 8u461", "Debian/Ubuntu packaged Java".
pub fn availability(root: &JavaRoot) -> Vec<String> {
    let index = root.index;
    let mut out = Vec::new();
    for (li, &line) in RELEASE_LINES.iter().enumerate() {
        for &(r, l, first, exact, removed) in data::MEMBERS {
            if r != index || l != li as u8 {
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
    if data::MEMBERS.iter().any(|m| m.0 == index && m.1 == DEBIAN) {
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
pub fn distrust(anchor_sha256: &Sha256Fingerprint, release: JavaRelease) -> Option<Distrust> {
    let li = line_index(release.line)?;
    let rec = data::DISTRUST.iter().find(|d| d.root == anchor_sha256.0)?;
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

    /// The page carries every Java store's roots at every update, so its
    /// verdict with them is the command line's for any `--java` choice;
    /// only its Mozilla store lacks roots (those no Java store has).
    #[test]
    fn every_java_store_is_carried() {
        for line in RELEASE_LINES {
            let newest = newest_update(line).unwrap_or(0);
            for update in (0..=newest + 1).map(Some).chain([None]) {
                let release = JavaRelease { line, update };
                assert!(!anchors(TrustStore::Jdk, release).is_empty());
            }
        }
        assert_eq!(not_carried(TrustStore::Jdk), None);
        assert_eq!(not_carried(TrustStore::Debian), None);
        assert_eq!(
            not_carried(TrustStore::Mozilla).is_some(),
            !super::super::roots::COMPLETE
        );
    }

    fn vendored_roots() -> Vec<Vec<u8>> {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/java-roots/certs.pem"
        ))
        .unwrap();
        pem::parse_many(&text)
            .unwrap()
            .into_iter()
            .map(|p| p.into_contents())
            .collect()
    }

    fn subject_of(sha: &str) -> Dn {
        vendored_roots()
            .iter()
            .filter_map(|d| Certificate::from_der(d).ok())
            .find(|c| c.sha256.0 == unhex_sha(sha))
            .unwrap()
            .subject
            .clone()
    }

    /// `data/java-roots/name-keys.tsv` holds, for every Java root and every
    /// root of Mozilla's set, the key of its subject name as the engine's
    /// own `Dn` computes it from the certificate (build.rs, which cannot
    /// call the engine, reads the file). `NAME_KEYS_WRITE=1` rewrites it.
    #[test]
    fn name_keys_match_the_roots() {
        let mut rows: Vec<(String, String)> = vendored_roots()
            .iter()
            .map(Vec::as_slice)
            .chain(
                webpki_root_certs::TLS_SERVER_ROOT_CERTS
                    .iter()
                    .map(|d| d.as_ref()),
            )
            .map(|der| {
                let c = Certificate::from_der(der).unwrap();
                let key: String = name_key(&c.subject)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                (hex_of(&c.sha256.0), key)
            })
            .collect();
        rows.sort();
        rows.dedup();
        let text: String = std::iter::once("sha256\tname_key\n".to_string())
            .chain(rows.iter().map(|(s, k)| format!("{s}\t{k}\n")))
            .collect();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/java-roots/name-keys.tsv"
        );
        if std::env::var_os("NAME_KEYS_WRITE").is_some() {
            std::fs::write(path, &text).unwrap();
        }
        assert!(
            std::fs::read_to_string(path).unwrap_or_default() == text,
            "{path} is stale: rerun this test with NAME_KEYS_WRITE=1"
        );
    }

    fn hex_of(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// The roots of Mozilla's list that no Java store has are known on the
    /// page by name, from a certificate's subject or from the name as
    /// openssl prints it; every Java root is carried (AffirmTrust
    /// Commercial, in Java 17 until 17.0.17; TrustCor RootCert CA-1, in
    /// Debian 12's store only). The command line carries every root.
    #[test]
    fn roots_not_carried_are_known_by_name() {
        for sha in [
            "0376ab1d54c5f9803ce4b2e201a0ee7eef7b57b636e8a93c9b8d4860c96f5fa7",
            "d40e9c86cd8fe468c1776959f49ea774fa548684b6c406f3909261f4dce2575c",
        ] {
            assert!(known_by_name(&subject_of(sha)).is_none(), "{sha}");
        }
        let java: Vec<[u8; 32]> = roots().iter().map(|r| r.cert.sha256.0).collect();
        let mozilla_only: Vec<Certificate> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .filter_map(|d| Certificate::from_der(d.as_ref()).ok())
            .filter(|c| !java.contains(&c.sha256.0))
            .collect();
        assert!(!mozilla_only.is_empty());
        for c in &mozilla_only {
            let named = known_by_name(&c.subject);
            if super::super::roots::COMPLETE {
                assert!(named.is_none());
                continue;
            }
            let n = named.unwrap_or_else(|| panic!("{} is not known", c.subject.display()));
            assert!(!n.name.is_empty());
            assert!(n.held_by(TrustStore::Mozilla));
            for store in [
                TrustStore::Jdk,
                TrustStore::Debian,
                TrustStore::ArchiverOnly,
            ] {
                assert!(!n.held_by(store));
            }
            assert_eq!(n.not_after, c.not_after.div_euclid(86_400) * 86_400);
            // The same name as text, as openssl prints it.
            let text = openssl_subject(&c.raw.der);
            let parsed = Dn::parse_text(&text).unwrap();
            assert_eq!(
                known_by_name(&parsed).map(|r| r.name),
                Some(n.name),
                "{text}"
            );
        }
        if !super::super::roots::COMPLETE {
            assert_eq!(data::MOZILLA_NOT_CARRIED.len(), mozilla_only.len());
        }
    }

    /// The subject as `openssl x509 -subject` (and s_client) prints it.
    fn openssl_subject(der: &[u8]) -> String {
        use std::io::Write;
        let mut child = std::process::Command::new("openssl")
            .args(["x509", "-inform", "DER", "-noout", "-subject"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("openssl is installed by scripts/setup");
        child.stdin.take().unwrap().write_all(der).unwrap();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        text.trim().trim_start_matches("subject=").to_string()
    }

    fn unhex_sha(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    #[test]
    fn distrust_day_is_exclusive() {
        // 2024-11-11T23:00Z is on the day itself: still accepted.
        assert!(!issued_after(1_731_366_000, "2024-11-11"));
        assert!(issued_after(1_731_366_000 + 3_600 * 2, "2024-11-11"));
    }
}
