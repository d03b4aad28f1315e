//! The page: inputs and result side by side on wide screens (stacked on
//! phones, where the page scrolls to the verdict after a paste); the
//! verdict, the chain, the findings and the certificate details. Analysis
//! runs as the user types, deferred so typing stays responsive.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::cert_details::CertDetails;
use super::chain_view::ChainView;
use super::examples::{Examples, EXAMPLES};
use super::file_drop::{FileDrop, LoadedFile};
use super::findings::FindingsList;
use super::findings::{fill_for, Fill};
use super::report_actions::ReportActions;
use super::settings_view::{SettingsForm, SettingsView};
use super::verdict::VerdictBanner;
use super::worker;
use super::Shared;
use imap_doctor_engine::diagnose::{analyze, format_time, parse_time, Input, Options};
use imap_doctor_engine::java::{JavaRelease, TrustStore, RELEASE_LINES};
use imap_doctor_engine::pkix::chain::Verdict;
use imap_doctor_engine::rules::Rule;

/// Pause after the last keystroke before analysing.
const DEBOUNCE_MS: u32 = 200;
const CERT_FILES: &str =
    ".pem,.crt,.cer,.der,.p7b,.p7c,.txt,.log,.jks,.jceks,.ks,.keystore,.p12,.pfx";
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
    /// Where the archiver's Java reads its trusted roots from; with
    /// `ArchiverOnly` the trust-store box is the whole store.
    store: TrustStore,
    /// Keystore password: kept in memory only, never in the URL or storage.
    password: String,
    /// The archiver's Java line (8, 11, 17, 21, 25).
    java_line: u8,
    /// An update within it as typed (`17.0.8`, `8u381`, `8`); empty = newest.
    java_update: String,
    identity_check: bool,
    /// What the page moved where, said next to the inputs.
    moved: Vec<String>,
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

/// The Java release the form describes, and why the update field was
/// ignored when it was. A bare number is an update of the chosen line
/// (`8` with Java 17 is 17.0.8); a full version must name the same line.
fn java_release(line: u8, update: &str) -> (JavaRelease, Option<String>) {
    let newest = JavaRelease { line, update: None };
    let u = update.trim();
    if u.is_empty() {
        return (newest, None);
    }
    if u.len() <= 4 && u.bytes().all(|b| b.is_ascii_digit()) {
        let n = u.parse().unwrap_or(0);
        return (
            JavaRelease {
                line,
                update: Some(n),
            },
            None,
        );
    }
    match JavaRelease::parse(u) {
        Ok(r) if r.line == line => (r, None),
        Ok(r) => (
            newest,
            Some(format!(
                "{u} is a Java {} update, not Java {line}: choose Java {} above or change the update. Assuming the newest Java {line}.",
                r.line, r.line
            )),
        ),
        Err(e) => (newest, Some(format!("{e}. Assuming the newest Java {line}."))),
    }
}

/// An update worth naming as the example for a line: the one that added
/// Microsoft's 2017 roots (Exchange Online's chains) where known.
fn example_update(line: u8) -> String {
    let u = match line {
        8 => 381,
        11 => 20,
        17 => 8,
        _ => 2,
    };
    JavaRelease::update_label(line, u)
}

/// The trust-store choices the page offers, in its words.
const STORES: [(TrustStore, &str); 4] = [
    (
        TrustStore::Jdk,
        "OpenJDK's own cacerts: Oracle, Zulu, Corretto, Microsoft, runtimes bundled with apps",
    ),
    // Temurin builds its cacerts from Mozilla's list, not OpenJDK's.
    (
        TrustStore::Mozilla,
        "A cacerts made from Mozilla's list (Eclipse Temurin)",
    ),
    (
        TrustStore::Debian,
        "Debian/Ubuntu packaged Java (ca-certificates-java)",
    ),
    (TrustStore::ArchiverOnly, "The archiver's own keystore only"),
];

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

/// A keystore file (JKS, JCEKS, PKCS#12) or a JDK cacerts: what the
/// archiver trusts, never the server's chain.
fn is_keystore(name: &str, bytes: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    let by_name = [".jks", ".jceks", ".ks", ".keystore", ".p12", ".pfx"]
        .iter()
        .any(|e| lower.ends_with(e))
        || lower.rsplit(['/', '\\']).next() == Some("cacerts");
    let magic = bytes.starts_with(&[0xFE, 0xED, 0xFE, 0xED])
        || bytes.starts_with(&[0xCE, 0xCE, 0xCE, 0xCE]);
    by_name || magic || imap_doctor_engine::input::keystore::looks_like_pkcs12(bytes)
}

/// A keytool listing (`keytool -list`, `-list -v`, `-list -rfc`): the
/// archiver's trust store, not what the server sent.
fn is_keytool_listing(text: &str) -> bool {
    let head: String = text.chars().take(4000).collect();
    (head.contains("Keystore type:") || head.contains("Your keystore contains"))
        && !head.contains("CONNECTED(")
        && !head.contains("Certificate chain")
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
    let (release, _) = java_release(form.java_line, &form.java_update);
    let report = analyze(
        &server,
        &trust,
        &Options {
            at: analysis_time(&form.at),
            host: Some(form.host.clone()).filter(|h| !h.trim().is_empty()),
            public_roots: form.store != TrustStore::ArchiverOnly,
            keystore_password: Some(form.password.clone()).filter(|p| !p.is_empty()),
            java: release.profile(),
            java_release: Some(release),
            trust_store: form.store,
            identity_check: form.identity_check,
            ..Default::default()
        },
    );
    Some(Shared(Rc::new(report)))
}

/// The form as a plain JS object for the worker (files as `Uint8Array`s,
/// which the browser copies without turning bytes into text).
fn form_to_js(f: &Form) -> JsValue {
    let o = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&o, &k.into(), &v);
    };
    let files = |list: &[LoadedFile]| -> JsValue {
        list.iter()
            .map(|(n, b)| {
                js_sys::Array::of2(&n.into(), &js_sys::Uint8Array::from(b.as_slice()).into())
            })
            .collect::<js_sys::Array>()
            .into()
    };
    set("paste", f.paste.as_str().into());
    set("trust", f.trust.as_str().into());
    set("host", f.host.as_str().into());
    set("at", f.at.as_str().into());
    set("password", f.password.as_str().into());
    set("javaUpdate", f.java_update.as_str().into());
    set("javaLine", f.java_line.into());
    set("store", f.store.key().into());
    set("identity", f.identity_check.into());
    set("files", files(&f.files));
    set("trustFiles", files(&f.trust_files));
    o.into()
}

/// The worker's side: the form back from its JS object, analysed, the
/// report encoded (empty for an empty form).
pub fn analyze_job(job: &JsValue) -> Vec<u8> {
    let get = |k: &str| js_sys::Reflect::get(job, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let text = |k: &str| get(k).as_string().unwrap_or_default();
    let files = |k: &str| -> Rc<Vec<LoadedFile>> {
        let list: js_sys::Array = get(k).dyn_into().unwrap_or_default();
        Rc::new(
            list.iter()
                .filter_map(|pair| {
                    let pair: js_sys::Array = pair.dyn_into().ok()?;
                    let name = pair.get(0).as_string()?;
                    let bytes = pair.get(1).dyn_into::<js_sys::Uint8Array>().ok()?.to_vec();
                    Some((name, bytes))
                })
                .collect(),
        )
    };
    let form = Form {
        paste: text("paste"),
        files: files("files"),
        trust: text("trust"),
        trust_files: files("trustFiles"),
        host: text("host"),
        at: text("at"),
        store: TrustStore::from_key(&text("store")).unwrap_or_default(),
        password: text("password"),
        java_line: get("javaLine").as_f64().map(|l| l as u8).unwrap_or(17),
        java_update: text("javaUpdate"),
        identity_check: get("identity").as_bool().unwrap_or(true),
        moved: vec![],
    };
    run(&form)
        .map(|r| super::codec::encode(&r))
        .unwrap_or_default()
}

/// How many bytes the analysis reads.
fn input_size(f: &Form) -> usize {
    f.paste.len()
        + f.trust.len()
        + f.files.iter().map(|(_, b)| b.len()).sum::<usize>()
        + f.trust_files.iter().map(|(_, b)| b.len()).sum::<usize>()
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

/// Scrolls the verdict into view when it is not on screen (a phone after
/// a paste, or a long input column).
fn show_verdict() {
    let Some(win) = web_sys::window() else {
        return;
    };
    let Some(v) = win.document().and_then(|d| d.get_element_by_id("verdict")) else {
        return;
    };
    let rect = v.get_bounding_client_rect();
    let height = win
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    // In view enough when its top sits in the upper two thirds.
    if rect.top() >= 0.0 && rect.top() < height * 0.66 {
        return;
    }
    let opts = web_sys::ScrollIntoViewOptions::new();
    opts.set_block(web_sys::ScrollLogicalPosition::Start);
    v.scroll_into_view_with_scroll_into_view_options(&opts);
}

/// Tabs in the order they appear: id, panel id, label.
const TABS: [(&str, &str, &str); 2] = [
    ("tab-certs", "panel-certs", "Certificates and errors"),
    ("tab-settings", "panel-settings", "Settings and OAuth"),
];

#[function_component(App)]
pub fn app() -> Html {
    let form = use_state(|| Form {
        java_line: JavaRelease::default().line,
        identity_check: true,
        ..Form::default()
    });
    // The settings form lives here, not in its tab, so switching tabs keeps
    // tenant, client ID and token. Memory only: never the URL or storage.
    let settings = use_reducer(SettingsForm::default);
    let report = use_state(|| None::<Shared>);
    let analysing = use_state(|| false);
    let pending = use_mut_ref(|| None::<Timeout>);
    // Set by a paste, a drop or an example: show the verdict once it is in.
    let jump = use_mut_ref(|| false);
    let example = use_state(|| None::<usize>);

    // The page is ready for input once the first render is on screen.
    use_effect_with((), |_| {
        perf_mark("imap-doctor-ready");
        super::post_height();
    });
    // Printing shows every certificate's details, not closed panels.
    use_effect_with((), |_| {
        let listener = web_sys::window().map(|w| {
            gloo::events::EventListener::new(&w, "beforeprint", |_| {
                if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                    if let Ok(list) = doc.query_selector_all("details") {
                        for i in 0..list.length() {
                            if let Some(el) = list.item(i) {
                                let _ =
                                    wasm_bindgen::JsCast::unchecked_ref::<web_sys::Element>(&el)
                                        .set_attribute("open", "");
                            }
                        }
                    }
                }
            })
        });
        move || drop(listener)
    });
    {
        let jump = jump.clone();
        use_effect_with(
            report.as_ref().map(|r| Rc::as_ptr(&r.0) as usize),
            move |_| {
                super::post_height();
                if std::mem::take(&mut *jump.borrow_mut()) {
                    show_verdict();
                }
            },
        );
    }

    // Re-analyse whenever the form changes: deferred, so a keystroke never
    // waits for an analysis, and "Analysing…" shows meanwhile.
    {
        let report = report.clone();
        let pending = pending.clone();
        let analysing = analysing.clone();
        use_effect_with((*form).clone(), move |form| {
            let form = form.clone();
            analysing.set(true);
            let t = Timeout::new(DEBOUNCE_MS, move || {
                let job = (input_size(&form) >= worker::LARGE).then(|| form_to_js(&form));
                let (set_report, set_busy) = (report.setter(), analysing.setter());
                let here: Rc<dyn Fn()> = Rc::new(move || {
                    set_report.set(run_timed(&form));
                    set_busy.set(false);
                });
                // A large input goes to the worker; the main thread stays
                // free for typing. Timed from hand-over to answer.
                if let Some(job) = job {
                    perf_mark("imap-doctor-analysis-start");
                    let (set_report, set_busy) = (report.setter(), analysing.setter());
                    let done: worker::Done = Rc::new(move |r| {
                        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                            let _ = p.measure_with_start_mark(
                                "imap-doctor-analysis",
                                "imap-doctor-analysis-start",
                            );
                        }
                        set_report.set(r);
                        set_busy.set(false);
                    });
                    if worker::submit(job, done, here.clone()) {
                        return;
                    }
                }
                // A worker still busy with an older input must not answer
                // over this one.
                worker::cancel();
                here();
            });
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
        let form = form.clone();
        let jump = jump.clone();
        let example = example.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            // A paste or a drop (or any big change at once) shows the verdict.
            // Read defensively: a script may send a plain Event.
            let kind = js_sys::Reflect::get(&e, &"inputType".into())
                .ok()
                .and_then(|k| k.as_string())
                .unwrap_or_default();
            let big = v.len().abs_diff(form.paste.len()) > 100;
            if kind == "insertFromPaste" || kind == "insertFromDrop" || big {
                *jump.borrow_mut() = true;
            }
            example.set(None);
            let mut next = (*form).clone();
            if is_keytool_listing(&v) {
                next.trust = if next.trust.trim().is_empty() {
                    v
                } else {
                    format!("{}\n{v}", next.trust)
                };
                next.paste = String::new();
                next.moved = vec!["That is a keytool listing: it shows what the archiver trusts, so it is now in the trust-store box (\"What the archiver trusts\"). Paste the server's chain (openssl s_client -showcerts output) in the first box.".into()];
            } else {
                next.paste = v;
                next.moved.clear();
            }
            form.set(next);
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
    // A <select>'s value, applied to the form by `update`.
    let on_select = |f: fn(&mut Form, String)| {
        let set = update(f);
        Callback::from(move |e: Event| {
            set(e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value())
        })
    };
    let on_java = on_select(|f, v| f.java_line = v.parse().unwrap_or(f.java_line));
    let on_java_update = {
        let set = update(|f, v| f.java_update = v);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_store = on_select(|f, v| f.store = TrustStore::from_key(&v).unwrap_or_default());
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
    let on_files = {
        let form = form.clone();
        let jump = jump.clone();
        Callback::from(move |new: Vec<LoadedFile>| {
            *jump.borrow_mut() = true;
            let (stores, certs): (Vec<LoadedFile>, Vec<LoadedFile>) =
                new.into_iter().partition(|(n, b)| is_keystore(n, b));
            let mut next = (*form).clone();
            next.moved.clear();
            if !stores.is_empty() {
                let names: Vec<&str> = stores.iter().map(|(n, _)| n.as_str()).collect();
                next.moved.push(format!(
                    "{} {} a keystore: it holds what the archiver trusts, so it was added to the trust store (\"What the archiver trusts\"), not to the server's chain.",
                    names.join(", "),
                    if names.len() == 1 { "is" } else { "are" }
                ));
                let mut t = (*next.trust_files).clone();
                t.extend(stores);
                next.trust_files = Rc::new(t);
            }
            if !certs.is_empty() {
                let mut files = (*next.files).clone();
                files.extend(certs);
                next.files = Rc::new(files);
            }
            form.set(next);
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
        let jump = jump.clone();
        let example = example.clone();
        Callback::from(move |i: usize| {
            if let Some(e) = EXAMPLES.get(i) {
                *jump.borrow_mut() = true;
                example.set(Some(i));
                form.set(Form {
                    paste: e.paste.to_string(),
                    trust: e.trust.to_string(),
                    // An example that brings its own store uses it alone;
                    // otherwise the chosen public store stays.
                    store: match (e.public_roots, form.store) {
                        (false, _) => TrustStore::ArchiverOnly,
                        (true, TrustStore::ArchiverOnly) => TrustStore::Jdk,
                        (true, s) => s,
                    },
                    files: Rc::new(vec![]),
                    trust_files: Rc::new(vec![]),
                    host: String::new(),
                    at: String::new(),
                    moved: vec![],
                    ..(*form).clone()
                });
            }
        })
    };

    let tab = use_state(|| 0usize);
    let on_settings_host = {
        let form = form.clone();
        Callback::from(move |v: String| {
            form.set(Form {
                host: v,
                ..(*form).clone()
            })
        })
    };
    // ARIA tabs: one tab stop; arrows, Home and End move between tabs.
    let on_tab_key = {
        let tab = tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            let n = TABS.len();
            let next = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => (*tab + 1) % n,
                "ArrowLeft" | "ArrowUp" => (*tab + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            tab.set(next);
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(TABS[next].0))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
            {
                let _ = el.focus();
            }
        })
    };
    let tab_button = |i: usize| {
        let tab = tab.clone();
        let selected = *tab == i;
        let (id, panel, label) = TABS[i];
        html! {
            <button type="button" role="tab" id={id} aria-controls={panel} aria-selected={selected.to_string()}
                tabindex={if selected { "0" } else { "-1" }} class={classes!("tab", selected.then_some("selected"))}
                onkeydown={on_tab_key.clone()}
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
    let (_, update_error) = java_release(form.java_line, &form.java_update);

    // Values the fix steps can use instead of placeholders.
    let fill: Fill = match &*report {
        Some(r) => {
            let mut f = fill_for(r, &form.host);
            settings.fill(&mut f);
            f
        }
        None => Fill::default(),
    };
    // The trust-store box is in plain view when the chain ends at a root
    // that is not public (or trust input is already given); otherwise it
    // waits in the options.
    let private_root = report.as_ref().is_some_and(|r| {
        r.verdict == Verdict::UntrustedRoot
            || r.findings
                .iter()
                .any(|f| matches!(f.rule, Rule::ChainUntrustedRoot | Rule::ChainSelfSignedLeaf))
    });
    // A public root the selected Java lacks is no company CA.
    let root_lacked = report.as_ref().is_some_and(|r| {
        r.findings
            .iter()
            .any(|f| f.rule == Rule::ChainRootNotInThisJava)
    });
    let own_store = form.store == TrustStore::ArchiverOnly;
    let trust_shown =
        private_root || !form.trust.trim().is_empty() || !form.trust_files.is_empty() || own_store;
    let trust_box = html! {
        <div class={classes!("trust-box", trust_shown.then_some("shown"))} id="trust-box">
            if trust_shown {
                <h2 class="box-title">{ if own_store { "The archiver's own keystore (it replaces cacerts)" } else { "What the archiver trusts" } }</h2>
                if own_store {
                    <p class="hint" id="trust-own">{"Only what is given here is trusted: paste the keystore's certificates (keytool -list -rfc) or drop the keystore file."}</p>
                }
                if private_root && !own_store {
                    <p class="hint" id="trust-why">{ if root_lacked {
                        "The chain ends at a public root this Java does not have. If the archiver's keystore already holds it, paste that keystore's certificates here; otherwise import it or use a Java that has it."
                    } else {
                        "The chain ends at a root that is not one of Java's public roots. If the archiver trusts it (a company CA), paste that certificate or its trust store here; otherwise it must be imported."
                    } }</p>
                }
            }
            <label for="trust">{"The archiver's trusted certificates (optional): PEM, keytool -list -rfc or -list -v output"}</label>
            <textarea id="trust" class="trust" spellcheck="false" rows="5"
                value={form.trust.clone()} oninput={on_trust} />
            <FileDrop id="trust-files" label="…or choose certificate files or a keystore (.jks .jceks .p12 .pfx, cacerts)" accept={TRUST_FILES} on_files={on_trust_files} />
            { file_chips(&form.trust_files, clear_trust_files, "trust-files-list") }
        </div>
    };

    let cert_panel = html! {
        <div class="workspace">
            <section class="inputs" aria-label="Input">
                <div class="paste-head">
                    <label for="paste">{"Server chain: openssl s_client -showcerts output, PEM, certificate files, or the archiver's error message"}</label>
                </div>
                <Examples on_pick={on_example} current={*example} />
                <textarea id="paste" class="paste" spellcheck="false" autocomplete="off" rows="10"
                    placeholder="openssl s_client -connect mail.example.com:993 -showcerts </dev/null"
                    value={form.paste.clone()} oninput={on_paste} />
                <FileDrop id="files" label="Drop certificate files here, or choose files (.pem .crt .cer .der .p7b .txt)" accept={CERT_FILES} on_files={on_files} />
                { file_chips(&form.files, clear_files, "server-files") }
                <div class="notices" id="notices" aria-live="polite">
                    { for form.moved.iter().map(|n| html! { <p class="notice moved">{ n }</p> }) }
                    { for notices.iter().map(|n| html! { <p class="notice">{ n }</p> }) }
                </div>
                <div class="grid java-choice" id="java-choice">
                    <div>
                        <label for="java">{"The archiver's Java"}</label>
                        <select id="java" onchange={on_java}>
                            { for RELEASE_LINES.iter().map(|l| html! {
                                <option value={l.to_string()} selected={*l == form.java_line}>{ format!("Java {l}") }</option>
                            }) }
                        </select>
                    </div>
                    <div>
                        <label for="java-update">{"Update (optional, e.g. "}{ example_update(form.java_line) }{"; empty = newest)"}</label>
                        <input id="java-update" type="text" autocomplete="off" spellcheck="false" inputmode="text"
                            placeholder={example_update(form.java_line)} value={form.java_update.clone()} oninput={on_java_update}
                            aria-invalid={update_error.is_some().to_string()} aria-describedby="java-update-error" />
                    </div>
                    <div class="wide">
                        <label for="trust-store">{"Where that Java's trusted roots come from"}</label>
                        <select id="trust-store" onchange={on_store}>
                            { for STORES.iter().map(|(s, label)| html! {
                                <option value={s.key()} selected={*s == form.store}>{ *label }</option>
                            }) }
                        </select>
                    </div>
                    <p class="field-error wide" id="java-update-error" role="status">{ update_error.clone().unwrap_or_default() }</p>
                </div>
                if trust_shown { { trust_box.clone() } }
                <details class="more">
                    <summary>{ if trust_shown { "Host, time and keystore password" } else { "Trust store, host, time and keystore password" } }</summary>
                    if !trust_shown { { trust_box } }
                    <div class="grid">
                        <div>
                            <label for="password">{"Keystore password (PKCS#12 tries changeit; stays in this page)"}</label>
                            <input id="password" type="password" autocomplete="off" value={form.password.clone()} oninput={on_password} />
                        </div>
                    </div>
                    <div class="row">
                        <label class="inline">
                            <input id="identity-check" type="checkbox" checked={form.identity_check} onchange={on_identity} />
                            {" The archiver's mail library checks the host name (Jakarta/Angus Mail 1.1 and later)"}
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
            <div class="result-area" aria-busy={analysing.to_string()}>
                <p class={classes!("analysing", (*analysing).then_some("on"))} id="analysing" role="status">
                    { if *analysing { "Analysing…" } else { "" } }
                </p>
            {
                match &*report {
                    None => html! {
                        <div class="empty" id="hint">
                            <h2>{"The verdict appears here"}</h2>
                            <p class="hint">{"Paste the output of openssl s_client -showcerts, certificates, or the archiver's error message; drop a file; or try an example."}</p>
                        </div>
                    },
                    Some(r) => html! {
                        <section class="result" id="result" aria-label="Result">
                            <VerdictBanner report={r.clone()} fill={fill.clone()} />
                            <p class="assumed" id="assumed">{"Verdict for "}{ &r.trust_store }{"."}</p>
                            <ChainView report={r.clone()} />
                            <ReportActions report={r.clone()} />
                            <h2 id="findings-head">{"Findings"}</h2>
                            <FindingsList report={r.clone()} fill={fill.clone()} />
                            <CertDetails report={r.clone()} />
                        </section>
                    },
                }
            }
            </div>
        </div>
    };

    html! {
        <main class="page">
            <header class="top">
                <h1>{"imap-doctor"}</h1>
                <p class="lede">{"Why can't the archiver connect over IMAP? Paste openssl s_client output, certificates or an error message and see what Java will do, why, and how to fix it. Everything is analysed in this page: nothing you paste is sent anywhere."}</p>
            </header>
            <div class="tabs" role="tablist" aria-label="Checks">
                { tab_button(0) }
                { tab_button(1) }
            </div>
            <div role="tabpanel" id={TABS[*tab].1} aria-labelledby={TABS[*tab].0} class="panel">
            if *tab == 1 {
                <SettingsView host={form.host.clone()} on_host={on_settings_host} form={settings.clone()} />
            } else {
                { cert_panel }
            }
            </div>
            <footer class="foot">{"imap-doctor runs entirely in your browser. Java's verdict is modelled on its PKIX validator; the JDK itself is the test oracle."}</footer>
        </main>
    }
}
