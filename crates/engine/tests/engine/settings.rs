//! The settings checker: every rule of KB-RULES sections 3–5 that settings
//! can show, with a case that fires and one that does not; access tokens
//! made here (any key: the signature is not checked).
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine;
use imap_doctor_engine::settings::{check, Login, Mode, Settings};

const TENANT: &str = "11111111-2222-3333-4444-555555555555";
const CLIENT: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const APP_OBJ: &str = "99999999-8888-7777-6666-555555555555";
const ENT_OBJ: &str = "12345678-90ab-cdef-1234-567890abcdef";
const NOW: i64 = 1_900_000_000;

fn good() -> Settings {
    Settings {
        host: "outlook.office365.com".into(),
        port: Some(993),
        mode: Mode::Tls,
        login: Login::Oauth,
        mailbox: "journal@contoso.com".into(),
        tenant: TENANT.into(),
        client_id: CLIENT.into(),
        app_object_id: APP_OBJ.into(),
        object_id: ENT_OBJ.into(),
        client_secret: "Xy8Q~abcdefghijklmnopqrstuvwxyz0123456".into(),
        message_count: Some(1200),
        token: String::new(),
    }
}

fn ids(s: &Settings) -> Vec<&'static str> {
    check(s, NOW)
        .findings
        .iter()
        .map(|f| f.finding.rule.id())
        .collect()
}

fn jwt(claims: serde_json::Value) -> String {
    let e = |v: &serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
    };
    format!(
        "{}.{}.c2lnbmF0dXJl",
        e(&serde_json::json!({"typ": "JWT", "alg": "RS256"})),
        e(&claims)
    )
}

fn good_claims() -> serde_json::Value {
    serde_json::json!({
        "aud": "https://outlook.office365.com",
        "iss": format!("https://sts.windows.net/{TENANT}/"),
        "nbf": NOW - 60, "exp": NOW + 3600,
        "tid": TENANT, "appid": CLIENT, "oid": ENT_OBJ,
        "roles": ["IMAP.AccessAsApp"],
    })
}

#[test]
fn good_settings_have_no_findings() {
    let mut s = good();
    s.token = jwt(good_claims());
    let r = check(&s, NOW);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert!(r.token.is_some());
}

#[test]
fn mode_and_port() {
    let mut s = good();
    s.mode = Mode::Starttls;
    assert!(ids(&s).contains(&"tls.tls-on-plaintext-port"));
    s.port = Some(143);
    assert!(!ids(&s).contains(&"tls.tls-on-plaintext-port"));
    s.mode = Mode::Tls;
    assert!(ids(&s).contains(&"tls.plaintext-on-tls-port"));
    s.mode = Mode::Plaintext;
    assert!(
        ids(&s).contains(&"imap.login-disabled"),
        "Exchange Online refuses login without TLS"
    );
    s.host = "exchange.corp.local".into();
    assert!(!ids(&s).contains(&"imap.login-disabled"));
}

#[test]
fn exchange_online_with_a_password() {
    let mut s = good();
    s.login = Login::Password;
    assert!(ids(&s).contains(&"m365.basic-auth-disabled"));
    s.host = "mail.contoso.com".into();
    assert!(!ids(&s).contains(&"m365.basic-auth-disabled"));
    s.host = "contoso-com.mail.protection.outlook.com".into();
    assert!(ids(&s).contains(&"m365.basic-auth-disabled"));
}

#[test]
fn guids_and_tenant() {
    let mut s = good();
    s.client_id = "aaaaaaaa-bbbb-cccc-dddd".into();
    assert!(ids(&s).contains(&"oauth.bad-guid"));
    s = good();
    s.object_id = "not a guid".into();
    assert!(ids(&s).contains(&"oauth.bad-guid"));
    s = good();
    s.tenant = "contoso.onmicrosoft.com".into();
    assert!(!ids(&s).contains(&"oauth.bad-tenant"));
    s.tenant = "contoso".into();
    assert!(ids(&s).contains(&"oauth.bad-tenant"));
    s.tenant = "{11111111-2222-3333-4444-555555555555}".into();
    assert!(!ids(&s).contains(&"oauth.bad-tenant"));
}

#[test]
fn the_classic_d1_mistake() {
    let mut s = good();
    s.object_id = APP_OBJ.into();
    let r = check(&s, NOW);
    let f = r
        .findings
        .iter()
        .find(|f| f.finding.rule.id() == "oauth.object-id-is-app-registration")
        .expect("D1 finding");
    assert_eq!(f.field, "object_id");
    assert!(f
        .finding
        .fix
        .iter()
        .any(|x| x.contains(&format!("Remove-ServicePrincipal -Identity {APP_OBJ}"))));
    // The generated command does not repeat the wrong id.
    let ps = r
        .commands
        .iter()
        .find(|c| c.text.contains("New-ServicePrincipal"))
        .unwrap();
    assert!(ps.text.contains(&format!("New-ServicePrincipal -AppId {CLIENT} -ObjectId <Object ID from Enterprise Applications>")), "{}", ps.text);
    // The client id given as object id is the same mistake.
    s.object_id = CLIENT.into();
    assert!(ids(&s).contains(&"oauth.object-id-is-app-registration"));
    // With a token, its oid names the right one and the command uses it.
    s.token = jwt(good_claims());
    let r = check(&s, NOW);
    let ps = r
        .commands
        .iter()
        .find(|c| c.text.contains("New-ServicePrincipal"))
        .unwrap();
    assert!(
        ps.text.contains(&format!("-ObjectId {ENT_OBJ}")),
        "{}",
        ps.text
    );
    assert!(ps.text.contains(&format!("Add-MailboxPermission -Identity \"journal@contoso.com\" -User {ENT_OBJ} -AccessRights FullAccess")));
}

#[test]
fn secret_shaped_like_its_id() {
    let mut s = good();
    s.client_secret = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0".into();
    assert!(ids(&s).contains(&"oauth.secret-is-id"));
}

#[test]
fn mailbox_and_message_count() {
    let mut s = good();
    s.mailbox = "journal".into();
    assert!(ids(&s).contains(&"journal.account"));
    s = good();
    s.message_count = Some(20_001);
    assert!(ids(&s).contains(&"journal.too-many-messages"));
    s.message_count = Some(20_000);
    assert!(!ids(&s).contains(&"journal.too-many-messages"));
}

#[test]
fn token_rules() {
    let with = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut c = good_claims();
        f(&mut c);
        let mut s = good();
        s.token = jwt(c);
        ids(&s)
    };
    assert!(with(&|c| c["aud"] = "https://graph.microsoft.com".into())
        .contains(&"oauth.token-audience"));
    assert!(
        !with(&|c| c["aud"] = "00000002-0000-0ff1-ce00-000000000000".into())
            .contains(&"oauth.token-audience")
    );
    assert!(with(&|c| c["roles"] = serde_json::json!(["Mail.Read"]))
        .contains(&"oauth.token-missing-role"));
    assert!(with(&|c| {
        c.as_object_mut().unwrap().remove("roles");
    })
    .contains(&"oauth.token-missing-role"));
    assert!(with(&|c| c["exp"] = (NOW - 1).into()).contains(&"oauth.token-expired"));
    assert!(
        with(&|c| c["tid"] = "00000000-0000-0000-0000-000000000000".into())
            .contains(&"oauth.token-wrong-tenant")
    );
    assert!(
        with(&|c| c["appid"] = "00000000-0000-0000-0000-000000000001".into())
            .contains(&"oauth.token-wrong-app")
    );
    assert!(with(&|c| {
        c.as_object_mut().unwrap().remove("appid");
        c["azp"] = "00000000-0000-0000-0000-000000000001".into();
    })
    .contains(&"oauth.token-wrong-app"));
    let mut s = good();
    s.token = "not.a-token".into();
    assert!(ids(&s).contains(&"oauth.token-unreadable"));
}

#[test]
fn markdown_never_holds_a_secret() {
    let mut s = good();
    s.client_secret = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0".into();
    s.token = jwt(good_claims());
    let r = check(&s, NOW);
    let md = s.to_markdown(&r);
    assert!(!md.contains("0f1e2d3c-4b5a"), "{md}");
    assert!(!md.contains(&s.token[..20]));
    assert!(md.contains("«redacted»"));
    assert!(md.contains("oauth.secret-is-id"));
}

#[test]
fn commands_follow_host_and_mode() {
    let mut s = good();
    s.host = "mail.contoso.com".into();
    s.mode = Mode::Starttls;
    s.port = Some(143);
    s.login = Login::Password;
    let r = check(&s, NOW);
    assert!(r.commands.iter().any(|c| c.text == "openssl s_client -connect mail.contoso.com:143 -starttls imap -servername mail.contoso.com -showcerts </dev/null"));
    assert!(r
        .commands
        .iter()
        .any(|c| c.text.contains("Set-ImapSettings")));
    assert!(!r
        .commands
        .iter()
        .any(|c| c.text.contains("New-ServicePrincipal")));
}
