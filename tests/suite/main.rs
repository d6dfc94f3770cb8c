//! The integration tests, one binary (as mdBook's `testsuite`): a module per feature.
//! Tests that need a tool (Chromium, Node, Ruby) or `../shared` are `#[ignore]`d with
//! the reason; `.ci/run` runs them with `--include-ignored`, where a missing tool fails.

#[path = "../common/mod.rs"]
mod common;

mod layers;
