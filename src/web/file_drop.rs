//! A drop zone with a file picker. Reads each file as bytes, locally.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

/// A file the user gave: its name and bytes.
pub type LoadedFile = (String, Vec<u8>);

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: AttrValue,
    pub label: AttrValue,
    pub accept: AttrValue,
    pub on_files: Callback<Vec<LoadedFile>>,
}

fn read_all(
    files: Vec<gloo::file::File>,
    readers: Rc<RefCell<Vec<FileReader>>>,
    done: Callback<Vec<LoadedFile>>,
) {
    let total = files.len();
    if total == 0 {
        return;
    }
    let results: Rc<RefCell<Vec<LoadedFile>>> = Rc::new(RefCell::new(Vec::new()));
    for file in files {
        let name = file.name();
        let results = results.clone();
        let done = done.clone();
        // Bounded: the engine reads at most MAX_INPUT_BYTES of a file anyway.
        if file.size() > imap_doctor_engine::input::MAX_INPUT_BYTES as u64 {
            results.borrow_mut().push((name, Vec::new()));
            if results.borrow().len() == total {
                done.emit(results.take());
            }
            continue;
        }
        let reader = gloo::file::callbacks::read_as_bytes(&file, move |r| {
            results.borrow_mut().push((name, r.unwrap_or_default()));
            if results.borrow().len() == total {
                done.emit(results.take());
            }
        });
        readers.borrow_mut().push(reader);
    }
}

#[function_component(FileDrop)]
pub fn file_drop(props: &Props) -> Html {
    let readers = use_mut_ref(Vec::<FileReader>::new);
    let hover = use_state(|| false);
    let on_change = {
        let readers = readers.clone();
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(list) = input.files() {
                let files: Vec<gloo::file::File> =
                    gloo::file::FileList::from(list).iter().cloned().collect();
                read_all(files, readers.clone(), on_files.clone());
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let readers = readers.clone();
        let on_files = props.on_files.clone();
        let hover = hover.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            hover.set(false);
            if let Some(list) = e.data_transfer().and_then(|d| d.files()) {
                let files: Vec<gloo::file::File> =
                    gloo::file::FileList::from(list).iter().cloned().collect();
                read_all(files, readers.clone(), on_files.clone());
            }
        })
    };
    let on_over = {
        let hover = hover.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            hover.set(true);
        })
    };
    let on_leave = {
        let hover = hover.clone();
        Callback::from(move |_: DragEvent| hover.set(false))
    };
    html! {
        <div class={classes!("drop", (*hover).then_some("hover"))} ondrop={on_drop} ondragover={on_over} ondragleave={on_leave}>
            <label for={props.id.clone()} class="drop-label">{ props.label.clone() }</label>
            <input id={props.id.clone()} type="file" multiple=true accept={props.accept.clone()} onchange={on_change} />
        </div>
    }
}
