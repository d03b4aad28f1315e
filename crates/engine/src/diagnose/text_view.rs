//! What the line scanners read of a text input.

/// The text as the line scanners (s_client, login facts, keytool listing,
/// error texts) read it: the base64 lines inside PEM blocks blanked, line
/// numbers kept. They hold no words to find, a paste of certificates is
/// almost all base64 (a 10 MB paste took four scans of 10 MB), and a
/// needle found in base64 by chance ("aadsts" in any case) would be a
/// false hit. Only lines of base64 characters are blanked, so an
/// unterminated block never hides the error text after it.
pub(super) fn without_pem_bodies(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("-----BEGIN ") {
        return std::borrow::Cow::Borrowed(text);
    }
    let base64 = |l: &str| {
        // Quoted pastes keep their "> " or quote marks around the base64.
        let l = l.trim().trim_start_matches(['>', '"', '\'', ' ']);
        let l = l.trim_end_matches(['"', '\'', ',', ' ']);
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    };
    let mut out = String::with_capacity(text.len() / 8);
    let mut in_block = false;
    // A base64 line has no dash: one byte search spares it the two
    // substring searches (set up anew for each of a paste's lines).
    let armor = |l: &str, what: &str| l.contains('-') && l.contains(what);
    for line in text.split_inclusive('\n') {
        if armor(line, "-----BEGIN ") {
            in_block = true;
        } else if armor(line, "-----END ") {
            in_block = false;
        } else if in_block && base64(line) {
            // Keep the line break (and so the line numbers), drop the rest.
            if line.ends_with('\n') {
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
    }
    std::borrow::Cow::Owned(out)
}

/// The view of [`without_pem_bodies`], or `None` when nothing but blank
/// lines and PEM armor is left: a file of certificates has no words for
/// the scanners, and skipping them spares building the error-text matcher
/// (a third of the time of a small analysis).
pub(super) fn words(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    let view = without_pem_bodies(text);
    view.lines()
        .any(|l| {
            let t = l.trim();
            !(t.is_empty()
                || t.contains('-') && (t.contains("-----BEGIN ") || t.contains("-----END ")))
        })
        .then_some(view)
}

#[cfg(test)]
mod tests {
    use super::without_pem_bodies;

    #[test]
    fn base64_inside_blocks_is_blanked_and_line_numbers_kept() {
        let text = "javax.mail.MessagingException: x\r\n-----BEGIN CERTIFICATE-----\r\nAADSTSaadsts+/=\r\n> QUJD\r\n-----END CERTIFICATE-----\r\nAADSTS50034 after\n";
        let v = without_pem_bodies(text);
        let lines: Vec<&str> = v.lines().collect();
        assert_eq!(lines.len(), text.lines().count());
        assert_eq!(lines[0], "javax.mail.MessagingException: x");
        assert_eq!(lines[1], "-----BEGIN CERTIFICATE-----");
        assert_eq!((lines[2], lines[3]), ("", ""));
        assert_eq!(lines[4], "-----END CERTIFICATE-----");
        assert_eq!(lines[5], "AADSTS50034 after");
    }

    #[test]
    fn words_in_an_unterminated_block_stay() {
        let text =
            "-----BEGIN CERTIFICATE-----\nMIIB\njava.net.ConnectException: Connection refused\n";
        let v = without_pem_bodies(text);
        assert_eq!(
            v,
            "-----BEGIN CERTIFICATE-----\n\njava.net.ConnectException: Connection refused\n"
        );
        assert!(
            super::words("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n\n")
                .is_none()
        );
        assert!(super::words(
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\nverify error:num=20\n"
        )
        .is_some());
        // No block: the text itself, not a copy.
        assert!(matches!(
            without_pem_bodies("plain"),
            std::borrow::Cow::Borrowed("plain")
        ));
    }
}
