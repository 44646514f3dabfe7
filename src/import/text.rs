//! Raw official text → paragraphs: one paragraph per non-empty line, then the paragraphs that a
//! PDF page break cut in two are joined again. Nothing is reworded; only spaces that are
//! extraction artifacts are removed ([`crate::cjk::normalize_spaces`]).

use crate::cjk::{is_cjk_punct, normalize_spaces};

/// A paragraph of raw text with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub text: String,
    pub line: usize,
}

/// Every non-empty line, spaces normalised.
pub fn read_lines(raw: &str) -> Vec<Para> {
    raw.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let text = normalize_spaces(l.trim_start_matches('\u{feff}'));
            (!text.is_empty()).then_some(Para { text, line: i + 1 })
        })
        .collect()
}

/// How a paragraph opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Marker {
    /// `一、`
    Chapter,
    /// `（一）` or `(一)`
    Section,
    /// `5.` `5．` — a numbered item
    Number(u32),
    /// `一是` … `十是`: an enumeration in running text, which always opens a new paragraph
    Enumeration,
}

const NUMERALS: &str = "一二三四五六七八九十";

/// The marker a paragraph starts with, and the byte length of the marker (spaces included).
pub fn marker(text: &str) -> Option<(Marker, usize)> {
    let numeral_run = |s: &str| s.char_indices().take_while(|(_, c)| NUMERALS.contains(*c)).last().map(|(i, c)| i + c.len_utf8());
    if let Some(n) = numeral_run(text) {
        let rest = &text[n..];
        if rest.starts_with('、') {
            return Some((Marker::Chapter, n + '、'.len_utf8()));
        }
        if rest.starts_with('是') && n <= 6 {
            return Some((Marker::Enumeration, 0));
        }
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = text.strip_prefix(open) {
            if let Some(n) = numeral_run(rest) {
                if let Some(after) = rest[n..].strip_prefix(close) {
                    let lead = after.len() - after.trim_start().len();
                    return Some((Marker::Section, text.len() - after.len() + lead));
                }
            }
        }
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &text[digits..];
        if let Some(after) = rest.strip_prefix('.').or_else(|| rest.strip_prefix('．')) {
            // `12.7 万名` is a number, not an item.
            if !after.starts_with(|c: char| c.is_ascii_digit()) {
                let lead = after.len() - after.trim_start().len();
                let n = text[..digits].parse().ok()?;
                return Some((Marker::Number(n), text.len() - after.len() + lead));
            }
        }
    }
    None
}

/// Whether paragraphs opening with this kind of marker are run-in (heading and text in one
/// paragraph, `（一）聚焦团结引领主责，…。在中南大学…`) rather than standalone headings, judged
/// by the majority of such paragraphs in the same document.
#[derive(Debug, Default)]
pub struct MarkerStyle {
    run_in: std::collections::HashMap<std::mem::Discriminant<Marker>, (usize, usize)>,
}

impl MarkerStyle {
    pub fn of(paras: &[Para]) -> Self {
        let mut style = MarkerStyle::default();
        for p in paras {
            if let Some((m, _)) = marker(&p.text) {
                let e = style.run_in.entry(std::mem::discriminant(&m)).or_default();
                if p.text.contains('。') {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
        }
        style
    }

    fn is_run_in(&self, m: Marker) -> bool {
        let (run_in, standalone) = self.run_in.get(&std::mem::discriminant(&m)).copied().unwrap_or_default();
        run_in > standalone
    }
}

/// Join paragraphs that a page break split. See [`continues`] for the rule.
pub fn join_page_breaks(paras: Vec<Para>) -> Vec<Para> {
    let style = MarkerStyle::of(&paras);
    let mut out: Vec<Para> = Vec::with_capacity(paras.len());
    for p in paras {
        match out.last_mut() {
            Some(prev) if continues(prev, &p, &style) => prev.text.push_str(&p.text),
            _ => out.push(p),
        }
    }
    out
}

/// Does `next` continue `prev` across a page break?
///
/// - never when `next` opens with a marker (`一、` `（一）` `5.` `一是`);
/// - never when `prev` ends a sentence (。！？) or introduces (：);
/// - always when `prev` ends mid-sentence (，、；“《（ or an opening bracket);
/// - a paragraph with a marker continues when it is run-in (holds a 。, or its siblings do);
///   a standalone heading (`（一）持续宣传贯彻《科协条例》和“科普十条”`) does not;
/// - a short line with no punctuation at all (`一点建议`) is a heading and does not;
/// - anything else ends mid-word (`…新型研发机` / `构科协…`) and continues.
pub fn continues(prev: &Para, next: &Para, style: &MarkerStyle) -> bool {
    if marker(&next.text).is_some() {
        return false;
    }
    let text = prev.text.trim_end_matches('*');
    let Some(last) = text.chars().last() else { return false };
    if "。！？：!?:".contains(last) {
        return false;
    }
    if "，、；“‘《（(〔【—,;".contains(last) {
        return true;
    }
    if let Some((m, _)) = marker(text) {
        return text.contains('。') || style.is_run_in(m);
    }
    let has_punct = text.chars().any(is_cjk_punct);
    if !has_punct && text.chars().count() <= 30 {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(lines: &[&str]) -> Vec<Para> {
        lines.iter().enumerate().map(|(i, t)| Para { text: t.to_string(), line: i + 1 }).collect()
    }

    fn joined(lines: &[&str]) -> Vec<String> {
        join_page_breaks(paras(lines)).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn joins_a_word_split_by_a_page_break() {
        assert_eq!(
            joined(&["在高校科协、企业科协、新型研发机", "构科协等科协基层组织覆盖上实现新提升。"]),
            ["在高校科协、企业科协、新型研发机构科协等科协基层组织覆盖上实现新提升。"]
        );
    }

    #[test]
    fn joins_an_annotation_split_by_a_page_break() {
        assert_eq!(
            joined(&["6. 加大省外人才引进力度。（责任部门：学会学术部，医疗卫生机构", "科协)", "7. 加大高端人才服务力度。"]),
            ["6. 加大省外人才引进力度。（责任部门：学会学术部，医疗卫生机构科协)", "7. 加大高端人才服务力度。"]
        );
    }

    #[test]
    fn joins_a_heading_broken_after_a_comma() {
        assert_eq!(
            joined(&["六、着眼科普核心阵地打造，全面推进省科技馆新馆建设，", "着力实施现代科技馆体系推进工程", "19. 建好。"]),
            ["六、着眼科普核心阵地打造，全面推进省科技馆新馆建设，着力实施现代科技馆体系推进工程", "19. 建好。"]
        );
    }

    #[test]
    fn keeps_standalone_section_headings_apart_from_their_text() {
        let lines = ["（一）持续宣传贯彻《科协条例》和“科普十条”", "在商丘广播电视台刊发专题信息。", "（二）深入推进会市合作", "成功举办大会。"];
        assert_eq!(joined(&lines).len(), 4);
    }

    #[test]
    fn joins_a_run_in_section_broken_mid_word() {
        let lines = [
            "（四）认真落实科普中原行动，探索科普工作新路径。深入实施。",
            "（五）认真落实智汇中原行动，建言献策取得新成果。进一步充实。",
            "（六）认真落实现代科技馆体系推进工程，展现科普",
            "核心阵地新面貌。深入实施场馆培优行动。",
        ];
        assert_eq!(joined(&lines)[2], "（六）认真落实现代科技馆体系推进工程，展现科普核心阵地新面貌。深入实施场馆培优行动。");
    }

    #[test]
    fn a_short_line_without_punctuation_is_a_heading() {
        assert_eq!(joined(&["一点建议", "建议省科协建立开放交流平台。"]).len(), 2);
    }

    #[test]
    fn an_enumeration_opens_a_new_paragraph() {
        assert_eq!(joined(&["紧盯“5610”，以重点活动为载体，推动科技创新迈上新台阶", "一是着眼人才强市战略。"]).len(), 2);
    }

    #[test]
    fn markers_are_recognised_with_or_without_a_space() {
        assert_eq!(marker("1.加强科技界政治引领。"), Some((Marker::Number(1), 2)));
        assert_eq!(marker("20. 强力推进").map(|m| m.0), Some(Marker::Number(20)));
        assert_eq!(marker("12.7 万名青少年"), None);
        assert_eq!(marker("2023年，郑州市"), None);
        assert_eq!(marker("(一) 围绕").map(|m| m.0), Some(Marker::Section));
        assert_eq!(marker("十、着眼").map(|m| m.0), Some(Marker::Chapter));
        assert_eq!(marker("三是科普信息工作").map(|m| m.0), Some(Marker::Enumeration));
    }
}
