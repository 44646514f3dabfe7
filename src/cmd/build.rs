//! `planport build` and `planport check`.

use std::path::Path;

use planport::site::{build_at, load_site};
use planport::Report;

use crate::cli::Format;

pub fn run(content: &Path, output: &Path, base_url: Option<&str>, timings: bool) -> Result<(), Report> {
    eprintln!("building {} → {}", content.display(), output.display());
    let stats = build_at(content, output, base_url)?;
    if timings {
        for (stage, took) in &stats.timings.stages {
            eprintln!("{:>9.1} ms  {stage}", took.as_secs_f64() * 1e3);
        }
    }
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
    println!(
        "搜索索引：{} 个文件，{:.1} MB，用时 {} 毫秒（已计入上面的总时间）",
        stats.search_files,
        stats.search_bytes as f64 / 1e6,
        stats.search_elapsed.as_millis()
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
