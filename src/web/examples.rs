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
    /// The example currently loaded, if the paste still is one.
    pub current: Option<usize>,
}

/// A row of buttons: each loads its example when pressed (mouse, Enter or
/// Space), and the loaded one stays marked. A select that loads on change
/// snapped back and loaded on every ArrowDown.
#[function_component(Examples)]
pub fn examples(props: &Props) -> Html {
    html! {
        <div class="examples" role="group" aria-labelledby="examples-label" id="examples">
            <span id="examples-label" class="examples-label">{"Try an example:"}</span>
            { for EXAMPLES.iter().enumerate().map(|(i, e)| {
                let on_pick = props.on_pick.clone();
                let pressed = props.current == Some(i);
                html! {
                    <button type="button" class={classes!("example", pressed.then_some("pressed"))}
                        data-key={e.key} aria-pressed={pressed.to_string()}
                        onclick={Callback::from(move |_: MouseEvent| on_pick.emit(i))}>{ e.title }</button>
                }
            }) }
        </div>
    }
}
