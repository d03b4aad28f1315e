//! A TCP stream with a deadline for the whole step, not per read.
//!
//! A per-read timeout lets a hostile server hold the probe forever by
//! sending one byte (or one untagged line) just before each timeout. Here
//! every read and write, including those rustls makes during a handshake,
//! first sets the socket timeout to the time left before the step's
//! deadline, and fails with `TimedOut` once none is left.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// How many of the first bytes the server sends are kept, to recognise what
/// answered when a TLS handshake fails (a plain-text IMAP greeting, POP3…).
pub const FIRST_BYTES: usize = 512;

#[derive(Debug)]
pub struct DeadlineStream {
    pub sock: TcpStream,
    deadline: Instant,
    /// The first bytes read from the server, for diagnosis.
    first: Vec<u8>,
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "the step's deadline passed")
}

impl DeadlineStream {
    pub fn new(sock: TcpStream, deadline: Instant) -> DeadlineStream {
        // Every command is written in one write; without this the kernel may
        // hold a small write back waiting for an ACK (Nagle).
        let _ = sock.set_nodelay(true);
        DeadlineStream {
            sock,
            deadline,
            first: Vec::new(),
        }
    }

    pub fn set_deadline(&mut self, deadline: Instant) {
        self.deadline = deadline;
    }

    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    pub fn first_bytes(&self) -> &[u8] {
        &self.first
    }

    /// Forgets what was read so far: after STARTTLS, the plain-text IMAP
    /// bytes before it say nothing about what answered the TLS handshake.
    pub fn forget_first_bytes(&mut self) {
        self.first.clear();
    }

    /// The time left, or `TimedOut` when none is.
    fn left(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        // A zero socket timeout means "block forever"; never pass one.
        if left < Duration::from_millis(1) {
            Err(timed_out())
        } else {
            Ok(left)
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let left = self.left()?;
            self.sock.set_read_timeout(Some(left))?;
            match self.sock.read(buf) {
                Ok(n) => {
                    if self.first.len() < FIRST_BYTES {
                        let take = n.min(FIRST_BYTES - self.first.len());
                        self.first.extend_from_slice(&buf[..take]);
                    }
                    return Ok(n);
                }
                // A timeout (or signal) before the deadline: try again with
                // what is left; after it, `left()` ends the step.
                Err(e) if is_timeout(&e) => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            let left = self.left()?;
            self.sock.set_write_timeout(Some(left))?;
            match self.sock.write(buf) {
                Ok(n) => return Ok(n),
                Err(e) if is_timeout(&e) => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sock.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn a_trickling_peer_cannot_extend_the_deadline() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        std::thread::spawn(move || {
            if let Ok((mut s, _)) = l.accept() {
                for _ in 0..100 {
                    if s.write_all(b"x").is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        });
        let sock = TcpStream::connect(addr).unwrap();
        let t = Instant::now();
        let mut s = DeadlineStream::new(sock, t + Duration::from_millis(400));
        let mut total = 0;
        let err = loop {
            let mut b = [0u8; 16];
            match s.read(&mut b) {
                Ok(n) => total += n,
                Err(e) => break e,
            }
        };
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(total > 0 && total < 20, "{total}");
        assert!(
            t.elapsed() < Duration::from_millis(900),
            "{:?}",
            t.elapsed()
        );
        assert_eq!(s.first_bytes().len(), total);
    }
}
