//! Render stage, Markdown part: a body → sanitized HTML, with the anchors of
//! [`crate::extract::BlockTracker`], department links inside annotations, the CJK rules
//! (no space from a line break between Chinese characters; `**…。**` bold even where CommonMark's
//! flanking rules fail next to Chinese punctuation) and syntect highlighting with CSS classes.

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::cjk::joins_without_space;
use crate::extract::{markdown_options, BlockKind, BlockTracker};
use crate::registry::Registry;

/// What rendering a body needs besides the text.
pub struct MarkdownRenderer {
    /// Loaded on the first code block: most documents have none, and loading takes a while.
    syntaxes: std::sync::OnceLock<SyntaxSet>,
    sanitizer: ammonia::Builder<'static>,
}

impl Default for MarkdownRenderer {
    fn default() -> Self {
        Self::new()
    }
}

impl MarkdownRenderer {
    pub fn new() -> Self {
        let mut sanitizer = ammonia::Builder::default();
        sanitizer
            .add_generic_attributes(["id", "class", "aria-label"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("li", ["value"])
            .add_tag_attributes("td", ["align"])
            .add_tag_attributes("th", ["align"])
            .link_rel(None);
        MarkdownRenderer { syntaxes: std::sync::OnceLock::new(), sanitizer }
    }

    /// Render `body`. `numbered_items`: plan items get `#item-<n>`, department links and a
    /// citation link.
    pub fn render(&self, body: &str, numbered_items: bool, registry: &Registry) -> String {
        self.render_with(body, numbered_items, false, registry)
    }

    /// Render a report's body: every passage ends with a citation link.
    pub fn render_report(&self, body: &str, registry: &Registry) -> String {
        self.render_with(body, false, true, registry)
    }

    /// Plan items (with `numbered_items`) and, with `cite_passages`, passages end with a link to
    /// their own anchor (`<a class="cite">`), which the theme's script turns into "copy the
    /// citation"; without the script it is the passage's address. The link goes at the end of
    /// the block's last paragraph, so that it follows the text on the same line.
    fn render_with(&self, body: &str, numbered_items: bool, cite_passages: bool, registry: &Registry) -> String {
        let events = merge_text(Parser::new_ext(body, markdown_options()).collect());
        let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
        let mut tracker = BlockTracker::new(numbered_items);
        let mut in_item = 0usize; // depth of the open plan item (0: none)
        let mut depth = 0usize;
        let mut in_annotation = false;
        let mut code: Option<(String, String)> = None; // (language, text)
        let mut cites: Vec<(usize, String)> = Vec::new(); // (depth of the open block, its anchor)
        for (i, event) in events.iter().enumerate() {
            if let Some((lang, text)) = code.as_mut() {
                match event {
                    Event::Text(t) => text.push_str(t),
                    Event::End(TagEnd::CodeBlock) => {
                        out.push(Event::Html(self.highlight(lang, text).into()));
                        code = None;
                    }
                    _ => {}
                }
                continue;
            }
            let opened = tracker.on_event(event);
            match event {
                Event::Start(tag) => {
                    depth += 1;
                    if let Tag::CodeBlock(kind) = tag {
                        let lang = match kind {
                            CodeBlockKind::Fenced(l) => l.split_whitespace().next().unwrap_or("").to_string(),
                            CodeBlockKind::Indented => String::new(),
                        };
                        code = Some((lang, String::new()));
                        continue;
                    }
                    match &opened {
                        Some((BlockKind::Item(_), anchor)) => cites.push((depth, anchor.clone())),
                        Some((BlockKind::Passage, anchor)) if cite_passages => cites.push((depth, anchor.clone())),
                        _ => {}
                    }
                    match opened {
                        Some((BlockKind::Item(n), anchor)) => {
                            in_item = depth;
                            out.push(Event::Html(format!("<li id=\"{anchor}\" value=\"{n}\">").into()));
                        }
                        Some((BlockKind::Passage, anchor)) if matches!(tag, Tag::Item) => out.push(Event::Html(format!("<li id=\"{anchor}\">").into())),
                        Some((BlockKind::Passage, anchor)) => out.push(Event::Html(format!("<p id=\"{anchor}\">").into())),
                        Some((BlockKind::Heading(level), anchor)) => out.push(Event::Html(format!("<h{level} id=\"{anchor}\">").into())),
                        None => out.push(event.clone()),
                    }
                }
                Event::End(tag) => {
                    // The block ends here, or this is the last paragraph of a block that ends next.
                    // (Inside the annotation, if one is open: the link follows its closing bracket.)
                    if let Some((at, anchor)) = cites.last() {
                        let last_paragraph =
                            matches!(tag, TagEnd::Paragraph) && *at + 1 == depth && matches!(events.get(i + 1), Some(Event::End(TagEnd::Item)));
                        if *at == depth || last_paragraph {
                            out.push(Event::Html(cite_link(anchor).into()));
                            cites.pop();
                        }
                    }
                    if in_annotation && matches!(tag, TagEnd::Paragraph | TagEnd::Item) {
                        out.push(Event::Html("</span>".into()));
                        in_annotation = false;
                    }
                    if depth == in_item {
                        in_item = 0;
                    }
                    depth -= 1;
                    out.push(event.clone());
                }
                Event::SoftBreak => {
                    let before = last_char(&out);
                    let after = events.get(i + 1).and_then(first_char);
                    if !joins_without_space(before, after) {
                        out.push(Event::SoftBreak);
                    }
                }
                Event::Text(text) => {
                    if in_item > 0 {
                        self.annotated_text(text, &mut in_annotation, registry, &mut out);
                    } else {
                        push_bold_fixed(text, &mut out);
                    }
                }
                _ => out.push(event.clone()),
            }
        }
        let mut html_out = String::with_capacity(body.len() * 2);
        html::push_html(&mut html_out, out.into_iter());
        self.sanitizer.clean(&html_out).to_string()
    }

    /// Text inside a plan item: once the annotation label appears, department names become
    /// links and the annotation is wrapped in `<span class="annotation">`. The end of each of the
    /// annotation's label and of each of its comma groups (lead 部室, then 直属单位, then
    /// collectives) is marked with an empty `<span class="group-break">`, so that a narrow screen
    /// can start each group on a line of its own.
    fn annotated_text<'a>(&self, text: &CowStr<'a>, in_annotation: &mut bool, registry: &Registry, out: &mut Vec<Event<'a>>) {
        let mut rest: &str = text;
        if !*in_annotation {
            let label = ["（责任部门", "（责任单位", "(责任部门", "(责任单位"].iter().filter_map(|l| rest.find(l)).min();
            let Some(at) = label else {
                push_bold_fixed(text, out);
                return;
            };
            push_bold_fixed(&CowStr::from(rest[..at].to_string()), out);
            out.push(Event::Html("<span class=\"annotation\">".into()));
            *in_annotation = true;
            rest = &rest[at..];
        }
        let mut pos = 0;
        for (range, dep) in registry.department_matcher.spans(rest) {
            push_between_names(&rest[pos..range.start], out);
            let d = &registry.departments[dep];
            out.push(Event::Html(format!("<a class=\"dept\" href=\"/departments/{}/\">{}</a>", d.slug, tera::escape_html(&rest[range.clone()])).into()));
            pos = range.end;
        }
        push_between_names(&rest[pos..], out);
    }

    fn highlight(&self, lang: &str, text: &str) -> String {
        let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = syntaxes.find_syntax_by_token(lang).unwrap_or_else(|| syntaxes.find_syntax_plain_text());
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, ClassStyle::SpacedPrefixed { prefix: "hl-" });
        for line in LinesWithEndings::from(text) {
            // A line syntect cannot parse is shown unhighlighted rather than failing the build.
            if generator.parse_html_for_line_which_includes_newline(line).is_err() {
                return format!("<pre class=\"code\"><code>{}</code></pre>\n", tera::escape_html(text));
            }
        }
        let lang_class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", tera::escape_html(lang)) };
        format!("<pre class=\"code\"><code{lang_class}>{}</code></pre>\n", generator.finalize())
    }
}

/// Annotation text between two names: the label ends at `：`, a group at `，` (or `,`).
fn push_between_names(text: &str, out: &mut Vec<Event<'_>>) {
    const BREAKS: [char; 4] = ['：', ':', '，', ','];
    for piece in text.split_inclusive(BREAKS) {
        out.push(Event::Text(piece.to_string().into()));
        if piece.ends_with(BREAKS) {
            out.push(Event::Html("<span class=\"group-break\"></span>".into()));
        }
    }
}

/// `<a class="cite" href="#item-5" aria-label="引用第5项">引用</a>`; passages `#p-3` are 第3段.
fn cite_link(anchor: &str) -> String {
    let what = match (anchor.strip_prefix("item-"), anchor.strip_prefix("p-")) {
        (Some(n), _) => format!("第{n}项"),
        (_, Some(n)) => format!("第{n}段"),
        _ => String::new(),
    };
    format!("<a class=\"cite\" href=\"#{anchor}\" aria-label=\"引用{what}\">引用</a>")
}

/// Adjacent text events merged, so that text split at unmatched `**` is one event again.
fn merge_text(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    for e in events {
        if let (Event::Text(t), Some(Event::Text(prev))) = (&e, out.last_mut()) {
            *prev = format!("{prev}{t}").into();
            continue;
        }
        out.push(e);
    }
    out
}

/// CommonMark does not close `**` after Chinese punctuation when a letter follows
/// (`**加强。**科技`); such pairs are left as literal `**` in a text event. Pair them up here.
fn push_bold_fixed<'a>(text: &CowStr<'a>, out: &mut Vec<Event<'a>>) {
    let count = text.matches("**").count();
    if count < 2 {
        out.push(Event::Text(text.clone()));
        return;
    }
    let pairs = count / 2 * 2;
    let mut parts = text.split("**");
    let mut open = false;
    if let Some(first) = parts.next() {
        out.push(Event::Text(first.to_string().into()));
    }
    for (k, part) in parts.enumerate() {
        if k < pairs {
            out.push(Event::Html(if open { "</strong>" } else { "<strong>" }.into()));
            open = !open;
        } else {
            out.push(Event::Text("**".into()));
        }
        out.push(Event::Text(part.to_string().into()));
    }
}

fn last_char(events: &[Event<'_>]) -> Option<char> {
    events.iter().rev().find_map(|e| match e {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        _ => None,
    })
}

fn first_char(e: &Event<'_>) -> Option<char> {
    match e {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str, numbered: bool) -> String {
        let registry = Registry::load(None, None, None).unwrap();
        MarkdownRenderer::new().render(body, numbered, &registry)
    }

    #[test]
    fn soft_break_between_chinese_characters_is_no_space() {
        assert_eq!(render("科普\n中原", false), "<p id=\"p-1\">科普中原</p>\n");
        assert_eq!(render("plain\ntext", false), "<p id=\"p-1\">plain\ntext</p>\n");
    }

    #[test]
    fn bold_next_to_chinese_punctuation_is_bold() {
        // CommonMark closes this one by itself …
        assert!(render("7. **积极拓宽横向合作。**（责任部门：办公室）", true).contains("<strong>积极拓宽横向合作。</strong>"));
        // … but not this one, where a letter follows the closing `**`.
        let html = render("**加强科技界政治引领。**充分利用科协系统媒体平台。", false);
        assert!(html.contains("<strong>加强科技界政治引领。</strong>充分利用"), "{html}");
    }

    #[test]
    fn plan_items_carry_their_official_number_as_anchor() {
        let html = render("5. 甲。\n\n6. 乙。\n", true);
        assert!(html.contains("<ol start=\"5\">"), "{html}");
        assert!(html.contains("<li id=\"item-5\" value=\"5\">") && html.contains("<li id=\"item-6\" value=\"6\">"), "{html}");
    }

    #[test]
    fn every_plan_item_ends_with_a_link_to_cite_it() {
        // Tight items: at the end, inside the annotation; loose items: inside their last paragraph.
        let html = render("5. 甲。（责任部门：科普部）\n6. 乙。\n", true);
        assert!(
            html.contains(
                "（责任部门：<span class=\"group-break\"></span>科普部）<a class=\"cite\" href=\"#item-5\" aria-label=\"引用第5项\">引用</a></span></li>"
            ),
            "{html}"
        );
        let html = render("5. 甲。\n\n   续。\n\n6. 乙。\n", true);
        assert!(html.contains("<p>续。<a class=\"cite\" href=\"#item-5\" aria-label=\"引用第5项\">引用</a></p>"), "{html}");
        assert_eq!(html.matches("class=\"cite\"").count(), 2, "{html}");
        // Free pages cite nothing.
        assert!(!render("甲。\n\n1. 乙。\n", false).contains("cite"));
    }

    #[test]
    fn the_label_and_each_group_of_an_annotation_end_with_a_break_mark() {
        let html = render("5. 甲，乙。（责任部门：科普部、学会学术部，科普中心）\n", true);
        assert!(html.contains("甲，乙。<span class=\"annotation\">（责任部门：<span class=\"group-break\"></span>科普部、学会学术部，<span class=\"group-break\"></span>科普中心）"), "{html}");
    }

    #[test]
    fn every_report_passage_ends_with_a_link_to_cite_it() {
        let registry = Registry::load(None, None, None).unwrap();
        let html = MarkdownRenderer::new().render_report("## 一、标题\n\n甲。\n\n- 乙。\n", &registry);
        assert!(html.contains("<p id=\"p-1\">甲。<a class=\"cite\" href=\"#p-1\" aria-label=\"引用第1段\">引用</a></p>"), "{html}");
        assert!(html.contains("<li id=\"p-2\">乙。<a class=\"cite\" href=\"#p-2\""), "{html}");
        assert!(!html.contains("#sec-1\""), "headings are not cited: {html}");
    }

    #[test]
    fn raw_html_is_sanitized() {
        let html = render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [a](javascript:alert(1))", false);
        assert!(!html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"), "{html}");
    }

    #[test]
    fn code_is_highlighted_with_classes_not_styles() {
        let html = render("```yaml\ntitle: 甲\n```\n", false);
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }
}
