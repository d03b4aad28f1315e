//! ECDSA signature verification over the NIST prime curves P-256, P-384 and
//! P-521, the curves Java verifies certificate signatures with.
//!
//! Why our own: the RustCrypto curve crates carry each curve's arithmetic as
//! separate, fully unrolled code (P-384 alone was about a sixth of the page's
//! code), while verification needs one modular multiplication and a handful
//! of point formulas. Here one Montgomery multiplication serves every curve
//! and both moduli (the field prime and the group order), so the page checks
//! all three curves (P-521 included) in a few kilobytes. Only public values
//! are handled (a signature, a public key, a digest): nothing here needs to
//! run in constant time.
//!
//! Tests compare every result with the RustCrypto crates (signatures they
//! make, with every digest length, and tampered ones) and with certificates
//! OpenSSL signs.

use crate::x509::cert::{der_next_minimal, der_unsigned};
use crate::x509::montgomery;

/// Limbs of the widest modulus: P-521's 521 bits need nine 64-bit limbs.
const MAX: usize = 9;

/// An integer as little-endian 64-bit limbs; only a modulus's `len` limbs
/// are used.
type Limbs = [u64; MAX];

/// The NIST prime curves Java's certificates use; every one has a = -3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
}

/// Why a signature does not verify, for the caller's two answers: a key
/// that cannot be read is "could not check"; a bad signature is "invalid".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcdsaError {
    /// The public key is not an uncompressed point on the curve.
    Key,
    /// The signature is not a DER SEQUENCE of two integers in [1, n-1], or
    /// it does not verify.
    Signature,
}

impl Curve {
    pub fn from_name(name: &str) -> Option<Curve> {
        match name {
            "P-256" => Some(Curve::P256),
            "P-384" => Some(Curve::P384),
            "P-521" => Some(Curve::P521),
            _ => None,
        }
    }

    /// (p, n, b, Gx, Gy) in hex, big-endian, from FIPS 186-4 / SEC 2.
    fn constants(self) -> [&'static str; 5] {
        match self {
            Curve::P256 => [
                "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
                "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
                "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
                "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
                "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
            ],
            Curve::P384 => [
                "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
                "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
                "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
                "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
                "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
            ],
            Curve::P521 => [
                "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
                "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
                "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
                "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
            ],
        }
    }

    /// Bytes of a field element (and of the order) on the wire.
    fn bytes(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }
}

fn unhex(s: &str) -> Vec<u8> {
    let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
    s.as_bytes()
        .chunks(2)
        .map(|p| digit(p[0]) << 4 | p.get(1).map_or(0, |&c| digit(c)))
        .collect()
}

/// A big-endian integer as limbs, or `None` when it needs more than `len`
/// limbs' worth of bytes (after leading zeros).
fn from_be(be: &[u8], len: usize) -> Option<Limbs> {
    let mut out = [0u64; MAX];
    montgomery::from_be(be, &mut out[..len]).then_some(out)
}

fn is_zero(a: &Limbs) -> bool {
    a.iter().all(|&l| l == 0)
}

/// a < b over the first `len` limbs.
fn less(a: &Limbs, b: &Limbs, len: usize) -> bool {
    montgomery::less(&a[..len], &b[..len])
}

/// a - b over `len` limbs, and whether it borrowed.
fn sub_raw(a: &Limbs, b: &Limbs, len: usize) -> (Limbs, bool) {
    let mut out = *a;
    let borrow = montgomery::sub_assign(&mut out[..len], &b[..len]);
    (out, borrow)
}

/// a + b over `len` limbs, and whether it carried.
fn add_raw(a: &Limbs, b: &Limbs, len: usize) -> (Limbs, bool) {
    let mut out = *a;
    let carry = montgomery::add_assign(&mut out[..len], &b[..len]);
    (out, carry)
}

/// An odd modulus with its Montgomery constants (R = 2^(64·len)).
struct Modulus {
    m: Limbs,
    len: usize,
    /// -m⁻¹ mod 2^64.
    neg_inv: u64,
    /// R² mod m, to bring a number into Montgomery form.
    r2: Limbs,
}

impl Modulus {
    fn new(m: Limbs, len: usize) -> Modulus {
        let mut md = Modulus {
            m,
            len,
            neg_inv: montgomery::neg_inv(m[0]),
            r2: [0; MAX],
        };
        // 2^(128·len) mod m by doubling 1; a few hundred additions, once
        // per verification.
        let mut x = [0u64; MAX];
        x[0] = 1;
        for _ in 0..128 * len {
            x = md.add(&x, &x);
        }
        md.r2 = x;
        md
    }

    fn add(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let (s, carry) = add_raw(a, b, self.len);
        if carry || !less(&s, &self.m, self.len) {
            sub_raw(&s, &self.m, self.len).0
        } else {
            s
        }
    }

    fn sub(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let (d, borrow) = sub_raw(a, b, self.len);
        if borrow {
            add_raw(&d, &self.m, self.len).0
        } else {
            d
        }
    }

    /// a·b·R⁻¹ mod m, for a·b < m·R.
    fn mul(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let n = self.len;
        let (mut t, mut r) = ([0u64; MAX + 2], [0u64; MAX]);
        montgomery::mul(
            &a[..n],
            &b[..n],
            &self.m[..n],
            self.neg_inv,
            &mut t[..n + 2],
            &mut r[..n],
        );
        r
    }

    fn mont(&self, a: &Limbs) -> Limbs {
        self.mul(a, &self.r2)
    }

    fn plain(&self, a: &Limbs) -> Limbs {
        let mut one = [0u64; MAX];
        one[0] = 1;
        self.mul(a, &one)
    }

    /// a⁻¹ in Montgomery form, by Fermat (m is prime): a^(m-2).
    fn inv(&self, a: &Limbs) -> Limbs {
        let mut two = [0u64; MAX];
        two[0] = 2;
        let e = sub_raw(&self.m, &two, self.len).0;
        let mut acc = self.mont(&{
            let mut one = [0u64; MAX];
            one[0] = 1;
            one
        });
        for i in (0..64 * self.len).rev() {
            acc = self.mul(&acc, &acc);
            if e[i / 64] >> (i % 64) & 1 == 1 {
                acc = self.mul(&acc, a);
            }
        }
        acc
    }
}

/// A point in Jacobian coordinates (X/Z², Y/Z³), Montgomery form; Z = 0 is
/// the point at infinity.
#[derive(Clone, Copy)]
struct Point {
    x: Limbs,
    y: Limbs,
    z: Limbs,
}

struct Group {
    p: Modulus,
    n: Modulus,
    /// The order's bit length (bits2int keeps this many leading bits).
    n_bits: usize,
    b: Limbs,
    g: Point,
    one: Limbs,
    bytes: usize,
}

impl Group {
    fn new(curve: Curve) -> Group {
        let [p, n, b, gx, gy] = curve.constants().map(unhex);
        let bytes = curve.bytes();
        let len = bytes.div_ceil(8);
        let limbs = |v: &[u8]| from_be(v, len).unwrap_or([0; MAX]);
        let p = Modulus::new(limbs(&p), len);
        let n_bits = n.len() * 8 - n.first().map_or(0, |b| b.leading_zeros() as usize);
        let n = Modulus::new(limbs(&n), len);
        let mut one = [0u64; MAX];
        one[0] = 1;
        let one = p.mont(&one);
        Group {
            b: p.mont(&limbs(&b)),
            g: Point {
                x: p.mont(&limbs(&gx)),
                y: p.mont(&limbs(&gy)),
                z: one,
            },
            one,
            p,
            n,
            n_bits,
            bytes,
        }
    }

    /// y² = x³ - 3x + b, for coordinates in Montgomery form.
    fn on_curve(&self, x: &Limbs, y: &Limbs) -> bool {
        let f = &self.p;
        let x3 = f.mul(&f.mul(x, x), x);
        let three_x = f.add(&f.add(x, x), x);
        let rhs = f.add(&f.sub(&x3, &three_x), &self.b);
        f.mul(y, y) == rhs
    }

    /// 2P (dbl-2001-b, a = -3).
    fn double(&self, p: &Point) -> Point {
        let f = &self.p;
        let delta = f.mul(&p.z, &p.z);
        let gamma = f.mul(&p.y, &p.y);
        let beta = f.mul(&p.x, &gamma);
        let t = f.mul(&f.sub(&p.x, &delta), &f.add(&p.x, &delta));
        let alpha = f.add(&f.add(&t, &t), &t);
        let beta4 = f.add(&f.add(&beta, &beta), &f.add(&beta, &beta));
        let beta8 = f.add(&beta4, &beta4);
        let x3 = f.sub(&f.mul(&alpha, &alpha), &beta8);
        let yz = f.add(&p.y, &p.z);
        let z3 = f.sub(&f.sub(&f.mul(&yz, &yz), &gamma), &delta);
        let g2 = f.mul(&gamma, &gamma);
        let g8 = {
            let g2x2 = f.add(&g2, &g2);
            let g2x4 = f.add(&g2x2, &g2x2);
            f.add(&g2x4, &g2x4)
        };
        let y3 = f.sub(&f.mul(&alpha, &f.sub(&beta4, &x3)), &g8);
        Point {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// P + Q (add-2007-bl), with the cases the formula cannot take
    /// (either point at infinity, P = Q, P = -Q) handled first.
    fn add(&self, p: &Point, q: &Point) -> Point {
        if is_zero(&p.z) {
            return *q;
        }
        if is_zero(&q.z) {
            return *p;
        }
        let f = &self.p;
        let z1z1 = f.mul(&p.z, &p.z);
        let z2z2 = f.mul(&q.z, &q.z);
        let u1 = f.mul(&p.x, &z2z2);
        let u2 = f.mul(&q.x, &z1z1);
        let s1 = f.mul(&f.mul(&p.y, &q.z), &z2z2);
        let s2 = f.mul(&f.mul(&q.y, &p.z), &z1z1);
        let h = f.sub(&u2, &u1);
        let r_half = f.sub(&s2, &s1);
        if is_zero(&h) {
            return if is_zero(&r_half) {
                self.double(p)
            } else {
                Point {
                    x: self.one,
                    y: self.one,
                    z: [0; MAX],
                }
            };
        }
        let h2 = f.add(&h, &h);
        let i = f.mul(&h2, &h2);
        let j = f.mul(&h, &i);
        let r = f.add(&r_half, &r_half);
        let v = f.mul(&u1, &i);
        let x3 = f.sub(&f.sub(&f.mul(&r, &r), &j), &f.add(&v, &v));
        let s1j = f.mul(&s1, &j);
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.add(&s1j, &s1j));
        let zz = f.add(&p.z, &q.z);
        let z3 = f.mul(&f.sub(&f.sub(&f.mul(&zz, &zz), &z1z1), &z2z2), &h);
        Point {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// u1·G + u2·Q in one pass over the bits (Shamir's trick).
    fn double_mul(&self, u1: &Limbs, q: &Point, u2: &Limbs) -> Point {
        let gq = self.add(&self.g, q);
        let mut acc = Point {
            x: self.one,
            y: self.one,
            z: [0; MAX],
        };
        for i in (0..self.n_bits).rev() {
            acc = self.double(&acc);
            let b1 = u1[i / 64] >> (i % 64) & 1 == 1;
            let b2 = u2[i / 64] >> (i % 64) & 1 == 1;
            let add = match (b1, b2) {
                (true, true) => Some(&gq),
                (true, false) => Some(&self.g),
                (false, true) => Some(q),
                (false, false) => None,
            };
            if let Some(t) = add {
                acc = self.add(&acc, t);
            }
        }
        acc
    }
}

/// Checks an ECDSA signature (`sig`, DER) by the key `point` (a SEC 1
/// uncompressed point) over a message whose digest is `digest`.
///
/// Java reads only uncompressed points (`ECUtil.decodePoint`), so a
/// compressed one is a key this code does not check either.
pub fn verify(curve: Curve, point: &[u8], digest: &[u8], sig: &[u8]) -> Result<(), EcdsaError> {
    let g = Group::new(curve);
    let len = g.bytes.div_ceil(8);
    let (x, y) = match point {
        [4, xy @ ..] if xy.len() == 2 * g.bytes => xy.split_at(g.bytes),
        _ => return Err(EcdsaError::Key),
    };
    let (Some(x), Some(y)) = (from_be(x, len), from_be(y, len)) else {
        return Err(EcdsaError::Key);
    };
    if !less(&x, &g.p.m, len) || !less(&y, &g.p.m, len) {
        return Err(EcdsaError::Key);
    }
    let q = Point {
        x: g.p.mont(&x),
        y: g.p.mont(&y),
        z: g.one,
    };
    if !g.on_curve(&q.x, &q.y) {
        return Err(EcdsaError::Key);
    }

    let bad = EcdsaError::Signature;
    // Java's strict DER for signatures; r and s read unsigned.
    let (tag, seq, trailing) = der_next_minimal(sig).ok_or(bad)?;
    if tag != 0x30 || !trailing.is_empty() {
        return Err(bad);
    }
    let (r, seq) = der_unsigned(seq).ok_or(bad)?;
    let (s, seq) = der_unsigned(seq).ok_or(bad)?;
    if !seq.is_empty() {
        return Err(bad);
    }
    let (r, s) = (from_be(r, len).ok_or(bad)?, from_be(s, len).ok_or(bad)?);
    let n = &g.n;
    if is_zero(&r) || is_zero(&s) || !less(&r, &n.m, len) || !less(&s, &n.m, len) {
        return Err(bad);
    }

    // bits2int: the digest's leading n_bits bits (every digest Java pairs
    // with these curves is a whole number of bytes, and the order's bits
    // round up to whole bytes only for P-521, whose digests are shorter).
    let keep = g.n_bits.div_ceil(8).min(digest.len());
    let mut e = from_be(&digest[..keep], len).ok_or(bad)?;
    if !less(&e, &n.m, len) {
        e = sub_raw(&e, &n.m, len).0;
    }

    let w = n.inv(&n.mont(&s));
    let u1 = n.plain(&n.mul(&n.mont(&e), &w));
    let u2 = n.plain(&n.mul(&n.mont(&r), &w));
    let rp = g.double_mul(&u1, &q, &u2);
    if is_zero(&rp.z) {
        return Err(bad);
    }
    // The affine x = X/Z², reduced mod n (x < p < 2n).
    let zi = g.p.inv(&rp.z);
    let mut xr = g.p.plain(&g.p.mul(&rp.x, &g.p.mul(&zi, &zi)));
    if !less(&xr, &n.m, len) {
        xr = sub_raw(&xr, &n.m, len).0;
    }
    if xr == r {
        Ok(())
    } else {
        Err(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generator is on its curve and n·G is the point at infinity:
    /// the constants and the point formulas agree with each other.
    #[test]
    fn generators_have_the_curve_order() {
        for c in [Curve::P256, Curve::P384, Curve::P521] {
            let g = Group::new(c);
            assert!(g.on_curve(&g.g.x, &g.g.y), "{c:?}");
            let zero = [0u64; MAX];
            let n = g.n.m;
            // n·G + 0·G through the same ladder verification uses.
            let ng = g.double_mul(&n, &g.g, &zero);
            assert!(is_zero(&ng.z), "{c:?}: n·G is not infinity");
            let mut n1 = n;
            n1[0] -= 1;
            let p = g.double_mul(&n1, &g.g, &zero);
            assert!(!is_zero(&p.z), "{c:?}: (n-1)·G is infinity");
        }
    }

    #[test]
    fn montgomery_inverse_is_an_inverse() {
        for c in [Curve::P256, Curve::P384, Curve::P521] {
            let g = Group::new(c);
            let a = g.g.x;
            assert_eq!(g.p.mul(&a, &g.p.inv(&a)), g.one, "{c:?}");
        }
    }

    #[test]
    fn malformed_signatures_and_keys_are_told_apart() {
        let g = Group::new(Curve::P256);
        let mut key = vec![4u8];
        key.extend(
            g.p.plain(&g.g.x)[..4]
                .iter()
                .rev()
                .flat_map(|l| l.to_be_bytes()),
        );
        key.extend(
            g.p.plain(&g.g.y)[..4]
                .iter()
                .rev()
                .flat_map(|l| l.to_be_bytes()),
        );
        let d = [7u8; 32];
        // r = s = 0 ("psychic signatures"), trailing bytes, negative r.
        for sig in [
            &[0x30, 6, 2, 1, 0, 2, 1, 0][..],
            &[0x30, 6, 2, 1, 1, 2, 1, 1, 0][..],
            &[0x30, 6, 2, 1, 0x81, 2, 1, 1][..],
            &[0x30, 7, 2, 2, 0, 1, 2, 1, 1][..],
            &[][..],
        ] {
            assert_eq!(
                verify(Curve::P256, &key, &d, sig),
                Err(EcdsaError::Signature)
            );
        }
        // A compressed point and a point off the curve are keys we cannot read.
        let mut compressed = vec![2u8];
        compressed.extend_from_slice(&key[1..33]);
        let sig = [0x30, 6, 2, 1, 1, 2, 1, 1];
        assert_eq!(
            verify(Curve::P256, &compressed, &d, &sig),
            Err(EcdsaError::Key)
        );
        let mut off = key.clone();
        off[64] ^= 1;
        assert_eq!(verify(Curve::P256, &off, &d, &sig), Err(EcdsaError::Key));
        assert_eq!(
            verify(Curve::P256, &key, &d, &sig),
            Err(EcdsaError::Signature)
        );
    }
}
