//! Blocks of a Markdown body: headings, paragraphs and list items, each with the anchor it
//! gets on its page. The extractor and the renderer walk the same events with the same
//! [`BlockTracker`], so an anchor computed here is the `id` the page carries.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::cjk::joins_without_space;
use crate::markdown::without_paired_bold;

/// Markdown extensions planport enables everywhere (tables and strikethrough; no raw HTML
/// is trusted, it is sanitized when rendered).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// What kind of block opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// An item of a top-level ordered list in a plan: a numbered item of accountability.
    Item(u32),
    Heading(u8),
    /// A paragraph, or an item of any other list.
    Passage,
}

/// The anchor rule: `item-<n>` for plan items, `sec-<k>` for headings, `p-<k>` for the rest.
#[derive(Debug)]
pub struct BlockTracker {
    numbered_items: bool,
    /// Stack of open lists: `Some(next number)` for ordered lists.
    lists: Vec<Option<u64>>,
    item_depth: usize,
    passages: usize,
    headings: usize,
}

impl BlockTracker {
    /// `numbered_items`: top-level ordered list items are plan items (plans only).
    pub fn new(numbered_items: bool) -> Self {
        BlockTracker { numbered_items, lists: Vec::new(), item_depth: 0, passages: 0, headings: 0 }
    }

    /// Feed every event in order; returns the block that this event opens, with its anchor.
    pub fn on_event(&mut self, event: &Event<'_>) -> Option<(BlockKind, String)> {
        match event {
            Event::Start(Tag::List(start)) => {
                self.lists.push(*start);
                None
            }
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
                None
            }
            Event::Start(Tag::Item) => {
                self.item_depth += 1;
                let top_level_ordered = self.lists.len() == 1 && self.item_depth == 1;
                let number = self.lists.last_mut().and_then(|l| l.as_mut()).map(|n| {
                    let current = *n;
                    *n += 1;
                    current
                });
                match number {
                    Some(n) if top_level_ordered && self.numbered_items => {
                        let n = u32::try_from(n).unwrap_or(u32::MAX);
                        Some((BlockKind::Item(n), format!("item-{n}")))
                    }
                    _ if self.item_depth == 1 => Some(self.passage()),
                    _ => None,
                }
            }
            Event::End(TagEnd::Item) => {
                self.item_depth -= 1;
                None
            }
            Event::Start(Tag::Paragraph) if self.item_depth == 0 => Some(self.passage()),
            Event::Start(Tag::Heading { level, .. }) => {
                self.headings += 1;
                Some((BlockKind::Heading(heading_level(*level)), format!("sec-{}", self.headings)))
            }
            _ => None,
        }
    }

    fn passage(&mut self) -> (BlockKind, String) {
        self.passages += 1;
        (BlockKind::Passage, format!("p-{}", self.passages))
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// One block with its plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub anchor: String,
    /// Plain text: Markdown markup gone, soft breaks between Chinese characters joined. Shared
    /// with the plan item the block is, and with the blocks below a heading as their section.
    pub text: Arc<str>,
    /// Byte range of the block in the body.
    pub span: Range<usize>,
    /// Text of the nearest level-2 heading above (the section), if any.
    pub section: Option<Arc<str>>,
}

/// A link of a body to a page of the site (`/…` or `#…`), for checking that it resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLink {
    /// Where it points, as written (`/plans/x/#item-5`, `#p-3`).
    pub dest: String,
    /// Byte range of the link in the body.
    pub span: Range<usize>,
}

impl SiteLink {
    fn of(event: &Event, span: &Range<usize>) -> Option<SiteLink> {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('/') || dest_url.starts_with('#') => {
                Some(SiteLink { dest: dest_url.to_string(), span: span.clone() })
            }
            _ => None,
        }
    }
}

/// The links of a body to pages of the site, in document order.
pub fn site_links(body: &str) -> Vec<SiteLink> {
    Parser::new_ext(body, markdown_options()).into_offset_iter().filter_map(|(event, span)| SiteLink::of(&event, &span)).collect()
}

/// All blocks of a body, in document order.
pub fn blocks(body: &str, numbered_items: bool) -> Vec<Block> {
    blocks_and_links(body, numbered_items).0
}

/// [`blocks`], and [`site_links`] from the same parse.
pub fn blocks_and_links(body: &str, numbered_items: bool) -> (Vec<Block>, Vec<SiteLink>) {
    let mut links = Vec::new();
    let mut tracker = BlockTracker::new(numbered_items);
    let mut out: Vec<Block> = Vec::new();
    // Index into `out` of each open block, with the nesting depth at which it closes.
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut open_depths: Vec<usize> = Vec::new();
    // The text of each block while it is open (indexed like `out`).
    let mut texts: Vec<String> = Vec::new();
    let mut section: Option<Arc<str>> = None;
    let mut pending_break = false;
    // Adjacent text events, as the renderer merges them before it pairs `**` (and whether a line
    // break came before them): a run goes into the open blocks' texts when it ends.
    let mut run = String::new();
    let mut run_after_break: Option<bool> = None;
    // Code is shown as written: its `**` stay.
    let mut in_code = false;
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        if let Some(after_break) = run_after_break.filter(|_| !matches!(event, Event::Text(_))) {
            let text = if in_code { Cow::Borrowed(run.as_str()) } else { without_paired_bold(&run) };
            for &i in &open {
                push_text(&mut texts[i], &text, after_break);
            }
            run.clear();
            run_after_break = None;
        }
        links.extend(SiteLink::of(&event, &range));
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        if let Some((kind, anchor)) = tracker.on_event(&event) {
            out.push(Block { kind, anchor, text: Arc::default(), span: range.clone(), section: section.clone() });
            texts.push(String::new());
            open.push(out.len() - 1);
            open_depths.push(depth);
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if open_depths.last() == Some(&depth) {
                    open_depths.pop();
                    let i = open.pop().expect("open block");
                    let block = &mut out[i];
                    block.text = Arc::from(texts[i].trim());
                    texts[i] = String::new();
                    if block.kind == BlockKind::Heading(2) {
                        section = Some(block.text.clone());
                        block.section = section.clone();
                    }
                    pending_break = false;
                }
            }
            Event::Text(t) => {
                run_after_break.get_or_insert(pending_break);
                run.push_str(t);
                pending_break = false;
            }
            Event::Code(t) => {
                for &i in &open {
                    push_text(&mut texts[i], t, pending_break);
                }
                pending_break = false;
            }
            Event::SoftBreak | Event::HardBreak => pending_break = true,
            _ => {}
        }
    }
    (out, links)
}

fn push_text(buf: &mut String, text: &str, after_break: bool) {
    if after_break && !buf.is_empty() && !joins_without_space(buf.chars().last(), text.chars().next()) {
        buf.push(' ');
    }
    buf.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_links_are_the_links_to_the_site_with_their_spans() {
        let body = "见[第5项](/plans/x/#item-5)、[上文](#p-1)和[外站](https://example.org/)。\n\n1. [乙](/years/2023/)\n";
        let links = site_links(body);
        let found: Vec<(&str, &str)> = links.iter().map(|l| (l.dest.as_str(), &body[l.span.clone()])).collect();
        assert_eq!(found, [("/plans/x/#item-5", "[第5项](/plans/x/#item-5)"), ("#p-1", "[上文](#p-1)"), ("/years/2023/", "[乙](/years/2023/)")]);
        assert_eq!(blocks_and_links(body, true).1, links, "the same links from extract's pass");
    }

    #[test]
    fn plan_items_are_numbered_across_lists_by_their_start() {
        let body = "## 一、党建\n\n1. 甲。\n\n2. 乙。\n\n## 二、人才\n\n3. 丙。\n";
        let b = blocks(body, true);
        let items: Vec<_> = b.iter().filter(|b| matches!(b.kind, BlockKind::Item(_))).collect();
        assert_eq!(items.iter().map(|b| b.anchor.as_str()).collect::<Vec<_>>(), ["item-1", "item-2", "item-3"]);
        assert_eq!(items[2].section.as_deref(), Some("二、人才"));
        assert_eq!(&*items[2].text, "丙。");
    }

    #[test]
    fn soft_break_between_chinese_characters_is_no_space() {
        let b = blocks("科普\n中原 and\nmore", false);
        assert_eq!(&*b[0].text, "科普中原 and more");
    }

    #[test]
    fn reports_get_passage_anchors_for_list_items() {
        let b = blocks("导语。\n\n1. 甲。\n\n2. 乙。\n", false);
        let anchors: Vec<_> = b.iter().map(|b| b.anchor.as_str()).collect();
        assert_eq!(anchors, ["p-1", "p-2", "p-3"]);
    }

    #[test]
    fn bold_markup_is_not_in_the_text() {
        let b = blocks("7. **积极拓宽横向合作。**（责任部门：办公室）\n", true);
        assert_eq!(&*b[0].text, "积极拓宽横向合作。（责任部门：办公室）");
    }
}
