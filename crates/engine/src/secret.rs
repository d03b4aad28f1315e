//! Secrets (passwords, client secrets, access tokens, keystore passwords)
//! and their redaction from anything the tool prints.
//!
//! A [`Secret`] never shows its value through `Debug`, `Display` or serde:
//! code that needs the value calls [`Secret::expose`], so every use is
//! visible in review. A [`Redactor`] removes known secrets, and the forms a
//! server may echo them back in (SASL strings, base64 in any alignment,
//! URL-encoding, IMAP quoting), from text before it is printed or stored.

use serde::{Serialize, Serializer};

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// A value that must never be printed.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Secret {
        Secret(s)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(REDACTED)
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (the engine has no base64 dependency and
/// needs only the encoder here).
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The base64 characters that depend only on `secret`, for each of the three
/// byte alignments it can have inside a longer encoded string. Any base64
/// text that contains the secret (a SASL string, a token request echoed in
/// base64, …) contains one of these, whatever surrounds it.
fn base64_cores(secret: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for pad in 0..3usize {
        let mut buf = vec![0u8; pad];
        buf.extend_from_slice(secret);
        let enc = base64(&buf);
        let (start_bit, end_bit) = (8 * pad, 8 * (pad + secret.len()));
        let core: String = enc
            .chars()
            .enumerate()
            .filter(|(k, _)| 6 * k >= start_bit && 6 * k + 6 <= end_bit)
            .map(|(_, c)| c)
            .collect();
        out.push(core);
    }
    out
}

/// `application/x-www-form-urlencoded` and percent-encoding of a value.
fn url_encodings(s: &str) -> Vec<String> {
    let mut form = String::new();
    let mut pct = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                form.push(b as char);
                pct.push(b as char);
            }
            b' ' => {
                form.push('+');
                pct.push_str("%20");
            }
            _ => {
                form.push_str(&format!("%{b:02X}"));
                pct.push_str(&format!("%{b:02X}"));
            }
        }
    }
    let lower = |t: &str| {
        // Lower-case hex digits after '%' (some encoders use them).
        let mut o = String::new();
        let mut after = 0;
        for c in t.chars() {
            if c == '%' {
                after = 2;
                o.push(c);
            } else if after > 0 {
                after -= 1;
                o.push(c.to_ascii_lowercase());
            } else {
                o.push(c);
            }
        }
        o
    };
    let l1 = lower(&form);
    let l2 = lower(&pct);
    vec![form, pct, l1, l2]
}

/// Removes known secrets and their encodings from text.
#[derive(Clone, Default, Debug)]
pub struct Redactor {
    needles: Vec<String>,
}

/// Shorter fragments are not redacted on their own (they would blank out
/// ordinary words); the full encodings that contain them still are.
const MIN_FRAGMENT: usize = 4;

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    fn push(&mut self, n: String) {
        if !n.is_empty() && !self.needles.contains(&n) {
            self.needles.push(n);
        }
    }

    /// A secret value: itself, its base64 (any alignment), URL-encodings,
    /// its IMAP quoted-string form and its JSON-escaped form.
    pub fn add(&mut self, value: &str) {
        if value.is_empty() {
            return;
        }
        let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
        let quoted_json = crate::json::quote(value);
        let json = quoted_json[1..quoted_json.len() - 1].to_string();
        let mut forms = vec![value.to_string(), quoted, json];
        forms.extend(url_encodings(value));
        for core in base64_cores(value.as_bytes()) {
            forms.push(core.replace('+', "-").replace('/', "_"));
            forms.push(core);
        }
        for f in forms {
            if f.len() >= MIN_FRAGMENT || f == value {
                self.push(f);
            }
        }
    }

    /// A whole string sent on the wire (e.g. the SASL PLAIN or XOAUTH2
    /// string): itself and its base64.
    pub fn add_encoded(&mut self, raw: &str) {
        self.push(base64(raw.as_bytes()));
        self.add(raw);
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// `text` with every known secret form replaced by [`REDACTED`].
    pub fn redact(&self, text: &str) -> String {
        if self.needles.is_empty() {
            return text.to_string();
        }
        // Longest first, so a full encoding goes before its fragments.
        let mut needles: Vec<&String> = self.needles.iter().collect();
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let mut out = text.to_string();
        for n in needles {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), REDACTED);
            }
        }
        out
    }

    /// Redacts in place.
    pub fn apply(&self, text: &mut String) {
        if !self.needles.is_empty() {
            *text = self.redact(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_shows_its_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s}"), REDACTED);
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            format!("\"{REDACTED}\"")
        );
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn redacts_sasl_base64_in_every_alignment_and_url_forms() {
        let mut r = Redactor::new();
        r.add("pa ss/w+rd\"x");
        for prefix in ["", "a", "ab", "abc", "\0journal\0"] {
            let sasl = base64(format!("{prefix}pa ss/w+rd\"x tail").as_bytes());
            let out = r.redact(&format!("a3 BAD {sasl}"));
            assert!(out.contains(REDACTED), "{prefix:?}: {out}");
            // What remains cannot be decoded back to the password.
            assert!(!out.contains(&sasl));
        }
        let out = r.redact("client_secret=pa+ss%2Fw%2Brd%22x&scope=");
        assert!(!out.contains("pa+ss%2Fw%2Brd%22x"), "{out}");
        let out = r.redact("LOGIN \"u\" \"pa ss/w+rd\\\"x\"");
        assert!(!out.contains("w+rd"), "{out}");
    }
}
