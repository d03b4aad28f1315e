//! The chain as cards, server certificate first, the missing link dashed.

use yew::prelude::*;

use crate::analyze::parse_time;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: super::Shared,
}

#[function_component(ChainView)]
pub fn chain_view(props: &Props) -> Html {
    let r = &props.report;
    let at = parse_time(&r.analysed_at).unwrap_or(0);
    let certs = r.path_certs();
    if certs.is_empty() && r.missing.is_none() {
        return html! {};
    }
    html! {
        <ol class="chain" id="chain" aria-label="Certificate path, server certificate first">
            { for certs.iter().enumerate().map(|(i, c)| {
                let days = (c.cert.not_after - at) / 86_400;
                let role = if i == 0 { "Server certificate" } else if c.cert.self_issued { "Root" } else { "Intermediate" };
                html! {
                    <li class="card">
                        <span class="role">{ role }</span>
                        <strong class="cn">{ c.cert.label() }</strong>
                        <span class="issuer">{"issued by "}{ c.cert.issuer_cn.clone().unwrap_or_else(|| c.cert.issuer.display()) }</span>
                        <span class="meta">{ format!("{} · {} days left · {}", c.cert.key.describe(), days, c.source.describe()) }</span>
                    </li>
                }
            }) }
            { for r.missing.iter().map(|m| html! {
                <li class="card missing" id="missing">
                    <span class="role">{"Missing"}</span>
                    <strong class="cn missing-dn">{ &m.issuer }</strong>
                    { for m.authority_key_id.iter().map(|k| html! { <span class="meta">{"Subject Key Identifier "}{ k }</span> }) }
                    { for m.ca_issuers.iter().map(|u| html! { <span class="meta">{"Download: "}<code>{ u }</code></span> }) }
                </li>
            }) }
        </ol>
    }
}
