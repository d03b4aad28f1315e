//! HTTP for the probe: the OAuth token endpoint and `--fetch-missing`.
//! Every request has a time limit and a size limit.

use std::time::Duration;

use imap_doctor_engine::secret::Secret;

/// Largest body we read.
pub const MAX_BODY: u64 = 1024 * 1024;

/// `timeout` bounds the whole request: connect, send, headers and body
/// (ureq's global timeout), however slowly the server answers.
fn agent(timeout: Duration) -> ureq::Agent {
    agent_trusting(timeout, None)
}

/// An agent whose TLS trusts only `anchor_pem` when given (the root the
/// engine found the token endpoint's path to, as the archiver's Java
/// would), else ureq's default roots.
fn agent_trusting(timeout: Duration, anchor_pem: Option<&str>) -> ureq::Agent {
    let mut b = ureq::Agent::config_builder();
    if let Some(cert) = anchor_pem.and_then(|p| ureq::tls::Certificate::from_pem(p.as_bytes()).ok())
    {
        b = b.tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&[cert]))
                .build(),
        );
    }
    b.timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(3)
        .build()
        .into()
}

/// GETs `url` (http only), returning the body.
pub fn get(url: &str, timeout: Duration) -> Result<Vec<u8>, String> {
    if !url.starts_with("http://") {
        return Err(format!("{url}: only http:// addresses are fetched"));
    }
    let mut resp = agent(timeout)
        .get(url)
        .call()
        .map_err(|e| format!("{url}: {e}"))?;
    if resp.status() != 200 {
        return Err(format!("{url}: HTTP status {}", resp.status()));
    }
    resp.body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(|e| format!("{url}: {e}"))
}

/// The result of a client-credentials token request.
pub enum TokenReply {
    Token(Secret),
    /// Entra's error JSON (error, error_description with the AADSTS code).
    Error(String),
}

/// Requests an app-only token for Exchange Online (client-credentials flow).
/// `anchor_pem`: trust only this root for an https:// endpoint.
pub fn client_credentials_token(
    endpoint_base: &str,
    tenant: &str,
    client_id: &str,
    secret: &Secret,
    timeout: Duration,
    anchor_pem: Option<&str>,
) -> Result<TokenReply, String> {
    let url = format!(
        "{}/{}/oauth2/v2.0/token",
        endpoint_base.trim_end_matches('/'),
        tenant.trim()
    );
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id.trim()),
        ("client_secret", secret.expose()),
        ("scope", "https://outlook.office365.com/.default"),
    ];
    let mut resp = agent_trusting(timeout, anchor_pem)
        .post(&url)
        .send_form(form)
        .map_err(|e| format!("{url}: {e}"))?;
    let body = resp
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(|e| format!("{url}: {e}"))?;
    let json: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| format!("{url}: the answer is not JSON"))?;
    match json.get("access_token").and_then(|t| t.as_str()) {
        Some(t) => Ok(TokenReply::Token(Secret::new(t))),
        None => Ok(TokenReply::Error(
            json.get("error_description")
                .and_then(|d| d.as_str())
                .or_else(|| json.get("error").and_then(|d| d.as_str()))
                .unwrap_or("no access_token in the answer")
                .to_string(),
        )),
    }
}
