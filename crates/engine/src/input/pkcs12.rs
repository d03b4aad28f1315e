//! PKCS#12 keystores, read here with a small bounded DER walk.
//!
//! Why not a PKCS#12 crate: a keystore is attacker-controlled input (a file
//! dropped on the page or passed as `--trust`), and the crates derive keys
//! before the caller can look at the parameters. A 1.2 KB file asking for
//! 2^31 iterations then costs minutes of CPU per password tried. Here every
//! iteration count is read and checked against Java's own limit
//! (`PKCS12KeyStore.MAX_ITERATION_COUNT`, 5,000,000) and a total budget
//! before any key derivation, every length is checked against the bytes
//! that remain, and private keys are never decrypted at all (like
//! `keytool -list`, which loads a store without touching its keys).

use std::collections::{HashMap, HashSet};

use super::keystore::{Integrity, KeystoreError, ReadStore, StoreCert, StoreKind, MAX_ENTRIES};

/// Java refuses MAC and PBE iteration counts above this
/// (`sun.security.pkcs12.PKCS12KeyStore.MAX_ITERATION_COUNT`).
pub const MAX_ITERATION_COUNT: u64 = 5_000_000;

/// Most key-derivation iterations one keystore may cost in all (every
/// password tried, the MAC and every encrypted part): three derivations at
/// Java's limit. Java's defaults cost 10,000 (legacy stores 50,000–100,000).
pub const MAX_TOTAL_ITERATIONS: u64 = 3 * MAX_ITERATION_COUNT;

/// Longest alias kept (characters); longer ones are cut, so an alias cannot
/// multiply memory across the certificates of its chain.
pub const MAX_ALIAS_CHARS: usize = 256;

/// Longest chain followed from a private key's certificate.
const MAX_CHAIN: usize = 16;

// DER contents of the object identifiers we compare against.
const OID_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
const OID_ENCRYPTED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x06];
const OID_SHA1: &[u8] = &[0x2B, 0x0E, 0x03, 0x02, 0x1A];
const OID_SHA224: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04];
const OID_SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const OID_SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
const OID_SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
const OID_PBE_SHA_3DES: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x03];
const OID_PBE_SHA_RC2_128: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x05];
const OID_PBE_SHA_RC2_40: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x06];
const OID_PBES2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D];
const OID_PBKDF2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C];
const BAG_KEY: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x01,
];
const BAG_SHROUDED_KEY: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x02,
];
const BAG_CERT: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x03,
];
const BAG_SECRET: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x05,
];
const OID_X509_CERT: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x16, 0x01];
const OID_FRIENDLY_NAME: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x14];
const OID_LOCAL_KEY_ID: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x15];
/// Oracle's trustedKeyUsage attribute: present on Java's trusted-certificate entries.
const OID_TRUSTED_KEY_USAGE: &[u8] = &[
    0x60, 0x86, 0x48, 0x01, 0x86, 0xF9, 0x66, 0xAD, 0xCA, 0x7B, 0x01, 0x01,
];

const SEQ: u8 = 0x30;
const SET: u8 = 0x31;
const INT: u8 = 0x02;
const OID: u8 = 0x06;
const OCTETS: u8 = 0x04;
const CTX0: u8 = 0xA0;
const CTX0_PRIM: u8 = 0x80;
const BMP: u8 = 0x1E;

/// One DER element: tag, contents, and what follows it. Definite lengths
/// only (as DER requires), checked against the bytes that remain.
fn tlv(buf: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = buf.split_first()?;
    // Multi-byte tags never occur in PKCS#12.
    if tag & 0x1F == 0x1F {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7F) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, &b| (a << 8) | b as usize);
        (len, &rest[n..])
    };
    if len > rest.len() {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// Reads an element that must have `tag`.
fn expect<'a>(buf: &mut &'a [u8], tag: u8) -> Option<&'a [u8]> {
    let (t, body, rest) = tlv(buf)?;
    if t != tag {
        return None;
    }
    *buf = rest;
    Some(body)
}

/// A non-negative INTEGER as u64, saturating (an absurd count stays absurd).
fn uint(body: &[u8]) -> Option<u64> {
    if body.is_empty() || body[0] & 0x80 != 0 {
        return None;
    }
    let digits = body.iter().skip_while(|&&b| b == 0).count();
    if digits > 8 {
        return Some(u64::MAX);
    }
    Some(body.iter().fold(0u64, |a, &b| (a << 8) | b as u64))
}

fn corrupt(reason: &str) -> KeystoreError {
    KeystoreError::Corrupt {
        kind: StoreKind::Pkcs12,
        reason: reason.into(),
    }
}

/// How one encrypted part (or the MAC) derives its key.
#[derive(Clone, Debug)]
enum Pbe<'a> {
    /// PKCS#12 PBE (SHA-1 KDF) with 3DES or RC2; `key_len` in bytes.
    Pkcs12 {
        salt: &'a [u8],
        iterations: u64,
        cipher: Cipher,
    },
    /// PBES2 with PBKDF2; the whole parameter block, for the pkcs5 crate.
    Pbes2 { params: &'a [u8], iterations: u64 },
}

#[derive(Clone, Copy, Debug)]
enum Cipher {
    TripleDes,
    Rc2 { key_len: usize },
}

impl Pbe<'_> {
    fn iterations(&self) -> u64 {
        match self {
            Pbe::Pkcs12 { iterations, .. } | Pbe::Pbes2 { iterations, .. } => *iterations,
        }
    }
}

/// Reads an AlgorithmIdentifier of a password-based scheme, without deriving.
fn pbe(alg: &[u8]) -> Result<Pbe<'_>, KeystoreError> {
    let bad = || corrupt("unreadable encryption parameters");
    let mut a = alg;
    let oid = expect(&mut a, OID).ok_or_else(bad)?;
    let cipher = match oid {
        OID_PBE_SHA_3DES => Some(Cipher::TripleDes),
        OID_PBE_SHA_RC2_40 => Some(Cipher::Rc2 { key_len: 5 }),
        OID_PBE_SHA_RC2_128 => Some(Cipher::Rc2 { key_len: 16 }),
        _ => None,
    };
    if let Some(cipher) = cipher {
        let mut p = expect(&mut a, SEQ).ok_or_else(bad)?;
        let salt = expect(&mut p, OCTETS).ok_or_else(bad)?;
        let iterations = uint(expect(&mut p, INT).ok_or_else(bad)?).ok_or_else(bad)?;
        return Ok(Pbe::Pkcs12 {
            salt,
            iterations,
            cipher,
        });
    }
    if oid != OID_PBES2 {
        return Err(corrupt("an encryption scheme Java does not read"));
    }
    // PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier,
    //                             encryptionScheme AlgorithmIdentifier }
    let (tag, params_body, rest) = tlv(a).ok_or_else(bad)?;
    if tag != SEQ {
        return Err(bad());
    }
    let params = &a[..a.len() - rest.len()];
    let mut p = params_body;
    let mut kdf = expect(&mut p, SEQ).ok_or_else(bad)?;
    // Only PBKDF2, as Java: scrypt parameters could ask for gigabytes.
    if expect(&mut kdf, OID).ok_or_else(bad)? != OID_PBKDF2 {
        return Err(corrupt("a key derivation other than PBKDF2"));
    }
    let mut k = expect(&mut kdf, SEQ).ok_or_else(bad)?;
    let _salt = expect(&mut k, OCTETS).ok_or_else(bad)?;
    let iterations = uint(expect(&mut k, INT).ok_or_else(bad)?).ok_or_else(bad)?;
    Ok(Pbe::Pbes2 { params, iterations })
}

/// Decrypts with a checked, budgeted scheme; `None` when the password does not fit.
fn decrypt(pbe: &Pbe<'_>, password: &str, data: &[u8]) -> Option<Vec<u8>> {
    use cbc::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
    use pkcs12::kdf::{derive_key_utf8, Pkcs12KeyType};
    match pbe {
        Pbe::Pkcs12 {
            salt,
            iterations,
            cipher,
        } => {
            let rounds = i32::try_from(*iterations).ok()?;
            let key_len = match cipher {
                Cipher::TripleDes => 24,
                Cipher::Rc2 { key_len } => *key_len,
            };
            let key = derive_key_utf8::<sha1::Sha1>(
                password,
                salt,
                Pkcs12KeyType::EncryptionKey,
                rounds,
                key_len,
            )
            .ok()?;
            let iv =
                derive_key_utf8::<sha1::Sha1>(password, salt, Pkcs12KeyType::Iv, rounds, 8).ok()?;
            match cipher {
                Cipher::TripleDes => cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                    .ok()?
                    .decrypt_padded_vec_mut::<Pkcs7>(data)
                    .ok(),
                Cipher::Rc2 { .. } => cbc::Decryptor::<rc2::Rc2>::new_from_slices(&key, &iv)
                    .ok()?
                    .decrypt_padded_vec_mut::<Pkcs7>(data)
                    .ok(),
            }
        }
        Pbe::Pbes2 { params, .. } => {
            use pkcs5::der::Decode;
            let p = pkcs5::pbes2::Parameters::from_der(params).ok()?;
            p.decrypt(password.as_bytes(), data).ok()
        }
    }
}

fn mac_matches<D>(password: &str, salt: &[u8], rounds: i32, data: &[u8], expected: &[u8]) -> bool
where
    D: digest::Digest + digest::FixedOutputReset + digest::core_api::BlockSizeUser + Clone,
{
    use hmac::Mac;
    let len = <D as digest::Digest>::output_size();
    let Ok(key) = pkcs12::kdf::derive_key_utf8::<D>(
        password,
        salt,
        pkcs12::kdf::Pkcs12KeyType::Mac,
        rounds,
        len,
    ) else {
        return false;
    };
    let Ok(mut m) = <hmac::SimpleHmac<D> as Mac>::new_from_slice(&key) else {
        return false;
    };
    m.update(data);
    m.verify_slice(expected).is_ok()
}

struct MacData<'a> {
    digest_oid: &'a [u8],
    digest: &'a [u8],
    salt: &'a [u8],
    iterations: u64,
}

fn mac_data(buf: &[u8]) -> Option<MacData<'_>> {
    let mut b = buf;
    let mut m = expect(&mut b, SEQ)?;
    let mut digest_info = expect(&mut m, SEQ)?;
    let mut alg = expect(&mut digest_info, SEQ)?;
    let digest_oid = expect(&mut alg, OID)?;
    let digest = expect(&mut digest_info, OCTETS)?;
    let salt = expect(&mut m, OCTETS)?;
    // iterations INTEGER DEFAULT 1
    let iterations = match expect(&mut m, INT) {
        Some(i) => uint(i)?,
        None => 1,
    };
    Some(MacData {
        digest_oid,
        digest,
        salt,
        iterations,
    })
}

enum Safe<'a> {
    Plain(&'a [u8]),
    Encrypted { pbe: Pbe<'a>, data: &'a [u8] },
}

/// A certificate bag's or key bag's attributes.
#[derive(Default)]
struct Attrs<'a> {
    friendly_name: Option<String>,
    local_key_id: Option<&'a [u8]>,
    trusted: bool,
}

fn bmp_string(b: &[u8]) -> String {
    let units = b
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .take(MAX_ALIAS_CHARS);
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

fn attributes(mut set: &[u8]) -> Attrs<'_> {
    let mut a = Attrs::default();
    while let Some(mut attr) = expect(&mut set, SEQ) {
        let Some(oid) = expect(&mut attr, OID) else {
            continue;
        };
        let mut values = expect(&mut attr, SET).unwrap_or_default();
        match oid {
            OID_FRIENDLY_NAME => {
                if let Some(v) = expect(&mut values, BMP) {
                    a.friendly_name = Some(bmp_string(v));
                }
            }
            OID_LOCAL_KEY_ID => a.local_key_id = expect(&mut values, OCTETS),
            OID_TRUSTED_KEY_USAGE => a.trusted = true,
            _ => {}
        }
    }
    a
}

/// A certificate bag: its DER and the attributes that place it.
struct CertBag {
    der: Vec<u8>,
    name: Option<String>,
    key_id: Option<Vec<u8>>,
    trusted: bool,
}

struct Bags {
    certs: Vec<CertBag>,
    /// (friendly name, local key id) of each private-key bag.
    keys: Vec<(Option<String>, Option<Vec<u8>>)>,
    secrets: usize,
}

/// Walks a SafeContents, collecting certificate bags and naming key bags
/// (whose keys stay encrypted: nothing here needs them).
fn bags(mut safe: &[u8], out: &mut Bags) -> Result<(), KeystoreError> {
    let mut seq = expect(&mut safe, SEQ).ok_or_else(|| corrupt("unreadable safe contents"))?;
    while !seq.is_empty() {
        if out.certs.len() + out.keys.len() + out.secrets > MAX_ENTRIES {
            return Err(corrupt(&format!("more than {MAX_ENTRIES} entries")));
        }
        let mut bag = expect(&mut seq, SEQ).ok_or_else(|| corrupt("unreadable safe bag"))?;
        let id = expect(&mut bag, OID).ok_or_else(|| corrupt("unreadable safe bag"))?;
        let value = expect(&mut bag, CTX0).ok_or_else(|| corrupt("unreadable safe bag"))?;
        let attrs = expect(&mut bag, SET).map(attributes).unwrap_or_default();
        match id {
            BAG_CERT => {
                let mut v = value;
                let mut cert_bag =
                    expect(&mut v, SEQ).ok_or_else(|| corrupt("unreadable certificate bag"))?;
                if expect(&mut cert_bag, OID) != Some(OID_X509_CERT) {
                    // SDSI certificates: Java reads none either.
                    continue;
                }
                let mut c = expect(&mut cert_bag, CTX0)
                    .ok_or_else(|| corrupt("unreadable certificate bag"))?;
                let der =
                    expect(&mut c, OCTETS).ok_or_else(|| corrupt("unreadable certificate bag"))?;
                out.certs.push(CertBag {
                    der: der.to_vec(),
                    name: attrs.friendly_name,
                    key_id: attrs.local_key_id.map(<[u8]>::to_vec),
                    trusted: attrs.trusted,
                });
            }
            BAG_KEY | BAG_SHROUDED_KEY => out
                .keys
                .push((attrs.friendly_name, attrs.local_key_id.map(<[u8]>::to_vec))),
            BAG_SECRET => out.secrets += 1,
            // CRL bags and nested safe contents: Java skips them too.
            _ => {}
        }
    }
    Ok(())
}

/// Subject and issuer (raw DER) of a certificate, for chain building.
fn names(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (_, c) = x509_parser::parse_x509_certificate(der).ok()?;
    Some((
        c.tbs_certificate.subject.as_raw(),
        c.tbs_certificate.issuer.as_raw(),
    ))
}

fn subject_text(der: &[u8]) -> String {
    x509_parser::parse_x509_certificate(der)
        .map(|(_, c)| c.tbs_certificate.subject.to_string())
        .unwrap_or_default()
        .chars()
        .take(MAX_ALIAS_CHARS)
        .collect()
}

/// Reads a PKCS#12 store, with `password` or else Java's default `changeit`
/// (then the empty password).
pub fn read(bytes: &[u8], password: Option<&str>) -> Result<ReadStore, KeystoreError> {
    let bad = || corrupt("its structure does not add up");
    let mut b = bytes;
    let mut pfx = expect(&mut b, SEQ).ok_or_else(bad)?;
    if expect(&mut pfx, INT) != Some(&[3][..]) {
        return Err(corrupt("PKCS12 keystore not in version 3 format"));
    }
    let mut auth_safe = expect(&mut pfx, SEQ).ok_or_else(bad)?;
    if expect(&mut auth_safe, OID) != Some(OID_DATA) {
        return Err(corrupt("public key protected PKCS12 not supported"));
    }
    let mut content = expect(&mut auth_safe, CTX0).ok_or_else(bad)?;
    let auth_data = expect(&mut content, OCTETS).ok_or_else(bad)?;
    let mac = if pfx.is_empty() {
        None
    } else {
        Some(mac_data(pfx).ok_or_else(|| corrupt("unreadable MAC data"))?)
    };

    // Every part, and every iteration count, before any key is derived.
    let mut safes = Vec::new();
    let mut a = auth_data;
    let mut list = expect(&mut a, SEQ).ok_or_else(bad)?;
    while !list.is_empty() {
        if safes.len() >= MAX_ENTRIES {
            return Err(corrupt(&format!("more than {MAX_ENTRIES} parts")));
        }
        let mut ci = expect(&mut list, SEQ).ok_or_else(bad)?;
        let ty = expect(&mut ci, OID).ok_or_else(bad)?;
        let mut c = expect(&mut ci, CTX0).ok_or_else(bad)?;
        match ty {
            OID_DATA => safes.push(Safe::Plain(expect(&mut c, OCTETS).ok_or_else(bad)?)),
            OID_ENCRYPTED_DATA => {
                let mut ed = expect(&mut c, SEQ).ok_or_else(bad)?;
                let _version = expect(&mut ed, INT).ok_or_else(bad)?;
                let mut eci = expect(&mut ed, SEQ).ok_or_else(bad)?;
                let _content_type = expect(&mut eci, OID).ok_or_else(bad)?;
                let alg = expect(&mut eci, SEQ).ok_or_else(bad)?;
                // [0] IMPLICIT OCTET STRING; Java requires it.
                let data = expect(&mut eci, CTX0_PRIM)
                    .ok_or_else(|| corrupt("Invalid length for EncryptedContentInfo"))?;
                let pbe = pbe(alg)?;
                if pbe.iterations() > MAX_ITERATION_COUNT {
                    return Err(KeystoreError::Refused {
                        kind: StoreKind::Pkcs12,
                        java: "java.io.IOException: cert PBE iteration count too large".into(),
                        iterations: pbe.iterations(),
                    });
                }
                safes.push(Safe::Encrypted { pbe, data });
            }
            _ => return Err(corrupt("public key protected PKCS12 not supported")),
        }
    }
    if let Some(m) = &mac {
        if m.iterations > MAX_ITERATION_COUNT {
            return Err(KeystoreError::Refused {
                kind: StoreKind::Pkcs12,
                java: format!(
                    "java.io.IOException: Integrity check failed: java.security.InvalidAlgorithmParameterException: MAC iteration count too large: {}",
                    m.iterations
                ),
                iterations: m.iterations,
            });
        }
    }
    let tries: Vec<&str> = match password {
        Some(p) => vec![p],
        None => vec!["changeit", ""],
    };
    let encrypted: u64 = safes
        .iter()
        .map(|s| match s {
            Safe::Encrypted { pbe, .. } => pbe.iterations(),
            Safe::Plain(_) => 0,
        })
        .sum();
    // With a MAC the parts are decrypted once, with the password that fits it;
    // without one, each password may be tried on them.
    let worst = match &mac {
        Some(m) => tries.len() as u64 * m.iterations + encrypted,
        None => tries.len() as u64 * encrypted,
    };
    if worst > MAX_TOTAL_ITERATIONS {
        return Err(KeystoreError::TooCostly {
            kind: StoreKind::Pkcs12,
            iterations: worst,
        });
    }

    let wrong = || KeystoreError::WrongPassword {
        kind: StoreKind::Pkcs12,
        tried_default: password.is_none(),
    };
    let mut opened = None;
    for pw in &tries {
        if let Some(m) = &mac {
            let rounds = i32::try_from(m.iterations).unwrap_or(i32::MAX);
            let ok = match m.digest_oid {
                OID_SHA1 => mac_matches::<sha1::Sha1>(pw, m.salt, rounds, auth_data, m.digest),
                OID_SHA224 => mac_matches::<sha2::Sha224>(pw, m.salt, rounds, auth_data, m.digest),
                OID_SHA256 => mac_matches::<sha2::Sha256>(pw, m.salt, rounds, auth_data, m.digest),
                OID_SHA384 => mac_matches::<sha2::Sha384>(pw, m.salt, rounds, auth_data, m.digest),
                OID_SHA512 => mac_matches::<sha2::Sha512>(pw, m.salt, rounds, auth_data, m.digest),
                _ => return Err(corrupt("a MAC algorithm Java does not read")),
            };
            if !ok {
                continue;
            }
        }
        let mut found = Bags {
            certs: Vec::new(),
            keys: Vec::new(),
            secrets: 0,
        };
        let mut fits = true;
        for s in &safes {
            match s {
                Safe::Plain(d) => bags(d, &mut found)?,
                Safe::Encrypted { pbe, data } => match decrypt(pbe, pw, data) {
                    Some(plain) => bags(&plain, &mut found)?,
                    None => {
                        fits = false;
                        break;
                    }
                },
            }
        }
        if fits {
            opened = Some(found);
            break;
        }
        if mac.is_some() {
            // The MAC fits but a part does not decrypt: Java says
            // "keystore password was incorrect" here too.
            return Err(wrong());
        }
    }
    let Some(found) = opened else {
        return Err(wrong());
    };
    Ok(entries(
        found,
        if mac.is_some() {
            Integrity::Verified
        } else {
            Integrity::NotChecked
        },
    ))
}

/// The entries Java's PKCS12KeyStore makes of the bags: trusted-certificate
/// entries (bags with Oracle's trustedKeyUsage) and private-key entries with
/// the chain built from the other certificates by issuer name. Built with
/// maps, bounded by depth and a visited set (a chain may loop). Each
/// certificate is listed once, under the first entry that holds it, so
/// many keys sharing one large chain cannot multiply memory.
fn entries(found: Bags, integrity: Integrity) -> ReadStore {
    let mut store = ReadStore {
        kind: StoreKind::Pkcs12,
        certificates: Vec::new(),
        private_keys: 0,
        skipped: found.secrets,
        integrity,
    };
    let named: Vec<Option<(&[u8], &[u8])>> = found.certs.iter().map(|c| names(&c.der)).collect();
    let mut by_key_id: HashMap<&[u8], usize> = HashMap::new();
    let mut by_subject: HashMap<&[u8], usize> = HashMap::new();
    for (i, c) in found.certs.iter().enumerate() {
        if let Some(k) = &c.key_id {
            by_key_id.entry(k.as_slice()).or_insert(i);
        }
        // Trusted entries stay entries of their own (with their alias).
        match named[i] {
            Some((subject, _)) if !c.trusted => {
                by_subject.entry(subject).or_insert(i);
            }
            _ => {}
        }
    }
    let mut listed = HashSet::new();
    for (key_name, key_id) in &found.keys {
        // Java pairs a lone key with the one certificate when ids are absent.
        let leaf = match key_id {
            Some(k) => by_key_id.get(k.as_slice()).copied(),
            None if found.keys.len() == 1 => found.certs.iter().position(|c| !c.trusted),
            None => None,
        };
        let Some(leaf) = leaf else { continue };
        store.private_keys += 1;
        let alias = key_name
            .clone()
            .or_else(|| found.certs[leaf].name.clone())
            .unwrap_or_else(|| subject_text(&found.certs[leaf].der));
        let mut seen = HashSet::new();
        let mut at = Some(leaf);
        while let Some(i) = at {
            if !seen.insert(i) || seen.len() > MAX_CHAIN {
                break;
            }
            if listed.insert(i) {
                store.certificates.push(StoreCert {
                    alias: alias.clone(),
                    der: found.certs[i].der.clone(),
                    from_key_entry: true,
                });
            }
            at = match named[i] {
                Some((subject, issuer)) if subject != issuer => by_subject.get(issuer).copied(),
                _ => None,
            };
        }
    }
    for (i, c) in found.certs.iter().enumerate() {
        if c.trusted && !listed.contains(&i) {
            store.certificates.push(StoreCert {
                alias: c.name.clone().unwrap_or_else(|| subject_text(&c.der)),
                der: c.der.clone(),
                from_key_entry: false,
            });
        }
    }
    store
}
