//! Does the server certificate cover the host the archiver connects to?
//! RFC 6125 matching as Java's `HostnameChecker` does it: DNS SANs only when
//! there are any (the CN only when there are none), a wildcard only as the
//! whole left-most label, never matching more than one label, and never for
//! a bare public suffix like `*.com`.

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

fn normalise(h: &str) -> String {
    h.trim().trim_end_matches('.').to_ascii_lowercase()
}

fn wildcard_matches(pattern: &str, host: &str) -> bool {
    let p = normalise(pattern);
    if p == host {
        return true;
    }
    let Some(suffix) = p.strip_prefix("*.") else {
        return false;
    };
    // `*.com` and `*.` are not acceptable wildcards.
    if !suffix.contains('.') || suffix.is_empty() {
        return false;
    }
    match host.split_once('.') {
        Some((label, rest)) => !label.is_empty() && rest == suffix,
        None => false,
    }
}

pub fn check(cert: &Certificate, host: &str) -> HostMatch {
    let host_n = normalise(host);
    let bare = host_n.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        if cert
            .ip_addresses
            .iter()
            .any(|a| a.parse::<std::net::IpAddr>().ok() == Some(ip))
        {
            return HostMatch::Matches;
        }
        let java_message = if cert.ip_addresses.is_empty() {
            "No subject alternative names present".to_string()
        } else {
            format!("No subject alternative names matching IP address {bare} found")
        };
        return HostMatch::Mismatch {
            java_message,
            covered: cert.ip_addresses.clone(),
        };
    }
    if !cert.dns_names.is_empty() {
        if cert.dns_names.iter().any(|n| wildcard_matches(n, &host_n)) {
            return HostMatch::Matches;
        }
        return HostMatch::Mismatch {
            java_message: format!("No subject alternative DNS name matching {host} found."),
            covered: cert.dns_names.clone(),
        };
    }
    match &cert.subject_cn {
        Some(cn) if wildcard_matches(cn, &host_n) => HostMatch::Matches,
        cn => HostMatch::Mismatch {
            java_message: format!("No name matching {host} found"),
            covered: cn.iter().cloned().collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_matches("*.example.com", "mail.example.com"));
        assert!(wildcard_matches("Mail.Example.com.", "mail.example.com"));
        assert!(!wildcard_matches("*.example.com", "a.b.example.com"));
        assert!(!wildcard_matches("*.example.com", "example.com"));
        assert!(!wildcard_matches("*.com", "example.com"));
        assert!(!wildcard_matches("m*.example.com", "mail.example.com"));
    }
}
