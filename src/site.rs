//! A whole site: load → parse → extract → check → index, then render → write.
//! `check` stops after the index; `build` goes on only when there is nothing to report.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::{check_document, check_links, check_unique_urls};
use crate::diagnostics::Report;
use crate::document::{parse_document, parse_page, Page};
use crate::index::SiteIndex;
use crate::load::load;
use crate::markdown::MarkdownRenderer;
use crate::model::SiteConfig;
use crate::registry::{parse_site, Registry};
use crate::render::{RenderContext, Theme};
use crate::write::StagedOutput;

/// A loaded, validated site.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub registry: Registry,
    pub index: SiteIndex,
    pub pages: Vec<Page>,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone, Copy)]
pub struct BuildStats {
    pub files: usize,
    /// HTML pages among the files.
    pub pages: usize,
    pub documents: usize,
    pub items: usize,
    pub departments: usize,
    pub cities: usize,
    pub elapsed: Duration,
}

/// Load and validate everything under `content_dir`; all problems are collected.
pub fn load_site(content_dir: &Path) -> Result<Site, Report> {
    let mut report = Report::default();
    let mut content = match load(content_dir) {
        Ok(c) => c,
        Err(problems) => {
            report.extend(problems);
            return Err(report);
        }
    };
    for f in content
        .site
        .iter()
        .chain(&content.departments)
        .chain(&content.cities)
        .chain(&content.programs)
        .chain(&content.documents)
        .chain(&content.pages)
        .chain(&content.unreadable)
    {
        report.add_source(&f.path, &f.text);
    }
    report.extend(std::mem::take(&mut content.problems));
    let config = parse_site(content.site.as_ref()).map_err(|d| report.push(d));
    let registry = Registry::load(content.departments.as_ref(), content.cities.as_ref(), content.programs.as_ref()).map_err(|p| report.extend(p));
    let (Ok(config), Ok(registry)) = (config, registry) else { return Err(report) };
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
    let doc_problems: Vec<_> = docs.par_iter().flat_map_iter(|d| check_document(d, &registry)).collect();
    report.extend(doc_problems);
    report.extend(check_unique_urls(&docs));
    let index = SiteIndex::build(docs, &registry);
    let mut urls = index.urls(&registry);
    urls.extend(pages.iter().map(|p| p.url.clone()));
    for p in &pages {
        if urls.iter().filter(|u| **u == p.url).count() > 1 {
            report.push(
                crate::Diagnostic::new(&p.path, None, format!("the page {} would replace a page of the site", p.url))
                    .with_hint("give the page another file name or `slug:`"),
            );
        }
    }
    let page_bodies: Vec<_> = pages.iter().map(|p| (p.path.clone(), p.text.clone(), p.body_offset, p.url.clone())).collect();
    report.extend(check_links(&index.docs, &page_bodies, &urls));
    if !report.is_empty() {
        return Err(report);
    }
    let root = content_dir.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    Ok(Site { root, config, registry, index, pages })
}

/// Build `content_dir` into `output`. Nothing is written unless the whole site renders.
pub fn build(content_dir: &Path, output: &Path) -> Result<BuildStats, Report> {
    let started = Instant::now();
    let site = load_site(content_dir)?;
    let fail = Report::from;
    let theme = Theme::load(&site.root, &site.config.theme).map_err(fail)?;
    let markdown = MarkdownRenderer::new();
    let ctx = RenderContext { theme: &theme, registry: &site.registry, index: &site.index, site: &site.config, pages: &site.pages, markdown: &markdown };
    let write_failed = |e: std::io::Error| fail(crate::Diagnostic::new(output, None, format!("cannot write the site: {e}")));
    // Pages go into a staging directory as they render; it replaces `output` only at the end.
    let staged = StagedOutput::begin(output).map_err(write_failed)?;
    let files = ctx.render_all(&|path, bytes| staged.write(path, bytes)).map_err(Report::from)?;
    staged.commit().map_err(write_failed)?;
    Ok(BuildStats {
        files: files.len(),
        pages: files.iter().filter(|p| p.ends_with(".html")).count(),
        documents: site.index.docs.len(),
        items: site.index.docs.iter().map(|d| d.items.len()).sum(),
        departments: site.registry.departments.len(),
        cities: site.registry.cities.len(),
        elapsed: started.elapsed(),
    })
}
