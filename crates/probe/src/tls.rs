//! TLS with rustls, capturing the whole chain the server sends *without
//! trusting it*: the verifier records the certificates and accepts them, and
//! the engine judges them the way Java would. Handshake signatures are still
//! checked, so the captured chain belongs to the server that answered.

use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

#[derive(Debug)]
pub struct Recorder {
    pub chain: Mutex<Vec<Vec<u8>>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut chain = vec![end_entity.to_vec()];
        chain.extend(intermediates.iter().map(|c| c.to_vec()));
        if let Ok(mut c) = self.chain.lock() {
            *c = chain;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A client config whose verifier records the chain.
pub fn config() -> (Arc<rustls::ClientConfig>, Arc<Recorder>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let recorder = Arc::new(Recorder {
        chain: Mutex::new(Vec::new()),
        provider: provider.clone(),
    });
    let cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    (Arc::new(cfg), recorder)
}

/// The protocol name as OpenSSL prints it.
pub fn protocol_name(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".into(),
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".into(),
        rustls::ProtocolVersion::TLSv1_1 => "TLSv1.1".into(),
        rustls::ProtocolVersion::TLSv1_0 => "TLSv1".into(),
        other => format!("{other:?}"),
    }
}

/// What one TLS handshake showed: the chain the server sent (DER, its
/// order), the version and the suite.
pub struct Handshake {
    pub chain: Vec<Vec<u8>>,
    pub protocol: Option<String>,
    pub cipher: Option<String>,
}

/// A TLS handshake with `server_name` on `sock` (whose deadline bounds it),
/// recording the chain without trusting it.
pub fn handshake_only(
    sock: &mut crate::deadline::DeadlineStream,
    server_name: &str,
) -> Result<Handshake, String> {
    let (cfg, recorder) = config();
    let name = ServerName::try_from(server_name.to_string())
        .map_err(|e| format!("{server_name} is not a TLS server name: {e}"))?;
    let mut conn = rustls::ClientConnection::new(cfg, name).map_err(|e| e.to_string())?;
    while conn.is_handshaking() {
        conn.complete_io(sock).map_err(|e| e.to_string())?;
    }
    let chain = recorder.chain.lock().map(|c| c.clone()).unwrap_or_default();
    // A polite close; the connection is not used further.
    conn.send_close_notify();
    let _ = conn.complete_io(sock);
    Ok(Handshake {
        chain,
        protocol: conn.protocol_version().map(protocol_name),
        cipher: conn
            .negotiated_cipher_suite()
            .map(|s| format!("{:?}", s.suite())),
    })
}

/// Host and port of an `https://host[:port][/path]` address; `None` for
/// any other scheme.
pub fn https_host_port(url: &str) -> Option<(String, u16)> {
    let rest = url.trim().strip_prefix("https://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if let Some(v6) = authority.strip_prefix('[') {
        let (h, p) = v6.split_once(']')?;
        let port = match p.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None => 443,
        };
        return (!h.is_empty()).then(|| (h.to_string(), port));
    }
    let (h, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (authority, 443),
    };
    (!h.is_empty()).then(|| (h.to_string(), port))
}

#[cfg(test)]
mod tests {
    use super::https_host_port;

    #[test]
    fn token_endpoint_addresses() {
        assert_eq!(
            https_host_port("https://login.microsoftonline.com"),
            Some(("login.microsoftonline.com".into(), 443))
        );
        assert_eq!(
            https_host_port("https://localhost:8443/tenant/oauth2"),
            Some(("localhost".into(), 8443))
        );
        assert_eq!(https_host_port("https://[::1]:9/"), Some(("::1".into(), 9)));
        assert_eq!(https_host_port("http://127.0.0.1:80"), None);
        assert_eq!(https_host_port("https://host:notaport"), None);
        assert_eq!(https_host_port("https:///path"), None);
    }
}
