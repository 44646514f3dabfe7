//! Parse stage: one source file → a typed, validated [`Document`] (front-matter checked against
//! the registries) with its items and blocks extracted.

use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::extract::{blocks_and_links, items_from_blocks, report_parts, sections, Block, Item, Part, Section, SiteLink};
use crate::front_matter::{self, key_span, value_span, FrontMatter, SpanError, Split};
use crate::load::SourceFile;
use crate::model::{CityId, DeptId, Kind, PartialDate, ProgramLink, Slug};
use crate::permalink;
use crate::registry::Registry;
use crate::resolve::{resolve_items, resolve_passages};

/// A plan or a report, ready to be indexed and rendered.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    /// The whole file, shared with the loaded source. Dropped by a build once its pages are
    /// rendered ([`Document::drop_source`]), unless `BuildOptions::keep_sources`.
    pub text: std::sync::Arc<str>,
    pub body_offset: usize,
    pub kind: Kind,
    pub title: String,
    /// Plans: the year planned. Reports: the year reported on.
    pub year: i32,
    pub slug: Slug,
    /// Always starts and ends with `/`.
    pub url: String,
    pub issuer: Option<String>,
    pub doc_number: Option<String>,
    pub date: Option<PartialDate>,
    pub published: Option<PartialDate>,
    pub index_no: Option<String>,
    pub topic: Option<String>,
    /// 有效性, from front-matter only.
    pub validity: Option<String>,
    /// 主送机关: from front-matter, else the recipients line of the issuing notice.
    pub recipients: Option<String>,
    /// Lead departments editors give a plan whose source names none (editorial).
    pub lead_departments: Vec<DeptId>,
    /// Reports: the city.
    pub city: Option<CityId>,
    /// The title of the compilation the report came from.
    pub collection: Option<String>,
    /// Plans: numbered items, resolved (attributions, programs, cities).
    pub items: Vec<Item>,
    pub blocks: Vec<Block>,
    /// The headings as a tree.
    pub sections: Vec<Section>,
    /// Reports: work, problems, plans, suggestions.
    pub parts: Vec<Part>,
    /// For each block: the programs of a report passage (empty otherwise).
    pub passage_programs: Vec<Vec<ProgramLink>>,
    /// Links of the body to pages of the site, found while extracting (checked once the
    /// whole site is known).
    pub links: Vec<SiteLink>,
}

impl Document {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// Let go of the source and what only checking it needs (its links), keeping what was
    /// extracted: a build does once its pages are rendered. `empty` is one shared empty text.
    pub fn drop_source(&mut self, empty: &std::sync::Arc<str>) {
        self.text = empty.clone();
        self.body_offset = 0;
        self.links = Vec::new();
    }

    /// Reports: the year in their URL (the year of submission).
    pub fn url_year(&self) -> i32 {
        self.date.map_or(self.year, |d| d.year)
    }
}

/// A free page (`pages/guide.md` → `/guide/`).
#[derive(Debug, Clone)]
pub struct Page {
    pub path: PathBuf,
    /// The whole file, shared with the loaded source.
    pub text: std::sync::Arc<str>,
    pub body_offset: usize,
    pub title: String,
    pub description: Option<String>,
    pub slug: Slug,
    pub url: String,
    /// A page for the editors (the guide): left out of public navigation, `noindex`.
    pub for_editors: bool,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// A compilation of reports (`collections/<name>.md` → `/collections/<slug>/`): its cover and
/// its table of contents. The reports name it by its title in their `collection:`.
#[derive(Debug, Clone)]
pub struct Collection {
    pub path: PathBuf,
    pub title: String,
    /// The cover's series label (`省辖市科协工作座谈会材料之四`).
    pub label: Option<String>,
    /// Who compiled it (`河南省科协办公室`).
    pub compiler: Option<String>,
    pub date: Option<PartialDate>,
    /// Entries of the table of contents as written (`郑州市科协`), without page numbers.
    pub contents: Vec<String>,
    pub slug: Slug,
    pub url: String,
}

/// The front-matter of `collections/*.md`, as written (docs/configuration.md lists its keys).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionMeta {
    title: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    compiler: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    contents: Vec<String>,
    #[serde(default)]
    slug: Option<String>,
}

/// Parse a compilation's cover and contents.
pub fn parse_collection(file: &SourceFile) -> Result<Collection, Vec<Diagnostic>> {
    let split = front_matter::split(&file.text).map_err(|e| vec![to_diag(file, e)])?;
    let meta: CollectionMeta = yaml_meta(file, &split, "汇编的前置信息有 title，还可以有 label、compiler、date、contents 和 slug")?;
    let slug = slug_of(file, &split, meta.slug.as_deref(), None).map_err(|d| vec![d])?;
    let date = match meta.date.as_deref().map(str::parse::<PartialDate>) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(m)) => return Err(vec![Diagnostic::new("E0135", &file.path, Some(key_span(&split, "date")), m).with_hint(DATE_HINT)]),
    };
    Ok(Collection {
        path: file.path.clone(),
        title: meta.title.trim().to_string(),
        label: meta.label,
        compiler: meta.compiler,
        date,
        contents: meta.contents,
        url: permalink::collection(&slug),
        slug,
    })
}

/// Front-matter read into `T`, with a diagnostic at the YAML error.
fn yaml_meta<T: serde::de::DeserializeOwned>(file: &SourceFile, split: &Split<'_>, hint: &str) -> Result<T, Vec<Diagnostic>> {
    front_matter::parse_yaml(split).map_err(|e| {
        let e = if e.hint.is_none() { e.hint(hint) } else { e };
        vec![to_diag(file, e)]
    })
}

/// The front-matter of `pages/*.md`, as written (docs/configuration.md lists its keys).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    for_editors: bool,
}

fn to_diag(file: &SourceFile, e: SpanError) -> Diagnostic {
    let d = Diagnostic::new(e.code, &file.path, Some(e.span), e.message);
    match e.hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// Slug from front-matter or file stem; a file stem that is not a slug needs an explicit one.
fn slug_of(file: &SourceFile, split: &Split<'_>, explicit: Option<&str>, default: Option<&str>) -> Result<Slug, Diagnostic> {
    match explicit {
        Some(s) => Slug::parse(s)
            .map_err(|m| Diagnostic::new("E0139", &file.path, Some(key_span(split, "slug")), m).with_hint("slug 是网址中的一段，例如 2023-work-points")),
        None => {
            let stem = default
                .map(str::to_string)
                .unwrap_or_else(|| std::path::Path::new(&file.rel).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
            Slug::parse(&stem).map_err(|m| {
                Diagnostic::new("E0140", &file.path, Some(split.yaml_offset..split.yaml_offset), format!("文件名不能用作网址：{m}"))
                    .with_hint("把文件改名为小写英文（例如 2024-work-points.md），或在前置信息中加上 slug:")
            })
        }
    }
}

/// The hint of a date that is none.
const DATE_HINT: &str = "日期写成 YYYY-MM-DD（例如 2023-03-17），原文只有月份时写 YYYY-MM";

/// Slugs a report may not take: `/reports/<year>/problems/` and `…/suggestions/` gather the
/// parts of every report of that year.
const RESERVED_REPORT_SLUGS: [&str; 2] = ["problems", "suggestions"];

/// Parse a plan or report.
pub fn parse_document(file: &SourceFile, registry: &Registry) -> Result<Document, Vec<Diagnostic>> {
    let split = front_matter::split(&file.text).map_err(|e| vec![to_diag(file, e)])?;
    let fm: FrontMatter = front_matter::parse(&split).map_err(|e| vec![to_diag(file, e)])?;
    let mut problems = Vec::new();
    let at = |key: &str| key_span(&split, key);
    let err = |code, key: &str, msg: String, hint: &str| Diagnostic::new(code, &file.path, Some(at(key)), msg).with_hint(hint);

    let kind = fm.kind.unwrap_or_else(|| {
        problems.push(err("E0130", "title", "前置信息缺少 kind".into(), "加上一行 kind: plan（计划）或 kind: report（报告）"));
        Kind::Plan
    });
    let (expected_folder, kind_name) = match kind {
        Kind::Plan => ("plans/", "计划（plan）"),
        Kind::Report => ("reports/", "报告（report）"),
    };
    if !file.rel.starts_with(expected_folder) {
        problems.push(err("E0131", "kind", format!("{kind_name}应放在 content/{expected_folder} 文件夹里"), "移动文件，或改正 kind"));
    }
    if fm.title.trim().is_empty() {
        problems.push(err("E0132", "title", "标题是空的".into(), "写上文件的正式标题"));
    }
    let year = match fm.year {
        Some(y) if (1949..=2100).contains(&y) => y,
        Some(y) => {
            problems.push(err("E0133", "year", format!("年份 {y} 超出范围"), "写四位数的年份，例如 year: 2024"));
            0
        }
        None => {
            problems.push(err("E0134", "title", "前置信息缺少 year".into(), "计划写计划的年份，报告写所总结的年份，例如 year: 2023"));
            0
        }
    };
    let mut date_of = |key: &str, value: &Option<String>| -> Option<PartialDate> {
        let v = value.as_ref()?;
        match v.parse::<PartialDate>() {
            Ok(d) => Some(d),
            Err(m) => {
                problems.push(Diagnostic::new("E0135", &file.path, Some(at(key)), m).with_hint(DATE_HINT));
                None
            }
        }
    };
    let date = date_of("date", &fm.date);
    let published = date_of("published", &fm.published);

    let mut lead_departments = Vec::new();
    for name in &fm.lead_departments {
        match registry.department(name) {
            Some(i) => lead_departments.push(i),
            None if name == crate::scaffold::LEAD_PLACEHOLDER => problems.push(
                Diagnostic::new("E0851", &file.path, Some(value_span(&split, "lead_departments", name)), "牵头部门尚未填写")
                    .with_hint("`planport import` 在原文没有责任部门时写下这个占位；换成牵头部门的名称，例如 `lead_departments: [学会学术部]`"),
            ),
            None => problems.push(unknown_department(&file.path, value_span(&split, "lead_departments", name), name, registry)),
        }
    }

    let mut city = None;
    match (kind, &fm.city) {
        (Kind::Report, None) => problems.push(err("E0136", "title", "报告缺少 city".into(), "写上城市，例如 city: 郑州市")),
        (Kind::Report, Some(name)) => match registry.city(name) {
            Some(i) => city = Some(i),
            None => {
                let d = match registry.suggest_city(name) {
                    Some(s) => Diagnostic::new("E0202", &file.path, Some(at("city")), format!("未知的城市 {name}，您是否想写 {s}？")),
                    None => Diagnostic::new("E0202", &file.path, Some(at("city")), format!("未知的城市 {name}")),
                };
                let d =
                    d.with_hint(format!("城市见 content/data/cities.yaml：{}", registry.cities.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join("、")));
                problems.push(d);
            }
        },
        (Kind::Plan, Some(_)) => problems.push(err("E0137", "city", "计划不写 city".into(), "删掉 city，或改为 kind: report")),
        (Kind::Plan, None) => {}
    }
    if kind == Kind::Report && date.is_none() && fm.date.is_none() {
        problems.push(err("E0138", "title", "报告缺少 date".into(), "写报告提交的年月或日期，例如 date: 2024-03"));
    }

    let default_slug = match (kind, city) {
        (Kind::Report, Some(c)) => Some(registry.city_entry(c).slug.to_string()),
        _ => None,
    };
    let slug = match slug_of(file, &split, fm.slug.as_deref(), default_slug.as_deref()) {
        Ok(s) => s,
        Err(d) => {
            problems.push(d);
            Slug::parse("invalid").expect("valid")
        }
    };
    if kind == Kind::Report && RESERVED_REPORT_SLUGS.contains(&slug.as_str()) {
        problems.push(err(
            "E0141",
            if fm.slug.is_some() { "slug" } else { "city" },
            format!("{slug} 是汇总各市{}的页面专用的网址", if slug.as_str() == "problems" { "问题" } else { "建议" }),
            "给这份报告另写一个 slug:",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let url = permalink::document(kind, &slug, date.map_or(year, |d| d.year));
    let body = &file.text[split.body_offset..];
    let (blocks, links) = blocks_and_links(body, kind == Kind::Plan);
    let (sections, block_sections) = sections(&blocks);
    let mut items = Vec::new();
    let mut parts = Vec::new();
    let mut passage_programs = Vec::new();
    match kind {
        Kind::Plan => {
            items = items_from_blocks(body, &blocks);
            resolve_items(&mut items, &sections, &block_sections, year, &lead_departments, registry);
        }
        Kind::Report => {
            parts = report_parts(&blocks, year);
            passage_programs = resolve_passages(&blocks, &sections, &block_sections, registry);
        }
    }
    Ok(Document {
        path: file.path.clone(),
        text: file.text.clone(),
        body_offset: split.body_offset,
        kind,
        title: fm.title.trim().to_string(),
        year,
        slug,
        url,
        issuer: fm.issuer,
        doc_number: fm.doc_number,
        date,
        published,
        index_no: fm.index_no,
        topic: fm.topic,
        validity: fm.validity,
        recipients: fm.recipients.or_else(|| notice_recipients(body)),
        lead_departments,
        city,
        collection: fm.collection,
        items,
        blocks,
        sections,
        parts,
        passage_programs,
        links,
    })
}

/// The recipients (主送机关) of a notice that opens the body as a block quote: the paragraph right
/// after the notice's title (…的通知), when it ends with a colon — as official notices are laid
/// out. `None` when the body does not open with such a notice.
pub fn notice_recipients(body: &str) -> Option<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in body.lines().skip_while(|l| l.trim().is_empty()) {
        let Some(quoted) = line.trim_start().strip_prefix('>') else { break };
        let quoted = quoted.trim();
        if quoted.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            current.push_str(quoted);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    let title = paragraphs.iter().position(|p| p.ends_with("通知"))?;
    let line = paragraphs.get(title + 1)?;
    let recipients = line.strip_suffix('：').or_else(|| line.strip_suffix(':'))?.trim();
    (!recipients.is_empty()).then(|| recipients.to_string())
}

/// `未知的部门 科普布，您是否想写 科普部？`
pub fn unknown_department(path: &std::path::Path, span: Range<usize>, name: &str, registry: &Registry) -> Diagnostic {
    const LISTED: &str = "部门见 content/data/departments.yaml；新部门请在那里加上（连同 slug）";
    match registry.suggest_department(name) {
        Some(s) => Diagnostic::new("E0201", path, Some(span), format!("未知的部门 {name}，您是否想写 {s}？")).with_hint(LISTED),
        None => Diagnostic::new("E0201", path, Some(span), format!("未知的部门 {name}")).with_hint(LISTED),
    }
}

/// Parse a free page.
pub fn parse_page(file: &SourceFile) -> Result<Page, Vec<Diagnostic>> {
    let split = front_matter::split(&file.text).map_err(|e| vec![to_diag(file, e)])?;
    let meta: PageMeta = yaml_meta(file, &split, "页面的前置信息有 title，还可以有 description、slug 和 for_editors: true")?;
    let slug = slug_of(file, &split, meta.slug.as_deref(), None).map_err(|d| vec![d])?;
    Ok(Page {
        path: file.path.clone(),
        text: file.text.clone(),
        body_offset: split.body_offset,
        url: permalink::page(&slug),
        title: meta.title,
        description: meta.description,
        slug,
        for_editors: meta.for_editors,
    })
}

/// A plan of 2024 at `content/plans/<name>.md` with `body` and no departments, for unit tests.
#[cfg(test)]
pub(crate) fn test_plan(name: &str, body: &str) -> Document {
    let text = format!("---\ntitle: 甲\nkind: plan\nyear: 2024\n---\n{body}");
    let file = SourceFile { rel: format!("plans/{name}.md"), path: format!("content/plans/{name}.md").into(), text: text.into() };
    parse_document(&file, &Registry::load(None, None, None).expect("an empty registry")).expect("the plan parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_recipients_of_a_notice_from_its_opening_quote() {
        let body = "> 河南省科学技术协会办公室文件\n>\n> 豫科协办发〔2021〕9号\n>\n> 河南省科协办公室关于印发《河南省科协2021年学会学术工作要点》的通知\n>\n> 各全省学会、协会、研究会，各省辖市、济源示范区科协：\n>\n> 现将……予以印发。\n\n正文\n";
        assert_eq!(notice_recipients(body).as_deref(), Some("各全省学会、协会、研究会，各省辖市、济源示范区科协"));
    }

    #[test]
    fn a_body_without_a_notice_has_no_recipients() {
        assert_eq!(notice_recipients("2018年是贯彻党的十九大精神的开局之年。\n\n## 一、总体要求\n"), None);
        // A quote with a title but no colon line is not a notice's address.
        assert_eq!(notice_recipients("> 关于印发的通知\n>\n> 现予以印发。\n"), None);
    }
}
