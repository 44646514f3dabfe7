//! Shared fixtures of the integration tests: the real content/ built once (in a temp dir, then
//! read into memory), its pages by URL, and a small reader of the Markdown sources that is
//! independent of planport's own parser (so expectations are not computed by the code under test).
// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use scraper::{ElementRef, Html, Selector};

/// The 18 cities of DESIGN.md: URL slug and the short name a plan item uses for the city.
pub const CITIES: [(&str, &str); 18] = [
    ("zhengzhou", "郑州"),
    ("kaifeng", "开封"),
    ("luoyang", "洛阳"),
    ("pingdingshan", "平顶山"),
    ("anyang", "安阳"),
    ("hebi", "鹤壁"),
    ("xinxiang", "新乡"),
    ("jiaozuo", "焦作"),
    ("puyang", "濮阳"),
    ("xuchang", "许昌"),
    ("luohe", "漯河"),
    ("sanmenxia", "三门峡"),
    ("nanyang", "南阳"),
    ("shangqiu", "商丘"),
    ("xinyang", "信阳"),
    ("zhoukou", "周口"),
    ("zhumadian", "驻马店"),
    ("jiyuan", "济源"),
];

pub fn repo_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn content_dir() -> PathBuf {
    repo_dir().join("content")
}

/// The official raw texts that `planport import` turned into content/.
pub fn seeds_dir() -> PathBuf {
    repo_dir().join("../shared/seeds")
}

/// A built site, read back into memory (the temp dir it was built in is gone).
pub struct BuiltSite {
    /// Every file: path relative to the output directory (with `/`) and bytes.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Every HTML page by URL: `/plans/x/` for `plans/x/index.html`, `/404.html` for `404.html`.
    pub pages: BTreeMap<String, String>,
}

impl BuiltSite {
    /// The parsed page at `url`; panics naming the URL when there is no such page.
    pub fn page(&self, url: &str) -> Html {
        let text = self.pages.get(url).unwrap_or_else(|| panic!("the site has no page {url}"));
        Html::parse_document(text)
    }
}

/// The real content/, built once per test binary.
pub fn site() -> &'static BuiltSite {
    static SITE: OnceLock<BuiltSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = files_under(&build_into(dir.path()));
        let pages = files
            .iter()
            .filter(|(rel, _)| rel.ends_with(".html"))
            .map(|(rel, bytes)| (url_of(rel), String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{rel} is not UTF-8"))))
            .collect();
        BuiltSite { files, pages }
    })
}

/// Build content/ into `<dir>/site` through the library API and return that path.
pub fn build_into(dir: &Path) -> PathBuf {
    let out = dir.join("site");
    if let Err(report) = planport::site::build(&content_dir(), &out) {
        panic!("the real content does not build:\n{}", report.to_json());
    }
    out
}

/// Every file under `root`: path relative to it (with `/`) and bytes, sorted by path.
/// Copy the folder `from` with everything in it to `to` (made if missing).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn files_under(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("walk output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(e.path()).expect("read output file");
            (rel, bytes)
        })
        .collect()
}

fn url_of(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{rel}"),
    }
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

/// The text of an element, text nodes joined as they are.
pub fn text_of(e: ElementRef<'_>) -> String {
    e.text().collect()
}

pub fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `href`s of the `a` elements inside `main`.
pub fn main_links(page: &Html) -> Vec<String> {
    page.select(&sel("main a[href]")).filter_map(|a| a.value().attr("href")).map(str::to_string).collect()
}

/// `(plan URL, item number)` of a link `/plans/<slug>/#item-<n>`.
pub fn item_target(href: &str) -> Option<(String, u32)> {
    let (path, fragment) = href.split_once('#')?;
    let n = fragment.strip_prefix("item-")?.parse().ok()?;
    (path.starts_with("/plans/") && path.ends_with('/')).then(|| (path.to_string(), n))
}

/// A Markdown document of content/, read with this file's own simple rules.
pub struct SourceDoc {
    /// The URL the design gives it: `/plans/<slug>/` or `/reports/<year of date>/<slug>/`.
    pub url: String,
    pub front: serde_yaml::Value,
    pub body: String,
}

impl SourceDoc {
    pub fn is_plan(&self) -> bool {
        self.front["kind"].as_str() == Some("plan")
    }

    /// `year:` of the front-matter.
    pub fn year(&self) -> i64 {
        self.front["year"].as_i64().expect("year")
    }

    /// `lead_departments:` of the front-matter (empty when absent).
    pub fn leads(&self) -> Vec<String> {
        strings(&self.front["lead_departments"])
    }

    /// The numbered items: lines `N. text` at line start, with their continuation lines up to
    /// the next blank line.
    pub fn items(&self) -> Vec<SourceItem> {
        let mut items: Vec<SourceItem> = Vec::new();
        let mut open = false;
        for line in self.body.lines() {
            if let Some((number, text)) = numbered_line(line) {
                items.push(SourceItem { number, text: text.to_string() });
                open = true;
            } else if line.trim().is_empty() || line.starts_with('#') {
                open = false;
            } else if open {
                let item = items.last_mut().expect("open item");
                item.text.push('\n');
                item.text.push_str(line);
            }
        }
        items
    }
}

fn numbered_line(line: &str) -> Option<(u32, &str)> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = line[digits..].strip_prefix(". ")?;
    Some((line[..digits].parse().ok()?, rest))
}

/// One plan item of the Markdown source.
pub struct SourceItem {
    pub number: u32,
    /// As written, annotation included.
    pub text: String,
}

impl SourceItem {
    /// Where the annotation starts: the last `（责任` or `(责任`.
    fn annotation_start(&self) -> Option<usize> {
        ["（责任", "(责任"].iter().filter_map(|l| self.text.rfind(l)).max()
    }

    /// The names of the annotation `（责任部门：A、B，C）`, split on 、，, .
    pub fn responsible(&self) -> Vec<String> {
        let Some(start) = self.annotation_start() else {
            return Vec::new();
        };
        let annotation = &self.text[start..];
        let inner = annotation.split(['）', ')']).next().unwrap_or("");
        let list = inner.split_once(['：', ':']).map_or("", |(_, l)| l);
        list.split(['、', '，', ',']).map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect()
    }

    /// The item's text before its annotation.
    pub fn text_without_annotation(&self) -> &str {
        &self.text[..self.annotation_start().unwrap_or(self.text.len())]
    }
}

fn strings(v: &serde_yaml::Value) -> Vec<String> {
    v.as_sequence().map(|s| s.iter().filter_map(|x| x.as_str()).map(str::to_string).collect()).unwrap_or_default()
}

fn read_yaml(path: &Path) -> serde_yaml::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every document under content/plans and content/reports, in path order.
pub fn source_docs() -> Vec<SourceDoc> {
    let cities = read_yaml(&content_dir().join("data/cities.yaml"));
    let city_slug = |name: &str| -> String {
        let city = cities.as_sequence().expect("cities list").iter().find(|c| c["name"].as_str() == Some(name) || c["short"].as_str() == Some(name));
        city.and_then(|c| c["slug"].as_str()).unwrap_or_else(|| panic!("unknown city {name}")).to_string()
    };
    let mut docs = Vec::new();
    for folder in ["plans", "reports"] {
        let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(content_dir().join(folder))
            .into_iter()
            .map(|e| e.expect("walk content").into_path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("read content");
            let rest = text.strip_prefix("---\n").unwrap_or_else(|| panic!("{} has no front-matter", path.display()));
            let (yaml, body) = rest.split_once("\n---\n").unwrap_or_else(|| panic!("{} has no closing ---", path.display()));
            let front: serde_yaml::Value = serde_yaml::from_str(yaml).expect("front-matter");
            let explicit_slug = front["slug"].as_str().map(str::to_string);
            let url = if folder == "plans" {
                let stem = path.file_stem().expect("stem").to_string_lossy().into_owned();
                format!("/plans/{}/", explicit_slug.unwrap_or(stem))
            } else {
                let date = match &front["date"] {
                    serde_yaml::Value::String(s) => s.clone(),
                    other => panic!("{}: date {other:?}", path.display()),
                };
                let slug = explicit_slug.unwrap_or_else(|| city_slug(front["city"].as_str().expect("report city")));
                format!("/reports/{}/{slug}/", &date[..4])
            };
            docs.push(SourceDoc { url, front, body: body.to_string() });
        }
    }
    docs
}

/// A department of data/departments.yaml: its slug, every name that means it, and the
/// collectives it belongs to with the years it holds (from, until).
pub struct SourceDepartment {
    pub slug: String,
    pub names: Vec<String>,
    pub collectives: Vec<(String, Option<i64>, Option<i64>)>,
}

impl SourceDepartment {
    /// Whether an item of `year` whose annotation lists `names` reaches this department,
    /// by name or through a collective it belongs to that year.
    pub fn carries(&self, names: &[String], year: i64) -> bool {
        names.iter().any(|n| self.names.contains(n))
            || self.collectives.iter().any(|(c, from, until)| names.contains(c) && from.is_none_or(|f| year >= f) && until.is_none_or(|u| year <= u))
    }
}

pub fn department(name: &str) -> SourceDepartment {
    let registry = read_yaml(&content_dir().join("data/departments.yaml"));
    let entry = registry
        .as_sequence()
        .expect("departments list")
        .iter()
        .find(|d| d["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("{name} is not in data/departments.yaml"));
    let mut names = vec![name.to_string()];
    names.extend(strings(&entry["aliases"]));
    let name_of = |slug: &str| -> String {
        let all = registry.as_sequence().expect("departments list");
        all.iter().find(|d| d["slug"].as_str() == Some(slug)).and_then(|d| d["name"].as_str()).unwrap_or_else(|| panic!("no collective {slug}")).to_string()
    };
    let collectives = entry["member_of"]
        .as_sequence()
        .map(|list| {
            list.iter()
                .map(|m| match m.as_str() {
                    Some(slug) => (name_of(slug), None, None),
                    None => (name_of(m["collective"].as_str().expect("collective")), m["from"].as_i64(), m["until"].as_i64()),
                })
                .collect()
        })
        .unwrap_or_default();
    SourceDepartment { slug: entry["slug"].as_str().expect("slug").to_string(), names, collectives }
}

/// One object of `planport check --format json`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Diag {
    pub code: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// Property tests run `cases` unless PROPTEST_CASES asks for a longer run; no regression files
/// in the repo (the inputs worth keeping are named tests).
pub fn config(cases: u32) -> proptest::test_runner::Config {
    let env = proptest::test_runner::Config::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { env.cases } else { cases };
    proptest::test_runner::Config { cases, failure_persistence: None, ..env }
}
