//! Turning rendered pages into the files of the site: the [`theme`] (layout and
//! assets), the page [`layout`], URLs resolved for any sub-path ([`resolver`]), the
//! [`search`] index, the files for machines ([`machine`]), `config.rb`'s
//! [`redirect`] pages; [`page`] makes a rendered page's files.
//!
//! How the files reach the output is chosen once per build, as an [`Emitter`]
//! ([`emitter`]): as they are, or with `--single-file` inlined into the pages that use
//! them ([`single_file`]).

pub mod chunks;
pub mod emitter;
pub mod layout;
pub mod machine;
pub mod page;
pub mod redirect;
pub mod resolver;
pub mod search;
pub mod single_file;
pub mod theme;

pub use emitter::{AsIs, Emitter, PageSource};
