//! Copy the report as Markdown; download what the archiver must import.

use yew::prelude::*;

use super::download::{file_stem, save};
use imap_doctor_engine::pkix::chain::Verdict;
use imap_doctor_engine::x509::cert::Source;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: super::Shared,
}

#[function_component(ReportActions)]
pub fn report_actions(props: &Props) -> Html {
    let r = props.report.clone();
    let status = use_state(String::new);
    let markdown = r.to_markdown();
    let on_copy = {
        let status = status.clone();
        let md = markdown.clone();
        Callback::from(move |_: MouseEvent| {
            let status = status.clone();
            let md = md.clone();
            let Some(clip) = web_sys::window().map(|w| w.navigator().clipboard()) else {
                status.set("Copying is not allowed here: use Download report.".into());
                return;
            };
            let promise = clip.write_text(&md);
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(promise).await {
                    Ok(_) => status.set("Report copied as Markdown.".into()),
                    Err(_) => {
                        status.set("The browser refused to copy: use Download report.".into())
                    }
                }
            });
        })
    };
    let on_save_md = {
        let md = markdown.clone();
        Callback::from(move |_: MouseEvent| {
            save("imap-doctor-report.md", "text/markdown", md.as_bytes());
        })
    };
    // What to import: the root the server sent but nobody trusts (the
    // self-signed server certificate included), root first.
    let imports: Vec<String> = match r.verdict {
        Verdict::UntrustedRoot => r
            .path_certs()
            .into_iter()
            .rev()
            .filter(|c| c.source == Source::Server && c.cert.self_issued)
            .map(|c| c.pem.to_string())
            .collect(),
        _ => vec![],
    };
    let import_name = r
        .path_certs()
        .last()
        .map(|c| format!("import-{}.pem", file_stem(&c.cert.label())))
        .unwrap_or_else(|| "import.pem".into());
    let on_imports = {
        let all = imports.concat();
        Callback::from(move |_: MouseEvent| {
            save(&import_name, "application/x-pem-file", all.as_bytes());
        })
    };
    html! {
        <div class="report-actions">
            <button type="button" id="copy-report" onclick={on_copy}>{"Copy report (Markdown)"}</button>
            <button type="button" id="save-report" onclick={on_save_md}>{"Download report"}</button>
            if !imports.is_empty() {
                <button type="button" id="download-imports" onclick={on_imports}>{"Download the certificate to import"}</button>
            }
            <span class="status" role="status" aria-live="polite">{ (*status).clone() }</span>
        </div>
    }
}
