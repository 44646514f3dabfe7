//! City pages (what is specific to the city first: its reports and their parts, the items that
//! name it, the programs it reported on; then the items shared by all cities) and the city index.

use serde::Serialize;

use super::views::{Base, DocView, ItemView, Link};
use super::{crumbs, RenderContext};
use crate::extract::PartKind;
use crate::model::CityId;
use crate::permalink;

#[derive(Serialize)]
pub(super) struct CityPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    city: &'a crate::model::City,
    reports: Vec<CityReport<'a>>,
    /// Plan items whose text names the city.
    mentions: Vec<ItemView<'a>>,
    /// Programs the city's reports name, with how many passages.
    programs: Vec<CountedProgram>,
    /// Items given to every city association together.
    shared: Option<Shared<'a>>,
}

#[derive(Serialize)]
struct CityReport<'a> {
    doc: DocView<'a>,
    parts: Vec<Link>,
}

#[derive(Serialize)]
struct CountedProgram {
    name: String,
    url: String,
    passages: usize,
}

#[derive(Serialize)]
struct Shared<'a> {
    collective: Link,
    count: usize,
    years: Vec<SharedYear<'a>>,
}

#[derive(Serialize)]
struct SharedYear<'a> {
    year: i32,
    items: Vec<ItemView<'a>>,
}

#[derive(Serialize)]
pub(super) struct CitiesPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    cities: Vec<CityRow>,
    /// The pages that gather every city's problems and suggestions, by year.
    parts_pages: Vec<Link>,
}

#[derive(Serialize)]
struct CityRow {
    name: String,
    url: String,
    reports: usize,
    mentions: usize,
    programs: Vec<Link>,
}

impl<'a> RenderContext<'a> {
    pub(super) fn city(&self, footer: &'a [Link], i: CityId) -> CityPage<'a> {
        let x = self.registry.city_entry(i);
        let reports = self.index.city_reports[i.index()]
            .iter()
            .map(|&d| {
                let doc = self.index.doc(d);
                let parts = doc
                    .parts
                    .iter()
                    .filter(|p| p.kind != PartKind::Work)
                    .map(|p| Link { name: p.kind.label().into(), url: permalink::anchor(&doc.url, &p.anchor) })
                    .collect();
                CityReport { doc: self.doc_view(doc), parts }
            })
            .collect();
        let shared = self.registry.all_cities_collective().map(|ci| {
            let entries = &self.index.department_items[ci.index()];
            let years = self
                .index
                .by_year(entries, |e| e.item.doc)
                .into_iter()
                .map(|(year, entries)| SharedYear { year, items: entries.iter().map(|e| self.item_view(e.item, "")).collect() })
                .collect();
            Shared { collective: self.dept_link(ci), count: entries.len(), years }
        });
        CityPage {
            base: self.base(footer, "cities", crumbs(&[("省辖市", &permalink::cities())], &x.name), Some(format!("{}科协的工作汇报与相关工作", x.name))),
            city: x,
            reports,
            mentions: self.index.city_mentions[i.index()].iter().map(|&r| self.item_view(r, "")).collect(),
            programs: self.city_programs(i),
            shared,
        }
    }

    /// Programs the city's reports name, in registry order, with their passage counts.
    fn city_programs(&self, i: CityId) -> Vec<CountedProgram> {
        let reports = &self.index.city_reports[i.index()];
        self.registry
            .program_ids()
            .filter_map(|p| {
                let passages = self.index.program_passages[p.index()].iter().filter(|r| reports.contains(&r.doc)).count();
                (passages > 0).then(|| {
                    let l = self.program_link(p);
                    CountedProgram { name: l.name, url: l.url, passages }
                })
            })
            .collect()
    }

    pub(super) fn cities(&self, footer: &'a [Link]) -> CitiesPage<'a> {
        let cities = self
            .registry
            .city_ids()
            .map(|i| {
                let l = self.city_link(i);
                CityRow {
                    name: l.name,
                    url: l.url,
                    reports: self.index.city_reports[i.index()].len(),
                    mentions: self.index.city_mentions[i.index()].len(),
                    programs: self.city_programs(i).into_iter().map(|p| Link { name: p.name, url: p.url }).collect(),
                }
            })
            .collect();
        let parts_pages = self
            .index
            .report_years
            .keys()
            .rev()
            .flat_map(|&y| {
                PartKind::GATHERED.map(|k| Link { name: format!("{}年汇报：{}", y, k.gathered_names().1), url: permalink::report_parts(y, k.slug()) })
            })
            .collect();
        CitiesPage { base: self.base(footer, "cities", crumbs(&[], "省辖市"), None), cities, parts_pages }
    }
}
