//! `planport build` and `planport check`.

use std::io::IsTerminal;
use std::path::Path;

use planport::site::{build_with, load_site, BuildOptions};
use planport::Report;

use crate::cli::Format;

pub fn run(content: &Path, output: &Path, options: BuildOptions<'_>, timings: bool) -> Result<(), Report> {
    eprintln!("正在生成 {} → {}", content.display(), output.display());
    let mut stats = build_with(content, output, options).inspect_err(|report| {
        if options.deny_warnings && report.errors() == 0 {
            eprintln!("{DENIED}，网站没有生成");
        }
    })?;
    print_warnings(std::mem::take(&mut stats.warnings), Format::Human);
    if timings {
        // Headers padded by characters, each Chinese one two columns wide: 13, 11, 10, 10 columns.
        eprintln!("{:>9}  {:>9}  {:>8}  {:>8}  阶段", "用时/毫秒", "CPU/毫秒", "内存/MiB", "峰值/MiB");
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        for s in &stats.timings.stages {
            eprintln!("{:>13.1}  {:>11.1}  {:>10}  {:>10}  {}", ms(s.took), ms(s.cpu), s.memory.resident, s.memory.peak, s.name);
        }
    }
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

/// Said before the warnings that `--deny-warnings` turned into a failure.
const DENIED: &str = "加了 --deny-warnings：下面的警告按错误处理";

/// `--deny-warnings` makes any warning fail the check (exit 1), as an error does.
pub fn check(content: &Path, format: Format, deny_warnings: bool) -> Result<(), Report> {
    let mut site = load_site(content)?;
    if deny_warnings && site.warnings.warnings() > 0 {
        eprintln!("{DENIED}");
        return Err(site.warnings);
    }
    let warnings = site.warnings.warnings();
    let items: usize = site.index.docs.iter().map(|d| d.items.len()).sum();
    match format {
        Format::Json => println!("{}", sorted(std::mem::take(&mut site.warnings)).to_json()),
        Format::Github => print_warnings(std::mem::take(&mut site.warnings), format),
        Format::Human if warnings > 0 => {
            print_warnings(std::mem::take(&mut site.warnings), format);
            println!(
                "检查通过：{} 份文档，{} 项，{} 个部门，{} 个城市；{warnings} 个警告（不算错误；加 --deny-warnings 则按错误处理）",
                site.index.docs.len(),
                items,
                site.registry.departments.len(),
                site.registry.cities.len(),
            );
        }
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

/// Warnings shown in full by the human format; the rest are counted.
const SHOWN_WARNINGS: usize = 30;

/// Warnings of a run that goes on: printed like errors, on stderr.
fn print_warnings(mut warnings: Report, format: Format) {
    match format {
        _ if warnings.is_empty() => {}
        Format::Human => eprint!("{}", warnings.render_first(SHOWN_WARNINGS, std::io::stderr().is_terminal())),
        _ => crate::print_report(warnings, format),
    }
}

fn sorted(mut report: Report) -> Report {
    report.sort();
    report
}
