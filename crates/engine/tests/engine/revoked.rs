//! The intermediate catalogue never hands over a CA certificate the CCADB
//! lists as revoked (issue #13). Held against the vendored data: the CCADB
//! revocation list the refresh dropped (`data/intermediates/revoked.tsv`),
//! real certificates from the CCADB around revoked intermediates
//! (`tests/fixtures/revoked-intermediates`), and openssl, which confirms that
//! each revoked certificate really signs the certificate below it (so the
//! catalogue would have had a fitting issuer to offer without the filter).

#[cfg(feature = "full-catalogue")]
use std::process::Command;

use imap_doctor_engine::x509::catalogue;
use imap_doctor_engine::x509::cert::Certificate;
use imap_doctor_engine::x509::fingerprint::Sha256Fingerprint;
#[cfg(feature = "full-catalogue")]
use imap_doctor_engine::{
    diagnose::{analyze, parse_time, Input, Options},
    java::{JavaRelease, TrustStore},
    Report, Verdict,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/intermediates");
#[cfg(feature = "full-catalogue")]
const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/revoked-intermediates"
);

/// GTS CA 1C3 (Google Trust Services, by GTS Root R1): a current issuing CA
/// the catalogue used to offer (it was in the curated set), listed as revoked.
const GTS_CA_1C3: &str = "23ecb03eec17338c4e33a6b48a41dc3cda12281bbc3ff813c0589d6cc2387522";

/// Plain lower-case hex, the form the data files use.
fn hex(f: &Sha256Fingerprint) -> String {
    f.to_string().replace(':', "").to_ascii_lowercase()
}

/// The SHA-256 column of `revoked.tsv`.
fn revoked() -> Vec<String> {
    let text = std::fs::read_to_string(format!("{DATA}/revoked.tsv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().map(|h| h.split('\t').next()),
        Some(Some("sha256"))
    );
    lines
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect()
}

/// Every certificate in `catalogue.pem`, parsed (its fingerprint computed
/// from the DER, not taken from the comment line above it).
fn catalogue_certs() -> Vec<Certificate> {
    let text = std::fs::read_to_string(format!("{DATA}/catalogue.pem")).unwrap();
    pem::parse_many(text.as_bytes())
        .unwrap()
        .iter()
        .map(|p| Certificate::from_der(p.contents()).expect("catalogue certificate parses"))
        .collect()
}

#[test]
fn catalogue_holds_no_certificate_listed_as_revoked() {
    let revoked = revoked();
    // The refresh dropped 655 listed certificates from this snapshot; a refresh
    // without the revocation source writes an empty list and fails here.
    assert!(revoked.len() > 500, "{}", revoked.len());
    assert!(revoked.iter().all(|s| s.len() == 64));
    let certs = catalogue_certs();
    assert_eq!(certs.len(), catalogue::size());
    for c in &certs {
        let sha = hex(&c.sha256);
        assert!(!revoked.contains(&sha), "{sha} is listed as revoked");
    }
    let index = std::fs::read_to_string(format!("{DATA}/index.tsv")).unwrap();
    let curated = std::fs::read_to_string(format!("{DATA}/curated.txt")).unwrap();
    for s in &revoked {
        assert!(!index.contains(s.as_str()), "{s} in index.tsv");
        assert!(!curated.contains(s.as_str()), "{s} in curated.txt");
    }
    // A real, well-known one.
    let list = std::fs::read_to_string(format!("{DATA}/revoked.tsv")).unwrap();
    let row = list
        .lines()
        .find(|l| l.starts_with(GTS_CA_1C3))
        .expect("GTS CA 1C3 listed");
    assert!(
        row.contains("CN=GTS CA 1C3,O=Google Trust Services LLC"),
        "{row}"
    );
}

#[cfg(feature = "full-catalogue")]
fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

#[cfg(feature = "full-catalogue")]
fn sha_of(pem_text: &str) -> String {
    let p = pem::parse(pem_text).unwrap();
    hex(&Certificate::from_der(p.contents()).unwrap().sha256)
}

#[cfg(feature = "full-catalogue")]
fn run(pem_text: &str, release: &str) -> Report {
    analyze(
        &[Input {
            name: "paste",
            bytes: pem_text.as_bytes(),
        }],
        &[],
        &Options {
            at: parse_time("2026-11-26T00:00:00Z").unwrap(),
            java_release: Some(JavaRelease::parse(release).unwrap()),
            trust_store: TrustStore::Jdk,
            ..Default::default()
        },
    )
}

/// openssl: `issuer` signs `child` (partial chain, time ignored).
#[cfg(feature = "full-catalogue")]
fn openssl_signs(issuer: &str, child: &str, tag: &str) -> bool {
    let dir = std::env::temp_dir().join(format!("revoked-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("issuer.pem"), issuer).unwrap();
    std::fs::write(dir.join("child.pem"), child).unwrap();
    let ok = Command::new("openssl")
        .args(["verify", "-partial_chain", "-no_check_time", "-CAfile"])
        .arg(dir.join("issuer.pem"))
        .arg(dir.join("child.pem"))
        .output()
        .unwrap()
        .status
        .success();
    let _ = std::fs::remove_dir_all(&dir);
    ok
}

/// TrustID ECC Server CA 1's issuer, IdenTrust Commercial Root TLS ECC CA 2,
/// exists in the CCADB only as a cross-sign by IdenTrust Commercial Root CA 1
/// (a Java root), and that cross-sign is revoked: the issuer is still named
/// as missing, but no certificate is offered.
#[cfg(feature = "full-catalogue")]
#[test]
fn revoked_issuer_is_not_offered() {
    let child = fixture("trustid-ecc-server-ca-1.pem");
    let rev = fixture("identrust-commercial-root-tls-ecc-ca-2.revoked.pem");
    let rev_sha = sha_of(&rev);
    assert!(revoked().contains(&rev_sha));
    assert!(
        openssl_signs(&rev, &child, "identrust"),
        "the revoked cross-sign signs the child"
    );
    let c = Certificate::from_der(pem::parse(&child).unwrap().contents()).unwrap();
    assert!(catalogue::lookup(&c).is_empty());

    let r = run(&child, "17");
    assert_eq!(r.verdict, Verdict::MissingIntermediate, "{}", r.to_text());
    let m = r.missing.as_ref().unwrap();
    assert!(m.issuer.contains("IdenTrust Commercial Root TLS ECC CA 2"));
    assert!(
        m.offered.is_none(),
        "{:?}",
        m.offered.as_ref().map(|o| &o.subject)
    );
    assert!(!r.to_text().contains("imap-doctor has this certificate"));
}

/// Let's Encrypt's YR1 is issued by Root YR, which no Java carries; the
/// cross-sign by ISRG Root X1 (a root of every Java 17) completes the chain.
/// The CCADB has two such cross-signs with the same key: the one of
/// serial faa6275d… is revoked, the other is not, and only the latter is
/// offered.
#[cfg(feature = "full-catalogue")]
#[test]
fn live_cross_sign_is_offered_not_the_revoked_one() {
    let yr1 = catalogue_certs()
        .into_iter()
        .find(|c| {
            hex(&c.sha256) == "13949634d99cd6fd6aa80bc034fefacceb1969feef986586713ecdbb05758d3f"
        })
        .expect("YR1 by Root YR in the catalogue");
    let yr1_pem = pem::encode(&pem::Pem::new("CERTIFICATE", yr1.raw.der.clone()));
    let rev = fixture("root-yr-by-isrg-root-x1.revoked.pem");
    let rev_sha = sha_of(&rev);
    assert!(revoked().contains(&rev_sha));
    assert!(
        openssl_signs(&rev, &yr1_pem, "yr"),
        "the revoked cross-sign signs YR1"
    );
    let found = catalogue::lookup(&yr1);
    assert!(!found.is_empty());
    assert!(found.iter().all(|e| hex(&e.cert.sha256) != rev_sha));

    let r = run(&yr1_pem, "17");
    assert_eq!(r.verdict, Verdict::MissingIntermediate, "{}", r.to_text());
    let o = crate::roots::offered(&r);
    assert_eq!(
        hex(&o.sha256),
        "072639d0b140d5bffae16ad9c3f6cc6086040621f51ee61a6d46a8915c07cf76",
        "{}",
        o.subject
    );
    assert!(o
        .chains_to
        .as_deref()
        .unwrap_or("")
        .contains("ISRG Root X1"));
    assert!(openssl_signs(&o.pem, &yr1_pem, "yr-live"));
}
