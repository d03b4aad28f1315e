//! Certificate fingerprints as fixed-size byte arrays, shown (and written
//! to JSON) in keytool's colon-hex form: `AB:CD:…`, upper case.

use std::fmt;

/// A digest of a certificate's DER bytes: `N` = 32 for SHA-256, 20 for SHA-1.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint<const N: usize>(pub [u8; N]);

/// SHA-256 fingerprint.
pub type Sha256Fingerprint = Fingerprint<32>;
/// SHA-1 fingerprint.
pub type Sha1Fingerprint = Fingerprint<20>;

impl<const N: usize> Fingerprint<N> {
    /// Reads keytool's colon form or plain hex, any case (openssl prints
    /// `sha256 Fingerprint=AB:…`, other tools lower-case hex without colons).
    pub fn parse(s: &str) -> Option<Self> {
        let mut out = [0u8; N];
        let mut n = 0;
        let mut high: Option<u8> = None;
        for c in s.trim().bytes() {
            if c == b':' && high.is_none() {
                continue;
            }
            let v = (c as char).to_digit(16)? as u8;
            match high.take() {
                None => high = Some(v),
                Some(h) => {
                    *out.get_mut(n)? = h << 4 | v;
                    n += 1;
                }
            }
        }
        (n == N && high.is_none()).then_some(Fingerprint(out))
    }

    pub fn as_bytes(&self) -> &[u8; N] {
        &self.0
    }
}

impl<const N: usize> fmt::Display for Fingerprint<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        // Written straight into the formatter: no allocation per byte.
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            let pair = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
            f.write_str(std::str::from_utf8(&pair).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl<const N: usize> fmt::Debug for Fingerprint<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// JSON keeps the colon-hex string it always had.
impl<const N: usize> serde::Serialize for Fingerprint<N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Compares with a fingerprint written as text (colon or plain hex, any case).
impl<const N: usize> PartialEq<str> for Fingerprint<N> {
    fn eq(&self, other: &str) -> bool {
        Self::parse(other).is_some_and(|o| o == *self)
    }
}

impl<const N: usize> PartialEq<&str> for Fingerprint<N> {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl<const N: usize> PartialEq<String> for Fingerprint<N> {
    fn eq(&self, other: &String) -> bool {
        self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colon_hex_round_trip_and_other_forms() {
        let f = Fingerprint([0x00, 0xAB, 0x0F, 0xF0]);
        assert_eq!(f.to_string(), "00:AB:0F:F0");
        assert_eq!(Fingerprint::<4>::parse("00:AB:0F:F0"), Some(f));
        assert_eq!(Fingerprint::<4>::parse("00ab0ff0"), Some(f));
        assert_eq!(Fingerprint::<4>::parse(" 00:ab:0f:f0\n"), Some(f));
        assert!(f == "00ab0ff0");
        // Wrong length, odd digits, a colon inside a byte, other characters.
        for bad in [
            "00:AB:0F",
            "00:AB:0F:F0:11",
            "00:AB:0F:F",
            "0:0AB:0F:F0",
            "00:AB:0F:FG",
            "",
        ] {
            assert_eq!(Fingerprint::<4>::parse(bad), None, "{bad}");
        }
        assert_eq!(serde_json::to_string(&f).unwrap(), "\"00:AB:0F:F0\"");
    }
}
