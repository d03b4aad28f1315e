//! Ready pastes so a visitor sees the tool work at once.

use yew::prelude::*;

/// One example: what goes in the paste and in the trust-store input.
pub struct Example {
    pub key: &'static str,
    pub title: &'static str,
    pub paste: &'static str,
    pub trust: &'static str,
    pub public_roots: bool,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        key: "missing-intermediate",
        title: "Missing intermediate",
        paste: include_str!("../../tests/fixtures/missing-intermediate.txt"),
        trust: include_str!("../../tests/fixtures/pki/root.pem"),
        public_roots: true,
    },
    Example {
        key: "untrusted-root",
        title: "Untrusted private root",
        paste: include_str!("../../tests/fixtures/untrusted-root.txt"),
        trust: "",
        public_roots: true,
    },
    Example {
        key: "expired",
        title: "Expired certificate",
        paste: include_str!("../../tests/fixtures/expired.txt"),
        trust: include_str!("../../tests/fixtures/pki/root.pem"),
        public_roots: true,
    },
];

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_pick: Callback<usize>,
}

#[function_component(Examples)]
pub fn examples(props: &Props) -> Html {
    let on_change = {
        let on_pick = props.on_pick.clone();
        Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = sel.value().parse::<usize>() {
                on_pick.emit(i);
            }
            sel.set_value("");
        })
    };
    html! {
        <div class="examples">
            <label for="examples">{"Try an example"}</label>
            <select id="examples" onchange={on_change}>
                <option value="" selected=true>{"Choose…"}</option>
                { for EXAMPLES.iter().enumerate().map(|(i, e)| html! {
                    <option value={i.to_string()} data-key={e.key}>{ e.title }</option>
                }) }
            </select>
        </div>
    }
}
