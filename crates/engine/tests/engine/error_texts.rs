//! Error text recognition (KB-RULES section 6): real message texts, each
//! with the finding id it must lead to. Sources: `shared/reference/` notes
//! (which cite OpenJDK, JavaMail/Angus Mail, Microsoft docs), and texts as
//! they commonly appear in public issue trackers and forums for Java mail
//! clients talking to Exchange and Microsoft 365.
#![cfg(not(target_arch = "wasm32"))]

use imap_doctor_engine::{analyze, Input, Options, Report, Verdict};

// A "no certification path" text alone cannot tell a missing intermediate
// from an untrusted root or a self-signed server: it asks for the chain
// (input.chain-needed); with certificates the chain rules answer.
const CASES: &[(&str, &str)] = &[
    // OpenJDK PKIXValidator.doBuild / SunCertPathBuilder (reference §3.1, §3.2)
    ("javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target", "input.chain-needed"),
    ("Caused by: sun.security.validator.ValidatorException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target", "input.chain-needed"),
    ("Caused by: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target", "input.chain-needed"),
    // MailArchiva KB article (shared/seed)
    ("The error: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target", "input.chain-needed"),
    // Old JSSE (Java 6/7) text, seen in forum posts
    ("javax.net.ssl.SSLHandshakeException: java.security.cert.CertificateException: No trusted certificate found", "input.chain-needed"),
    // OpenJDK PKIXCertPathValidator (observed by this project's oracle)
    ("PKIX path validation failed: java.security.cert.CertPathValidatorException: Path does not chain with any of the trust anchors", "input.chain-needed"),
    // OpenJDK BasicChecker.verifyValidity / CertificateValidity (reference §3.2)
    ("javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed", "chain.expired"),
    ("Caused by: java.security.cert.CertificateExpiredException: NotAfter: Tue Jan 02 12:00:00 UTC 2024", "chain.expired"),
    ("Caused by: java.security.cert.CertificateNotYetValidException: NotBefore: Mon Dec 01 00:00:00 UTC 2031", "chain.not-yet-valid"),
    // OpenJDK BasicChecker.verifySignature
    ("PKIX path validation failed: java.security.cert.CertPathValidatorException: signature check failed", "chain.bad-signature"),
    // OpenJDK ConstraintsChecker / PKIXValidator.verifyTrustAnchor
    ("PKIX path validation failed: java.security.cert.CertPathValidatorException: basic constraints check failed: this is not a CA certificate", "chain.not-a-ca"),
    ("sun.security.validator.ValidatorException: TrustAnchor with subject \"CN=mail.example.com\" is not a CA certificate", "chain.not-a-ca"),
    ("PKIX path validation failed: java.security.cert.CertPathValidatorException: basic constraints check failed: pathLenConstraint violated - this cert must be the last cert in the certification path", "chain.not-a-ca"),
    // OpenJDK AlgorithmChecker (reference §3.2)
    ("PKIX path validation failed: java.security.cert.CertPathValidatorException: Algorithm constraints check failed on signature algorithm: SHA1withRSA", "chain.weak-signature"),
    ("PKIX path validation failed: java.security.cert.CertPathValidatorException: Algorithm constraints check failed on signature algorithm: MD5withRSA", "chain.weak-signature"),
    ("java.security.cert.CertPathValidatorException: Algorithm constraints check failed on keysize limits: RSA 512 bit key used with certificate: CN=mail.example.com", "chain.weak-key"),
    // SSLContextImpl.AbstractTrustManagerWrapper (reference §3.2, with mail.imap.ssl.trust)
    ("javax.net.ssl.SSLHandshakeException: java.security.cert.CertificateException: Certificates do not conform to algorithm constraints", "chain.weak-signature"),
    // EndEntityChecker
    ("sun.security.validator.ValidatorException: Extended key usage does not permit use for TLS server authentication", "chain.leaf-usage"),
    // HostnameChecker (reference §3.2) and JavaMail matchCert (reference §4.1)
    ("javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching mail.example.com found.", "host.mismatch"),
    ("Caused by: java.security.cert.CertificateException: No subject alternative DNS name matching outlook.office365.com found.", "host.mismatch"),
    ("java.security.cert.CertificateException: No name matching exchange.corp.local found", "host.mismatch"),
    ("java.security.cert.CertificateException: No subject alternative names matching IP address 10.0.0.5 found", "host.mismatch"),
    ("java.security.cert.CertificateException: No subject alternative names present", "host.mismatch"),
    ("javax.mail.MessagingException: Can't verify identity of server: mail.example.com", "host.mismatch"),
    // HandshakeContext / ServerHello (reference §3.2)
    ("javax.net.ssl.SSLHandshakeException: No appropriate protocol (protocol is disabled or cipher suites are inappropriate)", "tls.legacy-protocol"),
    ("javax.net.ssl.SSLHandshakeException: The server selected protocol version TLS10 is not accepted by client preferences [TLS13, TLS12]", "tls.legacy-protocol"),
    ("javax.net.ssl.SSLHandshakeException: The server selected protocol version TLS11 is not accepted by client preferences [TLS12]", "tls.legacy-protocol"),
    ("javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version", "tls.legacy-protocol"),
    ("javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure", "tls.handshake-failed"),
    ("javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake", "tls.handshake-failed"),
    ("javax.net.ssl.SSLHandshakeException: Remote host closed connection during handshake", "tls.handshake-failed"),
    ("javax.net.ssl.SSLHandshakeException: No appropriate cipher suite", "tls.weak-cipher"),
    // SSLSocketInputRecord (reference §3.2): SSL/TLS mode on port 143
    ("javax.net.ssl.SSLException: Unsupported or unrecognized SSL message", "tls.plaintext-on-tls-port"),
    ("javax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?", "tls.plaintext-on-tls-port"),
    // SocketTimeoutException: plaintext mode on 993 (reference §3.2)
    ("java.net.SocketTimeoutException: Read timed out", "tls.tls-on-plaintext-port"),
    ("javax.mail.MessagingException: Read timed out; nested exception is: java.net.SocketTimeoutException: Read timed out", "tls.tls-on-plaintext-port"),
    // Network (reference §3.2, §4.2)
    ("java.net.ConnectException: Connection refused", "net.refused"),
    ("com.sun.mail.util.MailConnectException: Couldn't connect to host, port: exchange.company.com, 143; timeout -1; nested exception is: java.net.ConnectException: Connection refused (Connection refused)", "net.refused"),
    ("java.net.SocketTimeoutException: connect timed out", "net.timeout"),
    ("java.net.SocketTimeoutException: Connect timed out", "net.timeout"),
    ("java.net.ConnectException: Connection timed out (Connection timed out)", "net.timeout"),
    // No route to host is its own cause (net.unreachable, often IPv6 without a route), not a firewall timeout.
    ("java.net.NoRouteToHostException: No route to host (Host unreachable)", "net.unreachable"),
    ("java.net.UnknownHostException: exchange.company.local", "net.dns"),
    ("Caused by: java.net.UnknownHostException: outlok.office365.com: Name or service not known", "net.dns"),
    // JavaMail/Angus IMAPStore (reference §4.2)
    ("javax.mail.MessagingException: No login methods supported!", "imap.login-disabled"),
    ("jakarta.mail.MessagingException: No login methods supported!", "imap.login-disabled"),
    // The archiver's own text (shared/seed)
    ("When testing the Journal Account Connection, the error \"No Such Login Method\" is outputted.", "imap.login-disabled"),
    ("* CAPABILITY IMAP4 IMAP4rev1 LOGINDISABLED STARTTLS SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+", "imap.login-disabled"),
    ("javax.mail.MessagingException: STARTTLS required but not supported by server", "imap.no-starttls"),
    // Exchange replies surfaced by JavaMail (reference §4.2, §5.2)
    ("javax.mail.AuthenticationFailedException: AUTHENTICATE failed.", "oauth.authenticate-failed"),
    ("A1 NO AUTHENTICATE failed.", "oauth.authenticate-failed"),
    ("jakarta.mail.AuthenticationFailedException: AUTHENTICATE failed.", "oauth.authenticate-failed"),
    // The token was accepted; the mailbox is not reachable (KB-RULES: imap.not-connected).
    ("* BYE User is authenticated but not connected.", "imap.not-connected"),
    ("javax.mail.AuthenticationFailedException: LOGIN failed.", "imap.auth-failed"),
    ("A2 NO LOGIN failed.", "imap.auth-failed"),
    ("javax.mail.AuthenticationFailedException: [AUTHENTICATIONFAILED] Authentication failed.", "imap.auth-failed"),
    ("javax.mail.AuthenticationFailedException: [AUTHENTICATIONFAILED] Invalid credentials (Failure)", "imap.auth-failed"),
    ("javax.mail.MessagingException: Connection dropped by server?", "imap.connection-dropped"),
    // The archiver (shared/seed)
    ("Connection 7f3a2c is either not enabled or no longer exists", "m365.connection-disabled"),
    // Entra (reference §6.3)
    ("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00000000-0000-0000-0000-000000000000'.", "oauth.aadsts"),
    ("AADSTS7000215: Invalid client secret provided.", "oauth.secret-is-id"),
    ("AADSTS7000222: The provided client secret keys for app '00000000-0000-0000-0000-000000000000' are expired.", "oauth.aadsts"),
    ("AADSTS700016: Application with identifier '00000000-0000-0000-0000-000000000000' was not found in the directory 'contoso'.", "oauth.aadsts"),
    ("AADSTS90002: Tenant 'contoso.onmicrosoft.con' not found.", "oauth.aadsts"),
    ("AADSTS7000112: Application '00000000-0000-0000-0000-000000000000'(Archiver) is disabled.", "oauth.aadsts"),
    ("AADSTS700024: Client assertion is not within its valid time range.", "oauth.aadsts"),
    ("AADSTS1002012: The provided value for scope IMAP.AccessAsApp is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", "oauth.aadsts"),
    ("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\",\"error_codes\":[7000215]}", "oauth.aadsts"),
    // Active Directory account state (shared/seed: journal account problems)
    ("The referenced account is currently locked out and may not be logged on to; the account has been locked", "journal.account"),
    ("Logon failure: the user's password has expired", "journal.account"),
];

fn run(text: &str) -> Report {
    analyze(
        &[Input {
            name: "log",
            bytes: text.as_bytes(),
        }],
        &[],
        &Options {
            at: 1_900_000_000,
            ..Default::default()
        },
    )
}

#[test]
fn every_real_message_maps_to_its_finding() {
    assert!(CASES.len() >= 60, "{} cases", CASES.len());
    let mut failures = Vec::new();
    for (text, id) in CASES {
        let r = run(text);
        let ids: Vec<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
        if !ids.contains(id) {
            failures.push(format!("{text}\n    expected {id}, got {ids:?}"));
            continue;
        }
        let f = r.findings.iter().find(|f| f.rule.id() == *id).unwrap();
        assert!(
            f.evidence.iter().any(|e| e.contains("line 1")),
            "{text}: evidence {:?}",
            f.evidence
        );
        assert!(!f.fix.is_empty(), "{text}: no fix steps");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn aadsts_codes_get_their_own_meaning() {
    let r =
        run("AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.");
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "oauth.aadsts")
        .unwrap();
    assert!(
        f.message.contains("AADSTS700016") && f.message.contains("not found in this tenant"),
        "{}",
        f.message
    );
}

#[test]
fn a_stack_trace_with_nested_causes() {
    let trace = "javax.mail.MessagingException: Couldn't connect to host, port: mail.example.com, 993; timeout -1;\n  nested exception is:\n\tjavax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target\n\tat com.sun.mail.imap.IMAPStore.protocolConnect(IMAPStore.java:732)\nCaused by: sun.security.validator.ValidatorException: PKIX path building failed\n";
    let r = run(trace);
    assert_eq!(r.verdict, Verdict::NoCertificates);
    assert!(
        r.summary.starts_with("From the error text:"),
        "{}",
        r.summary
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "input.chain-needed")
        .unwrap();
    assert_eq!(f.evidence.len(), 2, "{:?}", f.evidence);
    // A trace alone cannot say which certificate is wrong: the headline asks
    // for the chain instead of guessing a missing intermediate.
    assert_eq!(
        r.headline.outcome,
        imap_doctor_engine::report::headline::Outcome::CannotTell,
        "{:?}",
        r.headline
    );
}

#[test]
fn mixed_paste_joins_log_and_chain() {
    let chain = include_str!("../../../../tests/fixtures/missing-intermediate.txt");
    let paste = format!("2026-11-25 10:00:01 ERROR journal: javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target\n{chain}");
    let root = include_str!("../../../../tests/fixtures/pki/root.pem");
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: paste.as_bytes(),
        }],
        &[Input {
            name: "trust",
            bytes: root.as_bytes(),
        }],
        &Options {
            at: 1_900_000_000,
            public_roots: false,
            ..Default::default()
        },
    );
    assert_eq!(r.verdict, Verdict::MissingIntermediate);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "chain.missing-intermediate")
        .unwrap();
    assert!(f.message.contains("Fixture TLS Issuing CA 1"));
    assert!(
        f.evidence
            .iter()
            .any(|e| e.starts_with("the log agrees: paste line 1")),
        "{:?}",
        f.evidence
    );
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.rule.id() == "chain.missing-intermediate")
            .count(),
        1
    );
}

#[test]
fn log_says_pkix_but_chain_is_trusted() {
    let chain = include_str!("../../../../tests/fixtures/full-chain.txt");
    let paste = format!(
        "Caused by: sun.security.validator.ValidatorException: PKIX path building failed\n{chain}"
    );
    let root = include_str!("../../../../tests/fixtures/pki/root.pem");
    let r = analyze(
        &[Input {
            name: "paste",
            bytes: paste.as_bytes(),
        }],
        &[Input {
            name: "trust",
            bytes: root.as_bytes(),
        }],
        &Options {
            at: 1_900_000_000,
            public_roots: false,
            ..Default::default()
        },
    );
    assert_eq!(r.verdict, Verdict::Trusted);
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule.id() == "chain.truststore-not-used"));
    assert!(r.has_error());
}

#[test]
fn openssl_transcripts_are_not_taken_for_errors() {
    for f in [
        include_str!("../../../../tests/fixtures/missing-intermediate.txt"),
        include_str!("../../../../tests/fixtures/full-chain.txt"),
        include_str!("../../../../tests/fixtures/no-showcerts.txt"),
        include_str!("../../../../tests/fixtures/expired.txt"),
        include_str!("../../../../tests/fixtures/untrusted-root.txt"),
        include_str!("../../../../tests/fixtures/openssl-1.0.2-tls1.txt"),
        include_str!("../../../../tests/fixtures/openssl-1.1.1-starttls.txt"),
        include_str!("../../../../tests/fixtures/libressl-no-showcerts.txt"),
    ] {
        let hits = imap_doctor_engine::input::errtext::scan(f);
        assert!(hits.is_empty(), "{hits:?}");
    }
}

#[test]
fn fix_commands_carry_the_host_the_error_names() {
    // JavaMail names the host it could not reach; the fix step's command
    // is written with it, so it can be copied as it is.
    let r = run("javax.mail.MessagingException: Couldn't connect to host, port: imap.contoso-mail.test, 993; timeout -1;\n  nested exception is:\n\tjava.net.ConnectException: Connection timed out: connect");
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "net.timeout")
        .expect("net.timeout");
    assert!(
        f.fix
            .iter()
            .any(|s| s.to_string().contains("telnet imap.contoso-mail.test 143")),
        "{:?}",
        f.fix
    );
    // Without a host anywhere, the command says what to put in.
    let r = run("java.net.ConnectException: Connection timed out: connect");
    let f = r
        .findings
        .iter()
        .find(|f| f.rule.id() == "net.timeout")
        .expect("net.timeout");
    let text: Vec<String> = f.fix.iter().map(|s| s.to_string()).collect();
    assert!(
        text.iter().any(|s| s.contains("telnet <mail server> 143")),
        "{text:?}"
    );
    assert!(!text.iter().any(|s| s.contains('{')), "{text:?}");
}

#[test]
fn a_failed_xoauth2_login_is_no_password_problem() {
    // JavaMail's debug output: the exception names no mechanism, the
    // command before it does.
    let r = run("DEBUG IMAPS: protocolConnect login, host=outlook.office365.com, user=journal@contoso.com, password=\nDEBUG IMAPS: AUTHENTICATE XOAUTH2 command trace suppressed\nDEBUG IMAPS: AUTHENTICATE XOAUTH2 command result: A1 NO AUTHENTICATE failed.\nException in thread \"main\" javax.mail.AuthenticationFailedException: AUTHENTICATE failed.\n");
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
    assert!(ids.contains(&"oauth.authenticate-failed"), "{ids:?}");
    assert!(!ids.contains(&"imap.auth-failed"), "{ids:?}");
    assert!(!ids.contains(&"m365.basic-auth-disabled"), "{ids:?}");
    // The same exception after a LOGIN is a password failure.
    let r = run("A1 LOGIN journal@example.org REDACTED\nA1 NO [AUTHENTICATIONFAILED] Authentication failed.\njavax.mail.AuthenticationFailedException: [AUTHENTICATIONFAILED] Authentication failed.\n");
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
    assert!(ids.contains(&"imap.auth-failed"), "{ids:?}");
    assert!(!ids.contains(&"oauth.authenticate-failed"), "{ids:?}");
}
