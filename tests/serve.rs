//! Issue 14, incremental `planport serve`: after any sequence of edits taken by the live site
//! (an update, then a finished catch-up), the output is byte-identical to a fresh
//! `planport build` of the same content. Each test edits a copy of a site in a temp dir and
//! compares every file of the two outputs.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use planport::incremental::LiveSite;

/// A site copied into a temp dir, kept live in `output/`.
struct Edited {
    tmp: tempfile::TempDir,
    live: LiveSite,
}

impl Edited {
    /// Copy `content` (and the repository's themes/) and build it live.
    fn start(content: &Path) -> Edited {
        let tmp = tempfile::tempdir().unwrap();
        common::copy_dir(content, &tmp.path().join("content"));
        common::copy_dir(&common::repo_dir().join("themes"), &tmp.path().join("themes"));
        let (live, _) =
            LiveSite::start(&tmp.path().join("content"), &tmp.path().join("output")).unwrap_or_else(|r| panic!("the site does not build:\n{}", r.to_json()));
        Edited { tmp, live }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join("content").join(rel)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Write a content file and let the live site take it in, catch-up included.
    fn save(&mut self, rel: &str, text: &str) -> Result<(), String> {
        fs::write(self.path(rel), text).unwrap();
        self.take(rel)
    }

    fn delete(&mut self, rel: &str) -> Result<(), String> {
        fs::remove_file(self.path(rel)).unwrap();
        self.take(rel)
    }

    fn take(&mut self, rel: &str) -> Result<(), String> {
        self.live.update([self.path(rel)]).map_err(|r| r.to_json())?;
        let (done, _) = self.live.catch_up(&|| false).map_err(|r| r.to_json())?;
        assert!(done, "a catch-up that is never stopped finishes");
        Ok(())
    }

    fn output(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        common::files_under(&self.tmp.path().join("output"))
    }

    /// The output must be what a fresh build of the content makes, byte for byte.
    fn assert_as_built(&self, after: &str) {
        let fresh = tempfile::tempdir().unwrap();
        let out = fresh.path().join("site");
        if let Err(r) = planport::site::build(&self.tmp.path().join("content"), &out) {
            panic!("after {after}, the content does not build:\n{}", r.to_json());
        }
        let (served, built) = (self.output(), common::files_under(&out));
        let missing: Vec<&String> = built.keys().filter(|k| !served.contains_key(*k)).collect();
        let extra: Vec<&String> = served.keys().filter(|k| !built.contains_key(*k)).collect();
        let differing: Vec<&String> = built.iter().filter(|(k, v)| served.get(*k).is_some_and(|s| s != *v)).map(|(k, _)| k).collect();
        assert!(
            missing.is_empty() && extra.is_empty() && differing.is_empty(),
            "after {after}, the served output is not the built one:\nmissing {missing:?}\nextra {extra:?}\ndiffering {differing:?}"
        );
    }
}

/// The text with the names of its first annotation of several names in the opposite order:
/// the departments that lead become those that support, and the other way round.
fn with_annotation_reversed(text: &str) -> String {
    const LABEL: &str = "（责任部门：";
    let mut from = 0;
    loop {
        let start = from + text[from..].find(LABEL).expect("an annotation of several names") + LABEL.len();
        let end = start + text[start..].find('）').unwrap();
        let names = &text[start..end];
        let sep = if names.contains('，') { '，' } else { '、' };
        if names.contains(sep) {
            let reversed: Vec<&str> = names.split(sep).rev().collect();
            return format!("{}{}{}", &text[..start], reversed.join(&sep.to_string()), &text[end..]);
        }
        from = end;
    }
}

fn with_title(text: &str, title: &str) -> String {
    let line = text.lines().find(|l| l.starts_with("title:")).expect("a title line");
    text.replacen(line, &format!("title: {title}"), 1)
}

#[test]
fn edits_of_the_real_content_serve_what_a_build_makes() {
    let mut site = Edited::start(&common::content_dir());
    site.assert_as_built("the first build");

    let plan = "plans/2023-key-tasks.md";
    let text = site.read(plan);
    site.save(plan, &with_title(&text, "河南省科协2023年重点工作（修订稿）")).unwrap();
    site.assert_as_built("a new title");

    let text = site.read(plan);
    site.save(plan, &with_annotation_reversed(&text)).unwrap();
    site.assert_as_built("an item's departments in the opposite order");

    // A copy of a plan: another document of the same notice, with items of the same titles.
    let copy = "plans/2023-key-tasks-copy.md";
    site.save(copy, &with_title(&text, "河南省科协2023年重点工作（副本）")).unwrap();
    site.assert_as_built("a new document");

    site.delete(copy).unwrap();
    site.assert_as_built("deleting that document");

    let report = "reports/2024/jiyuan.md";
    let good = site.read(report);
    site.delete(report).unwrap();
    site.assert_as_built("deleting a report");
    site.save(report, &good).unwrap();
    site.assert_as_built("the report back");

    let before = site.output();
    let broken = site.save(plan, &text.replacen("title:", "title: [", 1)).expect_err("a broken document is reported");
    assert!(broken.contains("2023-key-tasks.md"), "the report names the file:\n{broken}");
    assert!(site.output() == before, "a broken edit leaves the output as it was");
    site.save(plan, &text).unwrap();
    site.assert_as_built("a fix");

    // A link to no page in a document that keeps its place (put in place in the index): refused
    // as a build refuses it, and the index is as it was for the next edit.
    let before = site.output();
    let broken = site.save(plan, &format!("{text}\n见[另一份计划](/plans/no-such-plan/)。\n")).expect_err("a link to no page is reported");
    assert!(broken.contains("E0401") && broken.contains("/plans/no-such-plan/"), "the report names the link:\n{broken}");
    assert!(site.output() == before, "a refused edit leaves the output as it was");
    site.save(plan, &with_title(&text, "河南省科协2023年重点工作（又一稿）")).unwrap();
    site.assert_as_built("a fix after a refused link");
}

#[test]
fn edits_of_a_generated_site_serve_what_a_build_makes() {
    let mut site = Edited::start(&common::repo_dir().join("tests/fixtures/generated/content"));
    site.assert_as_built("the first build");

    let plan = "plans/2013/plan-000004.md";
    let text = site.read(plan);
    site.save(plan, &with_title(&text, "\"河南省科协2013年工作要点（修订稿）\"")).unwrap();
    site.assert_as_built("a new title");

    let text = site.read(plan);
    site.save(plan, &with_annotation_reversed(&text)).unwrap();
    site.assert_as_built("an item's departments in the opposite order");

    // Another year moves the plan between year pages and in every department's list.
    site.save(plan, &text.replacen("year: 2013", "year: 2014", 1)).unwrap();
    site.assert_as_built("another year");

    let copy = "plans/2013/plan-000104.md";
    site.save(copy, &text.replacen("slug: plan-000004", "slug: plan-000104", 1)).unwrap();
    site.assert_as_built("a new document");

    // A report of the same city on the same year, submitted a year later under the same slug:
    // another URL (/reports/2009/…). The two keep one order whichever was saved last.
    let report = "reports/2008/report-000000.md";
    let good = site.read(report);
    fs::create_dir_all(site.path("reports/2009")).unwrap();
    site.save("reports/2009/report-000000.md", &with_title(&good.replacen("date: 2008-01-10", "date: 2009-02-01", 1), "\"鹤壁市科协2008年工作总结（补报）\""))
        .unwrap();
    site.assert_as_built("a report's twin submitted a year later");
    site.delete(report).unwrap();
    site.assert_as_built("deleting a report");
    site.save(report, &good).unwrap();
    site.assert_as_built("the report back beside its twin");

    let before = site.output();
    site.save(copy, "---\ntitle: 无年份\n---\n").expect_err("a document without a year is reported");
    assert!(site.output() == before, "a broken edit leaves the output as it was");
    site.delete(copy).unwrap();
    site.assert_as_built("deleting the broken document");
}

#[test]
fn a_registry_edit_rebuilds_the_whole_site() {
    let mut site = Edited::start(&common::repo_dir().join("tests/fixtures/generated/content"));
    let text = site.read("site.yaml");
    site.save("site.yaml", &text.replacen("河南省科协工作文档库", "河南省科协工作文档库（测试）", 1)).unwrap();
    site.assert_as_built("a new site title");
}

/// Moving the only plan of 2018 to 2019 removes the page /years/2018/ although no document's
/// URL changed; a link to it elsewhere is then broken, and serve says so as `build` does.
#[test]
fn an_edit_that_removes_a_year_page_breaks_the_links_to_it_as_in_a_build() {
    let mut e = Edited::start(&common::content_dir());
    let report = "reports/2024/hebi.md";
    let linked = format!("{}\n[2018年的计划](/years/2018/)\n", e.read(report));
    e.save(report, &linked).expect("the year page exists: the link is sound");
    let plan = "plans/2018-work-points.md";
    let moved = e.read(plan).replacen("year: 2018", "year: 2019", 1);
    let err = e.save(plan, &moved).expect_err("the link to /years/2018/ is now broken");
    assert!(err.contains("E0401") && err.contains("/years/2018/"), "{err}");
    e.save(plan, &moved.replacen("year: 2019", "year: 2018", 1)).expect("restored");
    e.assert_as_built("moving the 2018 plan away and back");
}

/// A link planted in the served output after the first build is not written through: the
/// update fails and the folder it points to stays empty.
#[cfg(unix)]
#[test]
fn an_update_does_not_write_through_a_link_planted_in_the_output() {
    let mut e = Edited::start(&common::content_dir());
    let outside = tempfile::tempdir().unwrap();
    let plans = e.tmp.path().join("output/plans");
    fs::remove_dir_all(&plans).unwrap();
    std::os::unix::fs::symlink(outside.path(), &plans).unwrap();
    let plan = "plans/2018-work-points.md";
    let edited = e.read(plan).replacen("title: ", "title: 改", 1);
    let err = e.save(plan, &edited).expect_err("writing under output/plans/ (a link) is refused");
    assert!(err.contains("E0512") && err.contains("plans"), "a write error, not a content error: {err}");
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0, "nothing was written outside the output");
}

/// serve puts an edited document that keeps its place (same file, year, kind, city, slug and
/// date year) into the index in place, instead of building the index again: the index must then
/// be the one a build makes of the same documents, in every list and relation.
#[test]
fn a_document_put_in_place_leaves_the_index_a_build_makes() {
    use planport::document::parse_document;
    use planport::index::{ItemRef, Relation, SiteIndex};
    use planport::load::SourceFile;
    use planport::model::DocId;

    let site = planport::site::load_site(&common::content_dir()).unwrap();
    let (registry, relations) = (&site.registry, site.relations.as_ref());
    let mut index = site.index;
    // The 2023 key tasks share item titles with the 2023 work points; relations.yaml links them.
    let at = index.docs.iter().position(|d| d.url == "/plans/2023-key-tasks/").expect("the 2023 key tasks");
    let doc = &index.docs[at];
    let linked = |index: &SiteIndex| -> Vec<usize> {
        (0..index.docs[at].items.len())
            .filter(|&i| {
                let r = ItemRef { doc: DocId::new(at), item: i as u32 };
                index.relations.get(&r).is_some_and(|l| l.iter().any(|(_, rel)| *rel == Relation::Repeats))
            })
            .collect()
    };
    let before = linked(&index);
    assert!(!before.is_empty(), "some key tasks repeat a work point's title");
    // The first repeated title is reworded (its link goes); an item that repeats nothing takes
    // the title of the second (a link comes); an annotation's departments change order.
    let text = doc.text.to_string();
    let (gone, taken) = (&doc.items[before[0]], &doc.items[*before.last().unwrap()]);
    let plain =
        doc.items.iter().find(|it| !before.iter().any(|&i| doc.items[i].title == it.title) && it.title.chars().count() >= 4).expect("an item of its own title");
    let body = doc.body_offset;
    let edit = |text: &str, item_span: &std::ops::Range<usize>, from: &str, to: &str| {
        let span = body + item_span.start..body + item_span.end;
        let at = span.start + text[span].find(from).expect("the title in the item");
        format!("{}{}{}", &text[..at], to, &text[at + from.len()..])
    };
    // The later item first: an edit moves what follows it.
    let mut edits = [(&plain.span, &plain.title, taken.title.as_str()), (&gone.span, &gone.title, "改写后的标题")];
    edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
    let text = edits.iter().fold(text, |text, (span, from, to)| edit(&text, span, from, to));
    let text = with_annotation_reversed(&text);
    let file = SourceFile { rel: "plans/2023-key-tasks.md".into(), path: doc.path.clone(), text: text.into() };
    let fresh = parse_document(&file, registry).unwrap_or_else(|d| panic!("the edit parses: {d:?}"));

    // What a build makes of the documents with `fresh` in place of theirs; then `fresh` put in
    // place must give the same index and problems, and the replaced documents put back, the
    // index as it was (serve puts them back when the edit is refused).
    let put_in_place = |index: &mut SiteIndex, fresh: Vec<planport::document::Document>| {
        let mut docs: Vec<_> = index.docs.iter().filter(|d| !fresh.iter().any(|f| f.path == d.path)).cloned().collect();
        docs.extend(fresh.iter().cloned());
        let (built, built_problems) = SiteIndex::build(docs, index.collections.clone(), relations, registry);
        let original = format!("{index:?}");
        let (old, problems) = index.replace(fresh.clone(), relations).unwrap_or_else(|_| panic!("the edit keeps the documents' places"));
        assert_eq!(old.len(), fresh.len());
        assert_eq!(format!("{problems:?}"), format!("{built_problems:?}"), "the problems are the build's");
        assert_eq!(format!("{index:?}"), format!("{built:?}"), "the index put in place is the built one");
        let new = format!("{index:?}");
        assert!(index.replace(old, relations).is_ok(), "the replaced documents go back in place");
        assert_eq!(format!("{index:?}"), original, "put back, the index is as it was");
        assert!(index.replace(fresh, relations).is_ok());
        assert_eq!(format!("{index:?}"), new);
        problems
    };
    let old_departments = index.department_items.clone();
    let problems = put_in_place(&mut index, vec![fresh.clone()]);
    assert!(problems.is_empty(), "{problems:?}");
    // The edit changed what the index says, so the comparison above compared something.
    assert_ne!(linked(&index), before, "the repeated titles changed");
    assert!(index.department_items.iter().zip(&old_departments).any(|(a, b)| format!("{a:?}") != format!("{b:?}")), "a department's list changed");

    // Two documents at once. The plan loses its last item (relations.yaml names items by
    // number) and its notice number (it shared one with the work points); a report gets another
    // issuer and a passage naming every program and a city.
    let plan = fresh;
    let last = plan.items.last().expect("items");
    let span = plan.body_offset + last.span.start..plan.body_offset + last.span.end;
    let first = &plan.items[0];
    let at = plan.body_offset + first.span.start + plan.text[plan.body_offset + first.span.start..].find(&first.title).unwrap() + first.title.len();
    let plan_text = format!("{}，支持洛阳市{}{}", &plan.text[..at], &plan.text[at..span.start], &plan.text[span.end..]).replacen(
        "doc_number: 豫科协办发〔2023〕4号\n",
        "",
        1,
    );
    // The compilation's first report: under an issuer its table of contents does not name, it
    // goes last.
    let report = &index.docs[index.collection_reports[0][0].index()];
    let issuer = report.text.lines().find(|l| l.starts_with("issuer:")).expect("an issuer");
    let names: Vec<&str> = registry.programs.iter().map(|p| p.name.as_str()).collect();
    let report_text = format!("{}\n洛阳市科协推进{}。\n", report.text.replacen(issuer, "issuer: 另一个科协", 1), names.join("、"));
    let parse = |doc: &planport::document::Document, text: String| {
        let rel = doc.path.strip_prefix(common::content_dir()).unwrap().to_string_lossy().into_owned();
        parse_document(&SourceFile { rel, path: doc.path.clone(), text: text.into() }, registry).unwrap_or_else(|d| panic!("the edit parses: {d:?}"))
    };
    let edited = vec![parse(&plan, plan_text), parse(report, report_text)];
    let (siblings, collections, passages, mentions) = (
        format!("{:?}", index.siblings),
        format!("{:?}", index.collection_reports),
        format!("{:?}", index.program_passages),
        format!("{:?}", index.city_mentions),
    );
    put_in_place(&mut index, edited);
    assert_ne!(format!("{:?}", index.siblings), siblings, "the documents of the notice changed");
    assert_ne!(format!("{:?}", index.collection_reports), collections, "the compilation's order changed");
    assert_ne!(format!("{:?}", index.program_passages), passages, "the programs' passages changed");
    assert_ne!(format!("{:?}", index.city_mentions), mentions, "the cities' mentions changed");

    // Another year moves the document: it cannot be put in place, and the index is untouched.
    let file = SourceFile { rel: "plans/2023-key-tasks.md".into(), path: plan.path.clone(), text: plan.text.clone() };
    let moved = SourceFile { rel: file.rel.clone(), path: file.path.clone(), text: file.text.replacen("year: 2023", "year: 2022", 1).into() };
    let moved = parse_document(&moved, registry).unwrap();
    assert_eq!(moved.year, 2022);
    let untouched = format!("{index:?}");
    let back = index.replace(vec![moved], relations).expect_err("a document of another year is not put in place");
    assert_eq!(back.len(), 1);
    assert_eq!(format!("{index:?}"), untouched);
}
