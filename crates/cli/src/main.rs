//! The `imap-doctor` command: `analyze` pastes and files, `probe` a live server.

mod cli;
mod console;

fn main() {
    std::process::exit(cli::main());
}
