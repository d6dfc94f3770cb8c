//! Loading a project: the source folder walked ([`source`]), each page's settings
//! ([`frontmatter`]), Middleman's languages, translations and `config.rb` ([`i18n`],
//! read with [`ruby`]), ERB pages expanded ([`erb`]), and where every page and file
//! goes ([`plan`]).

pub mod erb;
pub mod frontmatter;
pub mod i18n;
pub mod plan;
pub mod ruby;
pub mod settings;
pub mod site;
pub mod source;
