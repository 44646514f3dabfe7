//! Render stage: tera templates, one function per page kind, serializable view structs.
//! Runs after the index is built and only reads it; pages render in parallel.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::default_theme;
use crate::diagnostics::Diagnostic;
use crate::document::{Document, Page};
use crate::extract::BlockKind;
use crate::index::{ItemRef, SiteIndex};
use crate::markdown::MarkdownRenderer;
use crate::model::{Kind, SiteConfig};
use crate::registry::Registry;

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
            return Err(Diagnostic::new(site_root.join("content/site.yaml"), None, format!("theme `{name}` not found in {}", theme_dir.display()))
                .with_hint("set `theme: default` or create the theme folder"));
        }
        for dir in [theme_dir.join("templates"), site_root.join("templates")] {
            for (rel, path) in files_under(&dir) {
                let text = crate::load::read_text(&path).map_err(|(d, _)| d)?;
                templates.insert(rel, (path.display().to_string(), text));
            }
        }
        for (rel, path) in files_under(&theme_dir.join("static")) {
            let bytes = std::fs::read(&path).map_err(|e| Diagnostic::new(&path, None, format!("cannot read: {e}")))?;
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
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
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
    Diagnostic::new(file, None, format!("template error: {}", message.replace('\n', " ")))
}

/// Everything rendering reads.
pub struct RenderContext<'a> {
    pub theme: &'a Theme,
    pub registry: &'a Registry,
    pub index: &'a SiteIndex,
    pub site: &'a SiteConfig,
    pub pages: &'a [Page],
    pub markdown: &'a MarkdownRenderer,
}

#[derive(Serialize, Clone)]
struct Link {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct Crumb {
    title: String,
    url: Option<String>,
}

fn crumbs(path: &[(&str, &str)], here: &str) -> Vec<Crumb> {
    let mut v = vec![Crumb { title: "首页".into(), url: Some("/".into()) }];
    v.extend(path.iter().map(|(t, u)| Crumb { title: t.to_string(), url: Some(u.to_string()) }));
    v.push(Crumb { title: here.to_string(), url: None });
    v
}

#[derive(Serialize)]
struct DocView<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    year: i32,
    city: Option<&'a str>,
    issuer: Option<&'a str>,
    doc_number: Option<&'a str>,
    date: Option<String>,
    published: Option<String>,
    index_no: Option<&'a str>,
    topic: Option<&'a str>,
    validity: Option<&'a str>,
    recipients: Option<&'a str>,
    collection: Option<&'a str>,
    items: usize,
}

#[derive(Serialize)]
struct ItemView<'a> {
    number: u32,
    title: &'a str,
    url: String,
    doc_title: &'a str,
    doc_url: &'a str,
    year: i32,
    departments: Vec<Link>,
}

/// One page of the site, by kind and index.
#[derive(Debug, Clone, Copy)]
enum PageJob {
    Home,
    NotFound,
    Search,
    Years,
    Year(i32),
    Document(usize),
    Departments,
    Department(usize),
    Cities,
    City(usize),
    Programs,
    Program(usize),
    Page(usize),
}

impl<'a> RenderContext<'a> {
    fn doc_view(&self, d: &'a Document) -> DocView<'a> {
        DocView {
            title: &d.title,
            url: &d.url,
            kind: match d.kind {
                Kind::Plan => "plan",
                Kind::Report => "report",
            },
            year: d.year,
            city: d.city.map(|c| self.registry.cities[c].name.as_str()),
            issuer: d.issuer.as_deref(),
            doc_number: d.doc_number.as_deref(),
            date: d.date.map(|x| x.to_string()),
            published: d.published.map(|x| x.to_string()),
            index_no: d.index_no.as_deref(),
            topic: d.topic.as_deref(),
            validity: d.validity.as_deref(),
            recipients: d.recipients.as_deref(),
            collection: d.collection.as_deref(),
            items: d.items.len(),
        }
    }

    fn dept_link(&self, i: usize) -> Link {
        let d = &self.registry.departments[i];
        Link { name: d.name.clone(), url: d.url() }
    }

    fn item_view(&self, r: ItemRef) -> ItemView<'a> {
        let doc = &self.index.docs[r.doc];
        let item = &doc.items[r.item];
        ItemView {
            number: item.number,
            title: &item.title,
            url: format!("{}#item-{}", doc.url, item.number),
            doc_title: &doc.title,
            doc_url: &doc.url,
            year: doc.year,
            departments: self.index.item_departments[r.doc][r.item].iter().map(|&d| self.dept_link(d)).collect(),
        }
    }

    fn base(&self, section: &str, crumbs: Vec<Crumb>) -> Context {
        let mut c = Context::new();
        c.insert("site", self.site);
        // Free pages for the footer, except those for the editors (the guide), which stay out of
        // public navigation.
        let pages: Vec<Link> = self.pages.iter().filter(|p| !p.for_editors).map(|p| Link { name: p.title.clone(), url: p.url.clone() }).collect();
        c.insert("pages", &pages);
        c.insert("section", section);
        c.insert("crumbs", &crumbs);
        c
    }

    /// Render every page and static file, handing each to `emit` as soon as it is made (so a
    /// large site is never held in memory whole). Markdown bodies, template contexts and
    /// templates all run in parallel; only the list of pages is made up front. Returns the
    /// paths written, in a stable order.
    pub fn render_all(&self, emit: &(dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync)) -> Result<Vec<String>, Vec<Diagnostic>> {
        let mut jobs = vec![PageJob::Home, PageJob::NotFound, PageJob::Search, PageJob::Years];
        jobs.extend(self.index.years.keys().map(|&y| PageJob::Year(y)));
        jobs.extend((0..self.index.docs.len()).map(PageJob::Document));
        jobs.push(PageJob::Departments);
        jobs.extend((0..self.registry.departments.len()).map(PageJob::Department));
        jobs.push(PageJob::Cities);
        jobs.extend((0..self.registry.cities.len()).map(PageJob::City));
        jobs.push(PageJob::Programs);
        jobs.extend((0..self.registry.programs.len()).map(PageJob::Program));
        jobs.extend((0..self.pages.len()).map(PageJob::Page));
        let write_error = |path: &str, e: std::io::Error| Diagnostic::new(path, None, format!("cannot write: {e}"));
        let rendered: Vec<Result<String, Diagnostic>> = jobs
            .into_par_iter()
            .map(|job| {
                let (path, template, ctx) = self.page(job);
                let html = self.theme.tera.render(template, &ctx).map_err(|e| {
                    let d = template_error(&BTreeMap::new(), &e);
                    Diagnostic::new(format!("templates/{template}"), None, format!("{} (rendering {path})", d.message))
                })?;
                emit(&path, html.as_bytes()).map_err(|e| write_error(&path, e))?;
                Ok(path)
            })
            .collect();
        let mut paths = Vec::with_capacity(rendered.len() + 8);
        let mut problems = Vec::new();
        for r in rendered {
            match r {
                Ok(p) => paths.push(p),
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            problems.truncate(10);
            return Err(problems);
        }
        let index = self.search_index();
        emit("search-index.json", &index).map_err(|e| vec![write_error("search-index.json", e)])?;
        paths.push("search-index.json".into());
        for (name, bytes) in &self.theme.statics {
            let path = format!("static/{name}");
            emit(&path, bytes).map_err(|e| vec![write_error(&path, e)])?;
            paths.push(path);
        }
        Ok(paths)
    }

    /// Output path, template and context of one page.
    fn page(&self, job: PageJob) -> (String, &'static str, Context) {
        match job {
            PageJob::Home => ("index.html".into(), "home.html", self.home()),
            PageJob::NotFound => ("404.html".into(), "404.html", self.base("", Vec::new())),
            PageJob::Search => ("search/index.html".into(), "search.html", self.base("search", crumbs(&[], "搜索"))),
            PageJob::Years => ("years/index.html".into(), "years.html", self.years()),
            PageJob::Year(y) => (format!("years/{y}/index.html"), "year.html", self.year(y)),
            PageJob::Document(di) => {
                let d = &self.index.docs[di];
                let body = match d.kind {
                    Kind::Plan => self.markdown.render(d.body(), true, self.registry),
                    Kind::Report => self.markdown.render_report(d.body(), self.registry),
                };
                let path = format!("{}index.html", d.url.trim_start_matches('/'));
                match d.kind {
                    Kind::Plan => (path, "plan.html", self.plan(d, &body)),
                    Kind::Report => (path, "report.html", self.report(di, &body)),
                }
            }
            PageJob::Departments => ("departments/index.html".into(), "departments.html", self.departments()),
            PageJob::Department(i) => (format!("departments/{}/index.html", self.registry.departments[i].slug), "department.html", self.department(i)),
            PageJob::Cities => ("cities/index.html".into(), "cities.html", self.cities()),
            PageJob::City(i) => (format!("cities/{}/index.html", self.registry.cities[i].slug), "city.html", self.city(i)),
            PageJob::Programs => ("programs/index.html".into(), "programs.html", self.programs()),
            PageJob::Program(i) => (format!("programs/{}/index.html", self.registry.programs[i].slug), "program.html", self.program(i)),
            PageJob::Page(i) => {
                let p = &self.pages[i];
                let body = self.markdown.render(p.body(), false, self.registry);
                let mut c = self.base("", crumbs(&[], &p.title));
                c.insert("page", &serde_json::json!({ "title": p.title, "url": p.url, "for_editors": p.for_editors }));
                c.insert("description", &p.description);
                c.insert("body", &body);
                (format!("{}/index.html", p.slug), "page.html", c)
            }
        }
    }

    fn home(&self) -> Context {
        let mut c = self.base("home", Vec::new());
        let mut latest: Vec<&Document> = self.index.docs.iter().collect();
        // Newest first by the date the source gives, else by year; reports of one compilation
        // count once, so the home page shows distinct documents.
        latest.sort_by_key(|d| std::cmp::Reverse((d.date.map_or((d.year, 0, 0), |x| (x.year, x.month, x.day.unwrap_or(0))), d.kind == Kind::Plan)));
        let mut seen_collections = Vec::new();
        latest.retain(|d| match &d.collection {
            Some(col) if seen_collections.contains(col) => false,
            Some(col) => {
                seen_collections.push(col.clone());
                true
            }
            None => true,
        });
        let latest: Vec<DocView> = latest.into_iter().take(6).map(|d| self.doc_view(d)).collect();
        c.insert("latest", &latest);
        c.insert("years", &self.year_summaries());
        let departments: Vec<_> = self
            .registry
            .departments
            .iter()
            .enumerate()
            .filter(|(i, d)| d.collective.is_none() && self.index.department_items[*i].len() >= 5)
            .map(|(i, d)| serde_json::json!({"name": d.name, "url": d.url(), "count": self.index.department_items[i].len()}))
            .collect();
        c.insert("departments", &departments);
        let cities: Vec<_> = self.registry.cities.iter().map(|x| serde_json::json!({"short": x.short, "url": x.url()})).collect();
        c.insert("cities", &cities);
        // Programs without a parent, each with the programs that belong to it ("5610" → 科普中原 …).
        let link = |p: &crate::model::Program| serde_json::json!({"name": p.name, "url": p.url()});
        let programs: Vec<_> = self
            .registry
            .programs
            .iter()
            .filter(|p| p.parent.as_ref().is_none_or(|parent| !self.registry.programs.iter().any(|q| q.slug.as_str() == parent)))
            .map(|p| {
                let children: Vec<_> = self.registry.programs.iter().filter(|q| q.parent.as_deref() == Some(p.slug.as_str())).map(link).collect();
                serde_json::json!({"name": p.name, "url": p.url(), "children": children})
            })
            .collect();
        c.insert("programs", &programs);
        c
    }

    fn year_summaries(&self) -> Vec<serde_json::Value> {
        self.index
            .years
            .iter()
            .rev()
            .map(|(y, e)| {
                serde_json::json!({
                    "year": y, "url": format!("/years/{y}/"),
                    "plans": e.plans.len(), "reports": e.reports_on.len(), "report_plans": e.plans_in_reports.len(),
                    "count": e.plans.len() + e.reports_on.len() + e.plans_in_reports.len(),
                })
            })
            .collect()
    }

    fn years(&self) -> Context {
        let mut c = self.base("years", crumbs(&[], "年度"));
        c.insert("years", &self.year_summaries());
        c
    }

    fn year(&self, year: i32) -> Context {
        let e = &self.index.years[&year];
        let mut c = self.base("years", crumbs(&[("年度", "/years/")], &format!("{year}年")));
        c.insert("year", &year);
        let views = |v: &[usize]| -> Vec<DocView> { v.iter().map(|&d| self.doc_view(&self.index.docs[d])).collect() };
        c.insert("plans", &views(&e.plans));
        c.insert("reports", &views(&e.reports_on));
        let report_plans: Vec<_> = e
            .plans_in_reports
            .iter()
            .map(|&d| {
                let doc = &self.index.docs[d];
                let anchor = self.index.plan_anchor[d].as_deref();
                serde_json::json!({
                    "title": doc.title,
                    "city": doc.city.map(|x| self.registry.cities[x].name.as_str()),
                    "url": anchor.map_or_else(|| doc.url.clone(), |a| format!("{}#{a}", doc.url)),
                    "has_plans": anchor.is_some(),
                })
            })
            .collect();
        c.insert("report_plans", &report_plans);
        c
    }

    fn plan(&self, d: &'a Document, body: &str) -> Context {
        let mut c = self.base("years", crumbs(&[("年度", "/years/"), (&format!("{}年", d.year), &format!("/years/{}/", d.year))], &d.title));
        c.insert("doc", &self.doc_view(d));
        c.insert("body", body);
        let items: Vec<_> = d.items.iter().map(|i| serde_json::json!({"number": i.number, "title": i.title})).collect();
        c.insert("items", &items);
        c.insert("toc", &crate::toc::plan_toc(d));
        let leads: Vec<Link> = d.lead_departments.iter().map(|&i| self.dept_link(i)).collect();
        c.insert("leads", &leads);
        c.insert("description", &d.title);
        c
    }

    fn report(&self, di: usize, body: &str) -> Context {
        let d = &self.index.docs[di];
        let city = d.city.map(|i| &self.registry.cities[i]);
        let city_name = city.map_or("", |x| x.name.as_str());
        let city_url = city.map(|x| x.url()).unwrap_or_default();
        let mut c = self.base("cities", crumbs(&[("省辖市", "/cities/"), (city_name, &city_url)], &format!("{}年工作情况汇报", d.year)));
        c.insert("doc", &self.doc_view(d));
        c.insert("body", body);
        c.insert("city", &serde_json::json!({"name": city_name, "url": city_url}));
        c.insert("plan_anchor", &self.index.plan_anchor[di]);
        let programs: Vec<Link> =
            self.index.doc_programs[di].iter().map(|&p| Link { name: self.registry.programs[p].name.clone(), url: self.registry.programs[p].url() }).collect();
        c.insert("programs", &programs);
        c.insert("description", &format!("{city_name}：{}", d.title));
        c
    }

    fn departments(&self) -> Context {
        let mut c = self.base("departments", crumbs(&[], "责任部门"));
        use crate::model::DepartmentGroup as G;
        let groups: Vec<_> = [(G::Internal, "机关部门"), (G::Affiliated, "直属单位"), (G::Other, "其他单位"), (G::Collective, "集体承担")]
            .into_iter()
            .map(|(g, title)| {
                let list: Vec<_> = self
                    .registry
                    .departments
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.group() == g)
                    .map(|(i, d)| {
                        let years: Vec<String> = d.years.iter().map(|y| y.to_string()).collect();
                        serde_json::json!({"name": d.name, "url": d.url(), "count": self.index.department_items[i].len(), "years": years.join("、")})
                    })
                    .collect();
                serde_json::json!({"title": title, "departments": list})
            })
            .filter(|g| g["departments"].as_array().is_some_and(|a| !a.is_empty()))
            .collect();
        c.insert("groups", &groups);
        c
    }

    fn department(&self, i: usize) -> Context {
        let d = &self.registry.departments[i];
        let mut c = self.base("departments", crumbs(&[("责任部门", "/departments/")], &d.name));
        c.insert("dept", d);
        let refs = &self.index.department_items[i];
        c.insert("count", &refs.len());
        let years: Vec<_> = self
            .index
            .by_year(refs)
            .into_iter()
            .map(|(year, items)| {
                let mut docs: Vec<(usize, Vec<ItemRef>)> = Vec::new();
                for r in items {
                    match docs.iter_mut().find(|(doc, _)| *doc == r.doc) {
                        Some((_, v)) => v.push(r),
                        None => docs.push((r.doc, vec![r])),
                    }
                }
                let docs: Vec<_> = docs
                    .into_iter()
                    .map(|(doc, items)| {
                        let dd = &self.index.docs[doc];
                        let items: Vec<ItemView> = items.into_iter().map(|r| self.item_view(r)).collect();
                        serde_json::json!({"title": dd.title, "url": dd.url, "lead": dd.lead_departments.contains(&i), "items": items})
                    })
                    .collect();
                serde_json::json!({"year": year, "docs": docs})
            })
            .collect();
        c.insert("years", &years);
        let collectives: Vec<_> = d
            .member_of
            .iter()
            .filter_map(|slug| self.registry.departments.iter().position(|x| &x.slug == slug))
            .map(|ci| {
                let l = self.dept_link(ci);
                serde_json::json!({"name": l.name, "url": l.url, "count": self.index.department_items[ci].len()})
            })
            .collect();
        c.insert("collectives", &collectives);
        let members: Vec<Link> = if d.collective.as_deref() == Some("cities") {
            self.registry.cities.iter().map(|x| Link { name: x.name.clone(), url: x.url() }).collect()
        } else {
            self.registry.members_of(i).map(|m| self.dept_link(m)).collect()
        };
        c.insert("members", &members);
        c.insert("description", &format!("{}承担的工作", d.name));
        c
    }

    fn cities(&self) -> Context {
        let mut c = self.base("cities", crumbs(&[], "省辖市"));
        let cities: Vec<_> = self
            .registry
            .cities
            .iter()
            .enumerate()
            .map(|(i, x)| serde_json::json!({"name": x.name, "url": x.url(), "reports": self.index.city_reports[i].len(), "mentions": self.index.city_mentions[i].len()}))
            .collect();
        c.insert("cities", &cities);
        c
    }

    fn city(&self, i: usize) -> Context {
        let x = &self.registry.cities[i];
        let mut c = self.base("cities", crumbs(&[("省辖市", "/cities/")], &x.name));
        c.insert("city", x);
        let reports: Vec<DocView> = self.index.city_reports[i].iter().map(|&d| self.doc_view(&self.index.docs[d])).collect();
        c.insert("reports", &reports);
        let mentions: Vec<ItemView> = self.index.city_mentions[i].iter().map(|&r| self.item_view(r)).collect();
        c.insert("mentions", &mentions);
        if let Some(ci) = self.registry.all_cities_collective() {
            c.insert("collective", &self.dept_link(ci));
            let years: Vec<_> = self
                .index
                .by_year(&self.index.department_items[ci])
                .into_iter()
                .map(|(year, items)| {
                    let items: Vec<ItemView> = items.into_iter().map(|r| self.item_view(r)).collect();
                    serde_json::json!({"year": year, "items": items})
                })
                .collect();
            c.insert("collective_years", &years);
        }
        c.insert("description", &format!("{}科协的工作汇报与相关工作", x.name));
        c
    }

    fn programs(&self) -> Context {
        let mut c = self.base("programs", crumbs(&[], "重点工作"));
        let programs: Vec<_> = self
            .registry
            .programs
            .iter()
            .enumerate()
            .map(|(i, p)| serde_json::json!({"name": p.name, "url": p.url(), "parent": p.parent, "items": self.index.program_items[i].len(), "passages": self.index.program_passages[i].len()}))
            .collect();
        c.insert("programs", &programs);
        c
    }

    fn program(&self, i: usize) -> Context {
        let p = &self.registry.programs[i];
        let mut c = self.base("programs", crumbs(&[("重点工作", "/programs/")], &p.name));
        c.insert("program", p);
        let link = |q: &crate::model::Program| Link { name: q.name.clone(), url: q.url() };
        let parent = p.parent.as_ref().and_then(|s| self.registry.programs.iter().find(|q| q.slug.as_str() == s)).map(link);
        c.insert("parent", &parent);
        let children: Vec<Link> = self.registry.programs.iter().filter(|q| q.parent.as_deref() == Some(p.slug.as_str())).map(link).collect();
        c.insert("children", &children);
        let mut years: BTreeMap<i32, (Vec<ItemView>, Vec<serde_json::Value>)> = BTreeMap::new();
        for &r in &self.index.program_items[i] {
            years.entry(self.index.docs[r.doc].year).or_default().0.push(self.item_view(r));
        }
        for r in &self.index.program_passages[i] {
            let doc = &self.index.docs[r.doc];
            let block = &doc.blocks[r.block];
            debug_assert_eq!(block.kind, BlockKind::Passage);
            let city = doc.city.map_or("", |x| self.registry.cities[x].name.as_str());
            years.entry(r.year).or_default().1.push(serde_json::json!({
                "city": city, "url": format!("{}#{}", doc.url, block.anchor), "excerpt": excerpt(&block.text, &self.program_names(i)),
            }));
        }
        let years: Vec<_> =
            years.into_iter().rev().map(|(y, (items, passages))| serde_json::json!({"year": y, "items": items, "passages": passages})).collect();
        c.insert("years", &years);
        c.insert("description", &p.name);
        c
    }

    fn program_names(&self, i: usize) -> Vec<String> {
        let p = &self.registry.programs[i];
        std::iter::once(p.name.clone()).chain(p.aliases.iter().cloned()).collect()
    }

    /// Entries of the client-side search: documents, items, report passages, departments,
    /// cities and programs. Keys are short to keep the file small: t title, u url, k kind
    /// (doc, item, passage, department, city, program), d where, x text.
    fn search_index(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Entry<'e> {
            t: String,
            u: String,
            k: &'static str,
            d: String,
            x: &'e str,
        }
        let mut entries = Vec::new();
        for doc in &self.index.docs {
            let city = doc.city.map(|c| self.registry.cities[c].name.as_str());
            let title = match city {
                Some(c) => format!("{c}：{}", doc.title),
                None => doc.title.clone(),
            };
            entries.push(Entry { t: title.clone(), u: doc.url.clone(), k: "doc", d: format!("{}年", doc.year), x: "" });
            match doc.kind {
                // The annotation is left out: a search for 科普 should find what the items say,
                // not every item 科普部 answers for (its department page lists those).
                Kind::Plan => entries.extend(doc.items.iter().map(|item| Entry {
                    t: format!("第{}项 {}", item.number, item.title),
                    u: format!("{}#item-{}", doc.url, item.number),
                    k: "item",
                    d: format!("《{}》", doc.title),
                    x: item.text_without_annotation(),
                })),
                Kind::Report => entries.extend(doc.blocks.iter().filter(|b| b.kind == BlockKind::Passage).map(|b| Entry {
                    t: match (city, &b.section) {
                        (Some(c), Some(section)) => format!("{c}科协：{section}"),
                        _ => title.clone(),
                    },
                    u: format!("{}#{}", doc.url, b.anchor),
                    k: "passage",
                    d: format!("《{}》", doc.title),
                    x: &b.text,
                })),
            }
        }
        for d in &self.registry.departments {
            entries.push(Entry { t: d.name.clone(), u: d.url(), k: "department", d: "责任部门".into(), x: "" });
        }
        for c in &self.registry.cities {
            entries.push(Entry { t: c.name.clone(), u: c.url(), k: "city", d: "省辖市".into(), x: "" });
        }
        for p in &self.registry.programs {
            entries.push(Entry { t: p.name.clone(), u: p.url(), k: "program", d: "重点工作".into(), x: p.summary.as_deref().unwrap_or("") });
        }
        serde_json::to_vec(&entries).expect("search index serializes")
    }
}

/// The sentence that names the program (from the previous 。！？； on), about 80 characters.
fn excerpt(text: &str, names: &[String]) -> String {
    let at = names.iter().filter_map(|n| text.find(n.as_str())).min().unwrap_or(0);
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
