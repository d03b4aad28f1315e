//! Large pastes are analysed in a Web Worker, so typing never waits for an
//! analysis. The worker (`www/worker.js`) runs this same wasm: the page
//! posts the `WebAssembly.Module` it already compiled with every job, so no
//! second copy of the wasm exists and nothing is downloaded or compiled
//! again. The worker answers with the report in the page's own compact
//! encoding (`codec.rs`).
//!
//! Where a worker cannot start (a page opened from `file://`, the
//! single-file page whose Content-Security-Policy allows no worker script,
//! an old browser), the caller analyses on the main thread as before.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::Shared;

/// Inputs at least this large (paste, files and trust store together) go
/// to the worker; smaller ones take a few milliseconds on the main thread.
pub const LARGE: usize = 256 * 1024;

/// Called with the report (or `None` for an empty form) when a job is done.
pub type Done = Rc<dyn Fn(Option<Shared>)>;

struct State {
    worker: Option<web_sys::Worker>,
    /// A worker failed to start or run: use the main thread from now on.
    broken: bool,
    /// The newest job's number; answers to older jobs are dropped.
    seq: f64,
    busy: bool,
    /// The newest job, run on the main thread if the worker fails.
    fallback: Option<Rc<dyn Fn()>>,
    _on_message: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    _on_error: Option<Closure<dyn FnMut(web_sys::Event)>>,
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State {
        worker: None,
        broken: false,
        seq: 0.0,
        busy: false,
        fallback: None,
        _on_message: None,
        _on_error: None,
    }) };
}

/// Whether a page can run workers at all (a worker itself cannot).
fn page_can() -> bool {
    web_sys::window().is_some()
        && js_sys::Reflect::has(&js_sys::global(), &"Worker".into()).unwrap_or(false)
}

/// Ends the worker. Its handlers stay until the next worker replaces them:
/// `stop` may run inside one of them, which must not be freed mid-call.
fn stop(s: &mut State) {
    if let Some(w) = s.worker.take() {
        w.terminate();
    }
    s.busy = false;
}

/// Starts a worker with its handlers, or says why not.
fn start(done: Done) -> Result<web_sys::Worker, JsValue> {
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options("./worker.js", &opts)?;
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            let id = js_sys::Reflect::get(&data, &"id".into())
                .ok()
                .and_then(|v| v.as_f64());
            let current = STATE.with(|s| {
                let mut s = s.borrow_mut();
                let current = id == Some(s.seq);
                if current {
                    s.busy = false;
                }
                current
            });
            if !current {
                return;
            }
            // An empty answer is an empty form; bytes that do not decode are a
            // failure, and the main thread decides.
            let bytes = js_sys::Reflect::get(&data, &"report".into())
                .ok()
                .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
                .map(|a| a.to_vec());
            match bytes {
                Some(b) if b.is_empty() => done(None),
                Some(b) => match super::codec::decode(&b) {
                    Some(r) => done(Some(Shared(Rc::new(r)))),
                    None => fail(),
                },
                None => fail(),
            }
        });
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| fail());
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s._on_message = Some(on_message);
        s._on_error = Some(on_error);
    });
    Ok(worker)
}

/// The worker could not start or failed: never try again on this page, and
/// run the waiting job on the main thread.
fn fail() {
    let job = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.broken = true;
        stop(&mut s);
        s.fallback.take()
    });
    if let Some(job) = job {
        job();
    }
}

/// Hands `job` (the form as a JS object) to the worker. Returns false when
/// no worker can run it: the caller analyses on the main thread. A job sent
/// while another runs stops that one (its answer would be stale anyway).
pub fn submit(job: JsValue, done: Done, fallback: Rc<dyn Fn()>) -> bool {
    if !page_can() || STATE.with(|s| s.borrow().broken) {
        return false;
    }
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.busy {
            stop(&mut s);
        }
    });
    if STATE.with(|s| s.borrow().worker.is_none()) {
        match start(done) {
            Ok(w) => STATE.with(|s| s.borrow_mut().worker = Some(w)),
            Err(_) => {
                STATE.with(|s| s.borrow_mut().broken = true);
                return false;
            }
        }
    }
    let seq = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.seq += 1.0;
        s.busy = true;
        s.fallback = Some(fallback);
        s.seq
    });
    let _ = js_sys::Reflect::set(&job, &"id".into(), &seq.into());
    let _ = js_sys::Reflect::set(&job, &"module".into(), &wasm_bindgen::module());
    let sent = STATE.with(|s| {
        s.borrow()
            .worker
            .as_ref()
            .map(|w| w.post_message(&job).is_ok())
            .unwrap_or(false)
    });
    if !sent {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            s.broken = true;
            stop(&mut s);
            s.fallback = None;
        });
    }
    sent
}

/// Drops the job in progress, if any: a newer input is analysed elsewhere.
pub fn cancel() {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.seq += 1.0;
        s.fallback = None;
        if s.busy {
            stop(&mut s);
        }
    });
}
