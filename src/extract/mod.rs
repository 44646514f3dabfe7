//! Extract stage: from a parsed body to items, annotations and mentions. Pure functions, no I/O.

pub mod annotation;
pub mod blocks;
pub mod items;
pub mod mentions;

pub use annotation::{parse_annotation, Annotation};
pub use blocks::{blocks, markdown_options, Block, BlockKind, BlockTracker};
pub use items::{extract_items, items_from_blocks, Item};
pub use mentions::Matcher;
