//! Link stage: the cross-link index, built from the resolved documents and then only read
//! (serve puts an edited document in place: [`SiteIndex::replace`]).
//! It answers "which items does this department carry, and how", "what did this program
//! become, year by year", "which documents belong together".

use std::collections::{BTreeMap, BTreeSet};
use std::hash::BuildHasher;

use rayon::prelude::*;
use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::document::{Collection, Document};
use crate::extract::{BlockKind, PartKind};
use crate::load::SourceFile;
use crate::model::{Attribution, DocId, Kind, ProgramId, ScopeSource};
use crate::registry::{parse_yaml, Registry};

/// An item of a plan: `docs[doc].items[item]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    pub doc: DocId,
    pub item: u32,
}

/// An item a department carries, and how it comes to carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeptItem {
    pub item: ItemRef,
    pub attribution: Attribution,
}

/// A passage of a report (`docs[doc].blocks[block]`) and the year it speaks of: the year
/// reported on, or the next for the plans part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageRef {
    pub doc: DocId,
    pub block: usize,
    pub year: i32,
    pub source: ScopeSource,
}

/// How two items are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// An item of another document of the same year with the same title.
    Repeats,
    /// This item carries out the other (editorial, `data/relations.yaml`).
    CarriesOut,
    /// The other item carries this one out (editorial).
    CarriedOutBy,
}

/// What a year page lists.
#[derive(Debug, Clone, Default)]
pub struct YearEntry {
    /// Plans for this year.
    pub plans: Vec<DocId>,
    /// Reports on this year's work.
    pub reports_on: Vec<DocId>,
    /// Reports on the previous year, which set out (or should set out) plans for this year.
    pub plans_in_reports: Vec<DocId>,
}

/// The index. Every list is in display order: newest year first, then document order.
#[derive(Debug)]
pub struct SiteIndex {
    /// Documents sorted: newest year first, plans before reports, reports in registry order.
    pub docs: Vec<Document>,
    pub collections: Vec<Collection>,
    /// For each collection: its reports, in the order of its table of contents.
    pub collection_reports: Vec<Vec<DocId>>,
    /// For each department: every item it carries (named, through a collective, or as
    /// editorial lead), by year, newest first.
    pub department_items: Vec<Vec<DeptItem>>,
    /// For each city: its reports.
    pub city_reports: Vec<Vec<DocId>>,
    /// For each city: plan items whose text names it.
    pub city_mentions: Vec<Vec<ItemRef>>,
    /// For each program: items in its scope, and how.
    pub program_items: Vec<Vec<(ItemRef, ScopeSource)>>,
    /// For each program: report passages in its scope.
    pub program_passages: Vec<Vec<PassageRef>>,
    /// For each program: the years of the plan items in its scope.
    pub program_years: Vec<std::collections::BTreeSet<i32>>,
    /// For each document: the programs it names or is scoped to.
    pub doc_programs: Vec<Vec<ProgramId>>,
    /// For each document: the other documents issued by the same notice (发文字号).
    pub siblings: Vec<Vec<DocId>>,
    /// Items related to an item.
    pub relations: BTreeMap<ItemRef, Vec<(ItemRef, Relation)>>,
    pub years: BTreeMap<i32, YearEntry>,
    /// Reports by the year in their URL (the year submitted), for the parts pages.
    pub report_years: BTreeMap<i32, Vec<DocId>>,
}

/// The index's order of documents: newest year first, plans before reports, then city and slug,
/// then file (two reports of one city on one year, submitted in different years, share a slug:
/// their order must not depend on which was loaded or edited last).
fn sort_key(d: &Document) -> (std::cmp::Reverse<i32>, bool, Option<crate::model::CityId>, &crate::model::Slug, &std::path::Path) {
    (std::cmp::Reverse(d.year), d.kind == Kind::Report, d.city, &d.slug, &d.path)
}

/// The words by which items repeat each other: the title without its closing 。 or ；.
pub fn repeat_key(title: &str) -> &str {
    title.trim_end_matches(['。', '；'])
}

/// Items of one year whose titles are the same words are linked (重点工作 item 7 and 工作要点
/// item 12 share the title 积极拓宽横向合作; their texts differ): for each item, the others.
/// `docs` are the documents from `first` on.
fn repeats(docs: &[Document], first: usize, hash: impl Fn(&str) -> u64 + Sync) -> BTreeMap<ItemRef, Vec<(ItemRef, Relation)>> {
    // Grouped by sorting numbers: a map keyed by (year, title) compared titles at every step,
    // and filling a hash map pair by pair took longer still; serve redoes this on every edit.
    let mut keyed: Vec<(i32, u64, ItemRef, &str)> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, doc)| {
            let hash = &hash;
            doc.items.iter().enumerate().filter_map(move |(i, item)| {
                let title = repeat_key(&item.title);
                // Four characters or more.
                title.chars().nth(3).is_some().then(|| (doc.year, hash(title), ItemRef { doc: DocId::new(first + d), item: i as u32 }, title))
            })
        })
        .collect();
    // Within a group, document then item order.
    keyed.sort_unstable_by_key(|&(year, hash, r, _)| (year, hash, r));
    let mut related = Vec::new();
    for same_hash in keyed.chunk_by_mut(|a, b| (a.0, a.1) == (b.0, b.1)).filter(|g| g.len() > 1) {
        // Two titles with one hash are told apart by the titles themselves (a stable sort: the
        // order within each stays).
        if same_hash.iter().any(|k| k.3 != same_hash[0].3) {
            same_hash.sort_by(|a, b| a.3.cmp(b.3));
        }
        for same in same_hash.chunk_by(|a, b| a.3 == b.3) {
            for a in same {
                let others: Vec<(ItemRef, Relation)> = same.iter().filter(|b| b.2.doc != a.2.doc).map(|b| (b.2, Relation::Repeats)).collect();
                if !others.is_empty() {
                    related.push((a.2, others));
                }
            }
        }
    }
    BTreeMap::from_iter(related)
}

/// Hashes item titles for [`repeats`]. Nothing output depends on the hash: groups are ordered
/// by item, and titles that share a hash are told apart.
const TITLE_HASH: std::hash::BuildHasherDefault<std::hash::DefaultHasher> = std::hash::BuildHasherDefault::new();

/// One entry of `data/relations.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationEntry {
    /// `2023-key-tasks#4`: a plan's slug and an item number.
    item: String,
    /// Items that carry it out.
    carried_out_by: Vec<String>,
}

/// The lists by department, city and program that documents add their items and passages to,
/// in document order (the index's order of documents is newest year first, so each list is also
/// newest year first); [`splice`] relies on it.
struct Lists {
    department_items: Vec<Vec<DeptItem>>,
    city_mentions: Vec<Vec<ItemRef>>,
    program_items: Vec<Vec<(ItemRef, ScopeSource)>>,
    program_passages: Vec<Vec<PassageRef>>,
}

impl Lists {
    fn new(departments: usize, cities: usize, programs: usize) -> Lists {
        Lists {
            department_items: vec![Vec::new(); departments],
            city_mentions: vec![Vec::new(); cities],
            program_items: vec![Vec::new(); programs],
            program_passages: vec![Vec::new(); programs],
        }
    }

    /// Add a document's items and a report's passages; returns the programs the document
    /// names or is scoped to.
    fn add(&mut self, id: DocId, doc: &Document) -> Vec<ProgramId> {
        let mut programs: Vec<ProgramId> = Vec::new();
        for (i, item) in doc.items.iter().enumerate() {
            let r = ItemRef { doc: id, item: i as u32 };
            for a in &item.attributions {
                self.department_items[a.dept.index()].push(DeptItem { item: r, attribution: *a });
            }
            for c in &item.cities {
                self.city_mentions[c.index()].push(r);
            }
            for link in &item.programs {
                self.program_items[link.program.index()].push((r, link.source));
                programs.push(link.program);
            }
        }
        if doc.kind == Kind::Report {
            let plans_from = doc.parts.iter().find(|p| p.is(PartKind::Plans)).and_then(|p| p.pieces.first()).map_or(usize::MAX, |p| p.block);
            for (b, links) in doc.passage_programs.iter().enumerate() {
                debug_assert!(links.is_empty() || doc.blocks[b].kind == BlockKind::Passage);
                let year = if b >= plans_from { doc.year + 1 } else { doc.year };
                for link in links {
                    self.program_passages[link.program.index()].push(PassageRef { doc: id, block: b, year, source: link.source });
                    programs.push(link.program);
                }
            }
        }
        programs.sort_unstable();
        programs.dedup();
        programs
    }
}

/// Put one document's entries in place of its old ones in each list; every list is in
/// document order.
fn splice<T>(lists: &mut [Vec<T>], fresh: Vec<Vec<T>>, id: DocId, doc_of: impl Fn(&T) -> DocId) {
    for (list, fresh) in lists.iter_mut().zip(fresh) {
        let first = list.partition_point(|e| doc_of(e) < id);
        let end = first + list[first..].partition_point(|e| doc_of(e) == id);
        if first < end || !fresh.is_empty() {
            list.splice(first..end, fresh);
        }
    }
}

impl SiteIndex {
    /// Build the index. `docs` may come in any order; the index sorts them. Problems are the
    /// references of `relations.yaml` that name no item.
    pub fn build(mut docs: Vec<Document>, collections: Vec<Collection>, relations: Option<&SourceFile>, registry: &Registry) -> (SiteIndex, Vec<Diagnostic>) {
        docs.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        let mut lists = Lists::new(registry.departments.len(), registry.cities.len(), registry.programs.len());
        let mut doc_programs = Vec::with_capacity(docs.len());
        let mut city_reports = vec![Vec::new(); registry.cities.len()];
        let mut years: BTreeMap<i32, YearEntry> = BTreeMap::new();
        let mut report_years: BTreeMap<i32, Vec<DocId>> = BTreeMap::new();
        for (d, doc) in docs.iter().enumerate() {
            let id = DocId::new(d);
            doc_programs.push(lists.add(id, doc));
            match doc.kind {
                Kind::Plan => years.entry(doc.year).or_default().plans.push(id),
                Kind::Report => {
                    if let Some(c) = doc.city {
                        city_reports[c.index()].push(id);
                    }
                    years.entry(doc.year).or_default().reports_on.push(id);
                    // Listed even without a plans part (濮阳's and 漯河's 2024 reports have none):
                    // the year page says so and links to the whole report.
                    years.entry(doc.year + 1).or_default().plans_in_reports.push(id);
                    report_years.entry(doc.url_year()).or_default().push(id);
                }
            }
        }
        let mut index = SiteIndex {
            department_items: lists.department_items,
            city_reports,
            city_mentions: lists.city_mentions,
            program_items: lists.program_items,
            program_passages: lists.program_passages,
            program_years: Vec::new(),
            doc_programs,
            siblings: Vec::new(),
            relations: repeats(&docs, 0, |title| TITLE_HASH.hash_one(title)),
            years,
            report_years,
            collection_reports: Vec::new(),
            collections,
            docs: Vec::new(),
        };
        let problems = index.link(&docs, relations);
        index.docs = docs;
        (index, problems)
    }

    /// Put edited documents in place of the ones they replace (the same file) when each keeps
    /// its place in the order of documents and its URL: an edit of the text, the title or the
    /// items, not of the year, kind, city, slug or date. Only the lists that name them change,
    /// and only the items of their years are compared again for repeated titles; the index is
    /// then what [`build`](Self::build) makes of the same documents (serve edits one file at a
    /// time, and building the whole index took ~75 ms at 10,000 documents).
    ///
    /// Returns the replaced documents and the problems of `relations.yaml`, or gives the
    /// documents back untouched when one does not keep its place: the index must then be built.
    pub fn replace(&mut self, fresh: Vec<Document>, relations: Option<&SourceFile>) -> Result<(Vec<Document>, Vec<Diagnostic>), Vec<Document>> {
        let place = |doc: &Document| {
            let at = self.docs.binary_search_by(|d| sort_key(d).cmp(&sort_key(doc))).ok()?;
            let old = &self.docs[at];
            (old.path == doc.path && old.url == doc.url && old.url_year() == doc.url_year()).then_some(at)
        };
        let Some(places) = fresh.iter().map(place).collect::<Option<Vec<usize>>>() else {
            return Err(fresh);
        };
        if places.iter().collect::<BTreeSet<_>>().len() < places.len() {
            return Err(fresh);
        }
        let old: Vec<Document> = places.iter().zip(fresh).map(|(&at, doc)| std::mem::replace(&mut self.docs[at], doc)).collect();
        let docs = std::mem::take(&mut self.docs);
        let (departments, cities, programs) = (self.department_items.len(), self.city_mentions.len(), self.program_items.len());
        let mut years = BTreeSet::new();
        for &at in &places {
            let id = DocId::new(at);
            let mut lists = Lists::new(departments, cities, programs);
            self.doc_programs[at] = lists.add(id, &docs[at]);
            splice(&mut self.department_items, lists.department_items, id, |e| e.item.doc);
            splice(&mut self.city_mentions, lists.city_mentions, id, |r| r.doc);
            splice(&mut self.program_items, lists.program_items, id, |(r, _)| r.doc);
            splice(&mut self.program_passages, lists.program_passages, id, |p| p.doc);
            years.insert(docs[at].year);
        }
        // Repeated titles are found within a year, and a year's documents are one run of the
        // order: the other years' links stay. Editorial relations are linked again below.
        let edited_year = |r: &ItemRef| years.contains(&docs[r.doc.index()].year);
        self.relations.retain(|r, related| {
            related.retain(|(_, relation)| *relation == Relation::Repeats);
            !related.is_empty() && !edited_year(r)
        });
        for &year in &years {
            let first = docs.partition_point(|d| d.year > year);
            let end = docs.partition_point(|d| d.year >= year);
            self.relations.extend(repeats(&docs[first..end], first, |title| TITLE_HASH.hash_one(title)));
        }
        let problems = self.link(&docs, relations);
        self.docs = docs;
        Ok((old, problems))
    }

    /// What follows from the documents as a whole: the years of each program, documents of
    /// one notice, the editorial relations (after the repeated titles), collections' reports.
    fn link(&mut self, docs: &[Document], relations: Option<&SourceFile>) -> Vec<Diagnostic> {
        self.program_years = self.program_items.iter().map(|items| items.iter().map(|(r, _)| docs[r.doc.index()].year).collect()).collect();
        self.siblings = vec![Vec::new(); docs.len()];
        self.link_siblings(docs);
        let problems = relations.map_or_else(Vec::new, |file| self.link_relations(docs, file));
        self.collection_reports = self
            .collections
            .iter()
            .map(|collection| {
                let members: Vec<DocId> =
                    (0..docs.len()).map(DocId::new).filter(|d| docs[d.index()].collection.as_deref() == Some(collection.title.as_str())).collect();
                // Table-of-contents order where the entry names the report's issuer, then the rest.
                let mut ordered: Vec<DocId> = collection
                    .contents
                    .iter()
                    .filter_map(|entry| members.iter().copied().find(|d| docs[d.index()].issuer.as_deref() == Some(entry.as_str())))
                    .collect();
                let rest: Vec<DocId> = members.iter().copied().filter(|d| !ordered.contains(d)).collect();
                ordered.extend(rest);
                ordered
            })
            .collect();
        problems
    }

    /// Documents issued by one notice link each other.
    fn link_siblings(&mut self, docs: &[Document]) {
        let mut by_number: BTreeMap<&str, Vec<DocId>> = BTreeMap::new();
        for (d, doc) in docs.iter().enumerate() {
            if let Some(n) = doc.doc_number.as_deref() {
                by_number.entry(n).or_default().push(DocId::new(d));
            }
        }
        for group in by_number.values() {
            for &d in group {
                self.siblings[d.index()] = group.iter().copied().filter(|&x| x != d).collect();
            }
        }
    }

    /// Editors' `data/relations.yaml`: which items carry out which.
    fn link_relations(&mut self, docs: &[Document], file: &SourceFile) -> Vec<Diagnostic> {
        let entries: Vec<RelationEntry> = match parse_yaml(file) {
            Ok(e) => e,
            Err(d) => return vec![d],
        };
        let mut problems = Vec::new();
        let mut resolve = |reference: &str| -> Option<ItemRef> {
            let found = reference.split_once('#').and_then(|(slug, n)| {
                let d = docs.iter().position(|d| d.kind == Kind::Plan && d.slug.as_str() == slug)?;
                let n: u32 = n.parse().ok()?;
                let i = docs[d].items.iter().position(|it| it.number == n)?;
                Some(ItemRef { doc: DocId::new(d), item: i as u32 })
            });
            if found.is_none() {
                let at = file.text.find(reference).map(|i| i..i + reference.len());
                problems.push(
                    Diagnostic::new("E0305", &file.path, at, format!("{reference} 没有对应的项目"))
                        .with_hint("写计划的 slug 和项目编号，例如 2023-work-points#16"),
                );
            }
            found
        };
        let mut pairs = Vec::new();
        for e in &entries {
            let Some(item) = resolve(&e.item) else {
                continue;
            };
            for by in &e.carried_out_by {
                if let Some(by) = resolve(by) {
                    pairs.push((item, by));
                }
            }
        }
        for (item, by) in pairs {
            self.relations.entry(item).or_default().push((by, Relation::CarriedOutBy));
            self.relations.entry(by).or_default().push((item, Relation::CarriesOut));
        }
        problems
    }

    pub fn doc(&self, id: DocId) -> &Document {
        &self.docs[id.index()]
    }

    pub fn item(&self, r: ItemRef) -> &crate::extract::Item {
        &self.docs[r.doc.index()].items[r.item as usize]
    }

    /// Departments' items grouped by year (the list is already newest first).
    pub fn by_year<T: Copy>(&self, entries: &[T], doc_of: impl Fn(&T) -> DocId) -> Vec<(i32, Vec<T>)> {
        let mut groups: Vec<(i32, Vec<T>)> = Vec::new();
        for e in entries {
            let year = self.doc(doc_of(e)).year;
            match groups.iter_mut().find(|(y, _)| *y == year) {
                Some((_, v)) => v.push(*e),
                None => groups.push((year, vec![*e])),
            }
        }
        groups.sort_by_key(|(y, _)| std::cmp::Reverse(*y));
        groups
    }

    /// Every page URL of the site, for link checking.
    pub fn urls(&self, registry: &Registry) -> Vec<String> {
        use crate::permalink as url;
        let mut urls = vec![url::home(), url::years(), url::departments(), url::cities(), url::programs(), url::search(), url::data()];
        urls.extend(self.years.keys().map(|&y| url::year(y)));
        urls.extend(self.docs.iter().map(|d| d.url.clone()));
        urls.extend(self.collections.iter().map(|c| c.url.clone()));
        for &y in self.report_years.keys() {
            urls.extend(PartKind::GATHERED.map(|k| url::report_parts(y, k.slug())));
        }
        urls.extend(registry.departments.iter().map(|d| url::department(&d.slug)));
        urls.extend(registry.cities.iter().map(|c| url::city(&c.slug)));
        urls.extend(registry.programs.iter().map(|p| url::program(&p.slug)));
        urls
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(name: &str, titles: &[&str]) -> Document {
        let body: String = titles.iter().enumerate().map(|(i, t)| format!("{}. {t}。正文。\n", i + 1)).collect();
        crate::document::test_plan(name, &body)
    }

    #[test]
    fn items_of_one_year_with_one_title_are_linked_also_when_titles_share_a_hash() {
        let docs = [
            plan("a", &["加强科普工作", "推进学会改革", "加强科普工作", "三个字", "科普工作"]),
            plan("b", &["推进学会改革", "加强科普工作", "三个字", "科普工作"]),
        ];
        let r = |d: usize, i: u32| ItemRef { doc: DocId::new(d), item: i };
        let found = repeats(&docs, 0, |title| TITLE_HASH.hash_one(title));
        // Each with the other document's items of its title, in document and item order; not
        // with its own document's, and titles of four characters but not of three.
        let expected = BTreeMap::from([
            (r(0, 0), vec![(r(1, 1), Relation::Repeats)]),
            (r(0, 1), vec![(r(1, 0), Relation::Repeats)]),
            (r(0, 2), vec![(r(1, 1), Relation::Repeats)]),
            (r(0, 4), vec![(r(1, 3), Relation::Repeats)]),
            (r(1, 0), vec![(r(0, 1), Relation::Repeats)]),
            (r(1, 1), vec![(r(0, 0), Relation::Repeats), (r(0, 2), Relation::Repeats)]),
            (r(1, 3), vec![(r(0, 4), Relation::Repeats)]),
        ]);
        assert_eq!(found, expected);
        // Every title with one hash: the titles themselves still tell the groups apart.
        assert_eq!(repeats(&docs, 0, |_| 7), expected);
    }
}
