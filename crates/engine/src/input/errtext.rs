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
fn matcher() -> &'static aho_corasick::AhoCorasick {
    static M: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
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
        if raw.len() > MAX_LINE || openssl_verify_line(raw) {
            continue;
        }
        let mut any = false;
        for m in ac.find_overlapping_iter(raw) {
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
    (hits, dropped)
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

    #[test]
    fn long_lines_are_skipped() {
        let long = "x".repeat(MAX_LINE + 1) + " connection refused";
        assert!(scan(&long).is_empty());
    }
}
