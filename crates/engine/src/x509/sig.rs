//! Signature checks in pure Rust (our own RSA and ECDSA, RustCrypto's
//! Ed25519 and DSA), so the very same code runs natively and in the browser
//! without a C toolchain.

use crate::x509::cert::{Certificate, Hash, KeyInfo, SignatureAlgorithm};
use crate::x509::{ecdsa, rsa};
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

/// `data`'s digest, `None` for MD2 (no implementation here).
pub(crate) fn digest(hash: Hash, data: &[u8]) -> Option<Vec<u8>> {
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
            let Some(h) = digest(*hash, tbs) else {
                return SigCheck::Unsupported;
            };
            match rsa::PublicKey::from_pkcs1(key) {
                Ok(k) => ok(k.verify_pkcs1(*hash, &h, sig).is_ok()),
                Err(_) => SigCheck::Unsupported,
            }
        }
        (SignatureAlgorithm::RsaPss { hash, salt_len }, KeyInfo::Rsa { .. }) => {
            // (No PSS with MD5: checked before hashing anything.)
            let Some(h) = (*hash != Hash::Md5).then(|| digest(*hash, tbs)).flatten() else {
                return SigCheck::Unsupported;
            };
            match rsa::PublicKey::from_pkcs1(key) {
                Ok(k) => ok(k.verify_pss(*hash, &h, *salt_len, sig).is_ok()),
                Err(_) => SigCheck::Unsupported,
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
