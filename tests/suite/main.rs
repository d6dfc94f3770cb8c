//! The integration tests, one binary (as mdBook's `testsuite`): a module per feature.
//!
//! Tests that need a tool (Chromium, Node, Ruby) or `../shared` are `#[ignore]`d with
//! the reason: `cargo test` lists them as ignored, and `cargo test -- --include-ignored`
//! (what `.ci/run` runs) runs them; there a missing tool skips the test with a message,
//! or fails it under `CI=true`.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod e2e;
mod errors;
mod escaping;
mod golden;
mod hostile;
mod init;
mod layers;
mod lazy;
mod machine;
mod new;
mod newcomer;
mod openapi;
mod oracle;
mod properties;
mod readme;
mod redcarpet;
mod release;
mod serve;
mod single_file;
mod site;
mod site_search;
mod split;
mod subpath;
