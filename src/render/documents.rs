//! Document pages: plans (with the model's links inside the text), reports (with their parts),
//! compilations, and the pages that set every city's problems or suggestions side by side.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::markdown::{escape_attribute as attr, escape_text as esc};
use serde::Serialize;

use super::views::{Base, DocView, Link};
use super::{crumbs, RenderContext};
use crate::document::Document;
use crate::extract::{Item, PartKind};
use crate::index::{repeat_key, ItemRef, Relation};
use crate::markdown::{count_labels, BlockMarkup, Markup};
use crate::model::DocId;
use crate::permalink;

/// Items of the same year with the same title link to each other under each of them, so each
/// one's list grows with their number and the year's lists with its square (a title repeated
/// 18 times in a year: 17 links under each, 306 in all). Under an item, the first this many are
/// links; the rest are counted, with a search for the title in that year that lists them all.
const REPEATS_SHOWN: usize = 3;

#[derive(Serialize)]
pub(super) struct PlanPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    doc: DocView<'a>,
    body: String,
    /// Every item: number and title (the flat table of contents).
    items: Vec<TocItem<'a>>,
    /// The table of contents by section and sub-section.
    toc: Vec<crate::toc::TocSection<'a>>,
    /// Lead departments given by editors (the source names none): shown as 编者注.
    leads: Vec<Link>,
    /// Documents issued by the same notice.
    siblings: Vec<DocView<'a>>,
}

#[derive(Serialize)]
struct TocItem<'a> {
    number: u32,
    title: &'a str,
}

#[derive(Serialize)]
pub(super) struct ReportPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    doc: DocView<'a>,
    body: String,
    city: Link,
    /// The report's parts, for the jump links at its top.
    parts: Vec<PartLink>,
    /// Anchor of the plans part, if the report has one.
    plan_anchor: Option<&'a str>,
    programs: Vec<Link>,
}

#[derive(Serialize)]
struct PartLink {
    kind: PartKind,
    label: &'static str,
    url: String,
}

#[derive(Serialize)]
pub(super) struct CollectionPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    collection: DocView<'a>,
    label: Option<&'a str>,
    /// The table of contents, each entry linked to its report.
    entries: Vec<CollectionEntry<'a>>,
    /// Reports that set out no plans for the next year.
    without_plans: Vec<Link>,
    /// The pages that gather the reports' problems and suggestions.
    problems_url: Option<String>,
    suggestions_url: Option<String>,
}

#[derive(Serialize)]
struct CollectionEntry<'a> {
    name: &'a str,
    title: &'a str,
    url: &'a str,
    city: Option<Link>,
    has_plans: bool,
}

#[derive(Serialize)]
pub(super) struct PartsPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    kind: PartKind,
    label: &'static str,
    /// The year in the reports' URL (submitted), and the year they report on.
    year: i32,
    reported_year: i32,
    /// The page of the other kind (problems ↔ suggestions).
    other: Link,
    cities: Vec<CityParts<'a>>,
    /// Reports that have no such part.
    missing: Vec<Link>,
}

#[derive(Serialize)]
struct CityParts<'a> {
    city: Link,
    report_url: &'a str,
    quotes: Vec<Quote<'a>>,
}

#[derive(Serialize)]
struct Quote<'a> {
    text: &'a str,
    url: String,
    /// The source's heading of the part, above its first quote (`三、2024年努力的方向和建议`).
    heading: Option<&'a str>,
}

impl<'a> RenderContext<'a> {
    pub(super) fn plan(&self, footer: &'a [Link], d: DocId) -> PlanPage<'a> {
        let doc = self.index.doc(d);
        let body = self.markdown.render(doc.body(), true, &self.plan_markup(d));
        let toc_item = |i: &'a Item| TocItem { number: i.number, title: &i.title };
        PlanPage {
            base: self.base(
                footer,
                "years",
                crumbs(&[("年度", &permalink::years()), (&format!("{}年", doc.year), &permalink::year(doc.year))], &doc.title),
                Some(opening_sentence(doc)),
            ),
            doc: self.doc_view(doc),
            body,
            items: doc.items.iter().map(toc_item).collect(),
            toc: crate::toc::plan_toc(doc),
            leads: doc.lead_departments.iter().map(|&i| self.dept_link(i)).collect(),
            siblings: self.index.siblings[d.index()].iter().map(|&s| self.doc_view(self.index.doc(s))).collect(),
        }
    }

    /// What the model adds to a plan's text: each item's annotation names linked, and under
    /// each item its related items and the same program in other years.
    fn plan_markup(&self, d: DocId) -> Markup {
        let doc = self.index.doc(d);
        let mut markup = Markup::default();
        for (i, item) in doc.items.iter().enumerate() {
            let r = ItemRef { doc: d, item: i as u32 };
            let names = item
                .annotation
                .iter()
                .flat_map(|a| a.names())
                .map(|(g, n)| (g, n.text.clone(), self.registry.department(&n.text).map(|id| self.dept_link(id).url)))
                .collect();
            let labels_before = item.annotation.as_ref().map_or(0, |a| count_labels(&item.text[..a.span.start]));
            markup.blocks.insert(item.block, BlockMarkup { labels_before, names, anchors: Vec::new(), after: self.item_links(r) });
        }
        markup
    }

    /// `<p class="item-links">` under an item: the items it repeats (the first
    /// [`REPEATS_SHOWN`], then how many more, with a search for its title in that year) or
    /// carries out (editorial relations marked 编者注), and its programs in other years.
    fn item_links(&self, r: ItemRef) -> String {
        let item = self.index.item(r);
        let year = self.index.doc(r.doc).year;
        let mut lines: Vec<String> = Vec::new();
        let mut repeats = 0;
        for &(other, relation) in self.index.relations.get(&r).map_or(&[][..], Vec::as_slice) {
            if relation == Relation::Repeats {
                repeats += 1;
                if repeats > REPEATS_SHOWN {
                    continue;
                }
            }
            let o = self.index.item(other);
            let od = self.index.doc(other.doc);
            let link = format!("<a href=\"{}\">《{}》第{}项</a>", attr(&permalink::item(&od.url, o.number)), esc(&od.title), o.number);
            lines.push(match relation {
                Relation::Repeats => format!("同年另见：{link}（事项标题相同）"),
                Relation::CarriedOutBy => {
                    format!("<span class=\"editorial\">编者注：</span>由{link}落实")
                }
                Relation::CarriesOut => {
                    format!("<span class=\"editorial\">编者注：</span>落实{link}")
                }
            });
        }
        if repeats > REPEATS_SHOWN {
            // Under the repeats shown (they come before the editorial relations).
            let search = permalink::search_for(repeat_key(&item.title), year);
            lines.insert(REPEATS_SHOWN, format!("同年另有{}项标题相同：<a href=\"{}\">在搜索中查看</a>", repeats - REPEATS_SHOWN, attr(&search)));
        }
        let mut other_years: Vec<String> = Vec::new();
        for link in &item.programs {
            let mut years: Vec<i32> =
                self.index.program_items[link.program.index()].iter().map(|(x, _)| self.index.doc(x.doc).year).filter(|&y| y != year).collect();
            years.sort_unstable();
            years.dedup();
            if years.is_empty() {
                continue;
            }
            let p = self.registry.program(link.program);
            let url = permalink::program(&p.slug);
            let years: Vec<String> = years.iter().map(|y| format!("<a href=\"{}\">{y}年</a>", attr(&permalink::anchor(&url, &format!("y{y}"))))).collect();
            other_years.push(format!("<a href=\"{}\">{}</a>（{}）", attr(&url), esc(&p.name), years.join("、")));
        }
        if !other_years.is_empty() {
            lines.push(format!("此项工作的其他年度：{}", other_years.join("；")));
        }
        let mut out = String::new();
        for line in lines {
            let _ = write!(out, "<p class=\"item-links\">{line}</p>");
        }
        out
    }

    pub(super) fn report(&self, footer: &'a [Link], d: DocId) -> ReportPage<'a> {
        let doc = self.index.doc(d);
        let mut markup = Markup { cite_passages: true, ..Markup::default() };
        for part in &doc.parts {
            markup.blocks.entry(part.opener).or_default().anchors.push(part.anchor.clone());
        }
        let body = self.markdown.render(doc.body(), false, &markup);
        let city = doc.city.map(|c| self.city_link(c)).unwrap_or(Link { name: String::new(), url: permalink::cities() });
        let parts = doc
            .parts
            .iter()
            .filter(|p| p.kind != PartKind::Work)
            .map(|p| PartLink { kind: p.kind, label: p.kind.label(), url: format!("#{}", p.anchor) })
            .collect();
        ReportPage {
            base: self.base(
                footer,
                "cities",
                crumbs(&[("省辖市", &permalink::cities()), (&city.name, &city.url)], &format!("{}年度工作情况汇报", doc.year)),
                Some(format!("{}：{}", city.name, doc.title)),
            ),
            doc: self.doc_view(doc),
            body,
            parts,
            plan_anchor: doc.parts.iter().find(|p| p.is(PartKind::Plans)).map(|p| p.anchor.as_str()),
            programs: self.index.doc_programs[d.index()].iter().map(|&p| self.program_link(p)).collect(),
            city,
        }
    }

    pub(super) fn collection(&self, footer: &'a [Link], c: usize) -> CollectionPage<'a> {
        let collection = &self.index.collections[c];
        let reports = &self.index.collection_reports[c];
        let entries: Vec<CollectionEntry<'a>> = reports
            .iter()
            .map(|&d| {
                let doc = self.index.doc(d);
                CollectionEntry {
                    name: doc.issuer.as_deref().unwrap_or(&doc.title),
                    title: &doc.title,
                    url: &doc.url,
                    city: doc.city.map(|x| self.city_link(x)),
                    has_plans: doc.parts.iter().any(|p| p.is(PartKind::Plans)),
                }
            })
            .collect();
        let without_plans = entries.iter().filter(|e| !e.has_plans).map(|e| Link { name: e.name.to_string(), url: e.url.to_string() }).collect();
        let url_year = reports.first().map(|&d| self.index.doc(d).url_year());
        CollectionPage {
            base: self.base(footer, "years", crumbs(&[], &collection.title), Some(collection.title.clone())),
            collection: self.collection_view(collection, reports.len()),
            label: collection.label.as_deref(),
            entries,
            without_plans,
            problems_url: url_year.map(|y| permalink::report_parts(y, PartKind::Problems.slug())),
            suggestions_url: url_year.map(|y| permalink::report_parts(y, PartKind::Suggestions.slug())),
        }
    }

    pub(super) fn parts(&self, footer: &'a [Link], year: i32, kind: PartKind) -> PartsPage<'a> {
        let reports = &self.index.report_years[&year];
        let mut cities = Vec::new();
        let mut missing = Vec::new();
        let mut reported_years = BTreeMap::new();
        for &d in reports {
            let doc = self.index.doc(d);
            *reported_years.entry(doc.year).or_insert(0) += 1;
            let city = doc.city.map(|c| self.city_link(c)).unwrap_or(Link { name: doc.title.clone(), url: doc.url.clone() });
            let quotes: Vec<Quote<'a>> = doc
                .parts
                .iter()
                .filter(|p| p.is(kind))
                // Each quote links to the passage that holds it (the part's own anchor may sit
                // on its heading).
                .flat_map(|p| {
                    let opener = &doc.blocks[p.opener];
                    let heading = matches!(opener.kind, crate::extract::BlockKind::Heading(_)).then_some(&*opener.text);
                    p.pieces.iter().enumerate().map(move |(k, piece)| {
                        let block = &doc.blocks[piece.block];
                        Quote {
                            text: block.text[piece.range.clone()].trim(),
                            url: permalink::anchor(&doc.url, &block.anchor),
                            heading: heading.filter(|_| k == 0),
                        }
                    })
                })
                .collect();
            if quotes.is_empty() {
                missing.push(Link { name: city.name, url: doc.url.clone() });
            } else {
                cities.push(CityParts { city, report_url: &doc.url, quotes });
            }
        }
        let reported_year = reported_years.into_iter().max_by_key(|(_, n)| *n).map_or(year - 1, |(y, _)| y);
        let label = kind.gathered_names().0;
        let other_kind = if kind == PartKind::Suggestions { PartKind::Problems } else { PartKind::Suggestions };
        let other = Link { name: other_kind.gathered_names().1.into(), url: permalink::report_parts(year, other_kind.slug()) };
        PartsPage {
            base: self.base(
                footer,
                "cities",
                crumbs(&[("省辖市", &permalink::cities())], label),
                Some(format!("{reported_year}年度各省辖市科协工作汇报：{label}")),
            ),
            kind,
            label,
            year,
            reported_year,
            other,
            cities,
            missing,
        }
    }
}

/// The document's opening sentence, for `<meta name="description">`.
fn opening_sentence(doc: &Document) -> String {
    let first = doc.blocks.iter().find(|b| b.text.contains('。') && matches!(b.kind, crate::extract::BlockKind::Passage | crate::extract::BlockKind::Item(_)));
    let Some(text) = first.map(|b| &*b.text) else {
        return doc.title.clone();
    };
    let end = text.find('。').map_or(text.len(), |i| i + '。'.len_utf8());
    text[..end].chars().take(120).collect()
}
