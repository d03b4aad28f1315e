//! The engine's entry point: inputs in, a [`Report`] out. No I/O here.
//!
//! Everything recognised in the input is gathered first (certificates with
//! their source, s_client facts, error-text hits, listings, login facts);
//! the chain is then decided ONCE ([`Decided`]: from the certificates'
//! signatures, or, when the paste only names them, from the names), and the
//! findings, summary, Java message and headline are all rendered from that
//! one decision. Nothing written is later edited or removed.

mod explained;
mod paste;
mod text_view;

use std::sync::Arc;

use crate::input::errtext;
use crate::input::keytool::{self, Listed};
use crate::input::openssl::{self, SClient};
use crate::input::{self, Notice};
use crate::java::{JavaProfile, JavaRelease, TlsVersion, TrustStore, TLS10_REFUSED_BY};
use crate::pkix::chain::{self, DeadEnd, Entry, Mode, Problem, Verdict, Walk};
use crate::pkix::host::{self, HostMatch};
use crate::report::{Anchor, CertView, Missing, Report};
use crate::rules::{Alternative, Finding, FixStep, Rule, Severity};
use crate::x509::cert::{Certificate, Source};
use crate::x509::dn::Dn;
use crate::x509::fingerprint::{Sha1Fingerprint, Sha256Fingerprint};
use crate::x509::java_roots::NamedRoot;

/// One paste or file.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// File name or "paste"; used in messages and as a label.
    pub name: &'a str,
    pub bytes: &'a [u8],
}

#[derive(Clone, Debug)]
pub struct Options {
    /// Analysis time, seconds since the Unix epoch.
    pub at: i64,
    /// Host the archiver connects to; taken from s_client output when `None`.
    pub host: Option<String>,
    /// Use the bundled Mozilla roots as trust anchors.
    pub public_roots: bool,
    /// Password for keystore files (PKCS#12 tries `changeit` without one).
    pub keystore_password: Option<String>,
    /// The archiver's Java runtime.
    pub java: JavaProfile,
    /// Whether the archiver's JavaMail checks the server's host name
    /// (Jakarta/Angus Mail 1.1 and later do by default).
    pub identity_check: bool,
    /// The archiver's Java release (line and update) whose trust store and
    /// distrust policies apply; `None`: the newest update of `java`'s line.
    pub java_release: Option<JavaRelease>,
    /// Which store the archiver's Java reads its trusted roots from.
    pub trust_store: TrustStore,
    /// Milliseconds after `at` (0–999): Java compares validity dates to the
    /// millisecond.
    pub at_millis: u16,
    /// The TLS version the archiver's Java negotiates; `None`: s_client's
    /// `Protocol` line, else TLS 1.3 (what a current JDK offers first).
    pub tls_version: Option<TlsVersion>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            at: 0,
            host: None,
            public_roots: true,
            keystore_password: None,
            java: JavaProfile::default(),
            identity_check: true,
            java_release: None,
            trust_store: TrustStore::default(),
            at_millis: 0,
            tls_version: None,
        }
    }
}

/// Days before expiry that earn a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// `t` as RFC 3339 in UTC, or the bare number outside years 0000–9999.
pub fn format_time(t: i64) -> String {
    crate::dates::format_rfc3339(t).unwrap_or_else(|| t.to_string())
}

pub fn parse_time(s: &str) -> Option<i64> {
    parse_time_millis(s).map(|(t, _)| t)
}

/// An RFC 3339 time as seconds and the milliseconds after them (0–999),
/// for `Options::at` and `Options::at_millis`: Java keeps a validation date
/// to the millisecond, so `12:00:00.500Z` is after a notAfter of `12:00:00Z`.
/// Digits below the millisecond are dropped, as `Date` drops them.
pub fn parse_time_millis(s: &str) -> Option<(i64, u16)> {
    crate::dates::parse_rfc3339(s.trim())
}

fn date(t: i64) -> String {
    format_time(t).get(..10).unwrap_or_default().to_string()
}

const IMPORT_STEPS: [&str; 2] = [
    "In MailArchiva open Configuration → Certificates, click Import CA cert, Browse to the file, enter a storage alias (e.g. the CN) and click Import. Import the root first, then each intermediate.",
    "With the JDK's keytool on the archiver's trust store: keytool -importcert -trustcacerts -alias <alias> -file <file>.pem -keystore <path to cacerts> -storepass changeit",
];

/// The import step: MailArchiva's screen or keytool, two ways of doing the
/// same thing (never two consecutive steps).
fn import_step() -> FixStep {
    FixStep::OneOf(vec![
        Alternative {
            label: "In MailArchiva".into(),
            steps: vec![IMPORT_STEPS[0].into()],
        },
        Alternative {
            label: "With keytool".into(),
            steps: vec![IMPORT_STEPS[1].into()],
        },
    ])
}

struct Ctx {
    pool: Vec<Entry>,
    /// `pool[..narrow]` is what the archiver's Java has; beyond it are the
    /// roots other Java releases or browsers trust (see `wider_roots`).
    narrow: usize,
    server: Vec<usize>,
    at: i64,
    /// The time (to the millisecond), Java release and TLS version the
    /// chain walks use.
    policy: chain::Policy,
    public_roots: bool,
}

impl Ctx {
    /// With the public roots off: the public root with this subject, if any.
    fn public_root_by_name(&self, name: &Dn) -> Option<&'static Certificate> {
        if self.public_roots {
            return None;
        }
        let key = name.loose_key();
        crate::x509::roots::public_roots()
            .iter()
            .find(|r| r.subject.loose_key() == key)
            .map(|r| &**r)
    }
    fn cert(&self, i: usize) -> &Certificate {
        &self.pool[i].cert
    }
    fn name(&self, i: usize) -> String {
        let c = self.cert(i);
        format!(
            "{} ({})",
            c.subject.display(),
            self.pool[i].source.describe()
        )
    }
}

/// Analyses the server's certificates (`server`) against a trust store
/// (`trust` plus, when enabled, the bundled public roots).
pub fn analyze(server: &[Input<'_>], trust: &[Input<'_>], opts: &Options) -> Report {
    analyze_evidence(server, None, trust, opts)
}

/// Analyses what the live probe captured, as typed evidence: its
/// certificates and connection facts go in directly, no text is parsed.
pub fn analyze_capture(
    capture: &crate::input::capture::Capture,
    trust: &[Input<'_>],
    opts: &Options,
) -> Report {
    analyze_evidence(
        &[],
        Some(crate::input::capture::evidence(capture)),
        trust,
        opts,
    )
}

/// Adds a certificate the server sent to the pool, keeping the order it
/// was sent in (one that does not parse at all has no place in the pool).
fn push_server_cert(
    pool: &mut Vec<Entry>,
    server: &mut Vec<usize>,
    found: input::FoundDer,
    label: Option<String>,
) {
    if let Some(c) = found.into_certificate() {
        server.push(pool.len());
        pool.push(Entry {
            cert: c,
            source: Source::Server,
            position: server.len() - 1,
            label,
        });
    }
}

/// The one analysis: `server` inputs are recognised, `typed` evidence (a
/// probe's capture) joins them as it is.
fn analyze_evidence(
    server: &[Input<'_>],
    typed: Option<crate::input::capture::Evidence>,
    trust: &[Input<'_>],
    opts: &Options,
) -> Report {
    let mut notices: Vec<Notice> = Vec::new();
    let mut pool: Vec<Entry> = Vec::new();
    let mut server_idx: Vec<usize> = Vec::new();
    // Limits over all inputs together (each input has its own too).
    let mut budget = input::Budget::default();
    let mut sclient: Option<SClient> = None;
    if let Some(mut ev) = typed {
        budget.certificates("probe", &mut ev.certificates);
        for f in ev.certificates {
            push_server_cert(&mut pool, &mut server_idx, f, None);
        }
        sclient = Some(ev.sclient);
    }
    let mut hits: Vec<(String, errtext::Hit)> = Vec::new();
    let mut listed: Vec<Listed> = Vec::new();
    let mut login = paste::LoginFacts::default();
    let password = opts.keystore_password.as_deref().filter(|p| !p.is_empty());
    let mut text_dropped = errtext::Dropped::default();

    for inp in server {
        let mut r = input::recognise_with(budget.bytes(inp.name, inp.bytes), password);
        budget.certificates(inp.name, &mut r.certificates);
        notices.extend(r.notices);
        if let Some(text) = &mut r.text {
            budget.lines(inp.name, text);
        }
        // Only text with words beside its certificates is scanned.
        if let Some(view) = r.text.as_deref().and_then(text_view::words) {
            let text = &*view;
            if sclient.is_none() {
                sclient = openssl::parse(text);
            }
            let l = paste::login_facts(text);
            login.password_login = login.password_login.or(l.password_login);
            login.oauth_login = login.oauth_login.or(l.oauth_login);
            login.exchange_online |= l.exchange_online;
            login.session_seen |= l.session_seen;
            login.starttls_ok = login.starttls_ok.or(l.starttls_ok);
            login.connect_host = login.connect_host.or(l.connect_host);
            // A keytool listing pasted in the main box is what the archiver
            // trusts, not the server's chain.
            let in_main_box = keytool::parse(text);
            if !in_main_box.is_empty() && r.certificates.is_empty() {
                listed.extend(in_main_box);
            }
            let (h, dropped) = errtext::scan_counted(text);
            text_dropped.lines += dropped.lines;
            text_dropped.codes += dropped.codes;
            hits.extend(h.into_iter().map(|h| (inp.name.to_string(), h)));
        }
        for (k, f) in r.certificates.into_iter().enumerate() {
            let label = f
                .alias
                .clone()
                .map(|a| format!("alias {a}"))
                .or_else(|| (server.len() > 1).then(|| format!("{} #{}", inp.name, k + 1)));
            push_server_cert(&mut pool, &mut server_idx, f, label);
        }
    }
    let mut trust_count = 0;
    for inp in trust {
        let mut r = input::recognise_with(budget.bytes(inp.name, inp.bytes), password);
        budget.certificates(inp.name, &mut r.certificates);
        notices.extend(r.notices);
        if let Some(text) = &mut r.text {
            budget.lines(inp.name, text);
            if let Some(view) = text_view::words(text) {
                listed.extend(keytool::parse(&view));
            }
        }
        for (k, mut f) in r.certificates.into_iter().enumerate() {
            let alias = f.alias.take();
            if let Some(c) = f.into_certificate() {
                pool.push(Entry {
                    cert: c,
                    source: Source::TrustStore,
                    position: trust_count,
                    label: Some(match alias {
                        Some(a) => format!("alias {a}"),
                        None => format!("{} #{}", inp.name, k + 1),
                    }),
                });
                trust_count += 1;
            }
        }
    }
    // A keytool -list -v entry whose fingerprint is a presented certificate's
    // means the archiver trusts that very certificate.
    // Looked up in an index of the server's fingerprints: a long listing
    // against many certificates stays linear.
    let mut by_sha256 = std::collections::HashMap::new();
    let mut by_sha1 = std::collections::HashMap::new();
    for &i in server_idx.iter().rev() {
        by_sha256.insert(pool[i].cert.sha256, i);
        by_sha1.insert(pool[i].cert.sha1, i);
    }
    let found: Vec<(usize, &Listed)> = listed
        .iter()
        .filter_map(|l| {
            let sha256 = l.sha256.as_deref().and_then(Sha256Fingerprint::parse);
            let sha1 = l.sha1.as_deref().and_then(Sha1Fingerprint::parse);
            sha256
                .and_then(|f| by_sha256.get(&f))
                .or_else(|| sha1.and_then(|f| by_sha1.get(&f)))
                .map(|&i| (i, l))
        })
        .collect();
    let mut listed_matches: Vec<(usize, String)> = Vec::new();
    // One trust entry per matched certificate, however often it is listed.
    let mut matched = std::collections::HashSet::new();
    for (i, l) in found {
        if !matched.insert(i) {
            continue;
        }
        listed_matches.push((i, l.name()));
        pool.push(Entry {
            cert: pool[i].cert.clone(),
            source: Source::TrustStore,
            position: trust_count,
            label: Some(format!("{} (keytool listing)", l.name())),
        });
        trust_count += 1;
    }
    // The bundled roots matter only when there is a chain to anchor (its
    // certificates, or s_client's chain list): parsed once, and not at all
    // for a paste of error text.
    let roots_needed =
        !server_idx.is_empty() || sclient.as_ref().is_some_and(|s| !s.chain.is_empty());
    let (release, store) = java_choice(opts);
    if roots_needed {
        let in_store: std::collections::HashSet<Sha256Fingerprint> = pool
            .iter()
            .filter(|e| e.source == Source::TrustStore)
            .map(|e| e.cert.sha256)
            .collect();
        for (k, (r, label)) in bundled_anchors(opts).into_iter().enumerate() {
            if !in_store.contains(&r.sha256) {
                pool.push(Entry {
                    cert: r,
                    source: Source::PublicRoots,
                    position: k,
                    label: Some(label),
                });
            }
        }
    }
    let narrow = pool.len();
    if roots_needed {
        wider_roots(&mut pool);
    }

    let host = opts
        .host
        .clone()
        .filter(|h| !h.trim().is_empty())
        .or_else(|| sclient.as_ref().and_then(|s| s.host.clone()));

    // The server's first certificate is the leaf: Java (PKIXValidator,
    // EndEntityChecker, the host check) always takes chain[0], whatever it is.
    let mut findings: Vec<Finding> = Vec::new();

    let ctx = Ctx {
        pool,
        narrow,
        server: server_idx,
        at: opts.at,
        policy: chain::Policy {
            at_ms: opts
                .at
                .saturating_mul(1000)
                .saturating_add(i64::from(opts.at_millis.min(999))),
            release,
            tls: opts
                .tls_version
                .or_else(|| {
                    let s = sclient.as_ref()?;
                    TlsVersion::parse(&s.protocol.as_ref()?.value)
                })
                .unwrap_or(TlsVersion::Tls13),
        },
        public_roots: opts.public_roots,
    };
    // The verdict uses only what the archiver's Java has (`pool[..narrow]`).
    let walk = chain::walk_with(&ctx.pool[..ctx.narrow], &ctx.server, ctx.policy);

    // Names from s_client's chain list when the PEM blocks are fewer.
    let name_link = sclient
        .as_ref()
        .filter(|s| s.chain.len() > ctx.server.len())
        .map(|s| name_walk(&ctx, &walk, s));
    let says = sclient
        .as_ref()
        .map(paste::openssl_says)
        .unwrap_or_default();

    // How the connection failed before any certificate, when it did.
    if let Some(f) = sclient.as_ref().and_then(paste::handshake_failure) {
        findings.push(f);
    }
    // A TLS-inspecting product in the middle explains the chain by itself.
    let chain_names: Vec<String> = ctx
        .server
        .iter()
        .flat_map(|&i| [ctx.cert(i).issuer.display(), ctx.cert(i).subject.display()])
        .chain(sclient.iter().flat_map(|s| {
            s.chain
                .iter()
                .flat_map(|e| [e.issuer.clone(), e.subject.clone()])
        }))
        .collect();
    let intercepted = paste::interceptor(chain_names.iter().map(String::as_str));
    if let Some((product, dn)) = &intercepted {
        findings.push(paste::interception_finding(product, dn));
    }

    let decided = decide(
        &ctx,
        &walk,
        sclient.as_ref(),
        name_link.as_ref(),
        &listed,
        &says,
        JavaChoice {
            host: host.as_deref(),
            release,
            store,
        },
    );
    if intercepted.is_some() {
        // The interception finding names the cause; the chain findings
        // become evidence of it rather than causes of their own.
        // The interception finding names the cause; the chain's own error
        // findings would name a wrong one (a "missing intermediate" of the
        // product's root), so only its notes are kept.
        findings.extend(
            decided
                .findings
                .iter()
                .filter(|f| !(f.severity == Severity::Error && f.rule.id().starts_with("chain.")))
                .cloned(),
        );
    } else {
        findings.extend(decided.findings.iter().cloned());
    }
    let missing = decided.missing.clone();
    order_findings(&ctx, &walk, &mut findings);
    if let (Some(h), Some(&leaf)) = (&host, ctx.server.first()) {
        if let HostMatch::Mismatch {
            java_message,
            covered,
        } = host::check_for(ctx.cert(leaf), h, false, release)
        {
            findings.push(
                Finding::new(
                    Rule::HostMismatch,
                    if opts.identity_check { Severity::Error } else { Severity::Warning },
                    format!(
                        "The archiver connects to {h}, but the server certificate is for {}. \
                         Jakarta/Angus Mail 1.1 and later check this by default and Java says: {java_message}",
                        if covered.is_empty() { "no host name".to_string() } else { covered.join(", ") }
                    ),
                )
                .evidence(format!("server certificate {}", ctx.name(leaf)))
                .evidence(format!("names covered: {}", covered.join(", ")))
                .cert(&ctx.cert(leaf).sha256)
                .fix([
                    format!("Set the archiver's IMAP server to one of the names the certificate covers: {}.", covered.join(", ")),
                    format!("Or install a certificate on the mail server whose Subject Alternative Names include {h}."),
                    "Only as a last resort, turn off the identity check (mail.imap.ssl.checkserveridentity=false); it lets anyone holding a trusted certificate impersonate the server.".to_string(),
                ]),
            );
        }
    }
    if let Some(s) = &sclient {
        tls_findings(s, opts.java, &mut findings);
    }
    listing_note(&ctx, &listed, &listed_matches, &mut findings);
    // Lines another piece of evidence explains (one table, applied once).
    explained::drop_explained(&mut hits, login.starttls_ok);
    // "Read timed out" at connect time is a mode/port mismatch; once the
    // session was working it is a server that stopped answering.
    if login.session_seen {
        for (_, h) in hits.iter_mut() {
            if h.rule == Rule::TlsTlsOnPlaintextPort
                && h.text.to_lowercase().contains("read timed out")
            {
                h.rule = Rule::ImapReadTimeout;
            }
        }
    }
    // Who logged in how decides what an authentication failure means.
    for (_, h) in hits.iter_mut() {
        if h.rule == Rule::OauthAuthenticateFailed
            && login.password_login.is_some()
            && login.oauth_login.is_none()
        {
            h.rule = Rule::ImapAuthFailed;
        }
        // JavaMail's AuthenticationFailedException after an XOAUTH2 login
        // is the token being refused, not a wrong password.
        if h.rule == Rule::ImapAuthFailed
            && login.oauth_login.is_some()
            && login.password_login.is_none()
        {
            h.rule = Rule::OauthAuthenticateFailed;
        }
    }
    if let Some((line, mech)) = login.password_login {
        let failed = hits.iter().any(|(_, h)| {
            matches!(
                h.rule,
                Rule::ImapAuthFailed | Rule::OauthAuthenticateFailed | Rule::ImapLoginDisabled
            )
        });
        if login.exchange_online && login.oauth_login.is_none() && failed {
            findings.push(
                Finding::new(
                    Rule::M365BasicAuthDisabled,
                    Severity::Error,
                    format!("The client logs in to Exchange Online with a password ({mech}); Microsoft 365 turned basic authentication off for IMAP in 2022, so the login fails whatever the password."),
                )
                .evidence(format!("line {line}: {mech} (a password login)"))
                .fix([
                    "Configure OAuth for the journal account: an app registration with IMAP.AccessAsApp and admin consent, a service principal made with the Enterprise Application's Object ID (New-ServicePrincipal), and FullAccess on the journal mailbox (Add-MailboxPermission).",
                    "In MailArchiva, use a version with Microsoft 365 OAuth (8.11.13 or later) and select the Microsoft 365 connection as the journal account's token.",
                ]),
            );
        }
    }
    // The host for commands in fix steps: the one given, else the one
    // JavaMail names in "Couldn't connect to host, port: …".
    let named_host = host.clone().or_else(|| login.connect_host.clone());
    text_findings(&ctx, &decided, &hits, named_host.as_deref(), &mut findings);
    aadsts_details(&hits, &mut findings);
    if walk.exhausted && decided.basis == Basis::Certificates {
        findings.push(
            Finding::new(
                Rule::ChainSearchLimit,
                Severity::Warning,
                format!(
                    "The chain search stopped after its limit ({} steps, {} signature checks); the verdict is based on what was searched.",
                    chain::MAX_STEPS,
                    chain::MAX_SIGNATURE_CHECKS
                ),
            )
            .fix(["Paste only the server's chain and the certificates the archiver trusts, not whole directories of unrelated certificates."]),
        );
    }
    limit_finding(&budget, text_dropped, &mut findings);
    for n in &notices {
        let (rule, sev) = match n {
            Notice::PrivateKey { .. } => (Rule::InputPrivateKey, Severity::Warning),
            Notice::TooLarge { .. } | Notice::TooManyCertificates { .. } => {
                (Rule::InputLimit, Severity::Warning)
            }
            _ => (Rule::InputProblem, Severity::Warning),
        };
        findings.push(Finding::new(rule, sev, n.message()));
    }
    findings.sort_by_key(|f| f.severity);

    // Assemble.
    let on_path = |i: usize| decided.path.iter().position(|&p| p == i);
    let mut certificates: Vec<CertView> = Vec::new();
    for (i, e) in ctx.pool.iter().enumerate() {
        if e.source == Source::PublicRoots && on_path(i).is_none() {
            continue;
        }
        certificates.push(CertView {
            cert: e.cert.clone(),
            source: e.source,
            position: e.position,
            label: e.label.clone(),
            path_index: on_path(i),
            pem: crate::report::Pem(e.cert.clone()),
        });
    }
    let anchor = decided.anchor.map(|a| Anchor {
        sha256: ctx.cert(a).sha256,
        source: ctx.pool[a].source,
        label: ctx.pool[a].label.clone(),
        subject: ctx.cert(a).subject.display(),
    });
    let walk = &decided.walk;
    let summary = summary(&ctx, walk, &decided, &findings, sclient.as_ref(), &notices);
    let java_error = distrust_error(&findings)
        .or_else(|| java_error(&ctx, walk, &decided, &findings, opts.identity_check));
    let headline = crate::report::headline::headline(decided.verdict, &summary, &findings);
    Report {
        verdict: decided.verdict,
        headline,
        summary,
        java_error,
        host,
        analysed_at: format_time(opts.at),
        certificates,
        path: decided.path.iter().map(|&i| ctx.cert(i).sha256).collect(),
        anchor,
        missing,
        trust_store: if opts.public_roots {
            format!("{}, {}", release.label(), store.label())
        } else {
            format!(
                "{}, only the certificates given as trusted",
                release.label()
            )
        },
        findings,
        openssl: sclient,
        notices: notices
            .iter()
            .map(Notice::message)
            // The page carries fewer roots than the command line (size budget).
            .chain(
                decided
                    .anchor
                    .is_none()
                    .then(|| crate::x509::java_roots::not_carried(store))
                    .flatten(),
            )
            .collect(),
    }
}

fn summary(
    ctx: &Ctx,
    walk: &Walk,
    decided: &Decided,
    findings: &[Finding],
    sclient: Option<&SClient>,
    notices: &[Notice],
) -> String {
    let missing = &decided.missing;
    let anchor_name = decided
        .anchor
        .map(|a| {
            format!(
                "{} ({})",
                ctx.cert(a).label(),
                ctx.pool[a].source.describe()
            )
        })
        .or_else(|| decided.anchor_name.clone());
    let first_error = findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .map(|f| f.message.clone());
    let by_name = match decided.basis {
        Basis::Certificates => "",
        Basis::Names => {
            " (judged by the certificates' names: their signatures were not in the paste)"
        }
        Basis::Listing => " (by name only: the listing holds no key to check the signature with)",
    };
    match decided.verdict {
        Verdict::Trusted => match first_error {
            Some(e) => format!("Java trusts the certificate chain, but the connection will still fail: {e}"),
            None => format!(
                "Java will trust this server: the chain leads to {}{by_name}.",
                anchor_name.unwrap_or_else(|| "a trusted certificate".into())
            ),
        },
        Verdict::MissingIntermediate => format!(
            "Java will reject this server: the intermediate certificate {} is missing{by_name}.",
            missing.as_ref().map(|m| m.issuer.as_str()).unwrap_or("(unknown)")
        ),
        Verdict::UntrustedRoot if decided.basis == Basis::Names => {
            let first = findings.iter().find(|f| f.severity == Severity::Error);
            format!(
                "Java will reject this server{by_name}: {}",
                first.map(|f| f.message.as_str()).unwrap_or("its root certificate is not trusted.")
            )
        }
        Verdict::UntrustedRoot => match &walk.dead_end {
            Some(DeadEnd::UntrustedSelfSigned { root }) if Some(root) == ctx.server.first() => format!(
                "Java will reject this server: its certificate {} is self-signed and not in the trust store.",
                ctx.cert(*root).label()
            ),
            Some(DeadEnd::UntrustedSelfSigned { root }) => format!(
                "Java will reject this server: its root certificate {} is not in the trust store.",
                ctx.cert(*root).subject.display()
            ),
            _ => "Java will reject this server: its root certificate is not trusted.".into(),
        },
        Verdict::Invalid => format!(
            "Java will reject this server: {}",
            first_error.unwrap_or_else(|| "the chain does not validate.".into())
        ),
        Verdict::Inconclusive => match findings.iter().find(|f| f.rule == Rule::ChainInconclusive) {
            // The finding says why (a search budget, a root this page lacks).
            Some(f) => f.message.clone(),
            None => "Cannot tell whether Java trusts this chain: the analysis could not decide it (see the findings).".into(),
        },
        Verdict::NoCertificates => {
            let from_text = findings.iter().find(|f| {
                (f.severity == Severity::Error && !f.rule.id().starts_with("input."))
                    || f.rule == Rule::InputChainNeeded
            });
            if let Some(f) = from_text {
                format!("From the error text: {}. {}", f.title, f.message)
            } else if sclient.is_some_and(|s| !s.showcerts && !s.no_peer_certificate) {
                "No certificate was found in the openssl output: run it again with -showcerts and paste everything it prints.".into()
            } else if sclient.is_some() {
                "The openssl output holds no certificate: the server sent none.".into()
            } else if let Some(n) = notices.first() {
                format!("No certificate was found in the input. {}", n.message())
            } else {
                "No certificate was found in the input. Paste openssl s_client -showcerts output, PEM certificates or drop certificate files.".into()
            }
        }
    }
}

fn java_error(
    ctx: &Ctx,
    walk: &Walk,
    decided: &Decided,
    findings: &[Finding],
    identity_check: bool,
) -> Option<String> {
    const BUILD: &str = "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target";
    let chain_msg = match decided.verdict {
        Verdict::Trusted | Verdict::NoCertificates => None,
        // Judged by names: which check fails is not known, only that the path is not built.
        _ if decided.basis != Basis::Certificates => Some(chain::with_alert(
            ctx.policy.release,
            "certificate_unknown",
            BUILD.to_string(),
        )),
        _ => chain::java_message_for(&ctx.pool, walk, ctx.policy.release),
    };
    // Java checks the host name only after it accepted the chain, and only
    // when the identity check is on (the finding is an error then).
    chain_msg.or_else(|| {
        findings
            .iter()
            .filter(|_| identity_check)
            .find(|f| f.rule == Rule::HostMismatch && f.severity == Severity::Error)
            .and_then(|f| f.message.split("Java says: ").nth(1))
            .map(|m| chain::with_alert(ctx.policy.release, "certificate_unknown", m.to_string()))
    })
}

fn chain_findings(ctx: &Ctx, walk: &Walk, out: &mut Vec<Finding>, missing: &mut Option<Missing>) {
    match walk.verdict {
        Verdict::Trusted => {
            let a = walk.anchor.expect("trusted walk has an anchor");
            let path: Vec<String> = walk.path.iter().map(|&i| ctx.cert(i).label()).collect();
            let mut f = Finding::new(
                Rule::ChainOk,
                Severity::Info,
                format!(
                    "A complete path to a trusted certificate was found: {}. It is anchored by {}{}.",
                    path.join(" → "),
                    ctx.pool[a].source.describe(),
                    ctx.pool[a]
                        .label
                        .as_ref()
                        .map(|l| format!(" ({l})"))
                        .unwrap_or_default()
                ),
            );
            for &i in &walk.path {
                f = f.evidence(ctx.name(i));
            }
            out.push(f);
            let anchor = ctx.cert(a);
            if ctx.pool[a].source == Source::TrustStore
                && !anchor.self_issued
                && walk.mode != Mode::LeafTrusted
            {
                out.push(
                    Finding::new(
                        Rule::ChainServerSendsIncompleteChain,
                        Severity::Warning,
                        format!(
                            "The server does not send the intermediate {}; the connection works only because your trust store holds it.",
                            anchor.subject.display()
                        ),
                    )
                    .evidence(ctx.name(a))
                    .cert(&anchor.sha256)
                    .fix([
                        "Keep this intermediate in the archiver's trust store until the server is fixed; when the CA renews it, import the new one.".to_string(),
                        "Ask the mail server's admin to install the full chain (server certificate plus intermediates) so every client works.".to_string(),
                    ]),
                );
            }
            expiry_and_strength(ctx, walk, out);
        }
        Verdict::MissingIntermediate => {
            let below = match walk.dead_end {
                Some(DeadEnd::MissingIssuer { below }) => below,
                _ => *walk.path.last().unwrap_or(&0),
            };
            let c = ctx.cert(below);
            let m = Missing {
                issuer: c.issuer.display(),
                authority_key_id: c.authority_key_id.clone(),
                ca_issuers: c.ca_issuers.clone(),
                needed_by: Some(c.sha256),
                offered: None,
            };
            let mut fix: Vec<String> = Vec::new();
            if let Some(root) = ctx.public_root_by_name(&c.issuer) {
                // With the public roots off, the needed "intermediate" may be a
                // public root the archiver's trust store lacks.
                fix.push(format!("{} is a public root that every stock Java trusts (SHA-256 {}): make sure the archiver's trust store includes Java's cacerts, or import this root (download it from the bundled roots).", root.subject.display(), root.sha256));
            }
            fix.extend(fetch_steps(&m));
            let mut steps: Vec<FixStep> = fix.into_iter().map(FixStep::Do).collect();
            steps.push(import_step());
            steps.push(FixStep::Do("Retry the connection. Java never downloads a missing intermediate by itself, even where a browser does.".into()));
            let mut f = Finding::new(
                Rule::ChainMissingIntermediate,
                Severity::Error,
                format!(
                    "The certificate {} is issued by {}, which is neither sent by the server nor in the trust store. Java cannot complete the chain and fails with \"PKIX path building failed\".",
                    c.subject.display(),
                    m.issuer
                ),
            )
            .evidence(format!("missing Subject DN: {}", m.issuer))
            .cert(&c.sha256)
            .steps(steps);
            if let Some(k) = &m.authority_key_id {
                f = f.evidence(format!(
                    "missing Subject Key Identifier (AKI of the certificate below): {k}"
                ));
            }
            for u in &m.ca_issuers {
                f = f.evidence(format!("AIA CA Issuers: {u}"));
            }
            f = f.evidence(format!("last certificate reached: {}", ctx.name(below)));
            out.push(f);
            if ctx.pool[below].source == Source::Server {
                out.push(
                    Finding::new(
                        Rule::ChainServerSendsIncompleteChain,
                        Severity::Warning,
                        format!("The server does not send the intermediate {}.", m.issuer),
                    )
                    .cert(&c.sha256)
                    .fix([
                        "Ask the mail server's admin to install the full chain: the server certificate followed by every intermediate (on Exchange, import the intermediate into the computer's Intermediate Certification Authorities store and restart the IMAP4 services).",
                        "Until then, the archiver's trust store must hold the missing intermediate (it is named above, with where to get it).",
                    ]),
                );
            }
            *missing = Some(m);
            problem_findings(ctx, walk, out);
        }
        Verdict::UntrustedRoot => {
            let Some(DeadEnd::UntrustedSelfSigned { root }) = walk.dead_end else {
                return;
            };
            let r = ctx.cert(root);
            let is_leaf = ctx.server.first() == Some(&root);
            let (rule, msg) = if is_leaf {
                (
                    Rule::ChainSelfSignedLeaf,
                    format!(
                        "The server certificate {} is self-signed (Exchange's default certificate is) and not in the trust store.",
                        r.subject.display()
                    ),
                )
            } else {
                (
                    Rule::ChainUntrustedRoot,
                    format!(
                        "The chain ends at the root {}, which is not in the trust store (a private or company CA).",
                        r.subject.display()
                    ),
                )
            };
            let mut fix = vec![format!(
                "Confirm with the mail server's admin that this is their certificate: SHA-256 {} (SHA-1 {}).",
                r.sha256, r.sha1
            )];
            if is_leaf {
                fix.push("Better: install a certificate issued by a public or company CA on the mail server.".into());
                fix.push(
                    "Or import this server certificate into the archiver's trust store:".into(),
                );
            } else {
                fix.push("Import this root into the archiver's trust store (download it from the report), starting from the root:".into());
            }
            let mut steps: Vec<FixStep> = fix.into_iter().map(FixStep::Do).collect();
            steps.push(import_step());
            steps.push(FixStep::Do("Retry the connection.".into()));
            out.push(
                Finding::new(rule, Severity::Error, msg)
                    .evidence(ctx.name(root))
                    .evidence(format!("SHA-256 {}", r.sha256))
                    .evidence(format!("SHA-1 {}", r.sha1))
                    .cert(&r.sha256)
                    .steps(steps),
            );
            problem_findings(ctx, walk, out);
        }
        Verdict::Invalid => problem_findings(ctx, walk, out),
        Verdict::Inconclusive => {
            out.push(inconclusive_finding(walk));
            problem_findings(ctx, walk, out);
        }
        Verdict::NoCertificates => {}
    }
}

fn java_hint(walk: &Walk) -> &'static str {
    if walk.mode == Mode::Validate {
        "Java says \"PKIX path validation failed\""
    } else {
        "Java's path search skips it and ends with \"unable to find valid certification path\""
    }
}

/// The chain walk could not decide (chain.inconclusive): never reported as a
/// missing or bad certificate.
fn inconclusive_finding(walk: &Walk) -> Finding {
    let why = if walk.exhausted {
        format!(
            "the search stopped at its limit ({} steps, {} signature checks) before it found or ruled out a path",
            chain::MAX_STEPS,
            chain::MAX_SIGNATURE_CHECKS
        )
    } else {
        "a signature on the path uses an algorithm or key this tool cannot check".to_string()
    };
    Finding::new(
        Rule::ChainInconclusive,
        Severity::Warning,
        format!("Cannot tell whether Java trusts this chain: {why}."),
    )
    .fix([
        "Paste only the server's chain and the certificates the archiver trusts, not whole directories of unrelated certificates.",
        "Or test the connection from the archiver itself (Java's own error message settles it).",
    ])
}

/// What one [`Problem`] says: the data of its finding. Every problem is
/// rendered the same way by [`problem_findings`]: message, the certificate
/// it names as evidence, extra evidence, the fingerprint, the fix steps.
struct Said {
    rule: Rule,
    severity: Severity,
    message: String,
    /// The certificate named first in the evidence.
    names: Option<usize>,
    evidence: Vec<String>,
    /// The certificate whose SHA-256 the finding carries.
    cert: Option<usize>,
    fix: Vec<String>,
}

impl Said {
    /// An error about certificate `cert` (named in the evidence, its
    /// fingerprint attached).
    fn on<S: Into<String>>(
        rule: Rule,
        cert: usize,
        message: String,
        fix: impl IntoIterator<Item = S>,
    ) -> Said {
        Said {
            rule,
            severity: Severity::Error,
            message,
            names: Some(cert),
            evidence: Vec::new(),
            cert: Some(cert),
            fix: fix.into_iter().map(Into::into).collect(),
        }
    }
    fn and(mut self, evidence: String) -> Said {
        self.evidence.push(evidence);
        self
    }
    fn named(mut self, names: Option<usize>) -> Said {
        self.names = names;
        self
    }
    fn fingerprint(mut self, cert: Option<usize>) -> Said {
        self.cert = cert;
        self
    }
    fn severity(mut self, severity: Severity) -> Said {
        self.severity = severity;
        self
    }
}

fn problem_findings(ctx: &Ctx, walk: &Walk, out: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    for p in &walk.problems {
        if !seen.insert(format!("{p:?}")) {
            continue;
        }
        let s = problem_said(ctx, walk, p);
        let mut f = Finding::new(s.rule, s.severity, s.message);
        for e in s.names.map(|i| ctx.name(i)).into_iter().chain(s.evidence) {
            f = f.evidence(e);
        }
        if let Some(c) = s.cert {
            f = f.cert(&ctx.cert(c).sha256);
        }
        out.push(f.fix(s.fix));
    }
}

/// The wording of each problem Java's validator and JSSE find, one arm per
/// problem: the rule, the message with the case's data, the fix.
fn problem_said(ctx: &Ctx, walk: &Walk, p: &Problem) -> Said {
    let subject = |i: usize| ctx.cert(i).subject.display();
    let hint = java_hint(walk);
    match *p {
        Problem::Expired { cert } => {
            let c = ctx.cert(cert);
            let fix = if ctx.server.first() == Some(&cert) {
                ["Renew the server certificate and install it on the mail server (on Exchange: Enable-ExchangeCertificate -Services IMAP).", "Check that the archiver's clock is right; the analysis time can be changed to compare."]
            } else {
                ["Install the CA's current intermediate on the mail server (and, if the old one was imported into the archiver, import the new one there too).", "Check that the archiver's clock is right."]
            };
            Said::on(Rule::ChainExpired, cert, format!("{} expired on {} ({} days before the analysis time). {hint}: validity check failed (NotAfter: {}).", subject(cert), date(c.not_after), (ctx.at - c.not_after) / 86_400, format_time(c.not_after)), fix)
                .and(format!("valid until {}", format_time(c.not_after)))
        }
        Problem::NotYetValid { cert } => Said::on(Rule::ChainNotYetValid, cert, format!("{} is valid only from {}. {hint} (NotBefore).", subject(cert), format_time(ctx.cert(cert).not_before)), ["Check the archiver's clock and time zone; if it is right, wait until the certificate is valid or install one that is valid now."]),
        Problem::BadSignature { child, issuer } => {
            let (c, i) = (ctx.cert(child), ctx.cert(issuer));
            let aki = c.authority_key_id.clone();
            Said::on(Rule::ChainBadSignature, issuer, format!("{} has the right name to have issued {}, but its key does not verify the signature: it is another version of that CA certificate (re-keyed or renewed).", subject(issuer), subject(child)), [
                format!("Get the version of {} whose Subject Key Identifier is {} (the CA's download page or the AIA address {}).", subject(issuer), aki.clone().unwrap_or_else(|| "the AKI of the certificate below".into()), if c.ca_issuers.is_empty() { "in the certificate".to_string() } else { c.ca_issuers.join(", ") }),
                "Install it on the mail server in place of the old one, and import it into the archiver's trust store if the old one is there.".to_string(),
            ])
            .named(None)
            .and(format!("signed: {}", ctx.name(child)))
            .and(format!("candidate issuer: {} SHA-256 {}", ctx.name(issuer), i.sha256))
            .and(format!("needed key id: {}; candidate's: {}", aki.unwrap_or_else(|| "(none)".into()), i.subject_key_id.clone().unwrap_or_else(|| "(none)".into())))
        }
        Problem::UnsupportedSignature { child, issuer } => Said::on(Rule::ChainUnsupportedSignature, child, format!("The signature of {} ({}) could not be checked here; the link to {} was assumed by name.", subject(child), ctx.cert(child).signature_algorithm.java_name(), subject(issuer)), Vec::<String>::new()).named(None).severity(Severity::Warning),
        Problem::NotCa { cert, child } => Said::on(Rule::ChainNotACa, cert, format!("{} signs {} but is not a CA certificate (basicConstraints CA:TRUE is missing). {hint}.", subject(cert), subject(child)), ["Issue the server certificate from a real CA certificate (one with basicConstraints CA:TRUE and keyCertSign), or use a self-signed server certificate and import it."]),
        Problem::NoKeyCertSign { cert } => Said::on(Rule::ChainNotACa, cert, format!("{} signs certificates but its key usage lacks keyCertSign. {hint}.", subject(cert)), ["Re-issue the CA certificate with key usage keyCertSign (and cRLSign)."]),
        Problem::PathLenExceeded { cert, allowed, found } => Said::on(Rule::ChainNotACa, cert, format!("{} allows {allowed} intermediate(s) below it (pathLenConstraint) but the path has {found}. {hint}.", subject(cert)), ["Issue the server certificate directly from a CA whose path length allows it, or re-issue the CA without that constraint."]),
        Problem::WeakSignature { cert, hash, public_anchor } => Said::on(Rule::ChainWeakSignature, cert, format!("{} is signed with {}{}; Java's jdk.certpath.disabledAlgorithms rejects it.", subject(cert), ctx.cert(cert).signature_algorithm.java_name(), if public_anchor && hash == crate::x509::cert::Hash::Sha1 { " under a public root (SHA1 jdkCA & usage TLSServer)" } else { "" }), ["Re-issue the certificate with SHA-256 or stronger and install it on the mail server."]),
        Problem::WeakKey { cert } => Said::on(Rule::ChainWeakKey, cert, format!("{} has a {} key; Java rejects RSA and DSA keys under 1024 bits and EC keys under 224 bits.", subject(cert), ctx.cert(cert).key.describe()), ["Issue a new certificate with an RSA 2048-bit (or larger) or EC P-256 key and install it on the mail server."]),
        Problem::LeafUsage { cert } => Said::on(Rule::ChainLeafUsage, cert, format!("The server certificate's extended key usage ({}) does not include serverAuth; Java refuses it for a TLS server.", ctx.cert(cert).extended_key_usage.clone().unwrap_or_default().join(", ")), ["Issue the server certificate with extended key usage serverAuth (TLS Web Server Authentication)."]),
        Problem::LeafKeyUsage { cert } => Said::on(Rule::ChainLeafUsage, cert, format!("The server certificate's key usage ({}) lacks digitalSignature, which Java requires for ECDHE cipher suites and TLS 1.3: KeyUsage does not allow digital signatures.", ctx.cert(cert).key_usage.clone().unwrap_or_default().join(", ")), ["Issue the server certificate with key usage digitalSignature (and keyEncipherment for RSA keys) and install it on the mail server."]),
        Problem::BadAnchor { anchor, not_ca } => {
            let (what, java) = if not_ca {
                ("is not a CA certificate (basicConstraints CA:TRUE is missing)", "is not a CA certificate")
            } else {
                ("has a key usage without keyCertSign", "does not have keyCertSign bit set in KeyUsage extension")
            };
            Said::on(Rule::ChainBadAnchor, anchor, format!("The trusted certificate {} {what}, so Java refuses it as a trust anchor: TrustAnchor with subject \"{}\" {java}.", subject(anchor), subject(anchor)), ["Import the CA certificate that issued the server certificate (a root or intermediate with CA:TRUE and keyCertSign) into the archiver's trust store instead.", "Or, if the trusted certificate is the server's own, make the server send it alone as a self-signed certificate and trust exactly that one."])
        }
        Problem::NameConstraints { cert, ca, ref name } => {
            let constraints = ctx.cert(ca).raw.name_constraints.as_ref().map(|nc| {
                let p: Vec<String> = nc.permitted.iter().map(|n| n.describe()).collect();
                let e: Vec<String> = nc.excluded.iter().map(|n| n.describe()).collect();
                format!("permitted [{}], excluded [{}]", p.join(", "), e.join(", "))
            });
            Said::on(Rule::ChainNameConstraints, cert, format!("{} carries name constraints that do not allow {name} of {}. {hint}: name constraints check failed.", subject(ca), subject(cert)), ["Issue the server certificate for a name the CA may certify (or from a CA without such constraints) and install it on the mail server."])
                .named(Some(ca))
                .and(format!("constraints: {}", constraints.unwrap_or_default()))
        }
        Problem::NameConstraintsMerge { cert, message } => Said::on(Rule::ChainNameConstraints, cert, format!("{} permits names that share nothing with what the CA above it permits; Java fails while combining the two name constraints: {message}.", subject(cert)), ["Re-issue the intermediate with name constraints inside those of the CA above it (or without them) and install it on the mail server."]),
        Problem::LeafEkuUnreadable { cert } => Said::on(Rule::ChainLeafUsage, cert, "The server certificate's extended key usage extension cannot be decoded; this Java release fails on it while checking the server certificate's usage.".to_string(), ["Issue the server certificate with a well-formed extended key usage serverAuth and install it on the mail server."]),
        Problem::NameConstraintsUnsupported { cert, npe } => Said::on(Rule::ChainNameConstraints, cert, format!("Java cannot compare the names of {} with the name constraints of a CA above it ({}), so the handshake fails with an internal error instead of a verdict.", subject(cert), if npe { "a URI without a host name against a URI constraint" } else { "otherName, x400Address and ediPartyName names, or two different registeredIDs, cannot be compared" }), ["Re-issue the certificate without subject alternative names of that form (or the CA without name constraints of that form) and install it on the mail server."]),
        Problem::CriticalExtension { cert, ref oids } => Said::on(Rule::ChainCriticalExtension, cert, format!("{} carries critical extension(s) Java does not know ({}). {hint}: unrecognized critical extension(s).", subject(cert), oids.join(", ")), ["Re-issue the certificate without that extension, or with it marked non-critical, and install it on the mail server."]),
        Problem::Unparseable { cert, ref reason } => Said::on(Rule::ChainUnparseable, cert, format!("Java cannot parse the certificate {} the server sends ({reason}), so the handshake fails with \"Failed to parse server certificates\" before any trust decision.", subject(cert)), ["Replace that certificate on the mail server with a correctly formed one (non-empty issuer, each extension once)."]),
        Problem::Tls13SignatureScheme { cert, .. } => Said::on(Rule::ChainWeakSignature, cert, format!("{} is signed with {}, which is not a TLS 1.3 signature scheme; in a TLS 1.3 handshake Java 25 refuses it (Algorithm constraints check failed). TLS 1.2 and Java 21 or older accept it.", subject(cert), ctx.cert(cert).signature_algorithm.java_name()), ["Re-issue the certificate with SHA-256 and an RSA or EC key (not DSA, not SHA-224) and install it on the mail server."]),
        Problem::BuildTooDeep { below, max } => Said::on(Rule::ChainWrongOrder, below, format!("The server sends its chain out of order, so Java must build the path itself, and its builder stops after {max} intermediate CAs (above {}): unable to find valid certification path.", subject(below)), ["Configure the mail server to send its chain in order: the server certificate first, then each issuer in turn."]).fingerprint(None),
    }
}

fn expiry_and_strength(ctx: &Ctx, walk: &Walk, out: &mut Vec<Finding>) {
    let non_anchor = walk
        .path
        .iter()
        .copied()
        .filter(|&i| Some(i) != walk.anchor || walk.mode == Mode::LeafTrusted);
    for i in non_anchor {
        let c = ctx.cert(i);
        let days = (c.not_after - ctx.at) / 86_400;
        if c.not_after >= ctx.at && days <= EXPIRY_WARNING_DAYS {
            out.push(
                Finding::new(
                    Rule::ChainExpiresSoon,
                    Severity::Warning,
                    format!("{} expires on {} ({days} days left).", c.subject.display(), date(c.not_after)),
                )
                .evidence(ctx.name(i))
                .cert(&c.sha256)
                .fix(["Renew it now and install the new certificate (and any new intermediate) on the mail server; import it into the archiver if it was imported before."]),
            );
        }
        if let crate::x509::cert::KeyInfo::Rsa { bits } = c.key {
            if (1024..2048).contains(&bits) {
                out.push(
                    Finding::new(
                        Rule::ChainWeakKey,
                        Severity::Warning,
                        format!("{} has an RSA {bits}-bit key: Java still accepts it, but CAs and other clients no longer do.", c.subject.display()),
                    )
                    .evidence(ctx.name(i))
                    .cert(&c.sha256)
                    .fix(["Replace it with a 2048-bit (or larger) RSA or a P-256 key at the next renewal."]),
                );
            }
        }
    }
}

fn order_findings(ctx: &Ctx, walk: &Walk, out: &mut Vec<Finding>) {
    if ctx.server.is_empty() {
        return;
    }
    // Where each certificate of the path stands in what the server sent
    // (the anchor counts when the server sent it too).
    let positions: Vec<usize> = walk
        .path
        .iter()
        .filter_map(|&p| {
            ctx.server
                .iter()
                .find(|&&s| ctx.cert(s).sha256 == ctx.cert(p).sha256)
                .map(|&s| ctx.pool[s].position)
        })
        .collect();
    if positions.windows(2).any(|w| w[0] > w[1]) {
        out.push(
            Finding::new(
                Rule::ChainWrongOrder,
                Severity::Info,
                "The server sends its certificates out of order. Java sorts them out itself (it searches for a path), so this is usually harmless, but some other clients fail.",
            )
            .fix(["Ask the mail server's admin to send the server certificate first, then each issuer in turn."]),
        );
    }
    let mut seen = std::collections::HashSet::new();
    let mut dups = Vec::new();
    let mut extra = Vec::new();
    for &i in &ctx.server {
        let c = ctx.cert(i);
        if !seen.insert(c.sha256) {
            dups.push(i);
        } else if !walk.path.contains(&i)
            && !walk.path.iter().any(|&p| ctx.cert(p).sha256 == c.sha256)
            && walk.verdict != Verdict::MissingIntermediate
        {
            extra.push(i);
        }
    }
    if !dups.is_empty() || !extra.is_empty() {
        let mut f = Finding::new(
            Rule::ChainExtraCertificates,
            Severity::Info,
            "The server sends certificates that are not on the path (unrelated or duplicated). Java ignores them; it only costs bytes.",
        );
        for &i in dups.iter().chain(&extra) {
            f = f.evidence(format!(
                "{} {}",
                if dups.contains(&i) {
                    "duplicate:"
                } else {
                    "not needed:"
                },
                ctx.name(i)
            ));
        }
        out.push(
            f.fix(["Ask the mail server's admin to remove the extra certificates from the chain."]),
        );
    }
    let sent_root = ctx
        .server
        .iter()
        .skip(1)
        .copied()
        .find(|&i| ctx.cert(i).self_issued && ctx.cert(i).is_ca());
    if let Some(r) = sent_root {
        out.push(
            Finding::new(
                Rule::ChainContainsRoot,
                Severity::Info,
                format!(
                    "The server sends the root {} too. Harmless for Java: trust comes only from the trust store, never from a root the server sends.",
                    ctx.cert(r).subject.display()
                ),
            )
            .evidence(ctx.name(r))
            .cert(&ctx.cert(r).sha256),
        );
    }
}

fn tls_findings(s: &SClient, java: JavaProfile, out: &mut Vec<Finding>) {
    if let Some(p) = &s.protocol {
        if openssl::is_legacy_protocol(&p.value) {
            out.push(
                Finding::new(
                    Rule::TlsLegacyProtocol,
                    if java.refuses_tls10_11() { Severity::Error } else { Severity::Warning },
                    format!(
                        "The server negotiated {}. {TLS10_REFUSED_BY} refuse TLS 1.0 and 1.1 ({} {}): \"The server selected protocol version TLS10 is not accepted by client preferences\" or \"No appropriate protocol (protocol is disabled or cipher suites are inappropriate)\".",
                        p.value,
                        java.label(),
                        if java.refuses_tls10_11() { "is one of them" } else { "still connects, until it is updated" }
                    ),
                )
                .evidence(format!("line {}: Protocol {}", p.line, p.value))
                .fix([
                    "Enable TLS 1.2 on the mail server (on Windows Server 2012 R2/2016 for Exchange: enable TLS 1.2 for Schannel and .NET, then restart).",
                    "Do not re-enable TLSv1 in the archiver's java.security: it is unsafe and undone by updates.",
                ]),
            );
        }
    }
    if let Some(c) = &s.cipher {
        if let Some(reason) = openssl::weak_cipher_reason(&c.value) {
            let only_newest = reason.starts_with("RSA key exchange");
            let refused = !only_newest || java.refuses_tls_rsa();
            out.push(
                Finding::new(
                    Rule::TlsWeakCipher,
                    if refused { Severity::Error } else { Severity::Warning },
                    format!("The server negotiated {}: {reason}.", c.value),
                )
                .evidence(format!("line {}: Cipher {}", c.line, c.value))
                .fix(["Enable ECDHE cipher suites with AES-GCM on the mail server and put them first."]),
            );
        }
    }
}

/// What the `s:`/`i:` lines add when the paste holds fewer certificates.
struct NameLink {
    /// Chain-list entries (indices) the server sent beyond the pasted PEM blocks,
    /// followed from the last certificate reached.
    followed: Vec<usize>,
    /// Pool index of the trust anchor whose subject matches by name.
    anchored_by: Option<usize>,
    /// Issuer name where the name walk stopped.
    stopped_at: Option<Dn>,
    self_signed_end: bool,
}

fn name_walk(ctx: &Ctx, walk: &Walk, s: &SClient) -> NameLink {
    let mut nl = NameLink {
        followed: vec![],
        anchored_by: None,
        stopped_at: None,
        self_signed_end: false,
    };
    // Start from the issuer of the last certificate reached, or from the
    // chain list's first entry when no certificate was pasted.
    let mut issuer: Option<Dn> = match walk.path.last() {
        Some(&i) if walk.verdict != Verdict::Trusted => Some(ctx.cert(i).issuer.clone()),
        Some(_) => return nl,
        None => s.chain.first().and_then(|e| Dn::parse_text(&e.subject)),
    };
    if walk.path.is_empty() {
        // Nothing pasted: the first entry itself is the server certificate.
        nl.followed.push(0);
        issuer = s.chain.first().and_then(|e| Dn::parse_text(&e.issuer));
    }
    let mut steps = 0;
    while let Some(name) = issuer.take() {
        steps += 1;
        if steps > chain::MAX_DEPTH {
            break;
        }
        let key = name.loose_key();
        if let Some(a) = ctx.pool[..ctx.narrow]
            .iter()
            .position(|e| e.source != Source::Server && e.cert.subject.loose_key() == key)
        {
            nl.anchored_by = Some(a);
            return nl;
        }
        let found = s.chain.iter().enumerate().find(|(k, e)| {
            !nl.followed.contains(k)
                && Dn::parse_text(&e.subject).is_some_and(|d| d.loose_key() == key)
        });
        match found {
            Some((k, e)) => {
                nl.followed.push(k);
                let next = Dn::parse_text(&e.issuer);
                if next.as_ref().is_some_and(|n| n.loose_key() == key) {
                    nl.self_signed_end = true;
                    nl.stopped_at = Some(name);
                    return nl;
                }
                issuer = next;
            }
            None => {
                nl.stopped_at = Some(name);
                return nl;
            }
        }
    }
    nl
}

/// How the chain verdict was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Basis {
    /// From the certificates: every signature on the path was checked.
    Certificates,
    /// From s_client's `s:`/`i:` names (a paste without -showcerts) and
    /// OpenSSL's own verify errors; signatures could not be checked.
    Names,
    /// The needed certificate is in a trust-store listing, by name only.
    Listing,
}

/// The one decision about the chain, made before any finding is written.
struct Decided {
    verdict: Verdict,
    /// Pool index of the trust anchor, when the chain reaches one.
    anchor: Option<usize>,
    /// Name of what anchors the chain when it is no certificate of the pool.
    anchor_name: Option<String>,
    path: Vec<usize>,
    missing: Option<Missing>,
    /// The name the missing certificate must have when the chain is known
    /// by names only. `missing.issuer` is that name as Java writes it,
    /// which reads back in the wrong order for a name encoded CN first
    /// (Atos's roots), so the lookups by name use this.
    missing_name: Option<Dn>,
    basis: Basis,
    /// The chain's findings, rendered from this decision.
    findings: Vec<Finding>,
    /// The walk the decision rests on (with every known root when the
    /// selected Java lacks the one the chain ends at).
    walk: Walk,
}

/// The archiver's Java as the decision needs it.
struct JavaChoice<'a> {
    host: Option<&'a str>,
    release: JavaRelease,
    store: TrustStore,
}

fn decide(
    ctx: &Ctx,
    walk: &Walk,
    sclient: Option<&SClient>,
    name_link: Option<&NameLink>,
    listed: &[Listed],
    says: &paste::OpensslSays,
    java: JavaChoice<'_>,
) -> Decided {
    let d = decide_chain(ctx, walk, sclient, name_link, listed, says);
    // What the archiver's own Java adds to the candidate, judged from it
    // before anything is emitted: a root this release lacks, a distrusted
    // CA, the catalogue's offer for a missing intermediate, Exchange
    // Online's chain. The judgement is data; it is rendered here, once.
    let mut w = d.walk.clone();
    w.verdict = d.verdict;
    let store_says = java_store_says(
        ctx,
        &w,
        d.missing.as_ref(),
        d.missing_name.as_ref(),
        java.host,
        java.release,
        java.store,
    );
    store_says.render(ctx, d, java)
}

fn decide_chain(
    ctx: &Ctx,
    walk: &Walk,
    sclient: Option<&SClient>,
    name_link: Option<&NameLink>,
    listed: &[Listed],
    says: &paste::OpensslSays,
) -> Decided {
    let mut findings = Vec::new();
    if let (Some(s), Some(nl)) = (sclient, name_link) {
        findings.push(showcerts_note(ctx, s, nl));
        // The names add something only beyond the last certificate reached.
        if !nl.followed.is_empty() || walk.path.is_empty() {
            return by_names(ctx, walk, s, nl, says, findings);
        }
    }
    if walk.path.is_empty() && ctx.server.is_empty() {
        if let Some(s) = sclient {
            if let Some(d) = openssl_only(s, says, walk) {
                return d;
            }
        }
    }
    let mut chain = Vec::new();
    let mut missing = None;
    chain_findings(ctx, walk, &mut chain, &mut missing);
    // The certificate the chain needs may be in a trust-store listing.
    let listed_issuer = missing.as_ref().and_then(|m| {
        // A listing's owner is Java's text of a name (keytool, the
        // archiver's page), as `m.issuer` is: both read by the same reader
        // agree even for a name encoded CN first, which that reader takes
        // in the other order from Java's text; the certificate's own name
        // would not match such an owner.
        let needed = Dn::parse_text(&m.issuer)?;
        listed.iter().find(|l| {
            l.owner_dn()
                .is_some_and(|o| o.loose_key() == needed.loose_key())
        })
    });
    if let (Some(l), Some(m)) = (listed_issuer, &missing) {
        findings.extend(
            chain
                .into_iter()
                .filter(|f| f.rule != Rule::ChainMissingIntermediate),
        );
        findings.push(
            Finding::new(
                Rule::TruststoreNameOnly,
                Severity::Warning,
                format!(
                    "Your trust-store listing has {} with Subject {}, the certificate this chain needs. A listing has no key, so its signature could not be checked; if it is the right certificate, Java will trust the chain.",
                    l.name(),
                    m.issuer
                ),
            )
            .evidence(format!("line {}: {}", l.line, l.owner.clone().unwrap_or_default()))
            .fix(["Paste keytool -list -rfc output (or the keystore file) instead of -list -v, so the certificate itself can be checked."]),
        );
        return Decided {
            verdict: Verdict::Trusted,
            anchor: None,
            anchor_name: Some(format!("{} of your trust-store listing", l.name())),
            path: walk.path.clone(),
            missing: None,
            missing_name: None,
            basis: Basis::Listing,
            findings,
            walk: walk.clone(),
        };
    }
    findings.extend(chain);
    Decided {
        verdict: walk.verdict,
        anchor: walk.anchor,
        anchor_name: None,
        path: walk.path.clone(),
        missing,
        missing_name: None,
        basis: Basis::Certificates,
        findings,
        walk: walk.clone(),
    }
}

/// When the certificates are named but not pasted, and no chain list says
/// more: what OpenSSL's own store-independent verify errors tell.
fn openssl_only(s: &SClient, says: &paste::OpensslSays, walk: &Walk) -> Option<Decided> {
    let line = says.self_signed_leaf?;
    let mut f = Finding::new(
        Rule::ChainSelfSignedLeaf,
        Severity::Error,
        "OpenSSL reports the server certificate as self-signed (verify error 18): no CA vouches for it, and Java rejects it unless that very certificate is in the archiver's trust store.",
    )
    .evidence(format!("line {line}: self-signed certificate"))
    .fix([
        "Install a certificate from a CA on the mail server (best).".to_string(),
        format!(
            "Or get the server certificate with openssl s_client -connect {}:{} -showcerts and import it into the archiver's trust store.",
            s.host.clone().unwrap_or_else(|| "HOST".into()),
            s.port.unwrap_or(993)
        ),
    ]);
    if let Some(v) = &s.verify_return {
        f = f.evidence(format!("line {}: Verify return code: {}", v.line, v.value));
    }
    Some(Decided {
        verdict: Verdict::UntrustedRoot,
        anchor: None,
        anchor_name: None,
        path: vec![],
        missing: None,
        missing_name: None,
        basis: Basis::Names,
        findings: vec![f],
        walk: Walk {
            verdict: Verdict::UntrustedRoot,
            ..walk.clone()
        },
    })
}

/// The "run it with -showcerts" note, with the certificates only named.
fn showcerts_note(ctx: &Ctx, s: &SClient, nl: &NameLink) -> Finding {
    let listed: Vec<String> = nl
        .followed
        .iter()
        .filter_map(|&k| s.chain.get(k))
        .map(|e| format!("line {}: {}", e.line, e.subject))
        .collect();
    let listed_by_server = s.chain.iter().filter(|e| !e.from_depth_lines).count();
    let mut f = Finding::new(
        Rule::InputShowcertsMissing,
        Severity::Warning,
        format!(
            "{} but the paste holds {}{}. Signatures of the missing ones could not be checked; the rest of this analysis follows their names.",
            if listed_by_server == s.chain.len() {
                format!("The server sent {} certificate(s)", s.chain.len())
            } else {
                format!("OpenSSL's output names {} certificate(s) (its depth lines include the root from its own store)", s.chain.len())
            },
            ctx.server.len(),
            if s.showcerts {
                " (the PEM blocks were cut from the paste)"
            } else {
                ": openssl was run without -showcerts"
            }
        ),
    )
    .fix([format!(
        "Run openssl s_client -connect {}:{}{} -showcerts </dev/null and paste the whole output.",
        s.host.clone().unwrap_or_else(|| "HOST".into()),
        s.port.unwrap_or(993),
        s.starttls.as_ref().map(|t| format!(" -starttls {t}")).unwrap_or_default()
    )]);
    for l in &listed {
        f = f.evidence(format!("sent by the server, not pasted: {l}"));
    }
    f
}

/// OpenSSL 3 prints `v:NotBefore: Nov 16 00:00:00 2025 GMT; NotAfter: …`;
/// the time of NotAfter, when it can be read.
fn names_not_after(validity: &str) -> Option<i64> {
    crate::dates::parse_openssl(validity.split("NotAfter:").nth(1)?)
}

/// The chain judged by its names, when the paste names more certificates
/// than it holds.
fn by_names(
    ctx: &Ctx,
    walk: &Walk,
    s: &SClient,
    nl: &NameLink,
    says: &paste::OpensslSays,
    mut findings: Vec<Finding>,
) -> Decided {
    let mut d = Decided {
        verdict: walk.verdict,
        anchor: None,
        anchor_name: None,
        path: walk.path.clone(),
        missing: None,
        missing_name: None,
        basis: Basis::Names,
        findings: vec![],
        walk: walk.clone(),
    };
    // Expired by OpenSSL 3's validity lines, or by its verify error 10.
    let mut expired = false;
    for &k in &nl.followed {
        let Some(e) = s.chain.get(k) else { continue };
        if let Some(t) = e.validity.as_deref().and_then(names_not_after) {
            if t < ctx.at {
                expired = true;
                findings.push(
                    Finding::new(
                        Rule::ChainExpired,
                        Severity::Error,
                        format!("By its validity line, {} expired on {}; Java says \"validity check failed\".", e.subject, date(t)),
                    )
                    .evidence(format!("line {}: v:{}", e.line, e.validity.clone().unwrap_or_default()))
                    .fix(["Renew the expired certificate on the mail server (or have it send the CA's current intermediate)."]),
                );
            }
        }
    }
    if !expired {
        for &(depth, line) in &says.expired {
            expired = true;
            let who = depth
                .and_then(|d| s.chain.iter().find(|e| e.depth == d))
                .map(|e| e.subject.clone())
                .unwrap_or_else(|| "a certificate of the chain".into());
            findings.push(
                Finding::new(
                    Rule::ChainExpired,
                    Severity::Error,
                    format!("OpenSSL reports {who} as expired (verify error 10); Java says \"validity check failed\"."),
                )
                .evidence(format!("line {line}: certificate has expired"))
                .fix(["Renew the expired certificate on the mail server."]),
            );
        }
    }
    let leaf_self_signed = (nl.self_signed_end && nl.followed == [0])
        || (says.self_signed_leaf.is_some() && walk.path.is_empty());
    if leaf_self_signed {
        let e = s.chain.first();
        d.verdict = Verdict::UntrustedRoot;
        findings.push(
            Finding::new(
                Rule::ChainSelfSignedLeaf,
                Severity::Error,
                format!(
                    "The server certificate {} is self-signed (its issuer is itself{}): no CA vouches for it, and Java rejects it unless that very certificate is in the archiver's trust store.",
                    e.map(|e| e.subject.as_str()).unwrap_or("(unnamed)"),
                    if says.self_signed_leaf.is_some() { "; OpenSSL says verify error 18" } else { "" }
                ),
            )
            .evidence(e.map(|e| format!("line {}: s:{} i:{}", e.line, e.subject, e.issuer)).unwrap_or_default())
            .fix([
                "Install a certificate from a CA on the mail server (best): then no client needs to import anything.",
                "Or run openssl again with -showcerts and import the server certificate itself into the archiver's trust store (Configuration → Certificates → Import CA cert).",
            ]),
        );
    } else if let Some(a) = nl.anchored_by {
        d.verdict = if expired {
            Verdict::Invalid
        } else {
            Verdict::Trusted
        };
        d.anchor = Some(a);
        d.path.push(a);
        findings.push(
            Finding::new(
                Rule::ChainOk,
                Severity::Info,
                format!(
                    "By name, the chain the server sends reaches {} ({}). Likely trusted by Java; paste the -showcerts output to check the signatures.",
                    ctx.cert(a).subject.display(),
                    ctx.pool[a].source.describe()
                ),
            )
            .evidence(ctx.name(a)),
        );
    } else if let Some(name) = &nl.stopped_at {
        if nl.self_signed_end {
            d.verdict = Verdict::UntrustedRoot;
            // A public root some other Java or browsers trust: named as the
            // root this Java lacks (by the java-store step), not as an
            // unknown one to confirm with the server's admin.
            let key = name.loose_key();
            // (On the page, which carries fewer roots, one known by name.)
            if (ctx.narrow..ctx.pool.len()).any(|i| ctx.cert(i).subject.loose_key() == key)
                || crate::x509::java_roots::known_by_name(name).is_some()
            {
                d.missing = Some(Missing {
                    issuer: name.display(),
                    authority_key_id: None,
                    ca_issuers: vec![],
                    needed_by: None,
                    offered: None,
                });
                d.missing_name = Some(name.clone());
            }
            findings.push(
                Finding::new(
                    Rule::ChainUntrustedRoot,
                    Severity::Error,
                    format!("The chain the server sends ends at the root {}, which is not in the trust store.", name.display()),
                )
                .fix([
                    "Run openssl again with -showcerts to get the root certificate itself.",
                    "Confirm it with the mail server's admin, then import it into the archiver's trust store.",
                ])
                .steps(vec![import_step()]),
            );
        } else {
            d.verdict = Verdict::MissingIntermediate;
            let m = Missing {
                issuer: name.display(),
                authority_key_id: None,
                ca_issuers: vec![],
                needed_by: None,
                offered: None,
            };
            findings.push(
                Finding::new(
                    Rule::ChainMissingIntermediate,
                    Severity::Error,
                    format!("By name, the chain the server sends stops at issuer {}, which is neither sent nor in the trust store.", m.issuer),
                )
                .evidence(format!("missing Subject DN: {}", m.issuer))
                .fix([
                    "Run openssl again with -showcerts so the exact certificate (its key id and download address) can be named.".to_string(),
                    format!("Get the CA certificate {} from the CA's web site and import it.", m.issuer),
                ])
                .steps(vec![import_step()]),
            );
            findings.extend(paste::incomplete_chain_finding(s, name));
            d.missing = Some(m);
            d.missing_name = Some(name.clone());
        }
    } else if let Some(line) = says.leaf_issuer_not_found {
        // OpenSSL says the server sent its certificate alone and no issuer
        // was found ("unable to get local issuer certificate" / "unable to
        // verify the first certificate"): Java's path building fails the
        // same way unless the issuer is a root of its own cacerts.
        d.verdict = Verdict::MissingIntermediate;
        let leaf = s
            .chain
            .first()
            .map(|e| e.subject.clone())
            .unwrap_or_default();
        findings.push(
            Finding::new(
                Rule::ChainMissingIntermediate,
                Severity::Error,
                format!("The server sends its certificate {leaf} alone, and OpenSSL found no issuer for it (verify errors 20/21 at depth 0): the intermediate is missing. The paste does not name it; run openssl with -showcerts to see the server certificate's issuer and its download address."),
            )
            .evidence(format!("line {line}: unable to get local issuer certificate / unable to verify the first certificate"))
            .fix([
                "Ask the mail server's admin to install the full chain (server certificate plus intermediates).",
                "Until then, import the intermediate (named in the server certificate's Issuer field) into the archiver's trust store.",
            ]),
        );
        d.missing = Some(Missing {
            issuer: format!("that issued {leaf} (not named in the paste)"),
            authority_key_id: None,
            ca_issuers: vec![],
            needed_by: None,
            offered: None,
        });
    } else if expired {
        d.verdict = Verdict::Invalid;
    }
    d.findings = findings;
    d
}

/// What a keytool -list -v listing (or an archiver's certificate page)
/// says about itself: how many entries, and which match sent certificates.
fn listing_note(ctx: &Ctx, listed: &[Listed], matches: &[(usize, String)], out: &mut Vec<Finding>) {
    if listed.is_empty() {
        return;
    }
    let mut f = Finding::new(
        Rule::TruststoreListing,
        Severity::Info,
        format!("Read {} entr(y/ies) from a trust-store listing (no certificates in it, only names and fingerprints); they are taken as what the archiver trusts.", listed.len()),
    );
    for (i, name) in matches {
        f = f.evidence(format!("{name} is {} (same fingerprint)", ctx.name(*i)));
    }
    for l in listed.iter().take(20) {
        f = f.evidence(format!(
            "line {}: {} — {}",
            l.line,
            l.name(),
            l.owner.clone().unwrap_or_else(|| "(no owner)".into())
        ));
    }
    out.push(f);
}

/// What an Entra error line itself shows beyond its code: the identifier
/// Entra could not find (AADSTS700016) when it is no GUID, and the resource
/// it could not find (AADSTS500011), which is the token's audience.
fn aadsts_details(hits: &[(String, errtext::Hit)], out: &mut Vec<Finding>) {
    let quoted_after = |text: &str, marker: &str| -> Option<String> {
        let rest = &text[text.find(marker)? + marker.len()..];
        let rest = rest.trim_start().strip_prefix('\'')?;
        Some(rest[..rest.find('\'')?].to_string())
    };
    for (name, h) in hits.iter().filter(|(_, h)| h.rule == Rule::OauthAadsts) {
        match h.code {
            Some(700016) if !out.iter().any(|f| f.rule == Rule::OauthBadGuid) => {
                if let Some(id) =
                    quoted_after(&h.text, "identifier").filter(|id| !crate::settings::is_guid(id))
                {
                    out.push(
                        Finding::new(
                            Rule::OauthBadGuid,
                            Severity::Error,
                            format!("The client ID sent to Entra is '{id}', which is not a GUID: the Application (client) ID field holds something else (a placeholder, a name or a user)."),
                        )
                        .evidence(format!("{name} line {}: {}", h.line, h.text))
                        .fix(["Copy the Application (client) ID (a GUID) from Entra ID → App registrations → your app → Overview into the archiver's client ID field."]),
                    );
                }
            }
            Some(500011) if !out.iter().any(|f| f.rule == Rule::OauthTokenAudience) => {
                let resource = quoted_after(&h.text, "named")
                    .or_else(|| {
                        let t = &h.text;
                        let i = t.find("named ")? + 6;
                        Some(t[i..].split_whitespace().next()?.to_string())
                    })
                    .unwrap_or_default();
                out.push(
                    Finding::new(
                        Rule::OauthTokenAudience,
                        Severity::Error,
                        format!("The token was requested for the resource {resource}, which Entra does not know in this tenant: the scope is wrong. IMAP needs https://outlook.office365.com/.default."),
                    )
                    .evidence(format!("{name} line {}: {}", h.line, h.text))
                    .fix(["Request the token with the scope https://outlook.office365.com/.default (one scheme, no doubled slashes)."]),
                );
            }
            _ => {}
        }
    }
}

/// What a recognised error line means when no certificate analysis says
/// more: the rules table's wording, with the line's own values filled in.
fn text_wording(
    rule: Rule,
    hit: &errtext::Hit,
    has_certs: bool,
    host: Option<&str>,
) -> (Severity, String, Vec<String>) {
    let code = hit.code.map(|c| c.to_string()).unwrap_or_default();
    let (meaning, code_fix) = errtext::aadsts_meaning(hit.code.unwrap_or(0));
    let (message, mut fix) = rule.info().render(&[
        ("refused_by", TLS10_REFUSED_BY),
        ("code", &code),
        ("meaning", meaning),
        ("code_fix", code_fix),
        ("host", host.unwrap_or("<mail server>")),
    ]);
    // Without the certificates no chain cause can be shown: collecting
    // them (input.chain-needed's first step) comes first.
    if !has_certs && rule.id().starts_with("chain.") {
        if let Some(collect) = Rule::InputChainNeeded.info().fix.first() {
            fix.insert(0, collect.to_string());
        }
    }
    (rule.default_severity(), message, fix)
}

/// One `input.limit` finding naming every limit over all inputs that was reached.
fn limit_finding(budget: &input::Budget, dropped: errtext::Dropped, out: &mut Vec<Finding>) {
    if budget.cut.is_empty() && dropped == errtext::Dropped::default() {
        return;
    }
    let mut f = Finding::new(
        Rule::InputLimit,
        Severity::Warning,
        "The inputs hold more than one analysis reads; the verdict is based on the part that was read.",
    );
    for c in &budget.cut {
        f = f.evidence(c.clone());
    }
    if dropped.lines > 0 {
        f = f.evidence(format!(
            "{} repeated error line(s) not listed (at most {} per kind of error)",
            dropped.lines,
            errtext::MAX_HITS_PER_RULE
        ));
    }
    if dropped.codes > 0 {
        f = f.evidence(format!(
            "{} line(s) with further AADSTS codes not listed (at most {} codes)",
            dropped.codes,
            errtext::MAX_AADSTS_CODES
        ));
    }
    out.push(f.fix([
        "Paste only the server's chain, the trust store and the part of the log around the error.",
    ]));
}

/// Findings from recognised error lines, joined with the certificate analysis.
fn text_findings(
    ctx: &Ctx,
    decided: &Decided,
    hits: &[(String, errtext::Hit)],
    host: Option<&str>,
    out: &mut Vec<Finding>,
) {
    let has_certs = !ctx.server.is_empty();
    // Hits grouped by (rule, code) in order of first appearance, in one pass.
    let mut slot: std::collections::HashMap<(Rule, Option<u32>), usize> =
        std::collections::HashMap::new();
    let mut groups: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, (n, h)) in hits.iter().enumerate() {
        let g = *slot.entry((h.rule, h.code)).or_insert_with(|| {
            groups.push((i, Vec::new()));
            groups.len() - 1
        });
        if groups[g].1.len() < 5 {
            groups[g].1.push(format!("{n} line {}: {}", h.line, h.text));
        }
    }
    for (first, evidence) in groups {
        let hit = &hits[first].1;
        // A chain rule the certificates already explain: add the log line as evidence.
        let is_chain = hit.rule.id().starts_with("chain.");
        if is_chain && has_certs {
            if decided.verdict == Verdict::Trusted {
                if hit.rule == Rule::ChainMissingIntermediate
                    && !out.iter().any(|f| f.rule == Rule::ChainTruststoreNotUsed)
                {
                    let mut f = Finding::new(
                        Rule::ChainTruststoreNotUsed,
                        Severity::Error,
                        "The log says Java found no certification path, yet with the certificates given here the chain is trusted: the archiver is not using these trust settings.",
                    )
                    .fix([
                        "In MailArchiva, IMAP Settings → Certificate authentication: select the MailArchiva certificate store.",
                        "Import the certificates shown here (Configuration → Certificates → Import CA cert, root first) into the store the archiver really uses.",
                        "If the archiver runs with its own Java, import them into that Java's cacerts (keytool -importcert -cacerts).",
                    ]);
                    for e in &evidence {
                        f = f.evidence(e.clone());
                    }
                    out.push(f);
                }
                continue;
            }
            let target = out.iter_mut().find(|f| f.rule == hit.rule);
            let target = match target {
                Some(t) => Some(t),
                None if hit.rule == Rule::ChainMissingIntermediate => out
                    .iter_mut()
                    .find(|f| f.severity == Severity::Error && f.rule.id().starts_with("chain.")),
                None => None,
            };
            if let Some(t) = target {
                t.evidence
                    .extend(evidence.iter().map(|e| format!("the log agrees: {e}")));
                continue;
            }
        }
        if let Some(f) = out
            .iter_mut()
            .find(|f| f.rule == hit.rule && hit.rule != Rule::OauthAadsts)
        {
            f.evidence.extend(evidence);
            continue;
        }
        // "No certification path" without any certificate: the cause could be
        // a missing intermediate, an untrusted root or a self-signed server
        // certificate. Say so and ask for the chain, instead of guessing.
        let rule = if !has_certs && hit.rule == Rule::ChainMissingIntermediate {
            Rule::InputChainNeeded
        } else {
            hit.rule
        };
        if rule != hit.rule && out.iter().any(|f| f.rule == rule) {
            continue;
        }
        let (sev, msg, fix) = text_wording(rule, hit, has_certs, host);
        let mut f = Finding::new(rule, sev, msg).fix(fix);
        for e in evidence {
            f = f.evidence(e);
        }
        out.push(f);
    }
}
/// The Java release and trust store the verdict assumes.
fn java_choice(opts: &Options) -> (JavaRelease, TrustStore) {
    let release = opts
        .java_release
        .unwrap_or_else(|| JavaRelease::from_profile(opts.java));
    let store = if opts.public_roots {
        opts.trust_store
    } else {
        TrustStore::ArchiverOnly
    };
    (release, store)
}

/// The roots the selected Java trusts on its own, with a label naming the store.
fn bundled_anchors(opts: &Options) -> Vec<(Arc<Certificate>, String)> {
    use crate::x509::java_roots;
    let (release, store) = java_choice(opts);
    match store {
        TrustStore::Jdk | TrustStore::Debian => {
            let place = if store == TrustStore::Jdk {
                format!("{}'s cacerts", release.label())
            } else {
                "Debian's ca-certificates-java".to_string()
            };
            java_roots::anchors(store, release)
                .into_iter()
                .map(|r| (r.cert.clone(), format!("alias {} in {place}", r.alias)))
                .collect()
        }
        TrustStore::Mozilla => crate::x509::roots::public_roots()
            .iter()
            .map(|c| (c.clone(), "Mozilla's root list".to_string()))
            .collect(),
        TrustStore::ArchiverOnly => vec![],
    }
}

/// Appends the roots other Java releases, Debian or browsers trust, so a
/// chain that ends at one of them is named as such, not as a missing
/// intermediate. They are never anchors of the verdict itself.
fn wider_roots(pool: &mut Vec<Entry>) {
    let mut have: std::collections::HashSet<Sha256Fingerprint> = pool
        .iter()
        .filter(|e| e.source != Source::Server)
        .map(|e| e.cert.sha256)
        .collect();
    let java = crate::x509::java_roots::roots().iter().map(|r| {
        (
            r.cert.clone(),
            format!("alias {} (other Java releases)", r.alias),
        )
    });
    let mozilla = crate::x509::roots::public_roots()
        .iter()
        .map(|c| (c.clone(), "Mozilla's root list (browsers)".to_string()));
    for (cert, label) in java.chain(mozilla) {
        if have.insert(cert.sha256) {
            pool.push(Entry {
                cert,
                source: Source::PublicRoots,
                position: 0,
                label: Some(label),
            });
        }
    }
}

#[allow(clippy::too_many_arguments)]
/// What the archiver's own Java (its release and trust store) says about
/// the chain's candidate decision. Judged from the candidate without
/// editing it; [`JavaStoreSays::render`] turns it into the final decision
/// and its findings in one step.
struct JavaStoreSays {
    /// The selected Java lacks the public root the chain ends at.
    root: Option<RootNotHere>,
    /// The anchor is under a distrust policy of the selected release.
    distrust: Option<Distrusted>,
    /// What the bundled catalogue offers for the missing intermediate.
    offer: Option<Offer>,
    /// The host is Exchange Online: its chain note.
    exchange_online: Option<String>,
    /// The chain ends at a root this build does not carry (the page).
    not_carried: Option<NotCarried>,
}

fn java_store_says(
    ctx: &Ctx,
    walk: &Walk,
    missing: Option<&Missing>,
    missing_name: Option<&Dn>,
    host: Option<&str>,
    release: JavaRelease,
    store: TrustStore,
) -> JavaStoreSays {
    // A root known by name only: one the selected store lacks is named as
    // such; one it holds (Mozilla's list) cannot be checked here, so the
    // verdict cannot be known and nothing is offered either.
    let (lacked, held) = match named_end(ctx, walk, missing, missing_name) {
        Some(n) if n.root.held_by(store) => (None, Some(n)),
        n => (n, None),
    };
    let root = root_not_here(ctx, walk, missing, missing_name).or_else(|| {
        lacked.map(|n| RootNotHere {
            root: RootAt::Named {
                root: n.root,
                name: n.name,
                sent: n.sent,
            },
            checked: false,
            wide: None,
        })
    });
    let not_carried = root
        .is_none()
        .then(|| held.map(|n| NotCarried::new(n, release, store)))
        .flatten();
    // With the root this Java lacks, the chain is decided (an untrusted
    // root): nothing is missing any more, so nothing is offered.
    let after_root = root.as_ref().map(|r| r.walk(walk));
    let walk = after_root.as_ref().unwrap_or(walk);
    JavaStoreSays {
        distrust: distrusted(ctx, walk, release),
        offer: if root.is_none() && not_carried.is_none() {
            missing.and_then(|_| offer_for(ctx, walk, release))
        } else {
            None
        },
        exchange_online: host.filter(|h| is_exchange_online(h)).map(str::to_string),
        root,
        not_carried,
    }
}

impl JavaStoreSays {
    /// Whether a finding of the chain's candidate decision is replaced by
    /// this judgement (a root this Java lacks is neither a missing
    /// intermediate nor an unknown root; a refused chain is not "ok").
    fn supersedes(&self, rule: Rule) -> bool {
        let by_root = self.root.is_some()
            && matches!(
                rule,
                Rule::ChainMissingIntermediate
                    | Rule::ChainServerSendsIncompleteChain
                    | Rule::ChainUntrustedRoot
            );
        let by_distrust =
            self.distrust.as_ref().is_some_and(|d| d.policy.enforced) && rule == Rule::ChainOk;
        let by_not_carried = self.not_carried.is_some()
            && matches!(
                rule,
                Rule::ChainMissingIntermediate
                    | Rule::ChainServerSendsIncompleteChain
                    | Rule::ChainUntrustedRoot
            );
        by_root || by_distrust || by_not_carried
    }

    /// The final decision: the candidate with this judgement applied, and
    /// every finding rendered.
    fn render(self, ctx: &Ctx, mut d: Decided, java: JavaChoice<'_>) -> Decided {
        let mut walk = d.walk.clone();
        walk.verdict = d.verdict;
        let mut findings: Vec<Finding> = d
            .findings
            .into_iter()
            .filter(|f| !self.supersedes(f.rule))
            .collect();
        if let Some(r) = &self.root {
            findings.push(root_finding(ctx, r, java.release, java.store));
            d.missing = None;
            walk = r.walk(&walk);
        }
        if let Some(n) = &self.not_carried {
            findings.push(n.finding());
            d.missing = None;
            walk.verdict = if !n.by_names {
                Verdict::Inconclusive
            } else if findings.iter().any(|f| f.rule == Rule::ChainExpired) {
                Verdict::Invalid
            } else {
                d.anchor_name = Some(format!("{} ({})", n.name.display(), n.store));
                Verdict::Trusted
            };
        }
        if let Some(x) = &self.distrust {
            findings.push(distrust_finding(ctx, x, java.release));
            if x.policy.enforced {
                walk.verdict = Verdict::Invalid;
            }
        }
        if let Some(o) = self.offer {
            if let Some(f) = findings
                .iter_mut()
                .find(|f| f.rule == Rule::ChainMissingIntermediate)
            {
                f.evidence.extend(o.evidence);
                if let Some(s) = o.first_fix {
                    // The certificate is handed over: fetching it from the
                    // CA is no step any more (its address stays evidence).
                    if let Some(m) = &d.missing {
                        let fetch = fetch_steps(m);
                        f.fix
                            .retain(|step| !matches!(step, FixStep::Do(t) if fetch.contains(t)));
                    }
                    f.fix.insert(0, s.into());
                }
            }
            if let (Some(m), Some(offered)) = (d.missing.as_mut(), o.offered) {
                m.offered = Some(offered);
            }
            if o.consulted {
                findings.extend(catalogue_age(ctx));
            }
        }
        if let Some(h) = &self.exchange_online {
            findings.push(m365_chain(ctx, &walk, h, java.release));
        }
        if walk.verdict != d.verdict {
            d.verdict = walk.verdict;
            if d.basis == Basis::Certificates {
                d.anchor = walk.anchor;
                d.path = walk.path.clone();
            }
        }
        d.findings = findings;
        d.walk = walk;
        d
    }
}

fn store_words(release: JavaRelease, store: TrustStore) -> String {
    match store {
        TrustStore::Jdk => format!("{} (its own cacerts)", release.label()),
        TrustStore::Debian => "Debian/Ubuntu packaged Java (ca-certificates-java)".into(),
        TrustStore::Mozilla => "a Java whose cacerts follows Mozilla's list".into(),
        TrustStore::ArchiverOnly => "the archiver's own keystore".into(),
    }
}

/// Where else a root is trusted, in words.
fn root_availability(root: &Certificate) -> Vec<String> {
    let mut v = crate::x509::java_roots::find(&root.sha256)
        .map(crate::x509::java_roots::availability)
        .unwrap_or_default();
    if crate::x509::roots::is_mozilla(&root.sha256) {
        v.push("browsers (Mozilla's root list)".into());
    }
    v
}

/// The first update of the selected line that trusts `root`, if a later one does.
fn update_that_adds(root: &Certificate, release: JavaRelease) -> Option<String> {
    let r = crate::x509::java_roots::find(&root.sha256)?;
    let later = JavaRelease {
        line: release.line,
        update: None,
    };
    crate::x509::java_roots::anchors(TrustStore::Jdk, later)
        .iter()
        .any(|a| a.cert.sha256 == r.cert.sha256)
        .then(|| {
            crate::x509::java_roots::first_in_line(
                crate::x509::java_roots::availability(r),
                release.line,
            )
        })
        .flatten()
}

/// The root a chain ends at, as far as this build knows it.
enum RootAt {
    /// A certificate of the pool (beyond `ctx.narrow`).
    Pool(usize),
    /// A public root this build knows only by name (the page), with the
    /// name as the chain gives it and the root itself when the server sent it.
    Named {
        root: NamedRoot,
        name: Dn,
        sent: Option<usize>,
    },
}

/// The public root the chain ends at, which the selected Java lacks while
/// other releases or browsers have it.
struct RootNotHere {
    root: RootAt,
    /// Found by walking the certificates (`true`) or matched by name only.
    checked: bool,
    /// The walk with every known root, when the certificates were walked.
    wide: Option<Walk>,
}

impl RootNotHere {
    /// The chain's walk once this is known: it ends at an untrusted root.
    fn walk(&self, walk: &Walk) -> Walk {
        match (&self.wide, &self.root) {
            (Some(wide), &RootAt::Pool(root)) => {
                let mut w = wide.clone();
                w.verdict = Verdict::UntrustedRoot;
                w.anchor = None;
                w.dead_end = Some(DeadEnd::UntrustedSelfSigned { root });
                w
            }
            _ => {
                let mut w = walk.clone();
                w.verdict = Verdict::UntrustedRoot;
                w
            }
        }
    }
}

/// The root a chain that reached no anchor ends at, when this build knows
/// it by name only (the page: the roots of Mozilla's list no Java store
/// has). Looked up once; [`java_store_says`] decides what it means.
struct NamedEnd {
    root: NamedRoot,
    /// As the chain names it: the issuer it names last (read from the
    /// names when only those go that far), or the self-signed root sent.
    name: Dn,
    /// The root's pool index, when the server sent it.
    sent: Option<usize>,
    /// Known from the names alone (s_client without the PEM blocks).
    by_names: bool,
}

fn named_end(
    ctx: &Ctx,
    walk: &Walk,
    missing: Option<&Missing>,
    missing_name: Option<&Dn>,
) -> Option<NamedEnd> {
    if !matches!(
        walk.verdict,
        Verdict::MissingIntermediate | Verdict::UntrustedRoot
    ) {
        return None;
    }
    let by_names = missing.is_some_and(|m| m.needed_by.is_none());
    let (name, sent) = match (missing, &walk.dead_end) {
        (Some(_), _) if by_names => (missing_name?.clone(), None),
        (_, Some(DeadEnd::MissingIssuer { below })) => (ctx.cert(*below).issuer.clone(), None),
        (_, Some(DeadEnd::UntrustedSelfSigned { root })) => {
            (ctx.cert(*root).subject.clone(), Some(*root))
        }
        _ => return None,
    };
    Some(NamedEnd {
        root: crate::x509::java_roots::known_by_name(&name)?,
        name,
        sent,
        by_names,
    })
}

fn root_not_here(
    ctx: &Ctx,
    walk: &Walk,
    missing: Option<&Missing>,
    missing_name: Option<&Dn>,
) -> Option<RootNotHere> {
    if !matches!(
        walk.verdict,
        Verdict::MissingIntermediate | Verdict::UntrustedRoot
    ) {
        return None;
    }
    // With certificates: walk again with every known root.
    if !ctx.server.is_empty() && missing.is_none_or(|m| m.needed_by.is_some()) {
        let w = chain::walk_with(&ctx.pool, &ctx.server, ctx.policy);
        // Reaching a root beyond this Java's is the cause Java reports
        // ("unable to find valid certification path"), even when the path
        // has other faults (a CA certificate as the server's, say); not
        // when a signature fails: then that root did not issue the chain.
        let signed = !w.problems.iter().any(|p| {
            matches!(
                p,
                Problem::BadSignature { .. } | Problem::UnsupportedSignature { .. }
            )
        });
        if let Some(a) = w.anchor.filter(|_| signed) {
            if a >= ctx.narrow {
                return Some(RootNotHere {
                    root: RootAt::Pool(a),
                    checked: true,
                    wide: Some(w),
                });
            }
        }
    }
    // Names only (s_client without -showcerts): match the missing issuer by name.
    let by_name = missing
        .filter(|m| m.needed_by.is_none())
        .and(missing_name)
        .and_then(|name| {
            let key = name.loose_key();
            (ctx.narrow..ctx.pool.len()).find(|&i| ctx.cert(i).subject.loose_key() == key)
        });
    by_name.map(|root| RootNotHere {
        root: RootAt::Pool(root),
        checked: false,
        wide: None,
    })
}

fn root_finding(ctx: &Ctx, r: &RootNotHere, release: JavaRelease, store: TrustStore) -> Finding {
    // What is known of the root: its certificate (in the pool, or sent by
    // the server), or on the page only its name, stores and expiry.
    let (cert, named) = match &r.root {
        &RootAt::Pool(i) => (Some(ctx.cert(i)), None),
        RootAt::Named { root, name, sent } => (sent.map(|i| ctx.cert(i)), Some((root, name))),
    };
    let subject = match (cert, named) {
        (Some(c), _) => c.subject.display(),
        (None, Some((_, name))) => name.display(),
        (None, None) => String::new(),
    };
    let (avail, adds, not_after) = match named {
        // Only Mozilla's list has it (no Java store).
        Some((root, _)) => (
            vec!["browsers (Mozilla's root list)".to_string()],
            None,
            root.not_after,
        ),
        None => match cert {
            Some(c) => (
                root_availability(c),
                update_that_adds(c, release),
                c.not_after,
            ),
            None => (vec![], None, i64::MAX),
        },
    };
    let mut fix: Vec<String> = Vec::new();
    if store == TrustStore::Jdk {
        if let Some(t) = adds {
            fix.push(format!("Update the archiver's Java: {t} trusts this root."));
        }
    }
    // A root that has expired was dropped for that reason: the chain shown
    // is an old one, and the server must now send one to a current root.
    if not_after < ctx.at {
        fix.insert(0, format!(
            "This root expired on {}: run openssl s_client against the server again to see the chain it sends today; if it still ends here, the server needs a certificate from a current CA chain.",
            date(not_after)
        ));
    }
    let or = if fix.is_empty() {
        "Import"
    } else {
        "Or import"
    };
    fix.push(match cert {
        Some(c) => format!(
            "{or} the root {subject} (SHA-256 {}) into the store the archiver uses:",
            c.sha256
        ),
        None => format!(
            "{or} the root {subject} into the store the archiver uses (this page does not carry its certificate: get it from its CA; the command line, imap-doctor analyze, names its SHA-256):"
        ),
    });
    fix.extend(IMPORT_STEPS.iter().map(|s| s.to_string()));
    let how = match (r.checked, cert, named) {
        (true, _, _) => "",
        (false, Some(_), Some(_)) => {
            " (matched by name: this page does not carry that root's certificate to compare)"
        }
        (false, None, Some(_)) if !ctx.server.is_empty() => {
            " (matched by name: this page does not carry that root's certificate)"
        }
        (false, _, _) => " (matched by name: the paste has no certificates to check)",
    };
    let mut f = Finding::new(
        Rule::ChainRootNotInThisJava,
        Severity::Error,
        format!(
            "The chain ends at the public root {subject}, which {} does not trust{how}. It is trusted by: {}.",
            store_words(release, store),
            if avail.is_empty() { "no bundled store".to_string() } else { avail.join("; ") }
        ),
    );
    f = match cert {
        Some(c) => f
            .evidence(format!("root: {subject} SHA-256 {}", c.sha256))
            .cert(&c.sha256),
        None => f.evidence(format!("root (by name): {subject}")),
    };
    f = f.fix(fix);
    if crate::x509::java_roots::history_inferred(release.line) {
        f = f.evidence(format!(
            "Java {}'s update history of cacerts is inferred from jdk11u (same quarterly update), not read from that line's own sources",
            release.line
        ));
    }
    f
}

/// The page carries fewer roots than the command line (size budget): the
/// chain ends at the name of a root the selected store holds but this
/// build lacks.
struct NotCarried {
    /// The root's alias (or name) and the name the chain gives it.
    alias: &'static str,
    name: Dn,
    /// The chain is known by names only (s_client without the PEM blocks):
    /// then the name is all any build could judge, as for a carried root.
    by_names: bool,
    /// The command-line options that select the same Java and store.
    cli: String,
    store: String,
}

impl NotCarried {
    fn new(n: NamedEnd, release: JavaRelease, store: TrustStore) -> NotCarried {
        let java = match release.update {
            None => format!("--java {}", release.line),
            Some(0) if release.line != 8 => format!("--java {}.0.0", release.line),
            Some(u) => format!("--java {}", JavaRelease::update_label(release.line, u)),
        };
        NotCarried {
            alias: n.root.name,
            name: n.name,
            by_names: n.by_names,
            // Only Mozilla's list holds a root the page knows by name: the
            // same Java (its distrust policies), Mozilla's roots.
            cli: format!("{java} --trust-store mozilla"),
            store: store_words(release, store),
        }
    }

    /// The root as the chain names it, with its alias when that says more.
    fn root(&self) -> String {
        let dn = self.name.display();
        if self.name.common_name().as_deref() == Some(self.alias) {
            dn
        } else {
            format!("{dn} ({})", self.alias)
        }
    }

    fn finding(&self) -> Finding {
        if self.by_names {
            return Finding::new(
                Rule::ChainOk,
                Severity::Info,
                format!(
                    "By name, the chain the server sends reaches {}, a root {} holds. Likely trusted by Java; paste the -showcerts output to check the signatures.",
                    self.root(),
                    self.store
                ),
            )
            .evidence(format!("root (by name): {}", self.name.display()));
        }
        let mut f = Finding::new(
            Rule::ChainInconclusive,
            Severity::Warning,
            format!(
                "Cannot tell here whether Java trusts this chain: it ends at {}, a root {} holds, but this page does not carry that root's certificate (its size budget) to check the signature. The command line gives the verdict.",
                self.root(),
                self.store
            ),
        )
        .fix([format!(
            "Save the same paste as a file and run the command line on it: `imap-doctor analyze {} paste.txt`",
            self.cli
        )]);
        f.title = "This page lacks that root's certificate".into();
        f
    }
}

/// The chain's anchor is under a distrust policy of the selected release
/// and the server certificate was issued after its date.
struct Distrusted {
    anchor: usize,
    leaf: usize,
    policy: crate::x509::java_roots::Distrust,
}

fn distrusted(ctx: &Ctx, walk: &Walk, release: JavaRelease) -> Option<Distrusted> {
    use crate::x509::java_roots::{distrust, issued_after};
    if walk.verdict != Verdict::Trusted || walk.mode == Mode::LeafTrusted {
        return None;
    }
    let (Some(anchor), Some(&leaf)) = (walk.anchor, ctx.server.first()) else {
        return None;
    };
    let policy = distrust(&ctx.cert(anchor).sha256, release)?;
    issued_after(ctx.cert(leaf).not_before, policy.after).then_some(Distrusted {
        anchor,
        leaf,
        policy,
    })
}

fn distrust_finding(ctx: &Ctx, x: &Distrusted, release: JavaRelease) -> Finding {
    let (a, d, l) = (x.anchor, &x.policy, ctx.cert(x.leaf));
    let ca = match d.policy {
        "SYMANTEC_TLS" => "Symantec",
        "ENTRUST_TLS" => "Entrust",
        "CAMERFIRMA_TLS" => "Camerfirma",
        "CHUNGHWA_TLS" => "Chunghwa",
        other => other,
    };
    let java_says = format!(
        "sun.security.validator.ValidatorException: TLS Server certificate issued after {} and anchored by a distrusted legacy {ca} root CA: {}",
        d.after,
        ctx.cert(a).subject.display()
    );
    let since = format!("{}{}", d.since, if d.inferred { " (inferred)" } else { "" });
    let (sev, msg) = if d.enforced {
        (
            Severity::Error,
            format!(
                "The server certificate was issued on {} under the {ca} root {}, which Java distrusts for TLS certificates issued after {} (jdk.security.caDistrustPolicies={}, since {since}). {} refuses it although the root is in cacerts.",
                date(l.not_before),
                ctx.cert(a).subject.display(),
                d.after,
                d.policy,
                release.label()
            ),
        )
    } else {
        (
            Severity::Warning,
            format!(
                "The server certificate was issued on {} under the {ca} root {}. {} still accepts it, but Java {since} and later refuse TLS certificates issued after {} under this root (jdk.security.caDistrustPolicies={}).",
                date(l.not_before),
                ctx.cert(a).subject.display(),
                release.label(),
                d.after,
                d.policy
            ),
        )
    };
    Finding::new(Rule::ChainDistrustedCa, sev, msg)
        .evidence(format!("server certificate notBefore {}", format_time(l.not_before)))
        .evidence(format!("anchor {}", ctx.name(a)))
        .evidence(format!("Java says: {java_says}"))
        .cert(&ctx.cert(a).sha256)
        .fix([
            format!("The mail server needs a certificate from another CA (not {ca}): renew it there and install it with its full chain."),
            "Do not remove the policy from java.security (jdk.security.caDistrustPolicies): it is undone by updates and trusts a CA the JDK stopped trusting.".to_string(),
        ])
}

/// Java's text when a distrust policy refuses the chain.
fn distrust_error(findings: &[Finding]) -> Option<String> {
    findings
        .iter()
        .find(|f| f.rule == Rule::ChainDistrustedCa && f.severity == Severity::Error)?
        .evidence
        .iter()
        .find_map(|e| e.strip_prefix("Java says: ").map(str::to_string))
}

/// Days after which the catalogue's data earns a notice.
pub const CATALOGUE_MAX_AGE_DAYS: i64 = 90;

/// What the bundled catalogue says about the missing intermediate: the
/// certificate it offers, and evidence for the missing-intermediate finding.
struct Offer {
    evidence: Vec<String>,
    first_fix: Option<String>,
    offered: Option<crate::report::Offered>,
    /// The catalogue knew the certificate (its age is then worth a note).
    consulted: bool,
}

fn offer_for(ctx: &Ctx, walk: &Walk, release: JavaRelease) -> Option<Offer> {
    use crate::report::Offered;
    use crate::x509::catalogue;
    let Some(DeadEnd::MissingIssuer { below }) = walk.dead_end else {
        return None;
    };
    let child = ctx.cert(below);
    let anchors: Vec<Arc<Certificate>> = ctx.pool[..ctx.narrow]
        .iter()
        .filter(|e| e.source != Source::Server)
        .map(|e| e.cert.clone())
        .collect();
    let cands = catalogue::candidates(child, &anchors, ctx.at);
    let mut evidence: Vec<String> = Vec::new();
    let mut first_fix: Option<String> = None;
    let mut offered = None;
    let cat_date = catalogue::date();
    if let Some(best) = cands.iter().find(|c| c.signs_child && !c.expired) {
        let c = &best.entry.cert;
        evidence.push(format!(
            "imap-doctor has this certificate: {} (CA {}, valid until {}, SHA-256 {}); its key verifies the signature of the certificate below (CCADB data of {cat_date})",
            c.subject.display(),
            best.entry.owner,
            date(c.not_after),
            c.sha256
        ));
        match &best.root {
            Some(r) => evidence.push(format!(
                "with it the chain reaches {}, which {} trusts",
                r.subject.display(),
                release.label()
            )),
            None => evidence.push(format!(
                "none of the catalogue's variants of it chains to a root the selected store ({}) trusts: the root must be imported too",
                release.label()
            )),
        }
        for e in &best.above {
            evidence.push(format!(
                "also needed above it (also offered): {} SHA-256 {}",
                e.cert.subject.display(),
                e.cert.sha256
            ));
        }
        first_fix = Some("Save the certificate imap-doctor offers (the download next to it, or imap-doctor analyze --write-missing DIR on the command line) and import it as below; no download from the CA is needed.".into());
        offered = Some(Offered {
            sha256: c.sha256,
            subject: c.subject.display(),
            pem: c.pem(),
            ca_owner: best.entry.owner.to_string(),
            not_after: format_time(c.not_after),
            also_needed: best.above.iter().map(|e| e.cert.pem()).collect(),
            chains_to: best.root.as_ref().map(|r| r.subject.display()),
            catalogue_date: cat_date.to_string(),
        });
    }
    for c in cands.iter().filter(|c| c.expired) {
        evidence.push(format!(
            "the catalogue's {} (SHA-256 {}) expired on {}: not the fix",
            c.entry.cert.subject.display(),
            c.entry.cert.sha256,
            date(c.entry.cert.not_after)
        ));
    }
    for c in cands.iter().filter(|c| !c.signs_child) {
        evidence.push(format!(
            "the catalogue's {} (SHA-256 {}) has the right name but does not verify the signature: another version",
            c.entry.cert.subject.display(),
            c.entry.cert.sha256
        ));
    }
    let mut consulted = !cands.is_empty();
    if cands.is_empty() && !catalogue::is_full() {
        if let Some(aki) = &child.authority_key_id {
            if let Some(n) = catalogue::named(aki).first() {
                consulted = true;
                evidence.push(format!(
                    "it is a public intermediate of {} (CCADB, valid until {}); the command line has the certificate itself: imap-doctor analyze --write-missing DIR",
                    n.owner, n.not_after
                ));
            }
        }
    }
    Some(Offer {
        evidence,
        first_fix,
        offered,
        consulted,
    })
}

/// Where to get a missing intermediate and how to tell it is the right one:
/// the steps of `chain.missing-intermediate` that the catalogue's offer
/// replaces.
fn fetch_steps(m: &Missing) -> [String; 2] {
    let get = if m.ca_issuers.is_empty() {
        format!(
            "Get the CA certificate {} from the certificate authority's web site or from the mail server's admin.",
            m.issuer
        )
    } else {
        format!(
            "Download the CA certificate from {} (the address the certificate below names).",
            m.ca_issuers.join(" or ")
        )
    };
    let check = format!(
        "Check that its Subject is {}{}; paste it here with the rest to confirm it completes the chain.",
        m.issuer,
        m.authority_key_id
            .as_ref()
            .map(|k| format!(" and its Subject Key Identifier is {k}"))
            .unwrap_or_default()
    );
    [get, check]
}

/// A note when the catalogue consulted is old against the analysis time.
fn catalogue_age(ctx: &Ctx) -> Option<Finding> {
    let cat_date = crate::x509::catalogue::date();
    let age = parse_time(&format!("{cat_date}T00:00:00Z"))
        .map(|t| (ctx.at - t) / 86_400)
        .unwrap_or(0);
    (age > CATALOGUE_MAX_AGE_DAYS).then(|| {
        Finding::new(
            Rule::DataCatalogueAge,
            Severity::Info,
            format!("The bundled intermediate catalogue is CCADB data of {cat_date}, {age} days before the analysis time: a CA may have issued newer intermediates since."),
        )
        .fix(["Use a newer imap-doctor, or refresh the data (scripts/refresh-intermediates) and rebuild."])
    })
}

fn is_exchange_online(host: &str) -> bool {
    let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
    h == "outlook.office365.com"
        || h == "outlook.office.com"
        || h == "outlook.com"
        || h.ends_with(".outlook.com")
}

/// Exchange Online: which chain the server served, which Java trusts it, and
/// what to import into the archiver's own store.
fn m365_chain(ctx: &Ctx, walk: &Walk, h: &str, release: JavaRelease) -> Finding {
    let names: Vec<String> = walk.path.iter().map(|&i| ctx.cert(i).label()).collect();
    let top = walk.path.last().map(|&i| ctx.cert(i));
    let mut f = Finding::new(
        Rule::M365CertificateChain,
        Severity::Info,
        format!(
            "{h} is Exchange Online. Its front ends serve chains to DigiCert Global Root G2 (since 2026, through Microsoft's TLS G2 issuing CAs, cross-signed on some front ends) and, on older front ends, to DigiCert Global Root CA or Microsoft RSA Root Certificate Authority 2017. This server's chain: {}.",
            if names.is_empty() { "(no certificates pasted)".to_string() } else { names.join(" → ") }
        ),
    );
    if let Some(t) = top.filter(|t| t.self_issued) {
        let avail = root_availability(t);
        f = f.evidence(format!(
            "{} is trusted by: {}",
            t.subject.display(),
            if avail.is_empty() {
                "no bundled store".into()
            } else {
                avail.join("; ")
            }
        ));
    }
    let mut imports: Vec<String> = Vec::new();
    for cn in [
        "DigiCert Global Root G2",
        "DigiCert Global Root CA",
        "Microsoft RSA Root Certificate Authority 2017",
    ] {
        if let Some(r) = crate::x509::java_roots::roots()
            .iter()
            .find(|r| r.cert.subject_cn.as_deref() == Some(cn))
        {
            let avail = crate::x509::java_roots::availability(r);
            f = f.evidence(format!(
                "{cn}: {}",
                avail
                    .iter()
                    .filter(|a| a.starts_with(&format!("Java {}", release.line)))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
            imports.push(format!("{cn} (SHA-256 {})", r.cert.sha256));
        }
    }
    // The G2 chains reach DigiCert's roots only through DigiCert's
    // cross-signs of Microsoft's own G2 roots, which some front ends do not
    // send: an archiver's own store needs those too.
    let mut cross: Vec<String> = Vec::new();
    for name in [
        "CN=Microsoft TLS RSA Root G2, O=Microsoft Corporation, C=US",
        "CN=Microsoft TLS ECC Root G2, O=Microsoft Corporation, C=US",
    ] {
        let Some(dn) = Dn::parse_text(name) else {
            continue;
        };
        for e in crate::x509::catalogue::by_name(&dn)
            .into_iter()
            .filter(|e| {
                e.cert
                    .issuer
                    .common_name()
                    .is_some_and(|cn| cn.starts_with("DigiCert Global Root G"))
            })
        {
            cross.push(format!(
                "{} cross-signed by {} (SHA-256 {})",
                e.cert.label(),
                e.cert.issuer.common_name().unwrap_or_default(),
                e.cert.sha256
            ));
        }
    }
    let mut fix = format!(
        "If the archiver uses its own certificate store instead of Java's cacerts, import these roots into it: {}",
        imports.join(", ")
    );
    if cross.is_empty() {
        fix.push('.');
    } else {
        fix.push_str(&format!(
            "; and, for the front ends that send their Microsoft TLS G2 issuing CA without it, {} (imap-doctor hands it over when a pasted chain lacks it).",
            cross.join(", ")
        ));
    }
    f.fix([fix, IMPORT_STEPS[0].to_string()])
}
