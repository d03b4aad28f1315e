//! The `imap-doctor` command: `analyze` pastes and files, `probe` a live server.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
