//! The bundled Mozilla root set (the rustls project's `webpki-root-certs`,
//! full certificates so a root can be shown and downloaded), parsed once.

use std::sync::{Arc, OnceLock};

use crate::x509::cert::Certificate;

/// The public roots, parsed on first use. Roots that fail to parse are skipped.
pub fn public_roots() -> &'static [Arc<Certificate>] {
    static ROOTS: OnceLock<Vec<Arc<Certificate>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .filter_map(|der| Certificate::from_der(der.as_ref()).ok())
            .map(Arc::new)
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn roots_parse() {
        let roots = super::public_roots();
        assert!(roots.len() > 100, "only {} roots parsed", roots.len());
        assert!(roots.iter().all(|r| r.self_issued));
    }
}
