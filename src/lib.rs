//! imap-doctor's diagnosis engine: plain Rust, no I/O, the same natively and
//! in the browser. Text and bytes in, a typed [`Report`] out.
//!
//! The web page (`web`, wasm32 only) and the command line (`cli`, native
//! only) are thin shells over [`analyze`].

pub mod analyze;
pub mod cert;
pub mod chain;
pub mod dn;
pub mod errtext;
pub mod host;
pub mod input;
pub mod java;
pub mod keystore;
pub mod keytool;
pub mod openssl;
pub mod report;
pub mod roots;
pub mod rules;
pub mod settings;
pub mod sig;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod probe;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use analyze::{analyze, Input, Options};
pub use chain::Verdict;
pub use report::Report;
pub use rules::{Finding, Rule, Severity};
