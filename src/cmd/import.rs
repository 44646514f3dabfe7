//! `planport import`: read raw texts, convert them, then write documents and registries.
//! Nothing is written if any input fails or any document would be overwritten without --force.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use planport::import::{assign_lead_departments, import_text, ImportedDoc, NearMiss, Registries};
use planport::load::read_regular_file;
use planport::model::{City, Department};
use planport::write::{check_writable, write_file};
use planport::{Diagnostic, Report, Severity};

/// What the editor said beyond the files and the folder.
pub struct ImportOptions<'a> {
    /// Overwrite documents that already exist.
    pub force: bool,
    /// The lead department of plans whose source names none (`--lead`).
    pub lead: Option<&'a str>,
    /// New names confirmed as new although they look like known ones (`--accept-new`).
    pub accept_new: &'a [String],
}

pub fn run(files: &[PathBuf], into: &Path, options: ImportOptions<'_>) -> Result<(), Report> {
    let mut accepted = options.accept_new.to_vec();
    loop {
        let Err(Refusal { report, refused }) = import(files, into, &options, &accepted) else {
            return Ok(());
        };
        // Asked only of an editor at a terminal, and only when the refusals are all that is
        // wrong; a script or CI gets the error and the `--accept-new` that answers it.
        let only_refusals = report.diagnostics.iter().all(|d| d.code == NEAR_MISS);
        if refused.is_empty() || !only_refusals || !std::io::stdin().is_terminal() || !confirm_all(&refused) {
            return Err(report);
        }
        accepted.extend(refused.into_iter().map(|m| m.name));
    }
}

/// Why an import wrote nothing: the report, and the new names refused as near misses of
/// known ones (which the editor may yet confirm).
struct Refusal {
    report: Report,
    refused: Vec<NearMiss>,
}

impl From<Report> for Refusal {
    fn from(report: Report) -> Self {
        Refusal { report, refused: Vec::new() }
    }
}

/// Ask, for each refused name, whether it is new after all; true when every answer is yes.
fn confirm_all(refused: &[NearMiss]) -> bool {
    let mut answers = std::io::stdin().lock();
    for m in refused {
        let what = m.what.label();
        eprint!("“{}”与已有的{what}“{}”{}。确是新{what}，照此加入名录？[y/N] ", m.name, m.known, m.likeness.describe());
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        if answers.read_line(&mut answer).is_err() || !matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
            return false;
        }
    }
    true
}

/// Convert every file, then write them when nothing is wrong.
fn import(files: &[PathBuf], into: &Path, options: &ImportOptions<'_>, accepted: &[String]) -> Result<(), Refusal> {
    let force = options.force;
    let mut report = Report::default();
    let mut registries = read_registries(into, &mut report);
    registries.accepted = accepted.to_vec();
    let mut docs: Vec<ImportedDoc> = Vec::new();
    for file in files {
        let bytes = match read_regular_file(file, MAX_IMPORT_BYTES) {
            Ok(b) => b,
            Err(e) => {
                report.push(e.to_diagnostic(file, "要导入的正式文件"));
                continue;
            }
        };
        let Ok(raw) = String::from_utf8(bytes) else {
            report.push(Diagnostic::new("E0806", file, None, "不是 UTF-8 编码的文本").with_hint("先把文件转换为 UTF-8 编码（iconv -f GB18030 -t UTF-8）"));
            continue;
        };
        report.add_source(file, &raw);
        let refused_before = registries.refused.len();
        match import_text(file, &raw, &mut registries) {
            Ok(mut d) => docs.append(&mut d),
            Err(e) => report.push(e),
        }
        report.extend(registries.refused[refused_before..].iter().map(|m| near_miss_error(file, &raw, m)));
    }
    let (lead_problems, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        assign_lead_departments(&mut docs, &mut registries, options.lead).into_iter().partition(|d| d.severity == Severity::Error);
    report.extend(lead_problems);
    registries.settle_new_departments();
    for (i, d) in docs.iter().enumerate() {
        if docs[..i].iter().any(|o| o.path == d.path) {
            report
                .push(Diagnostic::new("E0807", into.join(&d.path), None, "两份导入的文档会写到同一个文件").with_hint("分开导入，或导入后给其中一份写上 slug"));
        }
        let target = into.join(&d.path);
        if let Err(e) = check_writable(into, &d.path) {
            report.push(e.into());
        } else if target.exists() && !force {
            report.push(Diagnostic::new("E0808", &target, None, "文件已经存在，不予覆盖").with_hint("要替换它，请加上 --force"));
        }
    }
    for rel in [CITIES_FILE, DEPARTMENTS_FILE] {
        if let Err(e) = check_writable(into, Path::new(rel)) {
            report.push(e.into());
        }
    }
    if !report.is_empty() {
        return Err(Refusal { report, refused: registries.refused });
    }
    // Each file is written beside its target and renamed over it: never through a link.
    let write = |rel: &Path, text: &str| -> Result<(), Refusal> {
        write_file(into, rel, text.as_bytes()).map_err(|e| Refusal::from(Report::from(Diagnostic::from(e))))
    };
    for d in &docs {
        write(&d.path, &d.to_file_text())?;
        let what = if d.items > 0 { format!("{} 项", d.items) } else { "报告".to_string() };
        println!("已写入 {}（{what}）", into.join(&d.path).display());
    }
    let (cities_file, departments_file) = (into.join(CITIES_FILE), into.join(DEPARTMENTS_FILE));
    if !registries.added_cities.is_empty() || !cities_file.exists() {
        write(Path::new(CITIES_FILE), &registry_text(CITIES_HEADER, &registries.cities))?;
        println!("已写入 {}（{} 个城市；新增：{}）", cities_file.display(), registries.cities.len(), registries.added_cities.join(" "));
    }
    if !registries.added_departments.is_empty() || !departments_file.exists() {
        write(Path::new(DEPARTMENTS_FILE), &registry_text(DEPARTMENTS_HEADER, &registries.departments))?;
        println!(
            "已写入 {}（{} 个部门；新增：{}）：请检查新增名称的 slug 和别名",
            departments_file.display(),
            registries.departments.len(),
            registries.added_departments.join(" ")
        );
    }
    list_new_entries(&registries);
    let warnings = warnings.into_iter().map(|d| Diagnostic { file: into.join(&d.file), ..d }).collect::<Vec<_>>();
    if !warnings.is_empty() {
        crate::print_report(Report::from(warnings), crate::cli::Format::Human);
    }
    Ok(())
}

/// A new name refused because it looks like a known one, pointing at its first appearance in
/// the raw text.
fn near_miss_error(file: &Path, raw: &str, m: &NearMiss) -> Diagnostic {
    let span = raw.find(&m.name).map(|at| at..at + m.name.len());
    Diagnostic::new(
        NEAR_MISS,
        file,
        span,
        format!("新{}名称 {} 与已有的 {} {}，未导入，没有写入任何文件", m.what.label(), m.name, m.known, m.likeness.describe()),
    )
    .with_hint(format!(
        "是笔误就改正原文后重新导入；原件就这样写、指的是 {known}，就把 {name} 加进 {known} 的 aliases；确是新{what}，重新导入时加 --accept-new {name}",
        known = m.known,
        name = m.name,
        what = m.what.label()
    ))
}

/// The registry entries this import added, as written, for the editor to review: a new
/// department or city becomes a public page.
fn list_new_entries(registries: &Registries) {
    let departments: Vec<&Department> = registries.departments.iter().filter(|d| registries.added_departments.contains(&d.name)).collect();
    let cities: Vec<&City> = registries.cities.iter().filter(|c| registries.added_cities.contains(&c.name)).collect();
    if !departments.is_empty() {
        println!("\n新增 {} 个部门（每个都会成为公开的部门页面；请核对名称、slug 和所属集体）：", departments.len());
        print!("{}", indented(&serde_yaml::to_string(&departments).expect("registry serializes")));
    }
    if !cities.is_empty() {
        println!("\n新增 {} 个城市（请核对名称、简称和 slug）：", cities.len());
        print!("{}", indented(&serde_yaml::to_string(&cities).expect("registry serializes")));
    }
}

fn indented(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// The code of a refused near miss (docs/errors.md).
const NEAR_MISS: &str = "E0852";

/// Official texts are tens of kilobytes (the largest seed, a compilation of 18 reports, is
/// 82 KB); anything near this is not one, and is refused before it is read into memory.
const MAX_IMPORT_BYTES: u64 = 4 * 1024 * 1024;
const CITIES_FILE: &str = "data/cities.yaml";
const DEPARTMENTS_FILE: &str = "data/departments.yaml";

const CITIES_HEADER: &str = "# The city associations, in display order. `slug` is the URL segment: /cities/<slug>/.\n";
const DEPARTMENTS_HEADER: &str = "# Departments named in responsibility annotations, in display order.\n\
# `aliases`: other spellings of the same unit. `collective`: names many units at once\n\
# (`cities` = every city association). `member_of`: collectives a unit belongs to.\n\
# `planport import` appends new names and never changes existing entries.\n";

fn registry_text<T: serde::Serialize>(header: &str, entries: &[T]) -> String {
    format!("{header}{}", serde_yaml::to_string(entries).expect("registry serializes"))
}

/// The registries already in the content directory, so that an import adds to them.
fn read_registries(into: &Path, report: &mut Report) -> Registries {
    fn read<T: serde::de::DeserializeOwned>(path: &Path, report: &mut Report) -> Vec<T> {
        if !path.exists() {
            return Vec::new();
        }
        let text = match planport::load::read_text(path) {
            Ok(t) => t,
            Err(e) => {
                report.push(e.0);
                return Vec::new();
            }
        };
        match planport::yaml::parse(&text) {
            Ok(v) => v,
            Err(e) => {
                report.add_source(path, &text);
                report.push(Diagnostic::new(e.code, path, Some(e.span), e.message).with_hint(e.hint.unwrap_or_default()));
                Vec::new()
            }
        }
    }
    let cities: Vec<City> = read(&into.join(CITIES_FILE), report);
    let departments: Vec<Department> = read(&into.join(DEPARTMENTS_FILE), report);
    Registries { cities, departments, ..Registries::default() }
}
