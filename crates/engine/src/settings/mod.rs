//! The settings checker: IMAP connection, Microsoft 365 OAuth (steps A, B,
//! C1, D1, E1) and the journal account, plus a local access-token inspector
//! and the commands to run, filled in with the admin's own values.
//! Secrets given here are never put into a report.

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::diagnose::format_time;
use crate::json::Json;
use crate::rules::{Finding, Rule, Severity};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Plaintext,
    Starttls,
    #[default]
    Tls,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Login {
    Password,
    #[default]
    Oauth,
}

/// What the admin typed. Empty strings mean "not given".
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Settings {
    pub host: String,
    pub port: Option<u16>,
    pub mode: Mode,
    pub login: Login,
    pub mailbox: String,
    pub tenant: String,
    pub client_id: String,
    /// The App registration's Object ID (optional, only for the D1 check).
    pub app_object_id: String,
    /// The Enterprise Application's Object ID (for New-ServicePrincipal).
    pub object_id: String,
    pub client_secret: String,
    pub message_count: Option<u64>,
    /// A pasted access token (JWT).
    pub token: String,
}

/// A finding tied to the form field that shows it.
#[derive(Clone, Debug, Serialize)]
pub struct FieldFinding {
    /// Form field id (`host`, `port`, `tenant`, …), or `token`.
    pub field: &'static str,
    #[serde(flatten)]
    pub finding: Finding,
}

/// A command to run, with the admin's values filled in.
#[derive(Clone, Debug, Serialize)]
pub struct Command {
    pub title: String,
    pub shell: &'static str,
    pub text: String,
}

/// The decoded token, for display.
#[derive(Clone, Debug, Serialize)]
pub struct TokenView {
    pub header: Json,
    pub claims: Json,
    pub expires: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SettingsReport {
    pub findings: Vec<FieldFinding>,
    pub commands: Vec<Command>,
    pub token: Option<TokenView>,
}

impl SettingsReport {
    pub fn has_error(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.finding.severity == Severity::Error)
    }
    pub fn for_field(&self, field: &str) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| f.field == field)
            .map(|f| &f.finding)
            .collect()
    }
}

/// The resource the token must be for.
pub const EXCHANGE_AUDIENCE: &str = "https://outlook.office365.com";
/// Exchange Online's application id, which v1 tokens may carry as `aud`.
const EXCHANGE_APP_ID: &str = "00000002-0000-0ff1-ce00-000000000000";
pub const JOURNAL_LIMIT: u64 = 20_000;

pub fn is_guid(s: &str) -> bool {
    let s = s.trim().trim_start_matches('{').trim_end_matches('}');
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_domain(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && labels
            .last()
            .is_some_and(|t| t.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Exchange Online's IMAP endpoints.
pub fn is_exchange_online(host: &str) -> bool {
    let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
    h == "outlook.office365.com"
        || h == "outlook.office.com"
        || h.ends_with(".outlook.com")
        || h.ends_with(".office365.com")
}

fn same_guid(a: &str, b: &str) -> bool {
    !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim())
}

fn or_placeholder(v: &str, p: &str) -> String {
    if v.trim().is_empty() {
        p.to_string()
    } else {
        v.trim().to_string()
    }
}

fn push(out: &mut Vec<FieldFinding>, field: &'static str, finding: Finding) {
    out.push(FieldFinding { field, finding });
}

/// Decodes a JWT's header and claims; the signature is not checked.
pub fn decode_token(token: &str) -> Result<(Json, Json), String> {
    let t = token.trim().trim_start_matches("Bearer ").trim();
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() != 3 {
        return Err(format!(
            "a JWT has three parts separated by dots; this has {}",
            parts.len()
        ));
    }
    let dec = |p: &str| -> Result<Json, String> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(p.trim_end_matches('='))
            .map_err(|_| "a part is not base64url".to_string())?;
        Json::parse(&bytes).map_err(|_| "a part is not JSON".to_string())
    };
    Ok((dec(parts[0])?, dec(parts[1])?))
}

fn token_findings(s: &Settings, at: i64, out: &mut Vec<FieldFinding>) -> Option<TokenView> {
    if s.token.trim().is_empty() {
        return None;
    }
    let (header, claims) = match decode_token(&s.token) {
        Ok(v) => v,
        Err(e) => {
            push(out, "token", Finding::new(Rule::OauthTokenUnreadable, Severity::Warning, format!("The token cannot be read: {e}. Paste the access_token value only (three base64url parts separated by dots).")));
            return None;
        }
    };
    let str_claim = |k: &str| claims.get(k).and_then(Json::as_str).map(str::to_string);
    let aud = str_claim("aud").unwrap_or_default();
    let aud_ok = aud.trim_end_matches('/') == EXCHANGE_AUDIENCE || aud == EXCHANGE_APP_ID;
    if !aud_ok {
        push(out, "token", Finding::new(Rule::OauthTokenAudience, Severity::Error, format!("The token is for {}, not for Exchange Online ({EXCHANGE_AUDIENCE}); Exchange answers AUTHENTICATE failed.", if aud.is_empty() { "no audience" } else { &aud }))
            .evidence(format!("aud: {aud}"))
            .fix(["Request the token with scope https://outlook.office365.com/.default (client-credentials flow)."]));
    }
    let roles: Vec<String> = claims
        .get("roles")
        .and_then(|r| r.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if !roles.iter().any(|r| r == "IMAP.AccessAsApp") {
        let delegated = claims.get("scp").is_some();
        push(out, "token", Finding::new(Rule::OauthTokenMissingRole, Severity::Error, format!(
            "The token's roles claim does not hold IMAP.AccessAsApp{}.",
            if delegated { " (it is a delegated token with scp: the archiver needs an application token)" } else { "" }
        ))
        .evidence(format!("roles: {}", if roles.is_empty() { "(none)".to_string() } else { roles.join(", ") }))
        .fix([
            "In Entra ID → App registrations → your app → API permissions: Add a permission → APIs my organization uses → Office 365 Exchange Online → Application permissions → IMAP.AccessAsApp.",
            "Click Grant admin consent for the tenant, then request a new token.",
        ]));
    }
    let num = |k: &str| claims.get(k).and_then(|v| v.as_i64());
    if let Some(exp) = num("exp") {
        if exp <= at {
            push(out, "token", Finding::new(Rule::OauthTokenExpired, Severity::Warning, format!("The token expired at {} (analysis time {}). Tokens last about an hour; the archiver fetches new ones itself.", format_time(exp), format_time(at)))
                .evidence(format!("exp: {exp}"))
                .fix(["Request a fresh token to test, or check the archiver machine's clock."]));
        }
    }
    if let Some(nbf) = num("nbf") {
        if nbf > at {
            push(out, "token", Finding::new(Rule::OauthTokenExpired, Severity::Warning, format!("The token is not valid before {}: a clock is wrong.", format_time(nbf)))
                .evidence(format!("nbf: {nbf}"))
                .fix(["Check the clocks of the archiver machine and of the machine that requested the token."]));
        }
    }
    if let Some(tid) = str_claim("tid") {
        if is_guid(&s.tenant) && !same_guid(&tid, &s.tenant) {
            push(
                out,
                "token",
                Finding::new(
                    Rule::OauthTokenWrongTenant,
                    Severity::Error,
                    format!(
                        "The token is from tenant {tid}, but the settings name tenant {}.",
                        s.tenant.trim()
                    ),
                )
                .evidence(format!("tid: {tid}"))
                .fix([
                    "Use the Directory (tenant) ID of the tenant that holds the journal mailbox.",
                ]),
            );
        }
    }
    let app = str_claim("appid").or_else(|| str_claim("azp"));
    if let Some(app) = &app {
        if is_guid(&s.client_id) && !same_guid(app, &s.client_id) {
            push(out, "token", Finding::new(Rule::OauthTokenWrongApp, Severity::Error, format!("The token is for application {app}, but the settings name client ID {}.", s.client_id.trim()))
                .evidence(format!("appid/azp: {app}"))
                .fix(["Use the Application (client) ID of the app registration whose secret is configured."]));
        }
    }
    // For app-only tokens, oid is the service principal: the Enterprise
    // Application's Object ID that New-ServicePrincipal needs.
    if let Some(oid) = str_claim("oid") {
        if is_guid(&s.object_id) && !same_guid(&oid, &s.object_id) {
            push(out, "object_id", Finding::new(Rule::OauthObjectIdIsAppRegistration, Severity::Error, format!("The token says the service principal (Enterprise Application) Object ID is {oid}, but the settings use {}.", s.object_id.trim()))
                .evidence(format!("oid: {oid}"))
                .fix([
                    format!("Remove the wrong service principal: Remove-ServicePrincipal -Identity {}", s.object_id.trim()),
                    format!("Create it again: New-ServicePrincipal -AppId {} -ObjectId {oid}", or_placeholder(&s.client_id, "<client id>")),
                ]));
        }
    }
    let expires = num("exp").map(format_time);
    Some(TokenView {
        header,
        claims,
        expires,
    })
}

/// Checks the settings at time `at` (for the token).
pub fn check(s: &Settings, at: i64) -> SettingsReport {
    let mut out: Vec<FieldFinding> = Vec::new();
    let host = s.host.trim();
    let online = is_exchange_online(host);
    let port = s.port.unwrap_or(match s.mode {
        Mode::Tls => 993,
        _ => 143,
    });

    // Connection mode and port.
    match (s.mode, port) {
        (Mode::Plaintext | Mode::Starttls, 993) => push(&mut out, "port", Finding::new(Rule::TlsTlsOnPlaintextPort, Severity::Error, "Port 993 speaks TLS from the first byte (SSL/TLS mode), but the mode is plaintext/STARTTLS: the archiver waits for a greeting that never comes (Read timed out).")
            .evidence(format!("mode {:?}, port 993", s.mode))
            .fix(["Set the connection mode to SSL/TLS for port 993, or use port 143 for STARTTLS."])),
        (Mode::Tls, 143) => push(&mut out, "port", Finding::new(Rule::TlsPlaintextOnTlsPort, Severity::Error, "Port 143 greets in plain text, but the mode is SSL/TLS: Java fails with \"Unsupported or unrecognized SSL message\".")
            .evidence("mode SSL/TLS, port 143")
            .fix(["Use port 993 with SSL/TLS, or STARTTLS with port 143."])),
        (_, p) if p != 993 && p != 143 => push(&mut out, "port", Finding::new(Rule::TlsPlaintextOnTlsPort, Severity::Info, format!("Port {p} is not a standard IMAP port (993 SSL/TLS, 143 plaintext/STARTTLS): make sure the mode matches what the server speaks there.")).evidence(format!("port {p}"))),
        _ => {}
    }
    if online && s.mode == Mode::Plaintext {
        push(&mut out, "mode", Finding::new(Rule::ImapLoginDisabled, Severity::Error, "Exchange Online refuses login on an unencrypted connection (LOGINDISABLED before STARTTLS): JavaMail says \"No login methods supported!\".")
            .fix(["Use SSL/TLS on port 993 with outlook.office365.com."]));
    }
    if online && s.login == Login::Password {
        push(&mut out, "login", Finding::new(Rule::M365BasicAuthDisabled, Severity::Error, "Microsoft 365 turned off password (basic) authentication for IMAP in 2022: a password login to Exchange Online fails with AUTHENTICATE failed / LOGIN failed.")
            .evidence(format!("host {host} with password login"))
            .fix([
                "Upgrade the archiver to a version with OAuth (MailArchiva 8.11.13 or later).",
                "Follow steps A, B, C1, D1 and E1: app registration with IMAP.AccessAsApp and admin consent, a client secret, New-ServicePrincipal with the Enterprise Application's Object ID, Add-MailboxPermission FullAccess.",
            ]));
    }
    if s.login == Login::Oauth {
        oauth_findings(s, &mut out);
    }
    let mailbox = s.mailbox.trim();
    if !mailbox.is_empty() && (s.login == Login::Oauth || online) {
        let ok = mailbox
            .split_once('@')
            .is_some_and(|(u, d)| !u.is_empty() && is_domain(d));
        if !ok {
            push(&mut out, "mailbox", Finding::new(Rule::JournalAccount, Severity::Error, format!("The journal mailbox \"{mailbox}\" is not an e-mail address; with OAuth the mailbox is named by its full address (user@domain).")).fix(["Enter the journal mailbox's primary SMTP address."]));
        }
    }
    if let Some(n) = s.message_count {
        if n > JOURNAL_LIMIT {
            push(&mut out, "message_count", Finding::new(Rule::JournalTooManyMessages, Severity::Error, format!("The journal mailbox holds {n} messages, more than {JOURNAL_LIMIT}: Exchange may be unable to answer the archiver's IMAP client in time."))
                .evidence(format!("{n} messages"))
                .fix([
                    "Create a new journal mailbox and point the journal rule to it.",
                    "Configure the archiver for the new mailbox, and import the old mailbox's mail with the archiver's import feature.",
                ]));
        }
    }
    let token = token_findings(s, at, &mut out);
    SettingsReport {
        findings: out,
        commands: commands(s, port, token.as_ref()),
        token,
    }
}

fn oauth_findings(s: &Settings, out: &mut Vec<FieldFinding>) {
    let tenant = s.tenant.trim();
    if !tenant.is_empty() && !is_guid(tenant) && !is_domain(tenant) {
        push(out, "tenant", Finding::new(Rule::OauthBadTenant, Severity::Error, format!("The tenant \"{tenant}\" is neither a GUID nor a domain name; Entra answers AADSTS90002 or AADSTS900023.")).fix(["Copy the Directory (tenant) ID from Entra ID → Overview, or use a verified domain such as contoso.onmicrosoft.com."]));
    }
    for (field, label, v) in [
        ("client_id", "Application (client) ID", &s.client_id),
        (
            "object_id",
            "Enterprise Application Object ID",
            &s.object_id,
        ),
        (
            "app_object_id",
            "App registration Object ID",
            &s.app_object_id,
        ),
    ] {
        let v = v.trim();
        if !v.is_empty() && !is_guid(v) {
            push(
                out,
                field,
                Finding::new(
                    Rule::OauthBadGuid,
                    Severity::Error,
                    format!("The {label} \"{v}\" is not a GUID (8-4-4-4-12 hexadecimal digits)."),
                )
                .fix([format!("Copy the {label} again from the Azure portal.")]),
            );
        }
    }
    let object = s.object_id.trim();
    if is_guid(object) && (same_guid(object, &s.app_object_id) || same_guid(object, &s.client_id)) {
        let which = if same_guid(object, &s.client_id) {
            "the Application (client) ID"
        } else {
            "the App registration's Object ID"
        };
        push(out, "object_id", Finding::new(Rule::OauthObjectIdIsAppRegistration, Severity::Error, format!("The Object ID given for New-ServicePrincipal is {which}. Step D1 needs the Object ID from Enterprise Applications (not App registrations): with this one Exchange answers AUTHENTICATE failed."))
            .evidence(format!("Object ID {object}"))
            .fix([
                "Open Entra ID → Enterprise Applications (not App registrations!), find the app, and copy the Object ID from its Overview page.".to_string(),
                format!("Delete the wrong service principal: Remove-ServicePrincipal -Identity {object}"),
                format!("Create it with the right Object ID: New-ServicePrincipal -AppId {} -ObjectId <Enterprise Application Object ID>", or_placeholder(&s.client_id, "<client id>")),
                "Grant the mailbox to the new service principal (step E1), see the generated commands.".to_string(),
            ]));
    }
    // Only the Enterprise Application's Object ID given: the classic D1
    // mistake (the App registration's Object ID, a GUID just the same)
    // cannot be told from here. Say how to confirm it rather than "no
    // problem".
    let compared = is_guid(&s.app_object_id)
        || decode_token(&s.token)
            .ok()
            .is_some_and(|(_, c)| c.get("oid").and_then(|o| o.as_str()).is_some_and(is_guid));
    if is_guid(object) && !compared && !same_guid(object, &s.client_id) {
        let client = or_placeholder(&s.client_id, "<Application (client) ID>");
        push(out, "object_id", Finding::new(Rule::OauthObjectIdUnconfirmed, Severity::Warning, format!("Make sure {object} is the Object ID from Enterprise Applications. The App registration has an Object ID too, a GUID that looks just like it; New-ServicePrincipal accepts it, and then Exchange answers AUTHENTICATE failed. Enter the App registration's Object ID in its field, or paste an access token, and the page compares them."))
            .evidence(format!("Object ID {object}, nothing to compare it with"))
            .one_of([
                ("Azure CLI", vec![format!("az ad sp show --id {client} --query id -o tsv")]),
                ("Azure PowerShell", vec![format!("(Get-AzADServicePrincipal -ApplicationId {client}).Id")]),
                ("Entra admin center", vec!["Entra ID → Enterprise applications (not App registrations) → the app → Overview → Object ID".to_string()]),
            ])
            .fix([
                format!("The wrong value would be the App registration's: az ad app show --id {client} --query id -o tsv. If that prints {object}, it is the D1 mistake."),
                "In Exchange Online PowerShell, the service principal already registered: Get-ServicePrincipal | Format-Table DisplayName,AppId,ObjectId".to_string(),
            ]));
    }
    let secret = s.client_secret.trim();
    if is_guid(secret) {
        push(out, "client_secret", Finding::new(Rule::OauthSecretIsId, Severity::Error, "The client secret looks like a GUID: that is the Secret ID, not the secret. Entra answers AADSTS7000215 (invalid client secret).")
            .evidence("client secret: «redacted», shaped like a GUID")
            .fix(["In Entra ID → App registrations → your app → Certificates & secrets, create a new client secret and copy its Value column (shown only once)."]));
    }
}

fn commands(s: &Settings, port: u16, token: Option<&TokenView>) -> Vec<Command> {
    let host = or_placeholder(&s.host, "mail.example.com");
    let mut v = Vec::new();
    let chain_cmd = match s.mode {
        Mode::Tls => format!("openssl s_client -connect {host}:{port} -servername {host} -showcerts </dev/null"),
        _ => format!("openssl s_client -connect {host}:{port} -starttls imap -servername {host} -showcerts </dev/null"),
    };
    v.push(Command {
        title: "Collect the certificate chain (paste the output into the certificate check)".into(),
        shell: "sh",
        text: chain_cmd,
    });
    v.push(Command {
        title: "Check that the IMAP service answers (the article's telnet test)".into(),
        shell: "sh",
        text: format!("telnet {host} 143"),
    });
    if s.login == Login::Oauth || is_exchange_online(&s.host) {
        let client = or_placeholder(&s.client_id, "<Application (client) ID>");
        // Prefer the service principal id the token names (its oid claim).
        let oid = token
            .and_then(|t| {
                t.claims
                    .get("oid")
                    .and_then(|o| o.as_str())
                    .map(str::to_string)
            })
            .filter(|o| is_guid(o))
            .unwrap_or_else(|| {
                let o = s.object_id.trim();
                let wrong = same_guid(o, &s.app_object_id) || same_guid(o, &s.client_id);
                if o.is_empty() || wrong {
                    "<Object ID from Enterprise Applications>".to_string()
                } else {
                    o.to_string()
                }
            });
        let mailbox = or_placeholder(&s.mailbox, "journal@example.com");
        let org = or_placeholder(&s.tenant, "<tenant domain>");
        v.push(Command {
            title: "Steps D1 and E1 in Exchange Online PowerShell".into(),
            shell: "powershell",
            text: format!(
                "Connect-ExchangeOnline -Organization {org}\nNew-ServicePrincipal -AppId {client} -ObjectId {oid} -DisplayName \"Mail archiver\"\nGet-ServicePrincipal | Format-Table DisplayName,AppId,ObjectId\nAdd-MailboxPermission -Identity \"{mailbox}\" -User {oid} -AccessRights FullAccess\nGet-MailboxPermission -Identity \"{mailbox}\" | Where-Object {{ $_.User -like '*{oid}*' }}"
            ),
        });
    }
    if !is_exchange_online(&s.host) {
        v.push(Command {
            title: "On-premises Exchange: IMAP settings and services (Exchange Management Shell, as administrator)".into(),
            shell: "powershell",
            text: "Get-ImapSettings | Format-List LoginType,X509CertificateName,InternalConnectionSettings,ExternalConnectionSettings\n# Allow plain-text login only inside TLS (default), or everywhere (PlainTextLogin):\nSet-ImapSettings -LoginType SecureLogin\nSet-Service MSExchangeIMAP4 -StartupType Automatic\nSet-Service MSExchangeIMAP4BE -StartupType Automatic\nRestart-Service MSExchangeIMAP4,MSExchangeIMAP4BE".into(),
        });
    }
    v
}

impl Settings {
    /// The settings as Markdown for a support ticket; secrets and the token
    /// are always written as «redacted».
    pub fn to_markdown(&self, report: &SettingsReport) -> String {
        let red = |v: &str| {
            if v.trim().is_empty() {
                "(empty)".to_string()
            } else {
                "«redacted»".to_string()
            }
        };
        let val = |v: &str| {
            if v.trim().is_empty() {
                "(empty)".to_string()
            } else {
                format!("`{}`", v.trim())
            }
        };
        let mut out = String::from("## imap-doctor: settings check\n\n");
        out.push_str(&format!("- Host: {}\n- Port: {}\n- Mode: {:?}\n- Login: {:?}\n- Journal mailbox: {}\n- Tenant: {}\n- Client ID: {}\n- App registration Object ID: {}\n- Enterprise Application Object ID: {}\n- Client secret: {}\n- Access token: {}\n\n",
            val(&self.host), self.port.map(|p| p.to_string()).unwrap_or_else(|| "(default)".into()), self.mode, self.login, val(&self.mailbox), val(&self.tenant), val(&self.client_id), val(&self.app_object_id), val(&self.object_id), red(&self.client_secret), red(&self.token)));
        for f in &report.findings {
            let f = &f.finding;
            out.push_str(&format!(
                "### {} — {} (`{}`)\n\n{}\n\n",
                f.severity.as_str().to_uppercase(),
                f.title,
                f.rule.id(),
                f.message
            ));
            for (i, s) in f.fix.iter().enumerate() {
                out.push_str(&format!("{}. {s}\n", i + 1));
            }
            out.push('\n');
        }
        // Never let a secret through, whatever a message quoted.
        for secret in [self.client_secret.trim(), self.token.trim()] {
            if secret.len() >= 4 {
                out = out.replace(secret, "«redacted»");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    const OBJECT: &str = "11111111-2222-3333-4444-555555555555";

    fn oauth(object_id: &str, app_object_id: &str) -> Settings {
        Settings {
            host: "outlook.office365.com".into(),
            port: Some(993),
            tenant: "contoso.onmicrosoft.com".into(),
            client_id: CLIENT.into(),
            object_id: object_id.into(),
            app_object_id: app_object_id.into(),
            mailbox: "journal@contoso.com".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn object_id_alone_asks_for_confirmation_with_the_client_id() {
        let r = check(&oauth(OBJECT, ""), 0);
        let f = r.for_field("object_id");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, Rule::OauthObjectIdUnconfirmed);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains(OBJECT));
        let steps: Vec<String> = f[0].fix.iter().map(|s| s.text()).collect();
        let all = steps.join("\n");
        assert!(
            all.contains(&format!("az ad sp show --id {CLIENT} --query id")),
            "{all}"
        );
        assert!(
            all.contains(&format!("az ad app show --id {CLIENT}")),
            "{all}"
        );
        assert!(matches!(f[0].fix[0], crate::rules::FixStep::OneOf(_)));
    }

    #[test]
    fn object_id_compared_needs_no_confirmation() {
        // A different App registration Object ID: compared, nothing to say.
        let r = check(&oauth(OBJECT, "99999999-8888-7777-6666-555555555555"), 0);
        assert!(r.for_field("object_id").is_empty(), "{:?}", r.findings);
        // The same one: the D1 error, not the warning.
        let r = check(&oauth(OBJECT, OBJECT), 0);
        let rules: Vec<Rule> = r.for_field("object_id").iter().map(|f| f.rule).collect();
        assert_eq!(rules, vec![Rule::OauthObjectIdIsAppRegistration]);
        // No Object ID at all: nothing to confirm.
        assert!(check(&oauth("", ""), 0).for_field("object_id").is_empty());
    }
}
