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

/// A valid P-256 signature, its key and digest, whose r has its top bit set
/// (so DER pads it with a 00).
fn padded_r_signature() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    use p256::ecdsa::signature::hazmat::PrehashSigner;
    let sk = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
    let key = sk
        .verifying_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec();
    for i in 0u8..=255 {
        let d = [i; 32];
        let sig: p256::ecdsa::Signature = sk.sign_prehash(&d).unwrap();
        let der = sig.to_der().as_bytes().to_vec();
        // SEQUENCE, len, INTEGER, 0x21, 00, r…
        if der[3] == 0x21 {
            return (key, d.to_vec(), der);
        }
    }
    unreachable!("half of all r have the top bit set")
}

/// Encodings built from a valid signature: what Java's strict DER refuses
/// is a bad signature here too; a missing 00 pad is read as Java reads it
/// (getPositiveBigInteger: unsigned).
#[test]
fn signature_encodings_as_java_reads_them() {
    let (key, d, der) = padded_r_signature();
    assert_eq!(verify(Curve::P256, &key, &d, &der), Ok(()));
    let body = &der[2..];
    let reseq = |body: &[u8]| [&[0x30, body.len() as u8][..], body].concat();
    // A byte after the SEQUENCE, and one inside it after s.
    let mut trailing = der.clone();
    trailing.push(0);
    let inside = reseq(&[body, &[0x05, 0x00]].concat());
    // r with a second, redundant 00.
    let r_len = usize::from(body[1]);
    let (r, s) = (&body[2..2 + r_len], &body[2 + r_len..]);
    let redundant = reseq(&[&[0x02, (r_len + 1) as u8, 0x00][..], r, s].concat());
    // The SEQUENCE's length in long form.
    let long = [&[0x30, 0x81, body.len() as u8][..], body].concat();
    for bad in [trailing, inside, redundant, long] {
        assert_eq!(
            verify(Curve::P256, &key, &d, &bad),
            Err(EcdsaError::Signature),
            "{bad:02x?}"
        );
    }
    // r without its 00 pad: Java reads the same number.
    let unpadded = reseq(&[&[0x02, (r_len - 1) as u8][..], &r[1..], s].concat());
    assert_eq!(verify(Curve::P256, &key, &d, &unpadded), Ok(()));
}

/// Keys ±G (private keys 1 and n-1): u1·G + u2·Q then adds G to ±G, the
/// doubling and point-at-infinity branches of the addition.
#[test]
fn keys_plus_and_minus_the_generator() {
    for c in [Curve::P256, Curve::P384, Curve::P521] {
        let bytes = match c {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        };
        let mut one = [0u8; 66];
        one[65] = 1;
        let n_minus_1: Vec<u8> = match c {
            Curve::P256 => hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550"),
            Curve::P384 => hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52972"),
            Curve::P521 => hex("01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386408"),
        };
        for secret in [one[66 - bytes..].to_vec(), n_minus_1] {
            let mut seed = [0u8; 66];
            seed[..bytes].copy_from_slice(&secret);
            for d in [vec![1u8; 32], vec![0xffu8; 48], vec![0u8; 20]] {
                let (key, sig, twin) = reference_sign(c, &seed, &d).unwrap();
                assert_eq!(verify(c, &key, &d, &sig), Ok(()), "{c:?}");
                assert_eq!(verify(c, &key, &d, &twin), Ok(()), "{c:?}");
            }
        }
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}
