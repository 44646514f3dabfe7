//! Extract stage: from a parsed body to items, annotations, sections, report parts and
//! mentions. Pure functions, no I/O; [`crate::resolve`] then ties the names to the registries.

pub mod annotation;
pub mod blocks;
pub mod items;
pub mod mentions;
pub mod parts;
pub mod sections;

pub use annotation::{parse_annotation, Annotation, Name};
pub use blocks::{blocks, blocks_and_links, markdown_options, site_links, Block, BlockKind, BlockTracker, SiteLink};
pub use items::{extract_items, items_from_blocks, Item};
pub use mentions::Matcher;
pub use parts::{report_parts, Part, PartKind, Piece};
pub use sections::{enclosing, sections, Section};
