//! shale: builds Slate API documentation (`source/` folders written for Slate) into a
//! static three-column site.
//!
//! The tree reads as the data flows (docs/architecture.md has the map):
//!
//! - [`load`] walks the source folder, reads front matter, Middleman's languages and
//!   `config.rb`, runs ERB, and plans where each page and file goes;
//! - [`markdown`] renders Slate's markdown dialect (a port of redcarpet) with Slate's
//!   heading ids, and [`highlight`] colours its code blocks as Rouge does;
//! - [`openapi`] turns an OpenAPI or Swagger spec into Slate markdown (`shale import`,
//!   and pages whose front matter names a spec);
//! - [`page`] reads a page and its includes, renders each, and assembles them: ids made
//!   unique, checks, code, the table of contents;
//! - [`emit`] turns a rendered page into files: the theme's layout, URLs resolved, the
//!   search index, machine-readable files, redirects, `--single-file` inlining;
//! - [`output`] writes the site atomically (or into memory for `serve`);
//! - [`mod@build`] runs it all: [`build::Site`] owns what was loaded and builds it;
//! - [`serve`] previews it live, with [`watch`]; [`scaffold`] starts a new project (or
//!   adds shale to a Slate repository); [`deploy`] pushes the site to `gh-pages`.
//!
//! [`util`] (URLs, escaping, HTML scanning, timings) and [`error`] (what the author is
//! told) sit under everything. No module imports one of a later stage: the test
//! `layers` in `tests/suite` checks it.

pub mod error;
pub mod util;

pub mod output;

pub mod load;

pub mod highlight;
pub mod markdown;
pub mod openapi;

pub mod page;

pub mod emit;

pub mod build;

pub mod deploy;
pub mod scaffold;
pub mod serve;
pub mod watch;

pub use build::{build, BuildOptions, BuildSummary};
pub use error::Diagnostic;
pub use util::timing::Timings;
