//! imap-doctor's web page: a thin yew shell over `imap-doctor-engine`,
//! built to WebAssembly with Trunk. Natively this crate is empty (its
//! native tests drive the built page in headless Chromium).

#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(target_arch = "wasm32")]
pub use web::{analyze_job, codec, start, App};
