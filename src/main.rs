//! One binary, two shells: the command line natively, the web page in wasm.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(imap_doctor::cli::main());
}

#[cfg(target_arch = "wasm32")]
fn main() {
    imap_doctor::web::start();
}
