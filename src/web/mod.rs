//! The web page: a thin yew shell over the engine. Nothing leaves the page.

mod app;
mod cert_details;
mod chain_view;
mod download;
mod examples;
mod file_drop;
mod findings;
mod report_actions;
mod settings_view;
mod verdict;

pub use app::App;

/// Mounts the page on `#app` (emptied first: a page saved with the
/// browser's "Save page as" already holds a rendered copy), or on `<body>`.
/// `?embed` or `#embed` in the URL gives the compact look for iframes.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if embedded() {
        if let Some(body) = doc.body() {
            let _ = body.class_list().add_1("embed");
        }
    }
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

/// Whether the URL asks for the compact embedded look.
fn embedded() -> bool {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return false;
    };
    let has =
        |s: Result<String, wasm_bindgen::JsValue>| s.map(|s| s.contains("embed")).unwrap_or(false);
    has(loc.search()) || has(loc.hash())
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
    let Some(height) = win
        .document()
        .and_then(|d| d.document_element())
        .map(|e| e.scroll_height())
    else {
        return;
    };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"imap-doctor:height".into());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &height.into());
    let _ = parent.post_message(&msg, "*");
}
