//! The native command line: `imap-doctor analyze …`.

use std::io::Read;

use clap::{Parser, Subcommand};

use crate::analyze::{analyze, parse_time, Input, Options};
use crate::chain::Verdict;

#[derive(Parser, Debug)]
#[command(
    name = "imap-doctor",
    version,
    about = "Find out why a Java mail archiver cannot connect to Exchange or Microsoft 365 over IMAP"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse openssl s_client output, PEM/DER/PKCS#7 certificates (files or - for stdin).
    Analyze {
        /// Files with the server's chain; `-` or nothing reads standard input.
        files: Vec<String>,
        /// Certificates the archiver trusts (repeatable).
        #[arg(long = "trust", value_name = "FILE")]
        trust: Vec<String>,
        /// Do not use the bundled Mozilla root set as trust anchors.
        #[arg(long)]
        no_public_roots: bool,
        /// Host name the archiver connects to (checked against the certificate).
        #[arg(long)]
        host: Option<String>,
        /// Analysis time, RFC 3339 (default: now).
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
        /// Print one JSON object instead of the human report.
        #[arg(long)]
        json: bool,
    },
}

/// Exit codes: 0 no error finding, 1 an error finding, 2 unusable input.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDING: i32 = 1;
pub const EXIT_INPUT: i32 = 2;

fn read(name: &str) -> Result<Vec<u8>, String> {
    let limit = crate::input::MAX_INPUT_BYTES as u64 + 1;
    if name == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(buf);
    }
    let f = std::fs::File::open(name).map_err(|e| format!("cannot open {name}: {e}"))?;
    let mut buf = Vec::new();
    f.take(limit)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    Ok(buf)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn to_inputs(v: &[(String, Vec<u8>)]) -> Vec<Input<'_>> {
    v.iter().map(|(n, b)| Input { name: n, bytes: b }).collect()
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_INPUT } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Analyze {
            files,
            trust,
            no_public_roots,
            host,
            at,
            json,
        } => {
            let at = match at {
                Some(s) => match parse_time(&s) {
                    Some(t) => t,
                    None => {
                        eprintln!("imap-doctor: --at {s:?} is not an RFC 3339 time (e.g. 2026-01-31T12:00:00Z)");
                        return EXIT_INPUT;
                    }
                },
                None => now(),
            };
            let files = if files.is_empty() {
                vec!["-".to_string()]
            } else {
                files
            };
            let mut server = Vec::new();
            for f in &files {
                match read(f) {
                    Ok(b) => server.push((f.clone(), b)),
                    Err(e) => {
                        eprintln!("imap-doctor: {e}");
                        return EXIT_INPUT;
                    }
                }
            }
            let mut trusted = Vec::new();
            for f in &trust {
                match read(f) {
                    Ok(b) => trusted.push((f.clone(), b)),
                    Err(e) => {
                        eprintln!("imap-doctor: {e}");
                        return EXIT_INPUT;
                    }
                }
            }
            let report = analyze(
                &to_inputs(&server),
                &to_inputs(&trusted),
                &Options {
                    at,
                    host,
                    public_roots: !no_public_roots,
                },
            );
            if json {
                match serde_json::to_string_pretty(&report) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("imap-doctor: cannot encode the report: {e}");
                        return EXIT_INPUT;
                    }
                }
            } else {
                print!("{}", report.to_text());
            }
            let unusable = report.verdict == Verdict::NoCertificates
                && report.openssl.as_ref().is_none_or(|s| s.chain.is_empty());
            if unusable {
                if !json {
                    eprintln!("imap-doctor: {}", report.summary);
                }
                EXIT_INPUT
            } else if report.has_error() {
                EXIT_FINDING
            } else {
                EXIT_OK
            }
        }
    }
}
