//! Sections of a document: its headings (`## 一、…`, `### （一）…`) as a tree, so that an item
//! knows every heading it stands under.

use super::blocks::{Block, BlockKind};

/// One heading and the blocks under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Index of the heading in the document's blocks.
    pub block: usize,
    pub level: u8,
    pub title: String,
    pub anchor: String,
    /// The enclosing section (a `###` under a `##`).
    pub parent: Option<usize>,
}

/// Sections in document order, and for each block the innermost section it stands in.
pub fn sections(blocks: &[Block]) -> (Vec<Section>, Vec<Option<usize>>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut of_block = Vec::with_capacity(blocks.len());
    for (b, block) in blocks.iter().enumerate() {
        if let BlockKind::Heading(level) = block.kind {
            while open.last().is_some_and(|&s| sections[s].level >= level) {
                open.pop();
            }
            sections.push(Section { block: b, level, title: block.text.to_string(), anchor: block.anchor.clone(), parent: open.last().copied() });
            open.push(sections.len() - 1);
        }
        of_block.push(open.last().copied());
    }
    (sections, of_block)
}

/// The section and every section around it, innermost first.
pub fn enclosing(sections: &[Section], innermost: Option<usize>) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(innermost, |&s| sections[s].parent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::blocks;

    #[test]
    fn sub_sections_nest_under_their_section() {
        let b = blocks("## 一、甲\n\n### （一）乙\n\n1. 丙。\n\n## 二、丁\n\n2. 戊。\n", true);
        let (sections, of_block) = sections(&b);
        assert_eq!(sections.iter().map(|s| (s.title.as_str(), s.parent)).collect::<Vec<_>>(), [("一、甲", None), ("（一）乙", Some(0)), ("二、丁", None)]);
        let item = b.iter().position(|x| &*x.text == "丙。").unwrap();
        assert_eq!(enclosing(&sections, of_block[item]).collect::<Vec<_>>(), [1, 0]);
        let last = b.iter().position(|x| &*x.text == "戊。").unwrap();
        assert_eq!(of_block[last], Some(2));
    }
}
