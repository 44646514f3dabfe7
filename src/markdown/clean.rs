//! Render stage, the last step of Markdown: the body's HTML as ammonia leaves it. ammonia parses
//! the whole body with html5ever and serialises the tree again, a tenth of a build's CPU; yet
//! when the author wrote no raw HTML it has nothing to remove and only rewrites the HTML in
//! html5ever's form. [`Cleaner::fast`] writes that form directly for HTML it can prove html5ever
//! would rebuild as written, and defers everything else to ammonia; [`Cleaner::writes_itself`]
//! tells from pulldown-cmark's events when its HTML already is that form (most bodies).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use url::{ParseError, Url};

/// ammonia as planport configures it, and what it allows, copied out of it so that the fast path
/// keeps and drops the same attributes.
pub struct Cleaner {
    sanitizer: ammonia::Builder<'static>,
    tags: HashSet<&'static str>,
    generic_attributes: HashSet<&'static str>,
    tag_attributes: HashMap<&'static str, HashSet<&'static str>>,
    url_schemes: HashSet<&'static str>,
}

impl Cleaner {
    pub(super) fn new() -> Self {
        let mut sanitizer = ammonia::Builder::default();
        sanitizer
            .add_generic_attributes(["id", "class", "aria-label"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("li", ["value"])
            .add_tag_attributes("td", ["align"])
            .add_tag_attributes("th", ["align"])
            .link_rel(None);
        // The fast path follows only the settings above; any other that is set would make the two
        // paths differ, so it must stay at ammonia's default.
        assert!(
            sanitizer.clone_generic_attribute_prefixes().is_none()
                && sanitizer.get_link_rel().is_none()
                && sanitizer.clone_allowed_classes().is_empty()
                && sanitizer.clone_tag_attribute_values().is_empty()
                && sanitizer.clone_set_tag_attribute_values().is_empty()
                && sanitizer.url_relative_base().is_none(),
            "a sanitizer setting the fast path does not follow"
        );
        Cleaner {
            tags: sanitizer.clone_tags(),
            generic_attributes: sanitizer.clone_generic_attributes(),
            tag_attributes: sanitizer.clone_tag_attributes(),
            url_schemes: sanitizer.clone_url_schemes(),
            sanitizer,
        }
    }

    /// `html` sanitized. `authored`: the author wrote raw HTML, which only ammonia may judge.
    pub(super) fn clean(&self, html: &str, authored: bool) -> String {
        self.fast(html, authored).unwrap_or_else(|| self.ammonia(html))
    }

    pub(super) fn ammonia(&self, html: &str) -> String {
        self.sanitizer.clean(html).to_string()
    }

    /// ammonia's output for `html`, byte for byte, without ammonia; `None` where only ammonia
    /// knows (raw HTML from the author, and anything [`Self::reserialize`] declines).
    pub(super) fn fast(&self, html: &str, authored: bool) -> Option<String> {
        // The parser drops a byte order mark that starts the input.
        if authored || html.starts_with('\u{feff}') {
            return None;
        }
        self.reserialize(html)
    }

    /// html5ever's serialisation of `html`, less the attributes ammonia drops, provided html5ever
    /// would build the tree exactly as written: only allowed tags this module knows, each in a
    /// parent that may hold it without the parser closing or moving anything, every end tag
    /// closing the element last opened, and URLs ammonia keeps. Nothing is removed here but
    /// attributes ammonia drops whatever their value (`style` on table cells); whatever ammonia
    /// would have to judge (a `javascript:` link, a comment) returns `None`.
    fn reserialize(&self, html: &str) -> Option<String> {
        let mut out = String::with_capacity(html.len() + html.len() / 8);
        let mut tree = Tree::default();
        self.feed(&mut tree, html, &mut out)?;
        tree.open.is_empty().then_some(out)
    }

    /// [`Self::reserialize`] of a piece of HTML that continues `tree`: its serialisation appended
    /// to `out`, the elements it leaves open left in `tree`.
    fn feed<'h>(&self, tree: &mut Tree<'h>, html: &'h str, out: &mut String) -> Option<()> {
        let Tree { open, last_opened } = tree;
        let mut rest = html;
        while !rest.is_empty() {
            let Some(tag) = rest.strip_prefix('<') else {
                let end = rest.find('<').unwrap_or(rest.len());
                let text = &rest[..end];
                if !text_may_stand(text, open, last_opened) {
                    return None;
                }
                push_escaped(&decode(text)?, false, out);
                rest = &rest[end..];
                *last_opened = "";
                continue;
            };
            let end = tag.find('>')?;
            let (inner, after) = (&tag[..end], &tag[end + 1..]);
            rest = after;
            *last_opened = "";
            if let Some(name) = inner.strip_prefix('/') {
                if open.pop() != Some(name) {
                    return None;
                }
                out.push_str("</");
                out.push_str(name);
                out.push('>');
                continue;
            }
            let (inner, self_closing) = inner.strip_suffix(" /").map_or((inner, false), |i| (i, true));
            let (name, attributes) = inner.split_once(' ').unwrap_or((inner, ""));
            let void = VOID.contains(&name);
            if (self_closing && !void) || !self.tags.contains(name) || !may_open(name, open) {
                return None;
            }
            out.push('<');
            out.push_str(name);
            self.push_attributes(name, attributes, out)?;
            out.push('>');
            if !void {
                open.push(name);
                *last_opened = name;
            }
        }
        Some(())
    }

    /// Whether pulldown-cmark's HTML for `events` is already what [`Self::fast`] would write
    /// for it, so that it needs no second pass: only paragraphs, lists, headings, quotes,
    /// emphasis and text (no U+00A0, CR or NUL, which html5ever writes or reads otherwise),
    /// which pulldown-cmark writes as html5ever does, and HTML planport inserted (never the
    /// author's: see `authored`), each piece of which must come out of [`Self::feed`] as it
    /// went in (so also a highlighted code block whose text needs no reference); every element
    /// opened where [`may_open`] allows and closed in order. Anything else (links, images,
    /// tables, line breaks, rules) answers `false`.
    pub(super) fn writes_itself(&self, events: &[Event<'_>]) -> bool {
        let mut tree = Tree::default();
        let mut piece = String::new();
        let plain = |text: &str| !text.bytes().any(|b| matches!(b, b'\r' | b'\0')) && !text.contains('\u{a0}');
        for event in events {
            let ok = match event {
                Event::Start(tag) => match element(tag) {
                    Some(name) if self.tags.contains(name) && may_open(name, &tree.open) => {
                        tree.open.push(name);
                        tree.last_opened = name;
                        continue;
                    }
                    _ => false,
                },
                Event::End(tag) => {
                    let closes = matches!((tree.open.pop(), end_element(tag)), (Some(open), Some(end)) if open == end);
                    tree.last_opened = "";
                    closes
                }
                Event::Text(text) => plain(text) && text_may_stand(text, &tree.open, tree.last_opened),
                Event::Code(text) => plain(text) && may_open("code", &tree.open),
                Event::SoftBreak => text_may_stand("\n", &tree.open, tree.last_opened),
                Event::Html(html) | Event::InlineHtml(html) => {
                    piece.clear();
                    // A piece that ends by opening `<pre>`: the newline pulldown-cmark may
                    // write next would be dropped by the parser.
                    self.feed(&mut tree, html, &mut piece).is_some() && piece == **html && tree.last_opened != "pre"
                }
                _ => false,
            };
            if !ok {
                return false;
            }
            if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
                tree.last_opened = "";
            }
        }
        tree.open.is_empty()
    }

    /// ` name="value"` for each attribute ammonia keeps, values in html5ever's escaping.
    fn push_attributes(&self, tag: &str, mut attributes: &str, out: &mut String) -> Option<()> {
        let mut seen: Vec<&str> = Vec::new();
        while !attributes.is_empty() {
            let (name, rest) = attributes.split_once("=\"")?;
            let (value, rest) = rest.split_once('"')?;
            if name.is_empty() || seen.contains(&name) || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
                return None; // the parser keeps the first of two; not worth following
            }
            seen.push(name);
            attributes = match rest {
                "" => "",
                _ => rest.strip_prefix(' ')?,
            };
            let allowed = self.generic_attributes.contains(name) || self.tag_attributes.get(tag).is_some_and(|a| a.contains(name));
            if !allowed {
                continue;
            }
            let value = decode(value)?;
            if matches!(name, "href" | "src") && !self.url_is_kept(&value) {
                return None;
            }
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            push_escaped(&value, true, out);
            out.push('"');
        }
        Some(())
    }

    /// ammonia's test for a URL attribute: relative, or of an allowed scheme.
    fn url_is_kept(&self, url: &str) -> bool {
        match Url::parse(url) {
            Ok(url) => self.url_schemes.contains(url.scheme()),
            Err(e) => e == ParseError::RelativeUrlWithoutBase,
        }
    }
}

/// Elements html5ever writes without an end tag.
const VOID: [&str; 3] = ["br", "hr", "img"];

/// Elements whose text the parser moves out of the table unless it is whitespace.
const TABLE_PARTS: [&str; 4] = ["table", "thead", "tbody", "tr"];

/// Whether html5ever, reading a start tag `name` with `open` elements open, simply adds it to
/// the current node (no implied end tags, no table fix-ups, no reopening of formatting
/// elements); limited to the tags pulldown-cmark and planport write.
fn may_open(name: &str, open: &[&str]) -> bool {
    let parent = open.last().copied().unwrap_or("");
    match name {
        "li" => matches!(parent, "ol" | "ul"),
        "thead" | "tbody" => parent == "table",
        "tr" => matches!(parent, "thead" | "tbody"),
        "th" | "td" => parent == "tr",
        // By induction every ancestor is then a list, an item or a quote: no `<p>` to close.
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre" | "ol" | "ul" | "table" | "hr" => {
            matches!(parent, "" | "li" | "blockquote")
        }
        // A link inside a link closes the outer one.
        "a" => !open.contains(&"a") && holds_phrasing(parent),
        "em" | "strong" | "del" | "code" | "span" | "img" | "br" => holds_phrasing(parent),
        _ => false,
    }
}

/// Elements open while HTML is read, innermost last, and the element opened by the last tag
/// read if nothing has come after it (the parser drops a newline right after `<pre>`).
#[derive(Default)]
struct Tree<'h> {
    open: Vec<&'h str>,
    last_opened: &'h str,
}

/// Whether text may stand where it is without the parser moving or dropping any of it: not in
/// a table row (unless it is whitespace), not a newline right after `<pre>`.
fn text_may_stand(text: &str, open: &[&str], last_opened: &str) -> bool {
    let parent = open.last().copied().unwrap_or("");
    let moved = TABLE_PARTS.contains(&parent) && !text.bytes().all(|b| b.is_ascii_whitespace());
    !(moved || (last_opened == "pre" && text.starts_with(['\n', '\r'])))
}

/// The element pulldown-cmark writes, without attributes, for the start tags
/// [`Cleaner::writes_itself`] accepts (a heading only bare: planport gives the ones it anchors
/// their tag itself).
fn element(tag: &Tag<'_>) -> Option<&'static str> {
    Some(match tag {
        Tag::Paragraph => "p",
        Tag::Heading { level, id: None, classes, attrs } if classes.is_empty() && attrs.is_empty() => heading(*level),
        Tag::BlockQuote(None) => "blockquote",
        Tag::List(Some(_)) => "ol",
        Tag::List(None) => "ul",
        Tag::Item => "li",
        Tag::Emphasis => "em",
        Tag::Strong => "strong",
        Tag::Strikethrough => "del",
        _ => return None,
    })
}

fn end_element(tag: &TagEnd) -> Option<&'static str> {
    Some(match tag {
        TagEnd::Paragraph => "p",
        TagEnd::Heading(level) => heading(*level),
        TagEnd::BlockQuote(None) => "blockquote",
        TagEnd::List(true) => "ol",
        TagEnd::List(false) => "ul",
        TagEnd::Item => "li",
        TagEnd::Emphasis => "em",
        TagEnd::Strong => "strong",
        TagEnd::Strikethrough => "del",
        _ => return None,
    })
}

fn heading(level: HeadingLevel) -> &'static str {
    ["h1", "h2", "h3", "h4", "h5", "h6"][level as usize - 1]
}

fn holds_phrasing(parent: &str) -> bool {
    !matches!(parent, "ol" | "ul") && !TABLE_PARTS.contains(&parent)
}

/// Raw HTML text or attribute value as the parser reads it: character references decoded and
/// line endings normalised. `None` for a reference or character whose parsing this does not
/// follow (a bare `&`, NUL, references to control characters).
fn decode(raw: &str) -> Option<Cow<'_, str>> {
    // Searched byte by byte: a `[char]` pattern decodes every character of the text.
    let special = |text: &str| text.bytes().position(|b| matches!(b, b'&' | b'\r' | b'\0'));
    if special(raw).is_none() {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = special(rest) {
        out.push_str(&rest[..at]);
        let (c, after) = (rest.as_bytes()[at], &rest[at + 1..]);
        rest = match c {
            b'\r' => {
                out.push('\n');
                after.strip_prefix('\n').unwrap_or(after)
            }
            b'&' => {
                let (reference, after) = after.split_once(';').filter(|(r, _)| r.len() <= 6)?;
                out.push(decode_reference(reference)?);
                after
            }
            _ => return None,
        };
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

/// Text as html5ever writes it: `&`, `<`, `>` and U+00A0 escaped, and in attributes `"`.
/// Copies the runs between those (all text of a Chinese page, nearly) whole.
pub(super) fn push_escaped(text: &str, attribute: bool, out: &mut String) {
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let (reference, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' if attribute => ("&quot;", 1),
            // U+00A0 in UTF-8.
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => ("&nbsp;", 2),
            _ => {
                i += 1;
                continue;
            }
        };
        // `i` is at an ASCII byte or the first byte of U+00A0: a character boundary.
        out.push_str(&text[start..i]);
        out.push_str(reference);
        i += len;
        start = i;
    }
    out.push_str(&text[start..]);
}

/// The character of a reference pulldown-cmark, tera or syntect write (`amp`, `#x27`, `#39` …).
fn decode_reference(reference: &str) -> Option<char> {
    let code = match reference {
        "amp" => '&' as u32,
        "lt" => '<' as u32,
        "gt" => '>' as u32,
        "quot" => '"' as u32,
        "nbsp" => 0xa0,
        _ => match reference.strip_prefix("#x").or_else(|| reference.strip_prefix("#X")) {
            Some(hex) if hex.bytes().all(|b| b.is_ascii_hexdigit()) => u32::from_str_radix(hex, 16).ok()?,
            Some(_) => return None,
            None => reference.strip_prefix('#').filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?.parse().ok()?,
        },
    };
    // The parser remaps numeric references to control characters; none is written here.
    char::from_u32(code).filter(|c| (' '..='~').contains(c) || *c == '\u{a0}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path's answer for `html`, asserted equal to ammonia's where there is one.
    fn fast(html: &str) -> Option<String> {
        let cleaner = Cleaner::new();
        let fast = cleaner.fast(html, false);
        if let Some(fast) = &fast {
            assert_eq!(fast, &cleaner.ammonia(html), "{html:?}");
        }
        fast
    }

    #[test]
    fn writes_what_ammonia_writes_for_the_html_planport_writes() {
        for html in [
            "<p id=\"p-1\">&quot;甲&quot; &#x27;乙&#39; &amp; &lt;b&gt; \u{a0}&nbsp;</p>\n<hr />\n<p>a<br />\nb</p>\n",
            "<table><thead><tr><th style=\"text-align: left\">甲</th></tr></thead><tbody>\n<tr><td style=\"text-align: right\">1</td></tr>\n</tbody></table>\n",
            "<ol start=\"5\">\n<li id=\"item-5\" value=\"5\">甲<a class=\"cite\" href=\"#item-5\" aria-label=\"引用第5项\">引用</a></li>\n</ol>\n",
            "<p><a href=\"http://x.cn/?a=1&amp;b=%22\" title=\"&quot;t&quot; &amp; &#x27;\u{a0}\">x</a><img src=\"a.png\" alt=\"&lt;\" title=\"t\" /></p>\n",
            "<pre class=\"code\"><code class=\"language-yaml\"><span class=\"hl-source\">a: &#39;b&#x2F;&#39;\r\nc\r</span></code></pre>\n",
        ] {
            assert!(fast(html).is_some(), "declined {html:?}");
        }
    }

    #[test]
    fn declines_what_html5ever_would_rebuild_or_ammonia_must_judge() {
        for html in [
            "<p>a\0b</p>",
            "<p>&#x+41;</p>",
            "<p>&ampx;</p>",
            "<p>&#1;</p>",
            "<p>a & b</p>",
            "<p>open",
            "<p><p>x</p></p>",
            "<p><em>a</p></em>",
            "<strong><span>a</strong></span>",
            "<a href=\"/\"><a href=\"/\">x</a></a>",
            "<table><tr><td>x</td></tr></table>",
            "<table>x</table>",
            "<ol><a href=\"#\">x</a></ol>",
            "<pre>\nx</pre>",
            "<span />",
            "<div>x</div>",
            "<!-- c -->",
            "<a href=\"javascript:x\">x</a>",
            "<a href=\"http://[x\">x</a>",
            "<p id=\"a\" id=\"b\">x</p>",
            "\u{feff}<p>x</p>",
        ] {
            assert!(fast(html).is_none(), "answered {html:?}");
        }
    }
}
