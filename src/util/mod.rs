//! Helpers every stage uses, depending on nothing else of shale: URLs and paths
//! ([`url`]), HTML escaping ([`escape`]), scanning HTML ([`html_scan`]), and the time
//! of each build phase ([`timing`]).

pub mod escape;
pub mod html_scan;
pub mod kept;
pub mod timing;
pub mod url;
