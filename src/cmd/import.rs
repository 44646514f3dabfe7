//! `planport import`: read raw texts, convert them, then write documents and registries.
//! Nothing is written if any input fails or any document would be overwritten without --force.

use std::path::{Path, PathBuf};

use planport::import::{assign_lead_departments, import_text, ImportedDoc, Registries};
use planport::load::read_regular_file;
use planport::model::{City, Department};
use planport::write::{check_writable, write_file};
use planport::{Diagnostic, Report};

pub fn run(files: &[PathBuf], into: &Path, force: bool) -> Result<(), Report> {
    let mut report = Report::default();
    let mut registries = read_registries(into, &mut report);
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
        match import_text(file, &raw, &mut registries) {
            Ok(mut d) => docs.append(&mut d),
            Err(e) => report.push(e),
        }
    }
    report.extend(assign_lead_departments(&mut docs, &registries));
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
        return Err(report);
    }
    // Each file is written beside its target and renamed over it: never through a link.
    let write = |rel: &Path, text: &str| -> Result<(), Report> { write_file(into, rel, text.as_bytes()).map_err(|e| Report::from(Diagnostic::from(e))) };
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
    Ok(())
}

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
