//! Saving bytes as a file from the page: a Blob URL and a temporary link.
//! Nothing is fetched; the Blob lives in this page only.

use wasm_bindgen::JsCast;

/// Offers `bytes` for download as `name`. Returns false when the browser
/// refused (the caller shows the content instead).
pub fn save(name: &str, mime: &str, bytes: &[u8]) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes).into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let ok = doc
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .map(|a| {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        })
        .is_some();
    let _ = web_sys::Url::revoke_object_url(&url);
    ok
}

pub use imap_doctor_engine::report::file_stem;
