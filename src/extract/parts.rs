//! The parts of a city report: work done, problems (存在的问题/不足), plans for next year
//! (打算/计划/下一步) and suggestions to the province (建议). Most reports give them headings
//! (`## 二、存在的问题和不足`); others fold them into a paragraph (焦作: `…但还存在工作创新不够
//! …等问题。下一步，…`) or a short run-in line (周口: `一点建议`). Both are read: headings set
//! the part, and within paragraphs a sentence that opens a part in the source's own words starts
//! it. Pure functions over the blocks.

use std::ops::Range;

use serde::Serialize;

use super::blocks::{Block, BlockKind};

/// What a part of a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartKind {
    Work,
    Problems,
    Plans,
    Suggestions,
}

impl PartKind {
    /// The parts that have a page gathering every city's (`/reports/<year>/problems/`).
    pub const GATHERED: [PartKind; 2] = [PartKind::Problems, PartKind::Suggestions];

    /// The title of that page, and the short name a link to it carries.
    pub fn gathered_names(self) -> (&'static str, &'static str) {
        match self {
            PartKind::Suggestions => ("各省辖市对省科协的建议", "各市的建议"),
            _ => ("各省辖市工作中存在的问题和不足", "各市存在的问题"),
        }
    }

    /// The part's anchor on the report page and its path segment: `problems`.
    pub fn slug(self) -> &'static str {
        match self {
            PartKind::Work => "work",
            PartKind::Problems => "problems",
            PartKind::Plans => "plans",
            PartKind::Suggestions => "suggestions",
        }
    }

    /// The part's name on the site.
    pub fn label(self) -> &'static str {
        match self {
            PartKind::Work => "工作情况",
            PartKind::Problems => "存在的问题和不足",
            PartKind::Plans => "下一步工作打算",
            PartKind::Suggestions => "对省科协的建议",
        }
    }
}

/// A run of text of one part inside one block: `blocks[block].text[range]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub block: usize,
    pub range: Range<usize>,
}

/// One part of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub kind: PartKind,
    /// A second kind its heading names (`2024年努力的方向和建议`: plans, and suggestions).
    pub also: Option<PartKind>,
    /// `problems`, or `problems-2` for a second part of one kind: derived from the part, not
    /// from its position, so editing an earlier paragraph does not move it.
    pub anchor: String,
    /// The block the anchor is set on: the part's heading, or the block where it starts.
    pub opener: usize,
    /// The text of the part, in order (headings and run-in titles are not part of it).
    pub pieces: Vec<Piece>,
}

impl Part {
    pub fn is(&self, kind: PartKind) -> bool {
        self.kind == kind || self.also == Some(kind)
    }
}

/// Parts of a report on `year`'s work, in document order.
pub fn report_parts(blocks: &[Block], year: i32) -> Vec<Part> {
    let next_year = format!("{}年", year + 1);
    let mut parts: Vec<Part> = Vec::new();
    let start = |parts: &mut Vec<Part>, kind: PartKind, also: Option<PartKind>, opener: usize| {
        if let Some(last) = parts.last_mut() {
            if last.also == Some(kind) {
                last.also = None; // the source separates what its heading joined
            }
        }
        parts.push(Part { kind, also, anchor: String::new(), opener, pieces: Vec::new() });
    };
    for (b, block) in blocks.iter().enumerate() {
        let current = parts.last().map(|p| p.kind);
        // A short line of its own that names a part (周口's `一点建议`, `工作打算：`) is a run-in
        // title; any other short line is text.
        let title = block.text.trim_end_matches(['：', ':']);
        let enumerated = title.starts_with(|c: char| c.is_ascii_digit()) || title.chars().nth(1) == Some('是');
        let is_run_in_title =
            block.kind == BlockKind::Passage && title.chars().count() <= 12 && !title.contains('。') && !enumerated && heading_kinds(title).is_some();
        if matches!(block.kind, BlockKind::Heading(_)) || is_run_in_title {
            match heading_kinds(&block.text) {
                Some((kind, also)) if current != Some(kind) || also.is_some() => start(&mut parts, kind, also, b),
                Some(_) => {}
                None if current.is_none() => start(&mut parts, PartKind::Work, None, b),
                None => {}
            }
            continue;
        }
        if block.kind != BlockKind::Passage && !matches!(block.kind, BlockKind::Item(_)) {
            continue;
        }
        for sentence in sentences(&block.text) {
            let current = parts.last().map(|p| p.kind);
            let text = &block.text[sentence.clone()];
            match sentence_opens(text, current.unwrap_or(PartKind::Work), &next_year) {
                Some(kind) if current != Some(kind) => start(&mut parts, kind, None, b),
                _ if current.is_none() => start(&mut parts, PartKind::Work, None, b),
                _ => {}
            }
            let part = parts.last_mut().expect("a part is open");
            match part.pieces.last_mut() {
                Some(p) if p.block == b && p.range.end == sentence.start => p.range.end = sentence.end,
                _ => part.pieces.push(Piece { block: b, range: sentence }),
            }
        }
    }
    parts.retain(|p| !p.pieces.is_empty());
    let mut seen: Vec<PartKind> = Vec::new();
    for part in &mut parts {
        let n = seen.iter().filter(|&&k| k == part.kind).count();
        seen.push(part.kind);
        part.anchor = if n == 0 { part.kind.slug().to_string() } else { format!("{}-{}", part.kind.slug(), n + 1) };
    }
    parts
}

/// The kinds a heading names, in the order it names them; `None` for a heading that names
/// none (a topic such as `一、突出政治属性，强化思想引领`).
fn heading_kinds(text: &str) -> Option<(PartKind, Option<PartKind>)> {
    const WORDS: [(PartKind, &[&str]); 4] = [
        (PartKind::Problems, &["问题", "不足"]),
        (PartKind::Plans, &["打算", "计划", "下一步", "下步", "方向", "思路"]),
        (PartKind::Suggestions, &["建议"]),
        (PartKind::Work, &["情况", "做法", "成效", "主要工作"]),
    ];
    let mut found: Vec<(usize, PartKind)> =
        WORDS.iter().filter_map(|(kind, words)| words.iter().filter_map(|w| text.find(w)).min().map(|at| (at, *kind))).collect();
    found.sort();
    // A heading that opens with the work (`工作情况及存在问题`) is work, and the text says where
    // the rest begins; one that names the work after another part is about that part.
    if found.first().is_some_and(|(_, k)| *k == PartKind::Work) {
        return Some((PartKind::Work, None));
    }
    found.retain(|(_, k)| *k != PartKind::Work);
    let mut kinds = found.into_iter().map(|(_, k)| k);
    let first = kinds.next()?;
    Some((first, kinds.next()))
}

/// The part a sentence opens in the source's words, if it opens one. Problems follow the work
/// they qualify, so they open only from the work part.
fn sentence_opens(sentence: &str, current: PartKind, next_year: &str) -> Option<PartKind> {
    let s = sentence.trim_start();
    // (`请省科协` only at the start: `邀请省科协…` is past work.)
    let suggestion = ["建议", "恳请", "请省科协"].iter().any(|w| s.starts_with(w)) || ["建议省", "希望省", "恳请省"].iter().any(|w| s.contains(w));
    if suggestion {
        return Some(PartKind::Suggestions);
    }
    // `2024年，我市将…` opens the plans; `2024年初，河南日报…` reports past work.
    let next_year_opening = [format!("{next_year}，"), format!("{next_year},")];
    let plans =
        ["下一步", "下步", "今后"].iter().any(|w| s.starts_with(w)) || next_year_opening.iter().any(|w| s.starts_with(w.as_str())) || s.contains("下一步，");
    if plans {
        return Some(PartKind::Plans);
    }
    const PROBLEM_OPENINGS: [&str; 10] =
        ["存在问题", "存在的问题", "存在的不足", "存在不少", "还存在", "存在以下", "不足之处", "一定差距", "不少差距", "存在差距"];
    if current == PartKind::Work && PROBLEM_OPENINGS.iter().any(|w| s.contains(w)) {
        return Some(PartKind::Problems);
    }
    None
}

/// Byte ranges of the sentences of `text`: each ends after 。！？ and the closing quotes or
/// brackets that follow; the rest of the text is a last sentence.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '。' | '！' | '？') {
            let mut end = i + c.len_utf8();
            while let Some(&(j, q)) = chars.peek() {
                if !matches!(q, '”' | '’' | '）' | '」' | '』' | ')') {
                    break;
                }
                end = j + q.len_utf8();
                chars.next();
            }
            out.push(start..end);
            start = end;
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push(start..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::blocks;

    fn parts_of(body: &str) -> Vec<(PartKind, String, Vec<String>)> {
        let b = blocks(body, false);
        report_parts(&b, 2023)
            .into_iter()
            .map(|p| (p.kind, p.anchor.clone(), p.pieces.iter().map(|x| b[x.block].text[x.range.clone()].to_string()).collect()))
            .collect()
    }

    #[test]
    fn headings_set_the_parts() {
        let parts = parts_of("导语。\n\n## 一、工作情况\n\n甲。\n\n## 二、存在的问题和不足\n\n经费少。\n\n## 三、下一步工作打算\n\n乙。\n\n## 四、有关建议\n\n1. 建议省科协多调研。\n");
        let kinds: Vec<_> = parts.iter().map(|(k, a, _)| (*k, a.as_str())).collect();
        assert_eq!(kinds, [(PartKind::Work, "work"), (PartKind::Problems, "problems"), (PartKind::Plans, "plans"), (PartKind::Suggestions, "suggestions")]);
        assert_eq!(parts[1].2, ["经费少。"]);
        assert_eq!(parts[3].2, ["建议省科协多调研。"]);
    }

    #[test]
    fn a_paragraph_that_folds_problems_and_plans_is_split_at_its_sentences() {
        // 焦作's last paragraph.
        let parts = parts_of("## 一、聚焦政治引领\n\n甲。\n\n一年来，虽然取得了一定成绩，但还存在工作创新不够等问题。下一步，市科协将以“会市合作”为重点。\n");
        assert_eq!(parts[1], (PartKind::Problems, "problems".into(), vec!["一年来，虽然取得了一定成绩，但还存在工作创新不够等问题。".to_string()]));
        assert_eq!(parts[2].0, PartKind::Plans);
    }

    #[test]
    fn a_run_in_title_opens_a_part() {
        // 周口: `一点建议` is a paragraph of its own.
        let parts = parts_of("工作。2024年初，报纸报道了我们。\n\n2024年，周口市科协将加大力度。\n\n一点建议\n\n建议省科协建立开放交流平台。\n");
        let kinds: Vec<_> = parts.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(kinds, [PartKind::Work, PartKind::Plans, PartKind::Suggestions]);
        assert_eq!(parts[2].2, ["建议省科协建立开放交流平台。"]);
    }

    #[test]
    fn a_heading_that_names_two_parts_gives_way_to_the_text() {
        // 鹤壁: `存在问题和下步打算`, then a paragraph with both.
        let b = blocks("## 二、存在问题和下步打算\n\n还存在不少问题。下一步，我们将推进。\n", false);
        let parts = report_parts(&b, 2023);
        assert_eq!((parts[0].kind, parts[0].also), (PartKind::Problems, None));
        assert_eq!(parts[1].kind, PartKind::Plans);
        // 开封: `努力的方向和建议` stays both.
        let b = blocks("## 三、2024年努力的方向和建议\n\n一要切实开展服务。\n", false);
        let parts = report_parts(&b, 2023);
        assert!(parts[0].is(PartKind::Plans) && parts[0].is(PartKind::Suggestions));
    }

    #[test]
    fn short_lines_are_text_unless_they_name_a_part() {
        // Review: a short problem line (`二是经费不足。`, or without its 。) stays in the quote.
        let parts = parts_of("## 二、存在的问题\n\n一是人员少\n\n二是经费不足\n\n工作打算：\n\n2024年，做好服务。\n");
        assert_eq!(parts[0].2, ["一是人员少", "二是经费不足"]);
        assert_eq!(parts[1].0, PartKind::Plans);
        // `邀请省科协领导出席` reports past work.
        let parts = parts_of("邀请省科协领导出席大会。\n");
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].0, PartKind::Work);
    }

    #[test]
    fn a_heading_that_opens_with_the_work_is_work() {
        let parts = parts_of("## 一、工作情况及存在问题\n\n做了甲。但还存在不足。\n");
        assert_eq!(parts.iter().map(|p| p.0).collect::<Vec<_>>(), [PartKind::Work, PartKind::Problems]);
    }

    #[test]
    fn sentences_keep_their_closing_quotes() {
        let text = "他说“好。”然后走了。余下";
        let s: Vec<_> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(s, ["他说“好。”", "然后走了。", "余下"]);
    }
}
