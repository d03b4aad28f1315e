//! The chain as cards, server certificate first, the missing link dashed;
//! problems are marked on the card where they happen.

use yew::prelude::*;

use imap_doctor_engine::diagnose::{format_time, parse_time};
use imap_doctor_engine::pkix::chain::Verdict;
use imap_doctor_engine::report::{file_stem, Offered};
use imap_doctor_engine::rules::Severity;
use imap_doctor_engine::x509::cert::Source;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: super::Shared,
}

/// "valid until 2027-03-01 (in 95 days)" or "expired 2024-01-01 (12 days ago)".
pub fn validity(not_after: i64, at: i64) -> String {
    let date = format_time(not_after)
        .get(..10)
        .unwrap_or_default()
        .to_string();
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    if not_after < at {
        match (at - not_after) / 86_400 {
            0 => format!("expired {date} (today)"),
            d => format!("expired {date} ({d} day{} ago)", plural(d)),
        }
    } else {
        match (not_after - at) / 86_400 {
            0 => format!("valid until {date} (expires today)"),
            d => format!("valid until {date} (in {d} day{})", plural(d)),
        }
    }
}

/// A `data:` URL holding `text`: the download needs no network, no Blob
/// kept alive, and works from a saved page or `file://`.
fn data_url(text: &str) -> String {
    format!(
        "data:application/x-pem-file;charset=utf-8,{}",
        js_sys::encode_uri_component(text)
    )
}

/// The catalogue's copy of the missing certificate, handed over: the
/// certificate alone (named after its CN) and the corrected bundle the
/// server should send (its own certificates below the gap, then the
/// missing ones).
fn offered(r: &imap_doctor_engine::report::Report, o: &Offered) -> Html {
    let cn = o
        .subject
        .split(", ")
        .find_map(|p| p.strip_prefix("CN="))
        .unwrap_or(&o.subject);
    let name = format!("{}.pem", file_stem(cn));
    let mut cert = o.pem.clone();
    for p in &o.also_needed {
        cert.push_str(p);
    }
    let server: Vec<_> = r
        .path_certs()
        .into_iter()
        .filter(|c| c.source == Source::Server && !c.cert.self_issued)
        .collect();
    let leaf = server
        .first()
        .map(|c| file_stem(&c.cert.label()))
        .unwrap_or_else(|| "server".into());
    let mut bundle: String = server.iter().map(|c| c.pem.to_string()).collect();
    bundle.push_str(&cert);
    let until = o.not_after.get(..10).unwrap_or_default();
    html! {
        <div class="offered" id="offered" data-sha256={o.sha256.to_string()}>
            <p class="meta">{ format!("imap-doctor has this certificate ({}, valid until {until}; CCADB data of {}), and checked that it signs the certificate below. No download from the CA is needed.", o.ca_owner, o.catalogue_date) }</p>
            if o.chains_to.is_none() {
                <p class="meta warn">{"None of its versions chains to a root the selected Java trusts: the root must be imported too."}</p>
            }
            <p class="downloads">
                <a class="button" id="download-missing" href={data_url(&cert)} download={name.clone()}>{ format!("Download {name}") }</a>
                <a class="button" id="download-bundle" href={data_url(&bundle)} download={format!("{leaf}-bundle.pem")}>{"Download the corrected chain (server certificate + intermediates)"}</a>
            </p>
        </div>
    }
}

#[function_component(ChainView)]
pub fn chain_view(props: &Props) -> Html {
    let r = &props.report;
    let at = parse_time(&r.analysed_at).unwrap_or(0);
    let certs = r.path_certs();
    if certs.is_empty() && r.missing.is_none() {
        return html! {};
    }
    let last = certs.len().saturating_sub(1);
    html! {
        <ol class="chain" id="chain" aria-label="Certificate path, server certificate first">
            { for certs.iter().enumerate().map(|(i, c)| {
                let left = c.cert.not_after - at;
                let anchor = r.anchor.as_ref().is_some_and(|a| a.sha256 == c.cert.sha256) && i == last;
                let role = if i == 0 { "Server certificate" } else if c.cert.self_issued { "Root" } else { "Intermediate" };
                let marks: Vec<(&'static str, String)> = r.findings.iter()
                    .filter(|f| f.severity != Severity::Info && f.certificate == Some(c.cert.sha256))
                    .map(|f| (f.severity.as_str(), f.title.clone()))
                    .collect();
                let untrusted = r.verdict == Verdict::UntrustedRoot && i == last;
                html! {
                    <li class={classes!("card", untrusted.then_some("untrusted"), (!marks.is_empty()).then_some("flagged"), marks.iter().any(|(sev, _)| *sev == "error").then_some("has-error"))} data-sha256={c.cert.sha256.to_string()}>
                        <span class="role">{ role }{ if anchor { " · trusted" } else { "" } }</span>
                        <strong class="cn">{ c.cert.label() }</strong>
                        <span class="issuer">{"issued by "}{ c.cert.issuer_cn.clone().unwrap_or_else(|| c.cert.issuer.display()) }</span>
                        <span class={classes!("meta", "validity", (left < 0).then_some("expired"), (0..30 * 86_400).contains(&left).then_some("soon"))}>{ validity(c.cert.not_after, at) }</span>
                        <span class="meta">{ format!("{} · {}", c.cert.key.describe(), c.source.describe()) }</span>
                        { for marks.iter().map(|(sev, t)| html! { <span class={classes!("mark", *sev)}>{ t.clone() }</span> }) }
                    </li>
                }
            }) }
            { for r.missing.iter().map(|m| html! {
                <li class="card missing" id="missing">
                    <span class="role">{"Missing certificate"}</span>
                    <strong class="cn missing-dn">{ &m.issuer }</strong>
                    { for m.authority_key_id.iter().map(|k| html! { <span class="meta">{"Subject Key Identifier "}<code>{ k }</code></span> }) }
                    { for m.ca_issuers.iter().filter(|_| m.offered.is_none()).map(|u| html! { <span class="meta">{"Download: "}<a href={u.clone()} rel="noreferrer noopener" target="_blank">{ u }</a></span> }) }
                    { for m.offered.iter().map(|o| offered(r, o)) }
                </li>
            }) }
        </ol>
    }
}
