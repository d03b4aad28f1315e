//! The `powershell.*` rules: what Exchange / Entra PowerShell output says
//! about the session the admin ran the setup steps in. KB section, severity,
//! wording, fix and the error-text patterns that point to each.

use super::{Rule, RuleInfo, Severity};

pub(super) const RULES: &[RuleInfo] = &[RuleInfo {
    rule: Rule::PowershellCmdletNotAvailable,
    section: "4",
    severity: Severity::Error,
    explanation: "PowerShell does not know the cmdlet: Exchange cmdlets (Test-ImapConnectivity, Get-ImapSettings, Set-CASMailbox, New-ServicePrincipal, Add-MailboxPermission) exist only in the Exchange Management Shell on an Exchange server, or after Connect-ExchangeOnline for Exchange Online; plain Windows PowerShell has none of them.",
    fix: &[
        "Exchange on-premises: run the command in the Exchange Management Shell on the Exchange server (or a machine with the Exchange management tools).",
        "Exchange Online: Install-Module ExchangeOnlineManagement, then Connect-ExchangeOnline with an admin account, and run the command in that session.",
        "Exchange Online offers a session only the cmdlets its admin's roles allow: New-ServicePrincipal and Add-MailboxPermission need an Exchange administrator (Organization Management); connect with such an account.",
        "Some cmdlets exist only on-premises (Test-ImapConnectivity, Get-ImapSettings): for Exchange Online use Get-CASMailbox and the archiver's own connection test instead.",
    ],
    patterns: &["is not recognized as the name of a cmdlet", "is not recognized as a name of a cmdlet"],
}];
