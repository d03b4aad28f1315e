//! JSON values, for the one JSON the engine reads: a JWT's header and claims
//! (the access token pasted into the settings check), shown back pretty.
//!
//! Why not serde_json's `Value`: its parser, number formatting and pretty
//! printer were about 5 KB of the page's compressed code for this. The
//! semantics are serde_json's (objects keep the last of duplicate keys and
//! print their keys sorted; strings must be valid UTF-8 with paired
//! surrogates); numbers keep the text they were written with. Tests hold
//! parse and print against serde_json.

use std::collections::BTreeMap;

/// Nesting deeper than this is refused (serde_json stops at 128): a token's
/// claims are a few levels deep, and the parser recurses per level.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number as written (validated against JSON's number grammar).
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>),
}

/// Why a text is not JSON, with the byte offset where reading stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotJson {
    pub at: usize,
}

impl std::fmt::Display for NotJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not JSON at byte {}", self.at)
    }
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn fail<T>(&self) -> Result<T, NotJson> {
        Err(NotJson { at: self.i })
    }

    fn skip_ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.b[self.i..].starts_with(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, NotJson> {
        if depth > MAX_DEPTH {
            return self.fail();
        }
        self.skip_ws();
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut map = BTreeMap::new();
                self.skip_ws();
                if self.eat(b"}") {
                    return Ok(Json::Object(map));
                }
                loop {
                    self.skip_ws();
                    if self.b.get(self.i) != Some(&b'"') {
                        return self.fail();
                    }
                    let k = self.string()?;
                    self.skip_ws();
                    if !self.eat(b":") {
                        return self.fail();
                    }
                    let v = self.value(depth + 1)?;
                    map.insert(k, v);
                    self.skip_ws();
                    if self.eat(b"}") {
                        return Ok(Json::Object(map));
                    }
                    if !self.eat(b",") {
                        return self.fail();
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.eat(b"]") {
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    if self.eat(b"]") {
                        return Ok(Json::Array(items));
                    }
                    if !self.eat(b",") {
                        return self.fail();
                    }
                }
            }
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ if self.eat(b"null") => Ok(Json::Null),
            _ if self.eat(b"true") => Ok(Json::Bool(true)),
            _ if self.eat(b"false") => Ok(Json::Bool(false)),
            _ => self.fail(),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Json, NotJson> {
        let start = self.i;
        self.eat(b"-");
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.fail(),
        }
        if self.eat(b".") && self.digits() == 0 {
            return self.fail();
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if !self.eat(b"+") {
                self.eat(b"-");
            }
            if self.digits() == 0 {
                return self.fail();
            }
        }
        // ASCII by construction.
        Ok(Json::Number(
            String::from_utf8_lossy(&self.b[start..self.i]).into_owned(),
        ))
    }

    fn hex4(&mut self) -> Result<u32, NotJson> {
        let h = self
            .b
            .get(self.i..self.i + 4)
            .ok_or(NotJson { at: self.i })?;
        let s = std::str::from_utf8(h).map_err(|_| NotJson { at: self.i })?;
        let v = u32::from_str_radix(s, 16).map_err(|_| NotJson { at: self.i })?;
        if !h.iter().all(u8::is_ascii_hexdigit) {
            return self.fail();
        }
        self.i += 4;
        Ok(v)
    }

    /// A string; the reader is at its opening quote.
    fn string(&mut self) -> Result<String, NotJson> {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return self.fail();
            };
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.b.get(self.i) else {
                        return self.fail();
                    };
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = match hi {
                                0xd800..=0xdbff => {
                                    if !self.eat(b"\\u") {
                                        return self.fail();
                                    }
                                    let lo = self.hex4()?;
                                    if !(0xdc00..=0xdfff).contains(&lo) {
                                        return self.fail();
                                    }
                                    0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                                }
                                0xdc00..=0xdfff => return self.fail(),
                                c => c,
                            };
                            char::from_u32(code).ok_or(NotJson { at: self.i })?
                        }
                        _ => return self.fail(),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return self.fail(),
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| NotJson { at: self.i })
    }
}

impl Json {
    /// Parses one JSON text (surrounding whitespace allowed).
    pub fn parse(bytes: &[u8]) -> Result<Json, NotJson> {
        let mut r = Reader { b: bytes, i: 0 };
        let v = r.value(0)?;
        r.skip_ws();
        if r.i != bytes.len() {
            return r.fail();
        }
        Ok(v)
    }

    /// An object's member.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(m) => m.get(key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    /// An integer written without fraction or exponent, as serde_json's
    /// `as_i64` reads it.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The value printed with two-space indentation, as
    /// `serde_json::to_string_pretty` prints it.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, indent: usize) {
        let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n("  ", n));
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => out.push_str(&quote(s)),
            Json::Array(a) if a.is_empty() => out.push_str("[]"),
            Json::Object(m) if m.is_empty() => out.push_str("{}"),
            Json::Array(a) => {
                out.push_str("[\n");
                for (i, v) in a.iter().enumerate() {
                    pad(out, indent + 1);
                    v.write_pretty(out, indent + 1);
                    out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push(']');
            }
            Json::Object(m) => {
                out.push_str("{\n");
                for (i, (k, v)) in m.iter().enumerate() {
                    pad(out, indent + 1);
                    out.push_str(&quote(k));
                    out.push_str(": ");
                    v.write_pretty(out, indent + 1);
                    out.push_str(if i + 1 < m.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

/// `s` as a JSON string literal, escaped as serde_json escapes it.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// For the command line's JSON report: numbers as numbers.
impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => {
                if let Ok(i) = n.parse::<i64>() {
                    s.serialize_i64(i)
                } else if let Ok(u) = n.parse::<u64>() {
                    s.serialize_u64(u)
                } else {
                    s.serialize_f64(n.parse().unwrap_or(f64::NAN))
                }
            }
            Json::String(v) => s.serialize_str(v),
            Json::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Json::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json's reading of a text. (Its maps keep keys sorted, or in
    /// insertion order when another crate of the build turns on its
    /// `preserve_order` feature: values are compared as values, and our
    /// printing is pinned by a text of its own below.)
    fn reference(text: &[u8]) -> Option<serde_json::Value> {
        serde_json::from_slice(text).ok()
    }

    #[test]
    fn reads_and_prints_as_serde_json_does() {
        for t in [
            r#"{"aud":"https://outlook.office365.com","roles":["IMAP.AccessAsApp"],"exp":1764115200,"nbf":-5}"#,
            r#" { "b" : [ ] , "a" : { } , "c": [1, [2, {"x": null}]], "d": true, "e": false } "#,
            r#"{"dup":1,"dup":2}"#,
            r#""esc \" \\ \/ \b \f \n \r \t \u0001 \u00e9 \ud83d\ude00 é""#,
            r#"[0, 12, -7, 9223372036854775807, -9223372036854775808]"#,
            "[]",
            "null",
        ] {
            let ours = Json::parse(t.as_bytes()).unwrap_or_else(|e| panic!("{t}: {e}"));
            let want = reference(t.as_bytes());
            assert_eq!(serde_json::from_str(&ours.pretty()).ok(), want, "{t}");
            assert_eq!(
                serde_json::from_str(&serde_json::to_string(&ours).unwrap()).ok(),
                want,
                "{t}"
            );
        }
    }

    #[test]
    fn prints_sorted_with_two_space_indent() {
        let v = Json::parse(br#"{"roles":["A",{"z":1,"y":[]}],"aud":"x","e":{}}"#).unwrap();
        assert_eq!(
            v.pretty(),
            "{\n  \"aud\": \"x\",\n  \"e\": {},\n  \"roles\": [\n    \"A\",\n    {\n      \"y\": [],\n      \"z\": 1\n    }\n  ]\n}"
        );
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        for t in [
            "",
            " ",
            "{",
            "}",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"a\nb\"",
            "nul",
            "tru",
            "[1] 2",
            "\"unterminated",
            "{\"a\" 1}",
            "[\"\\u12\"]",
        ] {
            assert!(Json::parse(t.as_bytes()).is_err(), "{t:?} accepted");
            assert!(
                reference(t.as_bytes()).is_none(),
                "serde_json accepts {t:?}"
            );
        }
        // Not UTF-8 inside a string.
        assert!(Json::parse(b"\"\xff\"").is_err());
        assert!(reference(b"\"\xff\"").is_none());
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert!(Json::parse(deep.as_bytes()).is_err());
    }

    #[test]
    fn reads_claims() {
        let v = Json::parse(br#"{"roles":["A","B"],"exp":17,"f":1.5,"oid":"x"}"#).unwrap();
        assert_eq!(v.get("oid").and_then(Json::as_str), Some("x"));
        assert_eq!(v.get("exp").and_then(Json::as_i64), Some(17));
        assert_eq!(v.get("f").and_then(Json::as_i64), None);
        assert_eq!(
            v.get("roles").and_then(Json::as_array).map(<[Json]>::len),
            Some(2)
        );
        assert_eq!(v.get("none"), None);
    }

    #[test]
    fn quotes_as_serde_json_does() {
        for s in [
            "plain",
            "q\"b\\",
            "ctl\u{1}\u{1f}\u{7f}",
            "tab\tnl\ncr\r",
            "ünï €",
        ] {
            assert_eq!(quote(s), serde_json::to_string(s).unwrap());
        }
    }
}
