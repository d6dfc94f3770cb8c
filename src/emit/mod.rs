//! Turning rendered pages into the files of the site: the [`theme`] (layout and
//! assets), the page [`layout`], URLs resolved for any sub-path ([`resolver`]), the
//! [`search`] index, the files for machines ([`machine`]), `config.rb`'s
//! [`redirect`] pages, and `--single-file` inlining ([`single_file`]).

pub mod layout;
pub mod machine;
pub mod redirect;
pub mod resolver;
pub mod search;
pub mod single_file;
pub mod theme;
