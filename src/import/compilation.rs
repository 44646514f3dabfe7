//! A compilation of city reports: a cover (series, title, compiler, month), a table of
//! contents (`1. 郑州市科协 (1)`), then each report: its title line, the association's name,
//! and its text.

use std::path::PathBuf;

use regex::Regex;

use super::markdown;
use super::registry::Registries;
use super::text::{join_page_breaks, Para};
use super::{chinese_date, ImportError, ImportedDoc, ImportedMeta};
use crate::cjk::normalize_title;
use crate::model::Kind;

pub(super) fn import(lines: &[Para], registries: &mut Registries) -> Result<Vec<ImportedDoc>, ImportError> {
    let toc_at = lines.iter().position(|l| normalize_title(&l.text) == "目录").expect("caller found 目录");
    let cover = &lines[..toc_at];
    let date = cover.iter().find_map(|l| chinese_date(&l.text));
    let collection = cover.iter().map(|l| normalize_title(&l.text)).find(|t| t.ends_with("汇编") || t.contains("材料汇编"));
    let entry_re = Regex::new(r"^[0-9]+[.．、]\s*(?P<name>.+?)\s*[(（][0-9]+[)）]$").expect("valid regex");
    let entries: Vec<(String, usize)> =
        lines[toc_at + 1..].iter().map_while(|l| entry_re.captures(&l.text).map(|c| (c["name"].trim().to_string(), l.line))).collect();
    if entries.is_empty() {
        return Err(ImportError::new(lines[toc_at].line, "the table of contents lists no reports", "entries look like `1. 郑州市科协 (1)`"));
    }
    let Some(date) = date else {
        return Err(ImportError::new(lines[0].line, "the cover gives no date", "a compilation's cover names its month, e.g. `2024年3月`"));
    };
    let submitted_year = &date[..4];
    // Each report opens with its title line, then a line that is exactly the association's name.
    let body_start = toc_at + 1 + entries.len();
    let mut starts = Vec::new();
    let mut search_from = body_start;
    for (name, toc_line) in &entries {
        let found = lines[search_from..].iter().position(|l| &l.text == name).map(|i| search_from + i);
        match found {
            Some(i) if i > body_start => {
                starts.push(i);
                search_from = i + 1;
            }
            _ => {
                return Err(ImportError::new(
                    *toc_line,
                    format!("the table of contents lists {name}, but no report after the previous one opens with that name"),
                    "the table of contents must match the reports, in the same order",
                ))
            }
        }
    }
    let year_re = Regex::new(r"([0-9]{4})年").expect("valid regex");
    let mut docs = Vec::new();
    for (k, (&start, (name, toc_line))) in starts.iter().zip(&entries).enumerate() {
        let title_line = &lines[start - 1];
        let title = normalize_title(&title_line.text);
        let end = starts.get(k + 1).map_or(lines.len(), |next| next - 1);
        let Some(year) = year_re.captures(&title).and_then(|c| c[1].parse::<i32>().ok()) else {
            return Err(ImportError::new(
                title_line.line,
                format!("the title of {name}'s report names no year"),
                "a report title names the year it reports on, e.g. `2023年工作情况`",
            ));
        };
        let Some(city) = registries.city_for_association(name) else {
            return Err(ImportError::new(*toc_line, format!("cannot tell which city `{name}` is"), "entries name a city association, e.g. `郑州市科协`"));
        };
        let paras = join_page_breaks(lines[start + 1..end].to_vec());
        if paras.is_empty() {
            return Err(ImportError::new(lines[start].line, format!("the report of {name} has no text"), "each report follows its title and association name"));
        }
        docs.push(ImportedDoc {
            path: PathBuf::from("reports").join(submitted_year).join(format!("{}.md", city.slug)),
            meta: ImportedMeta {
                title,
                kind: Kind::Report,
                year,
                city: Some(city.name.clone()),
                issuer: Some(name.clone()),
                doc_number: None,
                date: Some(date.clone()),
                collection: collection.clone(),
                lead_departments: Vec::new(),
            },
            body: markdown::blocks(&paras),
            items: 0,
            needs_lead: false,
        });
    }
    Ok(docs)
}
