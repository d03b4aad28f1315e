//! The command line's integration tests (the `imap-doctor` binary, the
//! probe against loopback servers), one binary for all of them.

mod cli;
mod corpus;
mod dovecot_tls;
mod hostile_servers;
mod java_client;
mod probe;
mod release;
mod support;
mod tls_scan;
mod token_endpoint;
