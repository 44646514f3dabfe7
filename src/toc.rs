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
            BlockKind::Heading(3) => {
                last(&mut toc).subsections.push(TocSection { title: Some(&block.text), anchor: Some(&block.anchor), ..Default::default() })
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(body: &str) -> Document {
        crate::document::test_plan("x", body)
    }

    #[test]
    fn items_sit_under_their_section_and_sub_section() {
        let doc = plan("引言。\n\n## 一、甲\n\n1. 子一。\n\n### （一）乙\n\n2. 子二。\n\n3. 子三。\n\n## 二、丙\n\n4. 子四。\n");
        let toc = plan_toc(&doc);
        let titles: Vec<_> = toc.iter().map(|s| s.title).collect();
        assert_eq!(titles, [Some("一、甲"), Some("二、丙")]);
        assert_eq!(toc[0].items.iter().map(|i| (i.number, i.title)).collect::<Vec<_>>(), [(1, "子一")]);
        assert_eq!(toc[0].subsections[0].title, Some("（一）乙"));
        assert_eq!(toc[0].subsections[0].items.iter().map(|i| i.number).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(toc[1].items.iter().map(|i| i.number).collect::<Vec<_>>(), [4]);
    }

    #[test]
    fn a_plan_without_headings_has_one_untitled_section() {
        let doc = plan("1. 子一。\n\n2. 子二。\n");
        let toc = plan_toc(&doc);
        assert_eq!(toc.len(), 1);
        assert_eq!(toc[0].title, None);
        assert_eq!(toc[0].items.len(), 2);
    }
}
