//! Plan items: the numbered list items of a plan, their title, and the departments their
//! annotation names.

use std::ops::Range;

use super::annotation::{label_matches, parse_annotation, Annotation};
use super::blocks::{blocks, Block, BlockKind};
use crate::model::{Attribution, CityId, ProgramLink};

/// One numbered item of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The official number (`5.` → 5), as the list numbers it.
    pub number: u32,
    /// The number written at the start of the item's line, if it is written there.
    pub written_number: Option<u32>,
    /// Text up to the first 。, without it.
    pub title: String,
    /// The whole item as plain text, annotation included: its block's text, shared.
    pub text: std::sync::Arc<str>,
    /// Index of the item's block in the document's blocks.
    pub block: usize,
    /// The annotation that ends the item; its spans point into `text`.
    pub annotation: Option<Annotation>,
    /// Byte spans in the body of the annotation's names, in the order of
    /// [`Annotation::names`] (for messages that point at a name).
    pub name_spans: Vec<Range<usize>>,
    /// Byte range of the item in the body.
    pub span: Range<usize>,
    /// Who answers for the item ([`crate::resolve`] fills this and the next two).
    pub attributions: Vec<Attribution>,
    /// Programs whose scope the item is in, by heading or by mention.
    pub programs: Vec<ProgramLink>,
    /// Cities its text names.
    pub cities: Vec<CityId>,
}

impl Item {
    /// The item's text without its annotation (for finding the cities and programs it names).
    pub fn text_without_annotation(&self) -> &str {
        match &self.annotation {
            Some(a) => &self.text[..a.span.start],
            None => &self.text,
        }
    }

    /// `责任部门` / `责任单位`, when the item has an annotation.
    pub fn annotation_label(&self) -> Option<&str> {
        self.annotation.as_ref().map(|a| a.label.as_str())
    }

    /// Names of the annotation with their group and their span in the body.
    pub fn named(&self) -> impl Iterator<Item = (usize, &str, Range<usize>)> {
        self.annotation.iter().flat_map(|a| a.names()).zip(&self.name_spans).map(|((g, n), s)| (g, n.text.as_str(), s.clone()))
    }
}

/// Items of a plan body, in document order.
pub fn extract_items(body: &str) -> Vec<Item> {
    items_from_blocks(body, &blocks(body, true))
}

/// Items among blocks already extracted from `body` (with numbered items).
pub fn items_from_blocks(body: &str, blocks: &[Block]) -> Vec<Item> {
    blocks.iter().enumerate().filter_map(|(b, block)| item_from_block(body, b, block)).collect()
}

fn item_from_block(body: &str, b: usize, block: &Block) -> Option<Item> {
    let BlockKind::Item(number) = block.kind else {
        return None;
    };
    let source = &body[block.span.clone()];
    let annotation = parse_annotation(&block.text);
    let name_spans = annotation.as_ref().map(|a| locate_names(source, block.span.start, a.names().map(|(_, n)| n.text.as_str()))).unwrap_or_default();
    let head = annotation.as_ref().map_or(&*block.text, |a| &block.text[..a.span.start]);
    let title = head.split('。').next().unwrap_or(head).trim().to_string();
    Some(Item {
        number,
        written_number: written_number(source),
        title,
        text: block.text.clone(),
        block: b,
        annotation,
        name_spans,
        span: block.span.clone(),
        attributions: Vec::new(),
        programs: Vec::new(),
        cities: Vec::new(),
    })
}

/// Find each name in the item's source after its annotation label, in order. A name may be
/// broken across a soft line break in the source (`医疗卫生机构` / `科协)`): the search runs on
/// the source with line breaks and the indentation after them taken out, mapped back to source
/// offsets, so a span always starts and ends on the name's first and last character.
fn locate_names<'a>(source: &str, offset: usize, names: impl Iterator<Item = &'a str>) -> Vec<Range<usize>> {
    let label = label_matches(source).last().map_or(0, |(i, _)| i);
    // (byte offset in source, char) of every character that is not a line break or the
    // indentation following one.
    let mut chars: Vec<(usize, char)> = Vec::new();
    let mut after_break = false;
    for (i, c) in source[label..].char_indices() {
        match c {
            '\n' | '\r' => after_break = true,
            ' ' | '\t' if after_break => {}
            _ => {
                after_break = false;
                chars.push((label + i, c));
            }
        }
    }
    let joined: String = chars.iter().map(|(_, c)| c).collect();
    // Byte offset in `joined` → index in `chars`.
    let mut char_at = Vec::with_capacity(joined.len());
    for (k, (_, c)) in chars.iter().enumerate() {
        char_at.extend(std::iter::repeat_n(k, c.len_utf8()));
    }
    let mut from = 0;
    names
        .map(|name| {
            match joined[from..].find(name) {
                Some(i) if !name.is_empty() => {
                    let (first, last) = (char_at[from + i], char_at[from + i + name.len() - 1]);
                    from += i + name.len();
                    let (start, (end, c)) = (chars[first].0, chars[last]);
                    offset + start..offset + end + c.len_utf8()
                }
                // Not found (the name was reassembled from markup): point at the label.
                _ => offset + label..offset + label,
            }
        })
        .collect()
}

fn written_number(source: &str) -> Option<u32> {
    let digits: String = source.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_has_number_title_and_departments() {
        let body = "5. 加大省内人才培育力度。举办青少年科技创新大赛。（责任部门：组织人事部、学会学术部，人才发展中心）\n";
        let items = extract_items(body);
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item.number, 5);
        assert_eq!(item.written_number, Some(5));
        assert_eq!(item.title, "加大省内人才培育力度");
        let names: Vec<_> = item.named().map(|(_, n, _)| n).collect();
        assert_eq!(names, ["组织人事部", "学会学术部", "人才发展中心"]);
        let (group, _, span) = item.named().nth(2).unwrap();
        assert_eq!((group, &body[span]), (1, "人才发展中心"));
    }

    #[test]
    fn annotation_broken_across_a_soft_line_break_is_still_parsed() {
        let body = "6. 加大省外人才引进力度。（责任部门：学会学术部，医疗卫生机构\n科协)\n";
        let item = &extract_items(body)[0];
        let names: Vec<_> = item.named().map(|(_, n, _)| n).collect();
        assert_eq!(names, ["学会学术部", "医疗卫生机构科协"]);
    }

    #[test]
    fn a_name_broken_across_a_line_spans_both_lines() {
        // Regression (bugs 1 and 9 of the fuzzing suite): a name split by a soft break made the
        // next search start inside a character and panic.
        let body = "6. 甲。（责任部门：学会服务中心、人才发展\n中心，各全省学会，医疗卫生机构\n科协)\n";
        let item = &extract_items(body)[0];
        let spans: Vec<&str> = item.named().map(|(_, _, s)| &body[s]).collect();
        assert_eq!(spans, ["学会服务中心", "人才发展\n中心", "各全省学会", "医疗卫生机构\n科协"]);
    }

    #[test]
    fn bold_that_the_page_shows_is_not_in_the_title_or_text() {
        // CommonMark leaves `**` after 。 followed by a letter unclosed; the page pairs them up
        // (markdown::push_bold_fixed), so the plain text must not show them either.
        let body = "3. **实施公民科学素质监测评估。**推动形成良好氛围，**完善**机制。（责任部门：科普部）\n";
        let item = &extract_items(body)[0];
        assert_eq!(item.title, "实施公民科学素质监测评估");
        assert_eq!(&*item.text, "实施公民科学素质监测评估。推动形成良好氛围，完善机制。（责任部门：科普部）");
        assert_eq!(item.named().map(|(_, n, _)| n).collect::<Vec<_>>(), ["科普部"]);
        // A third `**` (spaced, so CommonMark leaves it too) has no partner: the page shows it,
        // and so does the text.
        let body = "4. **加强。**推动 ** 项。\n";
        assert_eq!(&*extract_items(body)[0].text, "加强。推动 ** 项。");
        let html = crate::markdown::MarkdownRenderer::new().render(body, true, &Default::default());
        assert!(html.contains("<strong>加强。</strong>推动 ** 项。"), "{html}");
        // Code is shown as written, and so is its text.
        let body = "5. **加强。**推动：\n\n   ```\n   a ** b ** c\n   ```\n";
        assert_eq!(&*extract_items(body)[0].text, "加强。推动：a ** b ** c");
    }

    #[test]
    fn item_without_annotation_has_no_departments() {
        let item = &extract_items("1. 完善学会党建工作机制，实现党的组织全面覆盖。出台办法。\n")[0];
        assert_eq!(item.title, "完善学会党建工作机制，实现党的组织全面覆盖");
        assert!(item.named().next().is_none());
        assert_eq!(item.annotation_label(), None);
    }

    #[test]
    fn text_without_annotation_drops_only_the_annotation() {
        let item = &extract_items("7. 推进“一市一品”（濮阳）大会。（责任部门：学会学术部）\n")[0];
        assert_eq!(item.text_without_annotation(), "推进“一市一品”（濮阳）大会。");
    }
}
