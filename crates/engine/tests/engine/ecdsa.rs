//! Our ECDSA (x509/ecdsa.rs) against RustCrypto's curve crates, the
//! reference: signatures they make verify, with every digest length Java
//! pairs with a curve; tampered digests and signatures fail the same way;
//! the high-s twin of a signature verifies as it does there.

use imap_doctor_engine::x509::ecdsa::{verify, Curve, EcdsaError};
use proptest::prelude::*;

/// Signs `digest` with the secret scalar from `seed` on `curve` with the
/// reference crate, and returns (SEC 1 uncompressed key, DER signature,
/// DER of the same signature with s replaced by n - s).
fn reference_sign(
    curve: Curve,
    seed: &[u8; 66],
    digest: &[u8],
) -> Option<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    macro_rules! sign {
        ($c:ident, $bytes:expr) => {{
            use $c::ecdsa::signature::hazmat::PrehashSigner;
            let sk = $c::ecdsa::SigningKey::from_slice(&seed[..$bytes]).ok()?;
            // The crates refuse prehashes shorter than half the field; the
            // same integer left-padded with zeros is what bits2int reads.
            let mut pre = vec![0u8; ($bytes as usize).saturating_sub(digest.len())];
            pre.extend_from_slice(digest);
            let sig: $c::ecdsa::Signature = sk.sign_prehash(&pre).ok()?;
            let key = sk
                .verifying_key()
                .to_encoded_point(false)
                .as_bytes()
                .to_vec();
            let (r, s) = sig.split_scalars();
            let twin = $c::ecdsa::Signature::from_scalars(r, -*s).ok()?;
            Some((
                key,
                sig.to_der().as_bytes().to_vec(),
                twin.to_der().as_bytes().to_vec(),
            ))
        }};
    }
    match curve {
        Curve::P256 => sign!(p256, 32),
        Curve::P384 => sign!(p384, 48),
        Curve::P521 => {
            use p521::ecdsa::signature::hazmat::PrehashSigner;
            let sk = p521::ecdsa::SigningKey::from_slice(&seed[..66]).ok()?;
            let mut pre = vec![0u8; 66usize.saturating_sub(digest.len())];
            pre.extend_from_slice(digest);
            let sig: p521::ecdsa::Signature = sk.sign_prehash(&pre).ok()?;
            let vk = p521::ecdsa::VerifyingKey::from(&sk);
            let key = vk.to_encoded_point(false).as_bytes().to_vec();
            let (r, s) = sig.split_scalars();
            let twin = p521::ecdsa::Signature::from_scalars(r, -*s).ok()?;
            Some((
                key,
                sig.to_der().as_bytes().to_vec(),
                twin.to_der().as_bytes().to_vec(),
            ))
        }
    }
}

/// The reference's verdict on a (possibly tampered) signature.
fn reference_verify(curve: Curve, key: &[u8], digest: &[u8], sig: &[u8]) -> bool {
    macro_rules! check {
        ($c:ident, $bytes:expr) => {{
            use $c::ecdsa::signature::hazmat::PrehashVerifier;
            let Ok(vk) = $c::ecdsa::VerifyingKey::from_sec1_bytes(key) else {
                return false;
            };
            let Ok(s) = $c::ecdsa::Signature::from_der(sig) else {
                return false;
            };
            let mut pre = vec![0u8; ($bytes as usize).saturating_sub(digest.len())];
            pre.extend_from_slice(digest);
            vk.verify_prehash(&pre, &s).is_ok()
        }};
    }
    match curve {
        Curve::P256 => check!(p256, 32),
        Curve::P384 => check!(p384, 48),
        Curve::P521 => check!(p521, 66),
    }
}

fn curve() -> impl Strategy<Value = Curve> {
    prop_oneof![Just(Curve::P256), Just(Curve::P384), Just(Curve::P521)]
}

/// SHA-1, SHA-224, SHA-256, SHA-384 and SHA-512 digest lengths.
fn digest() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![Just(20usize), Just(28), Just(32), Just(48), Just(64)]
        .prop_flat_map(|n| proptest::collection::vec(any::<u8>(), n))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn agrees_with_the_reference(
        c in curve(),
        seed in proptest::collection::vec(any::<u8>(), 66),
        d in digest(),
        flip in any::<(usize, u8)>(),
    ) {
        let mut seed: [u8; 66] = seed.try_into().unwrap();
        // P-521's scalar is below 2^521: its top byte is 0 or 1.
        if c == Curve::P521 {
            seed[0] &= 1;
        }
        let Some((key, sig, twin)) = reference_sign(c, &seed, &d) else {
            return Ok(());
        };
        prop_assert_eq!(verify(c, &key, &d, &sig), Ok(()));
        prop_assert_eq!(verify(c, &key, &d, &twin), Ok(()));
        prop_assert!(reference_verify(c, &key, &d, &twin));

        // Another digest (in the bytes bits2int keeps: a digest longer
        // than the order is cut to its leading bytes): both refuse.
        let kept = match c { Curve::P256 => 32, Curve::P384 => 48, Curve::P521 => 66 };
        let mut other = d.clone();
        let i = flip.0 % other.len().min(kept);
        other[i] ^= flip.1 | 1;
        prop_assert!(!reference_verify(c, &key, &other, &sig));
        prop_assert_eq!(verify(c, &key, &other, &sig), Err(EcdsaError::Signature));

        // A byte of the signature changed: the same verdict as the reference.
        let mut bad = sig.clone();
        let j = flip.0 % bad.len();
        bad[j] ^= flip.1 | 1;
        prop_assert_eq!(verify(c, &key, &d, &bad).is_ok(), reference_verify(c, &key, &d, &bad));

        // A byte of the key changed: never valid; the reference cannot read
        // the key exactly when we cannot.
        let mut k2 = key.clone();
        let j = 1 + flip.0 % (k2.len() - 1);
        k2[j] ^= flip.1 | 1;
        let ours = verify(c, &k2, &d, &sig);
        prop_assert!(ours.is_err());
        let readable = match c {
            Curve::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(&k2).is_ok(),
            Curve::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(&k2).is_ok(),
            Curve::P521 => p521::ecdsa::VerifyingKey::from_sec1_bytes(&k2).is_ok(),
        };
        prop_assert_eq!(ours == Err(EcdsaError::Key), !readable);
    }
}

/// A signature OpenSSL made, through the engine's certificate check: an EC
/// CA on each curve signs a server certificate with each digest.
#[test]
fn openssl_signed_certificates_verify() {
    use imap_doctor_engine::x509::cert::Certificate;
    use imap_doctor_engine::x509::sig::{verify as sig_verify, SigCheck};
    use imap_doctor_testkit::{openssl_chain, scratch, OsslSpec};
    for curve in ["P-256", "P-384", "P-521"] {
        for md in ["sha1", "sha256", "sha384", "sha512"] {
            let key = format!("ec:{curve}");
            let spec = |name, subject, key, ca| OsslSpec {
                name,
                subject,
                key,
                digest: md,
                ca,
                pss: false,
            };
            let c = openssl_chain(
                &scratch(&format!("ecdsa-{curve}-{md}")),
                &[
                    spec("root", "/CN=EC CA", &key, true),
                    spec("leaf", "/CN=imap.example.org", "ec:P-256", false),
                ],
            );
            let ca = Certificate::from_der(&c[0].der).unwrap();
            let leaf = Certificate::from_der(&c[1].der).unwrap();
            assert_eq!(sig_verify(&leaf, &ca), SigCheck::Valid, "{curve} {md}");
            assert_eq!(
                sig_verify(&ca, &ca),
                SigCheck::Valid,
                "{curve} {md} self-signed"
            );
            // The leaf's own key did not sign it.
            assert_eq!(sig_verify(&leaf, &leaf), SigCheck::Invalid, "{curve} {md}");
        }
    }
}
