//! Trust-store listings without certificates: `keytool -list -v` (Owner,
//! Issuer, serial, validity, fingerprints) and an archiver's certificate page
//! copied as text (Alias / Subject / Issuer lines). These name certificates
//! but do not hold them, so they are matched by fingerprint and by name.

use serde::Serialize;

use crate::x509::dn::Dn;

/// One entry of a listing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub alias: Option<String>,
    pub owner: Option<String>,
    pub issuer: Option<String>,
    pub serial: Option<String>,
    pub valid: Option<String>,
    pub sha1: Option<String>,
    pub sha256: Option<String>,
    /// 1-based line of the entry's first field.
    pub line: usize,
}

impl Listed {
    pub fn owner_dn(&self) -> Option<Dn> {
        self.owner.as_deref().and_then(Dn::parse_text)
    }
    pub fn name(&self) -> String {
        match (&self.alias, &self.owner) {
            (Some(a), _) => format!("alias {a}"),
            (None, Some(o)) => o.clone(),
            _ => format!("entry at line {}", self.line),
        }
    }
}

fn fingerprint(v: &str) -> Option<String> {
    let hex: String = v
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .map(|c| c.to_ascii_uppercase())
        .take(65)
        .collect();
    if hex.len() != 40 && hex.len() != 64 {
        return None;
    }
    // Written into one string (no allocation per byte).
    let mut out = String::with_capacity(hex.len() * 3 / 2);
    for (i, c) in hex.chars().enumerate() {
        if i > 0 && i % 2 == 0 {
            out.push(':');
        }
        out.push(c);
    }
    Some(out)
}

/// Reads listing entries from text. Entries whose certificate is in the same
/// text as PEM are left out (the PEM is read as a certificate).
pub fn parse(text: &str) -> Vec<Listed> {
    let mut out: Vec<Listed> = Vec::new();
    let mut cur: Option<Listed> = None;
    let mut has_pem = false;
    // An alias with an entry type ("trustedCertEntry") is a listing entry
    // even when the listing shows nothing else about it.
    let mut typed = false;
    let flush =
        |cur: &mut Option<Listed>, has_pem: &mut bool, typed: &mut bool, out: &mut Vec<Listed>| {
            if let Some(e) = cur.take() {
                let useful = e.owner.is_some()
                    || e.sha256.is_some()
                    || e.sha1.is_some()
                    || (*typed && e.alias.is_some());
                if useful && !*has_pem {
                    out.push(e);
                }
            }
            *has_pem = false;
            *typed = false;
        };
    for (i, raw) in text.lines().enumerate() {
        if raw.len() > 4096 {
            continue;
        }
        let line = raw.trim();
        let field = |name: &str| line.strip_prefix(name).map(|v| v.trim().to_string());
        // keytool speaks the JDK's locale: the labels of a few common ones.
        let any = |names: &[&str]| names.iter().find_map(|n| field(n));
        // `keytool -list` without -v: "alias, date, trustedCertEntry," then
        // "Certificate fingerprint (SHA-256): …" on the next line.
        if let Some(head) = line
            .strip_suffix("trustedCertEntry,")
            .or_else(|| line.strip_suffix("PrivateKeyEntry,"))
        {
            if let Some((alias, _)) = head.split_once(',') {
                flush(&mut cur, &mut has_pem, &mut typed, &mut out);
                typed = true;
                cur = Some(Listed {
                    alias: Some(alias.trim().to_string()),
                    line: i + 1,
                    ..Listed::default()
                });
                continue;
            }
        }
        if let Some(v) = any(&[
            "Certificate fingerprint (SHA1):",
            "Certificate fingerprint (SHA-1):",
        ]) {
            if let Some(e) = cur.as_mut() {
                e.sha1 = fingerprint(&v);
            }
            continue;
        }
        if let Some(v) = any(&[
            "Certificate fingerprint (SHA-256):",
            "Certificate fingerprint (SHA256):",
        ]) {
            if let Some(e) = cur.as_mut() {
                e.sha256 = fingerprint(&v);
            }
            continue;
        }
        if any(&[
            "Entry type:",
            "항목 유형:",
            "Eintragstyp:",
            "Type d'entrée :",
            "Tipo de entrada:",
            "エントリ・タイプ:",
            "条目类型:",
        ])
        .is_some()
        {
            typed = true;
            continue;
        }
        if let Some(a) = field("Alias name:")
            .or_else(|| field("Alias:"))
            .or_else(|| {
                any(&[
                    "별칭 이름:",
                    "Aliasname:",
                    "Nom d'alias :",
                    "Nombre de alias:",
                    "別名:",
                    "别名:",
                ])
            })
        {
            flush(&mut cur, &mut has_pem, &mut typed, &mut out);
            cur = Some(Listed {
                alias: Some(a),
                line: i + 1,
                ..Listed::default()
            });
            continue;
        }
        if line.starts_with("-----BEGIN") {
            has_pem = true;
        }
        if line.starts_with("*****") {
            flush(&mut cur, &mut has_pem, &mut typed, &mut out);
            continue;
        }
        let owner = field("Owner:").or_else(|| field("Subject:")).or_else(|| {
            any(&[
                "소유자:",
                "Eigentümer:",
                "Propriétaire :",
                "Propietario:",
                "所有者:",
            ])
        });
        if let Some(o) = owner {
            let e = cur.get_or_insert_with(|| Listed {
                line: i + 1,
                ..Listed::default()
            });
            if e.owner.is_some() {
                // A second Owner without a new alias: the next certificate of a chain.
                let alias = e.alias.clone();
                flush(&mut cur, &mut has_pem, &mut typed, &mut out);
                cur = Some(Listed {
                    alias,
                    line: i + 1,
                    ..Listed::default()
                });
            }
            if let Some(e) = cur.as_mut() {
                e.owner = Some(o);
            }
            continue;
        }
        let Some(e) = cur.as_mut() else { continue };
        if let Some(v) = field("Issuer:").or_else(|| {
            any(&[
                "발행자:",
                "Aussteller:",
                "Émetteur :",
                "Emetteur :",
                "Emisor:",
                "発行者:",
                "发布者:",
            ])
        }) {
            e.issuer = Some(v);
        } else if let Some(v) = field("Serial number:") {
            e.serial = Some(v);
        } else if let Some(v) = field("Valid from:") {
            e.valid = Some(v);
        } else if let Some(v) = field("SHA1:").or_else(|| field("SHA-1:")) {
            e.sha1 = fingerprint(&v);
        } else if let Some(v) = field("SHA256:").or_else(|| field("SHA-256:")) {
            e.sha256 = fingerprint(&v);
        }
    }
    flush(&mut cur, &mut has_pem, &mut typed, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_v() {
        let t = "Keystore type: PKCS12\n\nAlias name: corp-root\nCreation date: Nov 25, 2026\nEntry type: trustedCertEntry\n\nOwner: CN=Corp Root, O=Corp, C=US\nIssuer: CN=Corp Root, O=Corp, C=US\nSerial number: 1a\nValid from: Wed Nov 25 20:58:16 UTC 2026 until: Sat Nov 22 20:58:16 UTC 2036\nCertificate fingerprints:\n\t SHA1: AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD\n\t SHA256: 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\n\n*******************************************\n";
        let l = parse(t);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].alias.as_deref(), Some("corp-root"));
        assert_eq!(
            l[0].owner_dn().unwrap().common_name().as_deref(),
            Some("Corp Root")
        );
        assert!(l[0].sha256.as_ref().unwrap().starts_with("00:11"));
    }

    #[test]
    fn archiver_certificate_page() {
        let t = "Alias: corp-issuing\nSubject: CN=Corp Issuing CA, O=Corp\nIssuer: CN=Corp Root, O=Corp\n\nAlias: corp-root\nSubject: CN=Corp Root, O=Corp\nIssuer: CN=Corp Root, O=Corp\n";
        let l = parse(t);
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].name(), "alias corp-issuing");
        assert_eq!(l[1].issuer.as_deref(), Some("CN=Corp Root, O=Corp"));
    }

    #[test]
    fn short_list_and_other_locales() {
        let t = "Keystore type: JKS\n\nstarfieldclass2ca, 20.1.2005, trustedCertEntry,\nCertificate fingerprint (SHA1): AD:7E:1C:28:B0:64:EF:8F:60:03:40:20:14:C3:D0:E3:37:0E:B5:8A\n";
        let l = parse(t);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].alias.as_deref(), Some("starfieldclass2ca"));
        assert!(l[0].sha1.as_ref().unwrap().starts_with("AD:7E"));
        let t = "별칭 이름: verisignclass2g2ca [jdk]\n항목 유형: trustedCertEntry\n\n소유자: CN=Korean Root, C=KR\n발행자: CN=Korean Root, C=KR\n";
        let l = parse(t);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].owner.as_deref(), Some("CN=Korean Root, C=KR"));
    }

    #[test]
    fn rfc_listing_is_left_to_the_pem_reader() {
        let t = "Alias name: a\nEntry type: trustedCertEntry\n\n-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n";
        assert!(parse(t).is_empty());
    }
}
