//! Certificates: the parsed model, distinguished names, signature checks and
//! the bundled public roots.

pub mod cert;
pub mod dn;
pub mod roots;
pub mod sig;
