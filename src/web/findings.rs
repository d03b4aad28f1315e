//! Findings: severity, title, explanation, evidence, numbered fix steps, rule
//! id. Fix steps show commands as code with a copy button, filled with the
//! values the page knows, and alternatives as "or" blocks.

use imap_doctor_engine::pkix::chain::Verdict;
use imap_doctor_engine::rules::FixStep;
use imap_doctor_engine::x509::cert::Source;
use yew::prelude::*;

use super::download::file_stem;

/// Placeholders in the engine's fix texts and what the page puts there.
/// Only placeholders whose value the page really knows are listed; the
/// others stay visible so nobody runs a command with a guessed value.
#[derive(Clone, PartialEq, Default)]
pub struct Fill(pub Vec<(String, String)>);

impl Fill {
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (k, v) in &self.0 {
            if !v.trim().is_empty() {
                out = out.replace(k.as_str(), v.trim());
            }
        }
        out
    }

    pub fn add(&mut self, placeholder: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.0.push((placeholder.to_string(), value));
        }
    }
}

/// The CN from a distinguished name as the engine displays it.
fn cn_of(dn: &str) -> Option<String> {
    dn.split(", ")
        .find_map(|p| p.strip_prefix("CN="))
        .map(str::to_string)
}

/// What the fix steps of this report refer to: the certificate to import
/// (its alias and the file the page offers or the issuer publishes) and
/// the host.
pub fn fill_for(r: &imap_doctor_engine::report::Report, host: &str) -> Fill {
    let mut fill = Fill::default();
    let certs = r.path_certs();
    let (alias, file) = if let Some(m) = &r.missing {
        let cn = cn_of(&m.issuer).unwrap_or_else(|| m.issuer.clone());
        let stem = file_stem(&cn);
        // The issuer's own download (often DER .cer: keytool reads both).
        let published = m
            .ca_issuers
            .first()
            .and_then(|u| u.rsplit('/').next())
            .filter(|n| !n.is_empty() && n.contains('.'))
            .map(str::to_string);
        // The page's own download when it offers the certificate.
        let file = match &m.offered {
            Some(_) => format!("{stem}.pem"),
            None => published.unwrap_or(format!("{stem}.pem")),
        };
        (Some(stem.clone()), Some(file))
    } else if let Some(last) = certs.last() {
        // A chain that stops below a root it names (a root this Java
        // lacks): the certificate to import is that root, not the last one sent.
        let above = r.verdict == Verdict::UntrustedRoot && !last.cert.self_issued;
        let label = match (&last.cert.issuer_cn, above) {
            (Some(cn), true) => cn.clone(),
            _ => last.cert.label(),
        };
        let stem = file_stem(&label);
        let untrusted_import = r.verdict == Verdict::UntrustedRoot
            && last.source == Source::Server
            && last.cert.self_issued;
        let file = if untrusted_import {
            format!("import-{stem}.pem")
        } else {
            format!("{stem}.pem")
        };
        (Some(stem), Some(file))
    } else {
        (None, None)
    };
    if let Some(f) = file {
        fill.add("<file>.pem", f.clone());
        fill.add("<file>.cer", f.clone());
        fill.add("<file>.crt", f.clone());
        fill.add("<file>", f);
    }
    if let Some(a) = alias {
        fill.add("<alias>", a);
    }
    let host = if host.trim().is_empty() {
        r.host.clone().unwrap_or_default()
    } else {
        host.trim().to_string()
    };
    fill.add("HOST", host.clone());
    fill.add("<host>", host);
    fill
}

/// Programs and cmdlets whose appearance after a colon starts a command.
const COMMANDS: &[&str] = &[
    "keytool ",
    "openssl ",
    "az ",
    "curl ",
    "telnet ",
    "New-ServicePrincipal ",
    "Remove-ServicePrincipal ",
    "Get-ServicePrincipal",
    "Add-MailboxPermission ",
    "Get-MailboxPermission ",
    "Connect-ExchangeOnline",
    "Set-ImapSettings ",
    "Get-ImapSettings",
    "Set-CASMailbox ",
    "Get-CASMailbox ",
    "Test-ApplicationAccessPolicy ",
    "(Get-",
    "Enable-ExchangeCertificate ",
];

/// Splits a step into prose and commands: text in backticks, or a known
/// command after "… : " running to the end of the sentence.
pub fn segments(text: &str) -> Vec<(bool, String)> {
    if text.matches('`').count() >= 2 {
        return text
            .split('`')
            .enumerate()
            .filter(|(_, s)| !s.is_empty())
            .map(|(i, s)| (i % 2 == 1, s.to_string()))
            .collect();
    }
    let start = COMMANDS
        .iter()
        .flat_map(|c| text.match_indices(c).map(|(at, _)| at))
        .filter(|&at| at == 0 || text[..at].trim_end().ends_with(':'))
        .min();
    let Some(start) = start else {
        return vec![(false, text.to_string())];
    };
    let rest = &text[start..];
    // The command ends where the sentence does: ". ", " (" or a final ".".
    let end = [". ", " ("]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
        .unwrap_or(rest.len());
    let mut cmd = &rest[..end];
    let mut tail = &rest[end..];
    if tail.is_empty() && cmd.ends_with('.') && !cmd.ends_with("..") {
        cmd = &cmd[..cmd.len() - 1];
        tail = ".";
    }
    // "(on Exchange: Cmd -X)": the closing bracket is the sentence's.
    let mut tail = tail.to_string();
    while cmd.ends_with(')') && cmd.matches(')').count() > cmd.matches('(').count() {
        cmd = &cmd[..cmd.len() - 1];
        tail.insert(0, ')');
    }
    let mut out = Vec::new();
    if start > 0 {
        out.push((false, text[..start].to_string()));
    }
    out.push((true, cmd.to_string()));
    if !tail.trim().is_empty() && tail.trim() != "." {
        out.push((false, tail));
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct CodeProps {
    pub text: AttrValue,
    /// A multi-line command shown as a block rather than inline.
    #[prop_or_default]
    pub block: bool,
}

/// A command with a copy button that says when it copied.
#[function_component(Code)]
pub fn code(props: &CodeProps) -> Html {
    let state = use_state(|| 0u8); // 0 idle, 1 copied, 2 refused
    let onclick = {
        let state = state.clone();
        let text = props.text.to_string();
        Callback::from(move |_: MouseEvent| {
            let state = state.clone();
            let Some(clip) = web_sys::window().map(|w| w.navigator().clipboard()) else {
                state.set(2);
                return;
            };
            let promise = clip.write_text(&text);
            wasm_bindgen_futures::spawn_local(async move {
                let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                state.set(if ok { 1 } else { 2 });
                if ok {
                    let state = state.clone();
                    gloo::timers::callback::Timeout::new(2500, move || state.set(0)).forget();
                }
            });
        })
    };
    let (label, copied) = match *state {
        1 => ("Copied", "true"),
        2 => ("Select and press Ctrl+C", "false"),
        _ => ("Copy", "false"),
    };
    let button = html! {
        <button type="button" class="copy" data-copied={copied} {onclick}
            title="Copy the command">{ label }</button>
    };
    if props.block {
        html! {
            <div class="code block">
                <pre><code>{ props.text.clone() }</code></pre>
                { button }
            </div>
        }
    } else {
        html! {
            <span class="code">
                <code>{ props.text.clone() }</code>
                { button }
            </span>
        }
    }
}

/// One line of a fix: prose and commands, placeholders filled, no colon
/// left dangling at the end.
pub fn step_text(text: &str, fill: &Fill) -> Html {
    let filled = fill.apply(text);
    let filled = filled.trim_end();
    let filled = filled.strip_suffix(':').unwrap_or(filled);
    html! {
        <>{ for segments(filled).into_iter().map(|(code, s)| if code {
            // Long commands on a line of their own: no break inside an option.
            html! { <Code block={s.chars().count() > 40} text={AttrValue::from(s)} /> }
        } else {
            html! { <span>{ s }</span> }
        }) }</>
    }
}

/// One fix step; a choice of ways is shown as "or" blocks, not as more steps.
pub fn fix_step(s: &FixStep, fill: &Fill) -> Html {
    match s {
        FixStep::Do(t) => html! { <li>{ step_text(t, fill) }</li> },
        FixStep::OneOf(alts) => html! {
            <li class="one-of">
                <span class="choose">{ "Any one of these:" }</span>
                <div class="alts">
                { for alts.iter().enumerate().map(|(i, a)| html! {
                    <>
                    if i > 0 { <div class="or" aria-hidden="true"><span>{ "or" }</span></div> }
                    <div class="alt">
                        <strong class="alt-label">{ a.label.trim_end_matches(':') }</strong>
                        if a.steps.len() == 1 {
                            <div class="alt-step">{ step_text(&a.steps[0], fill) }</div>
                        } else {
                            <ol>{ for a.steps.iter().map(|x| html! { <li>{ step_text(x, fill) }</li> }) }</ol>
                        }
                    </div>
                    </>
                }) }
                </div>
            </li>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: super::Shared,
    pub fill: Fill,
}

#[function_component(FindingsList)]
pub fn findings_list(props: &Props) -> Html {
    let fill = &props.fill;
    html! {
        <ul class="findings" id="findings">
            // Keyed by analysis: Chromium keeps stale step numbers ("3.")
            // on a list whose earlier items yew removed in place.
            { for props.report.findings.iter().enumerate().map(|(i, f)| html! {
                <li key={format!("{:p}-{i}", std::rc::Rc::as_ptr(&props.report.0))} class={classes!("finding", f.severity.as_str())} data-rule={f.rule.id()}>
                    <div class="finding-head">
                        <span class="sev">{ f.severity.as_str() }</span>
                        <strong class="title">{ &f.title }</strong>
                        <code class="rule">{ f.rule.id() }</code>
                    </div>
                    <p>{ &f.message }</p>
                    if !f.evidence.is_empty() {
                        <ul class="evidence" aria-label="Evidence">{ for f.evidence.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
                    }
                    if !f.fix.is_empty() {
                        <ol class="fix" aria-label="How to fix">{ for f.fix.iter().map(|s| fix_step(s, fill)) }</ol>
                    }
                </li>
            }) }
        </ul>
    }
}
