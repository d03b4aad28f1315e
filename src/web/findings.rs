//! Findings: severity, title, explanation, evidence, numbered fix steps, rule id.

use imap_doctor_engine::rules::FixStep;
use yew::prelude::*;

/// One fix step; a choice of ways is shown as "or" blocks, not as more steps.
pub fn fix_step(s: &FixStep) -> Html {
    match s {
        FixStep::Do(t) => html! { <li>{ t }</li> },
        FixStep::OneOf(alts) => html! {
            <li class="one-of">
                { for alts.iter().enumerate().map(|(i, a)| html! {
                    <div class="alt">
                        if i > 0 { <span class="or">{ "or" }</span> }
                        <strong>{ &a.label }</strong>
                        <ol>{ for a.steps.iter().map(|x| html! { <li>{ x }</li> }) }</ol>
                    </div>
                }) }
            </li>
        },
    }
}

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
                        <ol class="fix">{ for f.fix.iter().map(fix_step) }</ol>
                    }
                </li>
            }) }
        </ul>
    }
}
