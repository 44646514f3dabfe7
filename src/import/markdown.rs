//! Paragraphs → Markdown: headings for `一、` and standalone `（一）`, an ordered list for
//! numbered items (keeping the official numbers), plain paragraphs for everything else.

use super::text::{marker, Marker, Para};

/// One paragraph as a Markdown block.
pub fn block(p: &Para) -> String {
    match marker(&p.text) {
        Some((Marker::Chapter, _)) if !p.text.contains('。') => format!("## {}", escape(&p.text)),
        Some((Marker::Section, _)) if !p.text.contains('。') => format!("### {}", escape(&p.text)),
        Some((Marker::Number(n), len)) => format!("{n}. {}", escape(&p.text[len..])),
        _ => escape_line_start(&escape(&p.text)),
    }
}

/// Blocks separated by blank lines.
pub fn blocks<'a>(paras: impl IntoIterator<Item = &'a Para>) -> String {
    let mut out = String::new();
    for p in paras {
        out.push_str(&block(p));
        out.push_str("\n\n");
    }
    out
}

/// A Markdown block quote of paragraphs (the notice a plan was issued with).
pub fn quote<'a>(paras: impl IntoIterator<Item = &'a Para>) -> String {
    let lines: Vec<String> = paras.into_iter().map(|p| format!("> {}", escape(&p.text))).collect();
    if lines.is_empty() {
        return String::new();
    }
    lines.join("\n>\n") + "\n\n"
}

/// Escape what Markdown would read as markup inside official text. `**` is kept: the seeds
/// use it for the bold item titles of the original.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '<' | '`' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A paragraph that would open a list, heading or quote must not.
fn escape_line_start(text: &str) -> String {
    match text.chars().next() {
        Some('#' | '>' | '-' | '+' | '=' | '|') => format!("\\{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Para {
        Para { text: text.into(), line: 1 }
    }

    #[test]
    fn numbered_items_keep_their_number_and_get_a_space() {
        assert_eq!(block(&p("1.加强科技界政治引领。")), "1. 加强科技界政治引领。");
        assert_eq!(block(&p("20. 强力推进。")), "20. 强力推进。");
    }

    #[test]
    fn headings_and_run_in_sections() {
        assert_eq!(block(&p("一、围绕学懂弄通")), "## 一、围绕学懂弄通");
        assert_eq!(block(&p("（一）科技人才与建家交友工作")), "### （一）科技人才与建家交友工作");
        assert_eq!(block(&p("(一) 围绕现代科技馆。新馆位于")), "(一) 围绕现代科技馆。新馆位于");
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(block(&p("见[附件]<表>")), "见\\[附件\\]\\<表>");
        assert_eq!(block(&p("- 不是列表")), "\\- 不是列表");
    }
}
