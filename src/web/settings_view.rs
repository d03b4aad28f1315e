//! The settings checker: IMAP connection, Microsoft 365 OAuth and the
//! journal account, validated as the admin types; a local token inspector;
//! the commands to run with their values. Secrets live only in this
//! component's memory: never in the URL, storage, or a report.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::download::save;
use imap_doctor_engine::rules::Finding;
use imap_doctor_engine::settings::{check, Login, Mode, Settings, SettingsReport};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Shared with the certificate check (its host-name rule).
    pub host: AttrValue,
    pub on_host: Callback<String>,
}

fn field_findings(report: &SettingsReport, field: &str) -> Html {
    let fs: Vec<&Finding> = report.for_field(field);
    html! {
        { for fs.into_iter().map(|f| html! {
            <div class={classes!("field-finding", f.severity.as_str())} data-rule={f.rule.id()}>
                <strong>{ &f.title }</strong>{": "}{ &f.message }
                if !f.fix.is_empty() {
                    <ol class="fix">{ for f.fix.iter().map(super::findings::fix_step) }</ol>
                }
            </div>
        }) }
    }
}

#[function_component(SettingsView)]
pub fn settings_view(props: &Props) -> Html {
    let s = use_state(|| Settings {
        port: Some(993),
        ..Settings::default()
    });
    let current = Settings {
        host: props.host.to_string(),
        ..(*s).clone()
    };
    let report = check(&current, super::now());

    let text = |apply: fn(&mut Settings, String)| {
        let s = s.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut next = (*s).clone();
            apply(&mut next, v);
            s.set(next);
        })
    };
    let on_host = {
        let cb = props.on_host.clone();
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_mode = {
        let s = s.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mode = match v.as_str() {
                "plaintext" => Mode::Plaintext,
                "starttls" => Mode::Starttls,
                _ => Mode::Tls,
            };
            s.set(Settings {
                mode,
                ..(*s).clone()
            });
        })
    };
    let on_login = {
        let s = s.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let login = if v == "password" {
                Login::Password
            } else {
                Login::Oauth
            };
            s.set(Settings {
                login,
                ..(*s).clone()
            });
        })
    };
    let on_token = {
        let s = s.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            s.set(Settings {
                token: v,
                ..(*s).clone()
            });
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
                 oninput: Callback<InputEvent>,
                 kind: &'static str,
                 placeholder: &'static str| {
        html! {
            <div class="field">
                <label for={format!("set-{id}")}>{ label }</label>
                <input id={format!("set-{id}")} type={kind} autocomplete="off" spellcheck="false" placeholder={placeholder} value={value} {oninput} />
                { field_findings(&report, id) }
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
                    { field_findings(&report, "host") }
                </div>
                { input("port", "Port", current.port.map(|p| p.to_string()).unwrap_or_default(), text(|s, v| s.port = v.trim().parse().ok()), "text", "993") }
                <div class="field">
                    <label for="set-mode">{"Connection mode"}</label>
                    <select id="set-mode" onchange={on_mode}>
                        <option value="tls" selected={current.mode == Mode::Tls}>{"SSL/TLS"}</option>
                        <option value="starttls" selected={current.mode == Mode::Starttls}>{"STARTTLS"}</option>
                        <option value="plaintext" selected={current.mode == Mode::Plaintext}>{"Plaintext"}</option>
                    </select>
                    { field_findings(&report, "mode") }
                </div>
                <div class="field">
                    <label for="set-login">{"Login"}</label>
                    <select id="set-login" onchange={on_login}>
                        <option value="oauth" selected={oauth}>{"OAuth (client credentials)"}</option>
                        <option value="password" selected={!oauth}>{"Password"}</option>
                    </select>
                    { field_findings(&report, "login") }
                </div>
                { input("mailbox", "Journal mailbox", current.mailbox.clone(), text(|s, v| s.mailbox = v), "text", "journal@contoso.com") }
                { input("message_count", "Messages in the journal mailbox (optional)", current.message_count.map(|n| n.to_string()).unwrap_or_default(), text(|s, v| s.message_count = v.trim().replace([',', '.', ' '], "").parse().ok()), "text", "12000") }
            </div>
            if oauth {
                <h2>{"Microsoft 365 OAuth (steps A, B, C1, D1, E1)"}</h2>
                <div class="grid">
                    { input("tenant", "Tenant ID (GUID or verified domain)", current.tenant.clone(), text(|s, v| s.tenant = v), "text", "contoso.onmicrosoft.com") }
                    { input("client_id", "Application (client) ID", current.client_id.clone(), text(|s, v| s.client_id = v), "text", "00000000-0000-0000-0000-000000000000") }
                    { input("app_object_id", "App registration Object ID (optional, for the check)", current.app_object_id.clone(), text(|s, v| s.app_object_id = v), "text", "from App registrations → Overview") }
                    { input("object_id", "Enterprise Application Object ID (for New-ServicePrincipal)", current.object_id.clone(), text(|s, v| s.object_id = v), "text", "from Enterprise Applications → Overview") }
                    { input("client_secret", "Client secret (Value, not Secret ID)", current.client_secret.clone(), text(|s, v| s.client_secret = v), "password", "") }
                </div>
                <h2>{"Access token inspector"}</h2>
                <p class="muted">{"Paste an access token to decode it here. Its signature is not checked; it is never stored or sent."}</p>
                <textarea id="set-token" class="trust" rows="3" spellcheck="false" autocomplete="off" value={current.token.clone()} oninput={on_token} />
                { field_findings(&report, "token") }
                { for report.token.iter().map(|t| html! {
                    <details class="cert" open=true>
                        <summary>{"Decoded token"}{ t.expires.as_ref().map(|e| format!(" · expires {e}")).unwrap_or_default() }</summary>
                        <pre class="claims" id="token-claims">{ serde_json::to_string_pretty(&t.claims).unwrap_or_default() }</pre>
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
                                <strong>{ &f.finding.title }</strong>
                                <code class="rule">{ f.finding.rule.id() }</code>
                            </div>
                            <p>{ &f.finding.message }</p>
                        </li>
                    }) }
                </ul>
            }
            <h2>{"Commands"}</h2>
            { for report.commands.iter().map(|c| html! {
                <div class="command">
                    <div class="muted">{ &c.title }</div>
                    <pre class={classes!("cmd", c.shell)}>{ &c.text }</pre>
                </div>
            }) }
            <div class="report-actions">
                <button type="button" id="save-settings-report" onclick={on_save}>{"Download settings report (secrets redacted)"}</button>
            </div>
        </section>
    }
}
