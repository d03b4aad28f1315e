//! The chain as cards, server certificate first, the missing link dashed;
//! problems are marked on the card where they happen.

use yew::prelude::*;

use imap_doctor_engine::diagnose::{format_time, parse_time};
use imap_doctor_engine::pkix::chain::Verdict;
use imap_doctor_engine::rules::Severity;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: super::Shared,
}

/// "valid until 2027-03-01 (in 95 days)" or "expired 2024-01-01 (12 days ago)".
pub fn validity(not_after: i64, at: i64) -> String {
    let date = format_time(not_after)
        .get(..10)
        .unwrap_or_default()
        .to_string();
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    if not_after < at {
        match (at - not_after) / 86_400 {
            0 => format!("expired {date} (today)"),
            d => format!("expired {date} ({d} day{} ago)", plural(d)),
        }
    } else {
        match (not_after - at) / 86_400 {
            0 => format!("valid until {date} (expires today)"),
            d => format!("valid until {date} (in {d} day{})", plural(d)),
        }
    }
}

#[function_component(ChainView)]
pub fn chain_view(props: &Props) -> Html {
    let r = &props.report;
    let at = parse_time(&r.analysed_at).unwrap_or(0);
    let certs = r.path_certs();
    if certs.is_empty() && r.missing.is_none() {
        return html! {};
    }
    let last = certs.len().saturating_sub(1);
    html! {
        <ol class="chain" id="chain" aria-label="Certificate path, server certificate first">
            { for certs.iter().enumerate().map(|(i, c)| {
                let left = c.cert.not_after - at;
                let anchor = r.anchor.as_ref().is_some_and(|a| a.sha256 == c.cert.sha256) && i == last;
                let role = if i == 0 { "Server certificate" } else if c.cert.self_issued { "Root" } else { "Intermediate" };
                let marks: Vec<(&'static str, String)> = r.findings.iter()
                    .filter(|f| f.severity != Severity::Info && f.certificate == Some(c.cert.sha256))
                    .map(|f| (f.severity.as_str(), f.title.clone()))
                    .collect();
                let untrusted = r.verdict == Verdict::UntrustedRoot && i == last;
                html! {
                    <li class={classes!("card", untrusted.then_some("untrusted"), (!marks.is_empty()).then_some("flagged"), marks.iter().any(|(sev, _)| *sev == "error").then_some("has-error"))} data-sha256={c.cert.sha256.to_string()}>
                        <span class="role">{ role }{ if anchor { " · trusted" } else { "" } }</span>
                        <strong class="cn">{ c.cert.label() }</strong>
                        <span class="issuer">{"issued by "}{ c.cert.issuer_cn.clone().unwrap_or_else(|| c.cert.issuer.display()) }</span>
                        <span class={classes!("meta", "validity", (left < 0).then_some("expired"), (0..30 * 86_400).contains(&left).then_some("soon"))}>{ validity(c.cert.not_after, at) }</span>
                        <span class="meta">{ format!("{} · {}", c.cert.key.describe(), c.source.describe()) }</span>
                        { for marks.iter().map(|(sev, t)| html! { <span class={classes!("mark", *sev)}>{ t.clone() }</span> }) }
                    </li>
                }
            }) }
            { for r.missing.iter().map(|m| html! {
                <li class="card missing" id="missing">
                    <span class="role">{"Missing certificate"}</span>
                    <strong class="cn missing-dn">{ &m.issuer }</strong>
                    { for m.authority_key_id.iter().map(|k| html! { <span class="meta">{"Subject Key Identifier "}<code>{ k }</code></span> }) }
                    { for m.ca_issuers.iter().map(|u| html! { <span class="meta">{"Download: "}<a href={u.clone()} rel="noreferrer noopener" target="_blank">{ u }</a></span> }) }
                </li>
            }) }
        </ol>
    }
}
