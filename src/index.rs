//! Link stage: the cross-link index, built once from all documents and then only read.
//! It answers "which items name this department / city / program, by year".

use std::collections::BTreeMap;

use crate::document::Document;
use crate::extract::BlockKind;
use crate::model::Kind;
use crate::registry::Registry;

/// An item of a plan: `docs[doc].items[item]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ItemRef {
    pub doc: usize,
    pub item: usize,
}

/// A passage of a document: `docs[doc].blocks[block]`, in the year it speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageRef {
    pub doc: usize,
    pub block: usize,
    pub year: i32,
}

/// What a year page lists.
#[derive(Debug, Clone, Default)]
pub struct YearEntry {
    /// Plans for this year.
    pub plans: Vec<usize>,
    /// Reports on this year's work.
    pub reports_on: Vec<usize>,
    /// Reports on the previous year, which set out (or should set out) plans for this year.
    pub plans_in_reports: Vec<usize>,
}

/// The index. Every list is in display order: newest year first, then document order.
#[derive(Debug)]
pub struct SiteIndex {
    /// Documents sorted: newest year first, plans before reports, reports in registry order.
    pub docs: Vec<Document>,
    /// For each document, for each item: the departments responsible (annotation, else leads).
    pub item_departments: Vec<Vec<Vec<usize>>>,
    /// For each department: the items it answers for, directly.
    pub department_items: Vec<Vec<ItemRef>>,
    /// For each city: its reports.
    pub city_reports: Vec<Vec<usize>>,
    /// For each city: plan items whose text names it.
    pub city_mentions: Vec<Vec<ItemRef>>,
    /// For each program: items naming it.
    pub program_items: Vec<Vec<ItemRef>>,
    /// For each program: report passages naming it.
    pub program_passages: Vec<Vec<PassageRef>>,
    /// For each document: programs it names (reports link to them).
    pub doc_programs: Vec<Vec<usize>>,
    /// For each report: the anchor where its plans for the next year begin.
    pub plan_anchor: Vec<Option<String>>,
    pub years: BTreeMap<i32, YearEntry>,
}

/// Where a report turns from the year's work to next year's plans: the first heading naming
/// plans (打算, 计划, 下一步, 下步, 方向), else the first passage opening with 下一步 or next year.
fn find_plan_anchor(doc: &Document) -> Option<(usize, String)> {
    let next_year = format!("{}年", doc.year + 1);
    let heading = doc
        .blocks
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Heading(_)) && ["打算", "计划", "下一步", "下步", "方向"].iter().any(|w| b.text.contains(w)));
    let passage = || {
        doc.blocks.iter().position(|b| {
            b.kind == BlockKind::Passage
                && (b.text.starts_with("下一步") || b.text.starts_with(&next_year) || b.text.contains("下一步，") || b.text.contains("下一步,"))
        })
    };
    heading.or_else(passage).map(|i| (i, doc.blocks[i].anchor.clone()))
}

impl SiteIndex {
    /// Build the index. `docs` may come in any order; the index sorts them.
    pub fn build(mut docs: Vec<Document>, registry: &Registry) -> SiteIndex {
        docs.sort_by(|a, b| {
            let key = |d: &Document| (std::cmp::Reverse(d.year), d.kind == Kind::Report, d.city.unwrap_or(usize::MAX), d.slug.clone());
            key(a).cmp(&key(b))
        });
        let nd = registry.departments.len();
        let mut index = SiteIndex {
            item_departments: Vec::with_capacity(docs.len()),
            department_items: vec![Vec::new(); nd],
            city_reports: vec![Vec::new(); registry.cities.len()],
            city_mentions: vec![Vec::new(); registry.cities.len()],
            program_items: vec![Vec::new(); registry.programs.len()],
            program_passages: vec![Vec::new(); registry.programs.len()],
            doc_programs: vec![Vec::new(); docs.len()],
            plan_anchor: vec![None; docs.len()],
            years: BTreeMap::new(),
            docs: Vec::new(),
        };
        for (d, doc) in docs.iter().enumerate() {
            let mut per_item = Vec::with_capacity(doc.items.len());
            for (i, item) in doc.items.iter().enumerate() {
                let r = ItemRef { doc: d, item: i };
                let mut deps: Vec<usize> = item.departments.iter().filter_map(|(n, _)| registry.department(n)).collect();
                if deps.is_empty() {
                    deps = doc.lead_departments.clone();
                }
                // An annotation may name one unit twice (by name and by alias): count it once.
                let mut seen = Vec::new();
                for &dep in &deps {
                    if !seen.contains(&dep) {
                        seen.push(dep);
                        index.department_items[dep].push(r);
                    }
                }
                per_item.push(seen);
                let text = item.text_without_annotation();
                for c in registry.city_matcher.find(text) {
                    index.city_mentions[c].push(r);
                }
                for p in registry.program_matcher.find(text) {
                    index.program_items[p].push(r);
                    if !index.doc_programs[d].contains(&p) {
                        index.doc_programs[d].push(p);
                    }
                }
            }
            index.item_departments.push(per_item);
            match doc.kind {
                Kind::Plan => index.years.entry(doc.year).or_default().plans.push(d),
                Kind::Report => {
                    if let Some(c) = doc.city {
                        index.city_reports[c].push(d);
                    }
                    index.years.entry(doc.year).or_default().reports_on.push(d);
                    let anchor = find_plan_anchor(doc);
                    // Listed even without a plans part (濮阳's and 漯河's 2024 reports have none):
                    // the year page says so and links to the whole report.
                    index.years.entry(doc.year + 1).or_default().plans_in_reports.push(d);
                    let turn = anchor.as_ref().map_or(usize::MAX, |(i, _)| *i);
                    index.plan_anchor[d] = anchor.map(|(_, a)| a);
                    for (b, block) in doc.blocks.iter().enumerate() {
                        if block.kind != BlockKind::Passage {
                            continue;
                        }
                        let year = if b >= turn { doc.year + 1 } else { doc.year };
                        for p in registry.program_matcher.find(&block.text) {
                            index.program_passages[p].push(PassageRef { doc: d, block: b, year });
                            if !index.doc_programs[d].contains(&p) {
                                index.doc_programs[d].push(p);
                            }
                        }
                    }
                }
            }
        }
        for programs in &mut index.doc_programs {
            programs.sort_unstable();
        }
        index.docs = docs;
        index
    }

    /// Items of a department grouped by year, newest first.
    pub fn by_year(&self, refs: &[ItemRef]) -> Vec<(i32, Vec<ItemRef>)> {
        let mut groups: Vec<(i32, Vec<ItemRef>)> = Vec::new();
        for r in refs {
            let year = self.docs[r.doc].year;
            match groups.iter_mut().find(|(y, _)| *y == year) {
                Some((_, v)) => v.push(*r),
                None => groups.push((year, vec![*r])),
            }
        }
        groups.sort_by_key(|(y, _)| std::cmp::Reverse(*y));
        groups
    }

    /// Every page URL of the site, for link checking.
    pub fn urls(&self, registry: &Registry) -> Vec<String> {
        let mut urls = vec!["/".to_string(), "/years/".into(), "/departments/".into(), "/cities/".into(), "/programs/".into(), "/search/".into()];
        urls.extend(self.years.keys().map(|y| format!("/years/{y}/")));
        urls.extend(self.docs.iter().map(|d| d.url.clone()));
        urls.extend(registry.departments.iter().map(|d| d.url()));
        urls.extend(registry.cities.iter().map(|c| c.url()));
        urls.extend(registry.programs.iter().map(|p| p.url()));
        urls
    }
}
