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
    /// Analyse openssl s_client output, certificates (PEM, DER, PKCS#7), keystores, or error messages.
    Analyze {
        /// Files with the server's chain; `-` or nothing reads standard input.
        files: Vec<String>,
        /// What the archiver trusts (repeatable): PEM, DER, PKCS#7, JKS, JCEKS,
        /// PKCS#12, keytool -list -rfc or -list -v output.
        #[arg(long = "trust", value_name = "FILE")]
        trust: Vec<String>,
        /// Name of an environment variable holding the keystore password
        /// (PKCS#12 tries changeit without one). Never a password on the command line.
        #[arg(long, value_name = "VAR")]
        keystore_password_env: Option<String>,
        /// The archiver's Java: 8-old (before 8u291), 8, 11, 17, 21.
        #[arg(long, default_value = "17", value_parser = ["8-old", "8", "11", "17", "21"])]
        java: String,
        /// The archiver's JavaMail does not check the host name (JavaMail 1.6, Jakarta Mail 2.0).
        #[arg(long)]
        no_identity_check: bool,
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
            keystore_password_env,
            java,
            no_identity_check,
        } => {
            let keystore_password = match keystore_password_env {
                Some(var) => match std::env::var(&var) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        eprintln!("imap-doctor: the environment variable {var} (--keystore-password-env) is not set");
                        return EXIT_INPUT;
                    }
                },
                None => None,
            };
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
                    keystore_password,
                    java: crate::java::JavaProfile::from_key(&java).unwrap_or_default(),
                    identity_check: !no_identity_check,
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
            // Unusable: no certificate, no s_client chain list, no recognised error text.
            let unusable = report.verdict == Verdict::NoCertificates
                && report.openssl.as_ref().is_none_or(|s| s.chain.is_empty())
                && report
                    .findings
                    .iter()
                    .all(|f| f.rule.id().starts_with("input."));
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
