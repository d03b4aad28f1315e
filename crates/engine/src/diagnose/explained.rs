//! Which recognised error lines another piece of evidence already
//! explains, as one table: (the rules explained, what explains them, where
//! the explanation must be). An explained line is left out of the
//! findings; the line that explains it is reported instead.

use crate::input::errtext::Hit;
use crate::rules::Rule;

/// What can explain a line.
#[derive(Clone, Copy, Debug)]
enum By {
    /// A line recognised as this rule.
    Rule(Rule),
    /// A line recognised as any rule of this family (`"tls."`).
    Family(&'static str),
    /// The server's OK to STARTTLS.
    StarttlsAccepted,
}

/// Where the explanation must be, relative to the line it explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// On the same line of the same input.
    Line,
    /// Anywhere in the inputs.
    Anywhere,
    /// On a later line.
    Later,
}

struct ExplainedBy {
    rules: &'static [Rule],
    by: &'static [By],
    scope: Scope,
}

const LOGIN_FAILURE: &[Rule] = &[Rule::ImapAuthFailed, Rule::OauthAuthenticateFailed];

const EXPLAINED_BY: &[ExplainedBy] = &[
    // Microsoft's "basic authentication is disabled" explains every login
    // failure of the paste, not only the one on its line.
    ExplainedBy {
        rules: LOGIN_FAILURE,
        by: &[By::Rule(Rule::M365BasicAuthDisabled)],
        scope: Scope::Anywhere,
    },
    // An Entra error means no token was issued: the "authentication
    // failed" exception around it (MSAL, Azure.Identity) is that token
    // request failing, not a password refused by the IMAP server.
    ExplainedBy {
        rules: &[Rule::ImapAuthFailed],
        by: &[By::Rule(Rule::OauthAadsts)],
        scope: Scope::Anywhere,
    },
    // A transport failure explains the login failure printed beside it.
    ExplainedBy {
        rules: LOGIN_FAILURE,
        by: &[By::Family("tls."), By::Family("net.")],
        scope: Scope::Line,
    },
    // "certificate verify failed" asks for the chain only when the same
    // line does not already say why (expired, self-signed, host name).
    ExplainedBy {
        rules: &[Rule::InputChainNeeded],
        by: &[
            By::Family("chain."),
            By::Family("host."),
            By::Family("tls."),
        ],
        scope: Scope::Line,
    },
    // "failed to connect … ENETUNREACH": the specific network cause wins
    // over the generic timeout on the same line.
    ExplainedBy {
        rules: &[Rule::NetTimeout],
        by: &[
            By::Rule(Rule::NetUnreachable),
            By::Rule(Rule::NetRefused),
            By::Rule(Rule::NetDns),
        ],
        scope: Scope::Line,
    },
    // LOGINDISABLED before a STARTTLS the server accepted is the normal
    // plaintext greeting, not the cause.
    ExplainedBy {
        rules: &[Rule::ImapLoginDisabled],
        by: &[By::StarttlsAccepted],
        scope: Scope::Later,
    },
];

/// One piece of evidence that may explain a line: what it is and where.
struct Seen<'a> {
    rule: Option<Rule>,
    input: Option<&'a str>,
    line: usize,
}

impl By {
    fn matches(self, s: &Seen<'_>) -> bool {
        match (self, s.rule) {
            (By::Rule(r), Some(seen)) => r == seen,
            (By::Family(f), Some(seen)) => seen.id().starts_with(f),
            (By::StarttlsAccepted, None) => true,
            _ => false,
        }
    }
}

impl Scope {
    fn holds(self, input: &str, line: usize, s: &Seen<'_>) -> bool {
        match self {
            Scope::Line => s.line == line && s.input.is_none_or(|i| i == input),
            Scope::Anywhere => true,
            Scope::Later => s.line > line,
        }
    }
}

/// Leaves out every hit the table says other evidence explains, judged
/// against all the hits at once (an explained line may still explain
/// another). `starttls_ok`: the line of the server's OK to STARTTLS.
pub(super) fn drop_explained(hits: &mut Vec<(String, Hit)>, starttls_ok: Option<usize>) {
    let seen: Vec<Seen<'_>> = hits
        .iter()
        .map(|(input, h)| Seen {
            rule: Some(h.rule),
            input: Some(input.as_str()),
            line: h.line,
        })
        .chain(starttls_ok.map(|line| Seen {
            rule: None,
            input: None,
            line,
        }))
        .collect();
    let explained: Vec<bool> = hits
        .iter()
        .map(|(input, h)| {
            EXPLAINED_BY
                .iter()
                .filter(|e| e.rules.contains(&h.rule))
                .any(|e| {
                    seen.iter().any(|s| {
                        e.scope.holds(input, h.line, s) && e.by.iter().any(|b| b.matches(s))
                    })
                })
        })
        .collect();
    let mut k = 0;
    hits.retain(|_| {
        k += 1;
        !explained[k - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(rule: Rule, line: usize) -> (String, Hit) {
        (
            "paste".into(),
            Hit {
                rule,
                line,
                text: String::new(),
                code: None,
            },
        )
    }

    fn rules_left(mut hits: Vec<(String, Hit)>, starttls_ok: Option<usize>) -> Vec<Rule> {
        drop_explained(&mut hits, starttls_ok);
        hits.into_iter().map(|(_, h)| h.rule).collect()
    }

    #[test]
    fn an_entra_error_explains_an_authentication_exception_but_not_an_imap_no() {
        assert_eq!(
            rules_left(
                vec![hit(Rule::ImapAuthFailed, 7), hit(Rule::OauthAadsts, 3)],
                None
            ),
            [Rule::OauthAadsts]
        );
        // A server's NO to XOAUTH2 is its own finding even beside an AADSTS line.
        assert_eq!(
            rules_left(
                vec![
                    hit(Rule::OauthAuthenticateFailed, 7),
                    hit(Rule::OauthAadsts, 3)
                ],
                None
            ),
            [Rule::OauthAuthenticateFailed, Rule::OauthAadsts]
        );
    }

    #[test]
    fn each_row_explains_only_in_its_scope() {
        // Basic auth off anywhere explains a login failure anywhere.
        assert_eq!(
            rules_left(
                vec![
                    hit(Rule::ImapAuthFailed, 9),
                    hit(Rule::M365BasicAuthDisabled, 2)
                ],
                None
            ),
            [Rule::M365BasicAuthDisabled]
        );
        // A transport failure explains a login failure on its line only.
        assert_eq!(
            rules_left(
                vec![hit(Rule::ImapAuthFailed, 3), hit(Rule::NetRefused, 3)],
                None
            ),
            [Rule::NetRefused]
        );
        assert_eq!(
            rules_left(
                vec![hit(Rule::ImapAuthFailed, 3), hit(Rule::NetRefused, 4)],
                None
            ),
            [Rule::ImapAuthFailed, Rule::NetRefused]
        );
        // The same line number in another input is another line.
        let mut other = hit(Rule::NetRefused, 3);
        other.0 = "log2".into();
        assert_eq!(
            rules_left(vec![hit(Rule::ImapAuthFailed, 3), other], None),
            [Rule::ImapAuthFailed, Rule::NetRefused]
        );
        // A specific cause on the line keeps the chain request out.
        assert_eq!(
            rules_left(
                vec![hit(Rule::InputChainNeeded, 5), hit(Rule::ChainExpired, 5)],
                None
            ),
            [Rule::ChainExpired]
        );
        // An explained line may still explain another: the timeout is
        // explained by ENETUNREACH, and both explain the login failure.
        assert_eq!(
            rules_left(
                vec![
                    hit(Rule::NetTimeout, 7),
                    hit(Rule::NetUnreachable, 7),
                    hit(Rule::ImapAuthFailed, 7)
                ],
                None
            ),
            [Rule::NetUnreachable]
        );
        // LOGINDISABLED before the accepted STARTTLS, not after it.
        assert_eq!(
            rules_left(
                vec![
                    hit(Rule::ImapLoginDisabled, 2),
                    hit(Rule::ImapLoginDisabled, 9)
                ],
                Some(4)
            ),
            [Rule::ImapLoginDisabled]
        );
        assert_eq!(
            rules_left(vec![hit(Rule::ImapLoginDisabled, 2)], None),
            [Rule::ImapLoginDisabled]
        );
    }
}
