//! Bad input, end to end: each test copies `content/` into a temporary directory, breaks one
//! thing, and runs the real binary. `planport check` and `planport build` must exit 1 with a
//! message that names the file, the line and the column and says what is wrong; nothing may
//! panic; and a failed build must leave the previous `output/` byte for byte as it was.
//! The last tests check that `planport import` fails the same way, and that titles and raw
//! HTML in Markdown never reach a built page unescaped.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::Diag;
use scraper::{Html, Selector};
use tempfile::TempDir;

const PLANPORT: &str = env!("CARGO_BIN_EXE_planport");

/// Every file under a directory, by path relative to it.
type Tree = BTreeMap<String, Vec<u8>>;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed(name: &str) -> PathBuf {
    repo().join("../shared/seeds").join(name)
}

fn read_tree(dir: &Path) -> Tree {
    fn walk(root: &Path, dir: &Path, tree: &mut Tree) {
        for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, tree);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                tree.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut tree = Tree::new();
    walk(dir, dir, &mut tree);
    tree
}

fn write_tree(dir: &Path, tree: &Tree) {
    for (rel, bytes) in tree {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

/// One good build of the real content, made once per run and kept in memory: every fixture
/// starts with it in its `output/`, as CI does after the previous merge.
fn previous_build() -> &'static Tree {
    static TREE: OnceLock<Tree> = OnceLock::new();
    TREE.get_or_init(|| {
        let tmp = TempDir::new().unwrap();
        write_tree(&tmp.path().join("content"), &read_tree(&repo().join("content")));
        let out = planport(tmp.path(), &["build", "--content", "content", "--output", "output"]);
        assert!(out.status.success(), "the real content must build:\n{}", String::from_utf8_lossy(&out.stderr));
        let tree = read_tree(&tmp.path().join("output"));
        assert!(tree.contains_key("index.html"), "the previous build has a home page");
        tree
    })
}

fn planport(dir: &Path, args: &[&str]) -> Output {
    Command::new(PLANPORT).args(args).current_dir(dir).output().expect("planport runs")
}

/// Text without the colour codes of the human format (printed only to a terminal; stripped in
/// case a test runs in one).
fn plain(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn assert_no_panic(what: &str, out: &Output) {
    let stderr = plain(&out.stderr);
    assert!(!stderr.contains("panicked") && out.status.code() != Some(101), "{what} panicked:\n{stderr}");
}

/// 1-based line and column (in characters) of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap_or_else(|| panic!("fixture text has no {needle:?}"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
    (line, col)
}

impl Diag {
    fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }

    fn hint(&self) -> &str {
        self.hint.as_deref().unwrap_or("")
    }
}

/// A copy of the real site in a temporary directory: `content/` and the `output/` of a
/// previous good build. Commands run inside it, so messages name `content/plans/….md`.
struct Site {
    tmp: TempDir,
}

impl Site {
    fn new() -> Site {
        let tmp = TempDir::new().unwrap();
        write_tree(&tmp.path().join("content"), &read_tree(&repo().join("content")));
        write_tree(&tmp.path().join("output"), previous_build());
        Site { tmp }
    }

    fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// A path under content/.
    fn path(&self, rel: &str) -> PathBuf {
        self.root().join("content").join(rel)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// Replace the first `from` in a content file, which must hold it.
    fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "content/{rel} has no {from:?}; the fixture needs updating");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Where `needle` first occurs in a content file, as the diagnostics count it.
    fn position(&self, rel: &str, needle: &str) -> (usize, usize) {
        position(&self.read(rel), needle)
    }

    fn run(&self, args: &[&str]) -> Output {
        planport(self.root(), args)
    }

    fn output(&self) -> Tree {
        read_tree(&self.root().join("output"))
    }

    /// Runs `check --format json`, `check` and `build`, and asserts what every rejection must
    /// do: exit code 1, no panic, the same problems in both formats with a summary, and the
    /// previous output/ untouched. Returns the JSON diagnostics.
    fn rejected(&self) -> Vec<Diag> {
        let json = self.run(&["check", "--content", "content", "--format", "json"]);
        assert_no_panic("check --format json", &json);
        assert_eq!(json.status.code(), Some(1), "check --format json must exit 1; stderr:\n{}", plain(&json.stderr));
        let stdout = String::from_utf8_lossy(&json.stdout);
        let diags: Vec<Diag> = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("check --format json printed no JSON array ({e}):\n{stdout}"));
        assert!(!diags.is_empty(), "exit 1 with an empty list of problems");
        for d in &diags {
            assert!(d.line >= 1 && d.column >= 1, "{d:?}");
            assert!(d.file.starts_with("content/"), "messages name the file as the user wrote it: {d:?}");
            assert!(is_code(&d.code), "every diagnostic has a code: {d:?}");
            assert!(is_chinese(&d.message), "the message is Chinese: {d:?}");
        }

        let human = self.run(&["check", "--content", "content"]);
        assert_no_panic("check", &human);
        assert_eq!(human.status.code(), Some(1), "check must exit 1");
        let stderr = plain(&human.stderr);
        for d in &diags {
            assert!(stderr.contains(&format!("[{}]：{}", d.code, d.message)), "check prints {} {:?}:\n{stderr}", d.code, d.message);
            let located = stderr.contains(&format!("┌─ {}:{}:{}\n", d.file, d.line, d.column)) || stderr.contains(&format!("┌─ {}\n", d.file));
            assert!(located, "check names {}:{}:{}:\n{stderr}", d.file, d.line, d.column);
        }
        assert!(stderr.trim_end().ends_with(&summary(&diags)), "check ends with the summary {:?}:\n{stderr}", summary(&diags));

        let before = self.output();
        let build = self.run(&["build", "--content", "content", "--output", "output"]);
        assert_no_panic("build", &build);
        assert_eq!(build.status.code(), Some(1), "build must exit 1; stdout:\n{}", String::from_utf8_lossy(&build.stdout));
        let stderr = plain(&build.stderr);
        for d in &diags {
            assert!(stderr.contains(&d.message), "build prints {:?}:\n{stderr}", d.message);
        }
        assert!(self.output() == before, "a failed build changed output/");
        let leftovers: Vec<_> =
            fs::read_dir(self.root()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(".output")).collect();
        assert!(leftovers.is_empty(), "a failed build left {leftovers:?} beside output/");
        diags
    }

    /// Runs `check` and `build` on content that must be accepted; returns the new output.
    fn accepted(&self) -> Tree {
        let check = self.run(&["check", "--content", "content", "--format", "json"]);
        assert_no_panic("check", &check);
        assert_eq!(check.status.code(), Some(0), "check must accept the content:\n{}", String::from_utf8_lossy(&check.stdout));
        assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "[]");
        let build = self.run(&["build", "--content", "content", "--output", "output"]);
        assert_no_panic("build", &build);
        assert_eq!(build.status.code(), Some(0), "build must succeed:\n{}", plain(&build.stderr));
        self.output()
    }
}

/// "2 个错误，涉及 2 个文件", as the human format ends.
fn summary(diags: &[Diag]) -> String {
    let mut files: Vec<&str> = diags.iter().map(|d| d.file.as_str()).collect();
    files.sort();
    files.dedup();
    format!("{} 个错误，涉及 {} 个文件", diags.len(), files.len())
}

/// `E0102`: an `E` and four digits.
fn is_code(code: &str) -> bool {
    code.len() == 5 && code.starts_with('E') && code[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Whether a text is written in Chinese: it holds CJK ideographs.
fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The diagnostic about `file` whose message holds every word; fails listing all of them.
fn find<'a>(diags: &'a [Diag], file: &str, words: &[&str]) -> &'a Diag {
    diags
        .iter()
        .find(|d| d.file == format!("content/{file}") && words.iter().all(|w| d.message.contains(w)))
        .unwrap_or_else(|| panic!("no diagnostic for content/{file} saying {words:?}; got:\n{diags:#?}"))
}

/// The only diagnostic of the run, which must be about `file` and hold every word.
fn only<'a>(diags: &'a [Diag], file: &str, words: &[&str]) -> &'a Diag {
    assert_eq!(diags.len(), 1, "one breakage, one message:\n{diags:#?}");
    find(diags, file, words)
}

const PLAN: &str = "plans/2023-key-tasks.md";
const PLAN_TITLE: &str = "title: 河南省科协2023年重点工作";
const LEAD_PLAN: &str = "plans/2021-society-work-points.md";
const REPORT: &str = "reports/2024/zhengzhou.md";

// ---- front-matter ----------------------------------------------------------------------

#[test]
fn rejects_broken_yaml_syntax() {
    let site = Site::new();
    site.replace(PLAN, "year: 2023\n", "year: 2023\n  : : oops\n");
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["缩进不对"]);
    assert_eq!((d.code.as_str(), d.position()), ("E0109", site.position(PLAN, ": : oops")), "{d:?}");
    assert!(d.hint().contains("对齐"), "{d:?}");
}

#[test]
fn rejects_unclosed_quote_in_front_matter() {
    let site = Site::new();
    site.replace(PLAN, PLAN_TITLE, "title: \"河南省科协2023年重点工作");
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["引号没有闭合"]);
    // serde_yaml reports where the string ran out; the message points where it opened.
    assert_eq!((d.code.as_str(), d.position()), ("E0107", site.position(PLAN, "\"河南省科协")), "{d:?}");
}

#[test]
fn rejects_missing_title() {
    let site = Site::new();
    site.replace(PLAN, &format!("{PLAN_TITLE}\n"), "");
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["缺少键 title"]);
    assert_eq!((d.code.as_str(), d.position()), ("E0114", (2, 1)), "points at the front-matter");
    assert!(d.hint().contains("title"), "{d:?}");
}

/// Regression: serde_yaml places a duplicate key at the start of the mapping, so the message
/// pointed at line 2 instead of at the second `year:`.
#[test]
fn rejects_a_duplicate_key_at_its_second_occurrence() {
    let site = Site::new();
    site.replace(PLAN, "year: 2023\n", "year: 2023\nyear: 2024\n");
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["键 year 出现了两次"]);
    assert_eq!(d.position(), site.position(PLAN, "year: 2024"));
}

#[test]
fn rejects_unknown_front_matter_key() {
    let site = Site::new();
    site.replace(PLAN, "year: 2023\n", "year: 2023\nauthor: 办公室\n");
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["未知的键 author"]);
    assert_eq!(d.position(), site.position(PLAN, "author:"));
    assert!(d.hint().starts_with("可用的键：title、") && d.hint().contains("lead_departments"), "the hint lists the valid keys: {d:?}");
    assert_eq!(d.hint().matches("lead_departments").count() + d.message.matches("lead_departments").count(), 1, "listed once: {d:?}");
}

#[test]
fn rejects_a_day_that_does_not_exist() {
    let site = Site::new();
    site.replace(PLAN, "date: 2023-03-17", "date: 2023-02-30");
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["2023-02-30", "没有 30 日"]);
    assert_eq!(d.position(), site.position(PLAN, "2023-02-30"));
}

#[test]
fn rejects_a_date_with_slashes() {
    let site = Site::new();
    site.replace(PLAN, "date: 2023-03-17", "date: 2023/03/17");
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["2023/03/17", "不是日期"]);
    assert!(d.hint().contains("YYYY-MM-DD"), "{d:?}");
    assert_eq!(d.position(), site.position(PLAN, "2023/03/17"));
}

#[test]
fn rejects_an_unknown_kind() {
    let site = Site::new();
    site.replace(PLAN, "kind: plan", "kind: plann");
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["kind 的值 plann 无效，您是否想写 plan？"]);
    assert_eq!(d.hint(), "可选的值：plan、report");
    assert_eq!(d.position(), site.position(PLAN, "plann"));
}

#[test]
fn rejects_a_report_kind_in_plans() {
    let site = Site::new();
    site.replace(PLAN, "kind: plan", "kind: report");
    let diags = site.rejected();
    let d = find(&diags, PLAN, &["报告（report）应放在 content/reports/ 文件夹里"]);
    assert_eq!(d.position(), site.position(PLAN, "report"));
}

#[test]
fn rejects_unknown_city_with_did_you_mean() {
    let site = Site::new();
    site.replace(REPORT, "city: 郑州市", "city: 郑洲市");
    let diags = site.rejected();
    let d = only(&diags, REPORT, &["未知的城市 郑洲市，您是否想写 郑州市？"]);
    assert_eq!(d.position(), site.position(REPORT, "郑洲市"));
    assert!(d.hint().contains("郑州市、开封市"), "the hint lists the cities: {d:?}");
}

#[test]
fn rejects_unknown_lead_department_with_did_you_mean() {
    let site = Site::new();
    site.replace(LEAD_PLAN, "- 学会学术部", "- 学会学术布");
    let diags = site.rejected();
    let d = only(&diags, LEAD_PLAN, &["未知的部门 学会学术布，您是否想写 学会学术部？"]);
    assert_eq!(d.position(), site.position(LEAD_PLAN, "学会学术布"));
    assert_eq!(d.code, "E0201");
}

#[test]
fn rejects_slug_that_climbs_out_of_the_output() {
    for slug in ["../../etc", "a/b", "/etc"] {
        let site = Site::new();
        site.replace(PLAN, "year: 2023\n", &format!("year: 2023\nslug: {slug}\n"));
        let diags = site.rejected();
        let d = only(&diags, PLAN, &["slug", slug]);
        assert_eq!(d.position(), site.position(PLAN, &format!("{slug}\n")), "{slug}");
    }
}

#[test]
fn rejects_front_matter_that_is_never_closed() {
    let site = Site::new();
    site.write("plans/unclosed.md", "---\ntitle: 未闭合的前言\nkind: plan\nyear: 2023\n\n1. 一项工作。（责任部门：科普部）\n");
    let diags = site.rejected();
    let d = only(&diags, "plans/unclosed.md", &["前置信息没有结束行"]);
    assert_eq!(d.position(), (1, 1));
    assert!(d.hint().contains("---"), "{d:?}");
}

// ---- items and annotations -------------------------------------------------------------

#[test]
fn rejects_unknown_department_in_annotation_with_did_you_mean() {
    let site = Site::new();
    let plan = "plans/2023-work-points.md";
    site.replace(plan, "（责任部门：科普部", "（责任部门：科普布");
    let diags = site.rejected();
    let d = only(&diags, plan, &["未知的部门 科普布，您是否想写 科普部？"]);
    assert_eq!(d.position(), site.position(plan, "科普布"));
    assert!(d.hint().contains("departments.yaml"), "{d:?}");
}

#[test]
fn rejects_an_item_number_used_twice() {
    let site = Site::new();
    site.replace(PLAN, "\n3. ", "\n2. ");
    let diags = site.rejected();
    let d = find(&diags, PLAN, &["第 2 项出现了两次"]);
    let (line, _) = site.position(PLAN, "\n2. 基本建成");
    assert_eq!(d.position(), (line + 1, 1));
}

#[test]
fn rejects_a_skipped_item_number() {
    let site = Site::new();
    let text = site.read(PLAN);
    let item3 = text.lines().find(|l| l.starts_with("3. ")).unwrap().to_string();
    site.replace(PLAN, &format!("{item3}\n"), "");
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["缺少第 3 项", "之后是第 4 项"]);
    let (line, _) = site.position(PLAN, "\n4. ");
    assert_eq!(d.position(), (line + 1, 1));
}

/// Regression: a plan numbered from 0 was told "item 0 is out of order: item 0 came before it".
#[test]
fn rejects_a_plan_numbered_from_zero_without_a_false_claim() {
    let site = Site::new();
    site.replace(PLAN, "\n1. ", "\n0. ");
    let diags = site.rejected();
    let d = find(&diags, PLAN, &["第 0 项"]);
    let (line, _) = site.position(PLAN, "\n0. ");
    assert_eq!(d.position(), (line + 1, 1));
    assert!(!d.message.contains("在第 0 项之后"), "nothing came before item 0: {d:?}");
}

#[test]
fn rejects_item_without_annotation_in_plan_without_lead_department() {
    let site = Site::new();
    site.replace(LEAD_PLAN, "lead_departments:\n- 学会学术部\n", "");
    let diags = site.rejected();
    let items =
        site.read(LEAD_PLAN).lines().filter(|l| l.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))).count();
    assert_eq!(diags.len(), items, "every item is reported:\n{diags:#?}");
    let d = find(&diags, LEAD_PLAN, &["第 1 项没有写责任部门"]);
    let (line, _) = site.position(LEAD_PLAN, "\n1. ");
    assert_eq!(d.position(), (line + 1, 1));
    assert!(d.hint().contains("lead_departments"), "{d:?}");
}

#[test]
fn rejects_a_plan_with_only_front_matter() {
    let site = Site::new();
    site.write("plans/2024-work-points.md", "---\ntitle: 河南省科协2024年工作要点\nkind: plan\nyear: 2024\n---\n");
    let diags = site.rejected();
    let d = only(&diags, "plans/2024-work-points.md", &["计划里没有编号的项目"]);
    assert!((5..=6).contains(&d.line), "points at the (empty) body: {d:?}");
}

// ---- links and URLs --------------------------------------------------------------------

#[test]
fn rejects_two_documents_on_one_url() {
    let site = Site::new();
    let copy = "plans/extra/copy.md";
    site.write(copy, site.read(PLAN).replacen("year: 2023\n", "year: 2023\nslug: 2023-key-tasks\n", 1));
    assert_one_url_clash(&site.rejected(), PLAN, copy, "/plans/2023-key-tasks/");
}

#[test]
fn rejects_two_reports_of_one_city_and_year_without_slugs() {
    let site = Site::new();
    let copy = "reports/2024/zhengzhou-again.md";
    site.write(copy, site.read(REPORT));
    assert_one_url_clash(&site.rejected(), REPORT, copy, "/reports/2024/zhengzhou/");
}

/// One message, on either file, naming the URL and the other file.
fn assert_one_url_clash(diags: &[Diag], a: &str, b: &str, url: &str) {
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    let other = if d.file == format!("content/{a}") { b } else { a };
    assert!(d.file == format!("content/{a}") || d.file == format!("content/{b}"), "{d:?}");
    assert!(d.message.contains(url) && d.message.contains(&format!("content/{other}")), "names the URL and the other file: {d:?}");
    assert!(d.hint().contains("slug"), "{d:?}");
}

#[test]
fn rejects_link_to_a_page_that_does_not_exist() {
    let site = Site::new();
    let text = site.read(PLAN);
    site.write(PLAN, format!("{text}\n另见[不存在的计划](/plans/nope/)。\n"));
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["/plans/nope/", "页面不存在"]);
    assert_eq!(d.position(), site.position(PLAN, "[不存在的计划]"));
}

#[test]
fn rejects_link_to_an_anchor_that_does_not_exist() {
    let site = Site::new();
    let text = site.read(PLAN);
    site.write(PLAN, format!("{text}\n另见[第99项](/plans/2023-work-points/#item-99)。\n"));
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["#item-99"]);
    assert!(d.message.contains("没有锚点"), "{d:?}");
    assert_eq!(d.position(), site.position(PLAN, "[第99项]"));
}

#[test]
fn rejects_link_to_a_missing_anchor_on_the_same_page() {
    let site = Site::new();
    let text = site.read(PLAN);
    site.write(PLAN, format!("{text}\n见[第99项](#item-99)。\n"));
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["#item-99", "没有锚点"]);
    assert_eq!(d.position(), site.position(PLAN, "[第99项]"));
}

#[test]
fn rejects_a_broken_link_in_a_free_page() {
    // Free pages are parsed for their links when checked; documents' links come from extract.
    const GUIDE: &str = "pages/guide.md";
    let site = Site::new();
    let text = site.read(GUIDE);
    site.write(GUIDE, format!("{text}\n另见[不存在的计划](/plans/nope/)和[第99项](/plans/2023-work-points/#item-99)。\n"));
    let diags = site.rejected();
    let missing = diags.iter().find(|d| d.message.contains("/plans/nope/")).expect("the missing page is reported");
    assert!(missing.message.contains("页面不存在") && missing.file.ends_with(GUIDE), "{missing:?}");
    assert_eq!(missing.position(), site.position(GUIDE, "[不存在的计划]"));
    let anchor = diags.iter().find(|d| d.message.contains("#item-99")).expect("the missing anchor is reported");
    assert!(anchor.message.contains("没有锚点"), "{anchor:?}");
    assert_eq!(anchor.position(), site.position(GUIDE, "[第99项]"));
}

#[test]
fn rejects_a_free_page_that_would_replace_a_site_page() {
    let site = Site::new();
    site.write("pages/years.md", "---\ntitle: 年度\n---\n\n正文。\n");
    let diags = site.rejected();
    only(&diags, "pages/years.md", &["/years/", "会覆盖"]);
}

#[test]
fn rejects_unknown_key_in_a_free_page() {
    let site = Site::new();
    site.write("pages/about.md", "---\ntitle: 关于\nauthor: 办公室\n---\n\n正文。\n");
    let diags = site.rejected();
    let d = only(&diags, "pages/about.md", &["未知的键 author"]);
    assert_eq!(d.position(), (3, 1));
}

// ---- files that are not documents --------------------------------------------------------

/// `---\ntitle: x…` then 科普部 in GBK on line 6, column 4.
const GBK_DOCUMENT: &[u8] = b"---\ntitle: GBK\nkind: plan\nyear: 2023\n---\n1. \xbf\xc6\xc6\xd5\xb2\xbf\n";

#[test]
fn rejects_a_file_in_gbk() {
    let site = Site::new();
    site.write("plans/gbk.md", GBK_DOCUMENT);
    let diags = site.rejected();
    // The position (line 6, column 4: the first byte that is not UTF-8) is in the span; see
    // json_position_of_a_gbk_file_is_its_first_bad_byte.
    let d = only(&diags, "plans/gbk.md", &["不是 UTF-8 编码的文本"]);
    assert!(d.hint().contains("GB18030"), "{d:?}");
}

/// Regression: the JSON of a non-UTF-8 file says 1:1 while its message says line 6, column 4,
/// so CI annotations point at the wrong line.
#[test]
fn json_position_of_a_gbk_file_is_its_first_bad_byte() {
    let site = Site::new();
    site.write("plans/gbk.md", GBK_DOCUMENT);
    let diags = site.rejected();
    let d = only(&diags, "plans/gbk.md", &["不是 UTF-8 编码的文本"]);
    assert_eq!(d.position(), (6, 4), "{d:?}");
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";

#[test]
fn rejects_a_png_in_plans() {
    let site = Site::new();
    site.write("plans/logo.png", PNG);
    let diags = site.rejected();
    let d = only(&diags, "plans/logo.png", &["不是 Markdown 文档"]);
    assert_eq!(d.position(), (1, 1));
}

#[test]
fn rejects_png_bytes_named_md() {
    let site = Site::new();
    site.write("plans/logo.md", PNG);
    let diags = site.rejected();
    only(&diags, "plans/logo.md", &["二进制文件"]);
}

#[test]
fn rejects_an_empty_file() {
    let site = Site::new();
    site.write("reports/2024/empty.md", "");
    let diags = site.rejected();
    let d = only(&diags, "reports/2024/empty.md", &["文件是空的"]);
    assert_eq!(d.position(), (1, 1));
}

#[test]
fn rejects_a_50_mb_file() {
    let site = Site::new();
    let mut text = String::from("---\ntitle: 超大文件\nkind: plan\nyear: 2023\n---\n");
    let item = "1. 一项工作。（责任部门：科普部）\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(item);
    }
    site.write("plans/huge.md", text);
    let diags = site.rejected();
    let d = only(&diags, "plans/huge.md", &["MB", "上限"]);
    assert_eq!(d.position(), (1, 1));
}

// ---- hostile input (issue 9): bounded before it is parsed --------------------------------

#[test]
fn rejects_deeply_nested_yaml_in_front_matter_at_once() {
    let site = Site::new();
    site.replace(PLAN, PLAN_TITLE, &format!("title: {}", "[".repeat(50_000)));
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["嵌套超过 32 层"]);
    assert_eq!(d.position(), (2, 8 + 32), "points at the 33rd `[` (the first is in column 8)");
}

#[test]
fn rejects_deeply_nested_yaml_in_site_yaml_and_registries() {
    for file in ["site.yaml", "data/departments.yaml", "data/programs.yaml"] {
        let site = Site::new();
        site.write(file, format!("{}\n{}\n", site.read(file), "{".repeat(40_000)));
        let diags = site.rejected();
        find(&diags, file, &["嵌套超过 32 层"]);
    }
}

#[test]
fn rejects_more_brackets_than_any_yaml_needs() {
    let site = Site::new();
    site.replace(PLAN, PLAN_TITLE, &format!("{PLAN_TITLE}\nlead_departments: {}", "[]".repeat(2_000)));
    only(&site.rejected(), PLAN, &["“[”和“{”超过 1000 个"]);
}

#[test]
fn rejects_yaml_aliases_that_multiply_a_text() {
    let site = Site::new();
    let laughs: String = (0..120).map(|i| format!("k{i}: *t\n")).collect();
    site.replace(PLAN, PLAN_TITLE, &format!("title: &t 河南省科协2023年重点工作\n{laughs}"));
    only(&site.rejected(), PLAN, &["别名"]);
}

#[test]
fn rejects_front_matter_larger_than_64_kb() {
    let site = Site::new();
    site.replace(PLAN, PLAN_TITLE, &format!("{PLAN_TITLE}\ntopic: {}", "很长".repeat(12_000)));
    let diags = site.rejected();
    let d = only(&diags, PLAN, &["前置信息", "上限是 64 KB"]);
    assert_eq!(d.position(), (1, 1));
}

#[test]
fn rejects_a_file_name_with_a_backslash() {
    let site = Site::new();
    site.write("plans/..\\..\\escape.md", site.read(PLAN).replace("2023-key-tasks", "escape"));
    find(&site.rejected(), "plans/..\\..\\escape.md", &["文件名里有“\\”"]);
}

#[test]
fn rejects_a_pipe_in_content_without_blocking() {
    let site = Site::new();
    assert!(Command::new("mkfifo").arg(site.path("plans/pipe.md")).status().unwrap().success());
    find(&site.rejected(), "plans/pipe.md", &["不是普通文件"]);
}

// ---- accepted variations -----------------------------------------------------------------

#[test]
fn accepts_crlf_line_endings() {
    let site = Site::new();
    for rel in [PLAN, REPORT] {
        site.write(rel, site.read(rel).replace('\n', "\r\n"));
    }
    let output = site.accepted();
    let page = String::from_utf8(output["plans/2023-key-tasks/index.html"].clone()).unwrap();
    let html = Html::parse_document(&page);
    let items = html.select(&Selector::parse("main li[id^=item-]").unwrap()).count();
    assert_eq!(items, 10, "the CRLF plan renders its items");
    assert!(!page.contains('\r'), "no carriage return reaches the page");
    assert!(output == *previous_build(), "CRLF content builds exactly as LF content");
}

#[test]
fn accepts_a_utf8_byte_order_mark() {
    let site = Site::new();
    for rel in [PLAN, REPORT] {
        site.write(rel, format!("\u{feff}{}", site.read(rel)));
    }
    let output = site.accepted();
    assert!(!String::from_utf8_lossy(&output["plans/2023-key-tasks/index.html"]).contains('\u{feff}'));
    assert!(output == *previous_build(), "content with a BOM builds exactly as without");
}

/// Regression: an annotation wrapped inside a department name that is not the last one
/// (`人才发展\n中心，各全省学会`) made `check` and `build` panic: `locate_names` in
/// src/extract/items.rs does not find the joined name in the source and moves its search
/// position by the name's length into the middle of 中. Found by fuzz.rs `items_never_panic`.
#[test]
fn accepts_an_annotation_wrapped_inside_a_department_name() {
    let site = Site::new();
    let plan = "plans/2023-work-points.md";
    site.replace(plan, "学会服务中心、人才发展中心，各全省学会", "学会服务中心、人才发展\n中心，各全省学会");
    let output = site.accepted();
    let page = Html::parse_document(&String::from_utf8_lossy(&output["plans/2023-work-points/index.html"]));
    let item: String = page.select(&Selector::parse("li#item-6").unwrap()).next().expect("item 6 is on the page").text().collect();
    assert!(item.contains("人才发展中心"), "the wrapped name reads as one word: {item}");
}

// ---- all problems of a run together --------------------------------------------------------

#[test]
fn reports_problems_of_two_files_together() {
    let site = Site::new();
    site.replace(PLAN, &format!("{PLAN_TITLE}\n"), "");
    site.replace(REPORT, "city: 郑州市", "city: 郑洲市");
    let diags = site.rejected();
    assert_eq!(diags.len(), 2, "{diags:#?}");
    find(&diags, PLAN, &["缺少键 title"]);
    find(&diags, REPORT, &["未知的城市 郑洲市"]);
    assert_eq!(summary(&diags), "2 个错误，涉及 2 个文件");
}

/// Regression: an unreadable file (here GBK) stops the run at the load stage, and every
/// problem in the other files goes unreported until it is fixed.
#[test]
fn reports_an_unreadable_file_together_with_problems_in_other_files() {
    let site = Site::new();
    site.write("plans/gbk.md", GBK_DOCUMENT);
    site.replace(REPORT, "city: 郑州市", "city: 郑洲市");
    let diags = site.rejected();
    find(&diags, "plans/gbk.md", &["不是 UTF-8 编码的文本"]);
    find(&diags, REPORT, &["未知的城市 郑洲市"]);
    assert_eq!(summary(&diags), "2 个错误，涉及 2 个文件");
}

// ---- planport import ---------------------------------------------------------------------

/// Runs `planport import` in `dir`, which must fail with exit 1 and no panic; returns stderr.
fn import_fails(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["import"];
    all.extend(args);
    let out = planport(dir, &all);
    assert_no_panic("import", &out);
    assert_eq!(out.status.code(), Some(1), "import must exit 1:\n{}", plain(&out.stderr));
    plain(&out.stderr)
}

#[test]
fn import_refuses_to_overwrite_without_force() {
    let site = Site::new();
    let before = read_tree(&site.root().join("content"));
    let stderr = import_fails(site.root(), &[seed("002_93fdddc618aee4c0.txt").to_str().unwrap(), "--into", "content"]);
    assert!(stderr.contains("content/plans/2021-society-work-points.md"), "{stderr}");
    assert!(stderr.contains("文件已经存在") && stderr.contains("--force"), "{stderr}");
    assert!(read_tree(&site.root().join("content")) == before, "import changed content/ although it refused");
}

#[test]
fn import_overwrites_with_force() {
    let site = Site::new();
    let out = site.run(&["import", seed("002_93fdddc618aee4c0.txt").to_str().unwrap(), "--into", "content", "--force"]);
    assert_no_panic("import --force", &out);
    assert_eq!(out.status.code(), Some(0), "{}", plain(&out.stderr));
    assert!(site.read(LEAD_PLAN).contains("学会学术工作要点"));
}

/// A temp dir holding `name` with `text`; imports go into `into/` there.
fn import_dir(name: &str, text: impl AsRef<[u8]>) -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join(name), text).unwrap();
    dir
}

fn assert_nothing_imported(dir: &Path) {
    let into = dir.join("into");
    assert!(!into.exists() || read_tree(&into).is_empty(), "a failed import wrote {:?}", read_tree(&into).keys().collect::<Vec<_>>());
}

#[test]
fn import_rejects_text_without_plan_title() {
    let dir = import_dir("notitle.txt", "一些说明文字。\n\n1. 第一项工作。\n2. 第二项工作。\n");
    let stderr = import_fails(dir.path(), &["notitle.txt", "--into", "into"]);
    assert!(stderr.contains("┌─ notitle.txt:1:1"), "{stderr}");
    assert!(stderr.contains("[E0802]：没有找到计划的标题"), "{stderr}");
    assert_nothing_imported(dir.path());
}

#[test]
fn import_rejects_table_of_contents_naming_no_report() {
    let raw = fs::read_to_string(seed("003_34df85477a50c534.txt")).unwrap();
    assert!(raw.contains("2. 开封市科协"), "seed changed");
    let raw = raw.replacen("2. 开封市科协", "2. 开风市科协", 1);
    let (line, _) = position(&raw, "2. 开风市科协");
    let dir = import_dir("toc.txt", &raw);
    let stderr = import_fails(dir.path(), &["toc.txt", "--into", "into"]);
    assert!(stderr.contains(&format!("┌─ toc.txt:{line}:1")), "{stderr}");
    assert!(stderr.contains("目录列出了 开风市科协"), "{stderr}");
    assert_nothing_imported(dir.path());
}

#[test]
fn import_rejects_table_of_contents_out_of_order() {
    let raw = fs::read_to_string(seed("003_34df85477a50c534.txt")).unwrap();
    let lines: Vec<&str> = raw.lines().collect();
    let a = lines.iter().position(|l| l.starts_with("3. 洛阳市科协")).expect("seed changed");
    let b = lines.iter().position(|l| l.starts_with("4. 平顶山市科协")).expect("seed changed");
    let mut swapped: Vec<&str> = lines.clone();
    swapped.swap(a, b);
    let dir = import_dir("swap.txt", swapped.join("\n"));
    let stderr = import_fails(dir.path(), &["swap.txt", "--into", "into"]);
    assert!(stderr.contains("目录列出了 洛阳市科协"), "{stderr}");
    assert!(stderr.contains(&format!("┌─ swap.txt:{}:1", b + 1)), "points at the entry now on line {}:\n{stderr}", b + 1);
    assert_nothing_imported(dir.path());
}

#[test]
fn import_rejects_a_skipped_item_number() {
    let raw = fs::read_to_string(seed("004_19b01c64978a65f1.txt")).unwrap();
    let lines: Vec<&str> = raw.lines().filter(|l| !l.starts_with("3.")).collect();
    let (line, _) = position(&lines.join("\n"), "\n4.");
    let dir = import_dir("skip.txt", lines.join("\n"));
    let stderr = import_fails(dir.path(), &["skip.txt", "--into", "into"]);
    assert!(stderr.contains("这里应是第 3 项，却是第 4 项"), "{stderr}");
    assert!(stderr.contains(&format!("┌─ skip.txt:{}:1", line + 1)), "{stderr}");
    assert_nothing_imported(dir.path());
}

#[test]
fn import_rejects_gbk_text() {
    let dir = import_dir("gbk.txt", b"\xba\xd3\xc4\xcf\xca\xa1\xbf\xc6\xd0\xad2023\xc4\xea\xb9\xa4\xd7\xf7\xd2\xaa\xb5\xe3\n");
    let stderr = import_fails(dir.path(), &["gbk.txt", "--into", "into"]);
    assert!(stderr.contains("gbk.txt") && stderr.contains("UTF-8"), "{stderr}");
    assert_nothing_imported(dir.path());
}

/// Regression: full-width digits in a plan title (`２０２３年`) or in a compilation's cover date
/// made import panic (src/import/plan.rs `expect("four digits")`; src/import/compilation.rs
/// `&date[..4]`). Either reading the year or a message naming the line is fine.
#[test]
fn import_of_full_width_years_does_not_panic() {
    let inputs = [
        ("plan.txt", "河南省科协２０２３年工作要点\n1. 加强科技界政治引领。（责任部门：机关党委）\n"),
        ("compilation.txt", "“5610”总体安排省辖市科协发言材料汇编\n２０２４年3月\n目录\n1. 郑州市科协 (1)\n关于2023年工作情况的汇报\n郑州市科协\n2023年，郑州市科协做了工作。\n"),
    ];
    for (name, raw) in inputs {
        let dir = import_dir(name, raw);
        let out = planport(dir.path(), &["import", name, "--into", "into"]);
        assert_no_panic(&format!("import {name}"), &out);
        let stderr = plain(&out.stderr);
        match out.status.code() {
            Some(0) => {}
            Some(1) => assert!(stderr.contains(&format!("┌─ {name}:")), "the error names {name} and a line:\n{stderr}"),
            code => panic!("import {name} exited {code:?}:\n{stderr}"),
        }
    }
}

#[test]
fn import_rejects_an_empty_file() {
    let dir = import_dir("empty.txt", "\n\n");
    let stderr = import_fails(dir.path(), &["empty.txt", "--into", "into"]);
    assert!(stderr.contains("empty.txt") && stderr.contains("文件里没有文字"), "{stderr}");
    assert_nothing_imported(dir.path());
}

// ---- escaping and sanitizing ---------------------------------------------------------------

/// Nothing in any built page can run script: no `<script>` with our payload, no `on…`
/// attribute, no `javascript:` URL; and no script at all inside `<main>`.
fn assert_no_script(output: &Tree) {
    let any = Selector::parse("*").unwrap();
    let main_script = Selector::parse("main script").unwrap();
    let mut pages = 0;
    for (rel, bytes) in output.iter().filter(|(rel, _)| rel.ends_with(".html")) {
        pages += 1;
        let html = Html::parse_document(&String::from_utf8_lossy(bytes));
        assert_eq!(html.select(&main_script).count(), 0, "{rel}: a <script> in <main>");
        for el in html.select(&any) {
            let name = el.value().name();
            if name == "script" {
                let text: String = el.text().collect();
                assert!(!text.contains("alert"), "{rel}: injected <script>{text}</script>");
            }
            for (attr, value) in el.value().attrs() {
                assert!(!attr.to_ascii_lowercase().starts_with("on"), "{rel}: <{name} {attr}={value:?}>");
                let v: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
                assert!(!v.starts_with("javascript:"), "{rel}: <{name} {attr}={value:?}>");
            }
        }
    }
    assert!(pages > 50, "the site was built ({pages} pages)");
}

#[test]
fn the_script_check_catches_injections() {
    for bad in ["<main><script>x</script></main>", "<p><img src=x onerror=alert(1)></p>", "<a href=\" JaVaScript:alert(1)\">x</a>", "<script>alert(1)</script>"]
    {
        let mut tree = previous_build().clone();
        let page = format!("<!doctype html><html><body>{bad}</body></html>");
        tree.insert("plans/2023-key-tasks/index.html".into(), page.into_bytes());
        let caught = std::panic::catch_unwind(|| assert_no_script(&tree)).is_err();
        assert!(caught, "assert_no_script misses {bad}");
    }
}

const PAYLOAD_TITLE: &str = r#"<script>alert(1)</script>"><img src=x onerror=alert(1)>"#;

#[test]
fn escapes_script_in_titles() {
    let site = Site::new();
    site.replace(PLAN, PLAN_TITLE, &format!("title: '{PAYLOAD_TITLE}'"));
    site.replace(REPORT, "title: ", &format!("title: '{PAYLOAD_TITLE}' #"));
    site.write("pages/escaping.md", format!("---\ntitle: '{PAYLOAD_TITLE}'\ndescription: '{PAYLOAD_TITLE}'\n---\n\n说明。\n"));
    let output = site.accepted();
    assert_no_script(&output);
    for page in ["plans/2023-key-tasks/index.html", "escaping/index.html"] {
        let html = Html::parse_document(&String::from_utf8_lossy(&output[page]));
        let h1: String = html.select(&Selector::parse("main h1").unwrap()).next().unwrap_or_else(|| panic!("{page} has an h1")).text().collect();
        assert_eq!(h1.trim(), PAYLOAD_TITLE, "{page}: the title is shown as written, as text");
    }
}

#[test]
fn sanitizes_raw_html_in_markdown() {
    let site = Site::new();
    let evil = "\n<script>alert(2)</script>\n\n正文<img src=x onerror=alert(3)>和<a href=\"javascript:alert(4)\">链接</a>，[另一个](javascript:alert(5))，\
                <a href=\"JaVaScRiPt&colon;alert(6)\">大小写</a>。\n\n<div onclick=\"alert(7)\"><iframe src=\"javascript:alert(8)\"></iframe></div>\n\n\
                <svg onload=alert(9)></svg><style>body{display:none}</style>\n";
    for rel in [PLAN, REPORT] {
        site.write(rel, format!("{}{evil}", site.read(rel)));
    }
    // Raw HTML inside a numbered item reaches the department, city and program pages too.
    site.replace(PLAN, "\n1. ", "\n1. <img src=x onerror=alert(10)><script>alert(11)</script>");
    site.write("pages/escaping.md", format!("---\ntitle: 编辑指南\n---\n{evil}"));
    let output = site.accepted();
    assert_no_script(&output);
    for page in ["plans/2023-key-tasks/index.html", "reports/2024/zhengzhou/index.html", "escaping/index.html"] {
        let text = String::from_utf8_lossy(&output[page]);
        assert!(!text.contains("<iframe") && !text.contains("<style>body"), "{page} keeps dangerous tags");
        assert!(text.contains("链接"), "{page}: the text around removed HTML stays");
    }
}

#[test]
fn rejects_a_relation_that_names_no_item() {
    let site = Site::new();
    site.replace("data/relations.yaml", "2023-work-points#16", "2023-work-points#99");
    let diags = site.rejected();
    let d = only(&diags, "data/relations.yaml", &["2023-work-points#99", "没有对应的项目"]);
    assert_eq!(d.position(), site.position("data/relations.yaml", "2023-work-points#99"));
    assert!(d.hint().contains("slug"), "{d:?}");
}

#[test]
fn rejects_a_report_slug_taken_by_the_page_of_every_citys_problems() {
    let site = Site::new();
    site.replace(REPORT, "city: 郑州市\n", "city: 郑州市\nslug: problems\n");
    let diags = site.rejected();
    let d = only(&diags, REPORT, &["problems", "汇总各市问题的页面专用"]);
    assert_eq!(d.position(), site.position(REPORT, "problems"), "points at the value");
}

#[test]
fn a_participation_note_in_an_annotation_is_no_unknown_department() {
    // `相关部门参与` says who else takes part; it needs no registry entry.
    let site = Site::new();
    site.replace(PLAN, "（责任部门：省科技馆，机关各部室）", "（责任部门：省科技馆，机关各部室，相关单位共同参与）");
    site.accepted();
}
