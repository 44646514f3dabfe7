//! Publishing, on the real content built for `https://example.org/portal/`: every link works
//! under the sub-path; feeds, sitemap and robots.txt are valid and carry only /portal/ URLs;
//! the open data validates against its schema and round-trips through a CSV reader; the
//! publish and release workflows are well-formed.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use common::*;
use scraper::Html;

const BASE: &str = "https://example.org/portal/";
const PREFIX: &str = "/portal/";

/// The real content built with `base_url: https://example.org/portal/`: relative path → bytes.
fn portal() -> &'static BTreeMap<String, Vec<u8>> {
    static SITE: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("site");
        if let Err(report) = planport::site::build_at(&content_dir(), &out, Some(BASE)) {
            panic!("the real content does not build for {BASE}:\n{}", report.to_json());
        }
        files_under(&out)
    })
}

fn text(rel: &str) -> String {
    String::from_utf8(portal().get(rel).unwrap_or_else(|| panic!("no {rel} in the output")).clone()).unwrap()
}

/// The file a link under the sub-path names: `/portal/x/` → `x/index.html`.
fn file_of(href: &str) -> Option<String> {
    let path = href.split(['#', '?']).next()?;
    let rel = path.strip_prefix(PREFIX)?;
    let rel = percent_encoding::percent_decode_str(rel).decode_utf8().ok()?.into_owned();
    Some(if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel })
}

/// `target` relative to the page at `page` (`/portal/search/index.html`), as a browser reads it.
fn resolve(page: &str, target: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the page's own file name
    for seg in target.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if target.ends_with('/') || target == "." || target.ends_with("/.") {
        format!("{}/", joined.trim_end_matches('/'))
    } else {
        joined
    }
}

#[test]
fn every_link_stylesheet_and_script_works_under_the_sub_path() {
    let mut broken = BTreeSet::new();
    let mut checked = 0;
    for (rel, bytes) in portal().iter().filter(|(r, _)| r.ends_with(".html")) {
        let page = Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for (selector, attr) in [("a[href]", "href"), ("link[href]", "href"), ("script[src]", "src"), ("form[action]", "action")] {
            for e in page.select(&sel(selector)) {
                let target = e.value().attr(attr).unwrap();
                if target.starts_with('#') || target.starts_with("https://") && !target.starts_with(BASE) {
                    continue;
                }
                let target = target.strip_prefix("https://example.org").unwrap_or(target);
                // A relative link (`../static/search.js`) is resolved against its page.
                let resolved;
                let target = if target.starts_with('/') {
                    target
                } else {
                    resolved = resolve(&format!("{PREFIX}{rel}"), target);
                    resolved.as_str()
                };
                checked += 1;
                match file_of(target) {
                    Some(file) if portal().contains_key(&file) => {}
                    _ => {
                        broken.insert(format!("{rel}: {attr}={target}"));
                    }
                }
            }
        }
    }
    assert!(checked > 5000, "only {checked} links checked");
    assert!(broken.is_empty(), "{} links outside /portal/ or to no file: {:#?}", broken.len(), broken.iter().take(20).collect::<Vec<_>>());
}

#[test]
fn the_404_page_and_the_search_script_know_the_sub_path() {
    let page = Html::parse_document(&text("404.html"));
    let links: Vec<&str> = page.select(&sel("a[href], link[href]")).filter_map(|a| a.value().attr("href")).filter(|h| !h.starts_with('#')).collect();
    assert!(!links.is_empty() && links.iter().all(|h| h.starts_with(PREFIX)), "{links:?}");
    let home = Html::parse_document(&text("index.html"));
    assert_eq!(home.root_element().value().attr("data-base"), Some(PREFIX));
}

/// Parse an Atom feed and check what RFC 4287 requires of it, returning its entries' links.
fn valid_feed(rel: &str) -> Vec<String> {
    let xml = text(rel);
    roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{rel} is not well-formed XML: {e}"));
    let feed: atom_syndication::Feed = xml.parse().unwrap_or_else(|e| panic!("{rel} is not Atom: {e}"));
    let self_url = format!("{BASE}{rel}");
    assert_eq!(feed.id(), self_url, "{rel}: the id is the feed's own URL");
    assert!(!feed.title().as_str().is_empty(), "{rel}: title");
    assert!(!feed.authors().is_empty(), "{rel}: a feed without entry authors needs an author");
    let rels: Vec<(&str, &str)> = feed.links().iter().map(|l| (l.rel(), l.href())).collect();
    assert!(rels.contains(&("self", self_url.as_str())), "{rel}: rel=self {rels:?}");
    assert!(rels.iter().all(|(_, h)| h.starts_with(BASE)), "{rel}: {rels:?}");
    assert!(!feed.entries().is_empty(), "{rel}: no entries");
    let mut ids = BTreeSet::new();
    let mut previous = None;
    for entry in feed.entries() {
        assert!(ids.insert(entry.id().to_string()), "{rel}: entry id {} twice", entry.id());
        assert!(entry.id().starts_with(BASE) && !entry.title().as_str().is_empty());
        assert!(entry.links().iter().any(|l| l.rel() == "alternate" && l.href().starts_with(BASE)), "{rel}: entry without its page");
        if let Some(p) = previous {
            assert!(*entry.updated() <= p, "{rel}: entries are newest first");
        }
        previous = Some(*entry.updated());
        assert!(entry.updated() <= feed.updated(), "{rel}: feed updated before its entry");
    }
    feed.entries().iter().map(|e| e.links()[0].href().to_string()).collect()
}

#[test]
fn the_site_feed_lists_every_document_newest_first() {
    let links = valid_feed("feed.xml");
    let documents = portal()
        .keys()
        .filter(|r| {
            (r.starts_with("plans/") || r.starts_with("reports/2024/")) && r.ends_with("index.html") && !r.contains("problems") && !r.contains("suggestions")
        })
        .count();
    assert_eq!(links.len(), documents);
    for link in links {
        assert!(portal().contains_key(&file_of(link.strip_prefix("https://example.org").unwrap()).unwrap()), "{link}");
    }
}

/// site.yaml's `feed_limit` keeps each feed's newest documents: the real content (23
/// documents) with a limit of 2 gives the first 2 entries of the whole feed, and a department's
/// feed (科普部: 3 plans) the first 2 of its own.
#[test]
fn feed_limit_keeps_the_newest_documents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    copy_dir(&content_dir(), &content);
    let site_yaml = content.join("site.yaml");
    let yaml = std::fs::read_to_string(&site_yaml).unwrap();
    std::fs::write(&site_yaml, format!("{yaml}\nfeed_limit: 2\n")).unwrap();
    let out = dir.path().join("site");
    if let Err(report) = planport::site::build_at(&content, &out, Some(BASE)) {
        panic!("does not build with feed_limit: 2:\n{}", report.to_json());
    }
    let ids = |xml: &[u8]| -> Vec<String> {
        let feed: atom_syndication::Feed = std::str::from_utf8(xml).unwrap().parse().unwrap();
        feed.entries().iter().map(|e| e.id().to_string()).collect()
    };
    let limited = files_under(&out);
    for rel in ["feed.xml", "departments/kepubu/feed.xml"] {
        let all = ids(&portal()[rel]);
        assert!(all.len() > 2, "{rel} has only {} documents unlimited", all.len());
        assert_eq!(ids(&limited[rel]), all[..2], "{rel}");
    }
}

#[test]
fn department_and_city_feeds_are_found_from_their_pages() {
    for (page, expected_entry) in [("departments/kepubu/index.html", "plans/2018-work-points/"), ("cities/kaifeng/index.html", "reports/2024/kaifeng/")] {
        let html = Html::parse_document(&text(page));
        let feed = html
            .select(&sel("link[rel=alternate][type='application/atom+xml']"))
            .next()
            .and_then(|l| l.value().attr("href"))
            .unwrap_or_else(|| panic!("{page} advertises no feed"));
        let rel = file_of(feed).unwrap();
        let links = valid_feed(&rel);
        assert!(links.contains(&format!("{BASE}{expected_entry}")), "{rel}: {links:?}");
    }
}

#[test]
fn the_sitemap_lists_every_public_page_and_only_files_that_exist() {
    let xml = text("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed sitemap");
    assert_eq!(doc.root_element().tag_name().namespace(), Some("http://www.sitemaps.org/schemas/sitemap/0.9"));
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    // Every page but the editors' guide, which is `noindex`.
    let pages: BTreeSet<String> = portal().keys().filter(|r| r.ends_with("index.html") && *r != "guide/index.html").cloned().collect();
    let listed: BTreeSet<String> = locs.iter().map(|l| file_of(l.strip_prefix("https://example.org").expect("absolute, under the base")).unwrap()).collect();
    assert_eq!(listed, pages);
    assert!(text("robots.txt").contains(&format!("Sitemap: {BASE}sitemap.xml")));
}

#[test]
fn document_pages_carry_canonical_description_and_open_graph() {
    let html = Html::parse_document(&text("plans/2023-work-points/index.html"));
    let attr = |css: &str, a: &str| html.select(&sel(css)).next().and_then(|e| e.value().attr(a)).map(str::to_string);
    assert_eq!(attr("link[rel=canonical]", "href").as_deref(), Some("https://example.org/portal/plans/2023-work-points/"));
    let description = attr("meta[name=description]", "content").unwrap();
    assert_ne!(description, "河南省科协工作要点公开");
    assert!(description.ends_with('。') && description.chars().count() > 10, "{description}");
    assert_eq!(attr("meta[property='og:title']", "content").as_deref(), Some("河南省科协2023年工作要点"));
    assert_eq!(attr("meta[property='og:url']", "content"), attr("link[rel=canonical]", "href"));
}

#[test]
fn items_json_validates_against_its_schema_and_names_the_departments() {
    let items: serde_json::Value = serde_json::from_str(&text("data/items.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text("data/items.schema.json")).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("items.schema.json", schema).unwrap();
    let id = compiler.compile("items.schema.json", &mut schemas).expect("a valid 2020-12 schema");
    if let Err(e) = schemas.validate(&items, id) {
        panic!("items.json does not validate: {e:#}");
    }
    let records = items.as_array().unwrap();
    assert_eq!(records.len(), 10 + 23 + 51 + 18 + 13);
    // 科普部 is named on exactly the items whose annotation names it.
    let expected: usize =
        source_docs().iter().filter(|d| d.is_plan()).flat_map(|d| d.items()).filter(|i| i.responsible().iter().any(|n| n == "科普部")).count();
    let named = records.iter().filter(|r| r["departments"].as_array().unwrap().iter().any(|d| d["name"] == "科普部" && d["provenance"] == "source")).count();
    assert_eq!(named, expected);
    // The society plans' lead is marked as the editors'.
    let editorial = records.iter().filter(|r| r["departments"].as_array().unwrap().iter().any(|d| d["provenance"] == "editorial")).count();
    assert_eq!(editorial, 18 + 13);
    assert!(records.iter().all(|r| r["url"].as_str().unwrap().starts_with(BASE)));
}

#[test]
fn items_csv_opens_as_written_and_round_trips_to_the_json_records() {
    let bytes = portal()["data/items.csv"].clone();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark for spreadsheet software");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("RFC 4180")).collect();
    let json: serde_json::Value = serde_json::from_str(&text("data/items.json")).unwrap();
    let records = json.as_array().unwrap();
    assert_eq!(rows.len(), records.len());
    for (row, record) in rows.iter().zip(records) {
        assert_eq!(&row[0], record["document"].as_str().unwrap());
        assert_eq!(row[2].parse::<u64>().unwrap(), record["number"].as_u64().unwrap());
        assert_eq!(&row[3], record["title"].as_str().unwrap());
        assert_eq!(&row[4], record["text"].as_str().unwrap(), "the full text survives the quoting");
        assert_eq!(&row[8], record["url"].as_str().unwrap());
    }
    let documents: serde_json::Value = serde_json::from_str(&text("data/documents.json")).unwrap();
    assert_eq!(documents.as_array().unwrap().len(), 5 + 18);
}

#[test]
fn feeds_sitemap_and_data_are_the_same_bytes_on_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("again");
    planport::site::build_at(&content_dir(), &out, Some(BASE)).unwrap_or_else(|r| panic!("{}", r.to_json()));
    let again = files_under(&out);
    assert_eq!(again.keys().collect::<Vec<_>>(), portal().keys().collect::<Vec<_>>());
    for (rel, bytes) in &again {
        assert!(portal()[rel] == *bytes, "{rel} differs between two builds");
    }
}

#[test]
fn a_base_url_that_is_neither_url_nor_path_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["example.org/portal", "ftp://example.org/", "https://exa mple.org/"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_planport"))
            .args(["build", "--content", content_dir().to_str().unwrap(), "--output", dir.path().join("out").to_str().unwrap(), "--base-url", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("base_url") && stderr.contains("https://example.org/portal/"), "{bad}: {stderr}");
        assert!(!dir.path().join("out").exists(), "{bad}: nothing is written");
    }
}

#[test]
fn the_publish_workflow_checks_tests_builds_and_deploys_to_pages() {
    let text = std::fs::read_to_string(repo_dir().join(".github/workflows/publish.yml")).expect("the workflow");
    let wf: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let branches = &wf["on"]["push"]["branches"];
    assert!(branches.as_sequence().is_some_and(|b| b.iter().any(|x| x == "main")), "runs on push to main");
    assert_eq!(wf["permissions"]["pages"], "write");
    assert_eq!(wf["permissions"]["id-token"], "write");
    let steps = |job: &str| -> Vec<String> {
        wf["jobs"][job]["steps"].as_sequence().unwrap_or_else(|| panic!("job {job}")).iter().map(|s| serde_yaml::to_string(s).unwrap()).collect()
    };
    let build = steps("build").join("\n");
    let order = ["planport check", "./scripts/test", "--base-url", "actions/upload-pages-artifact"];
    let at: Vec<usize> = order.iter().map(|w| build.find(w).unwrap_or_else(|| panic!("the build job has no {w}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "check, test, build, upload in that order");
    assert!(build.contains("steps.pages.outputs.base_url"), "base_url comes from the Pages URL");
    assert!(build.contains("-- check --deny-warnings"), "a warning stops publishing, as an error does");
    assert!(steps("deploy").join("\n").contains("actions/deploy-pages"));
    assert_eq!(wf["jobs"]["deploy"]["needs"], "build");
}

#[test]
fn the_check_workflow_annotates_pull_requests_with_planport_check() {
    let text = std::fs::read_to_string(repo_dir().join(".github/workflows/check.yml")).expect("the workflow");
    let wf: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    assert!(wf["on"].get("pull_request").is_some(), "runs on pull requests");
    assert_eq!(wf["permissions"]["contents"], "read", "reads the repository and nothing more");
    let steps: Vec<String> = wf["jobs"]["check"]["steps"].as_sequence().expect("job check").iter().map(|s| serde_yaml::to_string(s).unwrap()).collect();
    let steps = steps.join("\n");
    let order = ["actions/checkout", "rust-toolchain", "check --format github"];
    let at: Vec<usize> = order.iter().map(|w| steps.find(w).unwrap_or_else(|| panic!("the check job has no {w}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "checkout, toolchain, check in that order");
}

/// Issue 12: editors get planport without a Rust toolchain, from the release of a tag.
#[test]
fn the_release_workflow_builds_linux_windows_and_macos_binaries_for_a_tag() {
    let text = std::fs::read_to_string(repo_dir().join(".github/workflows/release.yml")).expect("the release workflow");
    let wf: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    assert!(wf["on"]["push"]["tags"].as_sequence().is_some_and(|t| t.iter().any(|x| x == "v*")), "runs on a tag v*");
    assert!(wf["on"]["workflow_dispatch"]["inputs"]["tag"]["required"].as_bool() == Some(true), "by hand, naming the tag");
    assert_eq!(wf["permissions"]["contents"], "write", "a release is written with the workflow's token");
    let build = &wf["jobs"]["build"];
    let targets: Vec<(&str, &str)> = build["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("a matrix of systems")
        .iter()
        .map(|m| (m["os"].as_str().unwrap(), m["target"].as_str().unwrap()))
        .collect();
    for (os, target) in
        [("ubuntu", "x86_64-unknown-linux-musl"), ("windows", "x86_64-pc-windows-msvc"), ("macos", "aarch64-apple-darwin"), ("macos", "x86_64-apple-darwin")]
    {
        assert!(targets.iter().any(|(o, t)| o.starts_with(os) && *t == target), "{target} on {os}: {targets:?}");
    }
    assert_eq!(build["runs-on"], "${{ matrix.os }}");
    let steps = |job: &str| -> String {
        wf["jobs"][job]["steps"]
            .as_sequence()
            .unwrap_or_else(|| panic!("job {job}"))
            .iter()
            .map(|s| serde_yaml::to_string(s).unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let build_steps = steps("build");
    let order =
        ["actions/checkout", "rust-toolchain", "cargo build --release --locked --target ${{ matrix.target }}", "planport.exe", "actions/upload-artifact"];
    let at: Vec<usize> = order.iter().map(|w| build_steps.find(w).unwrap_or_else(|| panic!("the build job has no {w}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "checkout, toolchain, build, package, upload in that order");
    assert!(build_steps.contains("musl-tools"), "the static Linux build needs the musl linker");
    assert_eq!(wf["jobs"]["release"]["needs"], "build");
    let release = steps("release");
    assert!(release.contains("actions/download-artifact") && release.contains("softprops/action-gh-release") && release.contains("files: dist/*"), "{release}");
    // Well-known actions, each pinned to a major version.
    for line in text.lines().filter_map(|l| l.trim().strip_prefix("- uses: ").or_else(|| l.trim().strip_prefix("uses: "))) {
        let (action, version) = line.split_once('@').unwrap_or_else(|| panic!("{line} names no version"));
        assert!(["actions/", "dtolnay/", "softprops/"].iter().any(|o| action.starts_with(o)), "{action}");
        assert!(version.starts_with('v') || version == "stable", "{line}");
    }
}
