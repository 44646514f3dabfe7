//! `planport new plan|report`.

use std::path::Path;

use planport::model::Kind;
use planport::registry::Registry;
use planport::scaffold::{scaffold, NewDocument};
use planport::write::{check_writable, write_file};
use planport::{Diagnostic, Report};

use crate::cli::NewKind;

const NEW_HINT: &str = "planport new plan --help 和 planport new report --help 列出了可用的选项";

pub fn run(what: &NewKind, content: &Path) -> Result<(), Report> {
    let loaded = planport::load::load(content).map_err(Report::from)?;
    let registry = Registry::load(loaded.departments.as_ref(), loaded.cities.as_ref(), loaded.programs.as_ref()).map_err(Report::from)?;
    let req = match what {
        NewKind::Plan { year, title, date, slug } => {
            NewDocument { kind: Kind::Plan, year: *year, title: title.as_deref(), city: None, date: date.as_deref(), slug: slug.as_deref() }
        }
        NewKind::Report { city, year, date, title, slug } => {
            NewDocument { kind: Kind::Report, year: *year, title: title.as_deref(), city: Some(city), date: Some(date), slug: slug.as_deref() }
        }
    };
    let (rel, text) = scaffold(&req, &registry).map_err(|m| Report::from(Diagnostic::new("E0901", content, None, m).with_hint(NEW_HINT)))?;
    let path = content.join(&rel);
    check_writable(content, Path::new(&rel)).map_err(|e| Report::from(Diagnostic::from(e)))?;
    if path.exists() {
        return Err(Report::from(Diagnostic::new("E0902", &path, None, "文件已经存在，不予覆盖").with_hint("用 --slug 另选一个文件名")));
    }
    write_file(content, Path::new(&rel), text.as_bytes()).map_err(|e| Report::from(Diagnostic::from(e)))?;
    println!("已写入 {}：请填写括号里的占位文字，然后运行 planport check", path.display());
    Ok(())
}
