//! The Mozilla root set (the rustls project's `webpki-root-certs`, full
//! certificates so a root can be shown and downloaded), parsed once.
//!
//! With the `all-roots` feature (the command line) the whole set is linked.
//! Without it (the page, which has a size budget) only the Mozilla roots
//! some JDK line also ships are available as certificates (they are embedded
//! for Java anyway); the rest of the set is known by fingerprint only.

use std::sync::{Arc, OnceLock};

use crate::x509::cert::Certificate;

/// Whether [`public_roots`] is Mozilla's whole set (the command line).
pub const COMPLETE: bool = cfg!(feature = "all-roots");

/// The public roots, parsed on first use. Roots that fail to parse are skipped.
pub fn public_roots() -> &'static [Arc<Certificate>] {
    static ROOTS: OnceLock<Vec<Arc<Certificate>>> = OnceLock::new();
    ROOTS.get_or_init(load)
}

#[cfg(feature = "all-roots")]
fn load() -> Vec<Arc<Certificate>> {
    webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .filter_map(|der| Certificate::from_der(der.as_ref()).ok())
        .map(Arc::new)
        .collect()
}

#[cfg(not(feature = "all-roots"))]
fn load() -> Vec<Arc<Certificate>> {
    crate::x509::java_roots::roots()
        .iter()
        .filter(|r| is_mozilla(&r.cert.sha256))
        .map(|r| Arc::clone(&r.cert))
        .collect()
}

/// Whether Mozilla's set holds the certificate with this fingerprint (colon
/// or plain hex), whether or not this build links the certificate itself.
pub fn is_mozilla(sha256: &crate::x509::fingerprint::Sha256Fingerprint) -> bool {
    crate::x509::java_roots::in_mozilla_set(sha256)
}

/// Roots in Mozilla's set, linked or not.
pub fn mozilla_count() -> usize {
    crate::x509::java_roots::mozilla_set_len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn roots_parse() {
        let roots = super::public_roots();
        assert!(roots.len() > 50, "only {} roots parsed", roots.len());
        assert!(roots.iter().all(|r| r.self_issued));
        assert!(roots.iter().all(|r| super::is_mozilla(&r.sha256)));
        if super::COMPLETE {
            assert_eq!(roots.len(), super::mozilla_count());
        } else {
            assert!(roots.len() < super::mozilla_count());
        }
    }
}
