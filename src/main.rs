//! The page's entry point (wasm32). The native command line is the
//! `imap-doctor` crate in `crates/cli`.

#[cfg(target_arch = "wasm32")]
fn main() {
    imap_doctor_web::start();
}

/// The Web Worker's entry (`www/worker.js`): analyses one job (the form as
/// a JS object) and returns the report encoded. In a worker `main` runs
/// too, and does nothing there: `start` needs a window.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn analyze_job(job: wasm_bindgen::JsValue) -> Vec<u8> {
    imap_doctor_web::analyze_job(&job)
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the web page's crate: build it with `trunk build`. The command line is `cargo run -p imap-doctor`.");
    std::process::exit(2);
}
