//! Certificates: the parsed model, distinguished names, signature checks,
//! the bundled public roots, Java's own trust stores per release, and the
//! catalogue of public intermediates.

pub mod catalogue;
pub mod cert;
pub mod dn;
pub mod ecdsa;
pub mod fingerprint;
pub mod java_roots;
mod montgomery;
pub mod roots;
pub mod rsa;
pub mod sig;
