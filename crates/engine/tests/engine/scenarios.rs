#![cfg(not(target_arch = "wasm32"))]
//! Chain scenarios: for each, the engine's verdict and findings, and the
//! JDK's own trust manager (the oracle) on the very same certificates.
//! A disagreement with Java is a bug in the engine.

use imap_doctor_engine::{analyze, Input, Options, Report, Verdict};
use imap_doctor_testkit::*;

fn engine(chain: &[&TestCert], trust: &[&TestCert], host: Option<&str>) -> Report {
    let paste = pems(chain);
    let trusted = pems(trust);
    analyze(
        &[Input {
            name: "chain",
            bytes: paste.as_bytes(),
        }],
        &[Input {
            name: "trust",
            bytes: trusted.as_bytes(),
        }],
        &Options {
            at: now().unix_timestamp(),
            host: host.map(str::to_string),
            public_roots: false,
            ..Default::default()
        },
    )
}

fn rules(r: &Report) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.rule.id()).collect()
}

/// Runs the engine and the oracle; checks the verdict, the finding ids, and
/// that Java agrees (trusted or not, and which of its two messages).
fn scenario(
    name: &str,
    chain: &[&TestCert],
    trust: &[&TestCert],
    verdict: Verdict,
    expect: &[&str],
) -> Report {
    let r = engine(chain, trust, None);
    assert_eq!(
        r.verdict,
        verdict,
        "{name}: engine verdict\n{}",
        r.to_text()
    );
    for id in expect {
        assert!(
            rules(&r).contains(id),
            "{name}: expected finding {id}, got {:?}\n{}",
            rules(&r),
            r.to_text()
        );
    }
    let java = java_oracle(name, chain, trust);
    match &java {
        JavaSays::Trusted => assert_eq!(
            r.verdict,
            Verdict::Trusted,
            "{name}: Java trusts it, the engine does not"
        ),
        JavaSays::Rejected(msg) => {
            assert_ne!(
                r.verdict,
                Verdict::Trusted,
                "{name}: Java rejects it ({msg}), the engine trusts it"
            );
            let ours = r.java_error.clone().unwrap_or_default();
            if msg.contains("PKIX path building failed") {
                assert!(
                    ours.contains("PKIX path building failed"),
                    "{name}: Java said {msg:?}, we predicted {ours:?}"
                );
            } else if msg.contains("PKIX path validation failed") {
                assert!(
                    ours.contains("PKIX path validation failed"),
                    "{name}: Java said {msg:?}, we predicted {ours:?}"
                );
            }
        }
    }
    r
}

struct Pki {
    root: TestCert,
    int: TestCert,
    leaf: TestCert,
    other_root: TestCert,
}

fn pki() -> Pki {
    let root = self_signed(&Spec::ca("Test Root CA"));
    let int = issued(
        &Spec::ca("Test Intermediate CA").aia("http://ca.example.test/root.cer"),
        &root,
    );
    let leaf = issued(
        &Spec::leaf("mail.example.test").aia("http://ca.example.test/int.cer"),
        &int,
    );
    let other_root = self_signed(&Spec::ca("Unrelated Root CA"));
    Pki {
        root,
        int,
        leaf,
        other_root,
    }
}

#[test]
fn complete_chain_is_trusted() {
    let p = pki();
    let r = scenario(
        "complete",
        &[&p.leaf, &p.int],
        &[&p.root],
        Verdict::Trusted,
        &["chain.ok"],
    );
    assert_eq!(r.path.len(), 3);
    assert!(r.missing.is_none());
    assert!(!r.has_error());
}

#[test]
fn missing_intermediate_is_named_with_aki_and_aia() {
    let p = pki();
    let r = scenario(
        "missing",
        &[&p.leaf],
        &[&p.root],
        Verdict::MissingIntermediate,
        &[
            "chain.missing-intermediate",
            "chain.server-sends-incomplete-chain",
        ],
    );
    let m = r.missing.as_ref().unwrap();
    assert_eq!(m.issuer, "CN=Test Intermediate CA, O=Test Org, C=US");
    let int = imap_doctor_engine::x509::cert::Certificate::from_der(&p.int.der).unwrap();
    assert_eq!(m.authority_key_id, int.subject_key_id);
    assert_eq!(
        m.ca_issuers,
        vec!["http://ca.example.test/int.cer".to_string()]
    );
    assert!(r.has_error());
}

#[test]
fn intermediate_in_trust_store_completes_but_warns() {
    let p = pki();
    let r = scenario(
        "int-in-truststore",
        &[&p.leaf],
        &[&p.root, &p.int],
        Verdict::Trusted,
        &["chain.ok", "chain.server-sends-incomplete-chain"],
    );
    assert!(!r.has_error());
}

#[test]
fn untrusted_private_root() {
    let p = pki();
    let r = scenario(
        "untrusted-root",
        &[&p.leaf, &p.int, &p.root],
        &[&p.other_root],
        Verdict::UntrustedRoot,
        &["chain.untrusted-root"],
    );
    let root = imap_doctor_engine::x509::cert::Certificate::from_der(&p.root.der).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "chain.untrusted-root")
        .unwrap();
    assert!(f
        .evidence
        .iter()
        .any(|e| e.contains(&root.sha256.to_string())));
}

#[test]
fn self_signed_leaf() {
    let p = pki();
    let ss = self_signed(&Spec::leaf("mail.example.test"));
    scenario(
        "self-signed",
        &[&ss],
        &[&p.other_root],
        Verdict::UntrustedRoot,
        &["chain.self-signed-leaf"],
    );
    // Imported into the trust store, Java accepts it as it is.
    scenario(
        "self-signed-trusted",
        &[&ss],
        &[&ss],
        Verdict::Trusted,
        &["chain.ok"],
    );
}

#[test]
fn expired_leaf() {
    let p = pki();
    let old = issued(&Spec::leaf("mail.example.test").valid(-400, -5), &p.int);
    scenario(
        "expired-leaf",
        &[&old, &p.int],
        &[&p.root],
        Verdict::Invalid,
        &["chain.expired"],
    );
}

#[test]
fn expired_intermediate() {
    let p = pki();
    let int = issued(&Spec::ca("Old Intermediate CA").valid(-900, -1), &p.root);
    let leaf = issued(&Spec::leaf("mail.example.test"), &int);
    scenario(
        "expired-int",
        &[&leaf, &int],
        &[&p.root],
        Verdict::Invalid,
        &["chain.expired"],
    );
}

#[test]
fn not_yet_valid_leaf() {
    let p = pki();
    let future = issued(&Spec::leaf("mail.example.test").valid(5, 300), &p.int);
    scenario(
        "not-yet-valid",
        &[&future, &p.int],
        &[&p.root],
        Verdict::Invalid,
        &["chain.not-yet-valid"],
    );
}

#[test]
fn expires_soon_is_a_warning() {
    let p = pki();
    let soon = issued(&Spec::leaf("mail.example.test").valid(-300, 10), &p.int);
    let r = scenario(
        "expires-soon",
        &[&soon, &p.int],
        &[&p.root],
        Verdict::Trusted,
        &["chain.expires-soon"],
    );
    assert!(!r.has_error());
}

#[test]
fn out_of_order_and_root_sent() {
    let p = pki();
    let r = scenario(
        "out-of-order",
        &[&p.leaf, &p.root, &p.int],
        &[&p.root],
        Verdict::Trusted,
        &["chain.wrong-order", "chain.contains-root"],
    );
    assert!(!r.has_error());
}

#[test]
fn extra_and_duplicate_certificates() {
    let p = pki();
    scenario(
        "extra",
        &[&p.leaf, &p.int, &p.int, &p.other_root],
        &[&p.root],
        Verdict::Trusted,
        &["chain.extra-certificates"],
    );
}

#[test]
fn root_sent_in_order() {
    let p = pki();
    let r = scenario(
        "root-sent",
        &[&p.leaf, &p.int, &p.root],
        &[&p.root],
        Verdict::Trusted,
        &["chain.contains-root"],
    );
    assert!(!rules(&r).contains(&"chain.wrong-order"));
}

#[test]
fn two_intermediates_same_name_different_keys() {
    let p = pki();
    // Same DN, another key: the CA re-keyed its intermediate.
    let stale = issued(
        &Spec::ca("Test Intermediate CA").aia("http://ca.example.test/root.cer"),
        &p.root,
    );
    // Both sent: Java searches and finds the right one.
    scenario(
        "two-ints-both-sent",
        &[&p.leaf, &stale, &p.int],
        &[&p.root],
        Verdict::Trusted,
        &["chain.ok"],
    );
    // Only the stale one sent, in order: Java validates the list as given and fails.
    scenario(
        "two-ints-stale-sent",
        &[&p.leaf, &stale],
        &[&p.root],
        Verdict::Invalid,
        &["chain.bad-signature"],
    );
    // The stale one in the trust store, nothing sent: the name matches, the key does not.
    let r = scenario(
        "two-ints-stale-trusted",
        &[&p.leaf],
        &[&p.root, &stale],
        Verdict::Invalid,
        &["chain.bad-signature"],
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "chain.bad-signature")
        .unwrap();
    assert!(f.message.contains("Test Intermediate CA"));
}

#[test]
fn ca_false_issuer() {
    let p = pki();
    let not_ca = issued(&Spec::ca("Not A CA").not_ca(), &p.root);
    let leaf = issued(&Spec::leaf("mail.example.test"), &not_ca);
    scenario(
        "ca-false",
        &[&leaf, &not_ca],
        &[&p.root],
        Verdict::Invalid,
        &["chain.not-a-ca"],
    );
}

#[test]
fn path_length_exceeded() {
    let p = pki();
    let int1 = issued(&Spec::ca("Constrained CA").path_len(0), &p.root);
    let int2 = issued(&Spec::ca("Sub CA"), &int1);
    let leaf = issued(&Spec::leaf("mail.example.test"), &int2);
    scenario(
        "pathlen",
        &[&leaf, &int2, &int1],
        &[&p.root],
        Verdict::Invalid,
        &["chain.not-a-ca"],
    );
}

#[test]
fn host_names_and_wildcards() {
    let p = pki();
    let wild = issued(&Spec::leaf("*.example.test"), &p.int);
    let ok = engine(&[&wild, &p.int], &[&p.root], Some("mail.example.test"));
    assert!(!rules(&ok).contains(&"host.mismatch"), "{}", ok.to_text());
    for host in ["a.b.example.test", "example.test", "mail.other.test"] {
        let r = engine(&[&wild, &p.int], &[&p.root], Some(host));
        let f = r.findings.iter().find(|f| f.rule.id() == "host.mismatch");
        let f = f.unwrap_or_else(|| panic!("{host} should not match *.example.test"));
        assert!(f.message.contains(&format!(
            "No subject alternative DNS name matching {host} found."
        )));
        assert_eq!(r.verdict, Verdict::Trusted);
        assert!(r.has_error());
    }
    let exact = engine(&[&p.leaf, &p.int], &[&p.root], Some("MAIL.example.test."));
    assert!(!rules(&exact).contains(&"host.mismatch"));
}

#[test]
fn p384_and_ed25519_signatures_verify() {
    use rcgen::{CertificateParams, CertifiedIssuer, KeyPair};
    for (name, alg) in [
        ("p384", &rcgen::PKCS_ECDSA_P384_SHA384),
        ("ed25519", &rcgen::PKCS_ED25519),
    ] {
        let mut rp = CertificateParams::new(Vec::<String>::new()).unwrap();
        rp.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        rp.distinguished_name
            .push(rcgen::DnType::CommonName, "Alg Root");
        let root = CertifiedIssuer::self_signed(rp, KeyPair::generate_for(alg).unwrap()).unwrap();
        let mut lp = CertificateParams::new(vec!["mail.example.test".to_string()]).unwrap();
        lp.distinguished_name
            .push(rcgen::DnType::CommonName, "mail.example.test");
        let leaf = lp
            .signed_by(&KeyPair::generate_for(alg).unwrap(), &root)
            .unwrap();
        let root = TestCert {
            der: root.der().to_vec(),
            issuer: None,
        };
        let leaf = TestCert {
            der: leaf.der().to_vec(),
            issuer: None,
        };
        scenario(
            &format!("alg-{name}"),
            &[&leaf],
            &[&root],
            Verdict::Trusted,
            &["chain.ok"],
        );
    }
}

fn ossl(
    name: &'static str,
    subject: &'static str,
    key: &'static str,
    digest: &'static str,
    ca: bool,
) -> OsslSpec<'static> {
    OsslSpec {
        name,
        subject,
        key,
        digest,
        ca,
        pss: false,
    }
}

#[test]
fn sha1_intermediate_under_private_root_is_accepted() {
    let dir = scratch("sha1-private");
    let c = openssl_chain(
        &dir,
        &[
            ossl(
                "root",
                "/O=Private/CN=Private Root",
                "rsa:2048",
                "sha256",
                true,
            ),
            ossl(
                "int",
                "/O=Private/CN=SHA1 Intermediate",
                "rsa:2048",
                "sha1",
                true,
            ),
            ossl("leaf", "/CN=mail.example.test", "rsa:2048", "sha256", false),
        ],
    );
    scenario(
        "sha1-private",
        &[&c[2], &c[1]],
        &[&c[0]],
        Verdict::Trusted,
        &["chain.ok"],
    );
}

#[test]
fn md5_is_rejected() {
    let dir = scratch("md5");
    let c = openssl_chain(
        &dir,
        &[
            ossl("root", "/O=Private/CN=Root", "rsa:2048", "sha256", true),
            ossl("leaf", "/CN=mail.example.test", "rsa:2048", "md5", false),
        ],
    );
    scenario(
        "md5",
        &[&c[1]],
        &[&c[0]],
        Verdict::Invalid,
        &["chain.weak-signature"],
    );
}

#[test]
fn small_rsa_keys() {
    let dir = scratch("rsa512");
    let c = openssl_chain(
        &dir,
        &[
            ossl("root", "/O=Private/CN=Root", "rsa:2048", "sha256", true),
            ossl("leaf", "/CN=mail.example.test", "rsa:512", "sha256", false),
        ],
    );
    scenario(
        "rsa512",
        &[&c[1]],
        &[&c[0]],
        Verdict::Invalid,
        &["chain.weak-key"],
    );
    let dir = scratch("rsa1024");
    let c = openssl_chain(
        &dir,
        &[
            ossl("root", "/O=Private/CN=Root", "rsa:2048", "sha256", true),
            ossl("leaf", "/CN=mail.example.test", "rsa:1024", "sha256", false),
        ],
    );
    let r = scenario(
        "rsa1024",
        &[&c[1]],
        &[&c[0]],
        Verdict::Trusted,
        &["chain.weak-key"],
    );
    assert!(!r.has_error(), "RSA-1024 is a warning, Java accepts it");
}

#[test]
fn rsa_pss_and_p521_signatures_verify() {
    let dir = scratch("pss");
    let mut root = ossl("root", "/O=Private/CN=PSS Root", "rsa:2048", "sha256", true);
    root.pss = true;
    let mut leaf = ossl("leaf", "/CN=mail.example.test", "rsa:2048", "sha256", false);
    leaf.pss = true;
    let c = openssl_chain(&dir, &[root, leaf]);
    let parsed = imap_doctor_engine::x509::cert::Certificate::from_der(&c[1].der).unwrap();
    assert!(parsed
        .signature_algorithm
        .java_name()
        .starts_with("RSASSA-PSS"));
    scenario("pss", &[&c[1]], &[&c[0]], Verdict::Trusted, &["chain.ok"]);

    let dir = scratch("p521");
    let c = openssl_chain(
        &dir,
        &[
            ossl(
                "root",
                "/O=Private/CN=P521 Root",
                "ec:P-521",
                "sha512",
                true,
            ),
            ossl("leaf", "/CN=mail.example.test", "ec:P-256", "sha384", false),
        ],
    );
    scenario("p521", &[&c[1]], &[&c[0]], Verdict::Trusted, &["chain.ok"]);
}

#[test]
fn sha1_under_public_anchor_is_rejected() {
    // Java rejects SHA-1 only below a JDK cacerts root ("SHA1 jdkCA"); no real
    // public CA will sign for a test, so the walk is given a root marked public.
    use imap_doctor_engine::pkix::chain::{walk, Entry, Problem};
    use imap_doctor_engine::x509::cert::{Certificate, Source};
    use std::sync::Arc;
    let dir = scratch("sha1-public");
    let c = openssl_chain(
        &dir,
        &[
            ossl(
                "root",
                "/O=Public/CN=Public Root",
                "rsa:2048",
                "sha256",
                true,
            ),
            ossl("leaf", "/CN=mail.example.test", "rsa:2048", "sha1", false),
        ],
    );
    let entry = |t: &TestCert, source| Entry {
        cert: Arc::new(Certificate::from_der(&t.der).unwrap()),
        source,
        position: 0,
        label: None,
    };
    let at = now().unix_timestamp();
    let public = [
        entry(&c[1], Source::Server),
        entry(&c[0], Source::PublicRoots),
    ];
    let w = walk(&public, &[0], at);
    assert_eq!(w.verdict, Verdict::Invalid);
    assert!(matches!(
        w.problems[0],
        Problem::WeakSignature {
            public_anchor: true,
            ..
        }
    ));
    let private = [
        entry(&c[1], Source::Server),
        entry(&c[0], Source::TrustStore),
    ];
    assert_eq!(walk(&private, &[0], at).verdict, Verdict::Trusted);
}

#[test]
fn many_look_alikes_are_searched_until_the_real_issuer() {
    // 300 look-alike intermediates (same DN, other keys) plus the real one,
    // out of order: Java's builder tries them; so does the engine, within budget.
    let p = pki();
    let fakes: Vec<TestCert> = (0..300)
        .map(|_| issued(&Spec::ca("Test Intermediate CA"), &p.other_root))
        .collect();
    let mut chain: Vec<&TestCert> = vec![&p.leaf];
    chain.extend(fakes.iter());
    chain.push(&p.int);
    let r = engine(&chain, &[&p.root], None);
    assert_eq!(r.verdict, Verdict::Trusted, "{}", r.to_text());
}

#[test]
fn many_certificates_with_one_name_stay_bounded() {
    // Four levels of 12 look-alike CAs each. The certificates of one level
    // share a name and a key, and carry no key identifiers, so every one of
    // them verifies every certificate below: 12^4 paths, none reaching a
    // trusted root. The search must stop at its budget and say it cannot
    // tell, never "missing intermediate" or "bad signature".
    let p = pki();
    let top = self_signed(&Spec::ca("Untrusted Top CA"));
    let mut levels: Vec<Vec<TestCert>> = Vec::new();
    for level in (1..=4).rev() {
        let name = format!("Look-alike CA {level}");
        let key = rcgen::KeyPair::generate().unwrap().serialize_der();
        let certs: Vec<TestCert> = (0..12)
            .map(|k| {
                let parent = match levels.last() {
                    Some(above) => &above[k % above.len()],
                    None => &top,
                };
                issued_with_key(&Spec::ca(&name).no_key_ids(), &key, parent)
            })
            .collect();
        levels.push(certs);
    }
    let leaf = issued(&Spec::leaf("mail.example.test").no_key_ids(), &levels[3][0]);
    let mut chain: Vec<&TestCert> = vec![&leaf];
    // Interleave the levels so the list is not in order (Java builds).
    for k in 0..12 {
        for level in &levels {
            chain.push(&level[k]);
        }
    }
    let r = engine(&chain, &[&p.root], None);
    assert_eq!(r.verdict, Verdict::Inconclusive, "{}", r.to_text());
    assert!(rules(&r).contains(&"chain.inconclusive"), "{:?}", rules(&r));
    for id in [
        "chain.missing-intermediate",
        "chain.bad-signature",
        "chain.untrusted-root",
    ] {
        assert!(!rules(&r).contains(&id), "{id} reported: {}", r.to_text());
    }
    assert_eq!(r.java_error, None);
}

/// The JDK's verdict and the engine's prediction of its message.
fn java_agrees(name: &str, chain: &[&TestCert], trust: &[&TestCert], r: &Report, java_text: &str) {
    match java_oracle(name, chain, trust) {
        JavaSays::Rejected(msg) => {
            assert!(msg.contains(java_text), "{name}: Java said {msg:?}");
            let ours = r.java_error.clone().unwrap_or_default();
            assert!(
                ours.contains(java_text),
                "{name}: Java said {msg:?}, we predicted {ours:?}"
            );
        }
        JavaSays::Trusted => panic!("{name}: Java trusts it"),
    }
}

#[test]
fn trust_anchor_must_be_a_ca() {
    let root = self_signed(&Spec::ca("Plain Root").no_basic_constraints());
    let leaf = issued(&Spec::leaf("mail.example.test"), &root);
    let r = scenario(
        "anchor-no-bc",
        &[&leaf],
        &[&root],
        Verdict::Invalid,
        &["chain.bad-anchor"],
    );
    java_agrees(
        "anchor-no-bc",
        &[&leaf],
        &[&root],
        &r,
        "is not a CA certificate",
    );
}

#[test]
fn trust_anchor_needs_key_cert_sign() {
    let root =
        self_signed(&Spec::ca("No Sign Root").key_usage(vec![Ku::DigitalSignature, Ku::CrlSign]));
    let leaf = issued(&Spec::leaf("mail.example.test"), &root);
    let r = scenario(
        "anchor-no-kcs",
        &[&leaf],
        &[&root],
        Verdict::Invalid,
        &["chain.bad-anchor"],
    );
    java_agrees(
        "anchor-no-kcs",
        &[&leaf],
        &[&root],
        &r,
        "does not have keyCertSign bit set",
    );
}

#[test]
fn leaf_key_usage_must_allow_signatures() {
    let p = pki();
    let leaf = issued(
        &Spec::leaf("mail.example.test").key_usage(vec![Ku::KeyAgreement]),
        &p.int,
    );
    let r = scenario(
        "leaf-ku-agreement",
        &[&leaf, &p.int],
        &[&p.root],
        Verdict::Invalid,
        &["chain.leaf-usage"],
    );
    java_agrees(
        "leaf-ku-agreement",
        &[&leaf, &p.int],
        &[&p.root],
        &r,
        "KeyUsage does not allow digital signatures",
    );
}

#[test]
fn unknown_critical_extension_is_refused() {
    let p = pki();
    let leaf = issued(
        &Spec::leaf("mail.example.test").unknown_critical(&[1, 3, 6, 1, 4, 1, 55555, 2, 1]),
        &p.int,
    );
    let r = scenario(
        "leaf-unknown-critical",
        &[&leaf, &p.int],
        &[&p.root],
        Verdict::Invalid,
        &["chain.critical-extension"],
    );
    java_agrees(
        "leaf-unknown-critical",
        &[&leaf, &p.int],
        &[&p.root],
        &r,
        "unrecognized critical extension(s)",
    );
}

#[test]
fn name_constraints_apply_below_the_anchor_only() {
    // On an intermediate: enforced.
    let root = self_signed(&Spec::ca("NC Root"));
    let int = issued(
        &Spec::ca("NC Intermediate").permitted_dns(&["other.test"]),
        &root,
    );
    let leaf = issued(&Spec::leaf("mail.example.test"), &int);
    let r = scenario(
        "nc-on-intermediate",
        &[&leaf, &int],
        &[&root],
        Verdict::Invalid,
        &["chain.name-constraints"],
    );
    java_agrees(
        "nc-on-intermediate",
        &[&leaf, &int],
        &[&root],
        &r,
        "name constraints check failed",
    );
    // Inside the permitted subtree: fine.
    let ok_leaf = issued(&Spec::leaf("mail.other.test"), &int);
    scenario(
        "nc-permitted",
        &[&ok_leaf, &int],
        &[&root],
        Verdict::Trusted,
        &["chain.ok"],
    );
    // On the trust anchor itself: Java ignores them (TrustAnchor(cert, null)).
    let nc_root = self_signed(&Spec::ca("NC Anchor").permitted_dns(&["other.test"]));
    let leaf2 = issued(&Spec::leaf("mail.example.test"), &nc_root);
    scenario(
        "nc-on-anchor",
        &[&leaf2],
        &[&nc_root],
        Verdict::Trusted,
        &["chain.ok"],
    );
}

#[test]
fn first_certificate_sent_is_the_server_certificate() {
    // The intermediate first: Java validates it as the end entity, and its
    // key usage (keyCertSign, cRLSign) does not allow TLS signatures.
    let p = pki();
    let r = scenario(
        "int-first",
        &[&p.int, &p.leaf],
        &[&p.root],
        Verdict::Invalid,
        &["chain.leaf-usage"],
    );
    java_agrees(
        "int-first",
        &[&p.int, &p.leaf],
        &[&p.root],
        &r,
        "KeyUsage does not allow digital signatures",
    );
}

#[test]
fn duplicates_never_change_the_verdict() {
    let p = pki();
    let mut chain: Vec<&TestCert> = vec![&p.leaf, &p.int];
    chain.extend(std::iter::repeat_n(&p.root, 9));
    let once = engine(&[&p.leaf, &p.int, &p.root], &[&p.other_root], None);
    let r = scenario(
        "root-nine-times",
        &chain,
        &[&p.other_root],
        Verdict::UntrustedRoot,
        &["chain.untrusted-root"],
    );
    assert_eq!(once.verdict, r.verdict);
    assert_eq!(once.java_error, r.java_error);
}

#[test]
fn long_shuffled_chain_exceeds_javas_builder() {
    // 40 intermediates sent out of order: Java must build, and its builder
    // stops after 5 CAs (PKIXBuilderParameters' default). Nothing is missing.
    let root = self_signed(&Spec::ca("Deep Root"));
    let mut cas: Vec<TestCert> = Vec::new();
    for k in 0..40 {
        let c = issued(
            &Spec::ca(&format!("Deep CA {k}")),
            cas.last().unwrap_or(&root),
        );
        cas.push(c);
    }
    let leaf = issued(&Spec::leaf("mail.example.test"), cas.last().unwrap());
    let mut chain: Vec<&TestCert> = vec![&leaf];
    chain.extend(cas.iter().rev().step_by(2));
    chain.extend(cas.iter().rev().skip(1).step_by(2));
    let r = scenario(
        "deep-shuffled",
        &chain,
        &[&root],
        Verdict::Invalid,
        &["chain.wrong-order"],
    );
    assert!(
        !rules(&r).contains(&"chain.missing-intermediate"),
        "{}",
        r.to_text()
    );
    // The same chain in order is validated as given, with no length limit.
    let mut ordered: Vec<&TestCert> = vec![&leaf];
    ordered.extend(cas.iter().rev());
    scenario(
        "deep-ordered",
        &ordered,
        &[&root],
        Verdict::Trusted,
        &["chain.ok"],
    );
}

#[test]
fn host_names_as_java_checks_them() {
    let p = pki();
    let host_report = |sans: &[&str], host: &str, identity_check: bool| {
        let mut spec = Spec::leaf("leaf.example.test");
        spec.sans = sans.iter().map(|s| s.to_string()).collect();
        let leaf = issued(&spec, &p.int);
        let paste = pems(&[&leaf, &p.int]);
        let trusted = pems(&[&p.root]);
        analyze(
            &[Input {
                name: "chain",
                bytes: paste.as_bytes(),
            }],
            &[Input {
                name: "trust",
                bytes: trusted.as_bytes(),
            }],
            &Options {
                at: now().unix_timestamp(),
                host: Some(host.into()),
                public_roots: false,
                identity_check,
                ..Default::default()
            },
        )
    };
    // Wildcards JDK 17's HostnameChecker accepts under a private CA.
    for (san, host) in [
        ("f*.example.test", "foo.example.test"),
        ("*.test", "example.test"),
        ("mail.*.example.test", "mail.x.example.test"),
        ("*.*.example.test", "a.b.example.test"),
        ("xn--bcher-kva.example.test", "bücher.example.test"),
    ] {
        let r = host_report(&[san], host, true);
        assert!(r.java_error.is_none(), "{san} ~ {host}: {:?}", r.java_error);
        assert!(!rules(&r).contains(&"host.mismatch"), "{san} ~ {host}");
    }
    // A trailing dot in the SAN never matches; an underscore host is refused.
    let r = host_report(&["mail.example.test."], "mail.example.test", true);
    assert_eq!(
        r.java_error.as_deref(),
        Some("No subject alternative DNS name matching mail.example.test found.")
    );
    let r = host_report(&["mail_1.example.test"], "mail_1.example.test", true);
    assert_eq!(
        r.java_error.as_deref(),
        Some("Illegal given domain name: mail_1.example.test")
    );
    // Without the identity check, Java never gets to a host-name error.
    let r = host_report(&["other.example.test"], "mail.example.test", false);
    assert_eq!(r.java_error, None);
    assert_eq!(r.verdict, Verdict::Trusted);
}
