//! imap-doctor's diagnosis engine: plain Rust, no I/O, the same natively and
//! in the browser. Text and bytes in, a typed [`Report`] out.
//!
//! The web page, the command line and the probe are thin shells over
//! [`analyze`]. Each folder holds one concept:
//! - `x509`: the certificate model, names, signatures, the bundled roots;
//! - `pkix`: the chain walk as Java's validator does it, and host names;
//! - `input`: recognising what was pasted or dropped (PEM/PKCS#7, s_client,
//!   keytool, keystores, error texts);
//! - `diagnose`: evidence in, one diagnosis out;
//! - `rules`: the rule table (ids, wording, fixes);
//! - `settings`: the IMAP / Microsoft 365 settings checker;
//! - `report`: the typed report and its text and Markdown forms.

pub mod dates;
pub mod diagnose;
pub mod input;
pub mod java;
pub mod json;
pub mod pkix;
pub mod report;
pub mod rules;
pub mod secret;
pub mod settings;
pub mod tls;
pub mod x509;

pub use diagnose::{analyze, Input, Options};
pub use pkix::chain::Verdict;
pub use report::Report;
pub use rules::{Finding, Rule, Severity};
