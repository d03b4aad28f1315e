//! `probe --tls-scan` against real Dovecot on loopback with
//! `ssl_min_protocol` set to TLSv1, TLSv1.1, TLSv1.2 and TLSv1.3, and a
//! Dovecot that speaks only TLS 1.0 (OpenSSL's MaxProtocol through
//! OPENSSL_CONF: Dovecot has no maximum of its own). Two independent
//! oracles: `openssl s_client` with each version for the scan's versions,
//! and the installed JDK's own handshake for the Java simulation's row of
//! that JDK.
#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Stdio};

use crate::java_client::{handshakes, simulated, Says};
use crate::probe::{dovecot_with, Dovecot, DovecotSpec};
use crate::tls_scan::{chain, finding, java, probe, version};

/// The versions s_client completes a handshake with, by OpenSSL name.
fn s_client_accepts(port: u16) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (flag, name) in [
        ("-tls1_3", "TLSv1.3"),
        ("-tls1_2", "TLSv1.2"),
        ("-tls1_1", "TLSv1.1"),
        ("-tls1", "TLSv1"),
    ] {
        let mut cmd = Command::new("openssl");
        cmd.args(["s_client", "-connect", &format!("127.0.0.1:{port}"), flag]);
        if flag != "-tls1_3" {
            // -cipher sets the TLS 1.2-and-older suites only.
            cmd.args(["-cipher", "ALL:@SECLEVEL=0"]);
        }
        let o = cmd.stdin(Stdio::null()).output().expect("openssl");
        // With -tls1… the version is pinned: any handshake is that one.
        // A failed one prints "New, (NONE), Cipher is (NONE)".
        let text = String::from_utf8_lossy(&o.stdout);
        if text.contains("New, ") && !text.contains("New, (NONE)") {
            out.push(name);
        }
    }
    out
}

fn scan_accepts(v: &serde_json::Value) -> Vec<String> {
    v["tls_scan"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["accepted"] == true)
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect()
}

fn dovecot_installed() -> bool {
    Command::new("dovecot").arg("--version").output().is_ok()
}

/// A Dovecot with the scan chain and `extra` configuration lines.
fn dovecot(name: &str, extra: &str) -> Dovecot {
    let dir = chain(&format!("dovecot-{name}"));
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    dovecot_with(
        DovecotSpec {
            name,
            listen: "127.0.0.1",
            cert_chain: Some(read("leaf.pem") + &read("int.pem")),
            key: Some(read("leaf.key")),
            plaintext_auth: true,
            messages: 0,
        },
        extra,
    )
}

#[test]
fn dovecot_per_ssl_min_protocol_and_a_tls10_only_dovecot() {
    if !dovecot_installed() {
        eprintln!("skipped: dovecot is not installed (Debian package dovecot-imapd)");
        return;
    }
    // SECLEVEL 0: OpenSSL 3 refuses TLS 1.0/1.1 (SHA-1 signatures) above it.
    let mins = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
    let servers: Vec<Dovecot> = mins
        .iter()
        .map(|m| {
            dovecot(
                &format!("min-{m}"),
                &format!("ssl_min_protocol = {m}\nssl_cipher_list = ALL:@SECLEVEL=0\n"),
            )
        })
        .collect();
    // Dovecot has no ssl_max_protocol: OpenSSL's own configuration caps it,
    // handed to the login processes through import_environment.
    let only10 = {
        let d = imap_doctor_testkit::scratch("dovecot-tls10-conf");
        let conf = d.join("openssl.cnf");
        std::fs::write(
            &conf,
            "openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = sys\n[sys]\nMaxProtocol = TLSv1\nCipherString = ALL:@SECLEVEL=0\n",
        )
        .unwrap();
        dovecot(
            "tls10-only",
            &format!(
                "ssl_min_protocol = TLSv1\nssl_cipher_list = ALL:@SECLEVEL=0\nimport_environment = $import_environment OPENSSL_CONF={}\n",
                conf.display()
            ),
        )
    };

    let all = ["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"];
    let mut probes = Vec::new();
    for (m, d) in mins.iter().zip(&servers) {
        let (_, v, _) = probe(d.tls, "tls", "5", &[]);
        let ours = scan_accepts(&v);
        let theirs = s_client_accepts(d.tls);
        assert_eq!(ours, theirs, "ssl_min_protocol = {m}: {v:#}");
        // What the setting means: every version from the minimum up.
        let from_min: Vec<&str> = all[..=all.iter().position(|a| a == m).unwrap()].to_vec();
        if theirs != from_min {
            eprintln!("note: the local OpenSSL does not serve {from_min:?} at ssl_min_protocol = {m}; compared with s_client only");
        }
        // Legacy versions beside 1.2/1.3: a warning, not an error.
        let legacy = finding(&v, "tls.legacy-protocol");
        if ours.iter().any(|n| n == "TLSv1" || n == "TLSv1.1") {
            assert_eq!(
                legacy.expect("tls.legacy-protocol")["severity"],
                "warning",
                "{m}"
            );
        } else {
            assert!(legacy.is_none(), "{m}: {v:#}");
        }
        // Every current Java connects, with TLS 1.3 (Dovecot offers it).
        for p in ["Java8u291", "Java11", "Java17", "Java21", "Java25"] {
            let r = java(&v, p);
            assert_eq!(r["outcome"], "connects", "{m} {p}: {v:#}");
            assert_eq!(r["version"], "TLSv1.3", "{m} {p}");
        }
        // Java 8 before 8u291 offers at most TLS 1.2 (no TLS 1.3 client).
        let old = java(&v, "Java8u281");
        if *m == "TLSv1.3" {
            assert_eq!(old["outcome"], "fails", "{v:#}");
        } else {
            assert_eq!(old["version"], "TLSv1.2", "{m}: {v:#}");
        }
        probes.push(v);
    }

    // TLS 1.0 only, on the implicit-TLS port and behind STARTTLS.
    let (code, v, _) = probe(only10.tls, "tls", "5", &[]);
    assert_eq!(scan_accepts(&v), vec!["TLSv1"], "{v:#}");
    assert_eq!(s_client_accepts(only10.tls), vec!["TLSv1"]);
    assert_eq!(code, 1);
    let f = finding(&v, "tls.legacy-protocol").expect("tls.legacy-protocol");
    assert_eq!(f["severity"], "error");
    // The finding quotes what Java 17 says to this server.
    let says = java(&v, "Java17")["message"].as_str().unwrap().to_string();
    assert!(f["message"].as_str().unwrap().contains(&says), "{f:#}");
    assert_eq!(java(&v, "Java8u281")["outcome"], "connects");
    assert_eq!(java(&v, "Java8u281")["version"], "TLSv1");
    // Dovecot closes on a hello whose supported_versions it cannot meet:
    // every Java that offers TLS 1.3 sees the same end.
    for p in ["Java8u291", "Java11", "Java17", "Java21", "Java25"] {
        assert_eq!(java(&v, p)["outcome"], "fails", "{p}");
        assert_eq!(java(&v, p)["message"], java(&v, "Java17")["message"], "{p}");
    }
    assert_eq!(version(&v, "TLSv1.3")["accepted"], false);
    let (_, vs, _) = probe(only10.plain, "starttls", "5", &[]);
    assert_eq!(scan_accepts(&vs), vec!["TLSv1"], "{vs:#}");
    assert_eq!(
        java(&vs, "Java17")["message"],
        java(&v, "Java17")["message"]
    );
    probes.push(v);

    // The installed JDK against the same five servers: its row of the
    // simulation says what it does.
    let ports: Vec<u16> = servers.iter().chain([&only10]).map(|d| d.tls).collect();
    let Some((feature, real)) = handshakes(&ports) else {
        eprintln!("note: no java installed; the simulation is checked by the scan only");
        return;
    };
    if ![8, 11, 17, 21, 25].contains(&feature) {
        eprintln!("note: java {feature} has no row in the simulation");
        return;
    }
    for ((v, real), name) in probes
        .iter()
        .zip(&real)
        .zip(mins.iter().chain(&["TLSv1 only"]))
    {
        let sim = simulated(v, feature);
        match (&sim, real) {
            (Says::Connects { version: a, .. }, Says::Connects { version: b, .. }) => {
                assert_eq!(a, b, "{name}: simulated {sim:?}, Java {feature} {real:?}")
            }
            _ => assert_eq!(&sim, real, "{name}: Java {feature}"),
        }
    }
}
