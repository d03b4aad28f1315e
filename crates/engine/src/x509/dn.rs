//! Distinguished names, compared the way Java compares them.
//!
//! Java's PKIX builder links a certificate to its issuer when the issuer's
//! Subject DN *equals* the certificate's Issuer DN, and `X500Name.equals`
//! compares the RFC 2253 *canonical* forms: PrintableString and UTF8String
//! values are trimmed, inner white space is folded and the text lower-cased;
//! every other value type (IA5String, BMPString, T61String, ...) is compared
//! by its DER bytes. A multi-valued RDN is sorted. [`Dn::java_key`] builds
//! exactly that key, so two names link here when they link in Java.
//!
//! Names read from `openssl s_client` text (`s:`/`i:` lines) carry no type
//! information; [`Dn::loose_key`] compares those by text only.

use serde::Serialize;

/// One attribute of a name, e.g. `CN=mail.example.com`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ava {
    /// Dotted OID of the attribute type.
    pub oid: String,
    pub value: AvaValue,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AvaValue {
    /// A PrintableString or UTF8String: Java compares these as text.
    DirectoryString(String),
    /// Any other string type, shown as text but compared by DER bytes.
    OtherString { text: String, der: Vec<u8> },
    /// A value that is not a string at all; shown and compared as hex.
    Binary(Vec<u8>),
    /// A value read from tool output (no type known).
    Untyped(String),
}

impl AvaValue {
    pub fn text(&self) -> String {
        match self {
            AvaValue::DirectoryString(s) | AvaValue::Untyped(s) => s.clone(),
            AvaValue::OtherString { text, .. } => text.clone(),
            AvaValue::Binary(b) => format!("#{}", hex(b)),
        }
    }
}

/// A distinguished name: RDNs in the order they are encoded (most general first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dn {
    pub rdns: Vec<Vec<Ava>>,
}

const NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.9", "STREET"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.5", "SERIALNUMBER"),
    ("2.5.4.4", "SURNAME"),
    ("2.5.4.42", "GIVENNAME"),
    ("2.5.4.12", "T"),
    ("2.5.4.17", "POSTALCODE"),
    ("2.5.4.97", "ORGANIZATIONIDENTIFIER"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("1.2.840.113549.1.9.1", "EMAILADDRESS"),
    ("1.3.6.1.4.1.311.60.2.1.3", "JURISDICTIONC"),
    ("2.5.4.15", "BUSINESSCATEGORY"),
];

/// Extra spellings used by OpenSSL and LibreSSL output.
const ALIASES: &[(&str, &str)] = &[
    ("emailAddress", "1.2.840.113549.1.9.1"),
    ("E", "1.2.840.113549.1.9.1"),
    ("SN", "2.5.4.4"),
    ("GN", "2.5.4.42"),
    ("title", "2.5.4.12"),
    ("serialNumber", "2.5.4.5"),
    ("jurisdictionC", "1.3.6.1.4.1.311.60.2.1.3"),
    ("jurisdictionCountryName", "1.3.6.1.4.1.311.60.2.1.3"),
    ("businessCategory", "2.5.4.15"),
    ("organizationIdentifier", "2.5.4.97"),
    ("postalCode", "2.5.4.17"),
    ("street", "2.5.4.9"),
];

pub fn short_name(oid: &str) -> Option<&'static str> {
    NAMES.iter().find(|(o, _)| *o == oid).map(|(_, n)| *n)
}

fn oid_for_name(name: &str) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(name))
        .map(|(o, _)| *o)
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, o)| *o)
        })
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    // One string, no allocation per byte.
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Java's canonical folding of a directory string: trim, fold runs of
/// white space to one space, lower-case.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.to_uppercase().to_lowercase()
}

impl Dn {
    /// The key Java's `X500Name.equals` effectively compares.
    pub fn java_key(&self) -> String {
        let mut out = String::new();
        for rdn in &self.rdns {
            let mut parts: Vec<String> = rdn
                .iter()
                .map(|a| {
                    let v = match &a.value {
                        AvaValue::DirectoryString(s) | AvaValue::Untyped(s) => fold(s),
                        AvaValue::OtherString { der, .. } => format!("#{}", hex(der)),
                        AvaValue::Binary(b) => format!("#{}", hex(b)),
                    };
                    format!("{}={}", a.oid, v)
                })
                .collect();
            parts.sort();
            out.push_str(&parts.join("+"));
            out.push('/');
        }
        out
    }

    /// Text-only comparison key, for names read from tool output.
    pub fn loose_key(&self) -> String {
        let mut out = String::new();
        for rdn in &self.rdns {
            let mut parts: Vec<String> = rdn
                .iter()
                .map(|a| format!("{}={}", a.oid, fold(&a.value.text())))
                .collect();
            parts.sort();
            out.push_str(&parts.join("+"));
            out.push('/');
        }
        out
    }

    /// The first Common Name, if any.
    pub fn common_name(&self) -> Option<String> {
        self.rdns
            .iter()
            .flatten()
            .find(|a| a.oid == "2.5.4.3")
            .map(|a| a.value.text())
    }

    /// Java's display order (`CN=…, O=…, C=…`): the most specific RDN first,
    /// as keytool and Java-based archivers show names.
    pub fn display(&self) -> String {
        self.rdns
            .iter()
            .rev()
            .map(|rdn| {
                rdn.iter()
                    .map(|a| {
                        let name = short_name(&a.oid)
                            .map(str::to_string)
                            .unwrap_or_else(|| format!("OID.{}", a.oid));
                        format!("{}={}", name, escape(&a.value.text()))
                    })
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Builds a name from the x509-parser representation.
    pub fn from_x509(name: &x509_parser::x509::X509Name<'_>) -> Dn {
        use x509_parser::der_parser::asn1_rs::Tag;
        let rdns = name
            .iter()
            .map(|rdn| {
                rdn.iter()
                    .map(|atv| {
                        let any = atv.attr_value();
                        let tag = any.tag();
                        let data = any.data;
                        let value = if tag == Tag::PrintableString || tag == Tag::Utf8String {
                            AvaValue::DirectoryString(String::from_utf8_lossy(data).into_owned())
                        } else if tag == Tag::Ia5String
                            || tag == Tag::T61String
                            || tag == Tag::VisibleString
                            || tag == Tag::GeneralString
                        {
                            AvaValue::OtherString {
                                text: String::from_utf8_lossy(data).into_owned(),
                                der: der_tlv(tag.0, data),
                            }
                        } else if tag == Tag::BmpString {
                            let units: Vec<u16> = data
                                .chunks(2)
                                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                                .collect();
                            AvaValue::OtherString {
                                text: String::from_utf16_lossy(&units),
                                der: der_tlv(tag.0, data),
                            }
                        } else {
                            AvaValue::Binary(der_tlv(tag.0, data))
                        };
                        Ava {
                            oid: atv.attr_type().to_id_string(),
                            value,
                        }
                    })
                    .collect()
            })
            .collect();
        Dn { rdns }
    }

    /// Parses a name as OpenSSL or LibreSSL print it:
    /// `C = US, O = "Example, Inc.", CN = R3` (1.1.1, 3.x),
    /// `/C=US/O=Example/CN=R3` (1.0.2, LibreSSL) or `CN=R3, O=Example, C=US` (RFC 2253, Java).
    /// Returns `None` when no attribute could be read.
    pub fn parse_text(text: &str) -> Option<Dn> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let (parts, reversed) = if let Some(rest) = text.strip_prefix('/') {
            (split_unquoted(rest, '/'), false)
        } else {
            let parts = split_unquoted(text, ',');
            // RFC 2253 order (CN first) is reversed compared with encoding order.
            let first_is_specific = parts
                .first()
                .and_then(|p| p.split_once('='))
                .map(|(k, _)| {
                    matches!(
                        k.trim().to_ascii_uppercase().as_str(),
                        "CN" | "OU" | "EMAILADDRESS" | "UID" | "SERIALNUMBER"
                    )
                })
                .unwrap_or(false);
            let last_is_general = parts
                .last()
                .and_then(|p| p.split_once('='))
                .map(|(k, _)| matches!(k.trim().to_ascii_uppercase().as_str(), "C" | "DC"))
                .unwrap_or(false);
            // OpenSSL prints encoding order; a DN that starts with OU and
            // ends with CN ("OU = GlobalSign Root CA - R2, O = GlobalSign,
            // CN = GlobalSign") is in that order, not reversed.
            let last_is_specific = parts.len() > 1
                && parts
                    .last()
                    .and_then(|p| p.split_once('='))
                    .map(|(k, _)| {
                        matches!(
                            k.trim().to_ascii_uppercase().as_str(),
                            "CN" | "EMAILADDRESS"
                        )
                    })
                    .unwrap_or(false);
            // OpenSSL 1.1 and later put spaces around "=" ("CN = x, O = y")
            // and print in encoding order, whatever the attributes; Java and
            // RFC 2253 text never does. So a name encoded CN first ("CN =
            // Atos TrustedRoot Root CA RSA TLS 2021, O = Atos, C = DE") is
            // not turned around.
            let openssl_spaced = parts.iter().all(|p| p.contains(" = "));
            (
                parts,
                (first_is_specific || last_is_general) && !last_is_specific && !openssl_spaced,
            )
        };
        let mut rdns = Vec::new();
        for part in parts {
            let mut rdn = Vec::new();
            for ava in split_unquoted(&part, '+') {
                let (k, v) = ava.split_once('=')?;
                let k = k.trim();
                let oid = oid_for_name(k)
                    .map(str::to_string)
                    .or_else(|| {
                        let o = k.trim_start_matches("OID.").trim_start_matches("oid.");
                        o.chars()
                            .all(|c| c.is_ascii_digit() || c == '.')
                            .then(|| o.to_string())
                    })
                    .filter(|o| !o.is_empty())?;
                rdn.push(Ava {
                    oid,
                    value: AvaValue::Untyped(unescape(v.trim())),
                });
            }
            if !rdn.is_empty() {
                rdns.push(rdn);
            }
        }
        if reversed {
            rdns.reverse();
        }
        (!rdns.is_empty()).then_some(Dn { rdns })
    }
}

impl std::fmt::Display for Dn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

impl Serialize for Dn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.display())
    }
}

fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for (i, c) in v.chars().enumerate() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == '#' || c == ' '))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn unescape(v: &str) -> String {
    let v = if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        &v[1..v.len() - 1]
    } else {
        v
    };
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits on `sep` outside double quotes and not escaped by a backslash.
fn split_unquoted(s: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                cur.push(c);
                escaped = true;
            }
            '"' => {
                cur.push(c);
                quoted = !quoted;
            }
            c if c == sep && !quoted => {
                if !cur.trim().is_empty() {
                    parts.push(std::mem::take(&mut cur));
                } else {
                    cur.clear();
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        parts.push(cur);
    }
    // OpenSSL's "/" form may contain a slash inside a value ("O=A/B" is printed
    // verbatim); glue parts without '=' back to the previous one.
    let mut glued: Vec<String> = Vec::new();
    for p in parts {
        if !p.contains('=') && !glued.is_empty() {
            let last = glued.last_mut().unwrap();
            last.push(sep);
            last.push_str(&p);
        } else {
            glued.push(p);
        }
    }
    glued
}

fn der_tlv(tag: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 6);
    out.push((tag & 0x1f) as u8);
    let len = data.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssl_forms_agree() {
        let a = Dn::parse_text("C = US, O = \"Example, Inc.\", CN = Example  CA").unwrap();
        let b = Dn::parse_text("/C=US/O=Example, Inc./CN=example ca").unwrap();
        let c = Dn::parse_text("CN=Example CA, O=Example\\, Inc., C=US").unwrap();
        assert_eq!(a.loose_key(), b.loose_key());
        assert_eq!(a.loose_key(), c.loose_key());
        assert_eq!(a.common_name().as_deref(), Some("Example  CA"));
        assert_eq!(c.display(), "CN=Example CA, O=Example\\, Inc., C=US");
    }

    #[test]
    fn ou_first_dns_in_openssl_order_are_not_reversed() {
        // GlobalSign's roots start with OU and end with CN in encoding order.
        let a = Dn::parse_text("OU = GlobalSign Root CA - R2, O = GlobalSign, CN = GlobalSign")
            .unwrap();
        let b = Dn::parse_text("/OU=GlobalSign Root CA - R2/O=GlobalSign/CN=GlobalSign").unwrap();
        assert_eq!(a.loose_key(), b.loose_key());
        // RFC 4514 order (CN first) is still read reversed.
        let c = Dn::parse_text("CN=GlobalSign, O=GlobalSign, OU=GlobalSign Root CA - R2").unwrap();
        assert_eq!(a.loose_key(), c.loose_key());
    }

    #[test]
    fn cn_first_names_in_openssl_order_are_not_reversed() {
        // Atos encodes CN first; OpenSSL prints encoding order, with "="
        // spaced (1.1 and later) or with slashes (1.0).
        let openssl =
            Dn::parse_text("CN = Atos TrustedRoot Root CA RSA TLS 2021, O = Atos, C = DE").unwrap();
        let slashes =
            Dn::parse_text("/CN=Atos TrustedRoot Root CA RSA TLS 2021/O=Atos/C=DE").unwrap();
        assert_eq!(openssl.loose_key(), slashes.loose_key());
        assert_eq!(openssl.rdns[0][0].oid, "2.5.4.3");
    }

    #[test]
    fn garbage_is_none() {
        assert!(Dn::parse_text("").is_none());
        assert!(Dn::parse_text("no equals here").is_none());
        assert!(Dn::parse_text("=x").is_none());
    }

    #[test]
    fn java_key_folds_case_and_space_only_for_directory_strings() {
        let p = |v: &str| Dn {
            rdns: vec![vec![Ava {
                oid: "2.5.4.3".into(),
                value: AvaValue::DirectoryString(v.into()),
            }]],
        };
        assert_eq!(p(" My   CA ").java_key(), p("my ca").java_key());
        let ia5 = |v: &str| Dn {
            rdns: vec![vec![Ava {
                oid: "1.2.840.113549.1.9.1".into(),
                value: AvaValue::OtherString {
                    text: v.into(),
                    der: der_tlv(22, v.as_bytes()),
                },
            }]],
        };
        assert_ne!(ia5("A@x").java_key(), ia5("a@x").java_key());
    }
}
#[cfg(test)]
mod more_tests {
    #[test]
    fn escaped_comma_round_trip() {
        let r = &crate::x509::roots::public_roots()[0];
        let d = super::Dn::parse_text(&r.subject.display()).unwrap();
        assert_eq!(
            d.loose_key(),
            r.subject.loose_key(),
            "{}",
            r.subject.display()
        );
    }
}
