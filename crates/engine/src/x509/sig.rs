//! Signature checks with pure-Rust crates (RustCrypto), so the very same
//! code runs natively and in the browser without a C toolchain.

use crate::x509::cert::{Certificate, Hash, KeyInfo, SignatureAlgorithm};
use sha2::Digest;

/// Result of checking that `issuer` signed `child`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigCheck {
    Valid,
    Invalid,
    /// The algorithm or key type is one we cannot check (DSA, MD2, unknown).
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

/// Checks that `issuer`'s public key verifies `child`'s signature.
pub fn verify(child: &Certificate, issuer: &Certificate) -> SigCheck {
    let tbs = &child.raw.tbs;
    let sig = &child.raw.signature;
    let key = &issuer.raw.public_key;
    let ok = |b: bool| {
        if b {
            SigCheck::Valid
        } else {
            SigCheck::Invalid
        }
    };
    match (&child.signature_algorithm, &issuer.key) {
        (SignatureAlgorithm::RsaPkcs1 { hash }, KeyInfo::Rsa { .. }) => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            let (Some(scheme), Some(h)) = (pkcs1_scheme(*hash), digest(*hash, tbs)) else {
                return SigCheck::Unsupported;
            };
            match rsa::RsaPublicKey::from_pkcs1_der(key) {
                Ok(k) => ok(k.verify(scheme, &h, sig).is_ok()),
                Err(_) => SigCheck::Invalid,
            }
        }
        (SignatureAlgorithm::RsaPss { hash, salt_len }, KeyInfo::Rsa { .. }) => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            let (Some(scheme), Some(h)) = (pss_scheme(*hash, *salt_len), digest(*hash, tbs)) else {
                return SigCheck::Unsupported;
            };
            match rsa::RsaPublicKey::from_pkcs1_der(key) {
                Ok(k) => ok(k.verify(scheme, &h, sig).is_ok()),
                Err(_) => SigCheck::Invalid,
            }
        }
        (SignatureAlgorithm::Ecdsa { hash }, KeyInfo::Ec { curve, .. }) => {
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            let Some(h) = digest(*hash, tbs) else {
                return SigCheck::Unsupported;
            };
            // The same check for each curve's crate.
            macro_rules! ecdsa {
                ($curve:ident) => {{
                    let (Ok(k), Ok(s)) = (
                        $curve::ecdsa::VerifyingKey::from_sec1_bytes(key),
                        $curve::ecdsa::Signature::from_der(sig),
                    ) else {
                        return SigCheck::Invalid;
                    };
                    ok(k.verify_prehash(&h, &s).is_ok())
                }};
            }
            match curve.as_str() {
                "P-256" => ecdsa!(p256),
                "P-384" => ecdsa!(p384),
                "P-521" => ecdsa!(p521),
                _ => SigCheck::Unsupported,
            }
        }
        (SignatureAlgorithm::Ed25519, KeyInfo::Ed25519) => {
            use ed25519_dalek::Verifier;
            let Ok(bytes) = <[u8; 32]>::try_from(key.as_slice()) else {
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
        (SignatureAlgorithm::Dsa { .. }, _)
        | (SignatureAlgorithm::Unknown { .. }, _)
        | (_, KeyInfo::Unknown { .. })
        | (_, KeyInfo::Dsa { .. }) => SigCheck::Unsupported,
        // An RSA signature with an EC key and the like can never verify.
        _ => SigCheck::Invalid,
    }
}
