//! Render stage: tera templates fed with one typed view per page kind ([`views`] and the
//! page modules). Runs after the index is built and only reads it; pages render in parallel.

mod cities;
mod departments;
mod documents;
mod programs;
mod publishing;
pub mod views;
mod years;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::default_theme;
use crate::diagnostics::Diagnostic;
use crate::document::{Collection, Document, Page};
use crate::index::{ItemRef, SiteIndex};
use crate::markdown::MarkdownRenderer;
use crate::model::{DeptId, DocId, Kind, Provenance, SiteConfig};
use crate::permalink;
use crate::registry::Registry;
use crate::write::Emit;
use views::{Base, Crumb, DocView, ItemView, Link, RoleView};

/// Templates and static files: the built-in default theme, then `themes/<name>/` of the site,
/// then the site's own `templates/` — a later file replaces an earlier one of the same name.
pub struct Theme {
    pub tera: Tera,
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    pub fn load(site_root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut templates: BTreeMap<String, (String, String)> =
            default_theme::TEMPLATES.iter().map(|(n, t)| (n.to_string(), (format!("(built-in theme)/{n}"), t.to_string()))).collect();
        let mut statics: BTreeMap<String, Vec<u8>> = default_theme::STATIC.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
        let theme_dir = site_root.join("themes").join(name);
        if name != "default" && !theme_dir.is_dir() {
            return Err(Diagnostic::new("E0603", site_root.join("content/site.yaml"), None, format!("在 {} 找不到主题 {name}", theme_dir.display()))
                .with_hint("改为 theme: default，或建立这个主题文件夹"));
        }
        for dir in [theme_dir.join("templates"), site_root.join("templates")] {
            for (rel, path) in files_under(&dir) {
                let text = crate::load::read_text(&path).map_err(|e| e.0)?;
                templates.insert(rel, (path.display().to_string(), text));
            }
        }
        for (rel, path) in files_under(&theme_dir.join("static")) {
            let bytes = std::fs::read(&path).map_err(|e| Diagnostic::new("E0508", &path, None, format!("无法读取：{}", crate::diagnostics::io_reason(&e))))?;
            statics.insert(rel, bytes);
        }
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(templates.iter().map(|(n, (_, t))| (n.clone(), t.clone()))).map_err(|e| template_error(&templates, &e))?;
        Ok(Theme { tera, statics })
    }
}

/// HTML escaping for template output: `& < > " '`. Tera's default also escapes `/`, which is
/// harmless but turns every URL into `&#x2F;` soup.
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 16);
    let _ = write!(out, "{}", Escaped(input));
    out
}

/// A text HTML-escaped as [`escape_html`] does, written straight into whatever formats it
/// (rows of department pages are hundreds of thousands of `write!`s).
struct Escaped<'s>(&'s str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.0;
        let mut start = 0;
        for (i, b) in text.bytes().enumerate() {
            let reference = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            // An ASCII byte is a character boundary; the runs between them are written whole.
            f.write_str(&text[start..i])?;
            f.write_str(reference)?;
            start = i + 1;
        }
        f.write_str(&text[start..])
    }
}

/// `text` escaped as [`Escaped`] writes it (as templates escape: `& < > " '`), appended to
/// `out`; a text with nothing to escape (nearly every name and title) is copied whole, without
/// going through `fmt`. (HTML inserted into a body is escaped as the sanitizer writes it
/// instead: `markdown::escape_text` and `escape_attribute`.)
fn push_template_escaped(out: &mut String, text: &str) {
    if text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
        let _ = write!(out, "{}", Escaped(text));
    } else {
        out.push_str(text);
    }
}

fn files_under(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?.to_string_lossy().replace('\\', "/");
            (!rel.split('/').any(|p| p.starts_with('.'))).then(|| (rel, e.into_path()))
        })
        .collect()
}

/// Tera's error chain names the template; map it back to the file.
fn template_error(templates: &BTreeMap<String, (String, String)>, e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let file = templates.iter().find(|(n, _)| message.contains(n.as_str())).map_or("templates".to_string(), |(_, (p, _))| p.clone());
    Diagnostic::new("E0604", file, None, format!("模板错误：{}", message.replace('\n', " "))).with_hint("模板由网站维护人员修改；请把这条消息转给他们")
}

/// Room a page's HTML starts with: most document pages fit.
const PAGE_BUFFER: usize = 64 * 1024;

/// Free pages linked from every footer, in file-name order (each page is still at its URL).
pub const MAX_FOOTER_PAGES: usize = 8;

/// Everything rendering reads.
pub struct RenderContext<'a> {
    pub theme: &'a Theme,
    pub registry: &'a Registry,
    pub index: &'a SiteIndex,
    pub site: &'a SiteConfig,
    /// Where the site is published: turns site paths into links and absolute URLs.
    pub base: &'a crate::publish::BaseUrl,
    pub pages: &'a [Page],
    pub markdown: &'a MarkdownRenderer,
    /// `<a class="dept" href="…">` of each department, by id: the responsibility line of an item
    /// row names them, and department pages hold some 260,000 rows on a 10,000-document site.
    pub dept_link_openings: Vec<String>,
}

/// [`RenderContext::dept_link_openings`] of a registry.
pub fn dept_link_openings(registry: &Registry) -> Vec<String> {
    registry.dept_ids().map(|d| format!("<a class=\"dept\" href=\"{}\">", Escaped(&permalink::department(&registry.dept(d).slug)))).collect()
}

/// One page of the site, by kind and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageJob {
    Home,
    NotFound,
    Search,
    Years,
    Year(i32),
    Document(DocId),
    Collection(usize),
    Parts(i32, crate::extract::PartKind),
    Departments,
    Department(DeptId),
    Cities,
    City(crate::model::CityId),
    Programs,
    Program(crate::model::ProgramId),
    Page(usize),
    Data,
}

impl PageJob {
    /// When the page starts rendering, lowest first: the pages that list many items (a
    /// department's every item, a city's reports and mentions) before the many small ones.
    fn schedule_rank(self) -> u8 {
        match self {
            PageJob::Department(_) => 0,
            PageJob::City(_) => 1,
            PageJob::Year(_) | PageJob::Program(_) | PageJob::Parts(..) => 2,
            PageJob::Home | PageJob::Years | PageJob::Departments | PageJob::Cities | PageJob::Programs | PageJob::Collection(_) | PageJob::Data => 3,
            PageJob::Document(_) | PageJob::Page(_) | PageJob::NotFound | PageJob::Search => 4,
        }
    }
}

/// A rendered page: its site path, output path, template and view.
struct PageOut {
    url: String,
    path: String,
    template: &'static str,
    context: Context,
}

impl PageOut {
    fn new(url: &str, template: &'static str, view: &impl Serialize) -> PageOut {
        let context = Context::from_serialize(view).expect("views serialize to a map");
        PageOut { url: url.to_string(), path: permalink::output_path(url), template, context }
    }
}

/// What every page's `<head>` says about the page itself: its canonical URL and its feed.
/// Given to templates as `meta`.
#[derive(Serialize)]
struct PageMeta<'a> {
    /// Absolute URL of the page, when the site's address is known.
    canonical: Option<String>,
    /// The Atom feed of the page (home, department, city), for autodiscovery.
    feed: Option<String>,
    /// The path the site is served under (`/`, `/portal/`), for scripts.
    base: &'a str,
}

/// A view whose page has only the common parts (404, search).
#[derive(Serialize)]
struct PlainPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
}

impl<'a> RenderContext<'a> {
    /// Render every page and static file, handing each to `emit` as soon as it is made (so a
    /// large site is never held in memory whole). Markdown bodies, template contexts and
    /// templates all run in parallel; only the list of pages is made up front. Returns the
    /// paths written, in a stable order.
    pub fn render_all(&self, emit: &dyn Emit) -> Result<Vec<String>, Vec<Diagnostic>> {
        let jobs = self.page_jobs();
        // The feeds, sitemap and data files are made beside the pages, not after them: the
        // data files are written by one thread (at 10,000 documents about a second), which
        // left the other core idle.
        let pages = self.sitemap_pages(&jobs);
        let (paths, published) = rayon::join(|| self.render_pages(&jobs, emit), || self.publish_files(&pages, emit));
        let mut paths = paths?;
        paths.extend(published.map_err(|d| vec![d])?);
        for (name, bytes) in &self.theme.statics {
            let path = format!("static/{name}");
            emit.emit(&path, bytes).map_err(|e| vec![write_error(&path, e)])?;
            paths.push(path);
        }
        Ok(paths)
    }

    /// Every page of the site, in the order of the paths [`RenderContext::render_all`] returns.
    pub fn page_jobs(&self) -> Vec<PageJob> {
        let mut jobs = vec![PageJob::Home, PageJob::NotFound, PageJob::Search, PageJob::Years];
        jobs.extend(self.index.years.keys().map(|&y| PageJob::Year(y)));
        jobs.extend((0..self.index.docs.len()).map(|d| PageJob::Document(DocId::new(d))));
        jobs.extend((0..self.index.collections.len()).map(PageJob::Collection));
        for &y in self.index.report_years.keys() {
            jobs.extend(crate::extract::PartKind::GATHERED.map(|k| PageJob::Parts(y, k)));
        }
        jobs.push(PageJob::Departments);
        jobs.extend(self.registry.dept_ids().map(PageJob::Department));
        jobs.push(PageJob::Cities);
        jobs.extend(self.registry.city_ids().map(PageJob::City));
        jobs.push(PageJob::Programs);
        jobs.extend(self.registry.program_ids().map(PageJob::Program));
        jobs.extend((0..self.pages.len()).map(PageJob::Page));
        jobs.push(PageJob::Data);
        jobs
    }

    /// Render the pages of `jobs` in parallel, handing each to `emit`; returns their output
    /// paths in the order of `jobs`, or the first problems found.
    pub fn render_pages(&self, jobs: &[PageJob], emit: &dyn Emit) -> Result<Vec<String>, Vec<Diagnostic>> {
        // Free pages for the footer: not those for the editors (the guide), which stay out of
        // public navigation, and at most a few, so that a page's size does not grow with the
        // number of pages.
        let footer_pages: Vec<Link> =
            self.pages.iter().filter(|p| !p.for_editors).take(MAX_FOOTER_PAGES).map(|p| Link { name: p.title.clone(), url: p.url.clone() }).collect();
        // Aggregate pages each take many times a document page; left as one block at the end
        // of the list they kept one core busy long after the other ran out of work. They start
        // first, heaviest kind first, one page a task; the paths keep the list's order.
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        order.sort_by_key(|&i| jobs[i].schedule_rank());
        let mut rendered: Vec<(usize, Result<String, Diagnostic>)> =
            order.into_par_iter().with_max_len(1).map(|i| (i, self.render_page(jobs[i], &footer_pages, emit))).collect();
        rendered.sort_unstable_by_key(|(i, _)| *i);
        let mut paths = Vec::with_capacity(rendered.len() + 8);
        let mut problems = Vec::new();
        for (_, r) in rendered {
            match r {
                Ok(p) => paths.push(p),
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            problems.truncate(10);
            return Err(problems);
        }
        Ok(paths)
    }

    /// Render one page and hand it to `emit`; returns its output path.
    fn render_page(&self, job: PageJob, footer: &'a [Link], emit: &dyn Emit) -> Result<String, Diagnostic> {
        let mut page = self.page(job, footer);
        let feed = self.feed_of(job);
        let meta = PageMeta { canonical: self.base.absolute(&page.url).filter(|_| page.url != "/404.html"), feed, base: self.base.path() };
        page.context.insert("meta", &meta);
        // Rendered as bytes: tera's `render` checks that the whole page is UTF-8 again (its
        // text all comes from `str`s), and grows its buffer from 2 KB.
        let mut html = Vec::with_capacity(PAGE_BUFFER);
        self.theme.tera.render_to(page.template, &page.context, &mut html).map_err(|e| {
            let d = template_error(&BTreeMap::new(), &e);
            Diagnostic::new("E0605", format!("templates/{}", page.template), None, format!("{}（生成 {} 时）", d.message, page.path))
                .with_hint(d.hint.unwrap_or_default())
        })?;
        let html = self.base.rebase_page(html);
        emit.emit(&page.path, &html).map_err(|e| write_error(&page.path, e))?;
        Ok(page.path)
    }

    /// The site paths of the pages of `jobs` that are folders (`/years/`, not `/404.html`): what
    /// the sitemap may list.
    pub fn sitemap_pages(&self, jobs: &[PageJob]) -> Vec<String> {
        jobs.iter().map(|&job| self.url_of(job)).filter(|url| permalink::output_path(url).ends_with("index.html")).collect()
    }

    /// The site path of a page, without rendering it.
    pub fn url_of(&self, job: PageJob) -> String {
        match job {
            PageJob::Home => permalink::home(),
            PageJob::NotFound => "/404.html".to_string(),
            PageJob::Search => permalink::search(),
            PageJob::Years => permalink::years(),
            PageJob::Year(y) => permalink::year(y),
            PageJob::Document(d) => self.index.doc(d).url.clone(),
            PageJob::Collection(c) => self.index.collections[c].url.clone(),
            PageJob::Parts(y, kind) => permalink::report_parts(y, kind.slug()),
            PageJob::Departments => permalink::departments(),
            PageJob::Department(i) => permalink::department(&self.registry.dept(i).slug),
            PageJob::Cities => permalink::cities(),
            PageJob::City(i) => permalink::city(&self.registry.city_entry(i).slug),
            PageJob::Programs => permalink::programs(),
            PageJob::Program(i) => permalink::program(&self.registry.program(i).slug),
            PageJob::Page(i) => self.pages[i].url.clone(),
            PageJob::Data => permalink::data(),
        }
    }

    /// Output path, template and view of one page.
    fn page(&self, job: PageJob, footer: &'a [Link]) -> PageOut {
        let url = self.url_of(job);
        match job {
            PageJob::Home => PageOut::new(&url, "home.html", &self.home(footer)),
            PageJob::NotFound => PageOut::new(&url, "404.html", &PlainPage { base: self.base(footer, "", Vec::new(), None) }),
            PageJob::Search => PageOut::new(&url, "search.html", &PlainPage { base: self.base(footer, "search", crumbs(&[], "搜索"), None) }),
            PageJob::Years => PageOut::new(&url, "years.html", &self.years(footer)),
            PageJob::Year(y) => PageOut::new(&url, "year.html", &self.year(footer, y)),
            PageJob::Document(d) => match self.index.doc(d).kind {
                Kind::Plan => PageOut::new(&url, "plan.html", &self.plan(footer, d)),
                Kind::Report => PageOut::new(&url, "report.html", &self.report(footer, d)),
            },
            PageJob::Collection(c) => PageOut::new(&url, "collection.html", &self.collection(footer, c)),
            PageJob::Parts(y, kind) => PageOut::new(&url, "parts.html", &self.parts(footer, y, kind)),
            PageJob::Departments => PageOut::new(&url, "departments.html", &self.departments(footer)),
            PageJob::Department(i) => PageOut::new(&url, "department.html", &self.department(footer, i)),
            PageJob::Cities => PageOut::new(&url, "cities.html", &self.cities(footer)),
            PageJob::City(i) => PageOut::new(&url, "city.html", &self.city(footer, i)),
            PageJob::Programs => PageOut::new(&url, "programs.html", &self.programs(footer)),
            PageJob::Program(i) => PageOut::new(&url, "program.html", &self.program(footer, i)),
            PageJob::Page(i) => PageOut::new(&url, "page.html", &self.free_page(footer, i)),
            PageJob::Data => PageOut::new(&url, "data.html", &self.data_page(footer)),
        }
    }

    fn base(&self, footer: &'a [Link], section: &'static str, crumbs: Vec<Crumb>, description: Option<String>) -> Base<'a> {
        Base { site: self.site, section, crumbs, description, pages: footer }
    }

    fn doc_view(&self, d: &'a Document) -> DocView<'a> {
        let collection = d.collection.as_deref();
        DocView {
            title: &d.title,
            url: &d.url,
            kind: match d.kind {
                Kind::Plan => "plan",
                Kind::Report => "report",
            },
            year: d.year,
            city: d.city.map(|c| self.registry.city_entry(c).name.as_str()),
            issuer: d.issuer.as_deref(),
            doc_number: d.doc_number.as_deref(),
            date: d.date.map(|x| x.to_string()),
            published: d.published.map(|x| x.to_string()),
            index_no: d.index_no.as_deref(),
            topic: d.topic.as_deref(),
            validity: d.validity.as_deref(),
            recipients: d.recipients.as_deref(),
            collection,
            collection_url: collection.and_then(|t| self.index.collections.iter().find(|c| c.title == t)).map(|c| c.url.as_str()),
            items: d.items.len(),
        }
    }

    fn collection_view(&self, c: &'a Collection, reports: usize) -> DocView<'a> {
        DocView {
            title: &c.title,
            url: &c.url,
            kind: "collection",
            year: c.date.map_or(0, |d| d.year),
            city: None,
            issuer: c.compiler.as_deref(),
            doc_number: None,
            date: c.date.map(|x| x.to_string()),
            published: None,
            index_no: None,
            topic: None,
            validity: None,
            recipients: None,
            collection: None,
            collection_url: None,
            items: reports,
        }
    }

    fn dept_link(&self, id: DeptId) -> Link {
        let d = self.registry.dept(id);
        Link { name: d.name.clone(), url: permalink::department(&d.slug) }
    }

    fn program_link(&self, id: crate::model::ProgramId) -> Link {
        let p = self.registry.program(id);
        Link { name: p.name.clone(), url: permalink::program(&p.slug) }
    }

    fn city_link(&self, id: crate::model::CityId) -> Link {
        let c = self.registry.city_entry(id);
        Link { name: c.name.clone(), url: permalink::city(&c.slug) }
    }

    /// An item in a list. `current`: the department whose page lists it, named in bold, not linked.
    fn item_view(&self, r: ItemRef, current: &str) -> ItemView<'a> {
        let doc = self.index.doc(r.doc);
        let item = &doc.items[r.item as usize];
        ItemView {
            number: item.number,
            title: &item.title,
            url: permalink::item(&doc.url, item.number),
            doc_title: &doc.title,
            doc_url: &doc.url,
            year: doc.year,
            responsibility: self.responsibility_html(item, current),
        }
    }

    /// The annotation's groups of names (linked where the registry knows them) and its notes,
    /// then the editors' lead departments, a line each (empty when there are none).
    fn responsibility_html(&self, item: &crate::extract::Item, current: &str) -> String {
        // Enough for the annotation of most items (a reallocation was a fifth of this function).
        let mut out = String::with_capacity(512);
        let name = |out: &mut String, name: &str, dept: Option<DeptId>| {
            let (open, close) = match dept {
                _ if name == current => ("<strong class=\"dept current\">", "</strong>"),
                Some(d) => (self.dept_link_openings[d.index()].as_str(), "</a>"),
                None => ("<span class=\"dept\">", "</span>"),
            };
            out.push_str(open);
            push_template_escaped(out, name);
            out.push_str(close);
        };
        if let Some(a) = item.annotation.as_ref().filter(|a| !a.groups.is_empty()) {
            out.push_str("<span class=\"item-deps\"><span class=\"deps-label\">责任：</span>");
            for (k, group) in a.groups.iter().enumerate() {
                if k > 0 {
                    out.push_str("<span class=\"sep\">，</span>");
                }
                out.push_str("<span class=\"dept-group\">");
                for (j, n) in group.iter().enumerate() {
                    if j > 0 {
                        out.push_str("<span class=\"sep\">、</span>");
                    }
                    name(&mut out, &n.text, self.registry.department(&n.text));
                }
                out.push_str("</span>");
            }
            for n in &a.notes {
                out.push_str("<span class=\"sep\">，</span><span class=\"dept-note\">");
                push_template_escaped(&mut out, &n.text);
                out.push_str("</span>");
            }
            out.push_str("</span>");
        }
        out.push('\n');
        let mut leads = item.attributions.iter().filter(|a| a.provenance == Provenance::Editorial).peekable();
        if leads.peek().is_some() {
            out.push_str("<span class=\"item-deps editorial\"><span class=\"deps-label\">编者注：原文未列责任部门，牵头部门为</span>");
            for a in leads {
                name(&mut out, &self.registry.dept(a.dept).name, Some(a.dept));
            }
            out.push_str("</span>");
        }
        out
    }

    /// How a department carries an item.
    fn role_view(&self, a: &crate::model::Attribution) -> RoleView {
        let group = a.group as usize + 1;
        match a.provenance {
            Provenance::Source if a.group == 0 => {
                RoleView { kind: "lead", label: "牵头".into(), detail: format!("原文责任部门注释第{group}组（列于首位）"), via: None }
            }
            Provenance::Source => RoleView { kind: "support", label: "配合".into(), detail: format!("原文责任部门注释第{group}组"), via: None },
            Provenance::Collective => {
                let via = a.via.map(|v| self.dept_link(v));
                let name = via.as_ref().map_or(String::new(), |l| l.name.clone());
                RoleView {
                    kind: "collective", label: "经集体承担".into(), detail: format!("原文注释列「{name}」（第{group}组），本部门为其成员"), via
                }
            }
            Provenance::Editorial => {
                RoleView {
                    kind: "editorial", label: "编者注：牵头".into(), detail: "原文未列责任部门，编者按文件标题确定牵头部门".into(), via: None
                }
            }
        }
    }

    fn free_page(&self, footer: &'a [Link], i: usize) -> FreePage<'a> {
        let p = &self.pages[i];
        FreePage {
            base: self.base(footer, "", crumbs(&[], &p.title), p.description.clone()),
            page: PageLink { title: p.title.clone(), url: p.url.clone(), for_editors: p.for_editors },
            body: self.markdown.render(p.body(), false, &crate::markdown::Markup::default()),
        }
    }
}

/// A free page (`pages/guide.md`).
#[derive(Serialize)]
struct FreePage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    page: PageLink,
    body: String,
}

#[derive(Serialize)]
struct PageLink {
    title: String,
    url: String,
    /// A page for the editors (the guide): marked so, and `noindex`.
    for_editors: bool,
}

fn write_error(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::new("E0512", path, None, format!("无法写入：{}", crate::diagnostics::io_reason(&e)))
}

/// The breadcrumb: 首页, then `path` (title, URL), then the page itself.
fn crumbs(path: &[(&str, &str)], here: &str) -> Vec<Crumb> {
    let mut v = vec![Crumb { title: "首页".into(), url: Some(permalink::home()) }];
    v.extend(path.iter().map(|(t, u)| Crumb { title: t.to_string(), url: Some(u.to_string()) }));
    v.push(Crumb { title: here.to_string(), url: None });
    v
}

/// The sentence that names one of `names` (from the previous 。！？； on), about 80 characters.
fn excerpt(text: &str, names: &[&str]) -> String {
    let at = names.iter().filter_map(|n| text.find(n)).min().unwrap_or(0);
    let start = text[..at].rfind(['。', '！', '？', '；']).map_or(0, |i| i + '。'.len_utf8());
    let sentence = &text[start..];
    let mut out: String = sentence.chars().take(80).collect();
    if out.len() < sentence.len() {
        out.push('…');
    }
    if start > 0 {
        out.insert(0, '…');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_html_escapes_the_five_and_keeps_chinese_whole() {
        assert_eq!(super::escape_html("“科普”<a href='x'>&\"中原\"</a>"), "“科普”&lt;a href=&#39;x&#39;&gt;&amp;&quot;中原&quot;&lt;/a&gt;");
        assert_eq!(super::escape_html(""), "");
        assert_eq!(super::escape_html("&"), "&amp;");
    }
}
