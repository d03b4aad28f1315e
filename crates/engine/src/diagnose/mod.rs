//! The engine's entry point: inputs in, a [`Report`] out. No I/O here.

use std::sync::Arc;

use crate::input::errtext;
use crate::input::keytool::{self, Listed};
use crate::input::openssl::{self, SClient};
use crate::input::{self, Notice};
use crate::java::{JavaProfile, TLS10_REFUSED_BY};
use crate::pkix::chain::{self, DeadEnd, Entry, Mode, Problem, Verdict, Walk};
use crate::pkix::host::{self, HostMatch};
use crate::report::{Anchor, CertView, Missing, Report};
use crate::rules::{Finding, Rule, Severity};
use crate::x509::cert::{Certificate, Source};
use crate::x509::dn::Dn;

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
        }
    }
}

/// Days before expiry that earn a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

pub fn format_time(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| t.to_string())
}

pub fn parse_time(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|d| d.unix_timestamp())
}

fn date(t: i64) -> String {
    format_time(t).get(..10).unwrap_or_default().to_string()
}

const IMPORT_STEPS: [&str; 2] = [
    "In MailArchiva open Configuration → Certificates, click Import CA cert, Browse to the file, enter a storage alias (e.g. the CN) and click Import. Import the root first, then each intermediate.",
    "Or with the JDK's keytool on the archiver's trust store: keytool -importcert -trustcacerts -alias <alias> -file <file>.pem -keystore <path to cacerts> -storepass changeit",
];

struct Ctx {
    pool: Vec<Entry>,
    server: Vec<usize>,
    at: i64,
}

impl Ctx {
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
    let mut notices: Vec<Notice> = Vec::new();
    let mut sclient: Option<SClient> = None;
    let mut pool: Vec<Entry> = Vec::new();
    let mut server_idx: Vec<usize> = Vec::new();
    let mut hits: Vec<(String, errtext::Hit)> = Vec::new();
    let mut listed: Vec<Listed> = Vec::new();
    let password = opts.keystore_password.as_deref().filter(|p| !p.is_empty());

    for inp in server {
        let r = input::recognise_with(inp.bytes, password);
        notices.extend(r.notices);
        if let Some(text) = &r.text {
            if sclient.is_none() {
                sclient = openssl::parse(text);
            }
            hits.extend(
                errtext::scan(text)
                    .into_iter()
                    .map(|h| (inp.name.to_string(), h)),
            );
        }
        for (k, f) in r.certificates.into_iter().enumerate() {
            if let Ok(c) = Certificate::from_der(&f.der) {
                server_idx.push(pool.len());
                pool.push(Entry {
                    cert: Arc::new(c),
                    source: Source::Server,
                    position: server_idx.len() - 1,
                    label: f
                        .alias
                        .clone()
                        .map(|a| format!("alias {a}"))
                        .or_else(|| (server.len() > 1).then(|| format!("{} #{}", inp.name, k + 1))),
                });
            }
        }
    }
    let mut trust_count = 0;
    for inp in trust {
        let r = input::recognise_with(inp.bytes, password);
        notices.extend(r.notices);
        if let Some(text) = &r.text {
            listed.extend(keytool::parse(text));
        }
        for (k, f) in r.certificates.into_iter().enumerate() {
            if let Ok(c) = Certificate::from_der(&f.der) {
                pool.push(Entry {
                    cert: Arc::new(c),
                    source: Source::TrustStore,
                    position: trust_count,
                    label: Some(match f.alias {
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
    let mut listed_matches: Vec<(usize, String)> = Vec::new();
    for l in &listed {
        let found = server_idx.iter().copied().find(|&i| {
            let c = &pool[i].cert;
            l.sha256.as_deref() == Some(c.sha256.as_str())
                || l.sha1.as_deref() == Some(c.sha1.as_str())
        });
        if let Some(i) = found {
            listed_matches.push((i, l.name()));
            pool.push(Entry {
                cert: pool[i].cert.clone(),
                source: Source::TrustStore,
                position: trust_count,
                label: Some(format!("{} (keytool listing)", l.name())),
            });
            trust_count += 1;
        }
    }
    if opts.public_roots {
        for (k, r) in crate::x509::roots::public_roots().iter().enumerate() {
            let dup = pool
                .iter()
                .any(|e| e.source == Source::TrustStore && e.cert.sha256 == r.sha256);
            if !dup {
                pool.push(Entry {
                    cert: r.clone(),
                    source: Source::PublicRoots,
                    position: k,
                    label: None,
                });
            }
        }
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
        server: server_idx,
        at: opts.at,
    };
    let mut walk = chain::walk(&ctx.pool, &ctx.server, ctx.at);

    // Names from s_client's chain list when the PEM blocks are fewer.
    let name_link = sclient
        .as_ref()
        .filter(|s| s.chain.len() > ctx.server.len())
        .map(|s| name_walk(&ctx, &walk, s));

    let mut missing = None;
    chain_findings(&ctx, &walk, &mut findings, &mut missing);
    if let (Some(s), Some(nl)) = (&sclient, &name_link) {
        showcerts_findings(&ctx, s, nl, &mut walk, &mut findings, &mut missing);
    }
    order_findings(&ctx, &walk, &mut findings);
    if let (Some(h), Some(&leaf)) = (&host, ctx.server.first()) {
        if let HostMatch::Mismatch {
            java_message,
            covered,
        } = host::check(ctx.cert(leaf), h)
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
    listing_findings(
        &ctx,
        &listed,
        &listed_matches,
        &mut walk,
        &mut findings,
        &mut missing,
    );
    if !opts.public_roots {
        public_root_hint(&missing, &mut findings);
    }
    text_findings(&ctx, &walk, &hits, &mut findings);
    if walk.exhausted {
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
    for n in &notices {
        let (rule, sev) = match n {
            Notice::PrivateKey { .. } => (Rule::InputPrivateKey, Severity::Warning),
            _ => (Rule::InputProblem, Severity::Warning),
        };
        findings.push(Finding::new(rule, sev, n.message()));
    }
    findings.sort_by_key(|f| f.severity);

    // Assemble.
    let on_path = |i: usize| walk.path.iter().position(|&p| p == i);
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
            pem: e.cert.pem(),
        });
    }
    let anchor = walk.anchor.map(|a| Anchor {
        sha256: ctx.cert(a).sha256.clone(),
        source: ctx.pool[a].source,
        label: ctx.pool[a].label.clone(),
        subject: ctx.cert(a).subject.display(),
    });
    let summary = summary(&ctx, &walk, &missing, &findings, sclient.as_ref(), &notices);
    let java_error = java_error(&ctx, &walk, &findings);
    let headline = crate::report::headline::headline(walk.verdict, &summary, &findings);
    Report {
        verdict: walk.verdict,
        headline,
        summary,
        java_error,
        host,
        analysed_at: format_time(opts.at),
        certificates,
        path: walk
            .path
            .iter()
            .map(|&i| ctx.cert(i).sha256.clone())
            .collect(),
        anchor,
        missing,
        findings,
        openssl: sclient,
        notices: notices.iter().map(Notice::message).collect(),
    }
}

fn summary(
    ctx: &Ctx,
    walk: &Walk,
    missing: &Option<Missing>,
    findings: &[Finding],
    sclient: Option<&SClient>,
    notices: &[Notice],
) -> String {
    let anchor_name = walk.anchor.map(|a| {
        format!(
            "{} ({})",
            ctx.cert(a).label(),
            ctx.pool[a].source.describe()
        )
    });
    let first_error = findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .map(|f| f.message.clone());
    match walk.verdict {
        Verdict::Trusted => match first_error {
            Some(e) => format!("Java trusts the certificate chain, but the connection will still fail: {e}"),
            None => format!(
                "Java will trust this server: the chain leads to {}.",
                anchor_name.unwrap_or_default()
            ),
        },
        Verdict::MissingIntermediate => format!(
            "Java will reject this server: the intermediate certificate {} is missing.",
            missing.as_ref().map(|m| m.issuer.as_str()).unwrap_or("(unknown)")
        ),
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
        Verdict::Inconclusive => {
            "Cannot tell whether Java trusts this chain: the analysis could not decide it (see the findings).".into()
        }
        Verdict::NoCertificates => {
            let from_text = findings
                .iter()
                .find(|f| f.severity == Severity::Error && !f.rule.id().starts_with("input."));
            if let Some(f) = from_text {
                format!("From the error text: {}. {}", f.title, f.message)
            } else if sclient.is_some() {
                "No certificate was found in the openssl output: run it again with -showcerts and paste everything it prints.".into()
            } else if let Some(n) = notices.first() {
                format!("No certificate was found in the input. {}", n.message())
            } else {
                "No certificate was found in the input. Paste openssl s_client -showcerts output, PEM certificates or drop certificate files.".into()
            }
        }
    }
}

fn java_error(ctx: &Ctx, walk: &Walk, findings: &[Finding]) -> Option<String> {
    // Java checks the host name only after it accepted the chain, and only
    // when the identity check is on (the finding is an error then).
    chain::java_message(&ctx.pool, walk).or_else(|| {
        findings
            .iter()
            .find(|f| f.rule == Rule::HostMismatch && f.severity == Severity::Error)
            .and_then(|f| f.message.split("Java says: ").nth(1).map(str::to_string))
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
                needed_by: Some(c.sha256.clone()),
            };
            let mut fix = Vec::new();
            if m.ca_issuers.is_empty() {
                fix.push(format!(
                    "Get the CA certificate {} from the certificate authority's web site or from the mail server's admin.",
                    m.issuer
                ));
            } else {
                fix.push(format!(
                    "Download the CA certificate from {} (the address the certificate below names).",
                    m.ca_issuers.join(" or ")
                ));
            }
            fix.push(format!(
                "Check that its Subject is {}{}; paste it here with the rest to confirm it completes the chain.",
                m.issuer,
                m.authority_key_id
                    .as_ref()
                    .map(|k| format!(" and its Subject Key Identifier is {k}"))
                    .unwrap_or_default()
            ));
            fix.extend(IMPORT_STEPS.iter().map(|s| s.to_string()));
            fix.push("Retry the connection. Java never downloads a missing intermediate by itself, even where a browser does.".into());
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
            .fix(fix);
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
                        "Until then, the archiver's trust store must hold the intermediate (see chain.missing-intermediate).",
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
            fix.extend(IMPORT_STEPS.iter().map(|s| s.to_string()));
            fix.push("Retry the connection.".into());
            out.push(
                Finding::new(rule, Severity::Error, msg)
                    .evidence(ctx.name(root))
                    .evidence(format!("SHA-256 {}", r.sha256))
                    .evidence(format!("SHA-1 {}", r.sha1))
                    .cert(&r.sha256)
                    .fix(fix),
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

fn problem_findings(ctx: &Ctx, walk: &Walk, out: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    for p in &walk.problems {
        if !seen.insert(format!("{p:?}")) {
            continue;
        }
        let f = match *p {
            Problem::Expired { cert } => {
                let c = ctx.cert(cert);
                Finding::new(
                    Rule::ChainExpired,
                    Severity::Error,
                    format!(
                        "{} expired on {} ({} days before the analysis time). {}: validity check failed (NotAfter: {}).",
                        c.subject.display(),
                        date(c.not_after),
                        (ctx.at - c.not_after) / 86_400,
                        java_hint(walk),
                        format_time(c.not_after)
                    ),
                )
                .evidence(ctx.name(cert))
                .evidence(format!("valid until {}", format_time(c.not_after)))
                .cert(&c.sha256)
                .fix(if cert == ctx.server.first().copied().unwrap_or(usize::MAX) {
                    vec![
                        "Renew the server certificate and install it on the mail server (on Exchange: Enable-ExchangeCertificate -Services IMAP).".to_string(),
                        "Check that the archiver's clock is right; the analysis time can be changed to compare.".to_string(),
                    ]
                } else {
                    vec![
                        "Install the CA's current intermediate on the mail server (and, if the old one was imported into the archiver, import the new one there too).".to_string(),
                        "Check that the archiver's clock is right.".to_string(),
                    ]
                })
            }
            Problem::NotYetValid { cert } => {
                let c = ctx.cert(cert);
                Finding::new(
                    Rule::ChainNotYetValid,
                    Severity::Error,
                    format!(
                        "{} is valid only from {}. {} (NotBefore).",
                        c.subject.display(),
                        format_time(c.not_before),
                        java_hint(walk)
                    ),
                )
                .evidence(ctx.name(cert))
                .cert(&c.sha256)
                .fix(["Check the archiver's clock and time zone; if it is right, wait until the certificate is valid or install one that is valid now."])
            }
            Problem::BadSignature { child, issuer } => {
                let (c, i) = (ctx.cert(child), ctx.cert(issuer));
                Finding::new(
                    Rule::ChainBadSignature,
                    Severity::Error,
                    format!(
                        "{} has the right name to have issued {}, but its key does not verify the signature: it is another version of that CA certificate (re-keyed or renewed).",
                        i.subject.display(),
                        c.subject.display()
                    ),
                )
                .evidence(format!("signed: {}", ctx.name(child)))
                .evidence(format!("candidate issuer: {} SHA-256 {}", ctx.name(issuer), i.sha256))
                .evidence(format!(
                    "needed key id: {}; candidate's: {}",
                    c.authority_key_id.clone().unwrap_or_else(|| "(none)".into()),
                    i.subject_key_id.clone().unwrap_or_else(|| "(none)".into())
                ))
                .cert(&i.sha256)
                .fix([
                    format!(
                        "Get the version of {} whose Subject Key Identifier is {} (the CA's download page or the AIA address {}).",
                        i.subject.display(),
                        c.authority_key_id.clone().unwrap_or_else(|| "the AKI of the certificate below".into()),
                        if c.ca_issuers.is_empty() { "in the certificate".to_string() } else { c.ca_issuers.join(", ") }
                    ),
                    "Install it on the mail server in place of the old one, and import it into the archiver's trust store if the old one is there.".to_string(),
                ])
            }
            Problem::UnsupportedSignature { child, issuer } => Finding::new(
                Rule::ChainUnsupportedSignature,
                Severity::Warning,
                format!(
                    "The signature of {} ({}) could not be checked here; the link to {} was assumed by name.",
                    ctx.cert(child).subject.display(),
                    ctx.cert(child).signature_algorithm.java_name(),
                    ctx.cert(issuer).subject.display()
                ),
            )
            .cert(&ctx.cert(child).sha256),
            Problem::NotCa { cert, child } => Finding::new(
                Rule::ChainNotACa,
                Severity::Error,
                format!(
                    "{} signs {} but is not a CA certificate (basicConstraints CA:TRUE is missing). {}.",
                    ctx.cert(cert).subject.display(),
                    ctx.cert(child).subject.display(),
                    java_hint(walk)
                ),
            )
            .evidence(ctx.name(cert))
            .cert(&ctx.cert(cert).sha256)
            .fix(["Issue the server certificate from a real CA certificate (one with basicConstraints CA:TRUE and keyCertSign), or use a self-signed server certificate and import it."]),
            Problem::NoKeyCertSign { cert } => Finding::new(
                Rule::ChainNotACa,
                Severity::Error,
                format!(
                    "{} signs certificates but its key usage lacks keyCertSign. {}.",
                    ctx.cert(cert).subject.display(),
                    java_hint(walk)
                ),
            )
            .evidence(ctx.name(cert))
            .cert(&ctx.cert(cert).sha256)
            .fix(["Re-issue the CA certificate with key usage keyCertSign (and cRLSign)."]),
            Problem::PathLenExceeded { cert, allowed, found } => Finding::new(
                Rule::ChainNotACa,
                Severity::Error,
                format!(
                    "{} allows {allowed} intermediate(s) below it (pathLenConstraint) but the path has {found}. {}.",
                    ctx.cert(cert).subject.display(),
                    java_hint(walk)
                ),
            )
            .evidence(ctx.name(cert))
            .cert(&ctx.cert(cert).sha256)
            .fix(["Issue the server certificate directly from a CA whose path length allows it, or re-issue the CA without that constraint."]),
            Problem::WeakSignature { cert, hash, public_anchor } => Finding::new(
                Rule::ChainWeakSignature,
                Severity::Error,
                format!(
                    "{} is signed with {}{}; Java's jdk.certpath.disabledAlgorithms rejects it.",
                    ctx.cert(cert).subject.display(),
                    ctx.cert(cert).signature_algorithm.java_name(),
                    if public_anchor && hash == crate::x509::cert::Hash::Sha1 {
                        " under a public root (SHA1 jdkCA & usage TLSServer)"
                    } else {
                        ""
                    }
                ),
            )
            .evidence(ctx.name(cert))
            .cert(&ctx.cert(cert).sha256)
            .fix(["Re-issue the certificate with SHA-256 or stronger and install it on the mail server."]),
            Problem::WeakKey { cert } => Finding::new(
                Rule::ChainWeakKey,
                Severity::Error,
                format!(
                    "{} has a {} key; Java rejects RSA and DSA keys under 1024 bits and EC keys under 224 bits.",
                    ctx.cert(cert).subject.display(),
                    ctx.cert(cert).key.describe()
                ),
            )
            .evidence(ctx.name(cert))
            .cert(&ctx.cert(cert).sha256)
            .fix(["Issue a new certificate with an RSA 2048-bit (or larger) or EC P-256 key and install it on the mail server."]),
            Problem::LeafUsage { cert } => Finding::new(
                Rule::ChainLeafUsage,
                Severity::Error,
                format!(
                    "The server certificate's extended key usage ({}) does not include serverAuth; Java refuses it for a TLS server.",
                    ctx.cert(cert).extended_key_usage.clone().unwrap_or_default().join(", ")
                ),
            )
            .evidence(ctx.name(cert))
            .cert(&ctx.cert(cert).sha256)
            .fix(["Issue the server certificate with extended key usage serverAuth (TLS Web Server Authentication)."]),
            ref other => match pkix_problem_finding(ctx, walk, other) {
                Some(f) => f,
                None => continue,
            },
        };
        out.push(f);
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

/// Findings for the problems Java's validator and JSSE find beyond the basic
/// checks: trust anchors, the server certificate's key usage, name
/// constraints, critical extensions, certificates Java cannot parse, and the
/// builder's path length.
fn pkix_problem_finding(ctx: &Ctx, walk: &Walk, p: &Problem) -> Option<Finding> {
    Some(match p {
        Problem::BadAnchor { anchor, not_ca } => {
            let a = ctx.cert(*anchor);
            let (what, java) = if *not_ca {
                ("is not a CA certificate (basicConstraints CA:TRUE is missing)", "is not a CA certificate")
            } else {
                ("has a key usage without keyCertSign", "does not have keyCertSign bit set in KeyUsage extension")
            };
            Finding::new(
                Rule::ChainBadAnchor,
                Severity::Error,
                format!(
                    "The trusted certificate {} {what}, so Java refuses it as a trust anchor: TrustAnchor with subject \"{}\" {java}.",
                    a.subject.display(),
                    a.subject.display()
                ),
            )
            .evidence(ctx.name(*anchor))
            .cert(&a.sha256)
            .fix([
                "Import the CA certificate that issued the server certificate (a root or intermediate with CA:TRUE and keyCertSign) into the archiver's trust store instead.".to_string(),
                "Or, if the trusted certificate is the server's own, make the server send it alone as a self-signed certificate and trust exactly that one.".to_string(),
            ])
        }
        Problem::LeafKeyUsage { cert } => {
            let c = ctx.cert(*cert);
            Finding::new(
                Rule::ChainLeafUsage,
                Severity::Error,
                format!(
                    "The server certificate's key usage ({}) lacks digitalSignature, which Java requires for ECDHE cipher suites and TLS 1.3: KeyUsage does not allow digital signatures.",
                    c.key_usage.clone().unwrap_or_default().join(", ")
                ),
            )
            .evidence(ctx.name(*cert))
            .cert(&c.sha256)
            .fix(["Issue the server certificate with key usage digitalSignature (and keyEncipherment for RSA keys) and install it on the mail server."])
        }
        Problem::NameConstraints { cert, ca, name } => Finding::new(
            Rule::ChainNameConstraints,
            Severity::Error,
            format!(
                "{} carries name constraints that do not allow {name} of {}. {}: name constraints check failed.",
                ctx.cert(*ca).subject.display(),
                ctx.cert(*cert).subject.display(),
                java_hint(walk)
            ),
        )
        .evidence(ctx.name(*ca))
        .evidence(format!(
            "constraints: {}",
            ctx.cert(*ca)
                .raw
                .name_constraints
                .as_ref()
                .map(|nc| {
                    let p: Vec<String> = nc.permitted.iter().map(|n| n.describe()).collect();
                    let e: Vec<String> = nc.excluded.iter().map(|n| n.describe()).collect();
                    format!("permitted [{}], excluded [{}]", p.join(", "), e.join(", "))
                })
                .unwrap_or_default()
        ))
        .cert(&ctx.cert(*cert).sha256)
        .fix(["Issue the server certificate for a name the CA may certify (or from a CA without such constraints) and install it on the mail server."]),
        Problem::NameConstraintsMerge { cert, message } => Finding::new(
            Rule::ChainNameConstraints,
            Severity::Error,
            format!(
                "{} permits names that share nothing with what the CA above it permits; Java fails while combining the two name constraints: {message}.",
                ctx.cert(*cert).subject.display()
            ),
        )
        .evidence(ctx.name(*cert))
        .cert(&ctx.cert(*cert).sha256)
        .fix(["Re-issue the intermediate with name constraints inside those of the CA above it (or without them) and install it on the mail server."]),
        Problem::CriticalExtension { cert, oids } => Finding::new(
            Rule::ChainCriticalExtension,
            Severity::Error,
            format!(
                "{} carries critical extension(s) Java does not know ({}). {}: unrecognized critical extension(s).",
                ctx.cert(*cert).subject.display(),
                oids.join(", "),
                java_hint(walk)
            ),
        )
        .evidence(ctx.name(*cert))
        .cert(&ctx.cert(*cert).sha256)
        .fix(["Re-issue the certificate without that extension, or with it marked non-critical, and install it on the mail server."]),
        Problem::Unparseable { cert, reason } => Finding::new(
            Rule::ChainUnparseable,
            Severity::Error,
            format!(
                "Java cannot parse the certificate {} the server sends ({reason}), so the handshake fails with \"Failed to parse server certificates\" before any trust decision.",
                ctx.cert(*cert).subject.display()
            ),
        )
        .evidence(ctx.name(*cert))
        .cert(&ctx.cert(*cert).sha256)
        .fix(["Replace that certificate on the mail server with a correctly formed one (non-empty issuer, each extension once)."]),
        Problem::BuildTooDeep { below, max } => Finding::new(
            Rule::ChainWrongOrder,
            Severity::Error,
            format!(
                "The server sends its chain out of order, so Java must build the path itself, and its builder stops after {max} intermediate CAs (above {}): unable to find valid certification path.",
                ctx.cert(*below).subject.display()
            ),
        )
        .evidence(ctx.name(*below))
        .fix(["Configure the mail server to send its chain in order: the server certificate first, then each issuer in turn."]),
        _ => return None,
    })
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
        if !seen.insert(c.sha256.clone()) {
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
        if let Some(a) = ctx
            .pool
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

fn showcerts_findings(
    ctx: &Ctx,
    s: &SClient,
    nl: &NameLink,
    walk: &mut Walk,
    out: &mut Vec<Finding>,
    missing: &mut Option<Missing>,
) {
    let listed: Vec<String> = nl
        .followed
        .iter()
        .filter_map(|&k| s.chain.get(k))
        .map(|e| format!("line {}: {}", e.line, e.subject))
        .collect();
    let mut f = Finding::new(
        Rule::InputShowcertsMissing,
        Severity::Warning,
        format!(
            "The server sent {} certificate(s) but the paste holds {}: openssl was run without -showcerts. Signatures of the missing ones could not be checked; the rest of this analysis follows their names.",
            s.chain.len(),
            ctx.server.len()
        ),
    )
    .fix([
        format!(
            "Run openssl s_client -connect {}:{}{} -showcerts </dev/null and paste the whole output.",
            s.host.clone().unwrap_or_else(|| "HOST".into()),
            s.port.unwrap_or(993),
            s.starttls.as_ref().map(|t| format!(" -starttls {t}")).unwrap_or_default()
        ),
    ]);
    for l in &listed {
        f = f.evidence(format!("sent by the server, not pasted: {l}"));
    }
    out.push(f);
    if nl.followed.is_empty() && !walk.path.is_empty() {
        return;
    }
    // Re-judge by names: the server does send what the certificates alone lacked.
    out.retain(|f| {
        !matches!(
            f.rule,
            Rule::ChainMissingIntermediate | Rule::ChainServerSendsIncompleteChain
        )
    });
    *missing = None;
    if let Some(a) = nl.anchored_by {
        walk.verdict = Verdict::Trusted;
        walk.anchor = Some(a);
        walk.path.push(a);
        out.push(
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
            walk.verdict = Verdict::UntrustedRoot;
            out.push(
                Finding::new(
                    Rule::ChainUntrustedRoot,
                    Severity::Error,
                    format!("The chain the server sends ends at the root {}, which is not in the trust store.", name.display()),
                )
                .fix([
                    "Run openssl again with -showcerts to get the root certificate itself.".to_string(),
                    "Confirm it with the mail server's admin, then import it into the archiver's trust store.".to_string(),
                    IMPORT_STEPS[0].to_string(),
                ]),
            );
        } else {
            walk.verdict = Verdict::MissingIntermediate;
            let m = Missing {
                issuer: name.display(),
                authority_key_id: None,
                ca_issuers: vec![],
                needed_by: None,
            };
            out.push(
                Finding::new(
                    Rule::ChainMissingIntermediate,
                    Severity::Error,
                    format!("By name, the chain the server sends stops at issuer {}, which is neither sent nor in the trust store.", m.issuer),
                )
                .evidence(format!("missing Subject DN: {}", m.issuer))
                .fix([
                    "Run openssl again with -showcerts so the exact certificate (its key id and download address) can be named.".to_string(),
                    format!("Get the CA certificate {} from the CA's web site and import it:", m.issuer),
                    IMPORT_STEPS[0].to_string(),
                ]),
            );
            *missing = Some(m);
        }
    }
}

/// What a recognised error line means when no certificate analysis says more.
fn text_explanation(rule: Rule, hit: &errtext::Hit) -> (Severity, String, Vec<String>) {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let collect = s(&[
        "Collect the chain: openssl s_client -connect HOST:993 -showcerts </dev/null (or -connect HOST:143 -starttls imap) and paste the whole output here.",
    ]);
    match rule {
        Rule::ChainMissingIntermediate => (Severity::Error, "Java could not build a path from the server certificate to a certificate it trusts. Most often an intermediate certificate is missing; it can also be an untrusted private root or a self-signed server certificate.".into(), [collect, s(&["Import the certificate the analysis names: Configuration → Certificates → Import CA cert, starting from the root.", "Check that IMAP Settings → Certificate authentication uses the MailArchiva certificate store."])].concat()),
        Rule::ChainExpired => (Severity::Error, "Java says a certificate of the chain has expired (validity check failed / NotAfter), or the archiver's clock is wrong.".into(), [collect, s(&["Renew the expired certificate on the mail server.", "Check the archiver machine's date and time."])].concat()),
        Rule::ChainNotYetValid => (Severity::Error, "Java says a certificate is not valid yet (NotBefore): usually the archiver's clock is behind.".into(), s(&["Check the archiver machine's date, time and time zone."])),
        Rule::ChainBadSignature => (Severity::Error, "Java found a certificate with the right name whose key does not verify the signature: an old or wrong version of an intermediate.".into(), [collect, s(&["Install the CA's current intermediate on the server and in the archiver's trust store."])].concat()),
        Rule::ChainNotACa => (Severity::Error, "A certificate that signs another is not a CA certificate (basic constraints or key usage).".into(), [collect, s(&["Issue the server certificate from a proper CA certificate."])].concat()),
        Rule::ChainWeakKey => (Severity::Error, "Java refuses a key that is too small (RSA or DSA under 1024 bits, EC under 224 bits).".into(), s(&["Issue a new certificate with an RSA 2048-bit or EC P-256 key."])),
        Rule::ChainWeakSignature => (Severity::Error, "Java's algorithm constraints reject a certificate: MD5, or SHA-1 below a public root, or a disabled key or curve.".into(), [collect, s(&["Re-issue the certificate with SHA-256."])].concat()),
        Rule::ChainLeafUsage => (Severity::Error, "The server certificate's extended key usage does not allow TLS server use.".into(), s(&["Issue the server certificate with extended key usage serverAuth."])),
        Rule::HostMismatch => (Severity::Error, "The certificate does not cover the host name the archiver connects to (Jakarta/Angus Mail 1.1+ check this by default).".into(), s(&["Connect by a name the certificate lists (see its Subject Alternative Names), or install a certificate that covers the name used.", "Paste the openssl output with the host to see the names it covers."])),
        Rule::TlsLegacyProtocol => (Severity::Error, format!("The server offers only TLS 1.0/1.1, or the archiver was told to use them; {TLS10_REFUSED_BY} refuse them."), s(&["Enable TLS 1.2 (or 1.3) on the mail server.", "Remove TLSv1/TLSv1.1-only settings such as mail.imap.ssl.protocols from the archiver."])),
        Rule::TlsWeakCipher => (Severity::Error, "No cipher suite is acceptable to both sides: the server offers only suites Java disables (RC4, 3DES, static ECDH, TLS_RSA_*).".into(), s(&["Enable ECDHE cipher suites with AES-GCM on the mail server."])),
        Rule::TlsHandshakeFailed => (Severity::Error, "The server ended the TLS handshake: usually no common protocol version or cipher suite, a server that requires SNI or a client certificate, or a firewall/IPS that cuts TLS.".into(), s(&["Run openssl s_client against the server from the archiver machine to see what it offers.", "Enable TLS 1.2 with ECDHE/AES-GCM suites on the mail server."])),
        Rule::TlsPlaintextOnTlsPort => (Severity::Error, "The archiver started TLS but the server answered in plain text: SSL/TLS mode on a plaintext port (for example 143).".into(), s(&["Use SSL/TLS with port 993, or STARTTLS (or plaintext) with port 143: the connection mode must match the port."])),
        Rule::TlsTlsOnPlaintextPort => (Severity::Error, "The archiver waited for an answer that never came: typically plaintext or STARTTLS mode on the SSL/TLS port 993 (the server waits for a TLS handshake), or a server too busy to answer (a journal mailbox too full).".into(), s(&["Use SSL/TLS with port 993, or STARTTLS with port 143.", "If the mode is right, check the journal mailbox size (over 20,000 messages slows Exchange down)."])),
        Rule::NetRefused => (Severity::Error, "The connection was refused: nothing listens on that port (the Microsoft Exchange IMAP4 service is not started) or a firewall rejects it.".into(), s(&["On the Exchange server run services.msc and start Microsoft Exchange IMAP4 and Microsoft Exchange IMAP4 Backend; set them to Automatic.", "Check the port (993 SSL/TLS, 143 plaintext/STARTTLS) and the firewall.", "Test from the archiver machine: telnet exchange.company.com 143"])),
        Rule::NetTimeout => (Severity::Error, "The connection timed out: a firewall drops traffic to the IMAP port between the archiver and Exchange, or the host is unreachable.".into(), s(&["Test from the archiver machine: telnet exchange.company.com 143 (or 993).", "Allow the archiver to reach Exchange on port 143/993 in every firewall between them."])),
        Rule::NetDns => (Severity::Error, "The host name does not resolve (java.net.UnknownHostException).".into(), s(&["Check the spelling of the IMAP server name.", "Check the archiver machine's DNS: nslookup the name there."])),
        Rule::ImapLoginDisabled => (Severity::Error, "The server refuses plain-text login on this connection (LOGINDISABLED) and offers no method the archiver can use: JavaMail says \"No login methods supported!\" (\"No such login method\").".into(), s(&["Use SSL/TLS on port 993 or STARTTLS on port 143, so login happens inside TLS.", "Or allow plain-text login on Exchange: Set-ImapSettings -LoginType PlainTextLogin (Exchange 2007: IMAP4 Properties → Authentication tab), then restart the IMAP4 services."])),
        Rule::ImapNoStarttls => (Severity::Error, "STARTTLS is required but the server does not offer it (no certificate bound to IMAP, or STARTTLS disabled).".into(), s(&["Assign a certificate to the IMAP service on Exchange (Enable-ExchangeCertificate -Services IMAP) and restart it, or use SSL/TLS on port 993."])),
        Rule::ImapAuthFailed => (Severity::Error, "The server rejected the login.".into(), s(&["Check the user name (often the full address) and password of the journal account.", "On Microsoft 365, passwords no longer work for IMAP: configure OAuth (see m365.basic-auth-disabled).", "On-premises: check in Active Directory that the journal account is enabled, not locked, its password not expired, and that it has a mailbox."])),
        Rule::OauthAuthenticateFailed => (Severity::Error, "Exchange rejected the login (AUTHENTICATE failed). With OAuth this means the token is not accepted for this mailbox.".into(), s(&["Grant admin consent for IMAP.AccessAsApp (Office 365 Exchange Online → Application permissions) in the app registration.", "Register the service principal with the Object ID from Enterprise Applications, not App registrations (step D1): New-ServicePrincipal -AppId <client id> -ObjectId <enterprise app object id>.", "Give it the mailbox: Add-MailboxPermission -Identity <journal mailbox> -User <enterprise app object id> -AccessRights FullAccess (step E1).", "Check the token's roles claim holds IMAP.AccessAsApp (paste the token in the settings checker).", "If the archiver uses a password with Microsoft 365: basic auth is off, configure OAuth."])),
        Rule::M365BasicAuthDisabled => (Severity::Error, "Microsoft 365 refuses password (basic) authentication for IMAP since 2022.".into(), s(&["Upgrade the archiver to a version with OAuth (MailArchiva 8.11.13 or later) and follow steps A, B, C1, D1 and E1."])),
        Rule::M365ConnectionDisabled => (Severity::Error, "The archiver's Microsoft 365 connection selected as the token is not enabled (or was deleted).".into(), s(&["In the archiver's Microsoft 365 connection settings, enable the connection selected as the token (or select an existing one) and save."])),
        Rule::OauthAadsts => {
            let (meaning, fix) = errtext::aadsts_meaning(hit.code.unwrap_or(0));
            (Severity::Error, format!("Microsoft Entra error AADSTS{}: {meaning}", hit.code.map(|c| c.to_string()).unwrap_or_default()), vec![fix.to_string()])
        }
        Rule::OauthSecretIsId => (Severity::Error, "Entra says the client secret is invalid: usually the Secret ID was copied instead of the secret's Value.".into(), s(&["Create a new client secret and copy its Value column (it is shown only once)."])),
        Rule::ImapConnectionDropped => (Severity::Error, "The server closed the connection before greeting: the IMAP service is overloaded or restarting, a connection limit is reached, or something in between cuts it.".into(), s(&["Restart the Exchange IMAP4 services and test with telnet exchange.company.com 143.", "Check the journal mailbox size (over 20,000 messages slows Exchange down)."])),
        Rule::JournalTooManyMessages => (Severity::Error, "The journal mailbox holds too many messages for Exchange to answer in time.".into(), s(&["Create a new journal account and point journaling to it; import the old account's mail with the archiver's import feature."])),
        Rule::JournalAccount => (Severity::Error, "The journal account cannot log in (disabled, locked, or password expired).".into(), s(&["In Active Directory, check that the journal account is enabled, not locked, its password not expired or due to change, and that it has a mailbox."])),
        _ => (Severity::Warning, "This line points to a known problem.".into(), vec![]),
    }
}

/// Findings from recognised error lines, joined with the certificate analysis.
fn text_findings(ctx: &Ctx, walk: &Walk, hits: &[(String, errtext::Hit)], out: &mut Vec<Finding>) {
    let mut done: Vec<(Rule, Option<u32>)> = Vec::new();
    let has_certs = !ctx.server.is_empty();
    for (i, (_, hit)) in hits.iter().enumerate() {
        let key = (hit.rule, hit.code);
        if done.contains(&key) {
            continue;
        }
        done.push(key);
        let evidence: Vec<String> = hits[i..]
            .iter()
            .filter(|(_, h)| h.rule == hit.rule && h.code == hit.code)
            .take(5)
            .map(|(n, h)| format!("{n} line {}: {}", h.line, h.text))
            .collect();
        // A chain rule the certificates already explain: add the log line as evidence.
        let is_chain = hit.rule.id().starts_with("chain.");
        if is_chain && has_certs {
            if walk.verdict == Verdict::Trusted {
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
        let (sev, msg, fix) = text_explanation(hit.rule, hit);
        let mut f = Finding::new(hit.rule, sev, msg).fix(fix);
        for e in evidence {
            f = f.evidence(e);
        }
        out.push(f);
    }
}

/// What a keytool -list -v listing (or an archiver's certificate page) adds.
fn listing_findings(
    ctx: &Ctx,
    listed: &[Listed],
    matches: &[(usize, String)],
    walk: &mut Walk,
    out: &mut Vec<Finding>,
    missing: &mut Option<Missing>,
) {
    if listed.is_empty() {
        return;
    }
    let mut f = Finding::new(
        Rule::TruststoreListing,
        Severity::Info,
        format!("Read {} entr(y/ies) from a trust-store listing (no certificates in it, only names and fingerprints).", listed.len()),
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
    // The missing certificate named by the listing: trusted by name only.
    let Some(m) = missing.as_ref() else { return };
    let Some(needed) = Dn::parse_text(&m.issuer) else {
        return;
    };
    let Some(l) = listed.iter().find(|l| {
        l.owner_dn()
            .is_some_and(|o| o.loose_key() == needed.loose_key())
    }) else {
        return;
    };
    out.retain(|f| !matches!(f.rule, Rule::ChainMissingIntermediate));
    out.push(
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
    walk.verdict = Verdict::Trusted;
    *missing = None;
}

/// With the public roots off: when the missing certificate is one of them,
/// say so (the archiver's trust store likely lacks Java's cacerts).
fn public_root_hint(missing: &Option<Missing>, out: &mut [Finding]) {
    let Some(m) = missing else { return };
    let Some(needed) = Dn::parse_text(&m.issuer) else {
        return;
    };
    let key = needed.loose_key();
    let Some(root) = crate::x509::roots::public_roots()
        .iter()
        .find(|r| r.subject.loose_key() == key)
    else {
        return;
    };
    if let Some(f) = out
        .iter_mut()
        .find(|f| f.rule == Rule::ChainMissingIntermediate)
    {
        f.evidence.push(format!(
            "the missing certificate is a public root in Java's cacerts (SHA-256 {})",
            root.sha256
        ));
        f.fix.insert(
            0,
            "It is a public root that every stock Java trusts: make sure the archiver's trust store includes Java's cacerts, or import this root (download it from the bundled roots).".into(),
        );
    }
}
