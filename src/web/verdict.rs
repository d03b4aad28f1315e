//! The one-sentence verdict banner, coloured by severity.

use yew::prelude::*;

use imap_doctor_engine::pkix::chain::Verdict;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: super::Shared,
}

#[function_component(VerdictBanner)]
pub fn verdict_banner(props: &Props) -> Html {
    let r = &props.report;
    let class = match (r.verdict, r.has_error()) {
        (Verdict::Trusted, false) => "banner ok",
        (Verdict::NoCertificates, _) => "banner warn",
        _ => "banner bad",
    };
    html! {
        <div class={class} id="verdict" role="status" data-verdict={serde_json::to_string(&r.verdict).unwrap_or_default().trim_matches('"').to_string()}>
            <strong class="verdict-label">{ r.verdict_label() }</strong>
            <p class="summary">{ &r.summary }</p>
            { for r.java_error.iter().map(|j| html! { <p class="java">{"Java will say: "}<code>{ j }</code></p> }) }
        </div>
    }
}
