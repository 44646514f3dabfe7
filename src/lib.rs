//! planport: a static-site generator for public work-plan portals.
//!
//! The pipeline runs one way: [`load`] (walk content/) → [`document`] (front-matter + body) →
//! [`extract`] (items, annotations, mentions) → [`index`] (the cross-link index, built once)
//! → [`render`] (tera, in parallel) and [`search`] (the static search index) → [`write`]
//! (atomic swap of output/).
//! [`check`] is the validation both `check` and `build` run, [`lint`] what they warn about; [`import`] turns official raw text
//! into content.

pub mod check;
pub mod cjk;
mod default_theme;
pub mod diagnostics;
pub mod document;
pub mod extract;
pub mod front_matter;
pub mod import;
pub mod incremental;
pub mod index;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod model;
pub mod permalink;
pub mod publish;
pub mod registry;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod toc;
pub mod write;
pub mod yaml;

pub use diagnostics::{Diagnostic, Report, Severity};
