//! What standard output looks like on Windows.
//!
//! The report uses a few typographic characters (→ — – … « ») and
//! certificate names may hold any Unicode. Written to a Windows console,
//! Rust's standard library already converts UTF-8 to UTF-16 for
//! `WriteConsoleW`, so the console shows them whatever its code page. Written
//! to a pipe or a file (`imap-doctor … > report.txt`, `| more`, PowerShell
//! capturing the output), the bytes are read back with the console's code
//! page, which is an OEM one (437, 850) unless the admin ran `chcp 65001`:
//! UTF-8 then turns into `â†’`. In that one case the human report is written
//! in ASCII and JSON escapes non-ASCII as `\uXXXX` (the same JSON value, read
//! right under any code page). Elsewhere, and on every other system, the
//! output is unchanged UTF-8. The CLI writes no colours of its own; clap's
//! help and errors drop theirs when the stream is not a terminal.

use std::borrow::Cow;

/// `text` as it should be written to standard output (`json`: the text is
/// one or more JSON documents).
pub fn stdout(text: &str, json: bool) -> Cow<'_, str> {
    if text.is_ascii() || !ascii_needed() {
        Cow::Borrowed(text)
    } else if json {
        Cow::Owned(json_ascii(text))
    } else {
        Cow::Owned(text_ascii(text))
    }
}

/// True when standard output goes to a pipe or file that will be read with a
/// non-UTF-8 console code page.
#[cfg(windows)]
pub fn ascii_needed() -> bool {
    use std::io::IsTerminal;
    // A console: the standard library writes UTF-16, every character shows.
    if std::io::stdout().is_terminal() {
        return false;
    }
    // SAFETY: takes no arguments, reads the attached console's code page (0 without a console).
    let cp = unsafe { windows_sys::Win32::System::Console::GetConsoleOutputCP() };
    // 0: no console at all (a service, a scheduled task): nothing to decode
    // with, UTF-8 is the best guess for whoever opens the file.
    cp != 0 && cp != 65001
}

#[cfg(not(windows))]
pub fn ascii_needed() -> bool {
    false
}

/// The human report in ASCII: the report's own typography becomes its usual
/// ASCII spelling, any other character (from a certificate name) `?` (the
/// JSON output keeps it exactly).
fn text_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_ascii() => out.push(c),
            '→' => out.push_str("->"),
            '←' => out.push_str("<-"),
            '—' => out.push_str("--"),
            '–' | '‐' | '‑' | '−' => out.push('-'),
            '…' => out.push_str("..."),
            '«' => out.push_str("<<"),
            '»' => out.push_str(">>"),
            '‘' | '’' => out.push('\''),
            '“' | '”' => out.push('"'),
            '•' | '·' => out.push('*'),
            '\u{a0}' => out.push(' '),
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            _ => out.push('?'),
        }
    }
    out
}

/// JSON text with every non-ASCII character written as a `\uXXXX` escape
/// (UTF-16, so two escapes above U+FFFF). serde_json writes non-ASCII only
/// inside strings, where the escape means the same character.
fn json_ascii(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    let mut units = [0u16; 2];
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_report_becomes_ascii() {
        let t = text_ascii("chain → root — «redacted» … Bücher 名前\n");
        assert_eq!(t, "chain -> root -- <<redacted>> ... Buecher ??\n");
        assert!(t.is_ascii());
    }

    #[test]
    fn escaped_json_is_the_same_value() {
        let v = serde_json::json!({
            "summary": "chain → root — «redacted» …",
            "subject": "CN=Bücher 名前 😀",
            "n": 1
        });
        for s in [
            serde_json::to_string_pretty(&v).unwrap(),
            serde_json::to_string(&v).unwrap(),
        ] {
            let a = json_ascii(&s);
            assert!(a.is_ascii());
            assert_ne!(a, s);
            let back: serde_json::Value = serde_json::from_str(&a).unwrap();
            assert_eq!(back, v);
        }
    }

    #[cfg(not(windows))]
    #[test]
    fn elsewhere_the_output_is_unchanged() {
        assert!(matches!(stdout("a → b", false), Cow::Borrowed("a → b")));
        assert!(matches!(stdout("\"→\"", true), Cow::Borrowed("\"→\"")));
    }
}
