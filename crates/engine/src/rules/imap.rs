//! The `imap.*` rules: KB section, severity, wording,
//! fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[
    RuleInfo {
        rule: Rule::ImapNotImap,
        section: "3",
        severity: Severity::Error,
        explanation: "The server's greeting is not IMAP (POP3, SMTP or HTTP): the port is wrong.",
        fix: &["Use the IMAP port: 993 for SSL/TLS, 143 for STARTTLS."],
        patterns: &[],
    },
    RuleInfo {
        rule: Rule::ImapLoginDisabled,
        section: "3",
        severity: Severity::Error,
        explanation: "The server advertises LOGINDISABLED and no AUTH= mechanism the archiver can use on this connection (JavaMail: No login methods supported!).",
        fix: &["Use SSL/TLS (993) or STARTTLS (143) so the server allows the login.", "Or change Exchange's IMAP login type: Set-ImapSettings -LoginType PlainTextLogin, then restart the IMAP4 services."],
        patterns: &["no login methods supported", "no such login method", "logindisabled"],
    },
    RuleInfo {
        rule: Rule::ImapNoStarttls,
        section: "3",
        severity: Severity::Error,
        explanation: "STARTTLS mode was chosen but the server does not offer STARTTLS (JavaMail: STARTTLS required but not supported by server).",
        fix: &["Use SSL/TLS on port 993, or enable STARTTLS on the server."],
        patterns: &["starttls required but not supported by server"],
    },
    RuleInfo {
        rule: Rule::ImapAuthFailed,
        section: "3",
        severity: Severity::Error,
        explanation: "The server rejects the user name or password.",
        fix: &["Check the user name format (DOMAIN\\user, user@domain, or the journal mailbox alias) and the password."],
        patterns: &["login failed", "[authenticationfailed]", "authenticationfailedexception", "invalid credentials"],
    },
    RuleInfo {
        rule: Rule::ImapConnectionDropped,
        section: "3",
        severity: Severity::Error,
        explanation: "The server closed the connection during the session.",
        fix: &["Check the server's IMAP logs and connection limits; retry with fewer parallel connections."],
        patterns: &["connection dropped by server"],
    },
    RuleInfo {
        rule: Rule::ImapNotConnected,
        section: "3",
        severity: Severity::Error,
        explanation: "Exchange Online accepted the login but cannot open the mailbox: the app has no FullAccess on it, or IMAP is disabled for it (BAD User is authenticated but not connected).",
        fix: &["Grant the app's service principal FullAccess: Add-MailboxPermission -Identity <journal mailbox> -User <enterprise app object id> -AccessRights FullAccess.", "Enable IMAP for the mailbox: Set-CASMailbox -Identity <journal mailbox> -ImapEnabled $true."],
        patterns: &["user is authenticated but not connected"],
    },
    RuleInfo {
        rule: Rule::ImapInsecureLoginRefused,
        section: "3",
        severity: Severity::Warning,
        explanation: "The probe did not send the credentials because TLS was not established or the chain is not trusted: the archiver's Java would not either (unless starttls.required is off, when it would send them in clear).",
        fix: &["Fix the TLS or chain finding first, then probe again."],
        patterns: &[],
    },
    RuleInfo {
        rule: Rule::ImapStepDeadline,
        section: "3",
        severity: Severity::Error,
        explanation: "The server did not finish a step (greeting, CAPABILITY, STARTTLS, handshake, login) within its deadline.",
        fix: &["Check the server's load and any proxy or firewall that holds connections open."],
        patterns: &[],
    },
    RuleInfo {
        rule: Rule::ImapAppPasswordRequired,
        section: "3",
        severity: Severity::Error,
        explanation: "The provider refuses the account password over IMAP and asks for an app password or OAuth (Gmail: Application-specific password required).",
        fix: &["Create an app password for the account, or configure OAuth."],
        patterns: &[],
    },
];
