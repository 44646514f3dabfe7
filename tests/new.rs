//! `planport new`: the skeletons it writes pass `check` once their placeholders are filled in
//! (an untouched one fails: tests/safeguards.rs), and it refuses what it cannot do well.

use std::path::Path;
use std::process::{Command, Output};

fn planport(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planport")).current_dir(dir).args(args).output().unwrap()
}

fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let target = dir.path().join("content").join(entry.path().strip_prefix(&src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

#[test]
fn new_plan_and_report_skeletons_pass_check_and_build_once_filled_in() {
    let site = site_copy();
    let plan = planport(site.path(), &["new", "plan", "--year", "2026", "--date", "2026-03-01"]);
    assert!(plan.status.success(), "{}", String::from_utf8_lossy(&plan.stderr));
    let report = planport(site.path(), &["new", "report", "--city", "郑州", "--year", "2025", "--date", "2026-03"]);
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
    let plan_text = std::fs::read_to_string(site.path().join("content/plans/2026-work-points.md")).unwrap();
    assert!(plan_text.starts_with("---\ntitle: 河南省科协2026年工作要点\nkind: plan\nyear: 2026\n"), "{plan_text}");
    let report_text = std::fs::read_to_string(site.path().join("content/reports/2026/zhengzhou.md")).unwrap();
    assert!(report_text.contains("\ncity: 郑州市\n") && report_text.contains("\ndate: 2026-03\n"), "{report_text}");
    for rel in ["content/plans/2026-work-points.md", "content/reports/2026/zhengzhou.md"] {
        let path = site.path().join(rel);
        let filled = planport::scaffold::PLACEHOLDERS.iter().fold(std::fs::read_to_string(&path).unwrap(), |text, p| text.replace(p, "开展科普活动。"));
        std::fs::write(&path, filled).unwrap();
    }
    let check = planport(site.path(), &["check", "--deny-warnings"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(planport(site.path(), &["build"]).status.success());
    assert!(site.path().join("output/reports/2026/zhengzhou/index.html").is_file());
    assert!(site.path().join("output/plans/2026-work-points/index.html").is_file());
}

#[test]
fn new_refuses_an_unknown_city_with_a_suggestion_and_an_existing_file() {
    let site = site_copy();
    let typo = planport(site.path(), &["new", "report", "--city", "郑洲", "--year", "2025", "--date", "2026-03"]);
    assert_eq!(typo.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("您是否想写 郑州？"), "{}", String::from_utf8_lossy(&typo.stderr));
    let existing = planport(site.path(), &["new", "report", "--city", "郑州", "--year", "2023", "--date", "2024-03"]);
    assert_eq!(existing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&existing.stderr).contains("文件已经存在"));
    let bad_date = planport(site.path(), &["new", "plan", "--year", "2026", "--date", "2026-02-30"]);
    assert_eq!(bad_date.status.code(), Some(1));
}
