//! Validation shared by `check` and `build`: everything that needs more than one file —
//! departments in annotations, item numbering, responsibility, duplicate URLs, internal links.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostics::Diagnostic;
use crate::document::{unknown_department, Document, Page};
use crate::extract::{site_links, SiteLink};
use crate::model::Kind;
use crate::registry::Registry;

/// Per-document checks that need the registry: annotation names, numbering, responsibility.
/// The hint of every numbering problem.
const NUMBERED: &str = "各项在全文中连续编号：1、2、3……";

pub fn check_document(doc: &Document, registry: &Registry) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if doc.kind != Kind::Plan {
        return problems;
    }
    let at = |span: std::ops::Range<usize>| doc.body_offset + span.start..doc.body_offset + span.end;
    if doc.items.is_empty() {
        problems.push(
            Diagnostic::new("E0301", &doc.path, Some(doc.body_offset..doc.body_offset), "计划里没有编号的项目")
                .with_hint("按原文编号把各项写成有序列表：“1. 加强……。（责任部门：……）”"),
        );
    }
    let mut expected = 1u32;
    let mut seen = BTreeSet::new();
    for item in &doc.items {
        let n = item.written_number.unwrap_or(item.number);
        let span = at(item.span.start..item.span.start + n.to_string().len());
        if !seen.insert(n) {
            problems.push(Diagnostic::new("E0302", &doc.path, Some(span), format!("第 {n} 项出现了两次")).with_hint(NUMBERED));
        } else if n != expected {
            let what = if n == 0 {
                "第 0 项：编号从 1 开始，不是 0".to_string()
            } else if n > expected && expected == 1 {
                format!("第一项的编号是 {n}；编号应从 1 开始")
            } else if n > expected {
                format!("缺少第 {expected} 项：第 {} 项之后是第 {n} 项", expected - 1)
            } else {
                format!("第 {n} 项的顺序不对：它在第 {} 项之后", expected - 1)
            };
            problems.push(Diagnostic::new("E0303", &doc.path, Some(span), what).with_hint(NUMBERED));
        }
        expected = expected.max(n + 1);
        for (_, name, span) in item.named() {
            if registry.department(name).is_none() {
                problems.push(unknown_department(&doc.path, at(span), name, registry));
            }
        }
        if item.named().next().is_none() && doc.lead_departments.is_empty() {
            problems.push(
                Diagnostic::new("E0304", &doc.path, Some(at(item.span.clone())), format!("第 {n} 项没有写责任部门"))
                    .with_hint("在这一项末尾加上“（责任部门：……）”，或在计划的前置信息中写 lead_departments:"),
            );
        }
    }
    problems
}

/// URLs used by two documents.
pub fn check_unique_urls(docs: &[Document]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, &Document> = BTreeMap::new();
    let mut problems = Vec::new();
    for d in docs {
        if let Some(prev) = first.insert(&d.url, d) {
            let (earlier, later) = if prev.path <= d.path { (prev, d) } else { (d, prev) };
            problems.push(
                Diagnostic::new(
                    "E0403",
                    &later.path,
                    Some(later.body_offset.min(3)..later.body_offset.min(3)),
                    format!("网址 {} 也是 {} 的网址", later.url, earlier.path.display()),
                )
                .with_hint("两份文档不能用同一个网址；给其中一份另写一个 slug:"),
            );
        }
    }
    problems
}

/// Links in Markdown bodies that point inside the site (`/…` or `#…`) must resolve: the page
/// exists, and an anchor `#item-<n>` / `#p-<k>` / `#sec-<k>` exists on it. Checked in the bodies
/// of the documents `checked` chooses (and of the free `pages`), against the pages and anchors
/// of all `docs`: after an edit that removed no page and no anchor, only
/// the edited documents can hold a broken link.
pub fn check_links_of(docs: &[Document], checked: &dyn Fn(&Document) -> bool, pages: &[Page], urls: &[String]) -> Vec<Diagnostic> {
    let known: BTreeSet<&str> = urls.iter().map(String::as_str).collect();
    // Anchors are looked up in the linked document itself: a set of every anchor of the site
    // costs more than the few links an edit brings.
    let by_url: HashMap<&str, &Document> = docs.iter().map(|d| (d.url.as_str(), d)).collect();
    let mut problems = Vec::new();
    // Documents' links were found while extracting; free pages are parsed here.
    let page_links: Vec<Vec<SiteLink>> = pages.iter().map(|p| site_links(p.body())).collect();
    let bodies = docs
        .iter()
        .filter(|d| checked(d))
        .map(|d| (&d.path, d.body_offset, d.url.as_str(), &d.links))
        .chain(pages.iter().zip(&page_links).map(|(p, links)| (&p.path, p.body_offset, p.url.as_str(), links)));
    for (path, offset, own_url, links) in bodies {
        for link in links {
            let dest = link.dest.as_str();
            let (page, anchor) = match dest.split_once('#') {
                Some((p, a)) => (if p.is_empty() { own_url } else { p }, Some(a)),
                None => (dest, None),
            };
            let page = if page.ends_with('/') || page.contains('.') { page.to_string() } else { format!("{page}/") };
            let span = offset + link.span.start..offset + link.span.end;
            if !known.contains(page.as_str()) && !page.starts_with("/static/") {
                problems.push(
                    Diagnostic::new("E0401", path, Some(span), format!("链接 {dest} 指向的页面不存在"))
                        .with_hint("站内链接的写法如 /plans/2023-work-points/#item-5"),
                );
            } else if let (Some(anchor), Some(d)) = (anchor, by_url.get(page.as_str())) {
                if !anchor.is_empty() && !d.blocks.iter().map(|b| &b.anchor).chain(d.parts.iter().map(|p| &p.anchor)).any(|a| a == anchor) {
                    problems.push(
                        Diagnostic::new("E0402", path, Some(span), format!("链接 {dest} 指向的页面上没有锚点 #{anchor}"))
                            .with_hint("计划的各项是 #item-编号，例如 #item-5"),
                    );
                }
            }
        }
    }
    problems
}
