//! A whole site: load → parse → extract → check → index, then render → write.
//! `check` stops after the index; `build` goes on only when there is nothing to report.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::{check_document, check_links, check_unique_urls};
use crate::diagnostics::Report;
use crate::document::{parse_collection, parse_document, parse_page, Page};
use crate::index::SiteIndex;
use crate::load::load;
use crate::markdown::MarkdownRenderer;
use crate::model::SiteConfig;
use crate::publish::BaseUrl;
use crate::registry::{parse_site, Registry};
use crate::render::{RenderContext, Theme};
use crate::search::write_search_index;
use crate::write::{OutputDir, Protected};

/// A loaded, validated site.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// Where it is published (`base_url`, or the `--base-url` given).
    pub base: BaseUrl,
    pub registry: Registry,
    pub index: SiteIndex,
    pub pages: Vec<Page>,
}

impl Site {
    /// What rendering the site reads, with the theme and Markdown renderer to render it with.
    pub fn render_context<'a>(&'a self, theme: &'a Theme, markdown: &'a MarkdownRenderer) -> RenderContext<'a> {
        RenderContext { theme, registry: &self.registry, index: &self.index, site: &self.config, base: &self.base, pages: &self.pages, markdown }
    }
}

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildStats {
    pub files: usize,
    /// HTML pages among the files.
    pub pages: usize,
    pub documents: usize,
    pub items: usize,
    pub departments: usize,
    pub cities: usize,
    pub elapsed: Duration,
    /// The search index: files, bytes and the time spent building and writing it (part of
    /// `elapsed`, reported apart because it grows with the text, not with the pages).
    pub search_files: usize,
    pub search_bytes: usize,
    pub search_elapsed: Duration,
    /// What the build waited for, repaired or could not clean up, one line each.
    pub notices: Vec<String>,
    /// Wall time of each stage, in the order they ran (`planport build --timings`).
    pub timings: Timings,
}

/// Wall time of each stage of a build, in the order the stages ran.
#[derive(Debug, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    last: Instant,
}

impl Timings {
    /// Start timing now: the first stage runs from here.
    pub fn start() -> Timings {
        Timings { stages: Vec::new(), last: Instant::now() }
    }

    /// The stage `name` ended now (it began where the previous one ended).
    pub fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.stages.push((name, now - self.last));
        self.last = now;
    }
}

/// Load and validate everything under `content_dir`; all problems are collected.
pub fn load_site(content_dir: &Path) -> Result<Site, Report> {
    load_site_at(content_dir, None)
}

/// Like [`load_site`], published at `base_url` instead of site.yaml's.
pub fn load_site_at(content_dir: &Path, base_url: Option<&str>) -> Result<Site, Report> {
    load_site_timed(content_dir, base_url, &mut Timings::start())
}

/// [`load_site_at`], noting each stage's wall time in `timings`.
fn load_site_timed(content_dir: &Path, base_url: Option<&str>, timings: &mut Timings) -> Result<Site, Report> {
    let mut report = Report::default();
    let mut content = match load(content_dir) {
        Ok(c) => c,
        Err(problems) => {
            report.extend(problems);
            return Err(report);
        }
    };
    timings.lap("read");
    report.extend(std::mem::take(&mut content.problems));
    let config = parse_site(content.site.as_ref()).map_err(|d| report.push(d));
    let registry = Registry::load(content.departments.as_ref(), content.cities.as_ref(), content.programs.as_ref()).map_err(|p| report.extend(p));
    let (Ok(config), Ok(registry)) = (config, registry) else {
        return Err(with_sources(report, &content));
    };
    let base = match BaseUrl::parse(base_url.unwrap_or(&config.base_url)) {
        Ok(b) => b,
        Err(message) => {
            let (path, span) = match (base_url, &content.site) {
                (None, Some(f)) => (f.path.clone(), f.text.find("base_url").map(|i| i..i + "base_url".len())),
                _ => (PathBuf::from("--base-url"), None),
            };
            report.push(
                crate::Diagnostic::new(path, span, message)
                    .with_hint("write the address the site is published at, e.g. `base_url: https://kx.example.org/`, or `/`"),
            );
            return Err(with_sources(report, &content));
        }
    };
    let parsed: Vec<_> = content.documents.par_iter().map(|f| parse_document(f, &registry)).collect();
    let mut docs = Vec::with_capacity(parsed.len());
    for p in parsed {
        match p {
            Ok(d) => docs.push(d),
            Err(problems) => report.extend(problems),
        }
    }
    let mut pages = Vec::new();
    for f in &content.pages {
        match parse_page(f) {
            Ok(p) => pages.push(p),
            Err(problems) => report.extend(problems),
        }
    }
    let mut collections = Vec::new();
    for f in &content.collections {
        match parse_collection(f) {
            Ok(c) => collections.push(c),
            Err(problems) => report.extend(problems),
        }
    }
    timings.lap("parse and extract");
    let doc_problems: Vec<_> = docs.par_iter().flat_map_iter(|d| check_document(d, &registry)).collect();
    report.extend(doc_problems);
    report.extend(check_unique_urls(&docs));
    timings.lap("check documents");
    let (index, index_problems) = SiteIndex::build(docs, collections, content.relations.as_ref(), &registry);
    // References between documents are checked once the documents themselves are sound: a
    // broken plan would otherwise also be reported as every reference to it.
    if report.is_empty() {
        report.extend(index_problems);
    }
    timings.lap("index");
    let mut urls = index.urls(&registry);
    urls.extend(pages.iter().map(|p| p.url.clone()));
    // Counted once: comparing each page with every URL is quadratic in a site of many pages.
    let mut url_count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for u in &urls {
        *url_count.entry(u.as_str()).or_default() += 1;
    }
    for p in &pages {
        if url_count.get(p.url.as_str()).copied().unwrap_or(0) > 1 {
            report.push(
                crate::Diagnostic::new(&p.path, None, format!("the page {} would replace a page of the site", p.url))
                    .with_hint("give the page another file name or `slug:`"),
            );
        }
    }
    let page_bodies: Vec<_> = pages.iter().map(|p| (p.path.clone(), p.text.clone(), p.body_offset, p.url.clone())).collect();
    report.extend(check_links(&index.docs, &page_bodies, &urls));
    timings.lap("check links");
    if !report.is_empty() {
        return Err(with_sources(report, &content));
    }
    Ok(Site { root: site_root(content_dir), config, base, registry, index, pages })
}

/// `report` with the text of every file read, for quoting. Only a failed load needs them, and
/// copying them all took as long as reading them (175 MB at 10,000 documents).
fn with_sources(mut report: Report, content: &crate::load::Content) -> Report {
    for f in content
        .site
        .iter()
        .chain(&content.departments)
        .chain(&content.cities)
        .chain(&content.programs)
        .chain(&content.relations)
        .chain(&content.collections)
        .chain(&content.documents)
        .chain(&content.pages)
        .chain(&content.unreadable)
    {
        report.add_source(&f.path, &f.text);
    }
    report
}

/// The folders an output must not be, hold, or (for sources) lie inside.
fn protected_folders(content_dir: &Path) -> Vec<(&'static str, PathBuf, bool)> {
    let root = site_root(content_dir);
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    vec![
        ("the content folder", content_dir.to_path_buf(), true),
        ("the site's theme folder", root.join("themes"), true),
        ("the site's templates folder", root.join("templates"), true),
        ("the site folder", root, false),
        ("the current directory", cwd, false),
    ]
}

/// The folder that holds content/, themes/ and templates/.
fn site_root(content_dir: &Path) -> PathBuf {
    content_dir.parent().filter(|p| !p.as_os_str().is_empty()).map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// Build `content_dir` into `output`. Nothing is written unless the whole site renders; an
/// output that overlaps the sources or holds files planport did not write is refused before
/// anything is read. Only one build at a time writes one output: a second waits.
pub fn build(content_dir: &Path, output: &Path) -> Result<BuildStats, Report> {
    build_at(content_dir, output, None)
}

/// Like [`build`], published at `base_url` (overriding site.yaml's).
pub fn build_at(content_dir: &Path, output: &Path, base_url: Option<&str>) -> Result<BuildStats, Report> {
    let started = Instant::now();
    let mut timings = Timings::start();
    let protected = protected_folders(content_dir);
    let protected: Vec<Protected> = protected.iter().map(|(what, path, inside)| Protected { what, path, refuse_inside: *inside }).collect();
    let fail = Report::from;
    let claimed = OutputDir::claim(output, &protected).map_err(|e| fail(e.into()))?;
    timings.lap("claim output");
    let site = load_site_timed(content_dir, base_url, &mut timings)?;
    check_theme_folder(&site)?;
    let theme = Theme::load(&site.root, &site.config.theme).map_err(fail)?;
    let markdown = MarkdownRenderer::new();
    let ctx = site.render_context(&theme, &markdown);
    // Pages go into a staging directory as they render; it replaces `output` only at the end.
    let staged = claimed.stage().map_err(|e| fail(e.into()))?;
    timings.lap("theme");
    let mut files = ctx.render_all(&|path, bytes| staged.write(path, bytes)).map_err(Report::from)?;
    timings.lap("render pages");
    let search_started = Instant::now();
    let search = write_search_index(&site.index, &site.registry, &|path, bytes| staged.write(path, bytes))
        .map_err(|e| fail(crate::Diagnostic::new(output, None, format!("cannot write the search index: {e}"))))?;
    let (search_files, search_bytes) = (search.paths.len(), search.bytes);
    files.extend(search.paths);
    let search_elapsed = search_started.elapsed();
    timings.lap("search index");
    let notices = staged.commit().map_err(|e| fail(e.into()))?;
    timings.lap("swap output");
    Ok(BuildStats {
        files: files.len(),
        pages: files.iter().filter(|p| p.ends_with(".html")).count(),
        documents: site.index.docs.len(),
        items: site.index.docs.iter().map(|d| d.items.len()).sum(),
        departments: site.registry.departments.len(),
        cities: site.registry.cities.len(),
        elapsed: started.elapsed(),
        search_files,
        search_bytes,
        search_elapsed,
        notices,
        timings,
    })
}

/// `themes/<name>` must be a folder of the site, not a link to one elsewhere (the name itself
/// is checked with site.yaml).
fn check_theme_folder(site: &Site) -> Result<(), Report> {
    let dir = site.root.join("themes").join(&site.config.theme);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.file_type().is_symlink() => Err(Report::from(
            crate::Diagnostic::new(
                &dir,
                None,
                format!("the theme folder {} is a symbolic link; a theme must live inside the site's themes/ folder", dir.display()),
            )
            .with_hint("copy the theme into themes/ instead of linking to it"),
        )),
        _ => Ok(()),
    }
}
