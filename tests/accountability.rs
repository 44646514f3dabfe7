//! The accountability model on the real content: who carries which item and how, which
//! programs items and passages belong to, report parts, the compilation, related documents.
//! Expectations come from the Markdown sources and the seeds, read by this file's own simple
//! rules (and, where noted, from a reading of the seeds by hand) — never from planport's
//! extract, resolve or index.

mod common;

use std::collections::BTreeSet;

use common::*;
use scraper::{ElementRef, Html};

/// An item of a plan with the headings it stands under, read line by line.
struct PlanItem {
    plan: String,
    year: i64,
    number: u32,
    headings: Vec<String>,
    text: String,
    responsible: Vec<String>,
}

/// Every plan item, with the `##`/`###` headings above it.
fn plan_items() -> Vec<PlanItem> {
    let mut out = Vec::new();
    for doc in source_docs().into_iter().filter(|d| d.is_plan()) {
        let items = doc.items();
        let mut h2: Option<String> = None;
        let mut h3: Option<String> = None;
        for line in doc.body.lines() {
            if let Some(t) = line.strip_prefix("## ") {
                h2 = Some(t.to_string());
                h3 = None;
            } else if let Some(t) = line.strip_prefix("### ") {
                h3 = Some(t.to_string());
            } else if let Some(number) = line.split_once(". ").and_then(|(n, _)| n.parse::<u32>().ok()) {
                let item = items.iter().find(|i| i.number == number).expect("item read by common");
                out.push(PlanItem {
                    plan: doc.url.clone(),
                    year: doc.year(),
                    number,
                    headings: h2.iter().chain(&h3).cloned().collect(),
                    text: item.text_without_annotation().to_string(),
                    responsible: item.responsible(),
                });
            }
        }
    }
    out
}

/// A program of data/programs.yaml: names, exclusions, whether it is a framework.
struct Program {
    slug: String,
    names: Vec<String>,
    exclude: Vec<String>,
    framework: bool,
}

fn programs() -> Vec<Program> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(content_dir().join("data/programs.yaml")).unwrap()).unwrap();
    let list = yaml.as_sequence().unwrap();
    let strings = |v: &serde_yaml::Value| -> Vec<String> {
        v.as_sequence().map(|s| s.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
    };
    list.iter()
        .map(|p| {
            let slug = p["slug"].as_str().unwrap().to_string();
            let mut names = vec![p["name"].as_str().unwrap().to_string()];
            names.extend(strings(&p["aliases"]));
            Program { framework: list.iter().any(|q| q["parent"].as_str() == Some(slug.as_str())), slug, names, exclude: strings(&p["exclude"]) }
        })
        .collect()
}

impl Program {
    /// Whether `text` names the program once its exclusions are taken out.
    fn named_in(&self, text: &str) -> bool {
        let mut text = text.to_string();
        for e in &self.exclude {
            text = text.replace(e.as_str(), "〇");
        }
        self.names.iter().any(|n| text.contains(n.as_str()))
    }
}

/// `(plan URL, number)` of the items a page lists with an item link.
fn listed_items(page: &Html) -> BTreeSet<(String, u32)> {
    page.select(&sel("main a.item-link")).filter_map(|a| item_target(a.value().attr("href")?)).collect()
}

#[test]
fn program_pages_list_the_items_their_headings_and_texts_give() {
    let items = plan_items();
    for p in programs() {
        let expected: BTreeSet<(String, u32)> = items
            .iter()
            .filter(|i| (!p.framework && i.headings.iter().any(|h| p.named_in(h))) || p.named_in(&i.text))
            .map(|i| (i.plan.clone(), i.number))
            .collect();
        let url = format!("/programs/{}/", p.slug);
        let actual = listed_items(&site().page(&url));
        assert_eq!(actual, expected, "{url}");
    }
}

#[test]
fn program_pages_hold_the_sets_read_from_the_seeds() {
    // By hand from the seeds: 2023 工作要点 section 五 (items 16–18) names 智汇中原 and
    // 国家战略科技力量对接工程; section 二 (items 5–7) 才荟中原 and 科技创新人才引育工程.
    let wp = |n: u32| ("/plans/2023-work-points/".to_string(), n);
    let set = |slug: &str| listed_items(&site().page(&format!("/programs/{slug}/")));
    assert_eq!(set("zhanlue-duijie"), BTreeSet::from([wp(16), wp(17), wp(18)]));
    assert_eq!(set("caihui-zhongyuan"), BTreeSet::from([wp(5), wp(6), wp(7)]));
    assert_eq!(set("rencai-yinyu"), BTreeSet::from([wp(5), wp(6), wp(7)]));
    assert!(set("chanye-funeng").contains(&wp(8)) && set("kepu-zhuji").contains(&wp(13)));
    // The 2018 slogan 出彩中原立新功 is not the 2023 action.
    assert!(!set("chucai-zhongyuan").contains(&("/plans/2018-work-points/".to_string(), 2)));
    // 会市协同创新行动 (2025 item 11) is 会市合作; the 省会全面战略合作协议 (重点工作 item 4) is 省会合作.
    assert!(set("huishi-hezuo").contains(&("/plans/2025-society-work-points/".to_string(), 11)));
    assert!(set("shenghui-hezuo").contains(&("/plans/2023-key-tasks/".to_string(), 4)));
    // Programs the first site missed have pages with items.
    for slug in ["quanguo-kepuri", "keji-fuwutuan", "chuangxin-fangfa-dasai", "quanguo-xuehui-ruyu", "zuimei-keji-gongzuozhe", "kexuejia-jingshen"] {
        assert!(!set(slug).is_empty(), "/programs/{slug}/ lists no item");
    }
    // Luoyang's own 河洛青年人才托举工程 is not the province's 青年人才托举工程.
    let tuoju = site().page("/programs/tuoju/");
    assert!(!main_links(&tuoju).iter().any(|h| h.starts_with("/reports/2024/luoyang/")), "/programs/tuoju/ lists 洛阳's namesake program");
    // Nothing in the sources says “十项举措”.
    assert!(!site().pages.values().any(|h| h.contains("十项举措")));
}

#[test]
fn items_in_a_program_by_heading_are_marked_so() {
    let page = site().page("/programs/zhanlue-duijie/");
    let marks: Vec<String> = page.select(&sel("main .scope")).map(text_of).collect();
    assert_eq!(marks, ["章节标题", "章节标题", "章节标题"]);
}

/// Rows of a department page: (plan URL, number) → the role's class.
fn department_rows(url: &str) -> Vec<((String, u32), String)> {
    let page = site().page(url);
    page.select(&sel("main li.item-row"))
        .map(|row| {
            let role = row.select(&sel(".role")).next().unwrap_or_else(|| panic!("{url}: a row without its role"));
            let class = role.value().classes().find(|c| c.starts_with("role-")).unwrap().to_string();
            let link = row.select(&sel("a.item-link")).next().and_then(|a| item_target(a.value().attr("href")?)).expect("item link");
            (link, class)
        })
        .collect()
}

#[test]
fn a_department_page_lists_every_item_it_carries_with_its_path() {
    // 科普部: 39 items (the count by a careful reader: 24 were listed before).
    let dept = department("科普部");
    let rows = department_rows("/departments/kepubu/");
    assert_eq!(rows.len(), 39);
    let items = plan_items();
    for ((plan, number), role) in &rows {
        let item = items.iter().find(|i| &i.plan == plan && i.number == *number).unwrap();
        let named = item.responsible.iter().any(|n| dept.names.contains(n));
        let expected = if named {
            // The first comma group of the annotation is the lead.
            let annotation = &site_item_annotation(plan, *number);
            let first_group = annotation.split(['，', ',']).next().unwrap_or("");
            if first_group.split('、').any(|n| dept.names.iter().any(|d| d == n.trim())) {
                "role-lead"
            } else {
                "role-support"
            }
        } else {
            assert!(dept.carries(&item.responsible, item.year), "{plan}#{number}: 科普部 does not carry it");
            "role-collective"
        };
        assert_eq!(role, expected, "{plan}#item-{number} on /departments/kepubu/");
    }
}

/// The list inside the annotation of an item, from the Markdown source.
fn site_item_annotation(plan: &str, number: u32) -> String {
    let doc = source_docs().into_iter().find(|d| d.url == plan).unwrap();
    let item = doc.items().into_iter().find(|i| i.number == number).unwrap();
    let start = ["（责任", "(责任"].iter().filter_map(|l| item.text.rfind(l)).max().unwrap();
    let inner = item.text[start..].split(['）', ')']).next().unwrap().to_string();
    inner.split_once(['：', ':']).map_or(String::new(), |(_, l)| l.to_string())
}

#[test]
fn society_plans_read_as_editorial_leads_not_annotations() {
    // The 2021 and 2025 学会学术 plans name no department: every item is the editors' lead.
    let rows = department_rows("/departments/xuehuixueshubu/");
    let society: Vec<_> = rows.iter().filter(|((plan, _), _)| plan.contains("society")).collect();
    assert_eq!(society.len(), 18 + 13);
    assert!(society.iter().all(|(_, role)| role == "role-editorial"), "{society:?}");
    for plan in ["/plans/2021-society-work-points/", "/plans/2025-society-work-points/"] {
        let page = site().page(plan);
        let note = page.select(&sel("main .lead-deps")).next().map(text_of).unwrap_or_default();
        assert!(note.contains("编者注") && note.contains("学会学术部"), "{plan}: {note}");
        assert!(!site().pages[plan].contains("class=\"annotation\""), "{plan} shows an annotation the source does not have");
    }
    // Where such an item is listed with its departments, the lead is an editors' note.
    let city = site().page("/cities/zhengzhou/");
    let deps: Vec<String> = city.select(&sel("main .item-deps")).map(text_of).collect();
    assert!(!deps.is_empty() && deps.iter().all(|d| d.contains("编者注")), "{deps:?}");
}

#[test]
fn units_named_only_in_2018_are_not_reached_by_the_2023_collectives() {
    for slug in ["xinxizhongxin", "henankejibaoshe", "yuanshizhuanjiagongzuobu"] {
        let rows = department_rows(&format!("/departments/{slug}/"));
        assert!(rows.iter().all(|((plan, _), role)| plan.starts_with("/plans/2018") && role != "role-collective"), "/departments/{slug}/: {rows:?}");
    }
}

#[test]
fn participation_notes_and_distributed_collectives_are_not_departments() {
    let pages: Vec<&String> = site().pages.keys().filter(|u| u.starts_with("/departments/")).collect();
    let names: Vec<String> = pages.iter().filter_map(|u| site().page(u).select(&sel("main h1")).next().map(text_of)).collect();
    for wrong in ["相关部门参与", "相关部室和单位共同参与", "企业科协", "医疗卫生机构科协"] {
        assert!(!names.iter().any(|n| n == wrong), "{wrong} has a department page");
    }
    assert!(names.iter().any(|n| n == "各高校科协、企业科协、医疗卫生机构科协"));
    // The note stays in the published text, verbatim.
    assert!(site().pages["/plans/2018-work-points/"].contains("相关部门参与"));
}

#[test]
fn the_department_chart_and_matrix_agree_with_the_rows() {
    let page = site().page("/departments/kepubu/");
    let desc = page.select(&sel("main svg[role=img] desc")).next().map(text_of).expect("a chart with a text alternative");
    let rows = department_rows("/departments/kepubu/");
    for year in ["2018", "2023"] {
        let n = rows.iter().filter(|((plan, _), _)| plan.contains(year)).count();
        assert!(desc.contains(&format!("{year}年{n}项")), "chart says {desc}, rows say {year}: {n}");
    }
    let matrix = site().page("/departments/");
    let row =
        matrix.select(&sel("main table.matrix tr")).find(|tr| tr.select(&sel("th a")).next().is_some_and(|a| text_of(a) == "科普部")).expect("科普部 row");
    let cells: Vec<String> = row.select(&sel("td")).map(|td| without_whitespace(&text_of(td))).collect();
    assert_eq!(cells.last().map(String::as_str), Some("39"), "{cells:?}");
}

/// The quotes of a parts page: (city, text, href).
fn quotes(url: &str) -> Vec<(String, String, String)> {
    let page = site().page(url);
    page.select(&sel("main .city-quotes"))
        .flat_map(|section| {
            let city = section.select(&sel("h2")).next().map(text_of).unwrap_or_default();
            section
                .select(&sel("blockquote"))
                .map(|q| {
                    let text = q.select(&sel("p")).next().map(text_of).unwrap_or_default();
                    let href = q.select(&sel("a")).next().and_then(|a| a.value().attr("href")).unwrap_or_default().to_string();
                    (city.clone(), text, href)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The text of the block a fragment leads to (a part's marker stands at the start of its block).
fn target_text(href: &str) -> String {
    let (path, fragment) = href.split_once('#').expect("a fragment");
    let page = site().page(path);
    let target = page.select(&sel("[id]")).find(|e| e.value().id() == Some(fragment)).unwrap_or_else(|| panic!("{href} leads nowhere"));
    let block = if text_of(target).is_empty() { target.parent().and_then(ElementRef::wrap).unwrap() } else { target };
    text_of(block)
}

#[test]
fn the_problems_page_quotes_every_city_that_names_its_problems() {
    let q = quotes("/reports/2024/problems/");
    let cities: BTreeSet<&str> = q.iter().map(|(c, _, _)| c.as_str()).collect();
    assert!(cities.len() >= 15, "{cities:?}");
    assert!(q.iter().any(|(c, t, _)| c == "郑州市" && t.contains("连年削减的工作经费")));
    // Cities that fold their problems into a paragraph are found too (焦作, 濮阳, 周口).
    for (city, words) in [("焦作市", "还存在工作创新不够"), ("濮阳市", "还存在不少差距"), ("周口市", "存在以下不足之处")] {
        assert!(q.iter().any(|(c, t, _)| c == city && t.contains(words)), "{city}");
    }
    for (city, text, href) in &q {
        assert!(target_text(href).contains(text.as_str()), "{city}: the quote is not in the passage {href} leads to");
    }
}

#[test]
fn the_suggestions_page_quotes_every_city_that_makes_one() {
    let q = quotes("/reports/2024/suggestions/");
    let cities: BTreeSet<&str> = q.iter().map(|(c, _, _)| c.as_str()).collect();
    // By hand from the seed: twelve reports make suggestions or requests to the province; the
    // reports of 郑州 洛阳 焦作 漯河 南阳 驻马店 make none.
    let expected =
        BTreeSet::from(["开封市", "平顶山市", "安阳市", "鹤壁市", "新乡市", "濮阳市", "许昌市", "三门峡市", "商丘市", "信阳市", "周口市", "济源示范区"]);
    assert_eq!(cities, expected);
    assert!(q.iter().any(|(c, t, _)| c == "安阳市" && t.contains("建议省科协多深入基层科协调研指导工作")));
    assert!(q.iter().any(|(c, t, _)| c == "周口市" && t.contains("建议省科协建立开放交流平台")));
    for (city, text, href) in &q {
        assert!(target_text(href).contains(text.as_str()), "{city}: the quote is not in the passage {href} leads to");
    }
}

#[test]
fn the_compilation_has_a_page_with_its_cover_and_contents_in_order() {
    let page = site().page("/collections/reports-2024-03/");
    let text = without_whitespace(&page.select(&sel("main")).next().map(text_of).unwrap());
    for cover in ["省辖市科协工作座谈会材料之四", "“5610”总体安排省辖市科协发言材料汇编", "河南省科协办公室", "2024-03"]
    {
        assert!(text.contains(cover), "the compilation page lacks {cover}");
    }
    // The table of contents of the seed, in its order.
    let seed = std::fs::read_to_string(seeds_dir().join("003_34df85477a50c534.txt")).unwrap();
    let toc: Vec<String> = seed
        .lines()
        .filter_map(|l| {
            let (n, rest) = l.split_once(". ")?;
            n.parse::<u32>().ok()?;
            Some(rest.split(['\t', '(']).next()?.trim().to_string())
        })
        .take(18)
        .collect();
    let entries: Vec<(String, String)> =
        page.select(&sel("main ol.toc-list li a")).map(|a| (text_of(a), a.value().attr("href").unwrap().to_string())).collect();
    assert_eq!(entries.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(), toc);
    for ((name, href), (slug, short)) in entries.iter().zip(CITIES.iter()) {
        assert!(name.starts_with(short), "{name}");
        assert_eq!(href, &format!("/reports/2024/{slug}/"));
    }
    // The home page shows the compilation once, not its eighteen reports.
    let home = main_links(&site().page("/"));
    assert!(home.contains(&"/collections/reports-2024-03/".to_string()));
    assert!(!home.iter().any(|h| h.starts_with("/reports/2024/") && h.len() > "/reports/2024/".len()));
}

#[test]
fn documents_of_one_notice_and_related_items_link_each_other() {
    let key = site().page("/plans/2023-key-tasks/");
    let points = site().page("/plans/2023-work-points/");
    let siblings = |p: &Html| p.select(&sel("main .siblings a")).filter_map(|a| a.value().attr("href")).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(siblings(&key), ["/plans/2023-work-points/"]);
    assert_eq!(siblings(&points), ["/plans/2023-key-tasks/"]);
    let links_under = |p: &Html, n: u32| -> Vec<String> {
        p.select(&sel(&format!("li#item-{n} .item-links a"))).filter_map(|a| a.value().attr("href")).map(str::to_string).collect()
    };
    // 重点工作 item 7 repeats 工作要点 item 12 word for word.
    assert!(links_under(&key, 7).contains(&"/plans/2023-work-points/#item-12".to_string()));
    assert!(links_under(&points, 12).contains(&"/plans/2023-key-tasks/#item-7".to_string()));
    // 重点工作 items 4, 5, 9, 10 are carried out by 工作要点 items 16, 17, 13, 14 (editorial).
    for (k, p) in [(4, 16), (5, 17), (9, 13), (10, 14)] {
        assert!(links_under(&key, k).contains(&format!("/plans/2023-work-points/#item-{p}")), "key task {k}");
        assert!(links_under(&points, p).contains(&format!("/plans/2023-key-tasks/#item-{k}")), "work point {p}");
        let note = key.select(&sel(&format!("li#item-{k} .item-links"))).map(text_of).collect::<String>();
        assert!(note.contains("编者注"), "key task {k}: {note}");
    }
}

#[test]
fn an_item_links_its_program_in_other_years() {
    // 青年人才托举工程: 2018 item 10, 2021 item 16, 2023 item 5, 2025 items 9 and 10.
    let page = site().page("/plans/2021-society-work-points/");
    let links: Vec<String> = page.select(&sel("li#item-16 .item-links a")).filter_map(|a| a.value().attr("href")).map(str::to_string).collect();
    for year in [2018, 2023, 2025] {
        assert!(links.contains(&format!("/programs/tuoju/#y{year}")), "{links:?}");
    }
}

#[test]
fn the_city_index_shows_the_programs_each_city_reported_on() {
    let page = site().page("/cities/");
    let programs = programs();
    let docs = source_docs();
    for row in page.select(&sel("main table.city-table tbody tr")) {
        let city = row.select(&sel("th a")).next().map(text_of).unwrap();
        let listed: BTreeSet<String> = row.select(&sel("td a")).filter_map(|a| a.value().attr("href")).map(str::to_string).collect();
        let report = docs.iter().find(|d| !d.is_plan() && d.front["city"].as_str() == Some(city.as_str())).unwrap();
        let expected: BTreeSet<String> = programs
            .iter()
            .filter(|p| report.body.lines().any(|l| if l.starts_with('#') { !p.framework && p.named_in(l) } else { p.named_in(l) }))
            .map(|p| format!("/programs/{}/", p.slug))
            .collect();
        assert_eq!(listed, expected, "{city}");
    }
}

#[test]
fn every_report_part_anchor_leads_to_its_part() {
    for (slug, _) in CITIES {
        let url = format!("/reports/2024/{slug}/");
        let page = site().page(&url);
        for a in page.select(&sel("main nav.jump a")) {
            let href = format!("{url}{}", a.value().attr("href").unwrap());
            let label = text_of(a);
            let text = target_text(&href);
            let words: &[&str] = match label.as_str() {
                "存在的问题和不足" => &["问题", "不足", "差距"],
                "下一步工作打算" => &["下一步", "下步", "2024年", "打算", "计划", "方向", "一要"],
                "对省科协的建议" => &["建议", "恳请", "希望", "省级层面", "一是"],
                other => panic!("unknown part {other}"),
            };
            assert!(words.iter().any(|w| text.contains(w)), "{href} ({label}) leads to: {text}");
        }
    }
}

#[test]
fn an_item_shows_three_repeats_and_counts_the_rest_with_a_search_for_them() {
    // Nine fixture plans of 2024 beside the real content: five share the title of their first
    // item, four share another; the first of the five is also carried out (editorial, in
    // relations.yaml) by the second item of the first of the four.
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(&content_dir(), &content);
    let plan = |slug: &str, title: &str| {
        let text = format!(
            "---\ntitle: 河南省科协测试计划{slug}\nkind: plan\nyear: 2024\n---\n\n1. {title}。推进测试工作。（责任部门：科普部）\n\n2. 开展{slug}专项工作。（责任部门：科普部）\n"
        );
        std::fs::write(content.join(format!("plans/{slug}.md")), text).unwrap();
    };
    let five: Vec<String> = (1..=5).map(|k| format!("repeat-five-{k}")).collect();
    let four: Vec<String> = (1..=4).map(|k| format!("repeat-four-{k}")).collect();
    five.iter().for_each(|s| plan(s, "健全五项重复机制"));
    four.iter().for_each(|s| plan(s, "健全四项重复机制"));
    let relations = content.join("data/relations.yaml");
    let mut yaml = std::fs::read_to_string(&relations).unwrap();
    yaml.push_str("- item: repeat-five-1#1\n  carried_out_by: [repeat-four-1#2]\n");
    std::fs::write(&relations, yaml).unwrap();
    let out = dir.path().join("site");
    if let Err(report) = planport::site::build(&content, &out) {
        panic!("the fixture does not build:\n{}", report.to_json());
    }
    let page = |slug: &str| Html::parse_document(&std::fs::read_to_string(out.join(format!("plans/{slug}/index.html"))).unwrap());
    let lines = |slug: &str, item: u32| -> Vec<(String, Vec<String>)> {
        page(slug)
            .select(&sel(&format!("li#item-{item} .item-links")))
            .map(|p| (text_of(p), p.select(&sel("a")).filter_map(|a| a.value().attr("href")).map(str::to_string).collect()))
            .collect()
    };
    for slug in &five {
        let lines = lines(slug, 1);
        let editorial = usize::from(slug == &five[0]);
        assert_eq!(lines.len(), 4 + editorial, "{slug}: {lines:?}");
        let linked: BTreeSet<String> = lines[..3]
            .iter()
            .map(|(text, hrefs)| {
                assert!(text.starts_with("同年另见：") && text.ends_with("（事项标题相同）"), "{text}");
                hrefs[0].clone()
            })
            .collect();
        let others: BTreeSet<String> = five.iter().filter(|s| *s != slug).map(|s| format!("/plans/{s}/#item-1")).collect();
        assert_eq!(linked.len(), 3);
        assert!(linked.is_subset(&others), "{slug}: {linked:?}");
        // The count stands under the repeats it counts, before any editorial line.
        let (text, hrefs) = &lines[3];
        assert_eq!(text, "同年另有1项标题相同：在搜索中查看");
        let (path, query) = hrefs[0].split_once('?').unwrap();
        assert_eq!(path, "/search/");
        let query: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        assert_eq!(query, [("q".to_string(), "健全五项重复机制".to_string()), ("year".to_string(), "2024年".to_string())]);
        if editorial == 1 {
            assert!(lines[4].0.starts_with("编者注：由") && lines[4].1 == ["/plans/repeat-four-1/#item-2"], "{:?}", lines[4]);
        }
    }
    for slug in &four {
        let linked: BTreeSet<String> = lines(slug, 1).iter().map(|(_, hrefs)| hrefs[0].clone()).collect();
        let others: BTreeSet<String> = four.iter().filter(|s| *s != slug).map(|s| format!("/plans/{s}/#item-1")).collect();
        assert_eq!(linked, others, "{slug}: all three repeats are links, nothing is counted");
    }
    // The editorial relation shows on its other side too; items of other titles show no repeat.
    assert_eq!(lines(&four[0], 2).iter().map(|(text, _)| text.starts_with("编者注：落实")).collect::<Vec<_>>(), [true]);
    assert!(lines(&five[1], 2).is_empty());
}
