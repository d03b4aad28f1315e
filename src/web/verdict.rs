//! The banner: the engine's headline and nothing else decides its words and
//! its colour, so the biggest words on the page cannot contradict the
//! findings below. Then the first things to do.

use yew::prelude::*;

use super::findings::{fix_step, Fill};
use imap_doctor_engine::report::headline::Outcome;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: super::Shared,
    pub fill: Fill,
}

/// One glyph per outcome, beside the words (they carry the meaning; the
/// glyph only helps the eye find the banner's kind).
fn glyph(o: Outcome) -> &'static str {
    match o {
        Outcome::Connects => "✓",
        Outcome::ConnectsWithWarnings => "!",
        Outcome::Rejects => "✕",
        Outcome::CannotConnect => "⊘",
        Outcome::LoginFails => "✕",
        Outcome::CannotTell => "?",
    }
}

#[function_component(VerdictBanner)]
pub fn verdict_banner(props: &Props) -> Html {
    let r = &props.report;
    let h = &r.headline;
    let verdict = r.verdict.as_str();
    html! {
        <section class={classes!("banner", h.outcome.as_str())} id="verdict" tabindex="-1"
            aria-labelledby="verdict-word" data-verdict={verdict} data-outcome={h.outcome.as_str()}>
            <div class="banner-head">
                <span class="glyph" aria-hidden="true">{ glyph(h.outcome) }</span>
                <h2 class="verdict-word" id="verdict-word">{ &h.word }</h2>
            </div>
            <p class="sentence">{ &h.sentence }</p>
            { for r.java_error.iter().map(|j| html! { <p class="java">{"Java says: "}<code>{ j }</code></p> }) }
            if !h.next_steps.is_empty() {
                <div class="next">
                    <h3>{"What to do now"}</h3>
                    { for std::iter::once(html! {
                        // Keyed by analysis: Chromium keeps stale step numbers
                        // on a list whose earlier items were removed in place.
                        <ol key={format!("{:p}", std::rc::Rc::as_ptr(&r.0))} class="fix next-steps">{ for h.next_steps.iter().take(3).map(|s| fix_step(s, &props.fill)) }</ol>
                    }) }
                </div>
            }
            if !r.findings.is_empty() {
                <p class="more-link"><a href="#findings-head">{ format!("All {} findings below", r.findings.len()) }</a></p>
            }
        </section>
    }
}
