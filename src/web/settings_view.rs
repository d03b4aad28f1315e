//! The settings checker: IMAP connection, Microsoft 365 OAuth and the
//! journal account, validated as the admin types; a local token inspector;
//! the commands to run with their values. The form's state is one reducer
//! owned by the page (so it survives switching tabs); secrets live only in
//! memory: never in the URL, storage, or a report.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::download::save;
use super::findings::{fix_step, step_text, Code, Fill};
use imap_doctor_engine::rules::Finding;
use imap_doctor_engine::settings::{check, is_guid, Login, Mode, Settings, SettingsReport};

/// The text fields of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Port,
    Mailbox,
    MessageCount,
    Tenant,
    ClientId,
    AppObjectId,
    ObjectId,
    ClientSecret,
    Token,
}

pub enum Action {
    Text(Field, String),
    Mode(Mode),
    Login(Login),
}

/// What the admin typed, as typed (a half-typed port stays on screen).
#[derive(Clone, PartialEq)]
pub struct SettingsForm {
    port: String,
    message_count: String,
    settings: Settings,
}

impl Default for SettingsForm {
    fn default() -> Self {
        SettingsForm {
            port: "993".into(),
            message_count: String::new(),
            settings: Settings {
                port: Some(993),
                ..Settings::default()
            },
        }
    }
}

impl Reducible for SettingsForm {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let s = &mut next.settings;
        match action {
            Action::Mode(m) => s.mode = m,
            Action::Login(l) => s.login = l,
            Action::Text(field, v) => match field {
                Field::Port => {
                    s.port = v.trim().parse().ok();
                    next.port = v;
                }
                Field::MessageCount => {
                    s.message_count = v.trim().replace([',', '.', ' ', '\''], "").parse().ok();
                    next.message_count = v;
                }
                Field::Mailbox => s.mailbox = v,
                Field::Tenant => s.tenant = v,
                Field::ClientId => s.client_id = v,
                Field::AppObjectId => s.app_object_id = v,
                Field::ObjectId => s.object_id = v,
                Field::ClientSecret => s.client_secret = v,
                Field::Token => s.token = v,
            },
        }
        Rc::new(next)
    }
}

impl SettingsForm {
    /// The settings with the host the certificate check shares.
    pub fn settings(&self, host: &str) -> Settings {
        Settings {
            host: host.to_string(),
            ..self.settings.clone()
        }
    }

    /// The admin's own values for the placeholders in fix steps (never the
    /// secret or the token).
    pub fn fill(&self, f: &mut Fill) {
        let s = &self.settings;
        if is_guid(&s.client_id) {
            f.add("<client id>", s.client_id.trim());
            f.add("<Application (client) ID>", s.client_id.trim());
        }
        let object = s.object_id.trim();
        if is_guid(object) && !object.eq_ignore_ascii_case(s.app_object_id.trim()) {
            f.add("<enterprise app object id>", object);
        }
        if s.mailbox.contains('@') {
            f.add("<journal mailbox>", s.mailbox.trim());
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Shared with the certificate check (its host-name rule).
    pub host: AttrValue,
    pub on_host: Callback<String>,
    pub form: UseReducerHandle<SettingsForm>,
}

fn field_findings(report: &SettingsReport, field: &str, fill: &Fill) -> Html {
    let fs: Vec<&Finding> = report.for_field(field);
    html! {
        { for fs.into_iter().map(|f| html! {
            <div class={classes!("field-finding", f.severity.as_str())} data-rule={f.rule.id()} id={format!("ff-{field}")}>
                <strong>{ &f.title }</strong>
                <p>{ &f.message }</p>
                if !f.fix.is_empty() {
                    <ol class="fix">{ for f.fix.iter().map(|s| fix_step(s, fill)) }</ol>
                }
            </div>
        }) }
    }
}

/// The label of each field, for the findings list's links back.
fn field_label(field: &str) -> &'static str {
    match field {
        "host" => "IMAP server",
        "port" => "Port",
        "mode" => "Connection mode",
        "login" => "Login",
        "mailbox" => "Journal mailbox",
        "message_count" => "Messages in the journal mailbox",
        "tenant" => "Tenant ID",
        "client_id" => "Application (client) ID",
        "app_object_id" => "App registration Object ID",
        "object_id" => "Enterprise Application Object ID",
        "client_secret" => "Client secret",
        "token" => "Access token",
        _ => "the form",
    }
}

#[function_component(SettingsView)]
pub fn settings_view(props: &Props) -> Html {
    let form = props.form.clone();
    let current = form.settings(&props.host);
    let report = check(&current, super::now());
    let mut fill = Fill::default();
    form.fill(&mut fill);

    let text = |field: Field| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            form.dispatch(Action::Text(
                field,
                e.target_unchecked_into::<HtmlInputElement>().value(),
            ))
        })
    };
    let on_host = {
        let cb = props.on_host.clone();
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_mode = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            form.dispatch(Action::Mode(match v.as_str() {
                "plaintext" => Mode::Plaintext,
                "starttls" => Mode::Starttls,
                _ => Mode::Tls,
            }));
        })
    };
    let on_login = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            form.dispatch(Action::Login(if v == "password" {
                Login::Password
            } else {
                Login::Oauth
            }));
        })
    };
    let on_token = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            form.dispatch(Action::Text(
                Field::Token,
                e.target_unchecked_into::<HtmlTextAreaElement>().value(),
            ))
        })
    };
    let on_save = {
        let md = current.to_markdown(&report);
        Callback::from(move |_: MouseEvent| {
            save("imap-doctor-settings.md", "text/markdown", md.as_bytes());
        })
    };
    let oauth = current.login == Login::Oauth;
    let input = |id: &'static str,
                 label: &'static str,
                 value: String,
                 field: Field,
                 kind: &'static str,
                 placeholder: &'static str,
                 class: &'static str| {
        html! {
            <div class={classes!("field", class)}>
                <label for={format!("set-{id}")}>{ label }</label>
                <input id={format!("set-{id}")} class={class} type={kind} autocomplete="off" spellcheck="false" placeholder={placeholder} value={value} oninput={text(field)} />
                { field_findings(&report, id, &fill) }
            </div>
        }
    };
    html! {
        <section class="settings" id="settings" aria-label="Settings checker">
            <h2>{"IMAP connection"}</h2>
            <div class="grid">
                <div class="field">
                    <label for="set-host">{"IMAP server"}</label>
                    <input id="set-host" type="text" autocomplete="off" placeholder="outlook.office365.com" value={props.host.clone()} oninput={on_host} />
                    { field_findings(&report, "host", &fill) }
                </div>
                { input("port", "Port", form.port.clone(), Field::Port, "text", "993", "") }
                <div class="field">
                    <label for="set-mode">{"Connection mode"}</label>
                    <select id="set-mode" onchange={on_mode}>
                        <option value="tls" selected={current.mode == Mode::Tls}>{"SSL/TLS"}</option>
                        <option value="starttls" selected={current.mode == Mode::Starttls}>{"STARTTLS"}</option>
                        <option value="plaintext" selected={current.mode == Mode::Plaintext}>{"Plaintext"}</option>
                    </select>
                    { field_findings(&report, "mode", &fill) }
                </div>
                <div class="field">
                    <label for="set-login">{"Login"}</label>
                    <select id="set-login" onchange={on_login}>
                        <option value="oauth" selected={oauth}>{"OAuth (client credentials)"}</option>
                        <option value="password" selected={!oauth}>{"Password"}</option>
                    </select>
                    { field_findings(&report, "login", &fill) }
                </div>
                { input("mailbox", "Journal mailbox", current.mailbox.clone(), Field::Mailbox, "text", "journal@contoso.com", "") }
                { input("message_count", "Messages in the journal mailbox (optional)", form.message_count.clone(), Field::MessageCount, "text", "12000", "") }
            </div>
            if oauth {
                <h2>{"Microsoft 365 OAuth (steps A, B, C1, D1, E1)"}</h2>
                // One ID per row, in a monospace face wide enough to hold a
                // whole GUID: the admin compares them digit by digit.
                <div class="ids">
                    { input("tenant", "Tenant ID (GUID or verified domain)", current.tenant.clone(), Field::Tenant, "text", "contoso.onmicrosoft.com", "guid") }
                    { input("client_id", "Application (client) ID", current.client_id.clone(), Field::ClientId, "text", "00000000-0000-0000-0000-000000000000", "guid") }
                    { input("app_object_id", "App registration Object ID (optional, for the check)", current.app_object_id.clone(), Field::AppObjectId, "text", "App registrations → the app → Overview", "guid") }
                    { input("object_id", "Enterprise Application Object ID (for New-ServicePrincipal)", current.object_id.clone(), Field::ObjectId, "text", "Enterprise applications → the app → Overview", "guid") }
                    { input("client_secret", "Client secret (the Value, not the Secret ID)", current.client_secret.clone(), Field::ClientSecret, "password", "", "guid") }
                </div>
                <h2>{"Access token inspector"}</h2>
                <div class="field">
                    <label for="set-token">{"Access token (optional)"}</label>
                    <p class="muted" id="set-token-help">{"Paste an access token to decode it here. Its signature is not checked; it is never stored or sent."}</p>
                    <textarea id="set-token" class="trust" rows="3" spellcheck="false" autocomplete="off" aria-describedby="set-token-help" value={current.token.clone()} oninput={on_token} />
                    { field_findings(&report, "token", &fill) }
                </div>
                { for report.token.iter().map(|t| html! {
                    <details class="cert" open=true>
                        <summary>{"Decoded token"}{ t.expires.as_ref().map(|e| format!(" · expires {e}")).unwrap_or_default() }</summary>
                        <pre class="claims" id="token-claims">{ t.claims.pretty() }</pre>
                    </details>
                }) }
            }
            <h2>{"Findings"}</h2>
            if report.findings.is_empty() {
                <p class="hint" id="settings-ok">{"No problem found in these settings."}</p>
            } else {
                <ul class="findings" id="settings-findings">
                    { for report.findings.iter().map(|f| html! {
                        <li class={classes!("finding", f.finding.severity.as_str())} data-rule={f.finding.rule.id()}>
                            <div class="finding-head">
                                <span class="sev">{ f.finding.severity.as_str() }</span>
                                <strong class="title">{ &f.finding.title }</strong>
                                <a class="to-field" href={format!("#set-{}", f.field)}>{ format!("Field: {}", field_label(f.field)) }</a>
                            </div>
                            <p>{ &f.finding.message }</p>
                            if !f.finding.fix.is_empty() {
                                <ol class="fix" aria-label="How to fix">{ for f.finding.fix.iter().map(|s| fix_step(s, &fill)) }</ol>
                            }
                        </li>
                    }) }
                </ul>
            }
            <h2>{"Commands"}</h2>
            { for report.commands.iter().map(|c| html! {
                <div class="command">
                    <div class="muted">{ step_text(&c.title, &Fill::default()) }</div>
                    <Code text={AttrValue::from(c.text.clone())} block=true />
                </div>
            }) }
            <div class="report-actions">
                <button type="button" id="save-settings-report" onclick={on_save}>{"Download settings report (secrets redacted)"}</button>
            </div>
        </section>
    }
}
