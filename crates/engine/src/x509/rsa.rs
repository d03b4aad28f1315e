//! RSA signature verification (PKCS #1 v1.5 and PSS), as Java's SunRsaSign
//! verifies certificate signatures.
//!
//! Why our own: the `rsa` crate and its big-integer crate were about 8 KB of
//! the page's compressed code for one modular exponentiation, and its
//! PKCS #1 v1.5 check refuses a DigestInfo without the NULL parameters,
//! which Java accepts (`RSASignature.engineVerify` tries that encoding too,
//! "some vendors might omit the NULL params"). Only public values are
//! handled, so nothing here needs to run in constant time.
//!
//! Tests compare every result with the `rsa` crate (a dev-dependency) and
//! with certificates OpenSSL signs.

use crate::x509::cert::Hash;
use crate::x509::cert::{der_next_minimal, der_unsigned};
use crate::x509::montgomery;

/// Java reads RSA keys up to 16384 bits (`RSAKeyFactory.MAX_MODLEN`).
pub const MAX_BITS: usize = 16384;

/// Why a signature does not verify, for the caller's two answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsaError {
    /// The key is no RSAPublicKey this code reads (or over 16384 bits).
    Key,
    /// The signature does not verify.
    Signature,
}

/// An RSA public key: modulus and exponent as little-endian 64-bit limbs.
pub struct PublicKey {
    n: Vec<u64>,
    e: Vec<u64>,
    /// The modulus's bit length.
    bits: usize,
}

/// A big-endian unsigned integer as limbs (at least one).
fn limbs(be: &[u8]) -> Vec<u64> {
    let mut out = vec![0u64; be.len().div_ceil(8).max(1)];
    montgomery::from_be(be, &mut out);
    out
}

impl PublicKey {
    /// Reads a PKCS #1 RSAPublicKey (SEQUENCE { modulus, publicExponent }),
    /// the SubjectPublicKeyInfo's key bits.
    pub fn from_pkcs1(der: &[u8]) -> Result<PublicKey, RsaError> {
        let bad = RsaError::Key;
        let (tag, seq, rest) = der_next_minimal(der).ok_or(bad)?;
        if tag != 0x30 || !rest.is_empty() {
            return Err(bad);
        }
        // Read as Java reads a key's numbers: unsigned (a missing 00 pad is
        // the positive number meant); a redundant leading zero, which some
        // Java versions refuse, is not read.
        let (n, seq) = der_unsigned(seq).ok_or(bad)?;
        let (e, seq) = der_unsigned(seq).ok_or(bad)?;
        if !seq.is_empty() {
            return Err(bad);
        }
        let (n, e) = (limbs(n), limbs(e));
        let bit_len =
            |v: &[u64]| 64 * v.len() - v.last().map_or(64, |l| l.leading_zeros() as usize);
        let (bits, e_bits) = (bit_len(&n), bit_len(&e));
        // An even modulus is no RSA modulus (and Montgomery needs it odd).
        if !(2..=MAX_BITS).contains(&bits) || n[0] & 1 == 0 {
            return Err(bad);
        }
        // Java refuses an exponent over 64 bits with a modulus over 3072
        // (RSAKeyFactory.checkKeyLengths); an exponent longer than the
        // modulus is not read either, which bounds the work per check by
        // the modulus's size.
        // (A zero exponent is no key either.)
        if e_bits == 0 || (bits > 3072 && e_bits > 64) || e_bits > bits {
            return Err(bad);
        }
        Ok(PublicKey { n, e, bits })
    }

    fn byte_len(&self) -> usize {
        self.bits.div_ceil(8)
    }

    /// sig^e mod n as a big-endian byte string of the modulus's length, or
    /// `None` when the signature is not of that length or not below n
    /// (Java: "Bad signature length", "Message is larger than modulus").
    fn open(&self, sig: &[u8]) -> Option<Vec<u8>> {
        let k = self.byte_len();
        if sig.len() != k {
            return None;
        }
        let len = self.n.len();
        // k bytes are at most len limbs.
        let mut s = limbs(sig);
        s.resize(len, 0);
        if !montgomery::less(&s, &self.n) {
            return None;
        }
        let m = Mont::new(&self.n);
        let base = m.mul(&s, &m.r2);
        let mut acc = m.mul(&one(len), &m.r2);
        // From e's top bit (65537: 17 squarings, not 64).
        let e_bits = 64 * self.e.len() - self.e.last().map_or(64, |l| l.leading_zeros() as usize);
        for i in (0..e_bits).rev() {
            acc = m.mul(&acc, &acc);
            if self.e[i / 64] >> (i % 64) & 1 == 1 {
                acc = m.mul(&acc, &base);
            }
        }
        let out = m.mul(&acc, &one(len));
        let mut be: Vec<u8> = out.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
        be.drain(..be.len() - k);
        Some(be)
    }

    /// PKCS #1 v1.5 with `hash`: the DigestInfo with NULL parameters, or
    /// without them, as Java accepts.
    pub fn verify_pkcs1(&self, hash: Hash, digest: &[u8], sig: &[u8]) -> Result<(), RsaError> {
        let bad = RsaError::Signature;
        let em = self.open(sig).ok_or(bad)?;
        let oid = digest_oid(hash).ok_or(bad)?;
        let matches = [true, false].iter().any(|&null| {
            let info = digest_info(oid, digest, null);
            em.len() >= info.len() + 11 && {
                let ps = em.len() - info.len() - 3;
                em[..2] == [0, 1]
                    && em[2..2 + ps].iter().all(|&b| b == 0xff)
                    && em[2 + ps] == 0
                    && em[3 + ps..] == info[..]
            }
        });
        if matches {
            Ok(())
        } else {
            Err(bad)
        }
    }

    /// RSASSA-PSS (EMSA-PSS-VERIFY, RFC 8017 9.1.2) with MGF1 over the same
    /// hash and a salt of exactly `salt_len` bytes.
    pub fn verify_pss(
        &self,
        hash: Hash,
        digest: &[u8],
        salt_len: usize,
        sig: &[u8],
    ) -> Result<(), RsaError> {
        let bad = RsaError::Signature;
        let em = self.open(sig).ok_or(bad)?;
        let em_bits = self.bits - 1;
        let em_len = em_bits.div_ceil(8);
        // open() gives k bytes; EM is its last em_len (the first must be 0
        // when em_len < k).
        let (head, em) = em.split_at(em.len() - em_len);
        let h_len = digest.len();
        // (salt_len comes from the certificate: no arithmetic on it that
        // could wrap.)
        if head.iter().any(|&b| b != 0)
            || salt_len > em_len.saturating_sub(h_len + 2)
            || em.last() != Some(&0xbc)
        {
            return Err(bad);
        }
        let (masked, rest) = em.split_at(em_len - h_len - 1);
        let h = &rest[..h_len];
        let top = 8 * em_len - em_bits;
        if top > 0 && masked[0] >> (8 - top) != 0 {
            return Err(bad);
        }
        let mut db = mgf1(hash, h, masked.len()).ok_or(bad)?;
        for (d, m) in db.iter_mut().zip(masked) {
            *d ^= m;
        }
        if top > 0 {
            db[0] &= 0xff >> top;
        }
        let ps = em_len - h_len - salt_len - 2;
        if db[..ps].iter().any(|&b| b != 0) || db[ps] != 1 {
            return Err(bad);
        }
        let salt = &db[ps + 1..];
        let mut m = vec![0u8; 8];
        m.extend_from_slice(digest);
        m.extend_from_slice(salt);
        if super::sig::digest(hash, &m).as_deref() == Some(h) {
            Ok(())
        } else {
            Err(bad)
        }
    }
}

/// MGF1 (RFC 8017 B.2.1) with `hash`, `len` bytes.
fn mgf1(hash: Hash, seed: &[u8], len: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(len);
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut block = seed.to_vec();
        block.extend_from_slice(&counter.to_be_bytes());
        out.extend(super::sig::digest(hash, &block)?);
        counter += 1;
    }
    out.truncate(len);
    Some(out)
}

/// The DER of a digest algorithm's OID (without tag and length).
fn digest_oid(hash: Hash) -> Option<&'static [u8]> {
    Some(match hash {
        Hash::Md5 => &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05],
        Hash::Sha1 => &[0x2b, 0x0e, 0x03, 0x02, 0x1a],
        Hash::Sha224 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04],
        Hash::Sha256 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
        Hash::Sha384 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02],
        Hash::Sha512 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03],
        Hash::Md2 => return None,
    })
}

/// DigestInfo ::= SEQUENCE { AlgorithmIdentifier { oid, NULL? }, OCTET STRING }
/// (every part is short: one-byte lengths).
fn digest_info(oid: &[u8], digest: &[u8], null: bool) -> Vec<u8> {
    let mut alg = vec![0x06, oid.len() as u8];
    alg.extend_from_slice(oid);
    if null {
        alg.extend_from_slice(&[0x05, 0x00]);
    }
    let mut body = vec![0x30, alg.len() as u8];
    body.extend(alg);
    body.extend_from_slice(&[0x04, digest.len() as u8]);
    body.extend_from_slice(digest);
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

fn one(len: usize) -> Vec<u64> {
    let mut v = vec![0u64; len];
    v[0] = 1;
    v
}

/// Montgomery arithmetic modulo an odd `n` (R = 2^(64·len)).
struct Mont<'a> {
    n: &'a [u64],
    neg_inv: u64,
    r2: Vec<u64>,
}

impl<'a> Mont<'a> {
    fn new(n: &'a [u64]) -> Mont<'a> {
        let mut m = Mont {
            n,
            neg_inv: montgomery::neg_inv(n[0]),
            r2: Vec::new(),
        };
        // R mod n: 2^bits - n (below n, as n > 2^(bits-1)), doubled up to
        // R = 2^(64·len); that is 1 in Montgomery form, and its double 2.
        let len = n.len();
        let bits = 64 * len - n[len - 1].leading_zeros() as usize;
        let mut x = vec![0u64; len];
        if bits < 64 * len {
            x[bits / 64] = 1 << (bits % 64);
        }
        // (When bits = 64·len, 0 - n wraps to 2^(64·len) - n.)
        montgomery::sub_assign(&mut x, n);
        for _ in bits..64 * len {
            m.double(&mut x);
        }
        let mut two = x.clone();
        m.double(&mut two);
        // R² mod n is 2^(64·len) in Montgomery form: square and multiply by
        // 2 over the bits of 64·len (a few dozen products).
        let e = 64 * len;
        let mut acc = x;
        for i in (0..usize::BITS - e.leading_zeros()).rev() {
            acc = m.mul(&acc, &acc);
            if e >> i & 1 == 1 {
                acc = m.mul(&acc, &two);
            }
        }
        m.r2 = acc;
        m
    }

    /// x ← 2x mod n, for x < n.
    fn double(&self, x: &mut [u64]) {
        let mut carry = false;
        for l in x.iter_mut() {
            let top = *l >> 63 == 1;
            *l = *l << 1 | u64::from(carry);
            carry = top;
        }
        if carry || !montgomery::less(x, self.n) {
            montgomery::sub_assign(x, self.n);
        }
    }

    /// a·b·R⁻¹ mod n, for a, b < n.
    fn mul(&self, a: &[u64], b: &[u64]) -> Vec<u64> {
        let n = self.n.len();
        let (mut t, mut out) = (vec![0u64; n + 2], vec![0u64; n]);
        montgomery::mul(a, b, self.n, self.neg_inv, &mut t, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_infos_are_the_standard_prefixes() {
        // RFC 8017 9.2 note 1: the SHA-256 DigestInfo prefix.
        let info = digest_info(digest_oid(Hash::Sha256).unwrap(), &[0xab; 32], true);
        assert_eq!(
            info[..19],
            [
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20
            ]
        );
        let sha1 = digest_info(digest_oid(Hash::Sha1).unwrap(), &[0; 20], true);
        assert_eq!(
            sha1[..15],
            [
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14
            ]
        );
    }

    #[test]
    fn keys_that_are_not_rsa_keys_are_refused() {
        for der in [
            &[][..],
            &[0x30, 0x00][..],
            // Even modulus.
            &[0x30, 0x06, 0x02, 0x01, 0x04, 0x02, 0x01, 0x03][..],
            // Redundant leading zero.
            &[0x30, 0x07, 0x02, 0x02, 0x00, 0x05, 0x02, 0x01, 0x03][..],
            // Zero exponent.
            &[0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x00][..],
            // Trailing byte.
            &[0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03, 0x00][..],
            // Non-minimal length.
            &[0x30, 0x81, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03][..],
        ] {
            assert!(PublicKey::from_pkcs1(der).is_err(), "{der:02x?}");
        }
        assert!(PublicKey::from_pkcs1(&[0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03]).is_ok());
        // Without its 00 pad the modulus is read as unsigned, as Java reads it.
        assert!(PublicKey::from_pkcs1(&[0x30, 0x06, 0x02, 0x01, 0x85, 0x02, 0x01, 0x03]).is_ok());
        // A 4096-bit modulus with a 65-bit exponent: Java refuses it; with
        // 65537 it is read.
        let tlv = |tag: u8, body: &[u8]| {
            let mut v = vec![tag];
            if body.len() < 0x80 {
                v.push(body.len() as u8);
            } else {
                v.push(0x82);
                v.extend_from_slice(&(body.len() as u16).to_be_bytes());
            }
            v.extend_from_slice(body);
            v
        };
        let mut n = vec![0xc5u8; 512];
        n[511] = 0x01;
        let key = |e: &[u8]| tlv(0x30, &[tlv(0x02, &n), tlv(0x02, e)].concat());
        assert_eq!(
            PublicKey::from_pkcs1(&key(&[1, 0, 0, 0, 0, 0, 0, 0, 1])).err(),
            Some(RsaError::Key)
        );
        assert!(PublicKey::from_pkcs1(&key(&[1, 0, 1])).is_ok());
        // An exponent longer than the modulus is not read.
        let small = |e: &[u8]| tlv(0x30, &[tlv(0x02, &[0x05]), tlv(0x02, e)].concat());
        assert!(PublicKey::from_pkcs1(&small(&[0x03])).is_ok());
        assert_eq!(
            PublicKey::from_pkcs1(&small(&[0x09])).err(),
            Some(RsaError::Key)
        );
    }
}
