//! The web page: a thin yew shell over the engine. Nothing leaves the page.

mod app;
mod cert_details;
mod chain_view;
pub mod codec;
mod download;
mod examples;
mod file_drop;
mod findings;
mod report_actions;
mod settings_view;
mod verdict;
mod worker;

pub use app::{analyze_job, App};

/// Mounts the page on `#app` (emptied first: a page saved with the
/// browser's "Save page as" already holds a rendered copy), or on `<body>`.
/// `?embed` or `#embed` in the URL gives the compact look for iframes.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let embed = embedded();
    if embed {
        if let Some(body) = doc.body() {
            let _ = body.class_list().add_1("embed");
        }
    }
    if let Some(html) = doc.document_element() {
        let _ = html.set_attribute("data-theme", theme(embed, in_frame()));
    }
    watch_height();
    match doc.get_element_by_id("app") {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

/// The query string and the fragment, where `embed` and `theme` may be.
fn url_params() -> Vec<(String, String)> {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return vec![];
    };
    let mut out = Vec::new();
    for part in [loc.search(), loc.hash()].into_iter().flatten() {
        for kv in part.trim_start_matches(['?', '#']).split('&') {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            out.push((k.to_ascii_lowercase(), v.to_ascii_lowercase()));
        }
    }
    out
}

/// Whether the URL asks for the compact embedded look.
pub fn embedded() -> bool {
    url_params().iter().any(|(k, _)| k == "embed")
}

/// Whether the page runs inside another page's frame.
pub fn in_frame() -> bool {
    let Some(win) = web_sys::window() else {
        return false;
    };
    match win.parent() {
        Ok(Some(parent)) => parent != win,
        _ => false,
    }
}

/// The colour theme: `?theme=light|dark|auto`. Without one, a page in a
/// frame stays light: a docs page on a dark-mode machine is usually light
/// itself, and a black block in it looks broken. On its own the page
/// follows the system.
fn theme(embed: bool, framed: bool) -> &'static str {
    let asked = url_params()
        .into_iter()
        .find(|(k, _)| k == "theme")
        .map(|(_, v)| v);
    match asked.as_deref() {
        Some("light") => "light",
        Some("dark") => "dark",
        Some("auto") => "auto",
        _ if embed || framed => "light",
        _ => "auto",
    }
}

/// In a frame, posts the height whenever the page's size changes (a panel
/// opening, a font loading, the window narrowing), not only after an
/// analysis. The observer lives as long as the page.
fn watch_height() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    if !in_frame() {
        return;
    }
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    let cb = Closure::<dyn FnMut()>::new(post_height);
    if let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
        obs.observe(&body);
        // Kept for the page's lifetime on purpose.
        std::mem::forget(obs);
        cb.forget();
    }
}

/// Now, in seconds since the Unix epoch, from the browser's clock.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// A report shared between components; equal when it is the same analysis,
/// so components re-render only after a new analysis.
#[derive(Clone)]
pub struct Shared(pub std::rc::Rc<imap_doctor_engine::report::Report>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Shared {
    type Target = imap_doctor_engine::report::Report;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// Inside an iframe, tells the host page how tall the page is
/// (`{type: "imap-doctor:height", height}`), so the host can size the frame.
/// Only a number leaves the frame; nothing of the analysis.
pub fn post_height() {
    let Some(win) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = win.parent() else {
        return;
    };
    if parent == win {
        return;
    }
    // The body's own height, not the document's: the document is at least
    // as tall as the frame, so the frame could grow but never shrink.
    let Some(height) = win
        .document()
        .and_then(|d| d.body())
        .map(|b| b.get_bounding_client_rect().height().ceil() as i32)
    else {
        return;
    };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"imap-doctor:height".into());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &height.into());
    let _ = parent.post_message(&msg, "*");
}
