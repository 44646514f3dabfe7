//! The real content/ built through `planport::site::build`, asserted on the parsed HTML.
//! Expectations come from the seeds, the Markdown sources and DESIGN.md, read by the simple
//! rules of `common`, never from planport's own parser or index.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use common::*;
use scraper::{ElementRef, Html};

/// The plans of DESIGN.md and their official item counts.
const PLANS: [(&str, u32); 5] = [
    ("/plans/2023-key-tasks/", 10),
    ("/plans/2023-work-points/", 23),
    ("/plans/2018-work-points/", 51),
    ("/plans/2021-society-work-points/", 18),
    ("/plans/2025-society-work-points/", 13),
];

fn report_url(slug: &str) -> String {
    format!("/reports/2024/{slug}/")
}

/// Seed fragments that are deliberately not published as text, each with its reason.
/// Fragments are in the form the fidelity test compares: whitespace and `*` removed.
/// (The cover label, title and compiler are published on the compilation's page, its contents
/// as links without the page numbers.)
const NOT_PUBLISHED: [(&str, &str); 19] = [
    ("2024年3月", "cover date of the compilation; published as its date 2024-03"),
    ("郑州市科协(1)", "table of contents line 1: the number in brackets is a PDF page"),
    ("开封市科协(5)", "table of contents line 2"),
    ("洛阳市科协(9)", "table of contents line 3"),
    ("平顶山市科协(13)", "table of contents line 4"),
    ("安阳市科协(17)", "table of contents line 5"),
    ("鹤壁市科协(21)", "table of contents line 6"),
    ("新乡市科协(25)", "table of contents line 7"),
    ("焦作市科协(29)", "table of contents line 8"),
    ("濮阳市科协(33)", "table of contents line 9"),
    ("许昌市科协(37)", "table of contents line 10"),
    ("漯河市科协(41)", "table of contents line 11"),
    ("三门峡市科协(45)", "table of contents line 12"),
    ("南阳市科协(49)", "table of contents line 13"),
    ("商丘市科协(53)", "table of contents line 14"),
    ("信阳市科协(57)", "table of contents line 15"),
    ("周口市科协(61)", "table of contents line 16"),
    ("驻马店市科协(65)", "table of contents line 17"),
    ("济源示范区科协(69)", "table of contents line 18"),
];

/// A line of a seed split into sentences: whitespace and `*` removed, each sentence keeping
/// its 。！？. A leading list number `8.` is dropped: the page shows it as the number of the
/// list item (`<li value="8">`), which is not text; the item counts test checks those numbers.
fn seed_sentences(line: &str) -> Vec<String> {
    let line: String = line.chars().filter(|c| !c.is_whitespace() && *c != '*').collect();
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let line = match line[digits..].strip_prefix('.') {
        Some(rest) if digits > 0 && !rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => &line,
    };
    let mut sentences = Vec::new();
    let mut current = String::new();
    for c in line.chars() {
        current.push(c);
        if matches!(c, '。' | '！' | '？') {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    sentences
}

#[test]
fn every_seed_sentence_is_in_the_built_site() {
    let site = site();
    // One string per document page (plans, reports, compilations; metadata included), whitespace
    // removed. Only document pages count: other pages quote the text (item titles on
    // department pages, examples in the editors' guide) and would hide a loss. Pages are kept
    // apart so that no sentence is "found" across the end of one page and the next. A plan's
    // table of contents is left out: it repeats the headings, and would hide the loss of one.
    let visible: String = site
        .pages
        .iter()
        .filter(|(url, _)| ["/plans/", "/reports/", "/collections/"].iter().any(|p| url.starts_with(p)))
        .map(|(_, html)| Html::parse_document(html).select(&sel("main")).map(|m| without_whitespace(&text_outside_toc(m))).collect::<String>())
        .collect::<Vec<_>>()
        .join("\u{1}");
    let mut seeds: Vec<_> = std::fs::read_dir(seeds_dir()).expect("seeds").map(|e| e.expect("seed").path()).collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5, "expected the five official seed texts in {}", seeds_dir().display());
    let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut checked = 0;
    for seed in &seeds {
        let text = std::fs::read_to_string(seed).expect("read seed");
        for sentence in text.lines().flat_map(seed_sentences) {
            checked += 1;
            if !visible.contains(&sentence) {
                missing.entry(sentence).or_default().insert(seed.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    assert!(checked > 1000, "only {checked} sentences read from the seeds");
    let expected: BTreeSet<&str> = NOT_PUBLISHED.iter().map(|(f, _)| *f).collect();
    let unexpected: Vec<_> = missing.iter().filter(|(s, _)| !expected.contains(s.as_str())).collect();
    let published_after_all: Vec<_> = expected.iter().filter(|f| !missing.contains_key(**f)).collect();
    assert!(unexpected.is_empty(), "{} seed sentences are missing from the site:\n{unexpected:#?}", unexpected.len());
    assert!(published_after_all.is_empty(), "listed as not published but found in the site (update NOT_PUBLISHED): {published_after_all:?}");
}

/// The text of `main` without the text of `details.toc`.
fn text_outside_toc(main: scraper::ElementRef<'_>) -> String {
    main.descendants()
        .filter_map(|n| n.value().as_text().map(|t| (n, t)))
        .filter(|(n, _)| {
            !n.ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .any(|e| e.value().name() == "details" && e.value().has_class("toc", scraper::CaseSensitivity::CaseSensitive))
        })
        .map(|(_, t)| &**t)
        .collect()
}

#[test]
fn every_plan_has_its_official_number_of_items_in_order() {
    let site = site();
    for (url, count) in PLANS {
        let page = site.page(url);
        let items: Vec<(String, Option<String>)> =
            page.select(&sel("li[id^=item-]")).map(|li| (li.value().id().unwrap_or("").to_string(), li.value().attr("value").map(str::to_string))).collect();
        // The official number is shown as the list item's number: `value` must carry it.
        let expected: Vec<(String, Option<String>)> = (1..=count).map(|n| (format!("item-{n}"), Some(n.to_string()))).collect();
        assert_eq!(items, expected, "items (id, value) of {url}");
    }
}

#[test]
fn the_markdown_sources_hold_the_official_item_counts() {
    // Guards the test's own item reader, which the department and city tests rely on.
    let docs = source_docs();
    for (url, count) in PLANS {
        let doc = docs.iter().find(|d| d.url == url).unwrap_or_else(|| panic!("no source for {url}"));
        let numbers: Vec<u32> = doc.items().iter().map(|i| i.number).collect();
        assert_eq!(numbers, (1..=count).collect::<Vec<_>>(), "items read from the source of {url}");
    }
}

#[test]
fn there_is_one_report_page_for_each_of_the_18_cities() {
    let site = site();
    let parts_pages = ["/reports/2024/problems/", "/reports/2024/suggestions/"];
    let reports: BTreeSet<&str> = site.pages.keys().filter(|u| u.starts_with("/reports/") && !parts_pages.contains(&u.as_str())).map(String::as_str).collect();
    let expected: Vec<String> = CITIES.iter().map(|(slug, _)| report_url(slug)).collect();
    assert_eq!(reports, expected.iter().map(String::as_str).collect(), "report pages");
    for url in &expected {
        let page = site.page(url);
        assert_eq!(page.select(&sel("main h1")).count(), 1, "{url} has one title");
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).filter(|h| bytes[i] == b'%' && h.iter().all(u8::is_ascii_hexdigit));
        match hex {
            Some(h) => {
                out.push(u8::from_str_radix(std::str::from_utf8(h).expect("ascii"), 16).expect("hex"));
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The output file a site-absolute path names: `/x/` → `x/index.html`, `/x.css` → `x.css`.
fn file_of(path: &str) -> String {
    let rel = percent_decode(path.trim_start_matches('/'));
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel
    }
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let site = site();
    let ids: HashMap<&str, HashSet<String>> = site
        .pages
        .iter()
        .map(|(url, html)| (url.as_str(), Html::parse_document(html).select(&sel("[id]")).filter_map(|e| e.value().id()).map(str::to_string).collect()))
        .collect();
    let mut broken: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut checked = 0;
    for (url, html) in &site.pages {
        let page = Html::parse_document(html);
        let (hrefs, srcs) = (sel("a[href], link[href]"), sel("script[src], img[src]"));
        let targets = page.select(&hrefs).filter_map(|e| e.value().attr("href")).chain(page.select(&srcs).filter_map(|e| e.value().attr("src")));
        for href in targets.filter(|h| (h.starts_with('/') && !h.starts_with("//")) || h.starts_with('#')) {
            checked += 1;
            let (path, fragment) = match href.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (href, None),
            };
            let path = path.split('?').next().unwrap_or("");
            let target_url = if path.is_empty() { url.clone() } else { path.to_string() };
            let problem = if !path.is_empty() && !site.files.contains_key(&file_of(path)) {
                Some("no such file")
            } else if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                match ids.get(target_url.as_str()) {
                    None => Some("a fragment on a file that is not a page"),
                    Some(found) if !found.contains(&percent_decode(fragment)) => Some("no element with that id"),
                    Some(_) => None,
                }
            } else {
                None
            };
            if let Some(problem) = problem {
                broken.entry(format!("{href} ({problem})")).or_default().insert(url.clone());
            }
        }
    }
    assert!(checked > 1000, "only {checked} internal links found");
    let summary: Vec<String> = broken
        .iter()
        .map(|(link, pages)| format!("{link}: on {} page(s), e.g. {}", pages.len(), pages.iter().take(3).cloned().collect::<Vec<_>>().join(", ")))
        .collect();
    assert!(summary.is_empty(), "{} broken internal links:\n{}", summary.len(), summary.join("\n"));
}

#[test]
fn no_page_repeats_an_id() {
    // An anchor that two elements carry does not say where it leads.
    let mut repeated = Vec::new();
    for (url, html) in &site().pages {
        let mut seen = HashSet::new();
        for id in Html::parse_document(html).select(&sel("[id]")).filter_map(|e| e.value().id().map(str::to_string)) {
            if !seen.insert(id.clone()) {
                repeated.push(format!("{url}#{id}"));
            }
        }
    }
    assert!(repeated.is_empty(), "ids used twice on one page: {repeated:?}");
}

#[test]
fn every_page_is_declared_chinese() {
    let site = site();
    let wrong: Vec<(&String, Option<String>)> = site
        .pages
        .iter()
        .map(|(url, html)| (url, Html::parse_document(html).root_element().value().attr("lang").map(str::to_string)))
        .filter(|(_, lang)| lang.as_deref() != Some("zh-CN"))
        .collect();
    assert!(site.pages.len() > 100, "only {} pages built", site.pages.len());
    assert!(wrong.is_empty(), "pages without <html lang=\"zh-CN\">: {wrong:?}");
}

/// `(plan URL, item number)` of every item link inside `main` of `url`.
fn linked_items(url: &str) -> BTreeSet<(String, u32)> {
    main_links(&site().page(url)).iter().filter_map(|h| item_target(h)).collect()
}

#[test]
fn department_pages_list_exactly_the_items_they_answer_for() {
    // Named in the annotation, reached through a collective it belongs to that year, or led
    // by it as the plan's editorial lead.
    let docs = source_docs();
    for name in ["科普部", "学会学术部", "组织人事部", "调研宣传部", "办公室", "省科技馆", "信息中心", "院士专家工作部"] {
        let dept = department(name);
        let mut expected = BTreeSet::new();
        for doc in docs.iter().filter(|d| d.is_plan()) {
            let leads = dept.carries(&doc.leads(), doc.year());
            for item in doc.items() {
                if leads || dept.carries(&item.responsible(), doc.year()) {
                    expected.insert((doc.url.clone(), item.number));
                }
            }
        }
        assert!(!expected.is_empty(), "{name}: the sources name it nowhere");
        let url = format!("/departments/{}/", dept.slug);
        let actual = linked_items(&url);
        let not_listed: Vec<_> = expected.difference(&actual).collect();
        let listed_wrongly: Vec<_> = actual.difference(&expected).collect();
        assert!(not_listed.is_empty() && listed_wrongly.is_empty(), "{url} ({name}): missing {not_listed:?}; should not list {listed_wrongly:?}");
    }
}

#[test]
fn city_pages_link_their_report_and_the_items_that_concern_them() {
    let docs = source_docs();
    let all_cities = department("各省辖市和济源示范区科协");
    let plans: Vec<_> = docs.iter().filter(|d| d.is_plan()).collect();
    for (slug, short) in CITIES {
        let url = format!("/cities/{slug}/");
        let page = site().page(&url);
        assert!(main_links(&page).contains(&report_url(slug)), "{url} does not link its report {}", report_url(slug));
        let mut expected = BTreeSet::new();
        for doc in &plans {
            for item in doc.items() {
                let named = item.text_without_annotation().contains(short);
                let assigned = item.responsible().iter().any(|n| all_cities.names.contains(n));
                if named || assigned {
                    expected.insert((doc.url.clone(), item.number));
                }
            }
        }
        let actual = linked_items(&url);
        let not_listed: Vec<_> = expected.difference(&actual).collect();
        let listed_wrongly: Vec<_> = actual.difference(&expected).collect();
        assert!(not_listed.is_empty() && listed_wrongly.is_empty(), "{url}: missing {not_listed:?}; should not list {listed_wrongly:?}");
    }
}

#[test]
fn city_pages_link_the_items_that_name_the_city() {
    let cases = [
        ("puyang", "/plans/2021-society-work-points/#item-7"),
        ("hebi", "/plans/2021-society-work-points/#item-7"),
        ("xinyang", "/plans/2021-society-work-points/#item-10"),
        ("shangqiu", "/plans/2021-society-work-points/#item-10"),
        ("jiyuan", "/plans/2021-society-work-points/#item-10"),
    ];
    for (slug, item) in cases {
        let url = format!("/cities/{slug}/");
        assert!(main_links(&site().page(&url)).iter().any(|h| h == item), "{url} does not link {item}");
    }
}

#[test]
fn every_city_page_lists_the_items_assigned_to_all_cities() {
    for (slug, _) in CITIES {
        let url = format!("/cities/{slug}/");
        let links = main_links(&site().page(&url));
        for item in ["/plans/2023-key-tasks/#item-9", "/plans/2023-work-points/#item-1"] {
            assert!(links.iter().any(|h| h == item), "{url} does not link {item}, which is assigned to 各省辖市和济源示范区科协");
        }
    }
}

#[test]
fn year_pages_exist_for_every_year_the_documents_speak_of() {
    let years: BTreeSet<&str> = site().pages.keys().filter_map(|u| u.strip_prefix("/years/")).filter(|r| !r.is_empty()).collect();
    // Plans for 2018, 2021, 2023 and 2025; reports on 2023; the reports' plans for 2024.
    assert_eq!(years, BTreeSet::from(["2018/", "2021/", "2023/", "2024/", "2025/"]));
}

/// Reports whose source sets out no plans for 2024: Puyang's ends with its shortcomings and a
/// request for support, Luohe's with its 2023 work (checked against the seed: neither has a
/// 打算/计划 part). The 2024 year page cannot link their plans.
const REPORTS_WITHOUT_2024_PLANS: [&str; 2] = ["puyang", "luohe"];

#[test]
fn the_2024_page_links_into_the_plan_part_of_each_report() {
    let links = main_links(&site().page("/years/2024/"));
    let mut with_plans = BTreeSet::new();
    for (slug, _) in CITIES {
        let report = report_url(slug);
        let Some(fragment) = links.iter().find_map(|h| h.strip_prefix(report.as_str())?.strip_prefix('#')) else {
            continue;
        };
        with_plans.insert(slug);
        let page = site().page(&report);
        let target = page
            .select(&sel("[id]"))
            .find(|e| e.value().id() == Some(fragment))
            .unwrap_or_else(|| panic!("/years/2024/ links {report}#{fragment}, which has no such element"));
        // A part's anchor is an empty marker at the start of the block it opens.
        let block = if text_of(target).is_empty() { target.parent().and_then(ElementRef::wrap).expect("the marker's block") } else { target };
        let text = text_of(block);
        assert!(
            ["2024", "打算", "计划", "方向", "下一步", "下步"].iter().any(|w| text.contains(w)),
            "/years/2024/ links {report}#{fragment}, which does not start the 2024 plans: {text}"
        );
    }
    let expected: BTreeSet<&str> = CITIES.iter().map(|(s, _)| *s).filter(|s| !REPORTS_WITHOUT_2024_PLANS.contains(s)).collect();
    assert_eq!(with_plans, expected, "reports linked from /years/2024/ with a fragment");
    // The two reports without a plans part are still listed, linking to the whole report.
    for slug in REPORTS_WITHOUT_2024_PLANS {
        assert!(links.contains(&report_url(slug)), "/years/2024/ does not list {slug}'s report");
    }
}

#[test]
fn the_2023_page_links_both_plans_and_all_reports_on_2023() {
    let links = main_links(&site().page("/years/2023/"));
    let mut expected = vec!["/plans/2023-key-tasks/".to_string(), "/plans/2023-work-points/".to_string()];
    expected.extend(CITIES.iter().map(|(slug, _)| report_url(slug)));
    let missing: Vec<_> = expected.iter().filter(|u| !links.contains(u)).collect();
    assert!(missing.is_empty(), "/years/2023/ does not link {missing:?}");
}

#[test]
fn two_builds_of_the_same_content_are_byte_identical() {
    // The shared build is the first; the second goes into a fresh temp dir.
    let first = &site().files;
    let dir = tempfile::tempdir().expect("temp dir");
    let second = files_under(&build_into(dir.path()));
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>(), "the two builds wrote different files");
    let differing: Vec<&String> = first.iter().filter(|(path, bytes)| second[*path] != **bytes).map(|(p, _)| p).collect();
    assert!(differing.is_empty(), "files that differ between two builds: {differing:?}");
}

#[test]
fn bold_titles_next_to_chinese_punctuation_render_as_strong() {
    let docs = source_docs();
    let source = docs.iter().find(|d| d.url == "/plans/2023-key-tasks/").expect("source of 2023-key-tasks");
    let page = site().page("/plans/2023-key-tasks/");
    for n in 7..=10 {
        let item = source.items().into_iter().find(|i| i.number == n).expect("item in source");
        let bold = item.text.split("**").nth(1).unwrap_or_else(|| panic!("item {n} of the source has no **…**"));
        let strong: Vec<String> = page.select(&sel(&format!("li#item-{n} strong"))).map(text_of).collect();
        assert_eq!(strong, vec![bold.to_string()], "<strong> of item {n}");
    }
}

#[test]
fn no_page_shows_literal_emphasis_markers() {
    let shown: Vec<&String> =
        site().pages.iter().filter(|(_, html)| Html::parse_document(html).select(&sel("main")).any(|m| text_of(m).contains("**"))).map(|(u, _)| u).collect();
    assert!(shown.is_empty(), "pages showing `**`: {shown:?}");
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '“' | '”' | '‘' | '’' | '…' | '—')
}

/// `(before, after)` around each run of whitespace in `text` (the run itself must not
/// contain a line break when `same_line`).
fn spaced_pairs(text: &str, same_line: bool) -> Vec<(char, char)> {
    let chars: Vec<char> = text.chars().collect();
    let mut pairs = Vec::new();
    let mut i = 1;
    while i < chars.len() {
        if chars[i].is_whitespace() && !chars[i - 1].is_whitespace() {
            let end = (i..chars.len()).find(|&j| !chars[j].is_whitespace()).unwrap_or(chars.len());
            let run = &chars[i..end];
            if end < chars.len() && !(same_line && run.contains(&'\n')) {
                pairs.push((chars[i - 1], chars[end]));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    pairs
}

/// The text a block shows on its own lines: its text and inline elements, with a non-space
/// mark where a nested block (a `<p>` in a loose list item, a sub-list) starts, so that the
/// newlines between blocks are not mistaken for spaces inside a line.
fn inline_text(block: scraper::ElementRef<'_>) -> String {
    const BLOCKS: [&str; 14] = ["p", "ul", "ol", "li", "div", "blockquote", "table", "pre", "h1", "h2", "h3", "h4", "h5", "h6"];
    let mut text = String::new();
    for child in block.children() {
        if let Some(t) = child.value().as_text() {
            text.push_str(t);
        } else if let Some(e) = scraper::ElementRef::wrap(child) {
            if BLOCKS.contains(&e.value().name()) {
                text.push('\u{1}');
            } else {
                text.push_str(&text_of(e));
            }
        }
    }
    text
}

#[test]
fn no_space_appears_between_chinese_characters_unless_the_source_has_it() {
    let site = site();
    let mut added: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for doc in source_docs() {
        let in_source: HashSet<(char, char)> = doc.body.lines().flat_map(|l| spaced_pairs(l, true)).collect();
        let page = site.page(&doc.url);
        for block in page.select(&sel("main p, main li, main h1, main h2, main h3, main h4, main td, main th")) {
            for (before, after) in spaced_pairs(&inline_text(block), false) {
                if is_cjk(before) && is_cjk(after) && !in_source.contains(&(before, after)) {
                    added.entry(doc.url.clone()).or_default().insert(format!("{before} {after}"));
                }
            }
        }
    }
    assert!(added.is_empty(), "spaces between Chinese characters that the source does not have: {added:#?}");
    let page = site.page("/plans/2023-work-points/");
    let item = page.select(&sel("li#item-19")).next().expect("item 19 of 2023-work-points");
    let text = text_of(item);
    assert!(text.trim_start().starts_with("建好全省科技场馆龙头。坚定"), "item 19 renders as {:?}", text.chars().take(30).collect::<String>());
}

/// `(th, td)` of each row of the tables in `main`.
fn metadata_rows(page: &Html) -> Vec<(String, String)> {
    page.select(&sel("main table tr"))
        .map(|tr| {
            let cell = |css: &str| tr.select(&sel(css)).next().map(|c| text_of(c).trim().to_string()).unwrap_or_default();
            (cell("th"), cell("td"))
        })
        .collect()
}

#[test]
fn plan_pages_show_the_metadata_the_source_gives() {
    let rows = metadata_rows(&site().page("/plans/2023-work-points/"));
    for row in [("发文字号", "豫科协办发〔2023〕4号"), ("成文日期", "2023-03-17")] {
        assert!(rows.iter().any(|(th, td)| (th.as_str(), td.as_str()) == row), "/plans/2023-work-points/ metadata lacks {row:?}: {rows:?}");
    }
}

// Issue 13: where the source gives no number or date the page says 原文未载, and invents none.
#[test]
fn a_plan_without_a_date_or_number_says_the_source_gives_none() {
    let rows = metadata_rows(&site().page("/plans/2025-society-work-points/"));
    assert!(rows.iter().any(|(th, td)| th == "发文机关" && td == "河南省科协办公室"), "/plans/2025-society-work-points/ has no metadata table: {rows:?}");
    for url in ["/plans/2025-society-work-points/", "/plans/2018-work-points/"] {
        let rows = metadata_rows(&site().page(url));
        for th in ["发文字号", "成文日期"] {
            assert!(rows.iter().any(|(h, d)| h == th && d == "原文未载"), "{url}: {th} should say 原文未载: {rows:?}");
        }
        assert!(!rows.iter().any(|(_, td)| td.starts_with("20") && td.contains('-')), "{url} shows a date the source does not give: {rows:?}");
    }
    let rows = metadata_rows(&site().page("/plans/2018-work-points/"));
    assert!(rows.iter().any(|(h, d)| h == "发文机关" && d == "原文未载"), "2018 names no issuer: {rows:?}");
}

// Issue 13: 主送机关, read from the notice that issued the plan.
#[test]
fn plans_issued_by_a_notice_show_its_recipients() {
    let expected = [
        ("/plans/2023-work-points/", "机关各部室、各直属事业单位，各省辖市和济源示范区科协，各全省学会、协会、研究会，各高校科协、企业科协、医疗卫生机构科协"),
        ("/plans/2021-society-work-points/", "各全省学会、协会、研究会，各省辖市、济源示范区科协"),
    ];
    for (url, recipients) in expected {
        let rows = metadata_rows(&site().page(url));
        assert!(rows.iter().any(|(th, td)| th == "主送机关" && td == recipients), "{url}: {rows:?}");
    }
    let rows = metadata_rows(&site().page("/plans/2018-work-points/"));
    assert!(!rows.iter().any(|(th, _)| th == "主送机关"), "the 2018 plan has no notice: {rows:?}");
}

// Issue 13: a plan's year is the year it plans; a report's the year whose work it reports,
// while its URL and 报送日期 carry the year it was submitted. The labels say which is which.
#[test]
fn year_labels_say_which_year_they_mean() {
    let rows = metadata_rows(&site().page("/plans/2023-work-points/"));
    assert!(rows.iter().any(|(th, td)| th == "计划年度" && td == "2023年"), "{rows:?}");
    assert!(!rows.iter().any(|(th, _)| th == "年度"), "a bare 年度 label: {rows:?}");
    for (slug, _) in CITIES {
        let url = report_url(slug);
        let rows = metadata_rows(&site().page(&url));
        assert!(rows.iter().any(|(th, td)| th == "报送日期" && td == "2024-03"), "{url}: {rows:?}");
        assert!(rows.iter().any(|(th, td)| th == "所报年度" && td.starts_with("2023年工作情况")), "{url}: {rows:?}");
        assert!(!rows.iter().any(|(th, _)| th == "年度"), "{url}: a bare 年度 label: {rows:?}");
    }
}

// Issue 13: the table of contents shows the plan's sections, each with its items.
#[test]
fn a_plans_table_of_contents_lists_its_sections_and_items() {
    let page = site().page("/plans/2023-work-points/");
    let sections: Vec<String> = page.select(&sel("details.toc .toc-section > a")).map(|a| text_of(a)).collect();
    let starts: Vec<String> = sections.iter().map(|s| s.chars().take(2).collect()).collect();
    assert_eq!(starts, ["一、", "二、", "三、", "四、", "五、", "六、", "七、"], "{sections:?}");
    assert_eq!(page.select(&sel("details.toc .toc-items a")).count(), 23);
    let page = site().page("/plans/2018-work-points/");
    let subs: Vec<String> = page.select(&sel("details.toc .toc-sub > a")).map(|a| text_of(a)).collect();
    assert!(subs.first().is_some_and(|s| s.starts_with("（一）")), "2018 sub-sections: {subs:?}");
    assert_eq!(page.select(&sel("details.toc .toc-items a")).count(), 51);
}

// Issue 13: every item and report passage carries a link to its own anchor, for citing.
#[test]
fn every_item_and_report_passage_can_be_cited() {
    for (url, count) in PLANS {
        let page = site().page(url);
        for n in 1..=count {
            let cites: Vec<_> = page.select(&sel(&format!("[id=\"item-{n}\"] a.cite"))).filter_map(|a| a.value().attr("href")).collect();
            assert_eq!(cites, [format!("#item-{n}").as_str()], "{url} item {n}");
        }
    }
    let page = site().page(&report_url("luoyang"));
    let passages: Vec<_> = page.select(&sel(".report-body [id^=\"p-\"]")).collect();
    assert!(passages.len() > 5);
    for p in passages {
        let id = p.value().id().unwrap_or_default();
        let cite = p.select(&sel("a.cite")).next().and_then(|a| a.value().attr("href"));
        assert_eq!(cite, Some(format!("#{id}").as_str()), "passage {id}");
    }
}

// Issue 13: the editors' guide stays at /guide/ but leaves the public navigation.
#[test]
fn the_editors_guide_is_out_of_public_navigation_and_not_indexed() {
    let linking: Vec<&String> =
        site().pages.iter().filter(|(url, html)| url.as_str() != "/guide/" && html.contains("href=\"/guide/\"")).map(|(url, _)| url).collect();
    assert!(linking.is_empty(), "public pages link the editors' guide: {linking:?}");
    let guide = site().page("/guide/");
    let robots: Vec<_> = guide.select(&sel("meta[name=robots]")).filter_map(|m| m.value().attr("content")).collect();
    assert_eq!(robots, ["noindex, nofollow"]);
    assert!(text_of(guide.select(&sel("main")).next().expect("main")).contains("供本平台编辑人员使用"));
}

#[test]
fn report_pages_show_the_month_of_the_compilation() {
    for (slug, _) in CITIES {
        let url = report_url(slug);
        let rows = metadata_rows(&site().page(&url));
        assert!(rows.iter().any(|(_, td)| td == "2024-03"), "{url} does not show 2024-03: {rows:?}");
        assert!(!rows.iter().any(|(_, td)| td.starts_with("2024-03-")), "{url} invents a day: {rows:?}");
    }
}

// Issue 13: the optional government metadata, set in front-matter, shows in the metadata block in
// the order of government policy pages; `recipients` replaces what the notice's text says.
#[test]
fn optional_metadata_from_front_matter_is_shown_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    for entry in walkdir::WalkDir::new(content_dir()).into_iter().map(|e| e.expect("walk content")) {
        let to = content.join(entry.path().strip_prefix(content_dir()).expect("under content"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    let plan = content.join("plans/2023-work-points.md");
    let text = std::fs::read_to_string(&plan).expect("read plan");
    let extra = "index_no: 005000123/2023-00004\ntopic: 科技、教育\npublished: 2023-03-20\nvalidity: 有效\nrecipients: 机关各部室\n---\n";
    std::fs::write(&plan, text.replacen("date: 2023-03-17\n---\n", &format!("date: 2023-03-17\n{extra}"), 1)).expect("write plan");
    let out = dir.path().join("site");
    if let Err(report) = planport::site::build(&content, &out) {
        panic!("does not build:\n{}", report.to_json());
    }
    let html = std::fs::read_to_string(out.join("plans/2023-work-points/index.html")).expect("plan page");
    let rows = metadata_rows(&Html::parse_document(&html));
    let heads: Vec<&str> = rows.iter().map(|(th, _)| th.as_str()).collect();
    assert_eq!(heads, ["索引号", "发文机关", "发文字号", "成文日期", "发布日期", "主题分类", "有效性", "主送机关", "计划年度"]);
    for row in [("索引号", "005000123/2023-00004"), ("主送机关", "机关各部室"), ("发布日期", "2023-03-20"), ("主题分类", "科技、教育"), ("有效性", "有效")]
    {
        assert!(rows.iter().any(|(th, td)| (th.as_str(), td.as_str()) == row), "{row:?} in {rows:?}");
    }
}
