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

/// Longest line we look at; longer lines are certificate bodies or noise.
const MAX_LINE: usize = 8_192;

fn aadsts_code(lower: &str) -> Option<u32> {
    let i = lower.find("aadsts")?;
    let digits: String = lower[i + 6..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// A `NotAfter:`/`NotBefore:` line from a Java exception, not from OpenSSL.
fn java_validity_text(lower: &str) -> bool {
    let t = lower.trim_start();
    t.contains("exception") || t.starts_with("notafter:") || t.starts_with("notbefore:")
}

/// Finds every recognised line.
pub fn scan(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.len() > MAX_LINE {
            continue;
        }
        let lower = raw.to_lowercase();
        // OpenSSL's own verdict lines in an s_client transcript are read by
        // the s_client parser, with their depth; they are not error texts.
        let t = lower.trim_start().trim_start_matches('>').trim_start();
        if t.starts_with("verify error:")
            || t.starts_with("verification error:")
            || t.starts_with("verify return code:")
        {
            continue;
        }
        // (start, end, rule) of each needle found; a needle inside a longer
        // needle's match on this line yields to it ("self signed certificate"
        // inside "self signed certificate in certificate chain").
        let mut found: Vec<(usize, usize, Rule)> = Vec::new();
        // The needles live in the rules table, beside each rule's wording.
        for (needle, rule) in crate::rules::patterns() {
            // OpenSSL prints validity as "v:NotBefore: …; NotAfter: …"; only
            // Java's exception text ("NotAfter: Tue Jan 02 …") is an error.
            if needle.starts_with("not") && needle.ends_with(':') && !java_validity_text(&lower) {
                continue;
            }
            if let Some(at) = lower.find(needle) {
                found.push((at, at + needle.len(), rule));
            }
        }
        let inside_longer = |&(a, b, r): &(usize, usize, Rule)| {
            found
                .iter()
                .any(|&(c, d, q)| q != r && c <= a && b <= d && (d - c) > (b - a))
        };
        let mut seen: Vec<Rule> = Vec::new();
        for f in found.iter().filter(|f| !inside_longer(f)) {
            let rule = f.2;
            if seen.contains(&rule) {
                continue;
            }
            seen.push(rule);
            let mut text: String = raw.trim().chars().take(300).collect();
            if raw.trim().chars().count() > 300 {
                text.push('…');
            }
            hits.push(Hit {
                rule,
                line: i + 1,
                text,
                code: if rule == Rule::OauthAadsts {
                    aadsts_code(&lower)
                } else {
                    None
                },
            });
        }
    }
    hits
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
