//! The installed JDK as the oracle of the Java client simulation: a real
//! `SSLSocket` handshake with the JDK's default settings (its own
//! java.security), against loopback servers. Certificates are accepted
//! without checks here, so the answer is about protocol versions and cipher
//! suites only (chains have their own oracle, the testkit's JsseOracle).
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

use imap_doctor_testkit::scratch;

const CLIENT: &str = r#"
import javax.net.ssl.*;
import java.security.cert.X509Certificate;

public class HandshakeOracle {
    public static void main(String[] args) throws Exception {
        TrustManager[] any = { new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String t) {}
            public void checkServerTrusted(X509Certificate[] c, String t) {}
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        } };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, any, null);
        System.out.println("java " + System.getProperty("java.version"));
        for (String port : args) {
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", Integer.parseInt(port))) {
                s.setSoTimeout(10000);
                s.startHandshake();
                System.out.println("connects " + s.getSession().getProtocol() + " " + s.getSession().getCipherSuite());
            } catch (Exception e) {
                System.out.println("fails " + e.getMessage());
            }
        }
    }
}
"#;

/// What the JDK's default client says for one server.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Says {
    Connects { version: String, suite: String },
    Fails(String),
}

/// The JDK's feature version (17 for 17.0.15), and its answer for each
/// port, in order. `None` when no `java` is installed.
pub(crate) fn handshakes(ports: &[u16]) -> Option<(u32, Vec<Says>)> {
    let dir = scratch("java-handshake-oracle");
    std::fs::write(dir.join("HandshakeOracle.java"), CLIENT).unwrap();
    let out = Command::new("java")
        .arg("-Xmx128m")
        .arg(dir.join("HandshakeOracle.java"))
        .args(ports.iter().map(u16::to_string))
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let feature = lines
        .next()
        .and_then(|l| l.strip_prefix("java "))
        .and_then(|v| v.split(['.', '-', '+']).next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("java: {text} {}", String::from_utf8_lossy(&out.stderr)));
    let says = lines
        .map(|l| match l.strip_prefix("connects ") {
            Some(rest) => {
                let (v, s) = rest.split_once(' ').unwrap_or((rest, ""));
                Says::Connects {
                    version: v.to_string(),
                    suite: s.to_string(),
                }
            }
            None => Says::Fails(l.strip_prefix("fails ").unwrap_or(l).to_string()),
        })
        .collect::<Vec<_>>();
    assert_eq!(says.len(), ports.len(), "{text}");
    Some((feature, says))
}

/// The simulation's row for JDK `feature` in a probe's JSON, as [`Says`].
pub(crate) fn simulated(v: &serde_json::Value, feature: u32) -> Says {
    let profile = format!("Java{feature}");
    let r = v["tls_scan"]["java"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["profile"] == profile.as_str())
        .unwrap_or_else(|| panic!("{profile} not simulated: {v:#}"));
    match r["outcome"].as_str() {
        Some("connects") => Says::Connects {
            version: r["version"].as_str().unwrap_or("").to_string(),
            suite: r["suite"].as_str().unwrap_or("").to_string(),
        },
        _ => Says::Fails(r["message"].as_str().unwrap_or("").to_string()),
    }
}
