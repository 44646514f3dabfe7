//! Property tests in place of cargo-fuzz (which needs nightly): the parsers never panic on any
//! input, and every span they hand to diagnostics lies inside the text, on character
//! boundaries. Default case counts are small so that the suite stays fast in debug; for a long
//! search run `PROPTEST_CASES=20000 cargo test --release --test fuzz`.
//! Inputs a search found to break planport are kept at the bottom as named regression tests.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use planport::extract::{extract_items, parse_annotation};
use planport::front_matter::{self, key_span, value_span};
use planport::import::{import_text, Registries};
use planport::site::{build, load_site};
use proptest::prelude::*;

mod common;
use common::config;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The span is a valid slice of `text`.
fn assert_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(span.start <= span.end && span.end <= text.len(), "{what}: span {span:?} outside a text of {} bytes", text.len());
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{what}: span {span:?} splits a character of {text:?}");
}

// ---- input generators ----------------------------------------------------------------------

/// Pieces that matter to planport's parsers, so random strings reach the interesting paths.
const TOKENS: &[&str] = &[
    "---",
    "---\n",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    " ",
    "\t",
    "\u{3000}",
    "title: ",
    "kind: plan",
    "kind: report",
    "year: 2023",
    "date: 2023-03-17",
    "slug: ",
    "city: 郑州市",
    "lead_departments:",
    "- ",
    ": ",
    ":",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "#",
    "&",
    "*",
    "**",
    "|",
    "`",
    "```",
    "<",
    ">",
    "\\",
    "1. ",
    "2. ",
    "10. ",
    "99999999999. ",
    "## ",
    "# ",
    "> ",
    "  ",
    "- ",
    "一、",
    "（一）",
    "（",
    "）",
    "(",
    ")",
    "责任部门",
    "责任单位",
    "：",
    "，",
    "、",
    ",",
    "；",
    ";",
    "。",
    "科普部",
    "办公室",
    "学会学术部",
    "各省辖市和济源示范区科协",
    "郑州",
    "科普中原",
    "[x](/plans/nope/)",
    "[y](#item-1)",
    "<script>",
    "é",
    "\u{301}",
    "𠀀",
    "😀",
    "\u{200b}",
    "０",
    "２０２３",
    "年",
    "月",
    "日",
    "目录",
    "\0",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(TOKENS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-z0-9 ]{1,6}",
    ]
}

/// A string stitched from tokens.
fn soup(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..max).prop_map(|v| v.concat())
}

/// Arbitrary text: uniformly random Unicode, or token soup.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), soup(max)]
}

const KEYS: &[&str] = &[
    "title",
    "kind",
    "year",
    "slug",
    "issuer",
    "doc_number",
    "date",
    "published",
    "index_no",
    "topic",
    "lead_departments",
    "city",
    "collection",
    "author",
    "Title",
    "",
];

const VALUES: &[&str] = &[
    "河南省科协2023年工作要点",
    "plan",
    "report",
    "plam",
    "2023",
    "\"2023\"",
    "99999999999",
    "-1",
    "2023-03-17",
    "2023-02-30",
    "2023/03/17",
    "2024-03",
    "2024-13",
    "0000-00",
    "../../etc",
    "a/b",
    "\"\"",
    "2023-work-points",
    "郑州市",
    "郑洲市",
    "[科普部, 科普布]",
    "\n- 学会学术部",
    "[",
    "{",
    "|",
    ">",
    "~",
    "null",
    "'",
    "\"<script>alert(1)</script>\"",
    "&a *a",
    "!!binary aGk=",
];

/// A front-matter line `key: value` with keys and values planport knows, and some it does not.
fn fm_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (proptest::sample::select(KEYS), proptest::sample::select(VALUES)).prop_map(|(k, v)| format!("{k}: {v}")),
        1 => soup(6),
    ]
}

/// A line of a plan body: numbered items with annotations, headings, quotes, lists, text.
fn body_line() -> impl Strategy<Value = String> {
    let names =
        prop::collection::vec(proptest::sample::select(&["科普部", "办公室", "学会学术部", "科普布", "各省辖市和济源示范区科协", "", " ", "x"][..]), 0..4);
    prop_oneof![
        3 => (1u32..30, soup(6), names, proptest::sample::select(&["（责任部门：", "(责任单位:", "（责任部门:"][..]), proptest::sample::select(&["，", "、", ","][..]), proptest::sample::select(&["）", ")", ""][..]))
            .prop_map(|(n, t, names, open, sep, close)| format!("{n}. {t}。{open}{}{close}", names.join(sep))),
        1 => soup(8).prop_map(|t| format!("## {t}")),
        1 => soup(8).prop_map(|t| format!("> {t}")),
        1 => soup(8).prop_map(|t| format!("   - {t}")),
        1 => Just("```rust\nfn main() {}\n```".to_string()),
        1 => Just(String::new()),
        2 => soup(10),
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        3 => (prop::collection::vec(body_line(), 0..12), proptest::sample::select(&["\n", "\n\n", "\r\n"][..])).prop_map(|(lines, eol)| lines.join(eol)),
    ]
}

/// A whole document: mostly well-formed front-matter with random keys and values, then a body.
fn document() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => text(40),
        4 => (prop::collection::vec(fm_line(), 0..8), prop::bool::weighted(0.9), markdown())
            .prop_map(|(fm, closed, body)| format!("---\n{}\n{}{body}", fm.join("\n"), if closed { "---\n" } else { "" })),
    ]
}

// ---- front-matter ----------------------------------------------------------------------------

/// Split and parse; with `spans`, also check every span they return.
fn check_front_matter(text: &str, spans: bool) {
    let span = |span: &Range<usize>, what: &str| {
        if spans {
            assert_span(text, span, what);
        }
    };
    match front_matter::split(text) {
        Ok(split) => {
            assert!(split.yaml_offset <= split.body_offset && split.body_offset <= text.len());
            span(&(split.yaml_offset..split.yaml_offset + split.yaml.len()), "yaml");
            assert_eq!(&text[split.yaml_offset..split.yaml_offset + split.yaml.len()], split.yaml);
            assert_eq!(&text[split.body_offset..], split.body);
            if let Err(e) = front_matter::parse(&split) {
                span(&e.span, &format!("parse error {:?}", e.message));
            }
            for key in ["title", "date", "slug", "lead_departments", "city"] {
                span(&key_span(&split, key), &format!("key_span({key})"));
            }
            span(&value_span(&split, "lead_departments", "科普部"), "value_span");
        }
        Err(e) => span(&e.span, &format!("split error {:?}", e.message)),
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn front_matter_never_panics(text in text(40)) {
        check_front_matter(&text, false);
    }

    #[test]
    fn front_matter_never_panics_on_document_like_text(text in document()) {
        check_front_matter(&text, false);
    }

    #[test]
    fn front_matter_spans_stay_in_the_text_on_char_boundaries(text in prop_oneof![text(40), document()]) {
        check_front_matter(&text, true);
    }
}

// ---- annotations -----------------------------------------------------------------------------

fn check_annotation(text: &str) -> Option<planport::extract::Annotation> {
    let a = parse_annotation(text)?;
    assert_span(text, &a.span, "annotation span");
    assert!(a.label == "责任部门" || a.label == "责任单位");
    for (_, name) in a.names() {
        assert_span(text, &name.span, "name span");
        assert_eq!(&text[name.span.clone()], name.text, "a name span slices to the name");
        assert!(!name.text.is_empty() && name.text.trim() == name.text);
    }
    Some(a)
}

/// A department-like name: none of the separators, brackets or whitespace.
fn name() -> impl Strategy<Value = String> {
    "[科普部中心省技馆学会术办公室人才发展各市x-z0-9]{1,8}"
}

fn pad() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(&["", "", " ", "\u{3000}", "  "][..])
}

prop_compose! {
    /// `prefix（责任部门：a，b、c）suffix` in all the spellings the parser accepts.
    fn annotation_like()(
        prefix in text(12),
        open in proptest::sample::select(&["（", "("][..]),
        label in proptest::sample::select(&["责任部门", "责任单位"][..]),
        space in pad(),
        colon in proptest::sample::select(&["：", ":"][..]),
        names in prop::collection::vec((pad(), name(), pad(), proptest::sample::select(&["、", "，", ",", "；", ";"][..])), 0..5),
        close in proptest::sample::select(&["）", ")", ""][..]),
        suffix in text(8).prop_filter("no second label", |s| !s.contains("责任部门") && !s.contains("责任单位")),
    ) -> (String, String, Vec<String>, bool) {
        let mut list = String::new();
        for (k, (before, n, after, sep)) in names.iter().enumerate() {
            if k > 0 {
                list.push_str(sep);
            }
            list.push_str(before);
            list.push_str(n);
            list.push_str(after);
        }
        let suffix = if close.is_empty() { String::new() } else { suffix };
        let text = format!("{prefix}{open}{label}{space}{colon}{list}{close}{suffix}");
        (text, label.to_string(), expected_names(&names), !close.is_empty())
    }
}

/// The names an annotation list gives, by the rule of `src/extract/annotation.rs` restated:
/// `，` `,` `；` `;` end a group, `、` separates names in a group, and a group whose first name
/// opens with 各 while no other does is one name, written as it stands between its first and
/// last name.
fn expected_names(names: &[(&str, String, &str, &str)]) -> Vec<String> {
    let mut groups: Vec<Vec<(String, String)>> = vec![Vec::new()]; // (name, raw text after it up to the next name)
    for (k, (_, n, _, _)) in names.iter().enumerate() {
        if k > 0 && names[k].3 != "、" {
            groups.push(Vec::new());
        }
        let tail = match names.get(k + 1) {
            Some((before, _, _, sep)) if *sep == "、" => format!("{}、{before}", names[k].2),
            _ => String::new(),
        };
        groups.last_mut().unwrap().push((n.clone(), tail));
    }
    let mut out = Vec::new();
    for g in groups {
        if g.len() > 1 && g[0].0.starts_with('各') && g[1..].iter().all(|(n, _)| !n.starts_with('各')) {
            let mut joined = String::new();
            for (k, (n, tail)) in g.iter().enumerate() {
                joined.push_str(n);
                if k + 1 < g.len() {
                    joined.push_str(tail);
                }
            }
            out.push(joined);
        } else {
            out.extend(g.into_iter().map(|(n, _)| n));
        }
    }
    out
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn annotation_never_panics_and_name_spans_slice_to_names(text in text(40)) {
        check_annotation(&text);
    }

    #[test]
    fn annotation_like_text_gives_back_its_names((text, label, names, closed) in annotation_like()) {
        let a = check_annotation(&text).expect("an annotation is found");
        prop_assert_eq!(&a.label, &label);
        prop_assert_eq!(a.names().map(|(_, n)| n.text.clone()).collect::<Vec<_>>(), names);
        prop_assert_eq!(a.closed, closed);
    }
}

// ---- items -----------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn items_never_panic(body in markdown()) {
        for item in extract_items(&body) {
            let _ = item.text_without_annotation();
        }
    }

    #[test]
    fn item_and_department_spans_stay_in_the_body(body in markdown()) {
        for item in extract_items(&body) {
            assert_span(&body, &item.span, "item span");
            for (_, name, span) in item.named() {
                assert_span(&body, &span, &format!("span of department {name:?}"));
            }
        }
    }
}

// ---- import ----------------------------------------------------------------------------------

fn seeds() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = repo().join("../shared/seeds");
        let mut paths: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
        paths.sort();
        assert!(!paths.is_empty(), "no seeds in {}", dir.display());
        paths.iter().map(|p| fs::read_to_string(p).unwrap()).collect()
    })
}

/// One edit of a seed's lines; indices are taken modulo the number of lines.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    InsertBlank(usize),
    /// Cut the line after this many characters, as a page break does.
    Truncate(usize, usize),
    /// Join the line with the next one.
    Join(usize),
    /// ASCII digits of the line → full-width (２０２３), as some PDFs give them.
    FullWidthDigits(usize),
    Insert(usize, usize, String),
    Replace(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<usize>();
    prop_oneof![
        3 => i.prop_map(Mutation::Delete),
        2 => i.prop_map(Mutation::Duplicate),
        2 => (i, any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        1 => i.prop_map(Mutation::InsertBlank),
        2 => (i, 0usize..80).prop_map(|(a, b)| Mutation::Truncate(a, b)),
        1 => i.prop_map(Mutation::Join),
        1 => i.prop_map(Mutation::FullWidthDigits),
        2 => (i, 0usize..80, soup(4)).prop_map(|(a, b, s)| Mutation::Insert(a, b, s)),
        1 => (i, soup(6)).prop_map(|(a, s)| Mutation::Replace(a, s)),
    ]
}

fn mutate(seed: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
    let char_at = |line: &str, k: usize| line.char_indices().nth(k).map_or(line.len(), |(i, _)| i);
    for m in mutations {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match m {
            Mutation::Delete(a) => {
                lines.remove(a % n);
            }
            Mutation::Duplicate(a) => {
                let l = lines[a % n].clone();
                lines.insert(a % n, l);
            }
            Mutation::Swap(a, b) => lines.swap(a % n, b % n),
            Mutation::InsertBlank(a) => lines.insert(a % n, String::new()),
            Mutation::Truncate(a, k) => {
                let l = &mut lines[a % n];
                let at = char_at(l, *k);
                l.truncate(at);
            }
            Mutation::Join(a) if a % n + 1 < n => {
                let next = lines.remove(a % n + 1);
                lines[a % n].push_str(&next);
            }
            Mutation::Join(_) => {}
            Mutation::FullWidthDigits(a) => {
                lines[a % n] =
                    lines[a % n].chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap() } else { c }).collect();
            }
            Mutation::Insert(a, k, s) => {
                let l = &mut lines[a % n];
                let at = char_at(l, *k);
                l.insert_str(at, s);
            }
            Mutation::Replace(a, s) => lines[a % n] = s.clone(),
        }
    }
    lines.join("\n") + "\n"
}

/// Import must answer with documents or a diagnostic pointing into the text; what it writes
/// must be front-matter that planport reads back.
fn check_import(raw: &str) {
    let path = Path::new("fuzz.txt");
    match import_text(path, raw, &mut Registries::default()) {
        Ok(docs) => {
            for d in docs {
                let text = d.to_file_text();
                if d.path.starts_with("collections") {
                    let file = planport::load::SourceFile { rel: d.path.to_string_lossy().into_owned(), path: d.path.clone(), text: text.into() };
                    if let Err(e) = planport::document::parse_collection(&file) {
                        panic!("import wrote a collection planport rejects: {e:?}");
                    }
                    continue;
                }
                let split = front_matter::split(&text).unwrap_or_else(|e| panic!("import wrote unreadable front-matter ({}):\n{text}", e.message));
                if let Err(e) = front_matter::parse(&split) {
                    panic!("import wrote front-matter planport rejects ({}):\n{text}", e.message);
                }
            }
        }
        Err(d) => {
            assert_eq!(d.file, path);
            if let Some(span) = &d.span {
                assert_span(raw, span, &format!("import error {:?}", d.message));
            }
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn import_never_panics_on_arbitrary_text(raw in text(60)) {
        check_import(&raw);
    }

    #[test]
    fn import_never_panics_on_mutated_seeds(seed in 0usize..16, mutations in prop::collection::vec(mutation(), 1..8)) {
        let seeds = seeds();
        check_import(&mutate(&seeds[seed % seeds.len()], &mutations));
    }
}

// ---- a whole site with one arbitrary document ------------------------------------------------

/// A content directory with the real registries and `plans/fuzz.md` (or a report) holding
/// `document`.
fn site_with(document: &[u8], report: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    for rel in ["site.yaml", "data/departments.yaml", "data/cities.yaml", "data/programs.yaml"] {
        let to = content.join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(repo().join("content").join(rel), to).unwrap();
    }
    let doc = content.join(if report { "reports/2024/fuzz.md" } else { "plans/fuzz.md" });
    fs::create_dir_all(doc.parent().unwrap()).unwrap();
    fs::write(doc, document).unwrap();
    dir
}

/// Load a site holding `document`; with `spans`, diagnostics about it must point into it.
fn check_site(document: &[u8], report: bool, spans: bool) {
    let dir = site_with(document, report);
    if let Err(report) = load_site(&dir.path().join("content")) {
        assert!(!report.diagnostics.is_empty(), "an error without a diagnostic");
        let text = String::from_utf8_lossy(document);
        for d in report.diagnostics.iter().filter(|d| spans && d.file.ends_with("fuzz.md")) {
            if let Some(span) = &d.span {
                assert_span(&text, span, &format!("diagnostic {:?}", d.message));
            }
        }
    }
}

/// A plan that passes validation most of the time, with random text in its items, so that
/// rendering sees arbitrary content.
fn valid_plan() -> impl Strategy<Value = String> {
    let item = (soup(10), proptest::sample::select(&["科普部", "办公室", "学会学术部，科普部", "各省辖市和济源示范区科协"][..]));
    (soup(6), prop::collection::vec(item, 1..6), soup(10)).prop_map(|(title, items, tail)| {
        let title = title.replace(['\'', '\n', '\r'], " ");
        let mut text = format!("---\ntitle: '{}x'\nkind: plan\nyear: 2023\n---\n\n", title);
        for (k, (t, deps)) in items.iter().enumerate() {
            text.push_str(&format!("{}. {}。（责任部门：{deps}）\n\n", k + 1, t.replace('\n', " ")));
        }
        text.push_str(&tail);
        text
    })
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn load_site_never_panics_on_one_arbitrary_document(doc in document(), report in any::<bool>()) {
        check_site(doc.as_bytes(), report, false);
    }

    #[test]
    fn load_site_never_panics_on_arbitrary_bytes(doc in prop::collection::vec(any::<u8>(), 0..200)) {
        check_site(&doc, false, false);
    }

    #[test]
    fn load_site_diagnostics_point_into_the_document(doc in document(), report in any::<bool>()) {
        check_site(doc.as_bytes(), report, true);
    }
}

proptest! {
    #![proptest_config(config(12))]

    #[test]
    fn build_never_panics_on_a_plan_with_arbitrary_text(doc in valid_plan()) {
        let dir = site_with(doc.as_bytes(), false);
        let _ = build(&dir.path().join("content"), &dir.path().join("output"));
    }
}

// ---- regressions found by the properties above -----------------------------------------------

/// `planport import` of a plan whose title gives the year in full-width digits panicked:
/// `\d{4}` in `title_re` matches any Unicode digit, then `parse::<i32>().expect("four digits")`
/// fails (src/import/plan.rs). Found by `import_never_panics_on_mutated_seeds`.
#[test]
fn regression_import_plan_title_with_full_width_year() {
    let raw = "河南省科协２０２３年工作要点\n1. 加强科技界政治引领。（责任部门：机关党委）\n";
    check_import(raw);
}

/// A compilation whose cover date has a full-width year (`２０２４年3月`) panicked slicing
/// `&date[..4]` inside a 3-byte digit (src/import/compilation.rs).
#[test]
fn regression_import_compilation_dated_with_full_width_year() {
    let raw =
        "“5610”总体安排省辖市科协发言材料汇编\n２０２４年3月\n目录\n1. 郑州市科协 (1)\n关于2023年工作情况的汇报\n郑州市科协\n2023年，郑州市科协做了工作。\n";
    check_import(raw);
}

/// A YAML error at a Chinese character got the span `at..at + 1`, which splits the character
/// (src/front_matter.rs `parse`; the same in `document::parse_page` and `registry::parse_yaml`).
/// Found by `front_matter_spans_stay_in_the_text_on_char_boundaries`.
#[test]
fn regression_front_matter_error_span_on_a_chinese_key() {
    for text in ["---\n标题: 河南省科协2023年工作要点\n---\n", "---\n一、\n---\n"] {
        check_front_matter(text, true);
        check_site(text.as_bytes(), false, true);
    }
}

/// `check`, `build` and `import` panicked on an annotation wrapped inside a name that is not the
/// last: the joined name (人才发展中心) is not in the source, and `locate_names` moves its search
/// position by the name's length into the middle of 中, then slices there
/// (src/extract/items.rs:72). Found by `items_never_panic` and
/// `import_never_panics_on_mutated_seeds`.
#[test]
fn regression_annotation_wrapped_inside_a_name_that_is_not_the_last() {
    let body = "6. 加大省外人才引进力度。（责任部门：学会服务中心、人才发展\n中心，各全省学会）\n";
    let item = &extract_items(body)[0];
    let names: Vec<&str> = item.named().map(|(_, n, _)| n).collect();
    assert_eq!(names, ["学会服务中心", "人才发展中心", "各全省学会"]);
    let (_, _, last) = item.named().nth(2).unwrap();
    assert_eq!(&body[last], "各全省学会");
}

/// The minimal input `items_never_panic` found for the same panic.
#[test]
fn regression_items_minimal_wrapped_annotation() {
    let body = "1. 。(责任单位:科普部\r\n。- - ，title: \r\n1. 。（责任部门：）";
    for item in extract_items(body) {
        let _ = item.text_without_annotation();
    }
}

/// An annotation broken by a soft line break (`医疗卫生机构\n科协)`, as in the 2023 plan) gives
/// the joined name, which is not in the source; `locate_names` then falls back to a span of the
/// name's length at the previous separator — the wrong text, ending inside 科
/// (src/extract/items.rs). Found by `item_and_department_spans_stay_in_the_body`.
#[test]
fn regression_department_span_of_a_name_broken_across_lines() {
    let body = "6. 加大省外人才引进力度。（责任部门：学会学术部，医疗卫生机构\n科协)\n";
    let item = &extract_items(body)[0];
    let (_, name, span) = item.named().nth(1).unwrap();
    assert_eq!(name, "医疗卫生机构科协");
    assert_span(body, &span, "department span");
    assert_eq!(span.start, body.find("医疗卫生机构").unwrap(), "the span starts at the name");
    assert_eq!(span.end, body.find(")").unwrap(), "the span ends with the name");
}
