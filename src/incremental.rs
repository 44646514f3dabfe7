//! Rebuilds for `planport serve`: the site stays loaded, an edit of documents re-reads just
//! those files, and only output files whose bytes change are written.
//!
//! An edit is taken in two steps. [`LiveSite::update`] re-parses the edited plans and reports,
//! checks them (and the links into them, when the edit removed a page or an anchor), puts them
//! into the index in place of the old ones (or, when a document is new, deleted or moves to
//! another place in the order, rebuilds the index from the documents already in memory) and
//! writes the edited documents' own pages, deleting pages that vanished: what the editor is
//! looking at. [`LiveSite::catch_up`] then
//! writes the rest that the edit can change: the pages of documents that show the edited ones
//! (documents of the same notice, related items, the other years of a program), the pages of
//! the departments named in the edited documents (before and after) and of their collectives
//! and members, every other page that is not a document's or a department's (years, cities,
//! programs, parts, home…; about a hundred and sixty), the feeds, sitemap and data files, and
//! the search index, which is recomputed whole (its entries are numbered across the site).
//!
//! Anything but a plan or report (site.yaml, the registries, relations, collections, free
//! pages, the theme and the templates), or a document that does not load, loads and renders
//! the whole site again, still writing only what changed. After `update` and a finished
//! `catch_up` the output is byte-identical to a fresh `planport build` of the same content.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use crate::check::{check_document, check_links_of};
use crate::diagnostics::{Report, Severity};
use crate::document::{parse_document, Document};
use crate::index::{ItemRef, SiteIndex};
use crate::lint::lint_document;
use crate::load::{read_text, SourceFile};
use crate::markdown::MarkdownRenderer;
use crate::model::DeptId;
use crate::permalink;
use crate::registry::Registry;
use crate::render::{PageJob, Theme};
use crate::search::write_search_index;
use crate::site::{build_observed, check_theme_folder, index_documents, load_site, site_urls, BuildOptions, BuildStats, Site};

/// A built site kept in memory with what its output holds.
pub struct LiveSite {
    content: PathBuf,
    /// `content` with its links resolved.
    content_real: PathBuf,
    output: PathBuf,
    site: Site,
    theme: Theme,
    markdown: MarkdownRenderer,
    /// Every file planport wrote into the output (path under it) and a hash of its bytes.
    written: HashMap<String, u64>,
    /// The output paths of the pages, in the order the site renders them (the sitemap's).
    pages: Vec<String>,
    /// Source files changed since the site last loaded; kept while they do not load.
    dirty: BTreeSet<PathBuf>,
    pending: Pending,
}

/// What edits taken by [`LiveSite::update`] still have to write.
#[derive(Debug, Default)]
struct Pending {
    /// Document pages, by URL.
    docs: BTreeSet<String>,
    departments: BTreeSet<DeptId>,
    /// Every page that is not a document's or a department's.
    other_pages: bool,
    /// Feeds, sitemap and data files.
    published: bool,
    search: bool,
}

/// What an update or a catch-up did.
#[derive(Debug, Default)]
pub struct Written {
    /// Of an update: the time to read, check and index the edited documents (the rest is
    /// rendering and writing).
    pub indexed: std::time::Duration,
    /// Files written because their bytes changed.
    pub files: usize,
    /// Files deleted because the site no longer has them.
    pub removed: usize,
    /// Whether the whole site was loaded and rendered again.
    pub full: bool,
    /// Of an update: the warnings of the edited documents (of the whole site, after a full
    /// load), which do not stop the preview.
    pub warnings: Report,
}

impl LiveSite {
    /// Build the site as `planport build` does (claimed output, swapped in whole) and keep it.
    pub fn start(content: &Path, output: &Path) -> Result<(LiveSite, BuildStats), Report> {
        let hashes = Mutex::new(HashMap::new());
        let observe = |path: &str, bytes: &[u8]| {
            hashes.lock().expect("hashes").insert(path.to_string(), hash(bytes));
        };
        let built = build_observed(content, output, BuildOptions { keep_sources: true, ..BuildOptions::default() }, Some(&observe))?;
        let mut live = LiveSite {
            content: content.to_path_buf(),
            content_real: fs::canonicalize(content).unwrap_or_else(|_| content.to_path_buf()),
            output: output.to_path_buf(),
            site: built.site,
            theme: built.theme,
            markdown: MarkdownRenderer::new(),
            written: hashes.into_inner().expect("hashes"),
            pages: Vec::new(),
            dirty: BTreeSet::new(),
            pending: Pending::default(),
        };
        live.pages = live.page_paths();
        Ok((live, built.stats))
    }

    /// Take in changed source files (as the watcher names them) and write the edited
    /// documents' pages. `Err` holds every problem of the site, as `planport build` reports
    /// them; the output then stays as it was, and the files are taken again with the next edit.
    pub fn update(&mut self, changed: impl IntoIterator<Item = PathBuf>) -> Result<Written, Report> {
        self.dirty.extend(changed);
        let documents: Option<BTreeSet<String>> = self.dirty.iter().map(|p| self.document_rel(p)).collect();
        let result = match documents {
            Some(rels) => self.update_documents(&rels),
            None => self.reload(),
        };
        if result.is_ok() {
            self.dirty.clear();
        }
        result
    }

    /// Whether [`catch_up`](Self::catch_up) has work to do.
    pub fn behind(&self) -> bool {
        let p = &self.pending;
        !p.docs.is_empty() || !p.departments.is_empty() || p.other_pages || p.published || p.search
    }

    /// Write what the edits taken so far still change, stage by stage; between stages, stop
    /// when `stop` says so (a new edit came). Returns whether everything is written.
    pub fn catch_up(&mut self, stop: &dyn Fn() -> bool) -> Result<(bool, Written), Report> {
        let mut done = Written::default();
        let ctx = self.site.render_context(&self.theme, &self.markdown);
        let writer = ChangedWriter { root: &self.output, known: &self.written, new: Mutex::new(Vec::new()) };
        let emit = |path: &str, bytes: &[u8]| writer.write(path, bytes);
        let jobs = ctx.page_jobs();
        let pending = &mut self.pending;
        // Stages: the documents that show the edited ones, the pages that are neither a
        // document's nor a department's, the departments'.
        let mut stopped = false;
        let mut removed = Vec::new();
        for stage in 0..3 {
            let chosen: Vec<PageJob> = jobs
                .iter()
                .copied()
                .filter(|&job| match (stage, job) {
                    (0, PageJob::Document(d)) => pending.docs.contains(&ctx.index.doc(d).url),
                    (1, PageJob::Document(_) | PageJob::Department(_)) => false,
                    (1, _) => pending.other_pages,
                    (2, PageJob::Department(d)) => pending.departments.contains(&d),
                    _ => false,
                })
                .collect();
            if !chosen.is_empty() {
                ctx.render_pages(&chosen, &emit).map_err(Report::from)?;
            }
            match stage {
                0 => pending.docs.clear(),
                1 => pending.other_pages = false,
                _ => pending.departments.clear(),
            }
            if stop() {
                stopped = true;
                break;
            }
        }
        if !stopped && pending.published {
            let now: HashSet<String> = ctx.publish_files(&ctx.sitemap_pages(&ctx.page_jobs()), &emit).map_err(Report::from)?.into_iter().collect();
            // A feed with no entries is left out: a city's, once its last document is gone.
            let pages: HashSet<&str> = self.pages.iter().map(String::as_str).collect();
            let published = |p: &&String| !pages.contains(p.as_str()) && !p.starts_with("search/") && !p.starts_with("static/");
            removed.extend(self.written.keys().filter(published).filter(|p| !now.contains(*p)).cloned());
            pending.published = false;
            stopped = stop();
        }
        if !stopped && pending.search {
            let started = Instant::now();
            let search = write_search_index(ctx.index, ctx.registry, &emit).map_err(|e| Report::from(crate::search::write_failed(&self.output, &e)))?;
            let now: HashSet<&str> = search.paths.iter().map(String::as_str).collect();
            // The search page itself is a page (`search/index.html`), not part of the index.
            let pages: HashSet<&str> = self.pages.iter().map(String::as_str).collect();
            removed.extend(self.written.keys().filter(|p| p.starts_with("search/") && !now.contains(p.as_str()) && !pages.contains(p.as_str())).cloned());
            eprintln!("搜索索引：{} 个文件，{} 字节，用时 {} 毫秒", search.paths.len(), search.bytes, started.elapsed().as_millis());
            pending.search = false;
        }
        let new = writer.finish();
        done.files = new.len();
        self.written.extend(new);
        done.removed = self.remove(&removed);
        Ok((!self.behind(), done))
    }

    /// The path of a plan or report under the content folder, `None` for any other file.
    /// The watcher may name files by the folder's resolved path.
    fn document_rel(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.content).or_else(|_| path.strip_prefix(&self.content_real)).ok()?;
        let rel = rel.to_str()?.replace('\\', "/");
        let is_document = (rel.starts_with("plans/") || rel.starts_with("reports/")) && rel.ends_with(".md");
        (is_document && !rel.split('/').any(|p| p.starts_with('.')) && !path.is_dir()).then_some(rel)
    }

    /// The edited documents, parsed and checked, with their warnings; `None` when one does not
    /// load or has an error (a whole load then finds and reports all problems) or is no longer
    /// a regular file.
    fn parse_edited(&self, rels: &BTreeSet<String>) -> Option<(Vec<Document>, Report)> {
        let registry = &self.site.registry;
        let today = crate::lint::today().ok()?;
        let mut warnings = Report::default();
        let mut fresh = Vec::new();
        for rel in rels {
            let path = self.content.join(rel);
            match fs::symlink_metadata(&path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue, // deleted
                Ok(m) if m.is_file() => {}
                _ => return None,
            }
            let text = read_text(&path).ok()?;
            let file = SourceFile { rel: rel.clone(), path, text: text.into() };
            let doc = parse_document(&file, registry).ok()?;
            let mut found = check_document(&doc, registry);
            found.extend(lint_document(&doc, today));
            if found.iter().any(|d| d.severity == Severity::Error) {
                return None;
            }
            if !found.is_empty() {
                warnings.add_source(&file.path, &file.text);
                warnings.extend(found);
            }
            fresh.push(doc);
        }
        Some((fresh, warnings))
    }

    fn update_documents(&mut self, rels: &BTreeSet<String>) -> Result<Written, Report> {
        let started = Instant::now();
        let Some((fresh, warnings)) = self.parse_edited(rels) else { return self.reload() };
        let registry = &self.site.registry;
        let relations = self.site.relations.as_ref();
        let paths: HashSet<PathBuf> = rels.iter().map(|rel| self.content.join(rel)).collect();
        let before = Footprint::of(&self.site.index, &paths);
        let program_years = self.site.index.program_years.clone();
        // Only the edited documents' links can break, unless the edit removed a page or an
        // anchor that other documents may link to.
        let removes_targets = self.site.index.docs.iter().filter(|d| paths.contains(&d.path)).any(|o| {
            let now = fresh.iter().find(|f| f.url == o.url);
            now.is_none_or(|f| !anchors(o).is_subset(&anchors(f)))
        });
        let linked = |d: &Document| removes_targets || paths.contains(&d.path);
        let mut report = Report::default();
        // Documents that keep their place and URL are put in place in the index: the site's
        // pages stay the same ones. A deleted document has no replacement.
        let in_place = if fresh.len() == paths.len() { self.site.index.replace(fresh, relations) } else { Err(fresh) };
        let same_pages = match in_place {
            Ok((old, problems)) => {
                report.extend(problems);
                let urls = site_urls(&self.site.index, registry, &self.site.pages);
                report.extend(check_links_of(&self.site.index.docs, &linked, &self.site.pages, &urls));
                if report.errors() > 0 {
                    if let Err(old) = self.site.index.replace(old, relations) {
                        unreachable!("{} documents put back where they were", old.len());
                    }
                    return self.reload();
                }
                true
            }
            Err(fresh) => {
                let urls_before = self.site.index.urls(registry);
                // Taken out in place: moving every document into two new lists took 10 ms at 10,000.
                let mut docs = std::mem::take(&mut self.site.index.docs);
                let old: Vec<Document> = docs.extract_if(.., |d| paths.contains(&d.path)).collect();
                docs.extend(fresh);
                let collections = self.site.index.collections.clone();
                let index = index_documents(&mut report, docs, collections.clone(), relations, registry, &self.site.pages, &linked);
                // A page that only exists while a document does (a year's page, its reports'
                // problems page) may be gone although no document's URL changed: links to it
                // are then checked everywhere, by a whole load.
                let vanished = !removes_targets && {
                    let urls_after: HashSet<String> = index.urls(registry).into_iter().collect();
                    urls_before.iter().any(|u| !urls_after.contains(u))
                };
                if report.errors() > 0 || vanished {
                    let mut docs = index.docs;
                    docs.retain(|d| !paths.contains(&d.path));
                    docs.extend(old);
                    self.site.index = SiteIndex::build(docs, collections, relations, registry).0;
                    return self.reload();
                }
                self.site.index = index;
                false
            }
        };
        let index = &self.site.index;
        let after = Footprint::of(index, &paths);
        // A plan item shows the other years of its programs.
        let programs_moved: Vec<usize> = (0..index.program_years.len()).filter(|&p| index.program_years[p] != program_years[p]).collect();
        let indexed = started.elapsed();
        let pending = &mut self.pending;
        pending.docs.extend(before.docs.into_iter().chain(after.docs));
        for p in programs_moved {
            pending.docs.extend(index.program_items[p].iter().map(|(r, _)| index.doc(r.doc).url.clone()));
        }
        pending.departments.extend(with_memberships(registry, &before.departments.union(&after.departments).copied().collect()));
        (pending.other_pages, pending.published, pending.search) = (true, true, true);

        // The edited documents' own pages now; pages that vanished go.
        let ctx = self.site.render_context(&self.theme, &self.markdown);
        let own: Vec<PageJob> = ctx.page_jobs().into_iter().filter(|&j| matches!(j, PageJob::Document(d) if paths.contains(&index.doc(d).path))).collect();
        for &j in &own {
            pending.docs.remove(&ctx.url_of(j));
        }
        let writer = ChangedWriter { root: &self.output, known: &self.written, new: Mutex::new(Vec::new()) };
        ctx.render_pages(&own, &|path: &str, bytes: &[u8]| writer.write(path, bytes)).map_err(Report::from)?;
        let new = writer.finish();
        let mut gone = Vec::new();
        if !same_pages {
            let pages = self.page_paths();
            let now: HashSet<&String> = pages.iter().collect();
            gone = self.pages.iter().filter(|p| !now.contains(p)).cloned().collect();
            self.pages = pages;
        }
        let files = new.len();
        self.written.extend(new);
        let removed = self.remove(&gone);
        Ok(Written { indexed, files, removed, full: false, warnings })
    }

    /// Load and render the whole site again, writing what changed and deleting what is gone.
    fn reload(&mut self) -> Result<Written, Report> {
        let mut site = load_site(&self.content)?;
        let warnings = std::mem::take(&mut site.warnings);
        check_theme_folder(&site)?;
        let theme = Theme::load(&site.root, &site.config.theme).map_err(Report::from)?;
        let ctx = site.render_context(&theme, &self.markdown);
        let writer = ChangedWriter { root: &self.output, known: &self.written, new: Mutex::new(Vec::new()) };
        let emit = |path: &str, bytes: &[u8]| writer.write(path, bytes);
        let rendered = ctx.render_all(&emit).map_err(Report::from).and_then(|mut files| {
            let search = write_search_index(&site.index, &site.registry, &emit).map_err(|e| Report::from(crate::search::write_failed(&self.output, &e)))?;
            files.extend(search.paths);
            Ok(files)
        });
        let new = writer.finish();
        // Files written before a failure are in the output: their hashes are known from now on,
        // or a later reload would take a file for unchanged and leave the failed run's copy.
        let files = match rendered {
            Ok(files) => files,
            Err(report) => {
                self.written.extend(new);
                return Err(report);
            }
        };
        let kept: HashSet<&str> = files.iter().map(String::as_str).collect();
        let gone: Vec<String> = self.written.keys().filter(|p| !kept.contains(p.as_str())).cloned().collect();
        let written = Written { files: new.len(), full: true, warnings, ..Written::default() };
        self.written.extend(new);
        self.site = site;
        self.theme = theme;
        self.pages = self.page_paths();
        self.pending = Pending::default();
        Ok(Written { removed: self.remove(&gone), ..written })
    }

    fn page_paths(&self) -> Vec<String> {
        let ctx = self.site.render_context(&self.theme, &self.markdown);
        ctx.page_jobs().into_iter().map(|j| permalink::output_path(&ctx.url_of(j))).collect()
    }

    /// Delete files of the output (and the folders they leave empty); returns how many.
    fn remove(&mut self, paths: &[String]) -> usize {
        for rel in paths {
            self.written.remove(rel);
            let file = self.output.join(rel);
            if fs::remove_file(&file).is_err() {
                continue;
            }
            let mut dir = file.parent();
            while let Some(d) = dir.filter(|d| *d != self.output && d.starts_with(&self.output)) {
                if fs::remove_dir(d).is_err() {
                    break; // not empty
                }
                dir = d.parent();
            }
        }
        paths.len()
    }
}

/// Every anchor of a document's page that a link may name.
fn anchors(d: &Document) -> BTreeSet<&str> {
    d.blocks.iter().map(|b| b.anchor.as_str()).chain(d.parts.iter().map(|p| p.anchor.as_str())).collect()
}

/// What pages some documents reach in one index: their own and those of documents that show
/// them (same notice, related items), by URL, and the departments their items name.
struct Footprint {
    docs: BTreeSet<String>,
    departments: BTreeSet<DeptId>,
}

impl Footprint {
    fn of(index: &SiteIndex, paths: &HashSet<PathBuf>) -> Footprint {
        let mut docs = BTreeSet::new();
        let mut departments = BTreeSet::new();
        for (d, doc) in index.docs.iter().enumerate().filter(|(_, doc)| paths.contains(&doc.path)) {
            let id = crate::model::DocId::new(d);
            docs.insert(doc.url.clone());
            docs.extend(index.siblings[d].iter().map(|&s| index.doc(s).url.clone()));
            for (i, item) in doc.items.iter().enumerate() {
                let related = index.relations.get(&ItemRef { doc: id, item: i as u32 }).map_or(&[][..], Vec::as_slice);
                docs.extend(related.iter().map(|(r, _)| index.doc(r.doc).url.clone()));
                departments.extend(item.attributions.iter().map(|a| a.dept));
            }
        }
        Footprint { docs, departments }
    }
}

/// A department's page counts the items of its collectives and of its members: those pages
/// change with it.
fn with_memberships(registry: &Registry, departments: &BTreeSet<DeptId>) -> Vec<DeptId> {
    registry
        .dept_ids()
        .filter(|&i| {
            departments.contains(&i)
                || registry.dept(i).member_of.iter().filter_map(|m| registry.dept_by_slug(m.collective())).any(|c| departments.contains(&c))
                || registry.members_of(i).any(|(m, _)| departments.contains(&m))
        })
        .collect()
}

/// Writes into the served output only files whose bytes differ from what it holds; safe to
/// call from many threads.
struct ChangedWriter<'a> {
    root: &'a Path,
    known: &'a HashMap<String, u64>,
    new: Mutex<Vec<(String, u64)>>,
}

impl ChangedWriter<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let h = hash(bytes);
        if self.known.get(rel) == Some(&h) {
            return Ok(());
        }
        // Never through a link or a file planted in the output since the first build: that
        // would write outside it.
        crate::write::check_writable(self.root, Path::new(rel)).map_err(|e| io::Error::other(e.to_string()))?;
        // Beside the file, then renamed over it: a page being served is never half written.
        let path = self.root.join(rel);
        let dir = path.parent().expect("a file under the output");
        fs::create_dir_all(dir)?;
        let name = path.file_name().expect("a file name").to_string_lossy();
        let tmp = dir.join(format!(".{name}.planport-new-{}", std::process::id()));
        fs::write(&tmp, bytes).and_then(|()| fs::rename(&tmp, &path)).inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })?;
        self.new.lock().expect("writer").push((rel.to_string(), h));
        Ok(())
    }

    fn finish(self) -> Vec<(String, u64)> {
        self.new.into_inner().expect("writer")
    }
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}
