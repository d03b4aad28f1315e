//! The report as bytes, for the Web Worker's answer. A plain length-prefixed
//! encoding written by hand: serde's JSON both ways for the whole report
//! made the page's wasm 27 KB (gzipped) larger than this does.
//! Every struct is rebuilt with a struct literal, so a field the engine
//! adds is a compile error here until it is carried. Certificates travel as
//! DER and are parsed again (their report fields all derive from it).

use std::sync::Arc;

use imap_doctor_engine::input::openssl::{ChainEntry, Located, SClient, VerifyError};
use imap_doctor_engine::pkix::chain::Verdict;
use imap_doctor_engine::report::headline::{Headline, Outcome};
use imap_doctor_engine::report::Pem;
use imap_doctor_engine::report::{Anchor, CertView, Missing, Offered, Report};
use imap_doctor_engine::rules::{Alternative, Finding, FixStep, Rule, Severity};
use imap_doctor_engine::x509::cert::{Certificate, Source};
use imap_doctor_engine::x509::fingerprint::Fingerprint;

pub struct Reader<'a> {
    buf: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (head, rest) = (self.buf.get(..n)?, self.buf.get(n..)?);
        self.buf = rest;
        Some(head)
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn byte(&mut self) -> Option<u8> {
        Some(*self.take(1)?.first()?)
    }
}

pub trait Codec: Sized {
    fn put(&self, w: &mut Vec<u8>);
    fn get(r: &mut Reader) -> Option<Self>;
}

impl Codec for u64 {
    fn put(&self, w: &mut Vec<u8>) {
        w.extend_from_slice(&self.to_le_bytes());
    }
    fn get(r: &mut Reader) -> Option<Self> {
        r.u64()
    }
}

impl Codec for usize {
    fn put(&self, w: &mut Vec<u8>) {
        (*self as u64).put(w)
    }
    fn get(r: &mut Reader) -> Option<Self> {
        usize::try_from(r.u64()?).ok()
    }
}

impl Codec for i64 {
    fn put(&self, w: &mut Vec<u8>) {
        (*self as u64).put(w)
    }
    fn get(r: &mut Reader) -> Option<Self> {
        Some(r.u64()? as i64)
    }
}

impl Codec for i32 {
    fn put(&self, w: &mut Vec<u8>) {
        (*self as i64).put(w)
    }
    fn get(r: &mut Reader) -> Option<Self> {
        i32::try_from(i64::get(r)?).ok()
    }
}

impl Codec for u16 {
    fn put(&self, w: &mut Vec<u8>) {
        (*self as u64).put(w)
    }
    fn get(r: &mut Reader) -> Option<Self> {
        u16::try_from(r.u64()?).ok()
    }
}

impl Codec for bool {
    fn put(&self, w: &mut Vec<u8>) {
        w.push(*self as u8)
    }
    fn get(r: &mut Reader) -> Option<Self> {
        Some(r.byte()? != 0)
    }
}

impl Codec for Vec<u8> {
    fn put(&self, w: &mut Vec<u8>) {
        self.len().put(w);
        w.extend_from_slice(self);
    }
    fn get(r: &mut Reader) -> Option<Self> {
        let n = usize::get(r)?;
        Some(r.take(n)?.to_vec())
    }
}

impl Codec for String {
    fn put(&self, w: &mut Vec<u8>) {
        self.len().put(w);
        w.extend_from_slice(self.as_bytes());
    }
    fn get(r: &mut Reader) -> Option<Self> {
        String::from_utf8(Vec::<u8>::get(r)?).ok()
    }
}

impl<T: Codec> Codec for Option<T> {
    fn put(&self, w: &mut Vec<u8>) {
        self.is_some().put(w);
        if let Some(v) = self {
            v.put(w);
        }
    }
    fn get(r: &mut Reader) -> Option<Self> {
        Some(if bool::get(r)? {
            Some(T::get(r)?)
        } else {
            None
        })
    }
}

impl<const N: usize> Codec for Fingerprint<N> {
    fn put(&self, w: &mut Vec<u8>) {
        w.extend_from_slice(self.as_bytes());
    }
    fn get(r: &mut Reader) -> Option<Self> {
        Some(Fingerprint(r.take(N)?.try_into().ok()?))
    }
}

fn put_list<T: Codec>(v: &[T], w: &mut Vec<u8>) {
    v.len().put(w);
    for x in v {
        x.put(w);
    }
}

fn get_list<T: Codec>(r: &mut Reader) -> Option<Vec<T>> {
    let n = usize::get(r)?;
    // Never trust a length for an allocation: each element takes a byte at least.
    if n > r.buf.len() {
        return None;
    }
    (0..n).map(|_| T::get(r)).collect()
}

/// An enum as its index in a table of all its values.
macro_rules! table_enum {
    ($t:ty, [$($v:expr),* $(,)?]) => {
        impl Codec for $t {
            fn put(&self, w: &mut Vec<u8>) {
                let all: &[$t] = &[$($v),*];
                w.push(all.iter().position(|x| x == self).unwrap_or(0) as u8);
            }
            fn get(r: &mut Reader) -> Option<Self> {
                let all: &[$t] = &[$($v),*];
                all.get(r.byte()? as usize).copied()
            }
        }
    };
}

table_enum!(
    Verdict,
    [
        Verdict::Trusted,
        Verdict::MissingIntermediate,
        Verdict::UntrustedRoot,
        Verdict::Invalid,
        Verdict::NoCertificates,
        Verdict::Inconclusive,
    ]
);
table_enum!(
    Source,
    [Source::Server, Source::TrustStore, Source::PublicRoots]
);
table_enum!(
    Severity,
    [Severity::Error, Severity::Warning, Severity::Info]
);
table_enum!(
    Outcome,
    [
        Outcome::Connects,
        Outcome::ConnectsWithWarnings,
        Outcome::Rejects,
        Outcome::CannotConnect,
        Outcome::LoginFails,
        Outcome::CannotTell,
    ]
);

impl Codec for Rule {
    fn put(&self, w: &mut Vec<u8>) {
        (Rule::ALL.iter().position(|x| x == self).unwrap_or(0) as u16).put(w)
    }
    fn get(r: &mut Reader) -> Option<Self> {
        Rule::ALL.get(u16::get(r)? as usize).copied()
    }
}

/// Structs: each field in order, rebuilt with a literal.
macro_rules! record {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Codec for $t {
            fn put(&self, w: &mut Vec<u8>) {
                $( Codec::put(&self.$f, w); )*
            }
            fn get(r: &mut Reader) -> Option<Self> {
                Some($t { $( $f: Codec::get(r)?, )* })
            }
        }
    };
}

/// Vectors of these use the list form (bytes have their own, compact one).
macro_rules! lists {
    ($($t:ty),*) => {$(
        impl Codec for Vec<$t> {
            fn put(&self, w: &mut Vec<u8>) { put_list(self, w) }
            fn get(r: &mut Reader) -> Option<Self> { get_list(r) }
        }
    )*};
}

lists!(
    String,
    CertView,
    Finding,
    FixStep,
    Alternative,
    ChainEntry,
    VerifyError,
    Fingerprint<32>
);

record!(Alternative { label, steps });
record!(Headline {
    outcome,
    word,
    sentence,
    next_steps,
    rule
});
record!(Finding {
    rule,
    severity,
    title,
    message,
    evidence,
    fix,
    certificate
});
record!(Located { value, line });
record!(ChainEntry {
    depth,
    subject,
    issuer,
    key,
    validity,
    line,
    from_depth_lines
});
record!(VerifyError {
    depth,
    num,
    text,
    line
});
record!(SClient {
    host,
    port,
    starttls,
    chain,
    verify_errors,
    verify_return,
    protocol,
    cipher,
    greeting,
    capability,
    handshake_error,
    no_peer_certificate,
    starttls_not_found,
    showcerts,
    chain_list_closed,
    local_intermediates
});
record!(Offered {
    sha256,
    subject,
    pem,
    ca_owner,
    not_after,
    also_needed,
    chains_to,
    catalogue_date
});
record!(Missing {
    issuer,
    authority_key_id,
    ca_issuers,
    needed_by,
    offered
});
record!(Anchor {
    sha256,
    source,
    label,
    subject
});
record!(Report {
    verdict,
    headline,
    summary,
    java_error,
    host,
    analysed_at,
    certificates,
    path,
    anchor,
    missing,
    trust_store,
    findings,
    openssl,
    notices
});

impl Codec for FixStep {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            FixStep::Do(s) => {
                false.put(w);
                s.put(w);
            }
            FixStep::OneOf(alts) => {
                true.put(w);
                alts.put(w);
            }
        }
    }
    fn get(r: &mut Reader) -> Option<Self> {
        Some(if bool::get(r)? {
            FixStep::OneOf(Codec::get(r)?)
        } else {
            FixStep::Do(String::get(r)?)
        })
    }
}

impl Codec for CertView {
    fn put(&self, w: &mut Vec<u8>) {
        self.cert.raw.der.put(w);
        self.source.put(w);
        self.position.put(w);
        self.label.put(w);
        self.path_index.put(w);
    }
    fn get(r: &mut Reader) -> Option<Self> {
        let der = Vec::<u8>::get(r)?;
        let cert = Arc::new(Certificate::from_der(&der).ok()?);
        Some(CertView {
            pem: Pem(cert.clone()),
            cert,
            source: Source::get(r)?,
            position: usize::get(r)?,
            label: Codec::get(r)?,
            path_index: Codec::get(r)?,
        })
    }
}

pub fn encode(r: &Report) -> Vec<u8> {
    let mut w = Vec::new();
    r.put(&mut w);
    w
}

/// The report back, or `None` for bytes that are not a whole report.
pub fn decode(bytes: &[u8]) -> Option<Report> {
    let mut r = Reader { buf: bytes };
    let report = Report::get(&mut r)?;
    r.buf.is_empty().then_some(report)
}
