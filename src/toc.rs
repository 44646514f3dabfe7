//! Render stage, a plan's table of contents: its sections (一、…), sub-sections (（一）…) and the
//! items under each, in document order, from the blocks extract found. Pure; no I/O.

use serde::Serialize;

use crate::document::Document;
use crate::extract::BlockKind;

/// A section (level-2 heading) or sub-section (level-3 heading). Items before the first heading
/// sit in a section without title or anchor.
#[derive(Debug, Default, Serialize)]
pub struct TocSection<'a> {
    pub title: Option<&'a str>,
    pub anchor: Option<&'a str>,
    pub items: Vec<TocItem<'a>>,
    /// Always empty in a sub-section.
    pub subsections: Vec<TocSection<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TocItem<'a> {
    pub number: u32,
    pub title: &'a str,
}

/// The plan's sections with their items; one untitled section when the plan has no headings.
pub fn plan_toc(doc: &Document) -> Vec<TocSection<'_>> {
    let mut toc: Vec<TocSection<'_>> = Vec::new();
    for block in &doc.blocks {
        match block.kind {
            BlockKind::Heading(2) => toc.push(TocSection { title: Some(&block.text), anchor: Some(&block.anchor), ..Default::default() }),
            BlockKind::Heading(3) => last(&mut toc).subsections.push(TocSection { title: Some(&block.text), anchor: Some(&block.anchor), ..Default::default() }),
            BlockKind::Item(n) => {
                let Some(item) = doc.items.iter().find(|i| i.number == n) else { continue };
                let section = last(&mut toc);
                let items = match section.subsections.last_mut() {
                    Some(sub) => &mut sub.items,
                    None => &mut section.items,
                };
                items.push(TocItem { number: n, title: &item.title });
            }
            _ => {}
        }
    }
    toc
}

fn last<'t, 'a>(toc: &'t mut Vec<TocSection<'a>>) -> &'t mut TocSection<'a> {
    if toc.is_empty() {
        toc.push(TocSection::default());
    }
    toc.last_mut().expect("just pushed")
}
