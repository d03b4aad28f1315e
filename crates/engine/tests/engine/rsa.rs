//! Our RSA (x509/rsa.rs) against the `rsa` crate, the reference: PKCS #1
//! v1.5 and PSS signatures it makes verify, with every digest Java pairs
//! with RSA and every salt length; tampered ones fail as they fail there.
//! Where Java and the crate differ (a DigestInfo without its NULL
//! parameters, which Java's RSASignature accepts), ours follows Java.

use imap_doctor_engine::x509::cert::Hash;
use imap_doctor_engine::x509::rsa::{PublicKey, RsaError};
use proptest::prelude::*;
use rand::SeedableRng;
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPrivateKey};
use sha2::Digest;
use std::sync::OnceLock;

/// Keys of even and odd bit lengths (PSS drops the top bit of the modulus;
/// a length of 8k+1 bits makes its encoded message a byte shorter).
fn keys() -> &'static [(RsaPrivateKey, Vec<u8>)] {
    static KEYS: OnceLock<Vec<(RsaPrivateKey, Vec<u8>)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rand::rngs::StdRng::seed_from_u64(20261126);
        [1024usize, 1025, 2048, 2055]
            .iter()
            .map(|&bits| {
                let k = RsaPrivateKey::new(&mut rng, bits).unwrap();
                let der = public_der(&k);
                (k, der)
            })
            .collect()
    })
}

/// The public key as the certificate carries it (PKCS #1 RSAPublicKey).
fn public_der(k: &RsaPrivateKey) -> Vec<u8> {
    k.to_public_key()
        .to_pkcs1_der()
        .unwrap()
        .as_bytes()
        .to_vec()
}

fn hash_of(i: u8) -> Hash {
    [
        Hash::Sha1,
        Hash::Sha224,
        Hash::Sha256,
        Hash::Sha384,
        Hash::Sha512,
    ][usize::from(i % 5)]
}

fn digest(h: Hash, m: &[u8]) -> Vec<u8> {
    match h {
        Hash::Sha1 => sha1::Sha1::digest(m).to_vec(),
        Hash::Sha224 => sha2::Sha224::digest(m).to_vec(),
        Hash::Sha256 => sha2::Sha256::digest(m).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(m).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(m).to_vec(),
        _ => unreachable!(),
    }
}

fn pkcs1(h: Hash) -> Pkcs1v15Sign {
    match h {
        Hash::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
        Hash::Sha224 => Pkcs1v15Sign::new::<sha2::Sha224>(),
        Hash::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        Hash::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        Hash::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
        _ => unreachable!(),
    }
}

fn pss(h: Hash, salt: usize) -> Pss {
    match h {
        Hash::Sha1 => Pss::new_with_salt::<sha1::Sha1>(salt),
        Hash::Sha224 => Pss::new_with_salt::<sha2::Sha224>(salt),
        Hash::Sha256 => Pss::new_with_salt::<sha2::Sha256>(salt),
        Hash::Sha384 => Pss::new_with_salt::<sha2::Sha384>(salt),
        Hash::Sha512 => Pss::new_with_salt::<sha2::Sha512>(salt),
        _ => unreachable!(),
    }
}

/// The private operation on an encoded message of our making.
fn raw_sign(k: &RsaPrivateKey, em: &[u8]) -> Vec<u8> {
    let s = rsa::hazmat::rsa_decrypt_and_check(
        k,
        None::<&mut rand::rngs::StdRng>,
        &BigUint::from_bytes_be(em),
    )
    .unwrap()
    .to_bytes_be();
    let mut out = vec![0u8; k.size() - s.len()];
    out.extend(s);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn pkcs1_agrees_with_the_reference(
        key in 0usize..4,
        h in any::<u8>(),
        msg in proptest::collection::vec(any::<u8>(), 0..64),
        flip in any::<(usize, u8)>(),
    ) {
        let (k, der) = &keys()[key];
        let hash = hash_of(h);
        let d = digest(hash, &msg);
        let sig = k.sign(pkcs1(hash), &d).unwrap();
        let ours = PublicKey::from_pkcs1(der).unwrap();
        prop_assert_eq!(ours.verify_pkcs1(hash, &d, &sig), Ok(()));

        let mut bad = sig.clone();
        let i = flip.0 % bad.len();
        bad[i] ^= flip.1 | 1;
        let reference = k.to_public_key().verify(pkcs1(hash), &d, &bad).is_ok();
        prop_assert_eq!(ours.verify_pkcs1(hash, &d, &bad).is_ok(), reference);

        let mut other = d.clone();
        let j = flip.0 % other.len();
        other[j] ^= flip.1 | 1;
        prop_assert_eq!(ours.verify_pkcs1(hash, &other, &sig), Err(RsaError::Signature));
        // Another hash's DigestInfo never matches.
        prop_assert!(ours.verify_pkcs1(hash_of(h % 5 + 1), &d, &sig).is_err());
    }

    #[test]
    fn pss_agrees_with_the_reference(
        key in 0usize..4,
        h in any::<u8>(),
        salt in 0usize..=64,
        msg in proptest::collection::vec(any::<u8>(), 0..64),
        flip in any::<(usize, u8)>(),
        seed in any::<u64>(),
    ) {
        let (k, der) = &keys()[key];
        let hash = hash_of(h);
        let d = digest(hash, &msg);
        // The salt fits the key (RFC 8017: emLen >= hLen + sLen + 2).
        let salt = salt.min((k.n().bits() - 1).div_ceil(8) - d.len() - 2);
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let sig = k.sign_with_rng(&mut rng, pss(hash, salt), &d).unwrap();
        let ours = PublicKey::from_pkcs1(der).unwrap();
        prop_assert_eq!(ours.verify_pss(hash, &d, salt, &sig), Ok(()));
        // Java checks the salt length the parameters give.
        prop_assert!(ours.verify_pss(hash, &d, salt + 1, &sig).is_err());

        let mut bad = sig.clone();
        let i = flip.0 % bad.len();
        bad[i] ^= flip.1 | 1;
        let reference = k.to_public_key().verify(pss(hash, salt), &d, &bad).is_ok();
        prop_assert_eq!(ours.verify_pss(hash, &d, salt, &bad).is_ok(), reference);
    }
}

/// Java's RSASignature also accepts a DigestInfo whose AlgorithmIdentifier
/// omits the NULL parameters ("some vendors might omit the NULL params");
/// the `rsa` crate does not. Broken padding fails in both.
#[test]
fn pkcs1_digest_info_without_null_is_accepted_as_java_does() {
    let (k, der) = &keys()[2];
    let d = sha2::Sha256::digest(b"tbs").to_vec();
    let info_without_null: Vec<u8> = [
        &[
            0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x04, 0x20,
        ][..],
        &d,
    ]
    .concat();
    let em = |first: u8, fill: u8| {
        let mut em = vec![0x00, first];
        em.extend(std::iter::repeat_n(
            fill,
            k.size() - info_without_null.len() - 3,
        ));
        em.push(0x00);
        em.extend_from_slice(&info_without_null);
        em
    };
    let ours = PublicKey::from_pkcs1(der).unwrap();
    let sig = raw_sign(k, &em(0x01, 0xff));
    assert_eq!(ours.verify_pkcs1(Hash::Sha256, &d, &sig), Ok(()));
    assert!(k
        .to_public_key()
        .verify(pkcs1(Hash::Sha256), &d, &sig)
        .is_err());
    // Block type 2 and a padding byte that is not 0xff: bad in both.
    for bad in [em(0x02, 0xff), em(0x01, 0xfe)] {
        let sig = raw_sign(k, &bad);
        assert_eq!(
            ours.verify_pkcs1(Hash::Sha256, &d, &sig),
            Err(RsaError::Signature)
        );
    }
    // A signature one byte short, or not below the modulus: bad.
    let good = k.sign(pkcs1(Hash::Sha256), &d).unwrap();
    assert!(ours.verify_pkcs1(Hash::Sha256, &d, &good[1..]).is_err());
    let n = k.n().to_bytes_be();
    assert!(ours.verify_pkcs1(Hash::Sha256, &d, &n).is_err());
}

/// Exponent 3 (multi-step exponentiation from the top bit), a 4096-bit key,
/// and a PSS salt length near the integer's limit (it comes from the
/// certificate): verified or refused, never a panic.
#[test]
fn small_exponent_large_key_and_absurd_salt() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let k3 = RsaPrivateKey::new_with_exp(&mut rng, 1024, &BigUint::from(3u32)).unwrap();
    let k4096 = RsaPrivateKey::new(&mut rng, 4096).unwrap();
    for k in [&k3, &k4096] {
        let ours = PublicKey::from_pkcs1(&public_der(k)).unwrap();
        let d = sha2::Sha256::digest(b"tbs").to_vec();
        let sig = k.sign(pkcs1(Hash::Sha256), &d).unwrap();
        assert_eq!(ours.verify_pkcs1(Hash::Sha256, &d, &sig), Ok(()));
        let pss_sig = k
            .sign_with_rng(&mut rng, pss(Hash::Sha256, 32), &d)
            .unwrap();
        assert_eq!(ours.verify_pss(Hash::Sha256, &d, 32, &pss_sig), Ok(()));
        for salt in [usize::MAX, usize::MAX - 33, u32::MAX as usize, k.size()] {
            assert_eq!(
                ours.verify_pss(Hash::Sha256, &d, salt, &pss_sig),
                Err(RsaError::Signature)
            );
        }
    }
}
