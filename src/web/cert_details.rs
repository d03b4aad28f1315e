//! Every field of every certificate, in expandable panels, with downloads.

use yew::prelude::*;

use super::download::{file_stem, save};
use imap_doctor_engine::diagnose::format_time;
use imap_doctor_engine::report::CertView;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: super::Shared,
}

fn row(name: &str, value: impl Into<String>) -> Html {
    html! { <><dt>{ name }</dt><dd>{ value.into() }</dd></> }
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "—".into()
    } else {
        v.join(", ")
    }
}

fn panel(c: &CertView) -> Html {
    let cert = &c.cert;
    let stem = file_stem(&cert.label());
    let pem = c.pem.to_string();
    let der = cert.raw.der.clone();
    let pem_name = format!("{stem}.pem");
    let crt_name = format!("{stem}.crt");
    let on_pem = Callback::from(move |_: MouseEvent| {
        save(&pem_name, "application/x-pem-file", pem.as_bytes());
    });
    let on_crt = Callback::from(move |_: MouseEvent| {
        save(&crt_name, "application/pkix-cert", &der);
    });
    let bc = cert
        .basic_constraints
        .as_ref()
        .map(|b| {
            format!(
                "CA:{}{}",
                if b.ca { "TRUE" } else { "FALSE" },
                b.path_len
                    .map(|p| format!(", pathlen:{p}"))
                    .unwrap_or_default()
            )
        })
        .unwrap_or_else(|| "—".into());
    html! {
        <details class="cert" data-sha256={cert.sha256.to_string()}>
            <summary>
                <strong>{ cert.label() }</strong>
                <span class="muted">{ format!(" · {}", c.source.describe()) }</span>
            </summary>
            <dl>
                { row("Subject", cert.subject.display()) }
                { row("Issuer", cert.issuer.display()) }
                { row("Serial", cert.serial.clone()) }
                { row("Valid from", format_time(cert.not_before)) }
                { row("Valid until", format_time(cert.not_after)) }
                { row("DNS names", list(&cert.dns_names.to_vec())) }
                { row("IP addresses", list(&cert.ip_addresses)) }
                { row("Key", cert.key.describe()) }
                { row("Signature", cert.signature_algorithm.java_name()) }
                { row("SHA-256", cert.sha256.to_string()) }
                { row("SHA-1", cert.sha1.to_string()) }
                { row("Basic constraints", bc) }
                { row("Key usage", cert.key_usage.as_deref().map(list).unwrap_or_else(|| "—".into())) }
                { row("Extended key usage", cert.extended_key_usage.as_deref().map(list).unwrap_or_else(|| "—".into())) }
                { row("Subject Key Identifier", cert.subject_key_id.clone().unwrap_or_else(|| "—".into())) }
                { row("Authority Key Identifier", cert.authority_key_id.clone().unwrap_or_else(|| "—".into())) }
                { row("CA Issuers (AIA)", list(&cert.ca_issuers)) }
                { row("OCSP", list(&cert.ocsp)) }
                { row("CRL points", list(&cert.crl_points)) }
            </dl>
            <div class="actions">
                <button type="button" class="download-pem" onclick={on_pem}>{ format!("Download {stem}.pem") }</button>
                <button type="button" class="download-crt" onclick={on_crt}>{ format!("Download {stem}.crt") }</button>
            </div>
        </details>
    }
}

#[function_component(CertDetails)]
pub fn cert_details(props: &Props) -> Html {
    let r = &props.report;
    if r.certificates.is_empty() {
        return html! {};
    }
    html! {
        <section class="details" id="details">
            <h2>{"Certificates"}</h2>
            { for r.certificates.iter().map(panel) }
        </section>
    }
}
