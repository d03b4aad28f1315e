//! A bounded IMAP line reader and the few commands the probe needs.

use std::io::{Read, Write};

/// Longest line we accept from a server (an endless greeting stops here).
pub const MAX_LINE: usize = 8 * 1024;
/// Most lines we read for one command's answer.
pub const MAX_LINES: usize = 200;

#[derive(Debug)]
pub enum ReadError {
    /// Nothing (or not a whole line) within the time limit.
    Timeout {
        got: Vec<u8>,
    },
    /// The line grew past [`MAX_LINE`].
    TooLong,
    /// The server closed the connection.
    Closed {
        got: Vec<u8>,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Timeout { .. } => write!(f, "no answer within the time limit"),
            ReadError::TooLong => write!(f, "a line longer than {MAX_LINE} bytes"),
            ReadError::Closed { .. } => write!(f, "the server closed the connection"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Reads CRLF-terminated lines from any stream. Time is not bounded here:
/// the stream (a [`crate::deadline::DeadlineStream`]) fails each read with
/// `TimedOut` once its step's deadline has passed. Size is bounded here:
/// [`MAX_LINE`] bytes per line, [`MAX_LINES`] lines per answer.
pub struct Lines<S> {
    pub stream: S,
    buf: Vec<u8>,
}

impl<S: Read + Write> Lines<S> {
    pub fn new(stream: S) -> Self {
        Lines {
            stream,
            buf: Vec::new(),
        }
    }

    /// Bytes already read but not yet returned as a line.
    pub fn pending(&self) -> &[u8] {
        &self.buf
    }

    pub fn read_line(&mut self) -> Result<String, ReadError> {
        let mut searched = 0;
        loop {
            if let Some(i) = self.buf[searched..].iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=searched + i).collect();
                return Ok(String::from_utf8_lossy(&line).trim_end().to_string());
            }
            searched = self.buf.len();
            if self.buf.len() > MAX_LINE {
                return Err(ReadError::TooLong);
            }
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    return Err(ReadError::Closed {
                        got: std::mem::take(&mut self.buf),
                    })
                }
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return Err(ReadError::Timeout {
                        got: std::mem::take(&mut self.buf),
                    })
                }
                Err(e) => return Err(ReadError::Io(e)),
            }
        }
    }

    /// Sends one command line in a single write (no Nagle delay between
    /// the command and its CRLF).
    pub fn send(&mut self, line: &str) -> Result<(), ReadError> {
        let mut out = Vec::with_capacity(line.len() + 2);
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
        let r = self
            .stream
            .write_all(&out)
            .and_then(|_| self.stream.flush());
        r.map_err(|e| match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
                ReadError::Timeout { got: vec![] }
            }
            _ => ReadError::Io(e),
        })
    }

    /// Sends `tag command` and collects lines up to the tagged answer.
    /// Returns (untagged lines, tagged status line).
    pub fn command(
        &mut self,
        tag: &str,
        command: &str,
    ) -> Result<(Vec<String>, String), ReadError> {
        self.send(&format!("{tag} {command}"))?;
        self.answer(tag)
    }

    pub fn answer(&mut self, tag: &str) -> Result<(Vec<String>, String), ReadError> {
        let mut lines = Vec::new();
        for _ in 0..MAX_LINES {
            let l = self.read_line()?;
            if l.starts_with(&format!("{tag} ")) {
                return Ok((lines, l));
            }
            lines.push(l);
        }
        Err(ReadError::TooLong)
    }
}

/// Capabilities from a CAPABILITY answer or a greeting's [CAPABILITY …] code,
/// parsed with imap-proto; upper-cased atoms.
pub fn capabilities(lines: &[String]) -> Vec<String> {
    use imap_proto::{Capability, Response, ResponseCode};
    let mut out = Vec::new();
    for l in lines {
        let bytes = format!("{l}\r\n");
        let caps = match imap_proto::parser::parse_response(bytes.as_bytes()) {
            Ok((_, Response::Capabilities(c))) => c,
            Ok((
                _,
                Response::Data {
                    code: Some(ResponseCode::Capabilities(c)),
                    ..
                },
            )) => c,
            Ok((
                _,
                Response::Done {
                    code: Some(ResponseCode::Capabilities(c)),
                    ..
                },
            )) => c,
            _ => continue,
        };
        for c in caps {
            out.push(match c {
                Capability::Imap4rev1 => "IMAP4REV1".to_string(),
                Capability::Auth(a) => format!("AUTH={}", a.to_ascii_uppercase()),
                Capability::Atom(a) => a.to_ascii_uppercase(),
            });
        }
    }
    out
}

/// The EXISTS count from an EXAMINE/SELECT answer, parsed with imap-proto.
pub fn exists(lines: &[String]) -> Option<u64> {
    use imap_proto::{MailboxDatum, Response};
    lines.iter().find_map(|l| {
        let bytes = format!("{l}\r\n");
        match imap_proto::parser::parse_response(bytes.as_bytes()) {
            Ok((_, Response::MailboxData(MailboxDatum::Exists(n)))) => Some(u64::from(n)),
            _ => None,
        }
    })
}

/// The status of a tagged answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    No,
    Bad,
    /// Anything else: a line that is not a tagged OK/NO/BAD for this tag.
    Other,
}

/// The status of `line` as the tagged answer to `tag`, parsed with
/// imap-proto. A server's tagged line that imap-proto cannot parse (a
/// response code it does not know in a form it does not accept) is read by
/// RFC 3501's grammar at its simplest: the tag, a space, the status atom.
pub fn tagged_status(line: &str, tag: &str) -> Status {
    use imap_proto::{Response, Status as S};
    let bytes = format!("{line}\r\n");
    match imap_proto::parser::parse_response(bytes.as_bytes()) {
        Ok((_, Response::Done { tag: t, status, .. })) if t.0 == tag => match status {
            S::Ok => Status::Ok,
            S::No => Status::No,
            S::Bad => Status::Bad,
            _ => Status::Other,
        },
        Ok(_) => Status::Other,
        Err(_) => {
            let mut w = line.splitn(3, ' ');
            match (w.next(), w.next()) {
                (Some(t), Some(s)) if t == tag => match s.to_ascii_uppercase().as_str() {
                    "OK" => Status::Ok,
                    "NO" => Status::No,
                    "BAD" => Status::Bad,
                    _ => Status::Other,
                },
                _ => Status::Other,
            }
        }
    }
}

/// What kind of service greeted us.
#[derive(Debug, PartialEq, Eq)]
pub enum Greeting {
    Imap,
    Pop3,
    Smtp,
    Http,
    Tls,
    Other,
}

pub fn classify(bytes: &[u8]) -> Greeting {
    if bytes.starts_with(b"* OK") || bytes.starts_with(b"* PREAUTH") || bytes.starts_with(b"* BYE")
    {
        Greeting::Imap
    } else if bytes.starts_with(b"+OK") || bytes.starts_with(b"-ERR") {
        Greeting::Pop3
    } else if bytes.len() >= 4
        && bytes[..3].iter().all(u8::is_ascii_digit)
        && (bytes[3] == b' ' || bytes[3] == b'-')
    {
        Greeting::Smtp
    } else if bytes.starts_with(b"HTTP/") {
        Greeting::Http
    } else if bytes.len() >= 2 && bytes[0] == 0x16 && bytes[1] == 0x03
        || bytes.first() == Some(&0x15)
    {
        Greeting::Tls
    } else {
        Greeting::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_from_answer_and_greeting() {
        let c = capabilities(&[
            "* CAPABILITY IMAP4rev1 LOGINDISABLED STARTTLS AUTH=PLAIN SASL-IR".into(),
        ]);
        assert!(
            c.contains(&"LOGINDISABLED".to_string())
                && c.contains(&"AUTH=PLAIN".to_string())
                && c.contains(&"STARTTLS".to_string())
        );
        let g = capabilities(&["* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.".into()]);
        assert!(g.contains(&"STARTTLS".to_string()));
        assert_eq!(
            exists(&["* FLAGS (\\Seen)".into(), "* 25 EXISTS".into()]),
            Some(25)
        );
        assert_eq!(exists(&["* OK [UNSEEN 25] first unseen".into()]), None);
        assert_eq!(exists(&["* 7 RECENT".into(), "* 0 EXISTS".into()]), Some(0));
        assert_eq!(classify(b"+OK POP3 ready"), Greeting::Pop3);
        assert_eq!(classify(b"220 smtp ESMTP"), Greeting::Smtp);
    }

    #[test]
    fn tagged_status_by_the_parser() {
        assert_eq!(
            tagged_status("a1 OK CAPABILITY completed", "a1"),
            Status::Ok
        );
        assert_eq!(
            tagged_status("a4 OK [READ-ONLY] EXAMINE completed.", "a4"),
            Status::Ok
        );
        assert_eq!(
            tagged_status("a3 NO [AUTHENTICATIONFAILED] Authentication failed.", "a3"),
            Status::No
        );
        assert_eq!(tagged_status("a3 no login failed", "a3"), Status::No);
        assert_eq!(tagged_status("a2 BAD command unknown", "a2"), Status::Bad);
        // "OK" inside the text of a NO is not an OK (a substring check said so).
        assert_eq!(
            tagged_status("a4 NO Mailbox OK? not found", "a4"),
            Status::No
        );
        // Another tag's answer, or an untagged one, is not this command's.
        assert_eq!(tagged_status("a1 OK done", "a4"), Status::Other);
        assert_eq!(tagged_status("* OK still here", "a4"), Status::Other);
        assert_eq!(tagged_status("a4 OKAY", "a4"), Status::Other);
    }
}
