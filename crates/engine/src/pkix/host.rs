//! Does the server certificate cover the host the archiver connects to?
//! This reproduces what JSSE does for `setEndpointIdentificationAlgorithm
//! ("HTTPS")` (JDK 11–25: `X509TrustManagerImpl.checkIdentity` and
//! `sun.security.util.HostnameChecker`, TYPE_TLS):
//!
//! - The host is first tried as the SNI name JSSE sent (the host without a
//!   trailing dot, in its ASCII form); when that fails and differs from the
//!   host (also without a trailing dot), the host itself is tried and its
//!   failure is what Java reports.
//! - An IP literal is matched against iPAddress SANs only.
//! - A DNS host must be a valid SNI name (IDN STD3 rules: letters, digits,
//!   hyphens), or Java says `Illegal given domain name`.
//! - dNSName SANs when there are any, else the most specific CN.
//! - Both sides are normalised with `IDN.toUnicode(IDN.toASCII(..))`, so a
//!   U-label host matches an A-label name and back.
//! - A template must itself be a valid SNI name with `*` read as a letter
//!   (so a trailing dot or a `_` never matches). Up to JDK 18 it may carry
//!   wildcards in any label, also inside one (`f*.example.com`,
//!   `mail.*.example.com`); from JDK 19 on (JDK-7192189) only the left-most
//!   label is matched with wildcards and the rest must be equal, as for
//!   LDAPS (`matchLeftmostWildcard`). Only `*`, `*.` and a wildcard with no
//!   dot after it are refused. The public-suffix rule (`*.com`) applies only
//!   when the chain ends at a public root.

use crate::java::JavaRelease;
use crate::x509::cert::Certificate;

/// Outcome of matching a host name against a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostMatch {
    Matches,
    /// Java's message for this case, and the names the certificate covers.
    Mismatch {
        java_message: String,
        covered: Vec<String>,
    },
}

/// Decodes one punycode label body (RFC 3492), or `None` when it is not
/// valid punycode (Java's `IDN.toUnicode` then keeps the label as it is).
fn punycode_decode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    let (mut out, rest): (Vec<char>, &str) = match input.rfind('-') {
        Some(i) => (input[..i].chars().collect(), &input[i + 1..]),
        None => (Vec::new(), input),
    };
    if !out.iter().all(|c| c.is_ascii()) {
        return None;
    }
    let (mut n, mut i, mut bias) = (128u32, 0u32, 72u32);
    let mut chars = rest.chars().peekable();
    while chars.peek().is_some() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let c = chars.next()?;
            let digit = match c {
                'a'..='z' => c as u32 - 'a' as u32,
                'A'..='Z' => c as u32 - 'A' as u32,
                '0'..='9' => c as u32 - '0' as u32 + 26,
                _ => return None,
            };
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = if k <= bias {
                1
            } else if k >= bias + 26 {
                26
            } else {
                k - bias
            };
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = out.len() as u32 + 1;
        // Bias adaptation (RFC 3492 section 6.1).
        let mut delta = if old_i == 0 {
            (i - old_i) / 700
        } else {
            (i - old_i) / 2
        };
        delta += delta / len;
        let mut k = 0;
        while delta > ((BASE - 1) * 26) / 2 {
            delta /= BASE - 1;
            k += BASE;
        }
        bias = k + (BASE * delta) / (delta + 38);
        n = n.checked_add(i / len)?;
        i %= len;
        out.insert(i as usize, char::from_u32(n)?);
        i += 1;
        if out.len() > 63 {
            return None;
        }
    }
    Some(out.into_iter().collect())
}

/// `IDN.toUnicode(IDN.toASCII(s))`, lower-cased as HostnameChecker compares
/// it; `None` where `IDN.toASCII` throws (an empty or over-long label).
fn idn_unicode(s: &str) -> Option<String> {
    let labels: Vec<&str> = s.split('.').collect();
    let mut out = Vec::with_capacity(labels.len());
    for (k, label) in labels.iter().enumerate() {
        if label.is_empty() {
            // Only a single trailing dot is allowed by IDN.toASCII.
            if k + 1 == labels.len() && k > 0 {
                out.push(String::new());
                continue;
            }
            return None;
        }
        if label.is_ascii() && label.len() > 63 {
            return None;
        }
        let lower = label.to_lowercase();
        let decoded = lower
            .strip_prefix("xn--")
            .and_then(punycode_decode)
            .map(|u| u.to_lowercase());
        out.push(decoded.unwrap_or(lower));
    }
    Some(out.join("."))
}

/// Whether `new SNIHostName(name)` accepts `name`: `IDN.toASCII` with STD3
/// rules (labels of letters, digits and hyphens, not starting or ending with
/// a hyphen, 1–63 long, non-ASCII labels become punycode), not empty and
/// no trailing dot.
fn valid_sni(name: &str) -> bool {
    if name.is_empty() || name.ends_with('.') {
        return false;
    }
    name.split('.').all(|label| {
        if label.is_empty() {
            return false;
        }
        if !label.is_ascii() {
            // Punycode output is always LDH; Java's STD3 check also refuses
            // ASCII punctuation mixed into a Unicode label.
            return label
                .chars()
                .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-');
        }
        label.len() <= 63
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    })
}

/// `HostnameChecker.hasIllegalWildcard`.
fn illegal_wildcard(template: &str, public_ca: bool) -> bool {
    if template == "*" || template == "*." {
        return true;
    }
    let Some(last) = template.rfind('*') else {
        return false;
    };
    let after = &template[last..];
    let Some(dot) = after.find('.') else {
        return true;
    };
    if !public_ca {
        return false;
    }
    // A wildcard directly over a public suffix. Java consults the public
    // suffix list; a single label (a top-level domain) is the common case.
    let wildcarded = &after[dot + 1..];
    !wildcarded.contains('.')
}

/// `HostnameChecker.matchWildCards` for one label.
fn match_label(name: &str, template: &str) -> bool {
    let Some(mut idx) = template.find('*') else {
        return name == template;
    };
    let mut name = name;
    let mut after = template;
    let mut beginning = true;
    loop {
        let before = &after[..idx];
        after = &after[idx + 1..];
        let Some(start) = name.find(before) else {
            return false;
        };
        if beginning && start != 0 {
            return false;
        }
        beginning = false;
        name = &name[start + before.len()..];
        match after.find('*') {
            Some(i) => idx = i,
            None => break,
        }
    }
    name.ends_with(after)
}

/// `HostnameChecker.matchLeftmostWildcard`: wildcards in the first label
/// only (split at the first dot, not tokenised), the rest equal.
fn match_leftmost(name: &str, template: &str) -> bool {
    let t = template.find('.').unwrap_or(template.len());
    let n = name.find('.').unwrap_or(name.len());
    match_label(&name[..n], &template[..t]) && template[t..] == name[n..]
}

/// `HostnameChecker.isMatched` (TYPE_TLS); `leftmost`: JDK 19 and later.
fn is_matched(name: &str, template: &str, public_ca: bool, leftmost: bool) -> bool {
    let (Some(name), Some(template)) = (idn_unicode(name), idn_unicode(template)) else {
        return false;
    };
    if illegal_wildcard(&template, public_ca) {
        return false;
    }
    if !valid_sni(&template.replace('*', "z")) {
        return false;
    }
    if leftmost {
        return match_leftmost(&name, &template);
    }
    // StringTokenizer skips empty tokens.
    let n: Vec<&str> = name.split('.').filter(|l| !l.is_empty()).collect();
    let t: Vec<&str> = template.split('.').filter(|l| !l.is_empty()).collect();
    n.len() == t.len() && n.iter().zip(&t).all(|(a, b)| match_label(a, b))
}

fn parse_ip(host: &str) -> Option<std::net::IpAddr> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse().ok()
}

/// The most specific (last) CN, as `X500Name.findMostSpecificAttribute`.
fn most_specific_cn(cert: &Certificate) -> Option<String> {
    cert.subject
        .rdns
        .iter()
        .rev()
        .flat_map(|rdn| rdn.iter().rev())
        .find(|a| a.oid == "2.5.4.3")
        .map(|a| a.value.text())
}

/// `HostnameChecker.match` for one name; `Err` carries Java's message.
fn match_name(
    cert: &Certificate,
    name: &str,
    public_ca: bool,
    leftmost: bool,
) -> Result<(), String> {
    if let Some(ip) = parse_ip(name) {
        if !cert.raw.san_present {
            return Err("No subject alternative names present".into());
        }
        if cert
            .ip_addresses
            .iter()
            .any(|a| a.parse::<std::net::IpAddr>().ok() == Some(ip))
        {
            return Ok(());
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        return Err(format!(
            "No subject alternative names matching IP address {bare} found"
        ));
    }
    if !valid_sni(name) {
        return Err(format!("Illegal given domain name: {name}"));
    }
    if !cert.dns_names.is_empty() {
        // Raw (non-ASCII) bytes in an IA5String are not the Unicode host.
        if cert
            .dns_names
            .iter()
            .any(|t| t.is_ascii() && is_matched(name, t, public_ca, leftmost))
        {
            return Ok(());
        }
        return Err(format!(
            "No subject alternative DNS name matching {name} found."
        ));
    }
    if let Some(cn) = most_specific_cn(cert) {
        if is_matched(name, &cn, public_ca, leftmost) {
            return Ok(());
        }
    }
    Err(format!("No name matching {name} found"))
}

/// The names a certificate covers, for the report.
fn covered(cert: &Certificate, ip_host: bool) -> Vec<String> {
    if ip_host {
        return cert.ip_addresses.clone();
    }
    if !cert.dns_names.is_empty() {
        return cert.dns_names.to_vec();
    }
    most_specific_cn(cert).into_iter().collect()
}

/// Checks `host` against `cert` as JSSE does for a chain that does not end
/// at a public (cacerts) root.
pub fn check(cert: &Certificate, host: &str) -> HostMatch {
    check_with(cert, host, false)
}

/// As [`check`]; `public_ca` says whether the chain ends at a public root
/// (then a wildcard directly over a top-level domain is refused). JDK 17's
/// wildcard rules.
pub fn check_with(cert: &Certificate, host: &str, public_ca: bool) -> HostMatch {
    check_for(cert, host, public_ca, JavaRelease::default())
}

/// As [`check_with`], with the wildcard rules of `release`.
pub fn check_for(
    cert: &Certificate,
    host: &str,
    public_ca: bool,
    release: JavaRelease,
) -> HostMatch {
    let leftmost = release.wildcard_leftmost_only();
    let host = host.trim();
    let ip_host = parse_ip(host).is_some();
    // From JDK 21 on, reading a subjectAltName that could not be decoded
    // throws (for a DNS and an IP host alike).
    if release.throws_on_undecodable_eku_san()
        && cert.raw.undecodable.iter().any(|o| o == "2.5.29.17")
    {
        return HostMatch::Mismatch {
            java_message: "Invalid encoding for GeneralNames.".into(),
            covered: Vec::new(),
        };
    }
    // The SNI name JSSE sends: no trailing dot, never an IP literal, and only
    // when it is a valid SNI name.
    let sni = host.strip_suffix('.').unwrap_or(host);
    // checkIdentity drops a trailing dot from the peer host too, before it
    // compares it with the SNI name (so a host `mail.example.com.` fails
    // with the SNI name's message).
    let peer = sni;
    let sni = (!ip_host && valid_sni(sni)).then_some(sni);
    let result = match sni {
        Some(s) => match match_name(cert, s, public_ca, leftmost) {
            Ok(()) => Ok(()),
            Err(e) if s.eq_ignore_ascii_case(peer) => Err(e),
            Err(_) => match_name(cert, peer, public_ca, leftmost),
        },
        None => match_name(cert, peer, public_ca, leftmost),
    };
    match result {
        Ok(()) => HostMatch::Matches,
        Err(java_message) => HostMatch::Mismatch {
            java_message,
            covered: covered(cert, ip_host),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_as_java_matches_them() {
        // Each verdict below is what sun.security.util.HostnameChecker
        // .isMatched (TYPE_TLS, private CA) returns on JDK 17.
        assert!(is_matched(
            "mail.example.com",
            "*.example.com",
            false,
            false
        ));
        assert!(is_matched(
            "Mail.Example.com",
            "mail.example.com",
            false,
            false
        ));
        assert!(!is_matched(
            "a.b.example.com",
            "*.example.com",
            false,
            false
        ));
        assert!(!is_matched("example.com", "*.example.com", false, false));
        assert!(is_matched("example.com", "*.com", false, false));
        assert!(!is_matched("example.com", "*.com", true, false));
        assert!(is_matched("f.example.com", "f*.example.com", false, false));
        assert!(is_matched(
            "foo.example.com",
            "*oo.example.com",
            false,
            false
        ));
        assert!(is_matched(
            "foo.example.com",
            "f*o*.example.com",
            false,
            false
        ));
        assert!(is_matched(
            "a.b.example.com",
            "*.*.example.com",
            false,
            false
        ));
        assert!(is_matched(
            "mail.x.example.com",
            "mail.*.example.com",
            false,
            false
        ));
        assert!(!is_matched("localhost", "*", false, false));
        assert!(!is_matched(
            "mail.example.com",
            "mail.example.com.",
            false,
            false
        ));
        assert!(is_matched(
            "mail.example.com.",
            "mail.example.com",
            false,
            false
        ));
        assert!(!is_matched("x.example.com", "x_.example.com", false, false));
        assert!(!is_matched(
            "mail.example.com",
            "mail..example.com",
            false,
            false
        ));
    }

    #[test]
    fn wildcards_from_jdk_19() {
        // HostnameChecker.matchLeftmostWildcard as JDK 21.0.8 and 25.0.2
        // run it for TLS (each pair measured with the differential oracle).
        let m = |n: &str, t: &str| is_matched(n, t, false, true);
        assert!(m("mail.example.com", "*.example.com"));
        assert!(m("foo.example.com", "f*.example.com"));
        assert!(m("f.example.com", "f*.example.com"));
        assert!(m("example.com", "*.com"));
        assert!(!m("mail.x.example.com", "mail.*.example.com"));
        assert!(!m("a.b.example.com", "*.*.example.com"));
        assert!(!m("a.b.example.com", "*.example.com"));
        assert!(!m("localhost", "*"));
        // The rest is compared as it is, so a host's trailing dot counts.
        assert!(!m("mail.example.com.", "mail.example.com"));
        assert!(m("MAIL.Example.com", "mail.example.com"));
    }

    #[test]
    fn idn_both_ways() {
        assert_eq!(punycode_decode("bcher-kva").as_deref(), Some("bücher"));
        assert!(is_matched(
            "bücher.example.com",
            "xn--bcher-kva.example.com",
            false,
            false
        ));
        assert!(is_matched(
            "BÜCHER.example.com",
            "xn--bcher-kva.example.com",
            false,
            false
        ));
        assert!(is_matched(
            "xn--bcher-kva.example.com",
            "bücher.example.com",
            false,
            false
        ));
    }

    #[test]
    fn sni_validity() {
        assert!(!valid_sni("mail_1.example.com"));
        assert!(!valid_sni("mail.example.com."));
        assert!(valid_sni("bücher.example.com"));
        assert!(!valid_sni("a..b"));
    }
}
