use imap_doctor_engine::java::{JavaRelease, TrustStore};
use imap_doctor_engine::{analyze, Input, Options};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&a[1]).unwrap();
    let java = a
        .get(2)
        .filter(|s| !s.is_empty())
        .map(|j| JavaRelease::parse(j).unwrap());
    let at: i64 = a
        .get(3)
        .map(|s| s.parse().unwrap())
        .unwrap_or(1_795_651_200);
    let store = match a.get(4).map(String::as_str) {
        Some("debian") => TrustStore::Debian,
        Some("mozilla") => TrustStore::Mozilla,
        Some("archiver") => TrustStore::ArchiverOnly,
        _ => TrustStore::Jdk,
    };
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: &bytes,
        }],
        &[],
        &Options {
            at,
            java: java.map(|j| j.profile()).unwrap_or_default(),
            java_release: java,
            trust_store: store,
            ..Options::default()
        },
    );
    println!(
        "VERDICT {:?}\nHEADLINE {}\nSUMMARY {}",
        r.verdict,
        serde_json::to_string(&r.headline).unwrap(),
        r.summary
    );
    for f in &r.findings {
        println!(
            "- {} {:?}: {}\n    ev {:?}\n    fix {:?}",
            f.rule.id(),
            f.severity,
            f.message,
            f.evidence,
            f.fix
        );
    }
    for n in &r.notices {
        println!("NOTICE {n}");
    }
}
