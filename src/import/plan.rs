//! Plan files: an optional issuing notice (letterhead, 发文字号, notice title, addressees, text,
//! signature, date), then one or more plans, each opening with its title line.

use std::path::PathBuf;

use regex::Regex;

use super::markdown;
use super::registry::{pinyin_slug, Registries};
use super::text::{join_page_breaks, marker, Marker, Para};
use super::{chinese_date, Front, ImportError, ImportedDoc, ImportedMeta};
use crate::cjk::normalize_title;
use crate::extract::extract_items;
use crate::model::Kind;

/// A title line: `河南省科协 2023 年工作要点`.
fn title_re() -> Regex {
    Regex::new(r"^(?P<org>[^0-9]{2,20}?)(?P<year>[0-9]{4})年(?P<name>[^。，；：、]{0,16}(?:工作要点|重点工作|工作计划|工作方案|工作安排))$")
        .expect("valid regex")
}

/// The issuing notice above the plans.
#[derive(Debug, Default)]
struct Notice {
    paras: Vec<Para>,
    doc_number: Option<String>,
    date: Option<String>,
    issuer: Option<String>,
}

fn read_notice(lines: &[Para]) -> Notice {
    let doc_number_re = Regex::new(r"^\S{1,16}〔[0-9]{4}〕[0-9]+号$").expect("valid regex");
    let mut notice = Notice { paras: lines.to_vec(), ..Notice::default() };
    for (i, l) in lines.iter().enumerate() {
        if doc_number_re.is_match(&l.text) {
            notice.doc_number = Some(l.text.clone());
        } else if let Some(date) = chinese_date(&l.text) {
            notice.date = Some(date);
            // The line before the date is the signature.
            notice.issuer = i.checked_sub(1).map(|j| lines[j].text.clone());
        }
    }
    if notice.issuer.is_none() {
        notice.issuer = lines
            .iter()
            .find(|l| l.text.contains("关于") && l.text.ends_with("通知"))
            .and_then(|l| normalize_title(&l.text).split("关于").next().map(str::to_string))
            .filter(|s| !s.is_empty());
    }
    // Titles in a notice were wrapped by the PDF: no space in them is meaningful.
    for p in &mut notice.paras {
        if p.text.ends_with("通知") && p.text.contains("关于") {
            p.text = normalize_title(&p.text);
        }
    }
    notice
}

/// English slug of a plan's name; pinyin for names without one.
fn plan_slug(year: &str, name: &str) -> String {
    let stem = match name {
        "工作要点" => "work-points".to_string(),
        "重点工作" => "key-tasks".to_string(),
        "学会学术工作要点" => "society-work-points".to_string(),
        "科普工作要点" => "science-popularization-work-points".to_string(),
        other => pinyin_slug(other),
    };
    format!("{year}-{stem}")
}

pub(super) fn import(lines: &[Para], registries: &mut Registries) -> Result<Vec<ImportedDoc>, ImportError> {
    let re = title_re();
    let titles: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| re.is_match(&normalize_title(&l.text))).map(|(i, _)| i).collect();
    let Some(&first) = titles.first() else {
        return Err(ImportError::new("E0802", 1, "没有找到计划的标题", "计划以标题行开头，例如“河南省科协2023年工作要点”；报告汇编需要有“目录”"));
    };
    let notice = read_notice(&lines[..first]);
    let mut docs = Vec::new();
    for (k, &t) in titles.iter().enumerate() {
        let end = titles.get(k + 1).copied().unwrap_or(lines.len());
        let title = normalize_title(&lines[t].text);
        let caps = re.captures(&title).expect("title matched");
        let year: i32 = caps["year"].parse().expect("four digits");
        let paras = join_page_breaks(lines[t + 1..end].to_vec());
        check_numbering(&paras, lines[t].line, &title)?;
        let body = markdown::quote(&notice.paras) + &markdown::blocks(&paras);
        let items = extract_items(&body);
        for item in &items {
            for (_, name, _) in item.named() {
                registries.note_department(name, year);
            }
        }
        docs.push(ImportedDoc {
            path: PathBuf::from("plans").join(format!("{}.md", plan_slug(&caps["year"], &caps["name"]))),
            meta: Front::Document(ImportedMeta {
                title: title.clone(),
                kind: Kind::Plan,
                year,
                city: None,
                issuer: notice.issuer.clone(),
                doc_number: notice.doc_number.clone(),
                date: notice.date.clone(),
                collection: None,
                lead_departments: Vec::new(),
            }),
            needs_lead: items.iter().all(|i| i.annotation.is_none()),
            items: items.len(),
            body,
        });
    }
    Ok(docs)
}

/// Items are numbered 1, 2, 3 … through the whole plan.
fn check_numbering(paras: &[Para], title_line: usize, title: &str) -> Result<(), ImportError> {
    let mut expected = 1;
    for p in paras {
        if let Some((Marker::Number(n), _)) = marker(&p.text) {
            if n != expected {
                return Err(ImportError::new(
                    "E0803",
                    p.line,
                    format!("《{title}》中这里应是第 {expected} 项，却是第 {n} 项"),
                    "各项在全文中连续编号；检查是否漏了或重复了编号",
                ));
            }
            expected += 1;
        }
    }
    if expected == 1 {
        return Err(ImportError::new("E0804", title_line, format!("《{title}》没有编号的项目"), "计划的各项以“1.”“2.”……开头"));
    }
    Ok(())
}
