//! Findings: severity, title, explanation, evidence, numbered fix steps, rule id.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: super::Shared,
}

#[function_component(FindingsList)]
pub fn findings_list(props: &Props) -> Html {
    html! {
        <ul class="findings" id="findings">
            { for props.report.findings.iter().map(|f| html! {
                <li class={classes!("finding", f.severity.as_str())} data-rule={f.rule.id()}>
                    <div class="finding-head">
                        <span class="sev">{ f.severity.as_str() }</span>
                        <strong>{ &f.title }</strong>
                        <code class="rule">{ f.rule.id() }</code>
                    </div>
                    <p>{ &f.message }</p>
                    if !f.evidence.is_empty() {
                        <ul class="evidence">{ for f.evidence.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
                    }
                    if !f.fix.is_empty() {
                        <ol class="fix">{ for f.fix.iter().map(|s| html! { <li>{ s }</li> }) }</ol>
                    }
                </li>
            }) }
        </ul>
    }
}
