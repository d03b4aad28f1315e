//! The web page: a thin yew shell over the engine. Nothing leaves the page.

mod app;
mod cert_details;
mod chain_view;
mod download;
mod examples;
mod file_drop;
mod findings;
mod report_actions;
mod verdict;

pub use app::App;

/// Mounts the page on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    yew::Renderer::<App>::new().render();
}

/// Now, in seconds since the Unix epoch, from the browser's clock.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// A report shared between components; equal when it is the same analysis,
/// so components re-render only after a new analysis.
#[derive(Clone)]
pub struct Shared(pub std::rc::Rc<crate::report::Report>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Shared {
    type Target = crate::report::Report;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
