//! The native command line: `imap-doctor analyze …`.

use std::io::{Read, Write};

use clap::{Parser, Subcommand};

use imap_doctor_engine::diagnose::{analyze, parse_time, parse_time_millis, Input, Options};
use imap_doctor_engine::pkix::chain::Verdict;
use imap_doctor_engine::secret::{Redactor, Secret};

/// Writes to standard error; a closed or full standard error is ignored
/// (there is nowhere left to report it), never a panic.
macro_rules! say {
    ($($t:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

/// Why output stopped.
enum OutError {
    /// The reader went away (`| head`): a quiet, normal end.
    Closed,
    /// Anything else (a full disk): reported once, exit 2.
    Failed,
}

/// Writes `text` to standard output. `print!` panics (exit 134) when the
/// pipe is closed or the disk is full; this treats a closed pipe as the
/// reader's choice and any other error as one line on standard error.
fn emit(text: &str) -> Result<(), OutError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(OutError::Closed),
        Err(e) => {
            say!("imap-doctor: cannot write the output: {e}");
            Err(OutError::Failed)
        }
    }
}

/// Writes the report as pretty JSON (and a newline) to standard output as
/// it is encoded: built whole first, a 10 MB paste's report was a 22 MB
/// string (and a copy of it) before the first byte went out.
fn emit_json(report: &imap_doctor_engine::report::Report) -> Result<(), OutError> {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    // An encoding error (none is expected of the report) becomes an
    // InvalidData I/O error with serde's message.
    let r = serde_json::to_writer_pretty(&mut out, report)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(OutError::Closed),
        Err(e) => {
            say!("imap-doctor: cannot write the output: {e}");
            Err(OutError::Failed)
        }
    }
}

/// The exit code after output: `code` when written (or the reader left
/// early), [`EXIT_INPUT`] when the output could not be written.
fn finish(r: Result<(), OutError>, code: i32) -> i32 {
    match r {
        Ok(()) | Err(OutError::Closed) => code,
        Err(OutError::Failed) => EXIT_INPUT,
    }
}

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
    /// Probe a live IMAP server (like telnet and openssl s_client), then diagnose.
    Probe(Box<ProbeArgs>),
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
        /// The archiver's Java release: a line (8, 11, 17, 21, 25: its newest
        /// update) or an update (8u381, 1.8.0_381, 11.0.20, 17.0.8, 21.0.1);
        /// `java -version` prints it. Decides which roots cacerts holds and
        /// which distrust policies apply. 8-old: an 8 update before 8u291.
        #[arg(long, default_value = "17", value_parser = parse_java_release)]
        java: imap_doctor_engine::java::JavaRelease,
        /// Where the archiver's Java takes its trusted roots from:
        /// jdk (the JDK's own cacerts: OpenJDK, Oracle, Zulu, Corretto, bundled
        /// runtimes), debian (Debian/Ubuntu packaged Java, ca-certificates-java),
        /// mozilla (a cacerts made from Mozilla's list, e.g. Eclipse Temurin),
        /// archiver-only (the archiver's own keystore replaces cacerts, e.g.
        /// MailArchiva's certificate store: only --trust files count).
        #[arg(long, value_enum, default_value_t = TrustStoreArg::Jdk)]
        trust_store: TrustStoreArg,
        /// Write the missing intermediate (from the bundled CCADB catalogue) and
        /// a corrected bundle (server certificate + intermediates) into DIR; no network.
        #[arg(long, value_name = "DIR")]
        write_missing: Option<std::path::PathBuf>,
        /// The archiver's JavaMail does not check the host name (JavaMail 1.6, Jakarta Mail 2.0).
        #[arg(long)]
        no_identity_check: bool,
        /// Do not use the bundled Mozilla root set as trust anchors.
        #[arg(long)]
        no_public_roots: bool,
        /// Host name the archiver connects to (checked against the certificate).
        #[arg(long)]
        host: Option<String>,
        /// Analysis time, RFC 3339 (default: now); fractions of a second
        /// count to the millisecond, as in Java.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
        /// The TLS version the archiver's Java negotiates with the server
        /// (default: s_client's Protocol line, else 1.3). Java 25 refuses
        /// SHA-224 and DSA certificate signatures in TLS 1.3 only.
        #[arg(long, value_parser = ["1.2", "1.3"])]
        tls: Option<String>,
        /// Print one JSON object instead of the human report.
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args, Debug)]
struct ProbeArgs {
    /// Host name of the IMAP server (also the TLS server name checked against the certificate).
    host: Option<String>,
    #[arg(long)]
    port: Option<u16>,
    /// auto: what the port suggests (993 SSL/TLS, else STARTTLS when offered).
    #[arg(long, value_enum, default_value_t = ModeArg::Auto)]
    mode: ModeArg,
    /// Connect to this address:port instead of resolving HOST.
    #[arg(long, value_name = "ADDR:PORT")]
    connect_to: Option<String>,
    /// Seconds each step may take in all (connect, greeting, CAPABILITY,
    /// STARTTLS, TLS handshake, token, login, EXAMINE, AIA download); the
    /// whole run of one endpoint takes at most four times this.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// Test a password login as this user; the password comes from --password-env or a prompt.
    #[arg(long)]
    user: Option<String>,
    /// Environment variable holding the password (never a command-line argument).
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Test OAuth (client credentials) for the mailbox given with --user.
    #[arg(long)]
    oauth: bool,
    /// Tenant ID or domain (default: $IMAP_DOCTOR_TENANT).
    #[arg(long)]
    tenant: Option<String>,
    /// Application (client) ID (default: $IMAP_DOCTOR_CLIENT_ID).
    #[arg(long)]
    client_id: Option<String>,
    /// Environment variable holding the client secret.
    #[arg(long, value_name = "VAR", default_value = "IMAP_DOCTOR_CLIENT_SECRET")]
    client_secret_env: String,
    /// Base URL of the token endpoint.
    #[arg(long, default_value = "https://login.microsoftonline.com")]
    token_endpoint: String,
    /// Journal folder to count after login.
    #[arg(long, default_value = "INBOX")]
    folder: String,
    /// Download a missing intermediate from its AIA address (http only) into DIR.
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = ".")]
    fetch_missing: Option<std::path::PathBuf>,
    /// What the archiver trusts (as for analyze).
    #[arg(long = "trust", value_name = "FILE")]
    trust: Vec<String>,
    #[arg(long)]
    no_public_roots: bool,
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// The archiver's Java release, as for analyze: a line (8, 11, 17, 21,
    /// 25) or an update (8u381, 11.0.20, 17.0.8); 8-old: before 8u291.
    #[arg(long, default_value = "17", value_parser = parse_java_release)]
    java: imap_doctor_engine::java::JavaRelease,
    /// Where the archiver's Java takes its trusted roots from (as for
    /// analyze); also judges the OAuth token endpoint's chain.
    #[arg(long, value_enum, default_value_t = TrustStoreArg::Jdk)]
    trust_store: TrustStoreArg,
    #[arg(long)]
    no_identity_check: bool,
    /// Also scan the TLS versions and cipher suites the server accepts (up to
    /// 12 more connections, with hand-built ClientHellos that reach TLS 1.0
    /// servers) and show what each Java (8u281 … 25) would make of them.
    #[arg(long)]
    tls_scan: bool,
    /// Print one JSON object (with --targets: one JSON line per endpoint).
    #[arg(long)]
    json: bool,
    /// Print an s_client-style block to paste into the web page.
    #[arg(long)]
    paste: bool,
    /// Send the password or OAuth token even without TLS, or over TLS whose
    /// chain Java would not trust (reported as a warning). Only on a network
    /// you control: anyone on the path can read them.
    #[arg(long)]
    send_credentials_insecurely: bool,
    /// Probe many endpoints: one `host[:port] [mode]` a line.
    #[arg(long, value_name = "FILE")]
    targets: Option<String>,
}

/// Exit codes: 0 no error finding, 1 an error finding, 2 unusable input.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDING: i32 = 1;
pub const EXIT_INPUT: i32 = 2;

fn read(name: &str) -> Result<Vec<u8>, String> {
    let limit = imap_doctor_engine::input::MAX_INPUT_BYTES as u64 + 1;
    if name == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(buf);
    }
    let f = std::fs::File::open(name).map_err(|e| format!("cannot open {name}: {e}"))?;
    // Sized from the file's length (bounded by the limit): growing by
    // doubling held up to twice the file (16 MB for a 10 MB paste).
    let size = f.metadata().map(|m| m.len().min(limit)).unwrap_or(0);
    let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
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
        Command::Probe(args) => probe_main(*args),
        Command::Analyze {
            files,
            trust,
            no_public_roots,
            host,
            at,
            json,
            keystore_password_env,
            java,
            trust_store,
            write_missing,
            no_identity_check,
            tls,
        } => {
            let keystore_password = match keystore_password_env {
                Some(var) => match std::env::var(&var) {
                    Ok(v) => Some(Secret::new(v)),
                    Err(_) => {
                        say!("imap-doctor: the environment variable {var} (--keystore-password-env) is not set");
                        return EXIT_INPUT;
                    }
                },
                None => None,
            };
            let (at, at_millis) = match at {
                Some(s) => match parse_time_millis(&s) {
                    Some(t) => t,
                    None => {
                        say!("imap-doctor: --at {s:?} is not an RFC 3339 time (e.g. 2026-01-31T12:00:00Z)");
                        return EXIT_INPUT;
                    }
                },
                None => (now(), 0),
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
                        say!("imap-doctor: {e}");
                        return EXIT_INPUT;
                    }
                }
            }
            let mut trusted = Vec::new();
            for f in &trust {
                match read(f) {
                    Ok(b) => trusted.push((f.clone(), b)),
                    Err(e) => {
                        say!("imap-doctor: {e}");
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
                    keystore_password: keystore_password.as_ref().map(|p| p.expose().to_string()),
                    java: java.profile(),
                    identity_check: !no_identity_check,
                    java_release: Some(java),
                    trust_store: trust_store.into(),
                    at_millis,
                    tls_version: tls
                        .as_deref()
                        .and_then(imap_doctor_engine::java::TlsVersion::parse),
                },
            );
            if let Some(dir) = &write_missing {
                if let Err(e) = write_missing_files(&report, dir) {
                    say!("imap-doctor: {e}");
                    return EXIT_INPUT;
                }
            }
            // A keystore password a keystore error may quote is never printed.
            let mut redactor = Redactor::new();
            if let Some(p) = &keystore_password {
                redactor.add(p.expose());
            }
            let written = if json && redactor.is_empty() && !crate::console::ascii_needed() {
                // Nothing to redact or escape: the JSON goes out as encoded.
                emit_json(&report)
            } else {
                let text = if json {
                    match serde_json::to_string_pretty(&report) {
                        Ok(s) => s + "\n",
                        Err(e) => {
                            say!("imap-doctor: cannot encode the report: {e}");
                            return EXIT_INPUT;
                        }
                    }
                } else {
                    report.to_text()
                };
                emit(&crate::console::stdout(&redactor.redact(&text), json))
            };
            // Unusable: no certificate, no s_client chain list, no recognised error text.
            let unusable = report.verdict == Verdict::NoCertificates
                && report.openssl.as_ref().is_none_or(|s| s.chain.is_empty())
                && report
                    .findings
                    .iter()
                    .all(|f| f.rule.id().starts_with("input."));
            let code = if unusable {
                if !json {
                    say!("imap-doctor: {}", report.summary);
                }
                EXIT_INPUT
            } else if report.has_error() {
                EXIT_FINDING
            } else {
                EXIT_OK
            };
            // The process ends now and the system takes its memory back at
            // once: freeing a report of thousands of certificates piece by
            // piece only costs time.
            std::mem::forget(report);
            finish(written, code)
        }
    }
}

/// `--mode`: how the probe connects; auto: what the port suggests (993
/// SSL/TLS, else STARTTLS when offered).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ModeArg {
    Auto,
    Plain,
    Starttls,
    Tls,
}

impl ModeArg {
    fn mode(self) -> Option<imap_doctor_engine::settings::Mode> {
        use imap_doctor_engine::settings::Mode;
        match self {
            ModeArg::Auto => None,
            ModeArg::Plain => Some(Mode::Plaintext),
            ModeArg::Starttls => Some(Mode::Starttls),
            ModeArg::Tls => Some(Mode::Tls),
        }
    }
}

/// `--trust-store`: where the archiver's Java takes its trusted roots from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum TrustStoreArg {
    Jdk,
    Debian,
    Mozilla,
    ArchiverOnly,
}

impl From<TrustStoreArg> for imap_doctor_engine::java::TrustStore {
    fn from(t: TrustStoreArg) -> Self {
        use imap_doctor_engine::java::TrustStore as T;
        match t {
            TrustStoreArg::Jdk => T::Jdk,
            TrustStoreArg::Debian => T::Debian,
            TrustStoreArg::Mozilla => T::Mozilla,
            TrustStoreArg::ArchiverOnly => T::ArchiverOnly,
        }
    }
}

fn parse_java_release(s: &str) -> Result<imap_doctor_engine::java::JavaRelease, String> {
    imap_doctor_engine::java::JavaRelease::parse(s)
}

/// `--write-missing DIR`: the offered intermediate(s) and the corrected
/// bundle (server certificate, the intermediates it sent, the offered ones).
fn write_missing_files(
    report: &imap_doctor_engine::Report,
    dir: &std::path::Path,
) -> Result<(), String> {
    let Some(o) = report.missing.as_ref().and_then(|m| m.offered.as_ref()) else {
        eprintln!(
            "imap-doctor: --write-missing: {}",
            match &report.missing {
                Some(m) => format!(
                    "the catalogue has no certificate that completes the chain (missing: {})",
                    m.issuer
                ),
                None => "no intermediate is missing; nothing written".into(),
            }
        );
        return Ok(());
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let file_name: String = o
        .subject
        .split(',')
        .find_map(|p| p.trim().strip_prefix("CN="))
        .unwrap_or("intermediate")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut missing_pem = o.pem.clone();
    for p in &o.also_needed {
        missing_pem.push_str(p);
    }
    let missing_path = dir.join(format!("{file_name}.pem"));
    std::fs::write(&missing_path, &missing_pem)
        .map_err(|e| format!("cannot write {}: {e}", missing_path.display()))?;
    // The path the server should send: what it sent up to the gap, then the offered ones.
    let mut bundle = String::new();
    for c in report.path_certs() {
        if c.source == imap_doctor_engine::x509::cert::Source::Server {
            bundle.push_str(&c.pem.to_string());
        }
    }
    bundle.push_str(&missing_pem);
    let bundle_path = dir.join("corrected-chain.pem");
    std::fs::write(&bundle_path, bundle)
        .map_err(|e| format!("cannot write {}: {e}", bundle_path.display()))?;
    eprintln!(
        "imap-doctor: wrote {} (the missing intermediate, SHA-256 {}) and {} (server certificate + intermediates)",
        missing_path.display(),
        o.sha256,
        bundle_path.display()
    );
    Ok(())
}

/// 1 when a step failed or a finding is an error: a probe that stopped
/// early never exits 0.
fn probe_exit(r: &imap_doctor_probe::ProbeResult) -> i32 {
    if r.failed() {
        EXIT_FINDING
    } else {
        EXIT_OK
    }
}

fn steps_text(r: &imap_doctor_probe::ProbeResult) -> String {
    let mut out = format!("Steps ({}):\n", r.target);
    for s in &r.steps {
        out.push_str(&format!(
            "  {} {:<13} {:>6} ms  {}\n",
            if s.ok { "ok  " } else { "FAIL" },
            s.step,
            s.elapsed_ms,
            s.detail
        ));
    }
    out.push('\n');
    out
}

/// The scan's versions and the Java table, when `--tls-scan` ran.
fn tls_scan_text(r: &imap_doctor_probe::ProbeResult) -> String {
    let Some(s) = &r.tls_scan else {
        return String::new();
    };
    let mut out = format!("TLS scan ({} connection(s)):\n", s.scan.connections);
    for v in &s.scan.versions {
        if v.accepted {
            out.push_str(&format!(
                "  {:<8} accepted  {}{}\n",
                v.name,
                v.suites.join(", "),
                if v.complete { "" } else { ", …" }
            ));
            // The server's ephemeral keys, as Java's keySize rules see them.
            let keys: Vec<String> = v
                .key_exchange
                .iter()
                .map(|k| {
                    let mut t = k.group.clone();
                    if let Some(b) = k.bits {
                        t.push_str(&format!(" {b} bits"));
                    }
                    if let Some(s) = &k.signature {
                        t.push_str(&format!(", signed {s}"));
                    }
                    t
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if !keys.is_empty() {
                out.push_str(&format!("  {:<8} key exchange: {}\n", "", keys.join("; ")));
            }
        } else {
            let why = v.refusal.as_ref().map(|r| r.text()).unwrap_or_default();
            out.push_str(&format!("  {:<8} refused   {why}\n", v.name));
        }
    }
    out.push_str(&imap_doctor_engine::tls::java::table_text(&s.java));
    out.push('\n');
    out
}

/// Runs one probe; a panic inside it (a bug) ends only this endpoint.
fn probe_guarded(
    o: imap_doctor_probe::ProbeOptions,
) -> Result<imap_doctor_probe::ProbeResult, String> {
    let target = format!(
        "{}:{}",
        o.host,
        o.port.map(|p| p.to_string()).unwrap_or_default()
    );
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| imap_doctor_probe::probe(o)))
        .map_err(|_| format!("{target}: the probe failed unexpectedly"))
}

fn probe_main(a: ProbeArgs) -> i32 {
    use imap_doctor_probe::{LoginTest, OAuth, ProbeOptions};
    use std::io::IsTerminal;
    let at = match a.at.as_deref().map(parse_time) {
        Some(Some(t)) => t,
        Some(None) => {
            say!("imap-doctor: --at is not an RFC 3339 time");
            return EXIT_INPUT;
        }
        None => now(),
    };
    let mut trust = Vec::new();
    for f in &a.trust {
        match read(f) {
            Ok(b) => trust.push((f.clone(), b)),
            Err(e) => {
                say!("imap-doctor: {e}");
                return EXIT_INPUT;
            }
        }
    }
    let login = match (&a.user, a.oauth) {
        (None, true) => {
            say!("imap-doctor: --oauth needs --user with the journal mailbox address");
            return EXIT_INPUT;
        }
        (None, false) => LoginTest::None,
        (Some(user), true) => {
            let env = |v: &str| std::env::var(v).ok().filter(|s| !s.is_empty());
            let tenant = a.tenant.clone().or_else(|| env("IMAP_DOCTOR_TENANT"));
            let client = a.client_id.clone().or_else(|| env("IMAP_DOCTOR_CLIENT_ID"));
            let secret = env(&a.client_secret_env);
            let (Some(tenant), Some(client_id), Some(secret)) = (tenant, client, secret) else {
                say!("imap-doctor: --oauth needs --tenant (or $IMAP_DOCTOR_TENANT), --client-id (or $IMAP_DOCTOR_CLIENT_ID) and the secret in ${}", a.client_secret_env);
                return EXIT_INPUT;
            };
            LoginTest::OAuth {
                user: user.clone(),
                creds: OAuth {
                    tenant,
                    client_id,
                    secret: Secret::new(secret),
                    endpoint: a.token_endpoint.clone(),
                },
            }
        }
        (Some(user), false) => {
            let password = match &a.password_env {
                Some(var) => match std::env::var(var) {
                    Ok(p) => Secret::new(p),
                    Err(_) => {
                        say!("imap-doctor: the environment variable {var} (--password-env) is not set");
                        return EXIT_INPUT;
                    }
                },
                None if std::io::stdin().is_terminal() => {
                    match rpassword::prompt_password(format!("Password for {user}: ")) {
                        Ok(p) => Secret::new(p),
                        Err(e) => {
                            say!("imap-doctor: cannot read the password: {e}");
                            return EXIT_INPUT;
                        }
                    }
                }
                None => {
                    say!("imap-doctor: --user needs --password-env VAR (no terminal to prompt on)");
                    return EXIT_INPUT;
                }
            };
            LoginTest::Password {
                user: user.clone(),
                password,
            }
        }
    };
    // A `--targets` line's mode word, as --mode reads it (anything else: auto).
    let mode_of = |m: &str| {
        <ModeArg as clap::ValueEnum>::from_str(m, false)
            .ok()
            .and_then(ModeArg::mode)
    };
    let base = ProbeOptions {
        host: String::new(),
        port: a.port,
        mode: a.mode.mode(),
        connect_to: a.connect_to.clone(),
        timeout: std::time::Duration::from_secs(a.timeout.clamp(1, 300)),
        budget: ProbeOptions::default_budget(std::time::Duration::from_secs(
            a.timeout.clamp(1, 300),
        )),
        login,
        send_credentials_insecurely: a.send_credentials_insecurely,
        folder: a.folder.clone(),
        fetch_missing: a.fetch_missing.clone(),
        trust,
        public_roots: !a.no_public_roots,
        at,
        java: a.java.profile(),
        java_release: Some(a.java),
        trust_store: a.trust_store.into(),
        identity_check: !a.no_identity_check,
        tls_scan: a.tls_scan,
    };
    if let Some(file) = &a.targets {
        let text = match read(file) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                say!("imap-doctor: {e}");
                return EXIT_INPUT;
            }
        };
        let mut jobs = Vec::new();
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let mut w = line.split_whitespace();
            let target = w.next().unwrap_or_default();
            let (host, port) = match target.rsplit_once(':') {
                Some((h, p)) if p.parse::<u16>().is_ok() => (h.to_string(), p.parse().ok()),
                _ => (target.to_string(), None),
            };
            let mut o = base.clone();
            o.host = host;
            o.port = port.or(base.port);
            o.connect_to = None;
            if let Some(m) = w.next() {
                o.mode = mode_of(m);
            }
            jobs.push(o);
        }
        let total = jobs.len();
        let progress = std::io::stderr().is_terminal();
        let (tx, rx) = std::sync::mpsc::channel();
        let queue = std::sync::Arc::new(std::sync::Mutex::new(jobs));
        // Bounded concurrency; each endpoint is bounded by its own budget, so
        // N hostile endpoints end within about N / 8 budgets.
        for _ in 0..total.clamp(1, TARGET_THREADS) {
            let (queue, tx) = (queue.clone(), tx.clone());
            std::thread::spawn(move || loop {
                let job = queue.lock().ok().and_then(|mut q| q.pop());
                let Some(job) = job else { break };
                if tx.send(probe_guarded(job)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut exit = EXIT_OK;
        let mut output = Ok(());
        for (done, r) in rx.iter().enumerate() {
            if progress {
                let _ = write!(std::io::stderr(), "\r{}/{} probed", done + 1, total);
            }
            let r = match r {
                Ok(r) => r,
                Err(e) => {
                    say!("imap-doctor: {e}");
                    exit = EXIT_FINDING;
                    continue;
                }
            };
            exit = exit.max(probe_exit(&r));
            if output.is_err() {
                continue;
            }
            let line = if a.json {
                serde_json::to_string(&r).unwrap_or_default()
            } else {
                format!(
                    "{:<40} {:<21} {}",
                    r.target,
                    r.report.verdict_label(),
                    r.report.summary
                )
            };
            output = emit(&crate::console::stdout(
                &(r.redactor.redact(&line) + "\n"),
                a.json,
            ));
        }
        if progress {
            let _ = writeln!(std::io::stderr());
        }
        return finish(output, exit);
    }
    let Some(host) = a.host.clone() else {
        say!("imap-doctor: give a HOST to probe, or --targets FILE");
        return EXIT_INPUT;
    };
    let r = match probe_guarded(ProbeOptions { host, ..base }) {
        Ok(r) => r,
        Err(e) => {
            say!("imap-doctor: {e}");
            return EXIT_FINDING;
        }
    };
    let text = if a.paste {
        r.paste.clone()
    } else if a.json {
        serde_json::to_string_pretty(&r).unwrap_or_default() + "\n"
    } else {
        steps_text(&r) + &tls_scan_text(&r) + &r.report.to_text()
    };
    let text = r.redactor.redact(&text);
    finish(
        emit(&crate::console::stdout(&text, a.json && !a.paste)),
        probe_exit(&r),
    )
}

/// How many endpoints of `--targets` are probed at once.
const TARGET_THREADS: usize = 8;
