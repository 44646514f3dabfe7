//! The home page, the year index and the year pages.

use serde::Serialize;

use super::views::{Base, DocView, Link};
use super::{crumbs, RenderContext};
use crate::extract::PartKind;
use crate::model::{DocId, Kind};
use crate::permalink;

#[derive(Serialize)]
pub(super) struct HomePage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// Newest documents first; a compilation counts once, as itself.
    latest: Vec<DocView<'a>>,
    years: Vec<YearSummary>,
    /// Departments with five or more items.
    departments: Vec<CountedLink>,
    cities: Vec<CityChip>,
    /// Programs without a parent, each with the programs of its framework.
    programs: Vec<ProgramTree>,
}

#[derive(Serialize)]
pub(super) struct CountedLink {
    pub name: String,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
struct CityChip {
    short: String,
    url: String,
}

#[derive(Serialize)]
pub(super) struct ProgramTree {
    pub name: String,
    pub url: String,
    pub children: Vec<Link>,
}

#[derive(Serialize)]
pub(super) struct YearSummary {
    year: i32,
    url: String,
    plans: usize,
    reports: usize,
    report_plans: usize,
    count: usize,
}

#[derive(Serialize)]
pub(super) struct YearsPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    years: Vec<YearSummary>,
}

#[derive(Serialize)]
pub(super) struct YearPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    year: i32,
    plans: Vec<DocView<'a>>,
    reports: Vec<DocView<'a>>,
    /// Reports on the year before, which set out plans for this year.
    report_plans: Vec<ReportPlans<'a>>,
}

#[derive(Serialize)]
struct ReportPlans<'a> {
    title: &'a str,
    city: Option<&'a str>,
    /// The report's plans part, or the whole report where it has none.
    url: String,
    has_plans: bool,
}

impl<'a> RenderContext<'a> {
    pub(super) fn home(&self, footer: &'a [Link]) -> HomePage<'a> {
        // Newest first by the date the source gives, else by year; the reports of one
        // compilation are one entry, the compilation.
        let date_key = |d: &crate::document::Document| d.date.map_or((d.year, 0, 0), |x| (x.year, x.month, x.day.unwrap_or(0)));
        let mut docs: Vec<DocId> = (0..self.index.docs.len()).map(DocId::new).collect();
        docs.sort_by_key(|&d| {
            let doc = self.index.doc(d);
            std::cmp::Reverse((date_key(doc), doc.kind == Kind::Plan))
        });
        let mut latest = Vec::new();
        let mut shown_collections = Vec::new();
        for d in docs {
            let doc = self.index.doc(d);
            let collection = doc.collection.as_deref().and_then(|t| self.index.collections.iter().position(|c| c.title == t));
            match collection {
                Some(c) if shown_collections.contains(&c) => {}
                Some(c) => {
                    shown_collections.push(c);
                    latest.push(self.collection_view(&self.index.collections[c], self.index.collection_reports[c].len()));
                }
                None => latest.push(self.doc_view(doc)),
            }
        }
        latest.truncate(6);
        let departments = self
            .registry
            .dept_ids()
            .filter(|&i| self.registry.dept(i).collective.is_none() && self.index.department_items[i.index()].len() >= 5)
            .map(|i| {
                let l = self.dept_link(i);
                CountedLink { name: l.name, url: l.url, count: self.index.department_items[i.index()].len() }
            })
            .collect();
        let cities = self.registry.cities.iter().map(|c| CityChip { short: c.short.clone(), url: permalink::city(&c.slug) }).collect();
        HomePage {
            base: self.base(footer, "home", Vec::new(), None),
            latest,
            years: self.year_summaries(),
            departments,
            cities,
            programs: self.program_trees(),
        }
    }

    /// Programs without a parent in the registry, each with its children.
    pub(super) fn program_trees(&self) -> Vec<ProgramTree> {
        self.registry
            .top_programs()
            .map(|i| {
                let children = self.registry.children_of(i).map(|c| self.program_link(c)).collect();
                let l = self.program_link(i);
                ProgramTree { name: l.name, url: l.url, children }
            })
            .collect()
    }

    fn year_summaries(&self) -> Vec<YearSummary> {
        self.index
            .years
            .iter()
            .rev()
            .map(|(&year, e)| YearSummary {
                year,
                url: permalink::year(year),
                plans: e.plans.len(),
                reports: e.reports_on.len(),
                report_plans: e.plans_in_reports.len(),
                count: e.plans.len() + e.reports_on.len() + e.plans_in_reports.len(),
            })
            .collect()
    }

    pub(super) fn years(&self, footer: &'a [Link]) -> YearsPage<'a> {
        YearsPage { base: self.base(footer, "years", crumbs(&[], "年度"), None), years: self.year_summaries() }
    }

    pub(super) fn year(&self, footer: &'a [Link], year: i32) -> YearPage<'a> {
        let e = &self.index.years[&year];
        let views = |v: &[DocId]| -> Vec<DocView<'a>> { v.iter().map(|&d| self.doc_view(self.index.doc(d))).collect() };
        let report_plans = e
            .plans_in_reports
            .iter()
            .map(|&d| {
                let doc = self.index.doc(d);
                let plans = doc.parts.iter().find(|p| p.is(PartKind::Plans));
                ReportPlans {
                    title: &doc.title,
                    city: doc.city.map(|c| self.registry.city_entry(c).name.as_str()),
                    url: plans.map_or_else(|| doc.url.clone(), |p| permalink::anchor(&doc.url, &p.anchor)),
                    has_plans: plans.is_some(),
                }
            })
            .collect();
        YearPage {
            base: self.base(footer, "years", crumbs(&[("年度", &permalink::years())], &format!("{year}年")), None),
            year,
            plans: views(&e.plans),
            reports: views(&e.reports_on),
            report_plans,
        }
    }
}
