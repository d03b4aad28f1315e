//! Test PKI: certificate chains made with rcgen (and the openssl command
//! for algorithms rcgen cannot sign with), and the Java oracle.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub use rcgen::KeyUsagePurpose as Ku;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, CustomExtension, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType,
};
use time::{Duration, OffsetDateTime};

/// The repository's top folder (the page's crate), where `tests/fixtures` lives.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A kept fixture, by its path under `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(rel)
}

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// A certificate made for a test, with its key when it can sign.
pub struct TestCert {
    pub der: Vec<u8>,
    pub issuer: Option<CertifiedIssuer<'static, KeyPair>>,
}

impl TestCert {
    pub fn pem(&self) -> String {
        pem::encode(&pem::Pem::new("CERTIFICATE", self.der.clone()))
    }
}

/// Options for one certificate.
#[derive(Clone)]
pub struct Spec {
    pub cn: String,
    pub org: Option<String>,
    pub ca: Option<Option<u8>>,
    pub sans: Vec<String>,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// caIssuers URIs of the AuthorityInfoAccess extension.
    pub aia: Vec<String>,
    pub key_cert_sign: bool,
    pub server_auth: bool,
    /// Key usage bits to write instead of the default (empty: no extension).
    pub key_usage: Option<Vec<KeyUsagePurpose>>,
    /// Leave basicConstraints out altogether (not even CA:FALSE).
    pub no_basic_constraints: bool,
    /// A critical extension of this OID that no JDK knows.
    pub unknown_critical: Option<Vec<u64>>,
    /// NameConstraints: permitted DNS subtrees.
    pub permitted_dns: Vec<String>,
    /// Write an AuthorityKeyIdentifier (look-alike CAs are then told apart
    /// by key id; without one only a signature check tells them apart).
    pub key_ids: bool,
}

impl Spec {
    pub fn ca(cn: &str) -> Spec {
        Spec {
            cn: cn.into(),
            org: Some("Test Org".into()),
            ca: Some(None),
            sans: vec![],
            not_before: now() - Duration::days(30),
            not_after: now() + Duration::days(3000),
            aia: vec![],
            key_cert_sign: true,
            server_auth: false,
            key_usage: None,
            no_basic_constraints: false,
            unknown_critical: None,
            permitted_dns: vec![],
            key_ids: true,
        }
    }
    pub fn leaf(host: &str) -> Spec {
        Spec {
            cn: host.into(),
            org: None,
            ca: None,
            sans: vec![host.into()],
            not_before: now() - Duration::days(10),
            not_after: now() + Duration::days(200),
            aia: vec![],
            key_cert_sign: false,
            server_auth: true,
            key_usage: None,
            no_basic_constraints: false,
            unknown_critical: None,
            permitted_dns: vec![],
            key_ids: true,
        }
    }
    pub fn path_len(mut self, n: u8) -> Spec {
        self.ca = Some(Some(n));
        self
    }
    pub fn valid(mut self, from_days: i64, to_days: i64) -> Spec {
        self.not_before = now() + Duration::days(from_days);
        self.not_after = now() + Duration::days(to_days);
        self
    }
    pub fn aia(mut self, url: &str) -> Spec {
        self.aia.push(url.into());
        self
    }
    pub fn not_ca(mut self) -> Spec {
        self.ca = None;
        self
    }
    pub fn key_usage(mut self, ku: Vec<KeyUsagePurpose>) -> Spec {
        self.key_usage = Some(ku);
        self
    }
    pub fn no_basic_constraints(mut self) -> Spec {
        self.no_basic_constraints = true;
        self
    }
    pub fn unknown_critical(mut self, oid: &[u64]) -> Spec {
        self.unknown_critical = Some(oid.to_vec());
        self
    }
    pub fn permitted_dns(mut self, names: &[&str]) -> Spec {
        self.permitted_dns = names.iter().map(|n| n.to_string()).collect();
        self
    }
    pub fn no_key_ids(mut self) -> Spec {
        self.key_ids = false;
        self
    }

    fn params(&self) -> CertificateParams {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, "US");
        if let Some(o) = &self.org {
            dn.push(DnType::OrganizationName, o.clone());
        }
        dn.push(DnType::CommonName, self.cn.clone());
        p.distinguished_name = dn;
        p.subject_alt_names = self
            .sans
            .iter()
            .map(|s| SanType::DnsName(s.clone().try_into().unwrap()))
            .collect();
        p.not_before = self.not_before;
        p.not_after = self.not_after;
        p.is_ca = match self.ca {
            _ if self.no_basic_constraints => IsCa::NoCa,
            Some(None) => IsCa::Ca(BasicConstraints::Unconstrained),
            Some(Some(n)) => IsCa::Ca(BasicConstraints::Constrained(n)),
            None => IsCa::ExplicitNoCa,
        };
        if self.key_cert_sign {
            p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        } else {
            p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        }
        if self.server_auth {
            p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        }
        if let Some(ku) = &self.key_usage {
            p.key_usages = ku.clone();
        }
        p.use_authority_key_identifier_extension = self.key_ids;
        if let Some(oid) = &self.unknown_critical {
            let mut ext = CustomExtension::from_oid_content(oid, vec![0x05, 0x00]);
            ext.set_criticality(true);
            p.custom_extensions.push(ext);
        }
        if !self.permitted_dns.is_empty() {
            p.name_constraints = Some(rcgen::NameConstraints {
                permitted_subtrees: self
                    .permitted_dns
                    .iter()
                    .map(|d| rcgen::GeneralSubtree::DnsName(d.clone()))
                    .collect(),
                excluded_subtrees: vec![],
            });
        }
        if !self.aia.is_empty() {
            p.custom_extensions.push(CustomExtension::from_oid_content(
                &[1, 3, 6, 1, 5, 5, 7, 1, 1],
                aia_der(&self.aia),
            ));
        }
        p
    }
}

/// AuthorityInfoAccess with one caIssuers URI per URL.
fn aia_der(urls: &[String]) -> Vec<u8> {
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        match body.len() {
            n if n < 0x80 => v.push(n as u8),
            n if n < 0x100 => v.extend([0x81, n as u8]),
            n => v.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        v.extend_from_slice(body);
        v
    }
    let oid = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02];
    let mut seq = Vec::new();
    for url in urls {
        let mut access = oid.to_vec();
        access.extend(tlv(0x86, url.as_bytes()));
        seq.extend(tlv(0x30, &access));
    }
    tlv(0x30, &seq)
}

/// A self-signed certificate (root or self-signed leaf).
pub fn self_signed(spec: &Spec) -> TestCert {
    let key = KeyPair::generate().unwrap();
    let issuer = CertifiedIssuer::self_signed(spec.params(), key).unwrap();
    TestCert {
        der: issuer.der().to_vec(),
        issuer: Some(issuer),
    }
}

/// A certificate signed by `parent`.
pub fn issued(spec: &Spec, parent: &TestCert) -> TestCert {
    let key = KeyPair::generate().unwrap();
    let issuer =
        CertifiedIssuer::signed_by(spec.params(), key, parent.issuer.as_ref().unwrap()).unwrap();
    TestCert {
        der: issuer.der().to_vec(),
        issuer: Some(issuer),
    }
}

/// A certificate signed by `parent` for the key `key_der` (PKCS#8), so that
/// several certificates can share one key (look-alikes, cross-certificates).
pub fn issued_with_key(spec: &Spec, key_der: &[u8], parent: &TestCert) -> TestCert {
    let key = KeyPair::try_from(key_der).unwrap();
    let issuer =
        CertifiedIssuer::signed_by(spec.params(), key, parent.issuer.as_ref().unwrap()).unwrap();
    TestCert {
        der: issuer.der().to_vec(),
        issuer: Some(issuer),
    }
}

impl TestCert {
    /// The certificate's private key (PKCS#8 DER), when the testkit made it.
    pub fn key_der(&self) -> Option<Vec<u8>> {
        self.issuer.as_ref().map(|i| i.key().serialize_der())
    }
}

pub fn pems(certs: &[&TestCert]) -> String {
    certs.iter().map(|c| c.pem()).collect()
}

/// This test process's own scratch root (test binaries run in parallel).
pub fn scratch_root() -> PathBuf {
    std::env::temp_dir().join(format!("imap-doctor-tests-{}", std::process::id()))
}

/// A scratch directory, fresh for each call: tests run in parallel threads
/// and may ask for the same name (two tests making the same kind of
/// keystore), so each call gets its own directory.
pub fn scratch(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = scratch_root().join(format!("{name}-{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `openssl` with the arguments in `dir`; panics with its stderr on failure.
pub fn openssl(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl must be installed");
    assert!(
        out.status.success(),
        "openssl {:?} failed: {}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What the JDK's own trust manager said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JavaSays {
    Trusted,
    Rejected(String),
}

fn oracle_classes() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch_root().join("java-oracle");
        std::fs::create_dir_all(&dir).unwrap();
        let src = workspace_root().join("tests/java/Oracle.java");
        let out = Command::new("javac")
            .arg("-d")
            .arg(&dir)
            .arg(&src)
            .output()
            .expect("javac must be installed (the JDK is the test oracle)");
        assert!(
            out.status.success(),
            "javac failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
}

/// The one oracle JVM of this test process: `java Oracle` reading cases
/// (tab-separated arguments) from standard input, one verdict line each.
struct OracleProcess {
    _child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
}

fn ask_oracle(args: &[&str]) -> JavaSays {
    use std::io::{BufRead, Write};
    static PROC: OnceLock<std::sync::Mutex<OracleProcess>> = OnceLock::new();
    let proc = PROC.get_or_init(|| {
        let mut child = Command::new("java")
            .arg("-cp")
            .arg(oracle_classes())
            .arg("Oracle")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("java must be installed");
        let stdin = child.stdin.take().unwrap();
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        std::sync::Mutex::new(OracleProcess {
            _child: child,
            stdin,
            stdout,
        })
    });
    // A test that panicked while holding the lock leaves the JVM in a known
    // state (one answer per line), so the lock can be taken over.
    let mut p = proc.lock().unwrap_or_else(|e| e.into_inner());
    assert!(args.iter().all(|a| !a.contains('\t') && !a.contains('\n')));
    writeln!(p.stdin, "{}", args.join("\t")).expect("the oracle JVM takes cases");
    p.stdin.flush().unwrap();
    let mut line = String::new();
    p.stdout
        .read_line(&mut line)
        .expect("the oracle JVM answers");
    let text = line.trim();
    match text.strip_prefix("REJECTED ") {
        _ if text == "TRUSTED" => JavaSays::Trusted,
        Some(m) => JavaSays::Rejected(m.to_string()),
        None => panic!("oracle gave no verdict: {text:?}"),
    }
}

/// Asks the JDK's default PKIX trust manager whether it trusts `chain`
/// (server order) given exactly the `trusted` certificates.
pub fn java_oracle(name: &str, chain: &[&TestCert], trusted: &[&TestCert]) -> JavaSays {
    let dir = scratch(&format!("oracle-{name}"));
    std::fs::write(dir.join("chain.pem"), pems(chain)).unwrap();
    std::fs::write(dir.join("trust.pem"), pems(trusted)).unwrap();
    ask_oracle(&[
        dir.join("chain.pem").to_str().unwrap(),
        dir.join("trust.pem").to_str().unwrap(),
    ])
}

/// A chain made with the openssl command, for what rcgen cannot sign:
/// SHA-1, MD5, RSA-PSS, small RSA keys, P-521. `key` is an openssl
/// `-newkey` argument (`rsa:2048`, `ec:…`); `digest` e.g. `sha256`, `sha1`, `md5`.
pub struct OsslSpec<'a> {
    pub name: &'a str,
    pub subject: &'a str,
    pub key: &'a str,
    pub digest: &'a str,
    pub ca: bool,
    pub pss: bool,
}

/// Makes root → … → leaf from `specs` (root first) in `dir`; returns the
/// certificates in the same order.
pub fn openssl_chain(dir: &Path, specs: &[OsslSpec<'_>]) -> Vec<TestCert> {
    let mut out = Vec::new();
    for (i, s) in specs.iter().enumerate() {
        let ext = if s.ca {
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
        } else {
            "basicConstraints=CA:FALSE\nsubjectAltName=DNS:mail.example.test\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
        };
        std::fs::write(dir.join(format!("{}.ext", s.name)), ext).unwrap();
        let (kopt, kval) = match s.key.split_once(':') {
            Some(("ec", curve)) => ("-pkeyopt", format!("ec_paramgen_curve:{curve}")),
            Some(("rsa", bits)) => ("-pkeyopt", format!("rsa_keygen_bits:{bits}")),
            _ => panic!("key spec {}", s.key),
        };
        let alg = if s.key.starts_with("ec") { "ec" } else { "rsa" };
        let key = format!("{}.key", s.name);
        let crt = format!("{}.pem", s.name);
        let ext = format!("{}.ext", s.name);
        let dgst = format!("-{}", s.digest);
        let mut sigopts: Vec<&str> = vec![];
        if s.pss {
            sigopts = vec![
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:32",
            ];
        }
        if i == 0 {
            let mut args = vec![
                "req",
                "-x509",
                "-newkey",
                alg,
                kopt,
                &kval,
                "-nodes",
                "-keyout",
                &key,
                "-out",
                &crt,
                "-days",
                "3650",
                &dgst,
                "-subj",
                s.subject,
                "-extensions",
                "v3",
                "-config",
                "ca.cnf",
            ];
            std::fs::write(
                dir.join("ca.cnf"),
                "[req]\ndistinguished_name=dn\n[dn]\n[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n",
            )
            .unwrap();
            args.extend(&sigopts);
            openssl(dir, &args);
        } else {
            let csr = format!("{}.csr", s.name);
            openssl(
                dir,
                &[
                    "req", "-new", "-newkey", alg, kopt, &kval, "-nodes", "-keyout", &key, "-out",
                    &csr, "-subj", s.subject,
                ],
            );
            let parent = specs[i - 1].name;
            let ca = format!("{parent}.pem");
            let cakey = format!("{parent}.key");
            let mut args = vec![
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                &ca,
                "-CAkey",
                &cakey,
                "-CAcreateserial",
                "-out",
                &crt,
                "-days",
                "400",
                &dgst,
                "-extfile",
                &ext,
            ];
            args.extend(&sigopts);
            openssl(dir, &args);
        }
        let pem_text = std::fs::read_to_string(dir.join(&crt)).unwrap();
        out.push(TestCert {
            der: pem::parse(pem_text).unwrap().into_contents(),
            issuer: None,
        });
    }
    out
}

/// The oracle against a keystore file made by keytool.
pub fn java_oracle_keystore(
    chain_pem: &Path,
    store: &Path,
    store_type: &str,
    password: &str,
) -> JavaSays {
    ask_oracle(&[
        chain_pem.to_str().unwrap(),
        store.to_str().unwrap(),
        store_type,
        password,
    ])
}

/// Runs keytool; panics with its output on failure.
pub fn keytool(dir: &Path, args: &[&str]) -> String {
    // A JVM started while the machine is overloaded sometimes dies in its own
    // start-up ("Locale provider adapter … cannot be instantiated"); that is
    // not keytool's answer, so it is asked again (twice at most). A small
    // heap keeps many parallel keytools from crowding each other.
    let mut last = None;
    for _ in 0..3 {
        let out = Command::new("keytool")
            .arg("-J-Xmx128m")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("keytool (the JDK) must be installed");
        if out.status.success() {
            return String::from_utf8_lossy(&out.stdout).into_owned();
        }
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        let startup = err.contains("ServiceConfigurationError")
            || err.contains("Error occurred during initialization of VM");
        last = Some(out);
        if !startup {
            break;
        }
    }
    let out = last.expect("keytool ran");
    panic!(
        "keytool {:?} failed: {}{}",
        args,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
