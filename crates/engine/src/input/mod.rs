//! Recognising what was pasted or dropped: PEM blocks (whatever surrounds
//! them), DER certificates, PKCS#7 bundles, bare base64, and tool output.
//!
//! Everything here is bounded: input size, number of certificates, and the
//! work per line are limited so a hostile paste cannot stall the page.

pub mod capture;
pub mod errtext;
pub mod keystore;
pub mod keytool;
pub mod openssl;
pub mod pkcs12;

use std::borrow::Cow;
use std::sync::Arc;

use base64::Engine;
use serde::Serialize;
use x509_parser::der_parser::asn1_rs::{Any, FromDer, Tag};

/// Largest input we read, per paste or file.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;
/// Most certificates we take from one input.
pub const MAX_CERTIFICATES: usize = 5_000;

/// Most bytes read from all inputs of one analysis together.
pub const MAX_TOTAL_BYTES: usize = 2 * MAX_INPUT_BYTES;
/// Most certificates taken from all inputs of one analysis together.
pub const MAX_TOTAL_CERTIFICATES: usize = 2 * MAX_CERTIFICATES;
/// Most text lines the tool-output and error-text readers go through, over
/// all inputs of one analysis (a long log is read from its start).
pub const MAX_TOTAL_LINES: usize = 1_000_000;

/// What is left of the limits shared by all inputs of one analysis: the
/// per-input limits alone let many inputs add up without bound.
#[derive(Clone, Debug)]
pub struct Budget {
    bytes: usize,
    certificates: usize,
    lines: usize,
    /// What was cut, for the `input.limit` finding.
    pub cut: Vec<String>,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            bytes: MAX_TOTAL_BYTES,
            certificates: MAX_TOTAL_CERTIFICATES,
            lines: MAX_TOTAL_LINES,
            cut: Vec::new(),
        }
    }
}

impl Budget {
    /// The part of `bytes` still within the byte limit.
    pub fn bytes<'a>(&mut self, name: &str, bytes: &'a [u8]) -> &'a [u8] {
        let n = bytes.len().min(self.bytes);
        self.bytes -= n;
        if n < bytes.len() {
            self.cut.push(format!(
                "{name}: only {n} of its {} bytes were read (all inputs together are limited to {MAX_TOTAL_BYTES} bytes)",
                bytes.len()
            ));
        }
        &bytes[..n]
    }

    /// Keeps the certificates still within the certificate limit.
    pub fn certificates(&mut self, name: &str, certs: &mut Vec<FoundDer>) {
        let n = certs.len().min(self.certificates);
        self.certificates -= n;
        if n < certs.len() {
            self.cut.push(format!(
                "{name}: only {n} of its {} certificates were analysed (all inputs together are limited to {MAX_TOTAL_CERTIFICATES})",
                certs.len()
            ));
            certs.truncate(n);
        }
    }

    /// Cuts `text` after the lines still within the line limit.
    pub fn lines(&mut self, name: &str, text: &mut Cow<'_, str>) {
        if self.lines == 0 {
            if !text.is_empty() {
                self.cut.push(format!(
                    "{name}: its text was not read (all inputs together are limited to {MAX_TOTAL_LINES} lines)"
                ));
                *text = Cow::Borrowed("");
            }
            return;
        }
        let mut left = self.lines;
        let mut end = text.len();
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                if left == 0 {
                    end = i;
                    break;
                }
                left -= 1;
            }
        }
        if end < text.len() {
            self.cut.push(format!(
                "{name}: text after line {} was not read (all inputs together are limited to {MAX_TOTAL_LINES} lines)",
                self.lines
            ));
            match text {
                Cow::Borrowed(t) => *t = &t[..end],
                Cow::Owned(t) => t.truncate(end),
            }
            self.lines = 0;
        } else {
            // The last line has no newline, or the text is empty.
            self.lines =
                left.saturating_sub(usize::from(!text.is_empty() && !text.ends_with('\n')));
        }
    }
}

/// One certificate found in the input: its DER, or the certificate already
/// read from it (a PEM block is read to tell a certificate from damage; the
/// analysis takes that reading instead of a second one).
#[derive(Clone, Debug)]
pub struct FoundDer {
    /// Empty when `cert` holds the bytes (they are kept once).
    der: Vec<u8>,
    cert: Option<Arc<crate::x509::cert::Certificate>>,
    /// 1-based line where its block started, when the input was text.
    pub line: Option<usize>,
    /// Keystore alias (from a keystore file or a keytool listing).
    pub alias: Option<String>,
}

impl FoundDer {
    pub fn new(der: Vec<u8>, line: Option<usize>, alias: Option<String>) -> FoundDer {
        FoundDer {
            der,
            cert: None,
            line,
            alias,
        }
    }

    fn read(
        cert: crate::x509::cert::Certificate,
        line: Option<usize>,
        alias: Option<String>,
    ) -> FoundDer {
        FoundDer {
            der: Vec::new(),
            cert: Some(Arc::new(cert)),
            line,
            alias,
        }
    }

    /// The certificate's DER.
    pub fn der(&self) -> &[u8] {
        match &self.cert {
            Some(c) => &c.raw.der,
            None => &self.der,
        }
    }

    /// The certificate, read now unless it was already; `None` when the
    /// bytes are not one.
    pub fn into_certificate(self) -> Option<Arc<crate::x509::cert::Certificate>> {
        match self.cert {
            Some(c) => Some(c),
            None => crate::x509::cert::Certificate::from_der_vec(self.der)
                .ok()
                .map(Arc::new),
        }
    }
}

/// Something in the input the user should know about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "notice", rename_all = "kebab-case")]
pub enum Notice {
    /// A private key was pasted; it is ignored and never shown.
    PrivateKey { line: usize },
    /// A PEM block has no END line.
    TruncatedPem { line: usize, label: String },
    /// A PEM block's body is not valid base64.
    BadBase64 { line: usize, label: String },
    /// A block decoded but is not a certificate.
    NotACertificate { line: Option<usize>, reason: String },
    /// A PEM block of a kind we do not read (e.g. a certificate request).
    OtherPem { line: usize, label: String },
    /// The input is larger than we read.
    TooLarge { bytes: usize },
    /// More certificates than we analyse; the rest were dropped.
    TooManyCertificates { kept: usize },
    /// Binary input that is neither a DER certificate nor PKCS#7.
    UnreadableBinary,
    /// A keystore was read.
    Keystore {
        kind: crate::input::keystore::StoreKind,
        certificates: usize,
        private_keys: usize,
        skipped: usize,
        integrity: crate::input::keystore::Integrity,
    },
    /// A keystore could not be read.
    KeystoreProblem { message: String },
}

impl Notice {
    pub fn message(&self) -> String {
        match self {
            Notice::PrivateKey { line } => format!(
                "Line {line}: a PRIVATE KEY was pasted. It was ignored and is not shown. \
                 Never share a private key; if it left your hands, replace the certificate."
            ),
            Notice::TruncatedPem { line, label } => format!(
                "Line {line}: the {label} block has no matching END line; it was cut off. \
                 Copy the whole block, from -----BEGIN to -----END."
            ),
            Notice::BadBase64 { line, label } => format!(
                "Line {line}: the {label} block is damaged (its body is not valid base64). \
                 Copy it again without changing any character."
            ),
            Notice::NotACertificate { line, reason } => match line {
                Some(l) => {
                    format!("Line {l}: this block is not a readable certificate ({reason}).")
                }
                None => format!("The input is not a readable certificate ({reason})."),
            },
            Notice::OtherPem { line, label } => {
                format!("Line {line}: a {label} block is not a certificate and was skipped.")
            }
            Notice::TooLarge { bytes } => format!(
                "The input is {bytes} bytes; only the first {MAX_INPUT_BYTES} bytes were read."
            ),
            Notice::TooManyCertificates { kept } => {
                format!(
                    "More than {kept} certificates were given; only the first {kept} are analysed."
                )
            }
            Notice::UnreadableBinary => "The file is binary but neither a DER certificate, a \
                 PKCS#7 (.p7b) bundle nor a Java keystore. Export it as PEM or DER (.cer/.crt) and try again."
                .into(),
            Notice::Keystore { kind, certificates, private_keys, skipped, integrity } => {
                let mut m = format!("Read a {} keystore: {certificates} certificate(s)", kind.name());
                if *private_keys > 0 {
                    m.push_str(&format!(", {private_keys} private-key entr(y/ies) whose keys were ignored and are never shown"));
                }
                if *skipped > 0 {
                    m.push_str(&format!(", {skipped} secret-key entr(y/ies) skipped (entries after one cannot be read)"));
                }
                m.push_str(match integrity {
                    crate::input::keystore::Integrity::Verified => "; integrity checked with the password.",
                    crate::input::keystore::Integrity::NotChecked => "; integrity not checked (no password given).",
                });
                m
            }
            Notice::KeystoreProblem { message } => message.clone(),
        }
    }
}

/// What one input held.
#[derive(Clone, Debug, Default)]
pub struct Recognised<'a> {
    pub certificates: Vec<FoundDer>,
    pub notices: Vec<Notice>,
    /// The input as text (lossy), for the tool-output parsers: the input
    /// itself when it is UTF-8, not a second copy of it.
    pub text: Option<Cow<'a, str>>,
}

/// Reads one paste or file.
pub fn recognise(bytes: &[u8]) -> Recognised<'_> {
    recognise_with(bytes, None)
}

/// Reads one paste or file; `password` opens keystores.
pub fn recognise_with<'a>(bytes: &'a [u8], password: Option<&str>) -> Recognised<'a> {
    let mut out = Recognised::default();
    let bytes = if bytes.len() > MAX_INPUT_BYTES {
        out.notices.push(Notice::TooLarge { bytes: bytes.len() });
        &bytes[..MAX_INPUT_BYTES]
    } else {
        bytes
    };
    let looks_binary =
        bytes.first() == Some(&0x30) && bytes.len() > 1 && std::str::from_utf8(bytes).is_err();
    if crate::input::keystore::detect(bytes).is_some() {
        keystore(crate::input::keystore::read_jks(bytes, password), &mut out);
    } else if looks_binary {
        match der_certificates(bytes, None) {
            Some(found) => out.certificates = found,
            None if crate::input::keystore::looks_like_pkcs12(bytes) => keystore(
                crate::input::keystore::read_pkcs12(bytes, password),
                &mut out,
            ),
            None => out.notices.push(Notice::UnreadableBinary),
        }
    } else {
        // UTF-8 (nearly every paste) is checked by the faster validator;
        // the lossy decoder only runs for text that needs it.
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => Cow::Borrowed(t),
            Err(_) => String::from_utf8_lossy(bytes),
        };
        scan_text(&text, &mut out);
        out.text = Some(text);
    }
    if out.certificates.len() > MAX_CERTIFICATES {
        out.certificates.truncate(MAX_CERTIFICATES);
        out.notices.push(Notice::TooManyCertificates {
            kept: MAX_CERTIFICATES,
        });
    }
    out
}

fn keystore(
    r: Result<crate::input::keystore::ReadStore, crate::input::keystore::KeystoreError>,
    out: &mut Recognised<'_>,
) {
    match r {
        Ok(store) => {
            out.notices.push(Notice::Keystore {
                kind: store.kind,
                certificates: store.certificates.len(),
                private_keys: store.private_keys,
                skipped: store.skipped,
                integrity: store.integrity,
            });
            out.certificates.extend(
                store
                    .certificates
                    .into_iter()
                    .map(|c| FoundDer::new(c.der, None, Some(c.alias))),
            );
        }
        Err(e) => out.notices.push(Notice::KeystoreProblem {
            message: e.to_string(),
        }),
    }
}

/// A DER blob as certificates: one certificate, or a PKCS#7 bundle (noted
/// at `line`).
fn der_certificates(der: &[u8], line: Option<usize>) -> Option<Vec<FoundDer>> {
    if let Ok(c) = crate::x509::cert::Certificate::from_der(der) {
        return Some(vec![FoundDer::read(c, line, None)]);
    }
    Some(
        pkcs7_certificates(der)?
            .into_iter()
            .map(|der| FoundDer::new(der, line, None))
            .collect(),
    )
}

/// Strips e-mail quoting (`> `, `>> `) and indentation from a line.
fn unquote(line: &str) -> &str {
    let mut l = line.trim_start();
    while let Some(rest) = l.strip_prefix('>') {
        l = rest.trim_start();
    }
    l.trim_end()
}

/// The label of a `-----BEGIN x-----` (`what` = `BEGIN`) or END line.
/// Called for every line of a paste, so it allocates nothing.
fn pem_label<'l>(line: &'l str, what: &str) -> Option<&'l str> {
    let mut from = 0;
    let rest = loop {
        let i = from + find_dashes(line.get(from..)?)?;
        let after = &line[i + 5..];
        if let Some(r) = after.strip_prefix(what).and_then(|r| r.strip_prefix(' ')) {
            break r;
        }
        from = i + 1;
    };
    let end = find_dashes(rest)?;
    Some(rest[..end].trim())
}

/// Where `-----` first starts in `s`, found by its first dash (a byte
/// search): nearly every line of a paste is base64, which has no dash, and
/// a substring searcher set up for each of them cost more than the search.
fn find_dashes(s: &str) -> Option<usize> {
    let mut from = 0;
    loop {
        let i = from + s.get(from..)?.find('-')?;
        if s[i..].starts_with("-----") {
            return Some(i);
        }
        from = i + 1;
    }
}

fn scan_text(text: &str, out: &mut Recognised<'_>) {
    // Lines are read as they come (a list of them held 4 MB for a 10 MB
    // paste); the line that ends a block without closing it is read again.
    let mut lines = text.lines().enumerate();
    let mut again: Option<(usize, &str)> = None;
    let mut any_block = false;
    // keytool -list -rfc prints "Alias name: x" before each PEM block.
    let mut alias: Option<String> = None;
    // One buffer for every block's base64.
    let mut body = String::new();
    while let Some((i, raw)) = again.take().or_else(|| lines.next()) {
        let line = unquote(raw);
        if let Some(a) = line
            .strip_prefix("Alias name:")
            .or_else(|| line.strip_prefix("Alias:"))
        {
            alias = Some(a.trim().to_string()).filter(|a| !a.is_empty());
        }
        let Some(label) = pem_label(line, "BEGIN") else {
            continue;
        };
        any_block = true;
        let start = i + 1;
        body.clear();
        let mut ended = false;
        for (j, raw) in lines.by_ref() {
            let l = unquote(raw);
            if let Some(end_label) = pem_label(l, "END") {
                if end_label == label {
                    ended = true;
                } else {
                    again = Some((j, raw));
                }
                break;
            }
            if pem_label(l, "BEGIN").is_some() {
                again = Some((j, raw));
                break;
            }
            // RFC 1421 headers (Proc-Type:, DEK-Info:) carry no base64.
            if !l.contains(':') {
                body.push_str(l);
            }
        }
        if !ended {
            out.notices.push(Notice::TruncatedPem {
                line: start,
                label: label.to_string(),
            });
            continue;
        }
        if label.contains("PRIVATE KEY") {
            out.notices.push(Notice::PrivateKey { line: start });
            continue;
        }
        let der = match base64::engine::general_purpose::STANDARD.decode(body.as_bytes()) {
            Ok(d) => d,
            Err(_) => {
                out.notices.push(Notice::BadBase64 {
                    line: start,
                    label: label.to_string(),
                });
                continue;
            }
        };
        match label {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                match crate::x509::cert::Certificate::from_der_vec(der) {
                    Ok(c) => out
                        .certificates
                        .push(FoundDer::read(c, Some(start), alias.take())),
                    Err(e) => out.notices.push(Notice::NotACertificate {
                        line: Some(start),
                        reason: e.0,
                    }),
                }
            }
            "PKCS7" | "PKCS #7 SIGNED DATA" | "CMS" => match pkcs7_certificates(&der) {
                Some(ders) => out.certificates.extend(
                    ders.into_iter()
                        .map(|der| FoundDer::new(der, Some(start), None)),
                ),
                None => out.notices.push(Notice::NotACertificate {
                    line: Some(start),
                    reason: "not a PKCS#7 certificate bundle".into(),
                }),
            },
            _ => out.notices.push(Notice::OtherPem {
                line: start,
                label: label.to_string(),
            }),
        }
    }
    if !any_block {
        // Base64 without PEM headers (a certificate copied from a Windows dialog
        // or a keystore viewer): only when the whole text is base64.
        let compact: String = text.split_whitespace().map(unquote).collect();
        if compact.len() >= 64
            && compact
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
        {
            if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
                match der_certificates(&der, Some(1)) {
                    Some(found) => out.certificates.extend(found),
                    None => out.notices.push(Notice::NotACertificate {
                        line: Some(1),
                        reason: "base64 text that decodes to neither a certificate nor PKCS#7"
                            .into(),
                    }),
                }
            }
        }
    }
}

/// Certificates inside a PKCS#7 SignedData (a `.p7b` as Windows exports).
///
/// ContentInfo ::= SEQUENCE { contentType OID, [0] EXPLICIT SignedData }
/// SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo,
///                           [0] IMPLICIT certificates SET OF Certificate OPTIONAL, ... }
pub fn pkcs7_certificates(der: &[u8]) -> Option<Vec<Vec<u8>>> {
    let (_, content_info) = Any::from_der(der).ok()?;
    if content_info.tag() != Tag::Sequence {
        return None;
    }
    let (rest, oid) = Any::from_der(content_info.data).ok()?;
    let oid = oid.as_oid().ok()?;
    if oid.to_id_string() != "1.2.840.113549.1.7.2" {
        return None;
    }
    let (_, explicit) = Any::from_der(rest).ok()?;
    let (_, signed_data) = Any::from_der(explicit.data).ok()?;
    let mut body: &[u8] = signed_data.data;
    let mut certs = Vec::new();
    // Walk the SignedData fields; the certificates are the [0] IMPLICIT field.
    for _ in 0..8 {
        if body.is_empty() {
            break;
        }
        let (rest, field) = Any::from_der(body).ok()?;
        let consumed = body.len() - rest.len();
        if field.header.is_contextspecific() && field.tag().0 == 0 {
            let mut set: &[u8] = field.data;
            while !set.is_empty() && certs.len() < MAX_CERTIFICATES {
                let (r, _) = Any::from_der(set).ok()?;
                let len = set.len() - r.len();
                certs.push(set[..len].to_vec());
                set = r;
            }
        }
        body = &body[consumed..];
    }
    Some(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_key_is_noted_and_dropped() {
        let r = recognise(b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        assert!(r.certificates.is_empty());
        assert_eq!(r.notices, vec![Notice::PrivateKey { line: 1 }]);
    }

    #[test]
    fn truncated_block_is_noted() {
        let r = recognise(b"hello\n-----BEGIN CERTIFICATE-----\nMIIB\n");
        assert_eq!(
            r.notices,
            vec![Notice::TruncatedPem {
                line: 2,
                label: "CERTIFICATE".into()
            }]
        );
    }

    #[test]
    fn pem_labels_are_found_after_other_dashes() {
        assert_eq!(
            pem_label("-----BEGIN CERTIFICATE-----", "BEGIN"),
            Some("CERTIFICATE")
        );
        assert_eq!(
            pem_label("> -- log -------BEGIN X509 CERTIFICATE----- ", "BEGIN"),
            Some("X509 CERTIFICATE")
        );
        assert_eq!(pem_label("-----END CERTIFICATE-----", "BEGIN"), None);
        assert_eq!(pem_label("-----BEGIN CERTIFICATE", "BEGIN"), None);
        assert_eq!(
            pem_label("MIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBBQUA", "END"),
            None
        );
    }

    #[test]
    fn a_block_cut_by_the_next_one_is_noted_and_the_next_read() {
        let mut t = String::from("-----BEGIN CERTIFICATE-----\nMIIB\n");
        t.push_str(concat!(
            "-----BEGIN CERTIFICATE-----\n",
            "MIIBtjCCAVugAwIBAgITBmyf1XSXNmY/Owua2eiedgPySjAKBggqhkjOPQQDAjA5\n",
            "-----END CERTIFICATE-----\n"
        ));
        let r = recognise(t.as_bytes());
        assert_eq!(
            r.notices[0],
            Notice::TruncatedPem {
                line: 1,
                label: "CERTIFICATE".into()
            }
        );
        // The second block was read from its own BEGIN line (line 3).
        assert!(matches!(
            r.notices.get(1),
            Some(Notice::NotACertificate { line: Some(3), .. } | Notice::BadBase64 { line: 3, .. })
        ));
    }

    #[test]
    fn garbage_binary_is_unreadable() {
        let r = recognise(&[0x30, 0xff, 0xfe, 0x00, 0x80]);
        assert_eq!(r.notices, vec![Notice::UnreadableBinary]);
    }
}
