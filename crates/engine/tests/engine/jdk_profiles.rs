//! Fixed regression cases for the `--java` profiles: generated chains
//! (tests/differential/gen_chains.py) on which the JDK releases disagree
//! with each other, recorded with the answers of the real trust managers of
//! JDK 17.0.15, 21.0.8 and 25.0.2 in a TLS handshake
//! (tests/differential/record.py, tests/java/JsseOracle.java). The engine,
//! asked for the same release, TLS version, host and time (to the
//! millisecond), must predict the same outcome and Java's exact message.
//! `min-*` cases are hand-made minimal chains of one behaviour each
//! (tests/differential/minimal_cases.py, group 4): name-constraint forms
//! Java cannot compare, v1 issuers in the builder, an anchor's twin sent by
//! the server. A chain the JDK cannot parse is recorded with JSSE's
//! "Failed to parse server certificates" (see record.py).

use imap_doctor_engine::java::{JavaRelease, TlsVersion};
use imap_doctor_engine::{analyze, Input, Options};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/jdk-profiles"
);

fn cases() -> Vec<(String, serde_json::Value, String, String)> {
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(DIR)
        .expect("fixture directory")
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for d in dirs {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("case.json")).unwrap()).unwrap();
        let chain = std::fs::read_to_string(d.join("chain.pem")).unwrap();
        let trust = std::fs::read_to_string(d.join("trust.pem")).unwrap();
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, case, chain, trust));
    }
    out
}

/// The engine's Java error for a recorded case, analysed as the recorded
/// client connected: its chain and trust store, host, time to the
/// millisecond, and (when given) the release and TLS version.
fn java_error(
    case: &serde_json::Value,
    chain: &str,
    trust: &str,
    at_ms: i64,
    release: Option<JavaRelease>,
) -> Option<String> {
    analyze(
        &[Input {
            name: "chain",
            bytes: chain.as_bytes(),
        }],
        &[Input {
            name: "trust",
            bytes: trust.as_bytes(),
        }],
        &Options {
            at: at_ms.div_euclid(1000),
            at_millis: at_ms.rem_euclid(1000) as u16,
            host: Some(case["host"].as_str().unwrap().to_string()),
            public_roots: false,
            java: release.map(|r| r.profile()).unwrap_or_default(),
            java_release: release,
            identity_check: case["ident"] != "NONE",
            tls_version: release
                .map(|_| TlsVersion::parse(case["tls"].as_str().unwrap()).expect("a TLS version")),
            ..Default::default()
        },
    )
    .java_error
}

#[test]
fn every_recorded_jdk_answer_is_predicted() {
    let all = cases();
    assert!(all.len() >= 9, "fixtures missing: {}", all.len());
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (name, case, chain, trust) in &all {
        // Without `rare-keys` the engine cannot check DSA signatures (it
        // says "could not check"); the command line has them.
        let rare = case["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap_or("").contains("DSA"));
        if rare && !cfg!(feature = "rare-keys") {
            continue;
        }
        let at_ms = case["at_ms"].as_i64().unwrap();
        for (line, answer) in case["java"].as_object().unwrap() {
            let version = answer["version"].as_str().unwrap();
            let release = JavaRelease::parse(version).unwrap();
            assert_eq!(release.line.to_string(), *line);
            let engine = java_error(case, chain, trust, at_ms, Some(release));
            let java = match answer["outcome"].as_str().unwrap() {
                "TRUSTED" => None,
                _ => Some(answer["message"].as_str().unwrap().to_string()),
            };
            checked += 1;
            if engine != java {
                wrong.push(format!(
                    "{name} on Java {version}: Java {java:?}, engine {engine:?}"
                ));
            }
        }
    }
    let least = if cfg!(feature = "rare-keys") {
        124
    } else {
        112
    };
    assert!(checked >= least, "only {checked} answers checked");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn sub_second_analysis_time_counts() {
    // The leaf's notAfter is the case's second; Java keeps the validation
    // date to the millisecond (recorded: trusted at +0 ms, "validity check
    // failed" at +500 ms, on 17, 21 and 25). A time read to the second would
    // call both trusted.
    let all = cases();
    let (_, case, chain, trust) = all
        .iter()
        .find(|c| c.0 == "seed-1-266-at-plus-500ms")
        .unwrap();
    // The case's second, without its milliseconds; the default release.
    let second = case["at_ms"].as_i64().unwrap().div_euclid(1000) * 1000;
    let run = |millis: i64| java_error(case, chain, trust, second + millis, None);
    assert_eq!(run(0), None);
    assert_eq!(
        run(500).as_deref(),
        Some("PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed")
    );
    assert_eq!(run(999), run(500));
}
