//! A compilation of city reports: a cover (series, title, compiler, month), a table of
//! contents (`1. 郑州市科协 (1)`), then each report: its title line, the association's name,
//! and its text.

use std::path::PathBuf;

use regex::Regex;

use super::markdown;
use super::registry::Registries;
use super::text::{join_page_breaks, Para};
use super::{chinese_date, Front, ImportError, ImportedCover, ImportedDoc, ImportedMeta};
use crate::cjk::normalize_title;
use crate::model::Kind;

pub(super) fn import(lines: &[Para], registries: &mut Registries) -> Result<Vec<ImportedDoc>, ImportError> {
    let toc_at = lines.iter().position(|l| normalize_title(&l.text) == "目录").expect("caller found 目录");
    let cover = &lines[..toc_at];
    let date = cover.iter().find_map(|l| chinese_date(&l.text));
    let title_at = cover.iter().position(|l| {
        let t = normalize_title(&l.text);
        t.ends_with("汇编") || t.contains("材料汇编")
    });
    let collection = title_at.map(|i| normalize_title(&cover[i].text));
    let entry_re = Regex::new(r"^[0-9]+[.．、]\s*(?P<name>.+?)\s*[(（][0-9]+[)）]$").expect("valid regex");
    let entries: Vec<(String, usize)> =
        lines[toc_at + 1..].iter().map_while(|l| entry_re.captures(&l.text).map(|c| (c["name"].trim().to_string(), l.line))).collect();
    if entries.is_empty() {
        return Err(ImportError::new("E0810", lines[toc_at].line, "目录里没有列出报告", "目录条目的写法如“1. 郑州市科协 (1)”"));
    }
    let Some(date) = date else {
        return Err(ImportError::new("E0811", lines[0].line, "封面上没有日期", "汇编的封面应写明年月，例如“2024年3月”"));
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
                    "E0812",
                    *toc_line,
                    format!("目录列出了 {name}，但在上一篇报告之后没有以这个名称开头的报告"),
                    "目录应与正文中的报告一一对应，顺序相同",
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
            return Err(ImportError::new("E0813", title_line.line, format!("{name}的报告标题里没有年份"), "报告标题应写明所总结的年份，例如“2023年工作情况”"));
        };
        let Some(city) = registries.city_for_association(name) else {
            return Err(ImportError::new("E0814", *toc_line, format!("看不出“{name}”是哪个城市"), "目录条目应写城市科协的名称，例如“郑州市科协”"));
        };
        let paras = join_page_breaks(lines[start + 1..end].to_vec());
        if paras.is_empty() {
            return Err(ImportError::new("E0815", lines[start].line, format!("{name}的报告没有正文"), "每篇报告的标题和单位名称之后应是正文"));
        }
        docs.push(ImportedDoc {
            path: PathBuf::from("reports").join(submitted_year).join(format!("{}.md", city.slug)),
            meta: Front::Document(ImportedMeta {
                title,
                kind: Kind::Report,
                year,
                city: Some(city.name.clone()),
                issuer: Some(name.clone()),
                doc_number: None,
                date: Some(date.clone()),
                collection: collection.clone(),
                lead_departments: Vec::new(),
            }),
            body: markdown::blocks(&paras),
            items: 0,
            needs_lead: false,
        });
    }
    // The cover and contents, as a document of their own: series label above the title, the
    // compiler between the title and the date.
    if let (Some(title), Some(t)) = (collection, title_at) {
        let lines_between = |range: std::ops::Range<usize>| -> Option<String> {
            let text: Vec<String> = cover[range].iter().map(|l| normalize_title(&l.text)).filter(|l| !l.is_empty() && chinese_date(l).is_none()).collect();
            (!text.is_empty()).then(|| text.join(" "))
        };
        let date_at = cover.iter().rposition(|l| chinese_date(&l.text).is_some()).unwrap_or(cover.len());
        docs.insert(
            0,
            ImportedDoc {
                path: PathBuf::from("collections").join(format!("reports-{date}.md")),
                meta: Front::Collection(ImportedCover {
                    title,
                    label: lines_between(0..t),
                    compiler: lines_between(t + 1..date_at.max(t + 1)),
                    date: date.clone(),
                    contents: entries.iter().map(|(name, _)| name.clone()).collect(),
                }),
                body: String::new(),
                items: 0,
                needs_lead: false,
            },
        );
    }
    Ok(docs)
}
