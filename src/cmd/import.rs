//! `planport import`: read raw texts, convert them, then write documents and registries.
//! Nothing is written if any input fails or any document would be overwritten without --force.

use std::fs;
use std::path::{Path, PathBuf};

use planport::import::{assign_lead_departments, import_text, ImportedDoc, Registries};
use planport::model::{City, Department};
use planport::{Diagnostic, Report};

pub fn run(files: &[PathBuf], into: &Path, force: bool) -> Result<(), Report> {
    let mut report = Report::default();
    let mut registries = read_registries(into, &mut report);
    let mut docs: Vec<ImportedDoc> = Vec::new();
    for file in files {
        let bytes = match fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                report.push(Diagnostic::new(file, None, format!("cannot read: {e}")));
                continue;
            }
        };
        let Ok(raw) = String::from_utf8(bytes) else {
            report.push(Diagnostic::new(file, None, "not UTF-8 text").with_hint("convert the file to UTF-8 first (iconv -f GB18030 -t UTF-8)"));
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
            report.push(
                Diagnostic::new(into.join(&d.path), None, "two imported documents would be written to this one file")
                    .with_hint("import them separately, or give one a `slug` after import"),
            );
        }
        let target = into.join(&d.path);
        if target.exists() && !force {
            report.push(Diagnostic::new(&target, None, "already exists; not overwritten").with_hint("pass --force to replace it"));
        }
    }
    if !report.is_empty() {
        return Err(report);
    }
    let write = |path: &Path, text: &str| -> Result<(), Report> {
        let io = |e: std::io::Error| Report::from(Diagnostic::new(path, None, format!("cannot write: {e}")));
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io)?;
        }
        fs::write(path, text).map_err(io)
    };
    for d in &docs {
        write(&into.join(&d.path), &d.to_file_text())?;
        let what = if d.items > 0 { format!("{} items", d.items) } else { "report".to_string() };
        println!("wrote {} ({what})", into.join(&d.path).display());
    }
    let data = into.join("data");
    if !registries.added_cities.is_empty() || !data.join("cities.yaml").exists() {
        write(&data.join("cities.yaml"), &registry_text(CITIES_HEADER, &registries.cities))?;
        println!("wrote {} ({} cities; added: {})", data.join("cities.yaml").display(), registries.cities.len(), registries.added_cities.join(" "));
    }
    if !registries.added_departments.is_empty() || !data.join("departments.yaml").exists() {
        write(&data.join("departments.yaml"), &registry_text(DEPARTMENTS_HEADER, &registries.departments))?;
        println!(
            "wrote {} ({} departments; added: {}) — check the slugs and aliases of added names",
            data.join("departments.yaml").display(),
            registries.departments.len(),
            registries.added_departments.join(" ")
        );
    }
    Ok(())
}

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
        let Ok(text) = fs::read_to_string(path) else { return Vec::new() };
        match serde_yaml::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                report.add_source(path, &text);
                let at = planport::diagnostics::char_span(&text, e.location().map_or(0, |l| l.index()));
                report.push(Diagnostic::new(path, Some(at), format!("cannot read registry: {e}")));
                Vec::new()
            }
        }
    }
    let cities: Vec<City> = read(&into.join("data/cities.yaml"), report);
    let departments: Vec<Department> = read(&into.join("data/departments.yaml"), report);
    Registries { cities, departments, ..Registries::default() }
}
