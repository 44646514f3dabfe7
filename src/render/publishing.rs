//! The files beside the pages: Atom feeds (the site's, each department's and each city's),
//! the sitemap, robots.txt, and the open data of `/data/` with the page that explains it.

use rayon::prelude::*;
use serde::Serialize;

use super::views::{Base, Link};
use super::{crumbs, write_error, PageJob, RenderContext};
use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::model::{DocId, Kind, PartialDate, Provenance, ScopeSource};
use crate::permalink;
use crate::publish::{
    atom_feed, robots, sitemap, write_items_csv, write_items_json, DepartmentRecord, FeedEntry, FeedInfo, ItemRecord, ProgramRecord, ITEMS_SCHEMA,
};
use crate::write::{Emit, Fill};

#[derive(Serialize)]
pub(super) struct DataPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    files: Vec<DataFile>,
    /// The licence from site.yaml, as the association states it.
    licence: Option<&'a str>,
    items: usize,
    documents: usize,
}

#[derive(Serialize)]
struct DataFile {
    name: &'static str,
    url: String,
    format: &'static str,
    description: &'static str,
}

/// A document in `/data/documents.json`.
#[derive(Serialize)]
struct DocumentRecord<'a> {
    title: &'a str,
    kind: &'static str,
    year: i32,
    city: Option<&'a str>,
    issuer: Option<&'a str>,
    doc_number: Option<&'a str>,
    date: Option<String>,
    published: Option<String>,
    collection: Option<&'a str>,
    items: usize,
    url: String,
}

const DATA_FILES: [(&str, &str, &str); 4] = [
    ("items.json", "JSON", "每项工作一条记录：文件、年度、序号、标题、全文、责任部门（按原文注释的分组）、提及的省辖市和重点工作、链接。"),
    ("items.csv", "CSV（UTF-8，带 BOM，可直接用电子表格软件打开）", "与 items.json 相同的记录，列表字段以“；”分隔。"),
    ("items.schema.json", "JSON Schema 2020-12", "items.json 的结构说明，可用于校验。"),
    ("documents.json", "JSON", "每份文件一条记录：标题、类别、年度、省辖市、发文机关、发文字号、日期、所属汇编、链接。"),
];

impl<'a> RenderContext<'a> {
    /// The feed a page advertises: the site's on the home page, each department's and city's
    /// on its page.
    pub(super) fn feed_of(&self, job: PageJob) -> Option<String> {
        if !self.base.is_absolute() {
            return None;
        }
        match job {
            PageJob::Home => Some(permalink::feed(&permalink::home())),
            PageJob::Department(d) => Some(permalink::feed(&permalink::department(&self.registry.dept(d).slug))),
            PageJob::City(c) => Some(permalink::feed(&permalink::city(&self.registry.city_entry(c).slug))),
            _ => None,
        }
    }

    pub(super) fn data_page(&self, footer: &'a [Link]) -> DataPage<'a> {
        DataPage {
            base: self.base(footer, "", crumbs(&[], "开放数据"), Some("工作要点逐项数据与文件目录，JSON 与 CSV 格式".into())),
            files: DATA_FILES.iter().map(|(name, format, description)| DataFile { name, url: permalink::data_file(name), format, description }).collect(),
            licence: self.site.licence.as_deref(),
            items: self.index.docs.iter().map(|d| d.items.len()).sum(),
            documents: self.index.docs.len(),
        }
    }

    /// Feeds, sitemap, robots.txt and data files, each handed to `emit` as it is made; returns
    /// their output paths. `pages` are the site paths of the HTML pages. Feeds and the sitemap
    /// need absolute URLs: without a known address (`base_url: /`) they are left out.
    pub fn publish_files(&self, pages: &[String], emit: &dyn Emit) -> Result<Vec<String>, Diagnostic> {
        let write = |path: String, bytes: Vec<u8>| match emit.emit(&path, &bytes) {
            Ok(()) => Ok(path),
            Err(e) => Err(write_error(&path, e)),
        };
        let stream = |path: &str, fill: &mut Fill| match emit.emit_with(path, fill) {
            Ok(()) => Ok(path.to_string()),
            Err(e) => Err(write_error(path, e)),
        };
        let author = self.site.footer.sponsor.as_deref().unwrap_or(&self.site.title);
        let all: Vec<DocId> = (0..self.index.docs.len()).map(DocId::new).collect();
        let mut feeds = vec![(format!("{}：最新文件", self.site.title), permalink::home(), all)];
        for d in self.registry.dept_ids() {
            let mut docs: Vec<DocId> = self.index.department_items[d.index()].iter().map(|e| e.item.doc).collect();
            docs.dedup();
            let dept = self.registry.dept(d);
            feeds.push((format!("{}承担的工作", dept.name), permalink::department(&dept.slug), docs));
        }
        let all_cities = self.registry.all_cities_collective();
        for c in self.registry.city_ids() {
            let mut docs: Vec<DocId> = self.index.city_reports[c.index()].clone();
            docs.extend(self.index.city_mentions[c.index()].iter().map(|r| r.doc));
            if let Some(all) = all_cities {
                docs.extend(self.index.department_items[all.index()].iter().map(|e| e.item.doc));
            }
            docs.sort_unstable();
            docs.dedup();
            let city = self.registry.city_entry(c);
            feeds.push((format!("{}科协的工作汇报与相关工作", city.name), permalink::city(&city.slug), docs));
        }
        // Each file is written as soon as it is made (the feeds in parallel): they used to be
        // held until the last was made, at the build's peak of memory.
        let feeds: Vec<Option<String>> = feeds
            .into_par_iter()
            .with_max_len(1)
            .map(|(title, page, docs)| {
                let self_path = permalink::feed(&page);
                let info = FeedInfo { title, self_path: self_path.clone(), page_path: page, author, limit: self.site.feed_limit };
                let entries = docs.iter().map(|&d| self.feed_entry(self.index.doc(d))).collect();
                atom_feed(self.base, &info, entries).map(|xml| write(permalink::output_path(&self_path), xml.into_bytes())).transpose()
            })
            .collect::<Result<_, _>>()?;
        let mut out: Vec<String> = feeds.into_iter().flatten().collect();
        // Pages for the editors (the guide) are `noindex`: not offered to crawlers either.
        let listed: Vec<String> =
            pages.iter().filter(|p| !p.ends_with("404.html") && !self.pages.iter().any(|f| f.for_editors && f.url.as_str() == p.as_str())).cloned().collect();
        if let Some(xml) = sitemap(self.base, &listed) {
            out.push(write(permalink::output_path(&permalink::sitemap()), xml.into_bytes())?);
        }
        out.push(write("robots.txt".into(), robots(self.base).into_bytes())?);
        // The item records are the largest files of the site (at 10,000 documents 170 MB as
        // JSON, 124 MB as CSV): written as they are serialized, never held whole.
        let records = self.item_records();
        out.push(stream("data/items.json", &mut |w| write_items_json(&records, w))?);
        out.push(stream("data/items.csv", &mut |w| write_items_csv(&records, w))?);
        drop(records);
        out.push(write("data/items.schema.json".into(), ITEMS_SCHEMA.as_bytes().to_vec())?);
        let documents: Vec<DocumentRecord> = self.index.docs.iter().map(|d| self.document_record(d)).collect();
        out.push(write("data/documents.json".into(), serde_json::to_vec_pretty(&documents).expect("records serialize"))?);
        Ok(out)
    }

    fn feed_entry(&self, d: &Document) -> FeedEntry {
        let city = d.city.map(|c| self.registry.city_entry(c).name.as_str());
        let title = match city {
            Some(c) => format!("{c}：{}", d.title),
            None => d.title.clone(),
        };
        let summary = match d.kind {
            Kind::Plan => format!("{}年工作计划，共{}项工作。", d.year, d.items.len()),
            Kind::Report => format!("{}科协{}年度工作情况汇报。", city.unwrap_or(""), d.year),
        };
        FeedEntry { title, path: d.url.clone(), date: d.date.unwrap_or(PartialDate { year: d.year, month: 1, day: Some(1) }), summary }
    }

    /// A URL for data files: absolute when the address is known, else the link a page uses.
    fn data_url(&self, path: &str) -> String {
        self.base.absolute(path).unwrap_or_else(|| self.base.href(path))
    }

    fn item_records(&self) -> Vec<ItemRecord<'a>> {
        let mut records = Vec::new();
        for doc in &self.index.docs {
            for item in &doc.items {
                let departments = item
                    .attributions
                    .iter()
                    .filter(|a| a.provenance != Provenance::Collective)
                    .map(|a| DepartmentRecord {
                        name: &self.registry.dept(a.dept).name,
                        group: a.group.saturating_add(1),
                        provenance: if a.provenance == Provenance::Editorial { "editorial" } else { "source" },
                    })
                    .collect();
                let programs = item
                    .programs
                    .iter()
                    .map(|l| ProgramRecord {
                        name: &self.registry.program(l.program).name,
                        by: match l.source {
                            ScopeSource::Heading => "heading",
                            ScopeSource::Editorial => "editorial",
                            ScopeSource::Mention => "mention",
                        },
                    })
                    .collect();
                records.push(ItemRecord {
                    document: &doc.title,
                    document_url: self.data_url(&doc.url),
                    year: doc.year,
                    number: item.number,
                    title: &item.title,
                    text: &item.text,
                    departments,
                    cities: item.cities.iter().map(|&c| self.registry.city_entry(c).name.as_str()).collect(),
                    programs,
                    url: self.data_url(&permalink::item(&doc.url, item.number)),
                });
            }
        }
        records
    }

    fn document_record(&self, d: &'a Document) -> DocumentRecord<'a> {
        let view = self.doc_view(d);
        DocumentRecord {
            title: view.title,
            kind: view.kind,
            year: view.year,
            city: view.city,
            issuer: view.issuer,
            doc_number: view.doc_number,
            date: view.date,
            published: view.published,
            collection: view.collection,
            items: view.items,
            url: self.data_url(&d.url),
        }
    }
}
