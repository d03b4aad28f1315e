//! What Java's validator does with a chain: the path walk and its budget,
//! and the host-name check.

pub mod chain;
pub mod host;
