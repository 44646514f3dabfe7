//! Publishing: where the site lives (`base_url`, which may carry a sub-path), and the files
//! other programs read — Atom feeds, the sitemap, robots.txt and the open data of `/data/`.
//! Pages are built with site paths (`/years/`, from [`crate::permalink`]); [`BaseUrl`] turns
//! them into the links a page carries and the absolute URLs feeds and crawlers need.

use std::io::{self, Write};

use atom_syndication::{Entry, Feed, FixedDateTime, Link as AtomLink, Person, Text};
use serde::Serialize;

use crate::model::PartialDate;

/// The site's address: an origin (`https://example.org`) when known, and the path the site
/// is served under (`/portal/`, always starting and ending with `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: Option<String>,
    path: String,
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl { origin: None, path: "/".into() }
    }
}

impl BaseUrl {
    /// `https://example.org/portal/`, `http://127.0.0.1:8000/`, or a bare path (`/`,
    /// `/portal/`) when the address is not known yet. Anything else is refused.
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let bad = || format!("base_url: {s} 既不是 http(s) 网址（如 https://example.org/portal/），也不是路径（如 /）");
        let (origin, path) = if s.is_empty() {
            (None, "/")
        } else if s.starts_with('/') {
            (None, s)
        } else {
            let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")).ok_or_else(bad)?;
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host_ok = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
            if !host_ok {
                return Err(bad());
            }
            (Some(s[..s.len() - path.len()].to_string()), if path.is_empty() { "/" } else { path })
        };
        let path_ok = path.starts_with('/')
            && !path.starts_with("//")
            && path.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~' | '%'))
            && !path.split('/').any(|seg| seg == "." || seg == "..");
        if !path_ok {
            return Err(bad());
        }
        let path = if path.ends_with('/') { path.to_string() } else { format!("{path}/") };
        Ok(BaseUrl { origin, path })
    }

    /// The path the site is served under: `/` or `/portal/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether absolute URLs can be made (feeds, sitemap and canonical links need them).
    pub fn is_absolute(&self) -> bool {
        self.origin.is_some()
    }

    /// The link a page carries to a site path: `/years/` → `/portal/years/`.
    pub fn href(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path.trim_start_matches('/'))
    }

    /// The absolute URL of a site path, when the origin is known.
    pub fn absolute(&self, site_path: &str) -> Option<String> {
        self.origin.as_ref().map(|o| format!("{o}{}", self.href(site_path)))
    }

    /// [`BaseUrl::rebase_html`] of a rendered page's bytes.
    pub fn rebase_page(&self, html: Vec<u8>) -> Vec<u8> {
        if self.path == "/" {
            return html;
        }
        let html = String::from_utf8(html).expect("tera writes UTF-8: all its text comes from str");
        self.rebase_html(html).into_bytes()
    }

    /// A rendered page with every root-relative link (`href="/…"`, `src="/…"`,
    /// `action="/…"`) moved under the base path. Templates and Markdown bodies write site
    /// paths; this is the one place they become links. Only attributes inside tags are
    /// touched: text (a code sample showing `href="/x"`) and other attributes (`data-src`)
    /// stay as they are.
    pub fn rebase_html(&self, html: String) -> String {
        if self.path == "/" {
            return html;
        }
        let mut out = String::with_capacity(html.len() + 1024);
        let mut rest = html.as_str();
        while let Some(open) = rest.find('<') {
            let (text, tag_on) = rest.split_at(open);
            out.push_str(text);
            // Attribute values in our HTML are quoted and escaped, so the tag ends at the first
            // `>` outside quotes.
            let mut quote = None;
            let end = tag_on.char_indices().find(|&(_, c)| match quote {
                Some(q) => {
                    if c == q {
                        quote = None;
                    }
                    false
                }
                None if c == '"' || c == '\'' => {
                    quote = Some(c);
                    false
                }
                None => c == '>',
            });
            let end = end.map_or(tag_on.len(), |(i, _)| i + 1);
            out.push_str(&self.rebase_tag(&tag_on[..end]));
            rest = &tag_on[end..];
        }
        out.push_str(rest);
        out
    }

    fn rebase_tag(&self, tag: &str) -> String {
        let mut out = String::with_capacity(tag.len() + 16);
        let mut rest = tag;
        while let Some(i) = rest.find("=\"/") {
            let before = &rest[..i];
            let attr_start = before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).map_or(0, |j| j + 1);
            let attr = &before[attr_start..];
            let preceded_by_space = before[..attr_start].ends_with(char::is_whitespace);
            let target = &rest[i + 3..];
            out.push_str(&rest[..i + 2]);
            if preceded_by_space && matches!(attr, "href" | "src" | "action" | "poster" | "formaction") && !target.starts_with('/') {
                out.push_str(&self.path);
                rest = target;
            } else {
                rest = &rest[i + 2..];
            }
        }
        out.push_str(rest);
        out
    }
}

/// One entry of a feed: a document.
pub struct FeedEntry {
    pub title: String,
    /// Site path of the document's page.
    pub path: String,
    /// The date the source gives (a month stands for its first day); undated plans take the
    /// first day of their year.
    pub date: PartialDate,
    pub summary: String,
}

/// What a feed is: its title, its own path and the page it belongs to.
pub struct FeedInfo<'a> {
    pub title: String,
    pub self_path: String,
    pub page_path: String,
    pub author: &'a str,
    /// How many entries it keeps, the newest (0: all; site.yaml's `feed_limit`).
    pub limit: usize,
}

/// An Atom feed (RFC 4287), newest first. Ids are the entries' absolute URLs, which never
/// change; `updated` comes from document dates, so rebuilding gives the same bytes.
pub fn atom_feed(base: &BaseUrl, info: &FeedInfo<'_>, mut entries: Vec<FeedEntry>) -> Option<String> {
    let abs = |p: &str| base.absolute(p);
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    if info.limit > 0 {
        entries.truncate(info.limit);
    }
    let updated = entries.iter().map(|e| e.date).max()?;
    let link = |href: String, rel: &str, mime: Option<&str>| AtomLink { href, rel: rel.into(), mime_type: mime.map(str::to_string), ..AtomLink::default() };
    let feed = Feed {
        title: Text::plain(info.title.clone()),
        id: abs(&info.self_path)?,
        updated: timestamp(updated),
        authors: vec![Person { name: info.author.to_string(), ..Person::default() }],
        links: vec![link(abs(&info.self_path)?, "self", Some("application/atom+xml")), link(abs(&info.page_path)?, "alternate", Some("text/html"))],
        lang: Some("zh-CN".into()),
        entries: entries
            .into_iter()
            .filter_map(|e| {
                Some(Entry {
                    title: Text::plain(e.title),
                    id: abs(&e.path)?,
                    updated: timestamp(e.date),
                    links: vec![link(abs(&e.path)?, "alternate", Some("text/html"))],
                    summary: Some(Text::plain(e.summary)),
                    ..Entry::default()
                })
            })
            .collect(),
        ..Feed::default()
    };
    Some(feed.to_string())
}

/// Midnight in China of the day a date names (the first of the month for `YYYY-MM`).
fn timestamp(d: PartialDate) -> FixedDateTime {
    let text = format!("{:04}-{:02}-{:02}T00:00:00+08:00", d.year, d.month, d.day.unwrap_or(1));
    FixedDateTime::parse_from_rfc3339(&text).expect("a valid date makes a valid timestamp")
}

/// `sitemap.xml` (sitemaps.org 0.9) of the pages' absolute URLs.
pub fn sitemap(base: &BaseUrl, page_paths: &[String]) -> Option<String> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in page_paths {
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&base.absolute(p)?)));
    }
    out.push_str("</urlset>\n");
    Some(out)
}

/// `robots.txt`: everything may be crawled; the sitemap is named when its URL is known.
pub fn robots(base: &BaseUrl) -> String {
    match base.absolute("/sitemap.xml") {
        Some(url) => format!("User-agent: *\nAllow: /\n\nSitemap: {url}\n"),
        None => "User-agent: *\nAllow: /\n".into(),
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// One record of `/data/items.json` and `/data/items.csv`: a plan item.
/// Texts are borrowed from the site: at 10,000 documents the records hold 100 MB of item text.
#[derive(Debug, Serialize)]
pub struct ItemRecord<'a> {
    pub document: &'a str,
    pub document_url: String,
    pub year: i32,
    pub number: u32,
    pub title: &'a str,
    /// The whole item as published, annotation included.
    pub text: &'a str,
    /// Who answers for it as the source gives it (or the editors, where it gives none).
    pub departments: Vec<DepartmentRecord<'a>>,
    pub cities: Vec<&'a str>,
    pub programs: Vec<ProgramRecord<'a>>,
    /// The item's anchor.
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct DepartmentRecord<'a> {
    pub name: &'a str,
    /// 1 for the first comma group of the annotation (the lead), 2 for the next …
    pub group: u8,
    /// `source` (named in the annotation) or `editorial` (the plan's lead, set by editors).
    pub provenance: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ProgramRecord<'a> {
    pub name: &'a str,
    /// `heading` (a section heading above names it), `editorial` or `mention`.
    pub by: &'static str,
}

/// `items.csv`: one row a record, UTF-8 with a byte-order mark so spreadsheet software opens
/// it as written, RFC 4180 quoting; lists are joined with `；`.
pub fn write_items_csv(records: &[ItemRecord], out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["document", "year", "number", "title", "text", "departments", "cities", "programs", "url"])?;
    for r in records {
        let departments: Vec<String> = r
            .departments
            .iter()
            .map(|d| if d.provenance == "editorial" { format!("{}（编者注：牵头）", d.name) } else { format!("{}（第{}组）", d.name, d.group) })
            .collect();
        let programs: Vec<&str> = r.programs.iter().map(|p| p.name).collect();
        w.write_record([
            r.document,
            &r.year.to_string(),
            &r.number.to_string(),
            r.title,
            r.text,
            &departments.join("；"),
            &r.cities.join("；"),
            &programs.join("；"),
            &r.url,
        ])?;
    }
    w.flush()
}

/// `items.json`, pretty-printed.
pub fn write_items_json(records: &[ItemRecord], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(out, records)?;
    Ok(())
}

/// The JSON Schema (2020-12) that `/data/items.json` validates against.
pub const ITEMS_SCHEMA: &str = include_str!("publish/items.schema.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_urls_or_paths() {
        let b = BaseUrl::parse("https://example.org/portal").unwrap();
        assert_eq!((b.path(), b.href("/years/")), ("/portal/", "/portal/years/".to_string()));
        assert_eq!(b.absolute("/feed.xml").as_deref(), Some("https://example.org/portal/feed.xml"));
        assert_eq!(BaseUrl::parse("/").unwrap(), BaseUrl::default());
        assert!(!BaseUrl::parse("/").unwrap().is_absolute());
        assert_eq!(BaseUrl::parse("http://127.0.0.1:8000/").unwrap().absolute("/").as_deref(), Some("http://127.0.0.1:8000/"));
        for bad in ["example.org", "ftp://example.org/", "https://", "https://exa mple.org/", "/a/../b/", "//evil.org/", "javascript:alert(1)"] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rebasing_moves_only_root_relative_links() {
        let b = BaseUrl::parse("/portal/").unwrap();
        let html = r##"<a href="/years/">年度</a><link href="/static/style.css"><form action="/search/"><a href="https://x.org/">x</a><a href="#top">↑</a><a href="//cdn/">c</a><p data-x="/keep/" data-src="/keep/">/years/ a href="/code/"</p>"##;
        assert_eq!(
            b.rebase_html(html.into()),
            r##"<a href="/portal/years/">年度</a><link href="/portal/static/style.css"><form action="/portal/search/"><a href="https://x.org/">x</a><a href="#top">↑</a><a href="//cdn/">c</a><p data-x="/keep/" data-src="/keep/">/years/ a href="/code/"</p>"##
        );
    }

    #[test]
    fn a_feed_is_atom_with_absolute_links_newest_first() {
        let base = BaseUrl::parse("https://example.org/portal/").unwrap();
        let mut info = FeedInfo { title: "t".into(), self_path: "/feed.xml".into(), page_path: "/".into(), author: "河南省科学技术协会", limit: 0 };
        let entries = vec![
            FeedEntry { title: "旧".into(), path: "/plans/a/".into(), date: "2018-01".parse().unwrap(), summary: String::new() },
            FeedEntry { title: "新".into(), path: "/plans/b/".into(), date: "2023-03-17".parse().unwrap(), summary: String::new() },
        ];
        let xml = atom_feed(&base, &info, entries).unwrap();
        let feed: Feed = xml.parse().unwrap();
        assert_eq!(feed.entries()[0].title().as_str(), "新");
        assert_eq!(feed.entries()[0].id(), "https://example.org/portal/plans/b/");
        assert_eq!(feed.updated().to_rfc3339(), "2023-03-17T00:00:00+08:00");
        assert!(atom_feed(&BaseUrl::default(), &info, Vec::new()).is_none());
        // A limit keeps the newest entries, whatever order they come in.
        info.limit = 2;
        let entries: Vec<FeedEntry> = [("2019-05", "/a/"), ("2024-01-02", "/b/"), ("2021-07", "/c/"), ("2024-01-02", "/a2/")]
            .into_iter()
            .map(|(date, path)| FeedEntry { title: path.into(), path: path.into(), date: date.parse().unwrap(), summary: String::new() })
            .collect();
        let feed: Feed = atom_feed(&base, &info, entries).unwrap().parse().unwrap();
        let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
        assert_eq!(ids, ["https://example.org/portal/a2/", "https://example.org/portal/b/"]);
        assert_eq!(feed.updated().to_rfc3339(), "2024-01-02T00:00:00+08:00");
    }
}
