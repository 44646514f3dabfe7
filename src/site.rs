//! A whole site: load → parse → extract → check → index, then render → write.
//! `check` stops after the index; `build` goes on only when there is nothing to report.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::{check_document, check_links_of, check_unique_urls};
use crate::diagnostics::Report;
use crate::document::{parse_collection, parse_document, parse_page, Collection, Document, Page};
use crate::index::SiteIndex;
use crate::lint::lint_document;
use crate::load::{load, SourceFile};
use crate::markdown::MarkdownRenderer;
use crate::model::SiteConfig;
use crate::publish::BaseUrl;
use crate::registry::{parse_site, Registry};
use crate::render::{RenderContext, Theme};
use crate::search::write_search_index;
use crate::write::{emit_gathered, Emit, Fill, OutputDir, Protected, StagedOutput};

/// A loaded, validated site.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// Where it is published (`base_url`, or the `--base-url` given).
    pub base: BaseUrl,
    pub registry: Registry,
    pub index: SiteIndex,
    pub pages: Vec<Page>,
    /// What `check`, `build` and `serve` print but do not fail on (unless asked to deny
    /// warnings): dates that do not fit, empty sections. Holds the sources it quotes.
    pub warnings: Report,
    /// `data/relations.yaml`, which the index reads again when documents change.
    pub relations: Option<SourceFile>,
}

impl Site {
    /// What rendering the site reads, with the theme and Markdown renderer to render it with.
    pub fn render_context<'a>(&'a self, theme: &'a Theme, markdown: &'a MarkdownRenderer) -> RenderContext<'a> {
        RenderContext {
            theme,
            registry: &self.registry,
            index: &self.index,
            site: &self.config,
            base: &self.base,
            pages: &self.pages,
            markdown,
            dept_link_openings: crate::render::dept_link_openings(&self.registry),
        }
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
    /// The site's warnings (see [`Site::warnings`]), for the command to print.
    pub warnings: Report,
    /// Time and memory of each stage, in the order they ran (`planport build --timings`).
    pub timings: Timings,
}

/// Time and memory of each stage of a build.
#[derive(Debug, Clone)]
pub struct Timings {
    /// Each stage, in the order they ran.
    pub stages: Vec<Stage>,
    last: Instant,
    last_cpu: Duration,
}

/// One stage of a build as [`Timings`] saw it.
#[derive(Debug, Clone)]
pub struct Stage {
    /// What `--timings` calls it.
    pub name: &'static str,
    /// Wall time.
    pub took: Duration,
    /// CPU time of all the process's threads, user and system (zero where the system does not
    /// say): `cpu / took` is how many cores the stage kept busy.
    pub cpu: Duration,
    /// The process's memory at the stage's end, resident and the peak so far.
    pub memory: Memory,
}

/// CPU time this process has used so far, all threads, user and system.
#[cfg(unix)]
fn cpu_time() -> Duration {
    // SAFETY: `rusage` is plain integers, for which all zeros is a value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes only the struct it is given.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Not measured elsewhere: `--timings` shows zero.
#[cfg(not(unix))]
fn cpu_time() -> Duration {
    Duration::ZERO
}

/// Resident and peak resident memory of this process in MiB, from `/proc/self/status` (Linux;
/// 0 where the system does not say).
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    pub resident: u64,
    pub peak: u64,
}

impl Memory {
    fn now() -> Memory {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| -> u64 {
            status.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok()).unwrap_or(0) / 1024
        };
        Memory { resident: field("VmRSS:"), peak: field("VmHWM:") }
    }
}

impl Timings {
    /// Start timing now: the first stage runs from here.
    pub fn start() -> Timings {
        Timings { stages: Vec::new(), last: Instant::now(), last_cpu: cpu_time() }
    }

    /// The stage `name` ended now (it began where the previous one ended).
    pub fn lap(&mut self, name: &'static str) {
        let (now, cpu) = (Instant::now(), cpu_time());
        self.stages.push(Stage { name, took: now - self.last, cpu: cpu.saturating_sub(self.last_cpu), memory: Memory::now() });
        (self.last, self.last_cpu) = (now, cpu);
    }
}

/// How a build runs, beyond where from and where to.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions<'a> {
    /// The address the site is published at, overriding site.yaml's `base_url`.
    pub base_url: Option<&'a str>,
    /// Fail on any warning, as on an error (`--deny-warnings`): nothing is written.
    pub deny_warnings: bool,
    /// Keep the documents' source text after rendering, for a site that is kept and updated
    /// (`serve`). A build drops it once the pages are rendered: at 10,000 documents the sources
    /// are 175 MB that the search index, the last stage, does not read.
    pub keep_sources: bool,
}

/// Load and validate everything under `content_dir`; all problems are collected. `Err` holds
/// the errors (and the warnings found with them); warnings alone leave the site loaded.
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
    timings.lap("读取文件");
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
            report.push(crate::Diagnostic::new("E0702", path, span, message).with_hint("写网站发布的地址，例如 base_url: https://kx.example.org/，或写 /"));
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
    timings.lap("解析与抽取");
    let today = match crate::lint::today() {
        Ok(t) => t,
        Err(message) => {
            report.push(crate::Diagnostic::new("E0854", crate::lint::TODAY_VAR, None, message));
            return Err(with_sources(report, &content));
        }
    };
    let doc_problems: Vec<_> = docs.par_iter().flat_map_iter(|d| check_document(d, &registry).into_iter().chain(lint_document(d, today))).collect();
    report.extend(doc_problems);
    timings.lap("检查文档");
    let index = index_documents(&mut report, docs, collections, content.relations.as_ref(), &registry, &pages, &|_| true);
    timings.lap("索引与链接");
    if report.errors() > 0 {
        return Err(with_sources(report, &content));
    }
    let warnings = with_sources(report, &content);
    Ok(Site { root: site_root(content_dir), config, base, registry, index, pages, warnings, relations: content.relations })
}

/// `report` with the text of each file it names, for quoting. Only the files with problems:
/// copying every source took as long as reading them (175 MB at 10,000 documents).
fn with_sources(mut report: Report, content: &crate::load::Content) -> Report {
    let named: std::collections::HashSet<PathBuf> = report.diagnostics.iter().map(|d| d.file.clone()).collect();
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
        .filter(|f| named.contains(&f.path))
    {
        report.add_source(&f.path, &f.text);
    }
    report
}

/// The checks of loading that read more than one document, and the index: URLs used twice,
/// the index and its references, free pages that would replace a page of the site, and links.
/// `linked` chooses the documents whose links are checked (all of them, on a load; the edited
/// ones, on an edit that removed no page and no anchor).
pub fn index_documents(
    report: &mut Report,
    docs: Vec<Document>,
    collections: Vec<Collection>,
    relations: Option<&SourceFile>,
    registry: &Registry,
    pages: &[Page],
    linked: &dyn Fn(&Document) -> bool,
) -> SiteIndex {
    report.extend(check_unique_urls(&docs));
    let (index, index_problems) = SiteIndex::build(docs, collections, relations, registry);
    // References between documents are checked once the documents themselves are sound: a
    // broken plan would otherwise also be reported as every reference to it.
    if report.errors() == 0 {
        report.extend(index_problems);
    }
    let urls = site_urls(&index, registry, pages);
    // Counted once: comparing each page with every URL is quadratic in a site of many pages.
    let mut url_count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for u in &urls {
        *url_count.entry(u.as_str()).or_default() += 1;
    }
    for p in pages {
        if url_count.get(p.url.as_str()).copied().unwrap_or(0) > 1 {
            report.push(
                crate::Diagnostic::new("E0404", &p.path, None, format!("页面 {} 会覆盖网站自带的页面", p.url))
                    .with_hint("给这个页面换个文件名，或另写一个 slug:"),
            );
        }
    }
    report.extend(check_links_of(&index.docs, linked, pages, &urls));
    index
}

/// Every page URL of a site, free pages too, for link checking.
pub fn site_urls(index: &SiteIndex, registry: &Registry, pages: &[Page]) -> Vec<String> {
    let mut urls = index.urls(registry);
    urls.extend(pages.iter().map(|p| p.url.clone()));
    urls
}

/// The folders an output must not be, hold, or (for sources) lie inside.
fn protected_folders(content_dir: &Path) -> Vec<(&'static str, PathBuf, bool)> {
    let root = site_root(content_dir);
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    vec![
        ("内容文件夹", content_dir.to_path_buf(), true),
        ("网站的主题文件夹", root.join("themes"), true),
        ("网站的模板文件夹", root.join("templates"), true),
        ("网站文件夹", root, false),
        ("当前文件夹", cwd, false),
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
    build_with(content_dir, output, BuildOptions { base_url, ..BuildOptions::default() })
}

/// Like [`build`], as `options` say.
pub fn build_with(content_dir: &Path, output: &Path, options: BuildOptions<'_>) -> Result<BuildStats, Report> {
    build_observed(content_dir, output, options, None).map(|built| built.stats)
}

/// A finished build and what it was made from, for `planport serve` to keep.
pub struct Built {
    pub stats: BuildStats,
    pub site: Site,
    pub theme: Theme,
}

/// What a build shows each file it writes (path under the output, bytes).
pub type Observe<'a> = &'a (dyn Fn(&str, &[u8]) + Sync);

/// Like [`build_at`], showing `observe` every file written, and keeping the site and theme.
pub fn build_observed(content_dir: &Path, output: &Path, options: BuildOptions<'_>, observe: Option<Observe<'_>>) -> Result<Built, Report> {
    let base_url = options.base_url;
    let started = Instant::now();
    let mut timings = Timings::start();
    let protected = protected_folders(content_dir);
    let protected: Vec<Protected> = protected.iter().map(|(what, path, inside)| Protected { what, path, refuse_inside: *inside }).collect();
    let claimed = OutputDir::claim(output, &protected).map_err(|e| Report::from(crate::Diagnostic::from(e)))?;
    timings.lap("占用输出文件夹");
    let mut site = load_site_timed(content_dir, base_url, &mut timings)?;
    if options.deny_warnings && site.warnings.warnings() > 0 {
        return Err(site.warnings);
    }
    let warnings = std::mem::take(&mut site.warnings);
    // A build that fails from here on still reports the warnings found while loading.
    let fail = |mut report: Report| {
        report.append(warnings.clone());
        report
    };
    check_theme_folder(&site).map_err(fail)?;
    let theme = Theme::load(&site.root, &site.config.theme).map_err(|d| fail(Report::from(d)))?;
    let markdown = MarkdownRenderer::new();
    let ctx = site.render_context(&theme, &markdown);
    // Pages go into a staging directory as they render; it replaces `output` only at the end.
    let staged = claimed.stage().map_err(|e| fail(Report::from(crate::Diagnostic::from(e))))?;
    timings.lap("加载主题");
    let write = BuildEmit { staged: &staged, observe };
    let mut files = ctx.render_all(&write).map_err(|d| fail(Report::from(d)))?;
    if !options.keep_sources {
        let empty: std::sync::Arc<str> = std::sync::Arc::from("");
        site.index.docs.iter_mut().for_each(|doc| doc.drop_source(&empty));
    }
    timings.lap("生成页面");
    let search_started = Instant::now();
    let search = write_search_index(&site.index, &site.registry, &write).map_err(|e| fail(Report::from(crate::search::write_failed(output, &e))))?;
    let (search_files, search_bytes) = (search.paths.len(), search.bytes);
    files.extend(search.paths);
    let search_elapsed = search_started.elapsed();
    timings.lap("搜索索引");
    let notices = staged.commit().map_err(|e| fail(Report::from(crate::Diagnostic::from(e))))?;
    timings.lap("替换输出文件夹");
    let stats = BuildStats {
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
        warnings,
        timings,
    };
    Ok(Built { stats, site, theme })
}

/// A build's files: into the staging folder, each shown to `observe` first. Files made piece by
/// piece go straight to disk when nothing observes them.
struct BuildEmit<'a> {
    staged: &'a StagedOutput,
    observe: Option<Observe<'a>>,
}

impl Emit for BuildEmit<'_> {
    fn emit(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(observe) = self.observe {
            observe(path, bytes);
        }
        self.staged.write(path, bytes)
    }

    fn emit_with(&self, path: &str, fill: &mut Fill) -> std::io::Result<()> {
        match self.observe {
            None => self.staged.write_with(path, fill),
            Some(_) => emit_gathered(self, path, fill),
        }
    }
}

/// `themes/<name>` must be a folder of the site, not a link to one elsewhere (the name itself
/// is checked with site.yaml).
pub fn check_theme_folder(site: &Site) -> Result<(), Report> {
    let dir = site.root.join("themes").join(&site.config.theme);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.file_type().is_symlink() => Err(Report::from(
            crate::Diagnostic::new("E0602", &dir, None, format!("主题文件夹 {} 是符号链接；主题必须放在网站的 themes/ 文件夹里", dir.display()))
                .with_hint("把主题复制到 themes/ 里，不要用链接"),
        )),
        _ => Ok(()),
    }
}
