//! The page's entry point (wasm32). The native command line is the
//! `imap-doctor` crate in `crates/cli`.

#[cfg(target_arch = "wasm32")]
fn main() {
    imap_doctor_web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the web page's crate: build it with `trunk build`. The command line is `cargo run -p imap-doctor`.");
    std::process::exit(2);
}
