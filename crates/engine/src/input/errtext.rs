//! Error text recognition: log lines, Java stack traces (`Caused by:`,
//! `nested exception is:`), JavaMail/Jakarta Mail messages, Exchange replies,
//! Entra `AADSTS` errors and the archiver's own messages, each mapped to the
//! finding id that explains it.

use crate::rules::Rule;

/// A recognised line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub rule: Rule,
    /// 1-based line number in the paste.
    pub line: usize,
    /// The line, trimmed and shortened.
    pub text: String,
    /// The AADSTS code, for `oauth.aadsts`.
    pub code: Option<u32>,
}

/// The (needle, rule) pairs of the rules table, in table order; the
/// needles live beside each rule's wording (`crate::rules`).
fn patterns() -> &'static [(&'static str, Rule)] {
    static P: std::sync::OnceLock<Vec<(&'static str, Rule)>> = std::sync::OnceLock::new();
    P.get_or_init(|| crate::rules::patterns().collect())
}

/// Longest line we look at; longer lines are certificate bodies or noise.
const MAX_LINE: usize = 8_192;

/// Recognised lines kept per rule (per AADSTS code for `oauth.aadsts`): the
/// report shows a few lines of evidence, not every repetition.
pub const MAX_HITS_PER_RULE: usize = 5;
/// Distinct AADSTS codes reported from one text; each becomes a finding.
pub const MAX_AADSTS_CODES: usize = 20;

/// The phrases as one automaton (ASCII case-insensitive), built once: one
/// pass over each line finds every phrase, instead of one search per phrase.
/// The extra last pattern, "exception", tells Java's validity text apart.
/// A contiguous NFA, built directly: what `AhoCorasick` picks itself for
/// more than 100 phrases, without the code of its other automata in the
/// page's wasm.
fn matcher() -> &'static aho_corasick::nfa::contiguous::NFA {
    static M: std::sync::OnceLock<aho_corasick::nfa::contiguous::NFA> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        aho_corasick::nfa::contiguous::NFA::builder()
            .ascii_case_insensitive(true)
            .build(patterns().iter().map(|(n, _)| *n).chain(["exception"]))
            .expect("the phrase list builds")
    })
}

/// The code after the first "AADSTS" at byte `at` of `line`.
fn aadsts_code(line: &str, at: usize) -> Option<u32> {
    let digits: String = line
        .get(at + 6..)?
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .take(10)
        .collect();
    digits.parse().ok()
}

/// OpenSSL's own verdict lines in an s_client transcript (`verify error:`,
/// `Verification error:`, `Verify return code:`) are read by the s_client
/// parser with their depth; they are not error texts.
fn openssl_verify_line(line: &str) -> bool {
    let t = line
        .trim_start()
        .trim_start_matches('>')
        .trim_start()
        .as_bytes();
    [
        "verify error:",
        "verification error:",
        "verify return code:",
    ]
    .iter()
    .any(|p| t.len() >= p.len() && t[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
}

/// A line of s_client that names a certificate (` 0 s:…`, `   i:…`,
/// `depth=1 …`, `subject=…`, `issuer=…`): a DN is a name, and words in it
/// ("generated … for self-signed certificates") are no error text.
fn certificate_name_line(line: &str) -> bool {
    let t = line.trim_start().trim_start_matches('>').trim_start();
    let t = t
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start();
    ["s:", "i:", "depth=", "subject=", "issuer="]
        .iter()
        .any(|p| t.starts_with(p))
}

/// A `NotAfter:`/`NotBefore:` line from a Java exception, not from OpenSSL.
fn java_validity_text(line: &str, has_exception: bool) -> bool {
    let t = line.trim_start().as_bytes();
    let starts = |p: &str| t.len() >= p.len() && t[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    has_exception || starts("notafter:") || starts("notbefore:")
}

/// What [`scan_counted`] left out because of its caps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    /// Recognised lines beyond [`MAX_HITS_PER_RULE`] for their rule or code.
    pub lines: usize,
    /// AADSTS lines whose code came after the first [`MAX_AADSTS_CODES`] distinct ones.
    pub codes: usize,
}

/// Finds recognised lines, at most [`MAX_HITS_PER_RULE`] per rule (or code).
pub fn scan(text: &str) -> Vec<Hit> {
    scan_counted(text).0
}

/// [`scan`], and what its caps left out. One pass over the text; the work
/// per line is its length, whatever the number of phrases or codes.
pub fn scan_counted(text: &str) -> (Vec<Hit>, Dropped) {
    use aho_corasick::automaton::Automaton;
    let ac = matcher();
    let patterns = patterns();
    let exception = patterns.len();
    let mut hits = Vec::new();
    let mut dropped = Dropped::default();
    let mut kept: std::collections::HashMap<(Rule, Option<u32>), usize> =
        std::collections::HashMap::new();
    let mut codes = 0usize;
    // First match start of each pattern in the current line.
    let mut first: Vec<Option<usize>> = vec![None; patterns.len() + 1];
    for (i, raw) in text.lines().enumerate() {
        if raw.len() > MAX_LINE || openssl_verify_line(raw) || certificate_name_line(raw) {
            continue;
        }
        let mut any = false;
        // Overlapping search fails only for leftmost match kinds or anchored
        // searches; this automaton uses neither.
        let found = ac.try_find_overlapping_iter(aho_corasick::Input::new(raw));
        for m in found.into_iter().flatten() {
            let slot = &mut first[m.pattern().as_usize()];
            if slot.is_none_or(|s| m.start() < s) {
                *slot = Some(m.start());
            }
            any = true;
        }
        if !any {
            continue;
        }
        let validity = java_validity_text(raw, first[exception].is_some());
        let mut seen: Vec<Rule> = Vec::new();
        let mut shown: Option<String> = None;
        // A needle inside a longer needle's match on this line yields to it
        // ("self signed certificate" inside "self signed certificate in
        // certificate chain"). Few needles match one line: this is small.
        let inside_longer = |k: usize, at: usize| {
            let end = at + patterns[k].0.len();
            patterns.iter().enumerate().any(|(j, (n, r))| {
                j != k
                    && *r != patterns[k].1
                    && n.len() > patterns[k].0.len()
                    && first[j].is_some_and(|s| s <= at && end <= s + n.len())
            })
        };
        for (k, (needle, rule)) in patterns.iter().enumerate() {
            let Some(at) = first[k] else { continue };
            if inside_longer(k, at) {
                continue;
            }
            // OpenSSL prints validity as "v:NotBefore: …; NotAfter: …"; only
            // Java's exception text ("NotAfter: Tue Jan 02 …") is an error.
            if needle.starts_with("not") && needle.ends_with(':') && !validity {
                continue;
            }
            if seen.contains(rule) {
                continue;
            }
            seen.push(*rule);
            let code = if *rule == Rule::OauthAadsts {
                aadsts_code(raw, at)
            } else {
                None
            };
            // A code past the cap is counted, never stored: the map stays
            // as small as the report.
            if code.is_some() && !kept.contains_key(&(*rule, code)) {
                if codes >= MAX_AADSTS_CODES {
                    dropped.codes += 1;
                    continue;
                }
                codes += 1;
            }
            let n = kept.entry((*rule, code)).or_insert(0);
            if *n >= MAX_HITS_PER_RULE {
                dropped.lines += 1;
                continue;
            }
            *n += 1;
            let text = shown
                .get_or_insert_with(|| {
                    let t = raw.trim();
                    let mut s: String = t.chars().take(300).collect();
                    if s.len() < t.len() {
                        s.push('…');
                    }
                    s
                })
                .clone();
            hits.push(Hit {
                rule: *rule,
                line: i + 1,
                text,
                code,
            });
        }
        first.iter_mut().for_each(|f| *f = None);
    }
    refine(text, &mut hits);
    (hits, dropped)
}

/// Mail services that always present a certificate from a public CA: a
/// self-signed certificate on a connection to one of them was put there by
/// something in between (antivirus, proxy, firewall, captive portal).
const PUBLIC_MAIL_HOSTS: &[&str] = &[
    "imap.gmail.com",
    "smtp.gmail.com",
    "imap.googlemail.com",
    "outlook.office365.com",
    "outlook.office.com",
    "smtp.office365.com",
    "imap-mail.outlook.com",
    "smtp-mail.outlook.com",
    "imap.mail.yahoo.com",
    "imap.mail.me.com",
    "imap.aol.com",
    "imap.gmx.net",
    "imap.gmx.com",
    "imap.web.de",
    "imap.zoho.com",
    "imap.fastmail.com",
    "imap.yandex.com",
    "imap.yandex.ru",
    "imap.mail.ru",
];

/// Lines between a provider's name and a self-signed error for the two to
/// be about the same connection.
const PUBLIC_HOST_NEAR: usize = 10;

/// Options that name a client's trust store (CA file) on a command line or
/// in a setting, lower case.
const TRUST_OPTIONS: &[&str] = &[
    "-t",
    "--truststore",
    "-truststore",
    "truststore",
    "-cafile",
    "--cafile",
    "cafile",
    "-capath",
    "capath",
    "--cacert",
    "cacert",
    "ca_file",
    "tls_ca_file",
    "ssl_cert_file",
    "ssl_cert_dir",
    "javax.net.ssl.truststore",
    "-djavax.net.ssl.truststore",
    "mail.imap.ssl.truststore",
];

/// A protocol-log tag: a short word with a digit (`A1`, `TAG4`, `a001`).
fn tag_like(w: &str) -> bool {
    w.len() <= 16
        && w.chars().any(|c| c.is_ascii_digit())
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

/// The words of a protocol-log line, without the quoting some clients add.
fn words(upper: &str) -> Vec<&str> {
    upper
        .split(|c: char| c.is_whitespace() || c == '\'' || c == '"')
        .filter(|w| !w.is_empty())
        .collect()
}

/// The host of JavaMail's "Couldn't connect to host, port: <host>, <port>"
/// (as written, quotes and spaces included: they are a cause themselves).
pub fn connect_host(line: &str) -> Option<&str> {
    const NEEDLE: &str = "couldn't connect to host, port:";
    let at = line
        .as_bytes()
        .windows(NEEDLE.len())
        .position(|w| w.eq_ignore_ascii_case(NEEDLE.as_bytes()))?;
    let rest = &line[at + NEEDLE.len()..];
    rest.rsplit_once(',').map(|(host, _)| host)
}

/// Whether `host` (a host setting quoted in an error) can be a DNS name or
/// an address at all; quotes, spaces or brackets around a name mean the
/// setting holds them literally, and such a name never resolves.
fn impossible_host(host: &str) -> bool {
    let h = host.trim();
    let bare = h
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(h);
    !bare.is_empty()
        && !bare
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
}

/// The line's text as a hit shows it.
fn shown(raw: &str) -> String {
    let t = raw.trim();
    let mut s: String = t.chars().take(300).collect();
    if s.len() < t.len() {
        s.push('…');
    }
    s
}

/// What the lines say together, beyond one phrase on one line: the answer
/// to a login command in a protocol log, a self-signed certificate from a
/// provider that never serves one, a host setting that cannot resolve, a
/// plain connection to the TLS port that gets no greeting, a trust store
/// pointed at nothing, and a mailbox-permission listing without the app.
/// One pass over the lines; at most a few hits are added.
fn refine(text: &str, hits: &mut Vec<Hit>) {
    // Lines naming a provider that only uses public CAs (the first few).
    let mut public_hosts: Vec<(usize, &'static str)> = Vec::new();
    // Login commands by tag: (tag, OAuth?) of the last few.
    let mut logins: Vec<(String, bool)> = Vec::new();
    let mut added: Vec<Hit> = Vec::new();
    let mut plain_993 = false;
    // A Java stack or client log that shows the TLS handshake: a reset
    // there is the handshake failing, not a session being dropped.
    let mut in_handshake = false;
    // STARTTLS in the text: OpenSSL 1.0's "unknown protocol" then means the
    // server accepted STARTTLS but its TLS did not start.
    let mut starttls = false;
    let mut empty_store: Option<(usize, String)> = None;
    let mut perms = MailboxPermissions::default();
    // Lines of a list of possible causes a client prints with every
    // handshake error (MailKit: "… for one or more of the following
    // reasons: 1. The server is using a self-signed certificate …"): none
    // of them is evidence.
    // (items seen, lines waited for the first item).
    let mut hint_list: Option<(bool, u8)> = None;
    let mut hint_lines: Vec<usize> = Vec::new();
    let mut prev_one_or_more = false;
    let push = |added: &mut Vec<Hit>, rule: Rule, line: usize, raw: &str| {
        if !added.iter().any(|h: &Hit| h.rule == rule) {
            added.push(Hit {
                rule,
                line,
                text: shown(raw),
                code: None,
            });
        }
    };
    for (i, raw) in text.lines().enumerate() {
        if raw.len() > MAX_LINE {
            continue;
        }
        let line = i + 1;
        let lower = raw.to_ascii_lowercase();
        perms.read(raw, line);
        // The phrase may wrap: "… for one or more of" / "the following reasons:".
        let hint_start = lower.contains("following reasons")
            && (lower.contains("one or more of") || prev_one_or_more);
        prev_one_or_more = lower.trim_end().ends_with("one or more of");
        if hint_start {
            hint_list = Some((false, 0));
        } else if let Some((started, waited)) = hint_list {
            let t = raw.trim_start();
            let item = t.chars().next().is_some_and(|c| c.is_ascii_digit())
                && t.trim_start_matches(|c: char| c.is_ascii_digit())
                    .starts_with(". ");
            hint_list = if item {
                if hint_lines.len() < 64 {
                    hint_lines.push(line);
                }
                Some((true, waited))
            } else if started || waited >= 3 {
                // The list ends at the first line that is no item.
                None
            } else {
                // "the following reasons:" and blank lines before it.
                Some((false, waited + 1))
            };
        }
        if public_hosts.len() < 64 {
            if let Some(h) = PUBLIC_MAIL_HOSTS
                .iter()
                .copied()
                .find(|h| lower.contains(h))
            {
                public_hosts.push((line, h));
            }
        }
        // A login command, and the server's tagged NO to it.
        let upper = raw.to_ascii_uppercase();
        let w = words(&upper);
        for (k, pair) in w.windows(2).enumerate() {
            if !tag_like(pair[0]) {
                continue;
            }
            match pair[1] {
                "LOGIN" | "AUTHENTICATE" if logins.len() < 64 => {
                    let mech = w.get(k + 2).copied().unwrap_or("");
                    let oauth =
                        pair[1] == "AUTHENTICATE" && (mech == "XOAUTH2" || mech == "OAUTHBEARER");
                    logins.push((pair[0].to_string(), oauth));
                }
                "NO" => {
                    if let Some((_, oauth)) = logins.iter().rev().find(|(t, _)| t == pair[0]) {
                        let rule = if *oauth {
                            Rule::OauthAuthenticateFailed
                        } else {
                            Rule::ImapAuthFailed
                        };
                        if !hits.iter().any(|h| h.line == line) {
                            push(&mut added, rule, line, raw);
                        }
                    }
                }
                _ => {}
            }
        }
        // JavaMail: "Couldn't connect to host, port: <host>, <port>; timeout …".
        if let Some(host) = connect_host(raw) {
            if impossible_host(host) {
                push(&mut added, Rule::NetDns, line, raw);
            }
        }
        // A plain TCP (or STARTTLS) connection to the implicit-TLS port…
        if lower.contains(":993")
            && ((lower.contains("tcp") && !lower.contains("tls") && !lower.contains("ssl"))
                || lower.contains("starttls")
                || lower.contains("plaintext"))
        {
            plain_993 = true;
        }
        // …that never gets the IMAP greeting: the server waits for TLS.
        if plain_993
            && lower.contains("greeting")
            && [
                "cannot", "can't", "no ", "not ", "failed", "empty", "closed",
            ]
            .iter()
            .any(|x| lower.contains(x))
        {
            push(&mut added, Rule::TlsTlsOnPlaintextPort, line, raw);
        }
        if [
            "starthandshake",
            "readhandshakerecord",
            "during handshake",
            "ssl_connect",
        ]
        .iter()
        .any(|x| lower.contains(x))
        {
            in_handshake = true;
        }
        starttls |= lower.contains("starttls");
        // A trust store pointed at /dev/null.
        if empty_store.is_none() && lower.contains("/dev/null") {
            let toks: Vec<&str> = lower
                .split(|c: char| c.is_whitespace() || c == '=' || c == '"' || c == '\'')
                .filter(|t| !t.is_empty())
                .collect();
            if toks
                .windows(2)
                .any(|p| p[1] == "/dev/null" && TRUST_OPTIONS.contains(&p[0]))
            {
                empty_store = Some((line, raw.to_string()));
            }
        }
    }
    if starttls {
        for h in hits.iter_mut() {
            if h.rule == Rule::TlsPlaintextOnTlsPort
                && h.text.to_ascii_lowercase().contains("unknown protocol")
            {
                h.rule = Rule::TlsHandshakeFailed;
            }
        }
    }
    if in_handshake {
        for h in hits.iter_mut() {
            if h.rule == Rule::ImapConnectionDropped
                && h.text.to_ascii_lowercase().contains("connection reset")
            {
                h.rule = Rule::TlsHandshakeFailed;
            }
        }
    }
    // A self-signed certificate from a provider that only uses public CAs:
    // the connection was intercepted. The provider must be named near the
    // error (a log may name several servers, one of them self-signed).
    for h in hits.iter_mut() {
        if !matches!(h.rule, Rule::ChainSelfSignedLeaf | Rule::ChainUntrustedRoot) {
            continue;
        }
        if let Some((_, host)) = public_hosts
            .iter()
            .find(|(l, _)| l.abs_diff(h.line) <= PUBLIC_HOST_NEAR)
        {
            h.rule = Rule::TlsInterception;
            h.text = format!(
                "{} ({host} only presents certificates from public CAs)",
                h.text
            );
        }
    }
    let verify_failed = |h: &Hit| {
        h.rule == Rule::InputChainNeeded
            || matches!(
                h.rule,
                Rule::ChainMissingIntermediate
                    | Rule::ChainUntrustedRoot
                    | Rule::ChainSelfSignedLeaf
            )
    };
    if let Some((line, raw)) = empty_store {
        if hits.iter().any(verify_failed) {
            push(&mut added, Rule::ChainTruststoreEmpty, line, &raw);
        }
    }
    if let Some((line, raw)) = perms.lacking_app() {
        push(&mut added, Rule::OauthAppLacksMailboxPermission, line, &raw);
    }
    // An empty trust store explains every verification failure beside it.
    if hits
        .iter()
        .chain(added.iter())
        .any(|h| h.rule == Rule::ChainTruststoreEmpty)
    {
        hits.retain(|h| !verify_failed(h));
    }
    hits.retain(|h| !hint_lines.contains(&h.line));
    hits.extend(added);
}

/// `Get-MailboxPermission` output, as a list (`User : …` / `AccessRights :
/// {…}`) or as a table (header `Identity User AccessRights …`).
#[derive(Default)]
struct MailboxPermissions {
    /// The line of the cmdlet or of the first entry.
    first: Option<(usize, String)>,
    /// Column starts of User and AccessRights in a table.
    columns: Option<(usize, usize)>,
    /// The current list entry: user, rights, deny.
    user: Option<String>,
    rights: Option<String>,
    deny: bool,
    entries: usize,
    /// Principals holding FullAccess that are not the mailbox itself.
    others_with_full_access: usize,
    full_access_self: bool,
    /// The paste names the cmdlet.
    cmdlet: bool,
}

impl MailboxPermissions {
    fn read(&mut self, raw: &str, line: usize) {
        let t = raw.trim_end();
        let lower = t.to_ascii_lowercase();
        if lower.contains("get-mailboxpermission") {
            self.cmdlet = true;
            if self.first.is_none() {
                self.first = Some((line, t.to_string()));
            }
            return;
        }
        // Table header: "Identity   User   AccessRights   IsInherited Deny".
        if let (Some(u), Some(a)) = (find_word(t, "User"), find_word(t, "AccessRights")) {
            if u < a && !t.contains(':') {
                self.columns = Some((u, a));
                return;
            }
        }
        if let Some((u, a)) = self.columns {
            if t.trim_start().starts_with("---") || t.trim().is_empty() {
                return;
            }
            let user = t.get(u..a).map(str::trim).unwrap_or("");
            let rights = t.get(a..).unwrap_or("");
            // The Deny column is the last word of the row.
            let deny = t.split_whitespace().last() == Some("True");
            if !user.is_empty() && rights.contains('{') {
                self.entry(user, rights, deny, line, t);
            }
            return;
        }
        // List format, one "Key : Value" per line; a blank line ends an entry.
        if t.trim().is_empty() {
            self.end_entry(line, t);
            return;
        }
        if let Some((k, v)) = t.split_once(':') {
            let v = v.trim();
            match k.trim() {
                // A key seen twice starts the next entry (Format-List
                // output need not have blank lines between entries).
                "User" => {
                    if self.user.is_some() {
                        self.end_entry(line, t);
                    }
                    self.user = Some(v.to_string());
                }
                "AccessRights" => {
                    if self.rights.is_some() {
                        self.end_entry(line, t);
                    }
                    self.rights = Some(v.to_string())
                }
                "Deny" => self.deny = v.eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
    }

    fn end_entry(&mut self, line: usize, t: &str) {
        if let (Some(u), Some(r)) = (self.user.take(), self.rights.take()) {
            let deny = self.deny;
            self.entry(&u, &r, deny, line, t);
        }
        self.deny = false;
    }

    fn entry(&mut self, user: &str, rights: &str, deny: bool, line: usize, t: &str) {
        self.entries += 1;
        if self.first.is_none() {
            self.first = Some((line, t.to_string()));
        }
        if deny || !rights.to_ascii_lowercase().contains("fullaccess") {
            return;
        }
        let u = user.to_ascii_uppercase();
        if u.starts_with("NT AUTHORITY\\") || u.starts_with("S-1-5-") {
            self.full_access_self = true;
        } else {
            self.others_with_full_access += 1;
        }
    }

    /// The listing's line when it shows no principal but the mailbox itself
    /// with FullAccess.
    fn lacking_app(mut self) -> Option<(usize, String)> {
        self.end_entry(0, "");
        (self.entries > 0
            && self.others_with_full_access == 0
            && (self.cmdlet || self.full_access_self))
            .then_some(self.first)
            .flatten()
    }
}

/// Byte offset of `word` standing alone in `line`.
fn find_word(line: &str, word: &str) -> Option<usize> {
    line.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        before.is_none_or(|c| c.is_whitespace()) && after.is_none_or(|c| c.is_whitespace())
    })
}

/// What an Entra error code means, and what to do.
pub fn aadsts_meaning(code: u32) -> (&'static str, &'static str) {
    match code {
        7000215 => ("Invalid client secret: the Secret ID was given instead of the secret's Value, or the secret is wrong.", "In Entra ID → App registrations → your app → Certificates & secrets, create a new client secret and copy its Value column (shown once), not the Secret ID."),
        7000222 => ("The client secret has expired.", "Create a new client secret for the app registration and enter its Value in the archiver."),
        700016 => ("The application (client) ID was not found in this tenant: wrong client ID, or the request went to the wrong tenant.", "Copy the Application (client) ID and the Directory (tenant) ID from the app registration's Overview page."),
        90002 => ("The tenant was not found: the tenant ID or domain is wrong.", "Use the Directory (tenant) ID GUID from Entra ID → Overview, or a verified domain of the tenant."),
        900023 => ("The tenant identifier is malformed.", "Enter the Directory (tenant) ID as a GUID or a verified domain name."),
        7000112 => ("The application is disabled.", "Enable the enterprise application (Entra ID → Enterprise applications → Properties → Enabled for users to sign in)."),
        700024 => ("The client assertion is outside its valid time range (certificate credential or clock skew).", "Check the archiver's clock, or use a client secret instead of a certificate credential."),
        1002012 => ("The scope is not valid for the client-credentials flow: it must be a resource with /.default.", "Use the scope https://outlook.office365.com/.default."),
        70011 => ("The scope is invalid.", "Use the scope https://outlook.office365.com/.default."),
        500011 => ("The resource principal (Office 365 Exchange Online) was not found in the tenant.", "Check the scope https://outlook.office365.com/.default and that Exchange Online is licensed in this tenant."),
        65001 | 90094 => ("Consent is missing.", "Grant admin consent for IMAP.AccessAsApp (Office 365 Exchange Online) in the app registration's API permissions."),
        50034 => ("The user account does not exist in this directory.", "Check the mailbox address and the tenant."),
        _ => ("An Entra ID sign-in error.", "Look the code up in Microsoft's AADSTS error code reference and fix the setting it names."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aadsts_code_is_read() {
        let h = scan("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}");
        let a = h.iter().find(|h| h.rule == Rule::OauthAadsts).unwrap();
        assert_eq!(a.code, Some(7000215));
        assert!(h.iter().any(|h| h.rule == Rule::OauthSecretIsId));
    }

    fn rules(text: &str) -> Vec<Rule> {
        scan(text).into_iter().map(|h| h.rule).collect()
    }

    #[test]
    fn a_tagged_no_answers_the_login_command_with_that_tag() {
        let log =
            "C: a2 AUTHENTICATE PLAIN\nS: +\nC: REDACTED\nS: a2 NO Unknown user or wrong secret\n";
        assert_eq!(rules(log), vec![Rule::ImapAuthFailed]);
        let log = "C: a2 AUTHENTICATE XOAUTH2 REDACTED\nS: a2 NO Denied\n";
        assert_eq!(rules(log), vec![Rule::OauthAuthenticateFailed]);
        // A NO to another command, or under another tag, is no login failure.
        assert!(
            rules("C: a2 LOGIN u p\nS: a2 OK\nC: a3 SELECT x\nS: a3 NO no such folder\n")
                .is_empty()
        );
    }

    #[test]
    fn openssl_handshake_texts_from_other_programs() {
        // Python, PHP, Ruby and .NET print OpenSSL's reason, not s_client's layout.
        assert_eq!(
            rules("[SSL: DH_KEY_TOO_SMALL] dh key too small (_ssl.c:727)"),
            vec![Rule::TlsSmallDhGroup]
        );
        assert_eq!(
            rules("error:1409442E:SSL routines:SSL3_READ_BYTES:tlsv1 alert protocol version"),
            vec![Rule::TlsLegacyProtocol]
        );
        // OpenSSL 1.0 says "unknown protocol" where 1.1 says "wrong version number".
        assert_eq!(
            rules("SSL_connect returned=1 errno=0 state=SSLv2/v3 read server hello A: unknown protocol"),
            vec![Rule::TlsPlaintextOnTlsPort]
        );
        assert_eq!(
            rules("openssl s_client -connect mail.example.org:143 -starttls imap\n139:error:140770FC:SSL routines:SSL23_GET_SERVER_HELLO:unknown protocol:s23_clnt.c:769:"),
            vec![Rule::TlsHandshakeFailed]
        );
        assert_eq!(
            rules("#<Errno::ECONNRESET: Connection reset by peer - SSL_connect>"),
            vec![Rule::TlsHandshakeFailed]
        );
        // imapfilter: "certificate verification failed; <X509 error number>".
        assert_eq!(
            rules("imapfilter: certificate verification failed; 19"),
            vec![Rule::InputChainNeeded]
        );
        // PHP's c-client names OpenSSL's reason and the certificate.
        assert_eq!(
            rules("Certificate failure for mail.example.org: unable to get local issuer certificate: /C=US/O=Example/CN=Example CA"),
            vec![Rule::InputChainNeeded]
        );
        // s_client's own verify lines are read by the s_client parser instead.
        assert!(rules("verify error:num=20:unable to get local issuer certificate").is_empty());
        assert_eq!(
            rules("S: * BYE Connection is closed. 13"),
            vec![Rule::ImapConnectionDropped]
        );
    }

    #[test]
    fn a_reset_is_a_dropped_session_unless_the_handshake_was_running() {
        let read = "java.net.SocketException: Connection reset\n\tat java.base/sun.security.ssl.SSLSocketImpl$AppInputStream.read(SSLSocketImpl.java:1065)\n";
        assert_eq!(rules(read), vec![Rule::ImapConnectionDropped]);
        let handshake = "java.net.SocketException: Connection reset\n\tat java.base/sun.security.ssl.SSLSocketImpl.readHandshakeRecord(SSLSocketImpl.java:1421)\n\tat java.base/sun.security.ssl.SSLSocketImpl.startHandshake(SSLSocketImpl.java:455)\n";
        assert_eq!(rules(handshake), vec![Rule::TlsHandshakeFailed]);
    }

    #[test]
    fn a_self_signed_certificate_from_a_public_provider_is_interception() {
        assert_eq!(
            rules("SSL error connecting imap.gmail.com (1.2.3.4:993): self signed certificate"),
            vec![Rule::TlsInterception]
        );
        assert_eq!(
            rules("SSL error connecting mail.example.org (1.2.3.4:993): self signed certificate"),
            vec![Rule::ChainSelfSignedLeaf]
        );
        // A provider named far from the error is another connection.
        let far = format!(
            "host2: imap.gmail.com\n{}host1 mail.example.org: self signed certificate",
            "log line\n".repeat(20)
        );
        assert_eq!(rules(&far), vec![Rule::ChainSelfSignedLeaf]);
    }

    #[test]
    fn a_host_setting_that_cannot_be_a_name_does_not_resolve() {
        let t = |h: &str| {
            rules(&format!(
                "MailConnectException: Couldn't connect to host, port: {h}, 993; timeout -1"
            ))
        };
        assert!(t("\"mail.example.org\"").contains(&Rule::NetDns));
        assert!(t("mail example.org").contains(&Rule::NetDns));
        assert!(!t("mail.example.org").contains(&Rule::NetDns));
        assert!(!t("[2001:db8::1]").contains(&Rule::NetDns));
    }

    #[test]
    fn no_greeting_on_a_plain_connection_to_993_is_the_wrong_mode() {
        let t = "cannot connect to IMAP server mail.example.org:993 using TCP\ncannot receive greeting from server\n";
        assert_eq!(rules(t), vec![Rule::TlsTlsOnPlaintextPort]);
        let t = "cannot connect to IMAP server mail.example.org:993 using TLS\ncannot receive greeting from server\n";
        assert!(rules(t).is_empty());
    }

    #[test]
    fn a_trust_store_pointed_at_dev_null_explains_the_verify_failure() {
        let t = "$ client -t /dev/null\nerror: certificate verify failed\n";
        assert_eq!(rules(t), vec![Rule::ChainTruststoreEmpty]);
        // Without a failure there is nothing to explain.
        assert!(rules("$ client -t /dev/null\nconnected\n").is_empty());
        // /dev/null elsewhere on the line is not a trust store.
        assert_eq!(
            rules("$ client -v > /dev/null\nerror: certificate verify failed\n"),
            vec![Rule::InputChainNeeded]
        );
    }

    #[test]
    fn mailbox_permissions_without_the_app() {
        let list = "Get-MailboxPermission -Identity j | Format-List\nAccessRights : {FullAccess, ReadPermission}\nDeny : False\nUser : NT AUTHORITY\\SELF\n";
        assert_eq!(rules(list), vec![Rule::OauthAppLacksMailboxPermission]);
        let with_app = format!("{list}AccessRights : {{FullAccess}}\nDeny : False\nUser : 0b0d5a2c-1111-2222-3333-444455556666\n");
        assert!(rules(&with_app).is_empty());
        // Granted but denied is not granted.
        let denied =
            format!("{list}AccessRights : {{FullAccess}}\nDeny : True\nUser : S-1-5-21-1\n");
        assert_eq!(rules(&denied), vec![Rule::OauthAppLacksMailboxPermission]);
        let table = "Identity   User                 AccessRights          IsInherited Deny\n--------   ----                 ------------          ----------- ----\nj          NT AUTHORITY\\SELF    {FullAccess}          False       False\nj          app-journal          {FullAccess}          False       False\n";
        assert!(rules(table).is_empty());
        let only_self = "Identity   User                 AccessRights          IsInherited Deny\n--------   ----                 ------------          ----------- ----\nj          NT AUTHORITY\\SELF    {FullAccess}          False       False\n";
        assert_eq!(rules(only_self), vec![Rule::OauthAppLacksMailboxPermission]);
    }

    #[test]
    fn a_list_of_possible_causes_is_no_evidence() {
        let t = "SslHandshakeException: An error occurred.\n\nThis usually means that the SSL certificate presented by the server is not trusted by the system for one or more of\nthe following reasons:\n\n1. The server is using a self-signed certificate which cannot be verified.\n4. The certificate presented by the server is expired or invalid.\n\n ---> IOException: the connected party did not properly respond after a period of time\n";
        assert_eq!(rules(t), vec![Rule::NetTimeout]);
        // The same words outside such a list are evidence.
        assert_eq!(
            rules("1. The server is using a self-signed certificate which cannot be verified."),
            vec![Rule::ChainSelfSignedLeaf]
        );
    }

    #[test]
    fn certificate_names_are_not_error_text() {
        assert!(rules(" 0 s:/OU=generated by X for self-signed certificates/CN=X\n   i:/CN=self-signed certificate\n").is_empty());
        assert!(rules("depth=0 CN = self signed certificate").is_empty());
    }

    #[test]
    fn long_lines_are_skipped() {
        let long = "x".repeat(MAX_LINE + 1) + " connection refused";
        assert!(scan(&long).is_empty());
    }
}
