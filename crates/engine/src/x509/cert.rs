//! The certificate model: every field an admin compares by hand, read once
//! from DER into owned data so the rest of the engine never touches ASN.1.

use serde::Serialize;
use sha1::Sha1;

use super::fingerprint::{Fingerprint, Sha1Fingerprint, Sha256Fingerprint};
use sha2::{Digest, Sha256};
use x509_parser::extensions::{DistributionPointName, GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::x509::dn::Dn;

/// Where a certificate came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Presented by the server (or pasted as the server's chain).
    Server,
    /// Given by the user as what the archiver trusts.
    TrustStore,
    /// The bundled Mozilla root set.
    PublicRoots,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::Server => "sent by the server",
            Source::TrustStore => "your trust store",
            Source::PublicRoots => "bundled public roots",
        }
    }
}

/// Hash used inside a signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Hash {
    Md2,
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn from_oid(oid: &str) -> Option<Hash> {
        Some(match oid {
            "1.3.14.3.2.26" => Hash::Sha1,
            "2.16.840.1.101.3.4.2.1" => Hash::Sha256,
            "2.16.840.1.101.3.4.2.2" => Hash::Sha384,
            "2.16.840.1.101.3.4.2.3" => Hash::Sha512,
            "2.16.840.1.101.3.4.2.4" => Hash::Sha224,
            "1.2.840.113549.2.5" => Hash::Md5,
            "1.2.840.113549.2.2" => Hash::Md2,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            Hash::Md2 => "MD2",
            Hash::Md5 => "MD5",
            Hash::Sha1 => "SHA1",
            Hash::Sha224 => "SHA224",
            Hash::Sha256 => "SHA256",
            Hash::Sha384 => "SHA384",
            Hash::Sha512 => "SHA512",
        }
    }
}

/// The algorithm an issuer used to sign a certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SignatureAlgorithm {
    RsaPkcs1 { hash: Hash },
    RsaPss { hash: Hash, salt_len: usize },
    Ecdsa { hash: Hash },
    Ed25519,
    Dsa { hash: Hash },
    Unknown { oid: String },
}

impl SignatureAlgorithm {
    /// The hash, when the algorithm has one.
    pub fn hash(&self) -> Option<Hash> {
        match self {
            SignatureAlgorithm::RsaPkcs1 { hash }
            | SignatureAlgorithm::RsaPss { hash, .. }
            | SignatureAlgorithm::Ecdsa { hash }
            | SignatureAlgorithm::Dsa { hash } => Some(*hash),
            _ => None,
        }
    }
    /// The name Java uses (`SHA256withRSA`), as keytool prints it.
    pub fn java_name(&self) -> String {
        match self {
            SignatureAlgorithm::RsaPkcs1 { hash } => format!("{}withRSA", hash.name()),
            SignatureAlgorithm::RsaPss { hash, .. } => format!("RSASSA-PSS ({})", hash.name()),
            SignatureAlgorithm::Ecdsa { hash } => format!("{}withECDSA", hash.name()),
            SignatureAlgorithm::Ed25519 => "Ed25519".into(),
            SignatureAlgorithm::Dsa { hash } => format!("{}withDSA", hash.name()),
            SignatureAlgorithm::Unknown { oid } => format!("OID {oid}"),
        }
    }
}

/// The public key of a certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum KeyInfo {
    Rsa { bits: usize },
    Ec { curve: String, bits: usize },
    Ed25519,
    Dsa { bits: usize },
    Unknown { oid: String },
}

impl KeyInfo {
    pub fn describe(&self) -> String {
        match self {
            KeyInfo::Rsa { bits } => format!("RSA {bits} bits"),
            KeyInfo::Ec { curve, bits } => format!("EC {curve} ({bits} bits)"),
            KeyInfo::Ed25519 => "Ed25519".into(),
            KeyInfo::Dsa { bits } => format!("DSA {bits} bits"),
            KeyInfo::Unknown { oid } => format!("key type {oid}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BasicConstraints {
    pub ca: bool,
    pub path_len: Option<u32>,
}

/// A parsed certificate. Fields are public data for the report; the raw
/// pieces needed to verify signatures are kept beside them.
#[derive(Clone, Debug, Serialize)]
pub struct Certificate {
    pub subject: Dn,
    pub issuer: Dn,
    pub subject_cn: Option<String>,
    pub issuer_cn: Option<String>,
    pub version: u32,
    /// Serial number, colon-separated hex as keytool shows it.
    pub serial: String,
    /// Validity bounds, seconds since the Unix epoch.
    pub not_before: i64,
    pub not_after: i64,
    pub dns_names: NameList,
    pub ip_addresses: Vec<String>,
    pub key: KeyInfo,
    pub signature_algorithm: SignatureAlgorithm,
    /// Fingerprints; shown and serialised in keytool's colon-hex form.
    pub sha256: Sha256Fingerprint,
    pub sha1: Sha1Fingerprint,
    pub basic_constraints: Option<BasicConstraints>,
    /// Key usage bits by name; `None` when the extension is absent.
    pub key_usage: Option<Vec<String>>,
    /// Extended key usage by name or OID; `None` when absent.
    pub extended_key_usage: Option<Vec<String>>,
    pub subject_key_id: Option<String>,
    pub authority_key_id: Option<String>,
    pub ca_issuers: Vec<String>,
    pub ocsp: Vec<String>,
    pub crl_points: Vec<String>,
    /// Subject DN equals Issuer DN.
    pub self_issued: bool,
    #[serde(skip)]
    pub raw: Raw,
}

/// The bytes signature checks need.
///
/// The certificate's bytes are held once: the to-be-signed part, the
/// signature and the key are ranges into `der` (a 10 MB paste of 4,000
/// certificates held the to-be-signed part twice, 7 MB more).
#[derive(Clone, Debug, Default)]
pub struct Raw {
    pub der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    signature: std::ops::Range<usize>,
    public_key: std::ops::Range<usize>,
    spki: std::ops::Range<usize>,
    /// OIDs of the extensions marked critical.
    pub critical_extensions: Vec<String>,
    /// The certificate has a subjectAltName extension (even an empty or
    /// unreadable one): Java then never falls back to the CN for an IP host.
    pub san_present: bool,
    /// rfc822Name entries of the subjectAltName (for name constraints).
    pub emails: Vec<String>,
    /// OIDs of non-critical extensions Java decodes itself that cannot be
    /// decoded: JDK 17 reads them as absent; from 21 on, the getters of
    /// extended key usage and subjectAltName throw for them.
    pub undecodable: Vec<String>,
    /// An ediPartyName in the subjectAltName or the NameConstraints whose
    /// partyName Java does not find (it reads only an IMPLICIT `[1]`; RFC
    /// 5280's DirectoryString makes it EXPLICIT): JDK 21 and later refuse
    /// to parse the certificate when the extension is critical and drop the
    /// extension when it is not; 17 fails when it re-encodes the name.
    /// `Some(critical)` of the extension that holds one.
    pub edi_party_name: Option<bool>,
    /// The NameConstraints extension, when there is one.
    pub name_constraints: Option<NameConstraints>,
    /// Why the JDK's X509CertImpl refuses to parse this certificate, when it
    /// does (an empty issuer, duplicate extensions), though this parser reads it.
    pub java_parse_error: Option<String>,
    pub subject_key: String,
    pub issuer_key: String,
}

impl Raw {
    fn piece(&self, r: &std::ops::Range<usize>) -> &[u8] {
        self.der.get(r.clone()).unwrap_or_default()
    }

    /// The to-be-signed part the signature covers.
    pub fn tbs(&self) -> &[u8] {
        self.piece(&self.tbs)
    }

    /// The signature BIT STRING contents.
    pub fn signature(&self) -> &[u8] {
        self.piece(&self.signature)
    }

    /// The subjectPublicKey BIT STRING contents.
    pub fn public_key(&self) -> &[u8] {
        self.piece(&self.public_key)
    }

    /// The whole SubjectPublicKeyInfo (DSA keys keep p, q, g in its parameters).
    pub fn spki(&self) -> &[u8] {
        self.piece(&self.spki)
    }
}

/// Names of one kind (a certificate's DNS names) in one string: hosting
/// certificates carry dozens each, and a string apiece (with its allocation
/// and list slot) was the largest part of a 4,000-certificate paste's memory.
/// Serialised as the list of names.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NameList {
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<u32>,
}

impl NameList {
    fn reserve_exact(&mut self, names: usize, bytes: usize) {
        self.ends.reserve_exact(names);
        self.text.reserve_exact(bytes);
    }

    fn push(&mut self, name: &str) {
        // A name past 4 GiB cannot be in a certificate the input limits allow.
        let Ok(end) = u32::try_from(self.text.len() + name.len()) else {
            return;
        };
        self.text.push_str(name);
        self.ends.push(end);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The names in their order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.ends.iter().enumerate().map(|(i, &end)| {
            let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
            self.text.get(start..end as usize).unwrap_or_default()
        })
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl std::fmt::Debug for NameList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for NameList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// A subjectAltName entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SanName {
    Dns(String),
    Ip(Vec<u8>),
    Email(String),
    Uri(String),
    /// A directory name: its Java name key and its display form.
    Dir(String, String),
    Rid(String),
    /// otherName, x400Address or ediPartyName.
    Unsupported(&'static str),
}

/// The NameConstraints extension, reduced to what Java's checks compare.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameConstraints {
    pub permitted: Vec<ConstraintName>,
    pub excluded: Vec<ConstraintName>,
}

/// One subtree base of a NameConstraints extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConstraintName {
    Dns(String),
    /// Address followed by its mask (8 or 32 bytes).
    Ip(Vec<u8>),
    /// A directory name: its Java name key and its display form.
    Dir {
        key: String,
        display: String,
    },
    Email(String),
    Uri(String),
    /// A registeredID, dotted.
    Rid(String),
    /// otherName, x400Address or ediPartyName: Java throws when it has to
    /// compare two names of one of these forms.
    Unsupported(&'static str),
    /// Another name form, by its description.
    Other(String),
}

impl ConstraintName {
    pub fn describe(&self) -> String {
        match self {
            ConstraintName::Dns(d) => format!("DNS:{d}"),
            ConstraintName::Ip(b) if b.len() == 8 || b.len() == 32 => {
                let (a, m) = b.split_at(b.len() / 2);
                format!("IP:{}/{}", ip_text(a), ip_text(m))
            }
            ConstraintName::Ip(b) => format!("IP:{}", colon_hex(b)),
            ConstraintName::Dir { display, .. } => format!("DirName:{display}"),
            ConstraintName::Email(e) => format!("email:{e}"),
            ConstraintName::Uri(u) => format!("URI:{u}"),
            ConstraintName::Rid(o) => format!("RID:{o}"),
            ConstraintName::Unsupported(k) => (*k).to_string(),
            ConstraintName::Other(o) => o.clone(),
        }
    }
}

fn constraint_name(n: &GeneralName<'_>) -> ConstraintName {
    match n {
        GeneralName::DNSName(d) => ConstraintName::Dns(d.to_string()),
        GeneralName::IPAddress(b) => ConstraintName::Ip(b.to_vec()),
        GeneralName::DirectoryName(dn) => {
            let d = Dn::from_x509(dn);
            ConstraintName::Dir {
                key: d.java_key(),
                display: d.display(),
            }
        }
        GeneralName::RFC822Name(e) => ConstraintName::Email(e.to_string()),
        GeneralName::URI(u) => ConstraintName::Uri(u.to_string()),
        GeneralName::RegisteredID(o) => ConstraintName::Rid(o.to_id_string()),
        GeneralName::OtherName(..) => ConstraintName::Unsupported("otherName"),
        GeneralName::X400Address(_) => ConstraintName::Unsupported("x400Address"),
        GeneralName::EDIPartyName(_) => ConstraintName::Unsupported("ediPartyName"),
        other => ConstraintName::Other(format!("{other:?}")),
    }
}

/// An ediPartyName without the primitive `[1]` partyName Java's
/// `EDIPartyName(DerValue)` looks for.
fn edi_without_party_name(n: &GeneralName<'_>) -> bool {
    let GeneralName::EDIPartyName(any) = n else {
        return false;
    };
    let mut rest = any.data;
    while let Some((tag, _, next)) = der_next(rest) {
        if tag == 0x81 {
            return false;
        }
        rest = next;
    }
    true
}

fn san_name(n: &GeneralName<'_>) -> Option<SanName> {
    Some(match n {
        GeneralName::DNSName(d) => SanName::Dns(d.to_string()),
        GeneralName::IPAddress(b) => SanName::Ip(b.to_vec()),
        GeneralName::RFC822Name(e) => SanName::Email(e.to_string()),
        GeneralName::URI(u) => SanName::Uri(u.to_string()),
        GeneralName::DirectoryName(d) => {
            let d = Dn::from_x509(d);
            SanName::Dir(d.java_key(), d.display())
        }
        GeneralName::RegisteredID(o) => SanName::Rid(o.to_id_string()),
        GeneralName::OtherName(..) => SanName::Unsupported("otherName"),
        GeneralName::X400Address(_) => SanName::Unsupported("x400Address"),
        GeneralName::EDIPartyName(_) => SanName::Unsupported("ediPartyName"),
        GeneralName::Invalid(..) => return None,
    })
}

/// Extensions `X509CertImpl` decodes itself (`OIDMap`) that this parser
/// decodes too: when one of them is critical and cannot be decoded, Java
/// refuses the whole certificate; a non-critical one is dropped.
const JAVA_DECODED: [&str; 15] = [
    "2.5.29.14",
    "2.5.29.15",
    "2.5.29.17",
    "2.5.29.18",
    "2.5.29.19",
    "2.5.29.30",
    "2.5.29.31",
    "2.5.29.32",
    "2.5.29.33",
    "2.5.29.35",
    "2.5.29.36",
    "2.5.29.37",
    "2.5.29.54",
    "1.3.6.1.5.5.7.1.1",
    "1.3.6.1.5.5.7.1.11",
];

/// `X509CertInfo.parse`'s rules for what may follow the public key: a v1
/// certificate nothing, a v2 certificate only unique identifiers, and
/// extensions only with version 3 (a version field of 2). Returns Java's
/// message, and whether Java goes on to read extensions.
fn java_layout(tbs: &[u8]) -> (Option<&'static str>, bool) {
    let Some(body) = der_body(tbs) else {
        return (None, true);
    };
    let mut els = Vec::new();
    let mut rest = body;
    while let Some((tag, content, next)) = der_next(rest) {
        els.push((tag, content));
        rest = next;
    }
    let (version, fields) = match els.first() {
        Some((0xA0, content)) => {
            let v = der_next(content)
                .filter(|(t, c, _)| *t == 0x02 && !c.is_empty() && c.len() <= 4)
                .map_or(-1, |(_, c, _)| {
                    c.iter()
                        .fold(if c[0] & 0x80 != 0 { -1i64 } else { 0 }, |a, b| {
                            (a << 8) | i64::from(*b)
                        })
                });
            (v, &els[1..])
        }
        _ => (0, &els[..]),
    };
    // serial, signature, issuer, validity, subject, subjectPublicKeyInfo
    let mut more = fields.iter().skip(6).peekable();
    if more.peek().is_none() {
        return (None, false);
    }
    if version == 0 {
        return (
            Some("no more data allowed for version 1 certificate"),
            false,
        );
    }
    let mut more = more.skip_while(|(t, _)| *t == 0x81 || *t == 0xA1 || *t == 0x82 || *t == 0xA2);
    if more.next().is_none() {
        return (None, false);
    }
    if version != 2 {
        return (Some("Extensions not allowed in v2 certificate"), false);
    }
    (None, true)
}

/// The content of a DER element with a definite length.
fn der_body(b: &[u8]) -> Option<&[u8]> {
    der_next(b).map(|(_, c, _)| c)
}

/// (tag, content, rest) of the first DER element of `b`.
pub(crate) fn der_next(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    let (len, head) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7F);
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = b.get(2..2 + n)?;
        (
            bytes.iter().fold(0usize, |a, x| (a << 8) | usize::from(*x)),
            2 + n,
        )
    };
    let content = b.get(head..head.checked_add(len)?)?;
    Some((tag, content, &b[head + len..]))
}

/// [`der_next`] for DER proper: the length in its shortest form, as the
/// keys and signatures inside a certificate must write it.
pub(crate) fn der_next_minimal(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let next = der_next(b)?;
    let first = *b.get(1)?;
    let minimal = first < 0x80 || (b.get(2) != Some(&0) && next.1.len() >= 0x80);
    minimal.then_some(next)
}

/// A DER INTEGER (shortest length, no redundant leading zero) as an
/// unsigned magnitude, as Java's `getPositiveBigInteger` reads it (a missing
/// 00 pad is the positive number meant), and the rest of the input.
pub(crate) fn der_unsigned(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let (tag, body, rest) = der_next_minimal(b)?;
    match body {
        _ if tag != 0x02 => None,
        [] => None,
        [0, next, ..] if next & 0x80 == 0 => None,
        _ => Some((body, rest)),
    }
}

/// Why bytes are not a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotACertificate(pub String);

impl std::fmt::Display for NotACertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a readable X.509 certificate ({})", self.0)
    }
}

pub fn colon_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // One string, no allocation per byte; digits by table (the formatter
    // was a visible share of reading thousands of certificates).
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s
}

fn general_name_text(name: &GeneralName<'_>) -> Option<String> {
    match name {
        GeneralName::URI(u) => Some((*u).to_string()),
        GeneralName::DNSName(d) => Some((*d).to_string()),
        _ => None,
    }
}

const KU_NAMES: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

fn eku_name(oid: &str) -> String {
    match oid {
        "1.3.6.1.5.5.7.3.1" => "serverAuth".into(),
        "1.3.6.1.5.5.7.3.2" => "clientAuth".into(),
        "1.3.6.1.5.5.7.3.3" => "codeSigning".into(),
        "1.3.6.1.5.5.7.3.4" => "emailProtection".into(),
        "1.3.6.1.5.5.7.3.8" => "timeStamping".into(),
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning".into(),
        "2.5.29.37.0" => "anyExtendedKeyUsage".into(),
        o => o.to_string(),
    }
}

impl Certificate {
    /// Parses one DER certificate. Trailing bytes (as in OpenSSL's
    /// `TRUSTED CERTIFICATE`, which appends trust settings) are ignored.
    pub fn from_der(der: &[u8]) -> Result<Certificate, NotACertificate> {
        let (mut c, len) = Certificate::read(der)?;
        c.raw.der = der[..len].to_vec();
        Ok(c)
    }

    /// [`Certificate::from_der`] keeping `der` itself (no copy of the bytes).
    pub fn from_der_vec(mut der: Vec<u8>) -> Result<Certificate, NotACertificate> {
        let (mut c, len) = Certificate::read(&der)?;
        if len < der.len() {
            der.truncate(len);
        }
        der.shrink_to_fit();
        c.raw.der = der;
        Ok(c)
    }

    /// Everything but `raw.der`, which the caller sets to the first `len`
    /// bytes of `input` (the ranges in `raw` point into them). Not inlined:
    /// one copy of this large function in the page's wasm, not two.
    #[inline(never)]
    fn read(input: &[u8]) -> Result<(Certificate, usize), NotACertificate> {
        let (rest, x) =
            X509Certificate::from_der(input).map_err(|e| NotACertificate(e.to_string()))?;
        let der = &input[..input.len() - rest.len()];
        let subject = Dn::from_x509(x.subject());
        let issuer = Dn::from_x509(x.issuer());
        let spki = x.public_key();
        let key = match spki.parsed() {
            Ok(PublicKey::RSA(r)) => KeyInfo::Rsa { bits: r.key_size() },
            Ok(PublicKey::EC(p)) => {
                let curve_oid = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.as_oid().ok())
                    .map(|o| o.to_id_string())
                    .unwrap_or_default();
                let curve = match curve_oid.as_str() {
                    "1.2.840.10045.3.1.7" => "P-256".to_string(),
                    "1.3.132.0.34" => "P-384".to_string(),
                    "1.3.132.0.35" => "P-521".to_string(),
                    "1.3.132.0.10" => "secp256k1".to_string(),
                    "1.2.840.10045.3.1.1" => "P-192".to_string(),
                    "1.3.132.0.33" => "P-224".to_string(),
                    o => o.to_string(),
                };
                KeyInfo::Ec {
                    curve,
                    bits: p.key_size(),
                }
            }
            Ok(PublicKey::DSA(y)) => KeyInfo::Dsa { bits: y.len() * 8 },
            _ => {
                let oid = spki.algorithm.algorithm.to_id_string();
                if oid == "1.3.101.112" {
                    KeyInfo::Ed25519
                } else {
                    KeyInfo::Unknown { oid }
                }
            }
        };
        let signature_algorithm = signature_algorithm(&x);
        let (subject_key, issuer_key) = (subject.java_key(), issuer.java_key());
        let mut c = Certificate {
            subject_cn: subject.common_name(),
            issuer_cn: issuer.common_name(),
            self_issued: subject_key == issuer_key,
            subject,
            issuer,
            version: x.version().0 + 1,
            serial: colon_hex(x.raw_serial()),
            not_before: x.validity().not_before.timestamp(),
            not_after: x.validity().not_after.timestamp(),
            dns_names: NameList::default(),
            ip_addresses: vec![],
            key,
            signature_algorithm,
            sha256: Fingerprint(Sha256::digest(der).into()),
            sha1: Fingerprint(Sha1::digest(der).into()),
            basic_constraints: None,
            key_usage: None,
            extended_key_usage: None,
            subject_key_id: None,
            authority_key_id: None,
            ca_issuers: vec![],
            ocsp: vec![],
            crl_points: vec![],
            raw: Raw {
                subject_key,
                issuer_key,
                ..Raw::default()
            },
        };
        // The parser lends every piece from its input (asn1-rs borrows a
        // BIT STRING's bytes too); a piece from elsewhere is refused rather
        // than copied.
        let lent = |piece: &[u8]| {
            range_in(der, piece).ok_or_else(|| NotACertificate("a part not inside the DER".into()))
        };
        c.raw.tbs = lent(x.tbs_certificate.as_ref())?;
        c.raw.signature = lent(&x.signature_value.data)?;
        c.raw.public_key = lent(&spki.subject_public_key.data)?;
        c.raw.spki = lent(spki.raw)?;
        // X509CertImpl refuses these, so the JDK never gets to a trust
        // decision. Checked in the order X509CertInfo.parse meets them.
        let (layout, reads_extensions) = java_layout(x.tbs_certificate.as_ref());
        if c.issuer.rdns.is_empty() {
            c.raw.java_parse_error = Some("Empty issuer DN not allowed in X509Certificates".into());
        } else if c.subject.rdns.is_empty() && x.version().0 == 0 {
            c.raw.java_parse_error = Some("Empty subject DN not allowed in v1 certificate".into());
        } else if let Some(m) = layout {
            c.raw.java_parse_error = Some(m.into());
        } else if reads_extensions {
            // A handful of extensions: a list is cheaper than hashing.
            let mut seen: Vec<String> = Vec::new();
            let mut san: Option<(bool, usize)> = None;
            for ext in x.extensions() {
                let oid = ext.oid.to_id_string();
                let broken = matches!(ext.parsed_extension(), ParsedExtension::ParseError { .. })
                    && JAVA_DECODED.contains(&oid.as_str());
                if broken && !ext.critical {
                    c.raw.undecodable.push(oid.clone());
                }
                if broken && ext.critical {
                    c.raw.java_parse_error =
                        Some(format!("the critical extension {oid} cannot be decoded"));
                    break;
                }
                if !broken {
                    if seen.contains(&oid) {
                        c.raw.java_parse_error =
                            Some(format!("Duplicate extensions not allowed ({oid})"));
                        break;
                    }
                    seen.push(oid);
                }
                if let ParsedExtension::SubjectAlternativeName(s) = ext.parsed_extension() {
                    san = Some((ext.critical, s.general_names.len()));
                }
            }
            // X509CertInfo.verifyCert: an empty subject needs a critical,
            // non-empty subjectAltName.
            if c.raw.java_parse_error.is_none() && c.subject.rdns.is_empty() {
                let why = match san {
                    None => Some("subject field is empty, and SubjectAlternativeName extension is absent"),
                    Some((_, 0)) => Some("subject field is empty, and SubjectAlternativeName extension is empty"),
                    Some((false, _)) => Some("SubjectAlternativeName extension MUST be marked critical when subject field is empty"),
                    Some((true, _)) => None,
                };
                c.raw.java_parse_error =
                    why.map(|w| format!("X.509 Certificate is incomplete: {w}"));
            }
        }
        for ext in x.extensions() {
            let oid = ext.oid.to_id_string();
            if ext.critical {
                c.raw.critical_extensions.push(oid.clone());
            }
            // An undecodable non-critical SAN is dropped by Java (kept as
            // an UnparseableExtension): as if there were none.
            if oid == "2.5.29.17"
                && !matches!(ext.parsed_extension(), ParsedExtension::ParseError { .. })
            {
                c.raw.san_present = true;
            }
            match ext.parsed_extension() {
                ParsedExtension::NameConstraints(nc) => {
                    let list = |v: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| {
                        v.iter()
                            .flatten()
                            .map(|s| constraint_name(&s.base))
                            .collect::<Vec<_>>()
                    };
                    if nc
                        .permitted_subtrees
                        .iter()
                        .chain(nc.excluded_subtrees.iter())
                        .flatten()
                        .any(|t| edi_without_party_name(&t.base))
                    {
                        c.raw.edi_party_name = Some(ext.critical);
                    }
                    c.raw.name_constraints = Some(NameConstraints {
                        permitted: list(&nc.permitted_subtrees),
                        excluded: list(&nc.excluded_subtrees),
                    });
                }
                ParsedExtension::BasicConstraints(bc) => {
                    c.basic_constraints = Some(BasicConstraints {
                        ca: bc.ca,
                        path_len: bc.path_len_constraint,
                    })
                }
                ParsedExtension::KeyUsage(ku) => {
                    c.key_usage = Some(
                        KU_NAMES
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| ku.flags & (1 << i) != 0)
                            .map(|(_, n)| n.to_string())
                            .collect(),
                    )
                }
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    let mut v = Vec::new();
                    if eku.any {
                        v.push("anyExtendedKeyUsage".to_string());
                    }
                    if eku.server_auth {
                        v.push("serverAuth".into());
                    }
                    if eku.client_auth {
                        v.push("clientAuth".into());
                    }
                    if eku.code_signing {
                        v.push("codeSigning".into());
                    }
                    if eku.email_protection {
                        v.push("emailProtection".into());
                    }
                    if eku.time_stamping {
                        v.push("timeStamping".into());
                    }
                    if eku.ocsp_signing {
                        v.push("OCSPSigning".into());
                    }
                    v.extend(eku.other.iter().map(|o| eku_name(&o.to_id_string())));
                    c.extended_key_usage = Some(v);
                }
                ParsedExtension::SubjectAlternativeName(san) => {
                    let (n, bytes) = san.general_names.iter().fold((0, 0), |(n, b), g| match g {
                        GeneralName::DNSName(d) => (n + 1, b + d.len()),
                        _ => (n, b),
                    });
                    c.dns_names.reserve_exact(n, bytes);
                    for n in &san.general_names {
                        if edi_without_party_name(n) {
                            c.raw.edi_party_name = Some(ext.critical);
                        }
                        match n {
                            GeneralName::DNSName(d) => c.dns_names.push(d),
                            GeneralName::IPAddress(ip) => c.ip_addresses.push(ip_text(ip)),
                            GeneralName::RFC822Name(e) => c.raw.emails.push(e.to_string()),
                            _ => {}
                        }
                    }
                }
                ParsedExtension::SubjectKeyIdentifier(k) => c.subject_key_id = Some(colon_hex(k.0)),
                ParsedExtension::AuthorityKeyIdentifier(a) => {
                    c.authority_key_id = a.key_identifier.as_ref().map(|k| colon_hex(k.0))
                }
                ParsedExtension::AuthorityInfoAccess(aia) => {
                    for d in &aia.accessdescs {
                        let Some(loc) = general_name_text(&d.access_location) else {
                            continue;
                        };
                        match d.access_method.to_id_string().as_str() {
                            "1.3.6.1.5.5.7.48.2" => c.ca_issuers.push(loc),
                            "1.3.6.1.5.5.7.48.1" => c.ocsp.push(loc),
                            _ => {}
                        }
                    }
                }
                ParsedExtension::CRLDistributionPoints(points) => {
                    for p in points.iter() {
                        if let Some(DistributionPointName::FullName(names)) = &p.distribution_point
                        {
                            c.crl_points
                                .extend(names.iter().filter_map(general_name_text));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok((c, der.len()))
    }

    /// Every subjectAltName entry in its order, as name constraints see
    /// them (Java checks them in this order). Read again from the DER when
    /// asked (only a CA with name constraints asks): kept beside the DNS
    /// names, every name was held twice.
    pub fn san_names(&self) -> Vec<SanName> {
        let Ok((_, x)) = X509Certificate::from_der(&self.raw.der) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for ext in x.extensions() {
            if let ParsedExtension::SubjectAlternativeName(san) = ext.parsed_extension() {
                out.extend(san.general_names.iter().filter_map(san_name));
            }
        }
        out
    }

    pub fn is_ca(&self) -> bool {
        self.basic_constraints.as_ref().is_some_and(|b| b.ca)
    }

    /// A short label for lists and diagrams: the CN, or the whole DN.
    pub fn label(&self) -> String {
        self.subject_cn
            .clone()
            .unwrap_or_else(|| self.subject.display())
    }

    pub fn pem(&self) -> String {
        pem::encode_config(
            &pem::Pem::new("CERTIFICATE", self.raw.der.clone()),
            pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
        )
    }

    pub fn has_key_usage(&self, name: &str) -> bool {
        self.key_usage
            .as_ref()
            .is_none_or(|v| v.iter().any(|n| n == name))
    }
}

/// Where `piece` lies inside `base`, when it does.
fn range_in(base: &[u8], piece: &[u8]) -> Option<std::ops::Range<usize>> {
    let (b, p) = (base.as_ptr() as usize, piece.as_ptr() as usize);
    (p >= b && p + piece.len() <= b + base.len()).then(|| p - b..p - b + piece.len())
}

fn ip_text(b: &[u8]) -> String {
    match b.len() {
        4 => std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string(),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            std::net::Ipv6Addr::from(a).to_string()
        }
        _ => colon_hex(b),
    }
}

fn signature_algorithm(x: &X509Certificate<'_>) -> SignatureAlgorithm {
    let alg = &x.signature_algorithm;
    let oid = alg.algorithm.to_id_string();
    use Hash::*;
    let pkcs1 = |hash| SignatureAlgorithm::RsaPkcs1 { hash };
    let ecdsa = |hash| SignatureAlgorithm::Ecdsa { hash };
    match oid.as_str() {
        "1.2.840.113549.1.1.2" => pkcs1(Md2),
        "1.2.840.113549.1.1.4" => pkcs1(Md5),
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => pkcs1(Sha1),
        "1.2.840.113549.1.1.14" => pkcs1(Sha224),
        "1.2.840.113549.1.1.11" => pkcs1(Sha256),
        "1.2.840.113549.1.1.12" => pkcs1(Sha384),
        "1.2.840.113549.1.1.13" => pkcs1(Sha512),
        "1.2.840.10045.4.1" => ecdsa(Sha1),
        "1.2.840.10045.4.3.1" => ecdsa(Sha224),
        "1.2.840.10045.4.3.2" => ecdsa(Sha256),
        "1.2.840.10045.4.3.3" => ecdsa(Sha384),
        "1.2.840.10045.4.3.4" => ecdsa(Sha512),
        "1.3.101.112" => SignatureAlgorithm::Ed25519,
        "1.2.840.10040.4.3" => SignatureAlgorithm::Dsa { hash: Sha1 },
        "2.16.840.1.101.3.4.3.1" => SignatureAlgorithm::Dsa { hash: Sha224 },
        "2.16.840.1.101.3.4.3.2" => SignatureAlgorithm::Dsa { hash: Sha256 },
        "1.2.840.113549.1.1.10" => {
            match x509_parser::signature_algorithm::SignatureAlgorithm::try_from(alg) {
                Ok(x509_parser::signature_algorithm::SignatureAlgorithm::RSASSA_PSS(p)) => {
                    match Hash::from_oid(&p.hash_algorithm_oid().to_id_string()) {
                        Some(hash) => SignatureAlgorithm::RsaPss {
                            hash,
                            salt_len: p.salt_length() as usize,
                        },
                        None => SignatureAlgorithm::Unknown { oid },
                    }
                }
                _ => SignatureAlgorithm::Unknown { oid },
            }
        }
        _ => SignatureAlgorithm::Unknown { oid },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_ranges_into_the_der() {
        let der = b"0123456789".to_vec();
        assert_eq!(range_in(&der, b"234"), None);
        let raw = Raw {
            tbs: range_in(&der, &der[2..5]).unwrap(),
            signature: range_in(&der, &der[10..]).unwrap(),
            der,
            ..Raw::default()
        };
        assert_eq!(raw.tbs(), b"234");
        assert_eq!(raw.signature(), b"");
    }

    #[test]
    fn names_keep_their_order_and_serialise_as_a_list() {
        let mut n = NameList::default();
        n.reserve_exact(3, 12);
        for s in ["a.test", "", "b.example"] {
            n.push(s);
        }
        assert_eq!(n.len(), 3);
        assert_eq!(n.to_vec(), vec!["a.test", "", "b.example"]);
        assert_eq!(
            serde_json::to_string(&n).unwrap(),
            r#"["a.test","","b.example"]"#
        );
        assert_eq!(serde_json::to_string(&NameList::default()).unwrap(), "[]");
    }
}
