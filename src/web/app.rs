//! The page: inputs on top, the verdict, the chain and the findings below.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::chain_view::ChainView;
use super::findings::FindingsList;
use super::verdict::VerdictBanner;
use crate::analyze::{analyze, format_time, parse_time, Input, Options};
use crate::report::Report;

/// Pause after the last keystroke before analysing.
const DEBOUNCE_MS: u32 = 250;

#[derive(Clone, PartialEq, Default)]
struct Form {
    paste: String,
    trust: String,
    host: String,
    at: String,
    public_roots: bool,
}

fn run(form: &Form) -> Option<Report> {
    if form.paste.trim().is_empty() {
        return None;
    }
    let at = parse_time(&form.at).unwrap_or_else(super::now);
    let server = [Input {
        name: "paste",
        bytes: form.paste.as_bytes(),
    }];
    let trust: Vec<Input<'_>> = if form.trust.trim().is_empty() {
        vec![]
    } else {
        vec![Input {
            name: "trusted",
            bytes: form.trust.as_bytes(),
        }]
    };
    Some(analyze(
        &server,
        &trust,
        &Options {
            at,
            host: Some(form.host.clone()).filter(|h| !h.trim().is_empty()),
            public_roots: form.public_roots,
        },
    ))
}

#[function_component(App)]
pub fn app() -> Html {
    let form = use_state(|| Form {
        public_roots: true,
        at: format_time(super::now()),
        ..Form::default()
    });
    let report = use_state(|| None::<super::Shared>);
    let pending = use_mut_ref(|| None::<Timeout>);

    // Re-analyse (debounced) whenever the form changes.
    {
        let report = report.clone();
        let pending = pending.clone();
        use_effect_with((*form).clone(), move |form| {
            let form = form.clone();
            let t = Timeout::new(DEBOUNCE_MS, move || {
                report.set(run(&form).map(|r| super::Shared(Rc::new(r))));
            });
            *pending.borrow_mut() = Some(t);
        });
    }

    let on_paste = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            form.set(Form {
                paste: v,
                ..(*form).clone()
            });
        })
    };
    let on_trust = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            form.set(Form {
                trust: v,
                ..(*form).clone()
            });
        })
    };
    let on_host = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            form.set(Form {
                host: v,
                ..(*form).clone()
            });
        })
    };
    let on_at = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            form.set(Form {
                at: v,
                ..(*form).clone()
            });
        })
    };
    let on_roots = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().checked();
            form.set(Form {
                public_roots: v,
                ..(*form).clone()
            });
        })
    };

    html! {
        <main class="page">
            <header class="top">
                <h1>{"imap-doctor"}</h1>
                <p class="lede">{"Why can't the archiver connect? Paste openssl s_client output, PEM certificates or a keytool listing. Everything is analysed in this page; nothing is sent anywhere."}</p>
            </header>
            <section class="inputs">
                <label for="paste">{"Server chain (openssl s_client -showcerts output or PEM)"}</label>
                <textarea id="paste" class="paste" spellcheck="false" rows="12"
                    placeholder="openssl s_client -connect mail.example.com:993 -showcerts </dev/null"
                    value={form.paste.clone()} oninput={on_paste} />
                <details class="more">
                    <summary>{"Trust store, host and time"}</summary>
                    <label for="trust">{"Certificates my archiver trusts (PEM, optional)"}</label>
                    <textarea id="trust" class="trust" spellcheck="false" rows="5"
                        value={form.trust.clone()} oninput={on_trust} />
                    <div class="row">
                        <label>
                            <input id="public-roots" type="checkbox" checked={form.public_roots} onchange={on_roots} />
                            {" Trust the bundled public roots (Mozilla)"}
                        </label>
                    </div>
                    <div class="row">
                        <label for="host">{"Host the archiver connects to"}</label>
                        <input id="host" type="text" placeholder="mail.example.com"
                            value={form.host.clone()} oninput={on_host} />
                        <label for="at">{"Analysis time (RFC 3339)"}</label>
                        <input id="at" type="text" value={form.at.clone()} oninput={on_at} />
                    </div>
                </details>
            </section>
            {
                match &*report {
                    None => html! { <p class="hint" id="hint">{"Paste something above to start."}</p> },
                    Some(r) => html! {
                        <section class="result" id="result">
                            <VerdictBanner report={r.clone()} />
                            <ChainView report={r.clone()} />
                            <FindingsList report={r.clone()} />
                        </section>
                    },
                }
            }
        </main>
    }
}
