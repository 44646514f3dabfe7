//! `planport import`: raw official text (PDF extractions such as `shared/seeds/*.txt`) →
//! Markdown documents with front-matter, plus the city and department registries.
//!
//! A file is either a plan file (one or more plans, optionally under the notice that issued
//! them) or a compilation of city reports with a table of contents (目录).

mod compilation;
mod markdown;
mod plan;
mod registry;
pub mod text;

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::Kind;

pub use registry::{near_miss, pinyin_slug, Entry, Likeness, NearMiss, Registries};

/// Front-matter as the importer writes it, keys in the order editors expect to read them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImportedMeta {
    pub title: String,
    pub kind: Kind,
    pub year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lead_departments: Vec<String>,
}

/// The cover and table of contents of a compilation, written as `collections/<slug>.md`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImportedCover {
    pub title: String,
    /// The series label above the title (`省辖市科协工作座谈会材料之四`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compiler: Option<String>,
    pub date: String,
    /// The entries of the table of contents, as written, without page numbers.
    pub contents: Vec<String>,
}

/// The front-matter of an imported file.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Front {
    Document(ImportedMeta),
    Collection(ImportedCover),
}

/// One file produced by an import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedDoc {
    /// Path under the content directory, e.g. `plans/2023-work-points.md`.
    pub path: PathBuf,
    pub meta: Front,
    pub body: String,
    /// Numbered items (plans) — for the summary line.
    pub items: usize,
    /// Whether every item lacks an annotation, so the plan needs lead departments.
    pub needs_lead: bool,
}

impl ImportedDoc {
    /// The whole file: front-matter then body.
    pub fn to_file_text(&self) -> String {
        let yaml = serde_yaml::to_string(&self.meta).expect("front-matter serializes");
        format!("---\n{yaml}---\n\n{}", self.body.trim_end_matches('\n').to_string() + "\n")
    }
}

/// Import one raw text. `registries` gains the cities and departments it names.
pub fn import_text(path: &Path, raw: &str, registries: &mut Registries) -> Result<Vec<ImportedDoc>, Diagnostic> {
    let lines = text::read_lines(raw);
    let error = |e: ImportError| Diagnostic::new(e.code, path, Some(line_span(raw, e.line)), e.message).with_hint(e.hint);
    if lines.is_empty() {
        return Err(error(ImportError::new("E0801", 1, "文件里没有文字", "导入的是正式文件的纯文本")));
    }
    if lines.iter().any(|l| crate::cjk::normalize_title(&l.text) == "目录") {
        compilation::import(&lines, registries).map_err(error)
    } else {
        plan::import(&lines, registries).map_err(error)
    }
}

/// After all files are imported: plans without any annotation are led by the department the
/// editor names (`--lead`), else by the one their title names (《…学会学术工作要点》 →
/// 学会学术部), else they get the placeholder that `check` refuses to publish — with a warning
/// that says so. Errors: a `--lead` the registry does not know.
pub fn assign_lead_departments(docs: &mut [ImportedDoc], registries: &mut Registries, lead: Option<&str>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for doc in docs.iter_mut().filter(|d| d.needs_lead) {
        let Front::Document(meta) = &mut doc.meta else {
            continue;
        };
        if let Some(lead) = lead {
            match editor_lead(lead, meta.year, registries) {
                Ok(name) => meta.lead_departments = vec![name],
                Err(d) => problems.push(d),
            }
            continue;
        }
        let named_by_title = registries.departments.iter().find(|d| {
            d.collective.is_none() && {
                let stem = d.name.strip_suffix('部').unwrap_or(&d.name);
                stem.chars().count() >= 2 && meta.title.contains(stem)
            }
        });
        match named_by_title {
            Some(d) => meta.lead_departments = vec![d.name.clone()],
            None => {
                meta.lead_departments = vec![crate::scaffold::LEAD_PLACEHOLDER.to_string()];
                problems.push(
                    Diagnostic::new(
                        "W0005",
                        &doc.path,
                        None,
                        format!("《{}》没有责任部门标注，标题也没有点出牵头部门；已在 lead_departments 写入占位文字", meta.title),
                    )
                    .warning()
                    .with_hint("导入后把 lead_departments 改为牵头部门（`planport check` 在填好之前不会放行），或重新导入并加 --lead 部门名称"),
                );
            }
        }
    }
    problems
}

/// The canonical name of the department `--lead` names. A name the registry does not know is
/// refused with a suggestion, unless the editor accepted it (`--accept-new`) or the registry
/// is still empty (a first import has nothing to check against); it is then added.
fn editor_lead(lead: &str, year: i32, registries: &mut Registries) -> Result<String, Diagnostic> {
    if let Some(d) = registries.find_department(lead) {
        return Ok(d.name.clone());
    }
    let accepted = registries.accepted.iter().any(|a| a == lead);
    if accepted || registries.departments.is_empty() {
        registries.note_department(lead, year);
        return Ok(lead.to_string());
    }
    let names = registries.departments.iter().flat_map(|d| std::iter::once(d.name.as_str()).chain(d.aliases.iter().map(String::as_str)));
    let hint = match registry::near_miss(lead, names.clone()).map(|(k, _)| k).or_else(|| crate::diagnostics::suggest(lead, names)) {
        Some(known) => format!("是不是 {known}？若确是新部门，再加 --accept-new {lead}"),
        None => format!("部门名录（data/departments.yaml）里没有它；若确是新部门，再加 --accept-new {lead}"),
    };
    Err(Diagnostic::new("E0853", "--lead", None, format!("牵头部门 {lead} 不在部门名录中")).with_hint(hint))
}

/// An importer error before it is tied to a file.
#[derive(Debug)]
struct ImportError {
    code: &'static str,
    line: usize,
    message: String,
    hint: String,
}

impl ImportError {
    fn new(code: &'static str, line: usize, message: impl Into<String>, hint: impl Into<String>) -> Self {
        ImportError { code, line, message: message.into(), hint: hint.into() }
    }
}

/// Byte span of a 1-based line.
fn line_span(raw: &str, line: usize) -> Range<usize> {
    let mut start = 0;
    for (i, l) in raw.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return start..start + l.trim_end_matches(['\n', '\r']).len();
        }
        start += l.len();
    }
    raw.len()..raw.len()
}

/// `2023年3月17日` → `2023-03-17`; `2024年3月` → `2024-03`.
fn chinese_date(text: &str) -> Option<String> {
    let re = regex::Regex::new(r"^([0-9]{4})年([0-9]{1,2})月(?:([0-9]{1,2})日)?$").expect("valid regex");
    let c = re.captures(text)?;
    let month: u32 = c[2].parse().ok()?;
    Some(match c.get(3) {
        Some(d) => format!("{}-{month:02}-{:02}", &c[1], d.as_str().parse::<u32>().ok()?),
        None => format!("{}-{month:02}", &c[1]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_dates_keep_their_precision() {
        assert_eq!(chinese_date("2023年3月17日").as_deref(), Some("2023-03-17"));
        assert_eq!(chinese_date("2024年3月").as_deref(), Some("2024-03"));
        assert_eq!(chinese_date("2024年3月的"), None);
    }
}
