//! Render stage, Markdown part: a body → sanitized HTML, with the anchors of
//! [`crate::extract::BlockTracker`], department links inside annotations, the CJK rules
//! (no space from a line break between Chinese characters; `**…。**` bold even where CommonMark's
//! flanking rules fail next to Chinese punctuation) and syntect highlighting with CSS classes.
//! Sanitizing is ammonia's, written directly (module `clean`) for bodies without the author's HTML,
//! or, where the events show pulldown-cmark's HTML is already what it would write, not done at all.

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use memchr::memmem;

mod clean;
use clean::Cleaner;

use crate::cjk::joins_without_space;
use crate::extract::annotation::label_matches;
use crate::extract::{markdown_options, BlockKind, BlockTracker};

/// What a page adds to its body from the model, by block (the index of
/// [`crate::extract::blocks`], which walks the same events): the links of an item's
/// annotation, anchors, and notes at the end of an item.
#[derive(Debug, Default)]
pub struct Markup {
    pub blocks: HashMap<usize, BlockMarkup>,
    /// Passages (reports) end with a link to cite them, as plan items always do.
    pub cite_passages: bool,
}

#[derive(Debug, Default)]
pub struct BlockMarkup {
    /// Plan items: how many annotation labels the item's text has before the annotation that
    /// ends it (the one the model reads).
    pub labels_before: usize,
    /// The annotation's names in the order written: group, name, and the page it links to.
    pub names: Vec<(usize, String, Option<String>)>,
    /// Extra `id`s set at the start of the block (a report part's anchor).
    pub anchors: Vec<String>,
    /// HTML added at the end of the block, inside it (links to related items). Sanitized
    /// with the body.
    pub after: String,
}

/// Who wrote a body's HTML, which decides how it is sanitized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// Raw HTML of the author's in it: only ammonia may judge it.
    ByAuthor,
    /// pulldown-cmark and planport, and it already is what sanitizing would write.
    AsSanitized,
    /// pulldown-cmark and planport, in a form the fast path writes again.
    ByPlanport,
}

/// Where rendering is inside a plan item's annotation.
#[derive(Debug, Default)]
struct AnnotationState {
    labels_seen: usize,
    open: bool,
    /// Next name to link.
    next: usize,
    /// The group whose `<span>` is open.
    group: Option<usize>,
}

/// What rendering a body needs besides the text.
pub struct MarkdownRenderer {
    /// Loaded on the first code block: most documents have none, and loading takes a while.
    syntaxes: std::sync::OnceLock<SyntaxSet>,
    cleaner: Cleaner,
}

impl Default for MarkdownRenderer {
    fn default() -> Self {
        Self::new()
    }
}

impl MarkdownRenderer {
    pub fn new() -> Self {
        MarkdownRenderer { syntaxes: std::sync::OnceLock::new(), cleaner: Cleaner::new() }
    }

    /// Render `body`. `numbered_items`: plan items get `#item-<n>`; `markup` adds what the
    /// model knows (department links in annotations, part anchors, notes after items).
    pub fn render(&self, body: &str, numbered_items: bool, markup: &Markup) -> String {
        match self.unsanitized(body, numbered_items, markup) {
            // Most bodies: pulldown-cmark's HTML is already what sanitizing would make of it.
            (html, Written::AsSanitized) => html,
            (html, written) => self.cleaner.clean(&html, written == Written::ByAuthor),
        }
    }

    /// Every way of sanitizing `body`, for the tests that prove them equal: pulldown-cmark's HTML
    /// where [`Self::render`] takes it as it is (else `None`), the fast path's (`None` where it
    /// defers to ammonia) and ammonia's.
    #[doc(hidden)]
    pub fn render_every_way(&self, body: &str, numbered_items: bool, markup: &Markup) -> (Option<String>, Option<String>, String) {
        let (html, written) = self.unsanitized(body, numbered_items, markup);
        let as_is = (written == Written::AsSanitized).then(|| html.clone());
        (as_is, self.cleaner.fast(&html, written == Written::ByAuthor), self.cleaner.ammonia(&html))
    }

    /// pulldown-cmark's HTML for `body` with what the model adds, and what sanitizing it takes.
    fn unsanitized(&self, body: &str, numbered_items: bool, markup: &Markup) -> (String, Written) {
        let (events, authored) = self.events(body, numbered_items, markup);
        let written = match authored {
            true => Written::ByAuthor,
            false if self.cleaner.writes_itself(&events) => Written::AsSanitized,
            false => Written::ByPlanport,
        };
        let mut html = String::with_capacity(body.len() * 2);
        html::push_html(&mut html, events.into_iter());
        (html, written)
    }

    /// The events of `body` with what the model adds, and whether the author wrote raw HTML.
    fn events<'b>(&self, body: &'b str, numbered_items: bool, markup: &Markup) -> (Vec<Event<'b>>, bool) {
        let events = merge_text(Parser::new_ext(body, markdown_options()).collect());
        let authored = events.iter().any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
        let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
        let mut tracker = BlockTracker::new(numbered_items);
        let mut in_item = 0usize; // depth of the open plan item (0: none)
        let mut depth = 0usize;
        let mut block: Option<(usize, usize)> = None; // (index, depth) of the open top-level block
        let mut blocks_seen = 0usize;
        let mut annotation = AnnotationState::default();
        let none = BlockMarkup::default();
        // Blocks that end with a link to cite them: (depth of the open block, its anchor).
        let mut cites: Vec<(usize, String)> = Vec::new();
        let mut code: Option<(String, String)> = None; // (language, text)
        for (i, event) in events.iter().enumerate() {
            if let Some((lang, text)) = code.as_mut() {
                match event {
                    Event::Text(t) => text.push_str(t),
                    Event::End(TagEnd::CodeBlock) => {
                        out.push(Event::Html(self.highlight(lang, text).into()));
                        code = None;
                        depth -= 1;
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
                        Some((BlockKind::Passage, anchor)) if markup.cite_passages => cites.push((depth, anchor.clone())),
                        _ => {}
                    }
                    let opened_block = opened.is_some();
                    if opened_block {
                        block = Some((blocks_seen, depth));
                        blocks_seen += 1;
                    }
                    match opened {
                        Some((BlockKind::Item(n), anchor)) => {
                            in_item = depth;
                            annotation = AnnotationState::default();
                            out.push(Event::Html(format!("<li id=\"{anchor}\" value=\"{n}\">").into()));
                        }
                        Some((BlockKind::Passage, anchor)) if matches!(tag, Tag::Item) => out.push(Event::Html(format!("<li id=\"{anchor}\">").into())),
                        Some((BlockKind::Passage, anchor)) => out.push(Event::Html(format!("<p id=\"{anchor}\">").into())),
                        Some((BlockKind::Heading(level), anchor)) => out.push(Event::Html(format!("<h{level} id=\"{anchor}\">").into())),
                        None => out.push(event.clone()),
                    }
                    if let Some((b, _)) = block.filter(|_| opened_block) {
                        for id in markup.blocks.get(&b).map_or(&none.anchors, |m| &m.anchors) {
                            out.push(Event::Html(format!("<span class=\"anchor\" id=\"{id}\"></span>").into()));
                        }
                    }
                }
                Event::End(tag) => {
                    // The cite link goes where the block ends, or at the end of the last paragraph
                    // of a block that ends next, so that it follows the text on the same line
                    // (inside the annotation, if one is open: after its closing bracket).
                    if let Some((at, anchor)) = cites.last() {
                        let last_paragraph =
                            matches!(tag, TagEnd::Paragraph) && *at + 1 == depth && matches!(events.get(i + 1), Some(Event::End(TagEnd::Item)));
                        if *at == depth || last_paragraph {
                            out.push(Event::Html(cite_link(anchor).into()));
                            cites.pop();
                        }
                    }
                    if annotation.open && matches!(tag, TagEnd::Paragraph | TagEnd::Item) {
                        close_annotation(&mut annotation, &mut out);
                    }
                    if depth == in_item {
                        in_item = 0;
                    }
                    if let Some((b, _)) = block.filter(|(_, d)| *d == depth) {
                        if let Some(m) = markup.blocks.get(&b).filter(|m| !m.after.is_empty()) {
                            out.push(Event::Html(m.after.clone().into()));
                        }
                        block = None;
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
                    let item_markup = block.and_then(|(b, _)| markup.blocks.get(&b)).filter(|_| in_item > 0);
                    if let Some(m) = item_markup {
                        annotated_text(text, m, &mut annotation, &mut out);
                    } else {
                        push_bold_fixed(text, &mut out);
                    }
                }
                _ => out.push(event.clone()),
            }
        }
        (out, authored)
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

/// `text` escaped for an element's content as the sanitizer writes it (`&`, `<`, `>`, U+00A0):
/// HTML the model adds to a body in this form passes the sanitizer as it is.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    clean::push_escaped(text, false, &mut out);
    out
}

/// `value` escaped for a quoted attribute as the sanitizer writes it (`&`, `<`, `>`, `"`, U+00A0).
pub fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    clean::push_escaped(value, true, &mut out);
    out
}

/// Text inside a plan item: from the label of the annotation the model reads, the annotation
/// is wrapped in `<span class="annotation">`, each comma group in `<span class="dept-group">`,
/// and each name the registry knows links to its department page. The text stays as written.
fn annotated_text<'a>(text: &CowStr<'a>, markup: &BlockMarkup, state: &mut AnnotationState, out: &mut Vec<Event<'a>>) {
    let mut rest: &str = text;
    if !state.open {
        let mut labels = label_positions(rest);
        let at = labels.find(|_| {
            let found = state.labels_seen == markup.labels_before;
            if !found {
                state.labels_seen += 1;
            }
            found
        });
        let Some(at) = at else {
            push_bold_fixed(text, out);
            return;
        };
        push_bold_fixed(&CowStr::from(rest[..at].to_string()), out);
        out.push(Event::Html("<span class=\"annotation\">".into()));
        state.open = true;
        rest = &rest[at..];
    }
    let mut pos = 0;
    while let Some((group, name, url)) = markup.names.get(state.next) {
        let Some(found) = rest[pos..].find(name.as_str()).map(|i| pos + i) else {
            // A name this text does not hold whole (split by a line break or by markup) stays
            // plain; the names after it are still linked where they stand.
            let later = markup.names[state.next + 1..].iter().position(|(_, n, _)| rest[pos..].contains(n.as_str()));
            match later {
                Some(k) => {
                    state.next += 1 + k;
                    continue;
                }
                None => break,
            }
        };
        push_between_names(&rest[pos..found], out);
        if state.group != Some(*group) {
            if state.group.is_some() {
                out.push(Event::Html("</span>".into()));
            }
            out.push(Event::Html("<span class=\"dept-group\">".into()));
            state.group = Some(*group);
        }
        // Escaped as html5ever writes it, so that the sanitizer can pass the link as it is.
        let mut link = String::with_capacity(name.len() + url.as_ref().map_or(0, |u| u.len()) + 40);
        match url {
            Some(url) => {
                link.push_str("<a class=\"dept\" href=\"");
                clean::push_escaped(url, true, &mut link);
                link.push_str("\">");
            }
            None => link.push_str("<span class=\"dept\">"),
        }
        clean::push_escaped(name, false, &mut link);
        link.push_str(if url.is_some() { "</a>" } else { "</span>" });
        out.push(Event::Html(link.into()));
        pos = found + name.len();
        state.next += 1;
        // The group closes after its last name, before the separator that follows.
        let group_ends = markup.names.get(state.next).is_none_or(|(g, _, _)| g != group);
        if group_ends {
            out.push(Event::Html("</span>".into()));
            state.group = None;
        }
    }
    push_between_names(&rest[pos..], out);
}

/// Annotation text between two names: the label ends at `：`, a group at `，` (or `,`), each
/// marked with an empty `<span class="group-break">` so that a narrow screen can start each
/// group (lead 部室, then 直属单位, then collectives) on a line of its own.
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
/// The theme's script turns it into "copy the citation"; without the script it is the
/// passage's address.
fn cite_link(anchor: &str) -> String {
    let what = match (anchor.strip_prefix("item-"), anchor.strip_prefix("p-")) {
        (Some(n), _) => format!("第{n}项"),
        (_, Some(n)) => format!("第{n}段"),
        _ => String::new(),
    };
    format!("<a class=\"cite\" href=\"#{anchor}\" aria-label=\"引用{what}\">引用</a>")
}

fn close_annotation(state: &mut AnnotationState, out: &mut Vec<Event<'_>>) {
    if state.group.take().is_some() {
        out.push(Event::Html("</span>".into()));
    }
    out.push(Event::Html("</span>".into()));
    state.open = false;
}

/// How many annotation labels (`（责任部门` …) `text` has.
pub fn count_labels(text: &str) -> usize {
    label_positions(text).count()
}

/// Byte offsets of every annotation label's opening bracket in `text`, in order.
fn label_positions(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + label_at(&text[from..])?;
        from = at + text[at..].chars().next().map_or(1, char::len_utf8); // past the bracket
        Some(at)
    })
}

/// Byte offset of the first annotation label (`（责任部门`, `(责任单位` …) in `text`: the
/// opening bracket of a label word that follows one.
fn label_at(text: &str) -> Option<usize> {
    // Labels come in order, and so do the brackets before them: the first is the least.
    label_matches(text).find_map(|(i, _)| {
        let before = text[..i].trim_end();
        let bracket = before.chars().last().filter(|c| *c == '（' || *c == '(')?;
        Some(before.len() - bracket.len_utf8())
    })
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
    let pairs = paired_markers(text);
    if pairs == 0 {
        out.push(Event::Text(text.clone()));
        return;
    }
    let mut parts = split_markers(text);
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

/// How many of the `**` in a text event [`push_bold_fixed`] makes bold: all but an odd last one.
fn paired_markers(text: &str) -> usize {
    // Most text has no `*` at all: a search for one byte before the search for `**`.
    let count = if text.contains('*') { MARKER.find_iter(text.as_bytes()).count() } else { 0 };
    count / 2 * 2
}

/// The bold marker, searched for with a searcher set up once: `str::matches`/`split` set one up
/// for every call, which cost more than the search on the short texts of items.
static MARKER: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("**"));

/// `text.split("**")`, with [`MARKER`].
fn split_markers(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    let mut markers = MARKER.find_iter(text.as_bytes());
    std::iter::from_fn(move || {
        let start = from;
        match markers.next() {
            Some(at) => {
                from = at + 2;
                Some(&text[start..at])
            }
            None if from <= text.len() => {
                from = text.len() + 1;
                Some(&text[start..])
            }
            None => None,
        }
    })
}

/// A text event (adjacent ones merged) as plain text: without the `**` that
/// [`push_bold_fixed`] makes bold, so that an item's title and text read as its page shows them.
pub fn without_paired_bold(text: &str) -> Cow<'_, str> {
    let pairs = paired_markers(text);
    if pairs == 0 {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (k, part) in split_markers(text).enumerate() {
        // The marker before part k is the k-th; only those after the pairs stay.
        if k > pairs {
            out.push_str("**");
        }
        out.push_str(part);
    }
    Cow::Owned(out)
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
        MarkdownRenderer::new().render(body, numbered, &Markup::default())
    }

    #[test]
    fn markers_split_as_str_split_does() {
        for text in ["", "**", "***", "****", "a**b", "**加强。**推动", "a*b**c***d", "尾**", "**首", "科普"] {
            assert_eq!(split_markers(text).collect::<Vec<_>>(), text.split("**").collect::<Vec<_>>(), "{text:?}");
            assert_eq!(paired_markers(text), text.matches("**").count() / 2 * 2, "{text:?}");
        }
    }

    #[test]
    fn the_first_label_is_the_bracket_before_it() {
        assert_eq!(label_at("推动（责任部门：科普部）"), Some("推动".len()));
        assert_eq!(label_at("责任部门：科普部（ 责任单位：学会学术部）"), Some("责任部门：科普部".len()));
        assert_eq!(label_at("落实责任（见附件）；责任部门：科普部"), None);
        assert_eq!(label_at("(责任单位:科普部)(责任部门:学会部)"), Some(0));
    }

    #[test]
    fn the_annotation_the_model_reads_gets_the_links() {
        let body = "1. 甲（责任部门：办公室）。乙。（责任部门：科普部、学会学术部，科普中心）\n";
        let mut markup = Markup::default();
        markup.blocks.insert(
            0,
            BlockMarkup {
                labels_before: 1,
                names: vec![
                    (0, "科普部".into(), Some("/departments/kepubu/".into())),
                    (0, "学会学术部".into(), None),
                    (1, "科普中心".into(), Some("/departments/kepuzhongxin/".into())),
                ],
                after: "<p class=\"item-links\">另见</p>".into(),
                ..BlockMarkup::default()
            },
        );
        let html = MarkdownRenderer::new().render(body, true, &markup);
        let group_break = "<span class=\"group-break\"></span>";
        assert!(
            html.contains(&format!("甲（责任部门：办公室）。乙。<span class=\"annotation\">（责任部门：{group_break}<span class=\"dept-group\"><a class=\"dept\" href=\"/departments/kepubu/\">科普部</a>、<span class=\"dept\">学会学术部</span></span>，{group_break}<span class=\"dept-group\"><a class=\"dept\" href=\"/departments/kepuzhongxin/\">科普中心</a></span>）<a class=\"cite\"")),
            "{html}"
        );
        assert!(html.contains("</span><p class=\"item-links\">另见</p></li>"), "{html}");
    }

    #[test]
    fn every_plan_item_ends_with_a_link_to_cite_it() {
        // Tight items: at the end; loose items: inside their last paragraph.
        let html = render("5. 甲。\n6. 乙。\n", true);
        assert!(html.contains("甲。<a class=\"cite\" href=\"#item-5\" aria-label=\"引用第5项\">引用</a></li>"), "{html}");
        let html = render("5. 甲。\n\n   续。\n\n6. 乙。\n", true);
        assert!(html.contains("<p>续。<a class=\"cite\" href=\"#item-5\" aria-label=\"引用第5项\">引用</a></p>"), "{html}");
        assert_eq!(html.matches("class=\"cite\"").count(), 2, "{html}");
        // Free pages cite nothing.
        assert!(!render("甲。\n\n1. 乙。\n", false).contains("cite"));
    }

    #[test]
    fn an_item_holding_a_code_block_is_cited_inside_it() {
        // The code block's end once left the nesting depth one too deep: the link landed after
        // `</li>`, inside the `<ol>`, where the sanitizer moved it.
        for body in ["5. ```\n   a: 1\n   ```\n6. 乙。\n", "5. 甲：\n\n   ```\n   a: 1\n   ```\n6. 乙。\n"] {
            let html = render(body, true);
            let cite = "<a class=\"cite\" href=\"#item-5\" aria-label=\"引用第5项\">引用</a>";
            assert!(html.contains(&format!("</pre>\n{cite}</li>")), "{body:?}: {html}");
            assert!(html.contains("乙。<a class=\"cite\" href=\"#item-6\""), "{body:?}: {html}");
            assert_eq!(html.matches("class=\"cite\"").count(), 2, "{html}");
        }
    }

    #[test]
    fn every_report_passage_ends_with_a_link_to_cite_it() {
        let markup = Markup { cite_passages: true, ..Markup::default() };
        let html = MarkdownRenderer::new().render("## 一、标题\n\n甲。\n\n- 乙。\n", false, &markup);
        assert!(html.contains("<p id=\"p-1\">甲。<a class=\"cite\" href=\"#p-1\" aria-label=\"引用第1段\">引用</a></p>"), "{html}");
        assert!(html.contains("<li id=\"p-2\">乙。<a class=\"cite\" href=\"#p-2\""), "{html}");
        assert!(!html.contains("#sec-1\""), "headings are not cited: {html}");
    }

    #[test]
    fn a_name_broken_by_a_line_break_stays_plain_and_the_next_names_are_linked() {
        let body = "1. 甲。（责任部门：学会学术部，医疗卫生机构\n科协，科普部）\n";
        let mut markup = Markup::default();
        let names = ["学会学术部", "医疗卫生机构科协", "科普部"];
        markup.blocks.insert(
            0,
            BlockMarkup { names: names.iter().enumerate().map(|(g, n)| (g, n.to_string(), Some(format!("/d/{g}/")))).collect(), ..BlockMarkup::default() },
        );
        let html = MarkdownRenderer::new().render(body, true, &markup);
        assert!(html.contains("href=\"/d/0/\">学会学术部</a>") && html.contains("href=\"/d/2/\">科普部</a>"), "{html}");
        assert!(html.contains("医疗卫生机构科协"), "the text stays whole: {html}");
    }

    #[test]
    fn part_anchors_open_their_block() {
        let mut markup = Markup::default();
        markup.blocks.insert(1, BlockMarkup { anchors: vec!["problems".into()], ..BlockMarkup::default() });
        let html = MarkdownRenderer::new().render("甲。\n\n乙。\n", false, &markup);
        assert!(html.contains("<p id=\"p-2\"><span class=\"anchor\" id=\"problems\"></span>乙。</p>"), "{html}");
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
