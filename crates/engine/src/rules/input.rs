//! The `input.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::InputShowcertsMissing,
        section: "6",
        severity: Severity::Warning,
        explanation: "The paste names the certificates but does not hold them (openssl s_client without -showcerts).",
        fix: &["Run openssl s_client -connect HOST:993 -showcerts and paste everything it prints."],
        patterns: &[],
    },
    RuleInfo {
        rule: Rule::InputPrivateKey,
        section: "6",
        severity: Severity::Warning,
        explanation: "A private key was pasted; it is never shown or used.",
        fix: &["Delete it from wherever you pasted it and replace it on the server if it was shared."],
        patterns: &[],
    },
    RuleInfo {
        rule: Rule::InputProblem,
        section: "6",
        severity: Severity::Warning,
        explanation: "Part of the input could not be read.",
        fix: &["Paste the text again, complete."],
        patterns: &[],
    },
    RuleInfo {
        rule: Rule::InputLimit,
        section: "6",
        severity: Severity::Warning,
        explanation: "The input is larger than the analysis reads; the rest was not looked at.",
        fix: &["Paste only the server's chain, the trust store and the error message."],
        patterns: &[],
    },
    RuleInfo {
        rule: Rule::InputChainNeeded,
        section: "6",
        severity: Severity::Warning,
        explanation: "The text shows that a certificate check failed (PKIX path building failed, certificate verify failed) but holds no certificate, so the cause cannot be named yet: most often an intermediate certificate is missing; it can also be an untrusted private root or a self-signed server certificate.",
        fix: &["Collect the chain: openssl s_client -connect HOST:993 -showcerts </dev/null (or -connect HOST:143 -starttls imap) and paste the whole output here.", "Import the certificate the analysis names: Configuration → Certificates → Import CA cert, starting from the root.", "Check that IMAP Settings → Certificate authentication uses the MailArchiva certificate store."],
        patterns: &["certificate verify failed", "certificate verification failed", "unable to get local issuer certificate", "the remote certificate is invalid"],
    },
    RuleInfo {
        rule: Rule::DataCatalogueAge,
        section: "6",
        severity: Severity::Info,
        explanation: "The bundled catalogue of public intermediate certificates is more than 90 days older than the analysis; newer intermediates may be missing from it.",
        fix: &["Use a newer imap-doctor release (or run scripts/refresh-intermediates)."],
        patterns: &[],
    },
];
