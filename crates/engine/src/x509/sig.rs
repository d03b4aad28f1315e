//! Signature checks with pure-Rust crates (RustCrypto), so the very same
//! code runs natively and in the browser without a C toolchain.

use crate::x509::cert::{Certificate, Hash, KeyInfo, SignatureAlgorithm};
use sha2::Digest;

/// Result of checking that `issuer` signed `child`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigCheck {
    Valid,
    Invalid,
    /// The algorithm or key type is one we cannot check (MD2, an unknown
    /// algorithm, a key this code cannot decode): "could not check", never
    /// "bad signature".
    Unsupported,
}

fn digest(hash: Hash, data: &[u8]) -> Option<Vec<u8>> {
    Some(match hash {
        Hash::Md5 => md5::Md5::digest(data).to_vec(),
        Hash::Sha1 => sha1::Sha1::digest(data).to_vec(),
        Hash::Sha224 => sha2::Sha224::digest(data).to_vec(),
        Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(data).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(data).to_vec(),
        Hash::Md2 => return None,
    })
}

fn pkcs1_scheme(hash: Hash) -> Option<rsa::Pkcs1v15Sign> {
    Some(match hash {
        Hash::Md5 => rsa::Pkcs1v15Sign::new::<md5::Md5>(),
        Hash::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        Hash::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
        Hash::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        Hash::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        Hash::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        Hash::Md2 => return None,
    })
}

fn pss_scheme(hash: Hash, salt: usize) -> Option<rsa::Pss> {
    Some(match hash {
        Hash::Sha1 => rsa::Pss::new_with_salt::<sha1::Sha1>(salt),
        Hash::Sha224 => rsa::Pss::new_with_salt::<sha2::Sha224>(salt),
        Hash::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt),
        Hash::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt),
        Hash::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt),
        Hash::Md5 | Hash::Md2 => return None,
    })
}

/// Java accepts RSA keys up to 16384 bits (`RSAKeyFactory.MAX_MODLEN`); the
/// `rsa` crate stops at 4096 unless told otherwise.
const RSA_MAX_BITS: usize = 16384;

/// Decodes a PKCS#1 RSAPublicKey, or `None` when this code cannot read it
/// (so the caller says "could not check", not "bad signature").
fn rsa_key(der: &[u8]) -> Option<rsa::RsaPublicKey> {
    use rsa::pkcs1::der::Decode;
    let k = rsa::pkcs1::RsaPublicKey::from_der(der).ok()?;
    let n = rsa::BigUint::from_bytes_be(k.modulus.as_bytes());
    let e = rsa::BigUint::from_bytes_be(k.public_exponent.as_bytes());
    rsa::RsaPublicKey::new_with_max_size(n, e, RSA_MAX_BITS).ok()
}

/// ECDSA's bits2int takes a digest shorter than the field as an integer;
/// the `ecdsa` crate refuses prehashes shorter than half the field (P-521
/// with SHA-256), so such a digest is left-padded with zeros to the field
/// size, which is the same integer.
fn ecdsa_prehash(h: &[u8], field_bytes: usize) -> Vec<u8> {
    if h.len() >= field_bytes {
        return h.to_vec();
    }
    let mut v = vec![0u8; field_bytes - h.len()];
    v.extend_from_slice(h);
    v
}

/// Checks that `issuer`'s public key verifies `child`'s signature.
pub fn verify(child: &Certificate, issuer: &Certificate) -> SigCheck {
    let tbs = child.raw.tbs();
    let sig = child.raw.signature();
    let key = issuer.raw.public_key();
    let ok = |b: bool| {
        if b {
            SigCheck::Valid
        } else {
            SigCheck::Invalid
        }
    };
    match (&child.signature_algorithm, &issuer.key) {
        (SignatureAlgorithm::RsaPkcs1 { hash }, KeyInfo::Rsa { .. }) => {
            let (Some(scheme), Some(h)) = (pkcs1_scheme(*hash), digest(*hash, tbs)) else {
                return SigCheck::Unsupported;
            };
            match rsa_key(key) {
                Some(k) => ok(k.verify(scheme, &h, sig).is_ok()),
                None => SigCheck::Unsupported,
            }
        }
        (SignatureAlgorithm::RsaPss { hash, salt_len }, KeyInfo::Rsa { .. }) => {
            let (Some(scheme), Some(h)) = (pss_scheme(*hash, *salt_len), digest(*hash, tbs)) else {
                return SigCheck::Unsupported;
            };
            match rsa_key(key) {
                Some(k) => ok(k.verify(scheme, &h, sig).is_ok()),
                None => SigCheck::Unsupported,
            }
        }
        (SignatureAlgorithm::Ecdsa { hash }, KeyInfo::Ec { curve, .. }) => {
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            let Some(h) = digest(*hash, tbs) else {
                return SigCheck::Unsupported;
            };
            // The same check for each curve's crate.
            // A key that does not decode cannot be checked; a signature that
            // does not decode is a bad signature (Java fails it too).
            macro_rules! ecdsa {
                ($curve:ident, $field:expr) => {{
                    let Ok(k) = $curve::ecdsa::VerifyingKey::from_sec1_bytes(key) else {
                        return SigCheck::Unsupported;
                    };
                    let Ok(s) = $curve::ecdsa::Signature::from_der(sig) else {
                        return SigCheck::Invalid;
                    };
                    ok(k.verify_prehash(&ecdsa_prehash(&h, $field), &s).is_ok())
                }};
            }
            match curve.as_str() {
                "P-256" => ecdsa!(p256, 32),
                "P-384" => ecdsa!(p384, 48),
                #[cfg(feature = "rare-keys")]
                "P-521" => ecdsa!(p521, 66),
                _ => SigCheck::Unsupported,
            }
        }
        (SignatureAlgorithm::Ed25519, KeyInfo::Ed25519) => {
            use ed25519_dalek::Verifier;
            let Ok(bytes) = <[u8; 32]>::try_from(key) else {
                return SigCheck::Invalid;
            };
            let (Ok(k), Ok(s)) = (
                ed25519_dalek::VerifyingKey::from_bytes(&bytes),
                ed25519_dalek::Signature::from_slice(sig),
            ) else {
                return SigCheck::Invalid;
            };
            ok(k.verify(tbs, &s).is_ok())
        }
        #[cfg(feature = "rare-keys")]
        (SignatureAlgorithm::Dsa { hash }, KeyInfo::Dsa { .. }) => {
            use dsa::pkcs8::DecodePublicKey;
            use dsa::signature::hazmat::PrehashVerifier;
            let Some(h) = digest(*hash, tbs) else {
                return SigCheck::Unsupported;
            };
            let Ok(k) = dsa::VerifyingKey::from_public_key_der(issuer.raw.spki()) else {
                return SigCheck::Unsupported;
            };
            let Ok(s) = dsa::Signature::try_from(sig) else {
                return SigCheck::Invalid;
            };
            ok(k.verify_prehash(&h, &s).is_ok())
        }
        (SignatureAlgorithm::Unknown { .. }, _) | (_, KeyInfo::Unknown { .. }) => {
            SigCheck::Unsupported
        }
        #[cfg(not(feature = "rare-keys"))]
        (SignatureAlgorithm::Dsa { .. }, KeyInfo::Dsa { .. }) => SigCheck::Unsupported,
        // An RSA signature with an EC key and the like can never verify.
        _ => SigCheck::Invalid,
    }
}
