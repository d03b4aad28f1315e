//! The page: inputs on top; the verdict, the chain, the findings and the
//! certificate details below. Analysis runs as the user types (debounced).

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::cert_details::CertDetails;
use super::chain_view::ChainView;
use super::examples::{Examples, EXAMPLES};
use super::file_drop::{FileDrop, LoadedFile};
use super::findings::FindingsList;
use super::report_actions::ReportActions;
use super::settings_view::SettingsView;
use super::verdict::VerdictBanner;
use super::Shared;
use imap_doctor_engine::diagnose::{analyze, format_time, parse_time, Input, Options};
use imap_doctor_engine::java::JavaProfile;

/// Pause after the last keystroke before analysing.
const DEBOUNCE_MS: u32 = 200;
const CERT_FILES: &str = ".pem,.crt,.cer,.der,.p7b,.p7c,.txt,.log";
const TRUST_FILES: &str =
    ".pem,.crt,.cer,.der,.p7b,.p7c,.txt,.jks,.jceks,.ks,.keystore,.p12,.pfx,cacerts";

#[derive(Clone, PartialEq, Default)]
struct Form {
    paste: String,
    files: Rc<Vec<LoadedFile>>,
    trust: String,
    trust_files: Rc<Vec<LoadedFile>>,
    host: String,
    /// `YYYY-MM-DDTHH:MM` in UTC, from the date-time input; empty = now.
    at: String,
    public_roots: bool,
    /// Keystore password: kept in memory only, never in the URL or storage.
    password: String,
    java: JavaProfile,
    identity_check: bool,
}

/// The analysis time: the input's value read as UTC, or now.
fn analysis_time(at: &str) -> i64 {
    let at = at.trim();
    if at.is_empty() {
        return super::now();
    }
    let full = if at.len() == 16 {
        format!("{at}:00Z")
    } else if at.ends_with('Z') {
        at.to_string()
    } else {
        format!("{at}Z")
    };
    parse_time(&full).unwrap_or_else(super::now)
}

/// Marks for the budget measurements (`performance.getEntriesByName`).
fn perf_mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Analyses the form, timed as the `imap-doctor-analysis` measure.
fn run_timed(form: &Form) -> Option<Shared> {
    perf_mark("imap-doctor-analysis-start");
    let r = run(form);
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark("imap-doctor-analysis", "imap-doctor-analysis-start");
    }
    r
}

fn run(form: &Form) -> Option<Shared> {
    if form.paste.trim().is_empty() && form.files.is_empty() {
        return None;
    }
    let mut server: Vec<Input<'_>> = Vec::new();
    if !form.paste.trim().is_empty() {
        server.push(Input {
            name: "paste",
            bytes: form.paste.as_bytes(),
        });
    }
    server.extend(form.files.iter().map(|(n, b)| Input { name: n, bytes: b }));
    let mut trust: Vec<Input<'_>> = Vec::new();
    if !form.trust.trim().is_empty() {
        trust.push(Input {
            name: "trusted paste",
            bytes: form.trust.as_bytes(),
        });
    }
    trust.extend(
        form.trust_files
            .iter()
            .map(|(n, b)| Input { name: n, bytes: b }),
    );
    let report = analyze(
        &server,
        &trust,
        &Options {
            at: analysis_time(&form.at),
            host: Some(form.host.clone()).filter(|h| !h.trim().is_empty()),
            public_roots: form.public_roots,
            keystore_password: Some(form.password.clone()).filter(|p| !p.is_empty()),
            java: form.java,
            identity_check: form.identity_check,
            ..Default::default()
        },
    );
    Some(Shared(Rc::new(report)))
}

fn file_chips(files: &[LoadedFile], on_clear: Callback<MouseEvent>, id: &'static str) -> Html {
    if files.is_empty() {
        return html! {};
    }
    html! {
        <div class="chips" id={id}>
            { for files.iter().map(|(n, b)| html! { <span class="chip">{ format!("{n} ({} bytes)", b.len()) }</span> }) }
            <button type="button" class="link" onclick={on_clear}>{"Remove files"}</button>
        </div>
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let form = use_state(|| Form {
        public_roots: true,
        identity_check: true,
        ..Form::default()
    });
    let report = use_state(|| None::<Shared>);
    let pending = use_mut_ref(|| None::<Timeout>);

    // The page is ready for input once the first render is on screen.
    use_effect_with((), |_| {
        perf_mark("imap-doctor-ready");
        super::post_height();
    });
    // In an iframe, keep the host informed of the page's height.
    use_effect_with(
        report
            .as_ref()
            .map(|r| r.0.clone())
            .map(|r| Rc::as_ptr(&r) as usize),
        |_| super::post_height(),
    );

    // Re-analyse (debounced) whenever the form changes.
    {
        let report = report.clone();
        let pending = pending.clone();
        use_effect_with((*form).clone(), move |form| {
            let form = form.clone();
            let t = Timeout::new(DEBOUNCE_MS, move || report.set(run_timed(&form)));
            *pending.borrow_mut() = Some(t);
        });
    }

    let update = |f: fn(&mut Form, String)| {
        let form = form.clone();
        move |v: String| {
            let mut next = (*form).clone();
            f(&mut next, v);
            form.set(next);
        }
    };
    let on_paste = {
        let set = update(|f, v| f.paste = v);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_trust = {
        let set = update(|f, v| f.trust = v);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_host = {
        let set = update(|f, v| f.host = v);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_password = {
        let set = update(|f, v| f.password = v);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_java = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            form.set(Form {
                java: JavaProfile::from_key(&v).unwrap_or_default(),
                ..(*form).clone()
            });
        })
    };
    let on_identity = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().checked();
            form.set(Form {
                identity_check: v,
                ..(*form).clone()
            });
        })
    };
    let on_at = {
        let set = update(|f, v| f.at = v);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlInputElement>().value())
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
    let on_files = {
        let form = form.clone();
        Callback::from(move |new: Vec<LoadedFile>| {
            let mut files = (*form.files).clone();
            files.extend(new);
            form.set(Form {
                files: Rc::new(files),
                ..(*form).clone()
            });
        })
    };
    let on_trust_files = {
        let form = form.clone();
        Callback::from(move |new: Vec<LoadedFile>| {
            let mut files = (*form.trust_files).clone();
            files.extend(new);
            form.set(Form {
                trust_files: Rc::new(files),
                ..(*form).clone()
            });
        })
    };
    let clear_files = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            form.set(Form {
                files: Rc::new(vec![]),
                ..(*form).clone()
            })
        })
    };
    let clear_trust_files = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            form.set(Form {
                trust_files: Rc::new(vec![]),
                ..(*form).clone()
            })
        })
    };
    let on_example = {
        let form = form.clone();
        Callback::from(move |i: usize| {
            if let Some(e) = EXAMPLES.get(i) {
                form.set(Form {
                    paste: e.paste.to_string(),
                    trust: e.trust.to_string(),
                    public_roots: e.public_roots,
                    files: Rc::new(vec![]),
                    trust_files: Rc::new(vec![]),
                    host: String::new(),
                    at: String::new(),
                    ..(*form).clone()
                });
            }
        })
    };

    let tab = use_state(|| 0u8);
    let on_settings_host = {
        let form = form.clone();
        Callback::from(move |v: String| {
            form.set(Form {
                host: v,
                ..(*form).clone()
            })
        })
    };
    let tab_button = |i: u8, label: &'static str, id: &'static str| {
        let tab = tab.clone();
        let selected = *tab == i;
        html! {
            <button type="button" role="tab" id={id} aria-selected={selected.to_string()} class={classes!("tab", selected.then_some("selected"))}
                onclick={Callback::from(move |_: MouseEvent| tab.set(i))}>{ label }</button>
        }
    };
    let detected_host = report
        .as_ref()
        .and_then(|r| r.host.clone())
        .filter(|_| form.host.trim().is_empty());
    let notices: Vec<String> = report
        .as_ref()
        .map(|r| r.notices.clone())
        .unwrap_or_default();
    let now_label = format_time(super::now());

    html! {
        <main class="page">
            <header class="top">
                <h1>{"imap-doctor"}</h1>
                <p class="lede">{"Why can't the archiver connect over IMAP? Paste openssl s_client output or certificates and see which certificate is missing, why Java rejects the chain, and how to fix it. Everything is analysed in this page: nothing you paste is sent anywhere."}</p>
            </header>
            <div class="tabs" role="tablist">
                { tab_button(0, "Certificates and errors", "tab-certs") }
                { tab_button(1, "Settings and OAuth", "tab-settings") }
            </div>
            if *tab == 1 {
                <SettingsView host={form.host.clone()} on_host={on_settings_host} />
            } else {
            <section class="inputs" aria-label="Input">
                <div class="paste-head">
                    <label for="paste">{"Server chain: openssl s_client -showcerts output, PEM, or certificate files"}</label>
                    <Examples on_pick={on_example} />
                </div>
                <textarea id="paste" class="paste" spellcheck="false" autocomplete="off" rows="12"
                    placeholder="openssl s_client -connect mail.example.com:993 -showcerts </dev/null"
                    value={form.paste.clone()} oninput={on_paste} />
                <FileDrop id="files" label="Drop certificate files here, or choose files (.pem .crt .cer .der .p7b .txt)" accept={CERT_FILES} on_files={on_files} />
                { file_chips(&form.files, clear_files, "server-files") }
                <div class="notices" id="notices" aria-live="polite">
                    { for notices.iter().map(|n| html! { <p class="notice">{ n }</p> }) }
                </div>
                <details class="more">
                    <summary>{"Trust store, Java version, host and time"}</summary>
                    <label for="trust">{"What my archiver trusts (optional): PEM, keytool -list -rfc or -list -v output"}</label>
                    <textarea id="trust" class="trust" spellcheck="false" rows="5"
                        value={form.trust.clone()} oninput={on_trust} />
                    <FileDrop id="trust-files" label="…or drop certificate files or a keystore (.jks .jceks .p12 .pfx, cacerts) here" accept={TRUST_FILES} on_files={on_trust_files} />
                    { file_chips(&form.trust_files, clear_trust_files, "trust-files-list") }
                    <div class="grid">
                        <div>
                            <label for="password">{"Keystore password (PKCS#12 tries changeit; stays in this page)"}</label>
                            <input id="password" type="password" autocomplete="off" value={form.password.clone()} oninput={on_password} />
                        </div>
                        <div>
                            <label for="java">{"The archiver's Java"}</label>
                            <select id="java" onchange={on_java}>
                                { for JavaProfile::ALL.iter().map(|p| html! {
                                    <option value={p.key()} selected={*p == form.java}>{ p.label() }</option>
                                }) }
                            </select>
                        </div>
                    </div>
                    <div class="row">
                        <label class="inline">
                            <input id="identity-check" type="checkbox" checked={form.identity_check} onchange={on_identity} />
                            {" The archiver's mail library checks the host name (Jakarta/Angus Mail 1.1 and later)"}
                        </label>
                    </div>
                    <div class="row">
                        <label class="inline">
                            <input id="public-roots" type="checkbox" checked={form.public_roots} onchange={on_roots} />
                            {" Trust the bundled public roots (Mozilla's list, as in Java's cacerts)"}
                        </label>
                    </div>
                    <div class="grid">
                        <div>
                            <label for="host">{"Host the archiver connects to"}</label>
                            <input id="host" type="text" autocomplete="off"
                                placeholder={detected_host.map(|h| format!("{h} (from the paste)")).unwrap_or_else(|| "mail.example.com".into())}
                                value={form.host.clone()} oninput={on_host} />
                        </div>
                        <div>
                            <label for="at">{"Analysis time (UTC; empty = now)"}</label>
                            <input id="at" type="datetime-local" value={form.at.clone()} oninput={on_at} title={now_label} />
                        </div>
                    </div>
                </details>
            </section>
            <div class="result-area">
            {
                match &*report {
                    None => html! { <p class="hint" id="hint">{"Paste something above, drop a file, or try an example."}</p> },
                    Some(r) => html! {
                        <section class="result" id="result" aria-label="Result">
                            <VerdictBanner report={r.clone()} />
                            <ChainView report={r.clone()} />
                            <ReportActions report={r.clone()} />
                            <h2>{"Findings"}</h2>
                            <FindingsList report={r.clone()} />
                            <CertDetails report={r.clone()} />
                        </section>
                    },
                }
            }
            </div>
            }
            <footer class="foot">{"imap-doctor runs entirely in your browser. Java's verdict is modelled on its PKIX validator; the JDK itself is the test oracle."}</footer>
        </main>
    }
}
