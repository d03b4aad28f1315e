//! The engine's integration tests, one binary (one link) for all of them.

mod capture;
mod corpus;
mod diagnosis;
mod ecdsa;
mod error_texts;
mod hostile;
mod inputs;
mod jdk_profiles;
mod keystores;
mod no_panic;
mod revoked;
mod roots;
mod rsa;
mod rule_coverage;
mod scenarios;
mod settings;
