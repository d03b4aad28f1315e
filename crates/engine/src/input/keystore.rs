//! Java keystores as files: JKS, JCEKS and PKCS#12.
//!
//! JKS/JCEKS certificate entries are not encrypted, so they are read without
//! a password; with a password the store's integrity hash is checked too. No
//! maintained crate reads JKS, and the format is small (a length-prefixed
//! list), so it is read here, bounded. PKCS#12 (Java's default since 9) uses
//! a bounded reader of its own (`pkcs12.rs`); `changeit` is tried when no
//! password is given. Private keys are never decoded, shown or exported.

use serde::Serialize;
use sha1::{Digest, Sha1};

/// Most entries we read from one keystore.
pub const MAX_ENTRIES: usize = 10_000;

pub use super::pkcs12::MAX_ALIAS_CHARS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum StoreKind {
    Jks,
    Jceks,
    Pkcs12,
}

impl StoreKind {
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Jks => "JKS",
            StoreKind::Jceks => "JCEKS",
            StoreKind::Pkcs12 => "PKCS#12",
        }
    }
}

/// Whether the keystore's integrity was checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Integrity {
    /// The password was given and the integrity hash (or MAC) matches.
    Verified,
    /// Read without a password: certificates are readable, integrity unknown.
    NotChecked,
}

/// One certificate from a keystore.
#[derive(Clone, Debug)]
pub struct StoreCert {
    pub alias: String,
    pub der: Vec<u8>,
    /// From a private-key entry's chain (the key itself is never read).
    pub from_key_entry: bool,
}

#[derive(Clone, Debug)]
pub struct ReadStore {
    pub kind: StoreKind,
    pub certificates: Vec<StoreCert>,
    /// Number of private-key entries (their keys are ignored).
    pub private_keys: usize,
    /// Entries that are not certificates and could not be read (JCEKS secret keys).
    pub skipped: usize,
    pub integrity: Integrity,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeystoreError {
    /// The password does not open the store (or does not match its hash).
    WrongPassword {
        kind: StoreKind,
        tried_default: bool,
    },
    /// The file ends early or its lengths do not add up.
    Corrupt { kind: StoreKind, reason: String },
    /// Java itself refuses to load the store (`java` is its exception text);
    /// nothing was derived or decrypted.
    Refused {
        kind: StoreKind,
        java: String,
        iterations: u64,
    },
    /// The store asks for more key-derivation work in all than we spend on one file.
    TooCostly { kind: StoreKind, iterations: u64 },
}

impl std::fmt::Display for KeystoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeystoreError::WrongPassword { kind, tried_default: true } => write!(
                f,
                "This {} keystore is not protected by the default password changeit: enter its password.",
                kind.name()
            ),
            KeystoreError::WrongPassword { kind, .. } => write!(
                f,
                "The password does not open this {} keystore (or the file was changed). Check the password.",
                kind.name()
            ),
            KeystoreError::Corrupt { kind, reason } => write!(
                f,
                "This {} keystore is damaged ({reason}). Copy the file again in binary mode.",
                kind.name()
            ),
            KeystoreError::Refused { kind, java, iterations } => write!(
                f,
                "Java refuses to load this {} keystore: it asks for {iterations} key-derivation iterations, \
                 more than Java's limit of {} (keytool and the archiver fail with \"{java}\"). \
                 It was not opened. Export the store again with keytool (its default is 10000 iterations).",
                kind.name(),
                super::pkcs12::MAX_ITERATION_COUNT
            ),
            KeystoreError::TooCostly { kind, iterations } => write!(
                f,
                "This {} keystore would cost {iterations} key-derivation iterations to open (each of its parts \
                 and every password tried), more than the {} this tool spends on one file. It was not opened. \
                 Export the store again with keytool (its default is 10000 iterations).",
                kind.name(),
                super::pkcs12::MAX_TOTAL_ITERATIONS
            ),
        }
    }
}

/// The keystore kind, from the first bytes.
pub fn detect(bytes: &[u8]) -> Option<StoreKind> {
    match bytes.get(..4) {
        Some([0xFE, 0xED, 0xFE, 0xED]) => Some(StoreKind::Jks),
        Some([0xCE, 0xCE, 0xCE, 0xCE]) => Some(StoreKind::Jceks),
        _ => None,
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    kind: StoreKind,
}

impl<'a> Reader<'a> {
    fn err(&self, reason: &str) -> KeystoreError {
        KeystoreError::Corrupt {
            kind: self.kind,
            reason: format!("{reason} at byte {}", self.pos),
        }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], KeystoreError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let Some(end) = end else {
            return Err(self.err("unexpected end of file"));
        };
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, KeystoreError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, KeystoreError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    /// A Java modified-UTF-8 string, cut to [`MAX_ALIAS_CHARS`] characters so
    /// a 64 KB alias is not copied onto every certificate of its chain.
    fn utf(&mut self) -> Result<String, KeystoreError> {
        let n = self.u16()? as usize;
        let b = self.take(n)?;
        let b = &b[..b.len().min(4 * MAX_ALIAS_CHARS)];
        Ok(String::from_utf8_lossy(b)
            .chars()
            .take(MAX_ALIAS_CHARS)
            .collect())
    }
    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }
    fn blob(&mut self) -> Result<&'a [u8], KeystoreError> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

/// Reads a JKS or JCEKS store. With a password, checks the trailing
/// SHA-1 integrity hash (password as UTF-16BE, "Mighty Aphrodite", data).
pub fn read_jks(bytes: &[u8], password: Option<&str>) -> Result<ReadStore, KeystoreError> {
    let kind = detect(bytes).unwrap_or(StoreKind::Jks);
    let mut r = Reader {
        buf: bytes,
        pos: 4,
        kind,
    };
    let version = r.u32()?;
    if version != 1 && version != 2 {
        return Err(r.err(&format!("unknown version {version}")));
    }
    let count = r.u32()? as usize;
    // Every entry takes at least a tag, an alias length and a timestamp:
    // a count the remaining bytes cannot hold is refused before any work.
    if count > MAX_ENTRIES || count > r.remaining() / 14 {
        return Err(r.err(&format!("{count} entries claimed")));
    }
    let mut store = ReadStore {
        kind,
        certificates: Vec::new(),
        private_keys: 0,
        skipped: 0,
        integrity: Integrity::NotChecked,
    };
    let cert = |r: &mut Reader<'_>| -> Result<Vec<u8>, KeystoreError> {
        if version == 2 {
            let _cert_type = r.utf()?;
        }
        let der = r.blob()?;
        // Java's CertificateFactory fails on an empty certificate too.
        if der.is_empty() {
            return Err(r.err("an empty certificate"));
        }
        Ok(der.to_vec())
    };
    let mut complete = true;
    for _ in 0..count {
        let tag = r.u32()?;
        let alias = r.utf()?;
        let _timestamp = r.take(8)?;
        match tag {
            1 => {
                store.private_keys += 1;
                let _protected_key = r.blob()?;
                let chain = r.u32()? as usize;
                // Each certificate takes a length and at least one byte.
                if chain > MAX_ENTRIES || chain > r.remaining() / 5 {
                    return Err(r.err("certificate chain too long"));
                }
                for _ in 0..chain {
                    let der = cert(&mut r)?;
                    store.certificates.push(StoreCert {
                        alias: alias.clone(),
                        der,
                        from_key_entry: true,
                    });
                }
            }
            2 => {
                let der = cert(&mut r)?;
                store.certificates.push(StoreCert {
                    alias,
                    der,
                    from_key_entry: false,
                });
            }
            3 if kind == StoreKind::Jceks => {
                // A sealed secret key (a serialized Java object): its length is
                // not stored, so nothing after it can be read.
                store.skipped += 1;
                complete = false;
                break;
            }
            t => return Err(r.err(&format!("unknown entry type {t}"))),
        }
    }
    if let Some(pw) = password {
        if !complete {
            return Err(KeystoreError::Corrupt {
                kind,
                reason: "a secret-key entry stops the integrity check".into(),
            });
        }
        let digest = r.take(20)?;
        let mut h = Sha1::new();
        for unit in pw.encode_utf16() {
            h.update(unit.to_be_bytes());
        }
        h.update(b"Mighty Aphrodite");
        h.update(&bytes[..r.pos - 20]);
        if h.finalize()[..] != *digest {
            return Err(KeystoreError::WrongPassword {
                kind,
                tried_default: false,
            });
        }
        store.integrity = Integrity::Verified;
    }
    Ok(store)
}

/// Reads a PKCS#12 store, with `password` or else Java's default `changeit`
/// (then the empty password). See [`super::pkcs12`] for the bounds.
pub fn read_pkcs12(bytes: &[u8], password: Option<&str>) -> Result<ReadStore, KeystoreError> {
    super::pkcs12::read(bytes, password)
}

/// True when `bytes` look like a PKCS#12 PFX: SEQUENCE { INTEGER 3, ... }.
pub fn looks_like_pkcs12(bytes: &[u8]) -> bool {
    use x509_parser::der_parser::asn1_rs::{Any, FromDer, Tag};
    let Ok((_, outer)) = Any::from_der(bytes) else {
        return false;
    };
    if outer.tag() != Tag::Sequence {
        return false;
    }
    match Any::from_der(outer.data) {
        Ok((_, v)) => v.tag() == Tag::Integer && v.data == [3],
        Err(_) => false,
    }
}
