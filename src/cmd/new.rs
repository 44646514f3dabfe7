//! `planport new plan|report`.

use std::fs;
use std::path::Path;

use planport::model::Kind;
use planport::registry::Registry;
use planport::scaffold::{scaffold, NewDocument};
use planport::{Diagnostic, Report};

use crate::cli::NewKind;

pub fn run(what: &NewKind, content: &Path) -> Result<(), Report> {
    let fail = |path: &Path, msg: String| Report::from(Diagnostic::new(path, None, msg));
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
    let (rel, text) = scaffold(&req, &registry).map_err(|m| fail(content, m))?;
    let path = content.join(&rel);
    if path.exists() {
        return Err(fail(&path, "already exists; not overwritten (choose another --slug)".into()));
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| fail(&path, format!("cannot create folder: {e}")))?;
    }
    fs::write(&path, text).map_err(|e| fail(&path, format!("cannot write: {e}")))?;
    println!("wrote {} — fill in the placeholders, then run `planport check`", path.display());
    Ok(())
}
