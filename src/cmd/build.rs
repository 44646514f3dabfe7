//! `planport build` and `planport check`.

use std::path::Path;

use planport::site::{build_at, load_site};
use planport::Report;

use crate::cli::Format;

pub fn run(content: &Path, output: &Path, base_url: Option<&str>) -> Result<(), Report> {
    eprintln!("正在生成 {} → {}", content.display(), output.display());
    let stats = build_at(content, output, base_url)?;
    println!(
        "已生成 {} 个页面（{} 个文件）：{} 份文档，{} 项，{} 个部门，{} 个城市，用时 {} 毫秒",
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
        Format::Github => {}
        Format::Human => println!(
            "检查通过：{} 份文档，{} 项，{} 个部门，{} 个城市；没有发现问题",
            site.index.docs.len(),
            items,
            site.registry.departments.len(),
            site.registry.cities.len()
        ),
    }
    Ok(())
}
