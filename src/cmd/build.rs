//! `planport build` and `planport check`.

use std::path::Path;

use planport::site::{build, load_site};
use planport::Report;

use crate::cli::Format;

pub fn run(content: &Path, output: &Path) -> Result<(), Report> {
    eprintln!("building {} → {}", content.display(), output.display());
    let stats = build(content, output)?;
    println!(
        "built {} pages ({} files): {} documents, {} items, {} departments, {} cities in {} ms",
        stats.pages,
        stats.files,
        stats.documents,
        stats.items,
        stats.departments,
        stats.cities,
        stats.elapsed.as_millis()
    );
    Ok(())
}

pub fn check(content: &Path, format: Format) -> Result<(), Report> {
    let site = load_site(content)?;
    let items: usize = site.index.docs.iter().map(|d| d.items.len()).sum();
    match format {
        Format::Json => println!("[]"),
        Format::Human => println!(
            "ok: {} documents, {} items, {} departments, {} cities; no problems",
            site.index.docs.len(),
            items,
            site.registry.departments.len(),
            site.registry.cities.len()
        ),
    }
    Ok(())
}
