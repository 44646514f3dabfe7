//! Program pages (a timeline by year of the plan items in the program's scope and of the report
//! passages about it, each marked by how it comes in) and the program index as a tree.

use std::collections::BTreeMap;

use serde::Serialize;

use super::views::{Base, ItemView, Link};
use super::{crumbs, excerpt, RenderContext};
use crate::extract::PartKind;
use crate::model::{ProgramId, ScopeSource};
use crate::permalink;

#[derive(Serialize)]
pub(super) struct ProgramPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    program: &'a crate::model::Program,
    parent: Option<Link>,
    /// The programs of a framework (“5610”), with their counts.
    children: Vec<ProgramNode>,
    years: Vec<ProgramYear<'a>>,
    /// Nothing in the documents belongs to the program (yet).
    empty: bool,
}

#[derive(Serialize)]
pub(super) struct ProgramNode {
    name: String,
    url: String,
    items: usize,
    passages: usize,
    children: Vec<ProgramNode>,
}

#[derive(Serialize)]
struct ProgramYear<'a> {
    year: i32,
    items: Vec<ProgramItem<'a>>,
    passages: Vec<PassageRow<'a>>,
}

#[derive(Serialize)]
struct ProgramItem<'a> {
    item: ItemView<'a>,
    /// `heading`, `editorial` or `mention`.
    source: ScopeSource,
    /// How it comes in, as shown: `章节标题`, `编者注：章节归属`, `文中提及`.
    source_label: &'static str,
}

#[derive(Serialize)]
struct PassageRow<'a> {
    city: &'a str,
    url: String,
    excerpt: String,
    /// The report part it stands in (工作情况, 下一步工作打算 …).
    part: &'static str,
    source: ScopeSource,
    source_label: &'static str,
}

#[derive(Serialize)]
pub(super) struct ProgramsPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    tree: Vec<ProgramNode>,
}

fn source_label(source: ScopeSource) -> &'static str {
    match source {
        ScopeSource::Heading => "章节标题",
        ScopeSource::Editorial => "编者注：章节归属",
        ScopeSource::Mention => "文中提及",
    }
}

impl<'a> RenderContext<'a> {
    pub(super) fn program(&self, footer: &'a [Link], i: ProgramId) -> ProgramPage<'a> {
        let p = self.registry.program(i);
        let parent = self.registry.parent_of(i).map(|q| self.program_link(q));
        let children = self.registry.children_of(i).map(|q| self.program_node(q)).collect();
        let mut years: BTreeMap<i32, ProgramYear<'a>> = BTreeMap::new();
        for &(r, source) in &self.index.program_items[i.index()] {
            let year = self.index.doc(r.doc).year;
            years.entry(year).or_insert_with(|| ProgramYear { year, items: Vec::new(), passages: Vec::new() }).items.push(ProgramItem {
                item: self.item_view(r, ""),
                source,
                source_label: source_label(source),
            });
        }
        let names: Vec<&str> = p.names().collect();
        for r in &self.index.program_passages[i.index()] {
            let doc = self.index.doc(r.doc);
            let block = &doc.blocks[r.block];
            let part = doc.parts.iter().find(|part| part.pieces.iter().any(|piece| piece.block == r.block)).map_or(PartKind::Work, |part| part.kind);
            years.entry(r.year).or_insert_with(|| ProgramYear { year: r.year, items: Vec::new(), passages: Vec::new() }).passages.push(PassageRow {
                city: doc.city.map_or("", |c| self.registry.city_entry(c).name.as_str()),
                url: permalink::anchor(&doc.url, &block.anchor),
                excerpt: excerpt(&block.text, &names),
                part: part.label(),
                source: r.source,
                source_label: source_label(r.source),
            });
        }
        let years: Vec<ProgramYear<'a>> = years.into_values().rev().collect();
        ProgramPage {
            base: self.base(footer, "programs", crumbs(&[("重点工作", &permalink::programs())], &p.name), Some(p.name.clone())),
            program: p,
            parent,
            children,
            empty: years.is_empty(),
            years,
        }
    }

    fn program_node(&self, i: ProgramId) -> ProgramNode {
        let l = self.program_link(i);
        ProgramNode {
            name: l.name,
            url: l.url,
            items: self.index.program_items[i.index()].len(),
            passages: self.index.program_passages[i.index()].len(),
            children: self.registry.children_of(i).map(|q| self.program_node(q)).collect(),
        }
    }

    pub(super) fn programs(&self, footer: &'a [Link]) -> ProgramsPage<'a> {
        let tree = self.registry.top_programs().map(|i| self.program_node(i)).collect();
        ProgramsPage { base: self.base(footer, "programs", crumbs(&[], "重点工作"), None), tree }
    }
}
