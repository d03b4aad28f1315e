//! Montgomery arithmetic over little-endian 64-bit limbs: the one modular
//! multiplication behind our RSA (x509/rsa.rs) and ECDSA (x509/ecdsa.rs).
//! Only public values pass through it: nothing here is constant-time.

/// -m⁻¹ mod 2^64 for an odd `m0` (the lowest limb of the modulus): Newton's
/// iteration doubles the correct low bits each step, 1 → 64.
pub(crate) fn neg_inv(m0: u64) -> u64 {
    let mut inv: u64 = 1;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(m0.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

/// A big-endian unsigned integer into the little-endian limbs `out`
/// (zeroed first); false when it does not fit.
pub(crate) fn from_be(be: &[u8], out: &mut [u64]) -> bool {
    let be = &be[be.iter().take_while(|&&b| b == 0).count()..];
    if be.len() > 8 * out.len() {
        return false;
    }
    out.fill(0);
    for (i, &b) in be.iter().rev().enumerate() {
        out[i / 8] |= u64::from(b) << (8 * (i % 8));
    }
    true
}

/// a < b, for limb slices of equal length.
pub(crate) fn less(a: &[u64], b: &[u64]) -> bool {
    for (x, y) in a.iter().zip(b).rev() {
        if x != y {
            return x < y;
        }
    }
    false
}

/// a -= b (wrapping), and whether it borrowed.
pub(crate) fn sub_assign(a: &mut [u64], b: &[u64]) -> bool {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (d, b1) = x.overflowing_sub(y);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        *x = d;
        borrow = b1 || b2;
    }
    borrow
}

/// a += b (wrapping), and whether it carried.
pub(crate) fn add_assign(a: &mut [u64], b: &[u64]) -> bool {
    let mut carry = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (s, c1) = x.overflowing_add(y);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        *x = s;
        carry = c1 || c2;
    }
    carry
}

/// out = a·b·R⁻¹ mod m (CIOS), R = 2^(64·m.len()), for a·b < m·R (so for
/// a, b < m, and for any a < R with b < m). `t` is scratch of m.len() + 2
/// limbs; a, b and out have m.len() limbs.
pub(crate) fn mul(a: &[u64], b: &[u64], m: &[u64], neg_inv: u64, t: &mut [u64], out: &mut [u64]) {
    let n = m.len();
    t.fill(0);
    for &ai in a {
        let mut c: u64 = 0;
        for j in 0..n {
            let x = u128::from(t[j]) + u128::from(ai) * u128::from(b[j]) + u128::from(c);
            t[j] = x as u64;
            c = (x >> 64) as u64;
        }
        let x = u128::from(t[n]) + u128::from(c);
        t[n] = x as u64;
        t[n + 1] = (x >> 64) as u64;
        // Add q·m so the lowest limb becomes zero, and shift it out.
        let q = t[0].wrapping_mul(neg_inv);
        let x = u128::from(t[0]) + u128::from(q) * u128::from(m[0]);
        let mut c = (x >> 64) as u64;
        for j in 1..n {
            let x = u128::from(t[j]) + u128::from(q) * u128::from(m[j]) + u128::from(c);
            t[j - 1] = x as u64;
            c = (x >> 64) as u64;
        }
        let x = u128::from(t[n]) + u128::from(c);
        t[n - 1] = x as u64;
        t[n] = t[n + 1] + (x >> 64) as u64;
        t[n + 1] = 0;
    }
    out.copy_from_slice(&t[..n]);
    // The result is below 2m: one subtraction at most.
    if t[n] != 0 || !less(out, m) {
        sub_assign(out, m);
    }
}
