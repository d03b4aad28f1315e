//! Signature checks in pure Rust (RustCrypto's RSA and Ed25519, our own
//! ECDSA), so the very same code runs natively and in the browser without a
//! C toolchain.

use crate::x509::cert::{Certificate, Hash, KeyInfo, SignatureAlgorithm};
use crate::x509::ecdsa;
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
            let (Some(h), Some(curve)) = (digest(*hash, tbs), ecdsa::Curve::from_name(curve))
            else {
                return SigCheck::Unsupported;
            };
            // A key that does not decode cannot be checked; a signature that
            // does not decode is a bad signature (Java fails it too).
            match ecdsa::verify(curve, key, &h, sig) {
                Ok(()) => SigCheck::Valid,
                Err(ecdsa::EcdsaError::Key) => SigCheck::Unsupported,
                Err(ecdsa::EcdsaError::Signature) => SigCheck::Invalid,
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
