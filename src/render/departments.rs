//! Department pages (every item a department carries, by year and document, with its role and
//! path, totals and a chart) and the department index with its department × year matrix.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::views::{Base, Link};
use super::{crumbs, push_template_escaped, Escaped as Esc, RenderContext};
use crate::index::DeptItem;
use crate::model::{DepartmentGroup, DeptId, Provenance};
use crate::permalink;

#[derive(Serialize)]
pub(super) struct DepartmentPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    dept: &'a crate::model::Department,
    count: usize,
    totals: Totals,
    chart: Chart,
    years: Vec<DeptYear<'a>>,
    /// Collectives it belongs to, with the years editors give.
    collectives: Vec<Membership>,
    /// Members of a collective.
    members: Vec<Membership>,
}

/// How many items, by the way the department carries them.
#[derive(Serialize, Default)]
struct Totals {
    lead: usize,
    support: usize,
    collective: usize,
    editorial: usize,
}

#[derive(Serialize)]
struct Membership {
    name: String,
    url: String,
    count: usize,
    /// `2023年起`: set by editors, shown as 编者注.
    years: Option<String>,
}

#[derive(Serialize)]
struct DeptYear<'a> {
    year: i32,
    count: usize,
    docs: Vec<DeptDoc<'a>>,
}

#[derive(Serialize)]
struct DeptDoc<'a> {
    title: &'a str,
    url: &'a str,
    /// The document's items on this page, as HTML (see [`RenderContext::department_row`]).
    rows: String,
}

/// An inline SVG bar chart of items per year, stacked by how they are carried. Geometry is
/// computed here so the template only draws; `summary` is its text alternative.
#[derive(Serialize)]
struct Chart {
    width: u32,
    height: u32,
    bars: Vec<Bar>,
    summary: String,
}

#[derive(Serialize)]
struct Bar {
    year: i32,
    total: usize,
    x: u32,
    label_y: u32,
    /// Stacked segments, bottom up: direct (named in the annotation), collective, editorial.
    segments: Vec<Segment>,
}

#[derive(Serialize)]
struct Segment {
    kind: &'static str,
    y: u32,
    height: u32,
}

#[derive(Serialize)]
pub(super) struct DepartmentsPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// Every year with a plan, oldest first: the matrix's columns.
    years: Vec<i32>,
    groups: Vec<DeptGroup>,
}

#[derive(Serialize)]
struct DeptGroup {
    title: &'static str,
    departments: Vec<MatrixRow>,
}

#[derive(Serialize)]
struct MatrixRow {
    name: String,
    url: String,
    count: usize,
    /// Items per year, in the order of `years`.
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Cell {
    year: i32,
    count: usize,
}

impl<'a> RenderContext<'a> {
    pub(super) fn department(&self, footer: &'a [Link], i: DeptId) -> DepartmentPage<'a> {
        let d = self.registry.dept(i);
        let entries = &self.index.department_items[i.index()];
        let mut totals = Totals::default();
        for e in entries {
            match (e.attribution.provenance, e.attribution.group) {
                (Provenance::Source, 0) => totals.lead += 1,
                (Provenance::Source, _) => totals.support += 1,
                (Provenance::Collective, _) => totals.collective += 1,
                (Provenance::Editorial, _) => totals.editorial += 1,
            }
        }
        let years: Vec<DeptYear<'a>> = self
            .index
            .by_year(entries, |e: &DeptItem| e.item.doc)
            .into_iter()
            .map(|(year, entries)| {
                // The index sorts a department's items by year, then document: one run a document.
                let docs = entries
                    .chunk_by(|a, b| a.item.doc == b.item.doc)
                    .map(|entries| {
                        let dd = self.index.doc(entries[0].item.doc);
                        let mut rows = String::new();
                        for e in entries {
                            self.department_row(&mut rows, e, &d.name);
                        }
                        DeptDoc { title: &dd.title, url: &dd.url, rows }
                    })
                    .collect();
                DeptYear { year, count: entries.len(), docs }
            })
            .collect();
        let collectives = d
            .member_of
            .iter()
            .filter_map(|m| self.registry.dept_by_slug(m.collective()).map(|c| (c, m)))
            .map(|(c, m)| {
                let l = self.dept_link(c);
                Membership { name: l.name, url: l.url, count: self.index.department_items[c.index()].len(), years: m.years_label() }
            })
            .collect();
        let members = if d.collective.as_deref() == Some("cities") {
            self.registry.city_ids().map(|c| self.city_link(c)).map(|l| Membership { name: l.name, url: l.url, count: 0, years: None }).collect()
        } else {
            self.registry
                .members_of(i)
                .map(|(m, membership)| {
                    let l = self.dept_link(m);
                    Membership { name: l.name, url: l.url, count: self.index.department_items[m.index()].len(), years: membership.years_label() }
                })
                .collect()
        };
        DepartmentPage {
            base: self.base(footer, "departments", crumbs(&[("责任部门", &permalink::departments())], &d.name), Some(format!("{}承担的工作", d.name))),
            dept: d,
            count: entries.len(),
            totals,
            chart: chart(entries, |e| self.index.doc(e.item.doc).year),
            years,
            collectives,
            members,
        }
    }

    /// One item on a department's page: how the department carries it, the item, the collective
    /// it comes through, who answers for it. Written here rather than by the template: a large
    /// site's department pages hold hundreds of thousands of rows, and a template macro per row
    /// was most of their time.
    fn department_row(&self, out: &mut String, e: &DeptItem, current: &str) {
        let item = self.item_view(e.item, current);
        let role = self.role_view(&e.attribution);
        // The whitespace is the template's that wrote these rows before, kept so that the pages
        // stayed byte-identical; it is harmless, but changing it changes every department page.
        // Pieces pushed one by one: `write!` with its arguments cost a sixth of this function.
        out.push_str("\n    <li class=\"item-row\">\n      <span class=\"role role-");
        out.push_str(role.kind);
        out.push_str("\" title=\"");
        push_template_escaped(out, &role.detail);
        out.push_str("\">");
        push_template_escaped(out, &role.label);
        out.push_str("</span>\n      <a class=\"item-link\" href=\"");
        push_template_escaped(out, &item.url);
        let _ = write!(out, "\"><span class=\"item-no\">第{}项</span> ", item.number);
        push_template_escaped(out, item.title);
        out.push_str("</a>\n      ");
        if let Some(v) = role.via {
            let _ = write!(out, "<span class=\"via\">经 <a href=\"{}\">{}</a></span>", Esc(&v.url), Esc(&v.name));
        }
        out.push_str("\n      \n");
        out.push_str(&item.responsibility);
        out.push_str("\n\n    </li>");
    }

    pub(super) fn departments(&self, footer: &'a [Link]) -> DepartmentsPage<'a> {
        let years: Vec<i32> = self.index.years.iter().filter(|(_, e)| !e.plans.is_empty()).map(|(&y, _)| y).collect();
        use DepartmentGroup as G;
        let groups = [(G::Internal, "机关部门"), (G::Affiliated, "直属单位"), (G::Other, "其他单位"), (G::Collective, "集体承担")]
            .into_iter()
            .map(|(g, title)| DeptGroup {
                title,
                departments: self
                    .registry
                    .dept_ids()
                    .filter(|&i| self.registry.dept(i).group() == g)
                    .map(|i| {
                        let entries = &self.index.department_items[i.index()];
                        let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
                        for e in entries {
                            *per_year.entry(self.index.doc(e.item.doc).year).or_default() += 1;
                        }
                        let cells = years.iter().map(|&year| Cell { year, count: per_year.get(&year).copied().unwrap_or(0) }).collect();
                        let l = self.dept_link(i);
                        MatrixRow { name: l.name, url: l.url, count: entries.len(), cells }
                    })
                    .collect(),
            })
            .filter(|g| !g.departments.is_empty())
            .collect();
        DepartmentsPage { base: self.base(footer, "departments", crumbs(&[], "责任部门"), None), years, groups }
    }
}

/// Bars per year (oldest left), stacked: named in the annotation, through a collective, editorial.
fn chart(entries: &[DeptItem], year_of: impl Fn(&DeptItem) -> i32) -> Chart {
    const BAR: u32 = 44;
    const GAP: u32 = 20;
    const PLOT: u32 = 120;
    const TOP: u32 = 24;
    let mut years: Vec<i32> = entries.iter().map(&year_of).collect();
    years.sort_unstable();
    years.dedup();
    let count = |y: i32, p: Provenance| entries.iter().filter(|e| year_of(e) == y && e.attribution.provenance == p).count();
    let max = years.iter().map(|&y| entries.iter().filter(|e| year_of(e) == y).count()).max().unwrap_or(0).max(1);
    let scale = |n: usize| (n as u32 * PLOT).div_ceil(max as u32);
    let mut summary = Vec::new();
    let bars = years
        .iter()
        .enumerate()
        .map(|(k, &year)| {
            let x = GAP + k as u32 * (BAR + GAP);
            let mut bottom = TOP + PLOT;
            let mut segments = Vec::new();
            let mut total = 0;
            for (kind, p) in [("source", Provenance::Source), ("collective", Provenance::Collective), ("editorial", Provenance::Editorial)] {
                let n = count(year, p);
                if n == 0 {
                    continue;
                }
                total += n;
                let height = scale(n).max(2);
                bottom -= height.min(bottom - TOP);
                segments.push(Segment { kind, y: bottom, height });
            }
            summary.push(format!("{year}年{total}项"));
            Bar { year, total, x, label_y: bottom.saturating_sub(6), segments }
        })
        .collect();
    Chart { width: GAP + years.len() as u32 * (BAR + GAP), height: TOP + PLOT + 28, bars, summary: summary.join("，") }
}
