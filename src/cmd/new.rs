//! `planport new plan|report`.

use std::path::Path;

use planport::model::Kind;
use planport::registry::Registry;
use planport::scaffold::{scaffold, NewDocument};
use planport::write::{check_writable, write_file};
use planport::{Diagnostic, Report};

use crate::cli::NewKind;

const NEW_HINT: &str = "`planport new plan --help` and `planport new report --help` list the options";

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
    let (rel, text) = scaffold(&req, &registry).map_err(|m| Report::from(Diagnostic::new(content, None, m).with_hint(NEW_HINT)))?;
    let path = content.join(&rel);
    check_writable(content, Path::new(&rel)).map_err(|e| Report::from(Diagnostic::from(e)))?;
    if path.exists() {
        return Err(fail(&path, "already exists; not overwritten (choose another --slug)".into()));
    }
    write_file(content, Path::new(&rel), text.as_bytes()).map_err(|e| Report::from(Diagnostic::from(e)))?;
    println!("wrote {} — fill in the placeholders, then run `planport check`", path.display());
    Ok(())
}
