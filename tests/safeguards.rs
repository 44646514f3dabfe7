//! Issue 12, the editors' safeguards, through the real binary: `import` never invents a
//! department or city silently, and `check` stops or flags what would publish by mistake
//! (placeholders, dates that do not fit, empty sections); `--deny-warnings` fails on warnings.
//! Fixture: `tests/fixtures/editors/` (a clean two-document site), copied per test.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// "Today" for every run: the future-date check must not depend on the day the tests run.
const TODAY: &str = "2026-11-26";

fn planport(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planport")).current_dir(dir).env("PLANPORT_TODAY", TODAY).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A copy of the fixture site: `<dir>/content`.
fn fixture() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::repo_dir().join("tests/fixtures/editors/content"), &dir.path().join("content"));
    dir
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

/// A seed with `from` replaced by `to`, written into `dir` as `name`.
fn edited_seed(dir: &Path, seed: &str, from: &str, to: &str, name: &str) -> PathBuf {
    let text = fs::read_to_string(common::repo_dir().join("../shared/seeds").join(seed)).unwrap();
    assert!(text.contains(from), "{seed} has no {from}");
    let path = dir.join(name);
    fs::write(&path, text.replace(from, to)).unwrap();
    path
}

const NOTICE_2023: &str = "000_482e941170bd50e5.txt";
const PLAN_2018: &str = "001_93f402b144de56a4.txt";
const SOCIETY_2021: &str = "002_93fdddc618aee4c0.txt";
const COMPILATION_2024: &str = "003_34df85477a50c534.txt";

/// A content folder holding the real registries (every department and city the seeds name).
fn real_registries() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::repo_dir().join("content/data"), &dir.path().join("content/data"));
    fs::copy(common::repo_dir().join("content/site.yaml"), dir.path().join("content/site.yaml")).unwrap();
    dir
}

fn import(dir: &Path, file: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["import", file.to_str().unwrap(), "--into", "content"];
    args.extend(extra);
    planport(dir, &args)
}

#[test]
fn import_refuses_a_department_one_homophone_from_a_known_one_and_writes_nothing() {
    let site = real_registries();
    let raw = edited_seed(site.path(), NOTICE_2023, "（责任部门：调研宣传部", "（责任部门：调研宣传布", "typo.txt");
    let before = tree(site.path());
    let out = import(site.path(), &raw, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("E0852") && err.contains("调研宣传布") && err.contains("调研宣传部") && err.contains("--accept-new 调研宣传布"), "{err}");
    assert!(err.contains("typo.txt:"), "the message points into the raw text: {err}");
    assert_eq!(tree(site.path()), before, "a refused import writes nothing");
}

#[test]
fn accept_new_adds_the_confirmed_name_and_lists_its_registry_lines() {
    let site = real_registries();
    let raw = edited_seed(site.path(), NOTICE_2023, "（责任部门：调研宣传部", "（责任部门：调研宣传布", "typo.txt");
    let out = import(site.path(), &raw, &["--accept-new", "调研宣传布"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = stdout(&out);
    assert!(listed.contains("新增 1 个部门") && listed.contains("- name: 调研宣传布") && listed.contains("slug: diaoyanxuanchuanbu-2"), "{listed}");
    let registry = fs::read_to_string(site.path().join("content/data/departments.yaml")).unwrap();
    assert!(registry.contains("- name: 调研宣传布"), "{registry}");
}

#[test]
fn a_genuinely_new_department_is_added_and_listed_for_review() {
    let site = real_registries();
    let raw = edited_seed(site.path(), NOTICE_2023, "（责任部门：调研宣传部", "（责任部门：数字传播处", "new.txt");
    let out = import(site.path(), &raw, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = stdout(&out);
    assert!(listed.contains("新增 1 个部门") && listed.contains("- name: 数字传播处") && listed.contains("slug: shuzichuanbochu"), "{listed}");
}

#[test]
fn a_department_written_with_a_full_width_space_or_reordered_is_refused() {
    // Against a registry that knows 省农技协 and 省老科协: the same name with a full-width
    // space inside, and 科老省协 (the characters of 省老科协 in another order).
    for (seed, written, known) in [(NOTICE_2023, "省农　技协", "省农技协"), (PLAN_2018, "科老省协", "省老科协")] {
        let site = real_registries();
        let raw = edited_seed(site.path(), seed, known, written, "odd.txt");
        let out = import(site.path(), &raw, &[]);
        assert_eq!(out.status.code(), Some(1), "{written}: {}", stderr(&out));
        assert!(stderr(&out).contains(&format!("与已有的 {known}")), "{written}: {}", stderr(&out));
    }
}

#[test]
fn a_near_miss_of_a_city_name_is_refused() {
    let site = real_registries();
    let raw = edited_seed(site.path(), COMPILATION_2024, "郑州市科协", "郑洲市科协", "reports.txt");
    let before = tree(site.path());
    let out = import(site.path(), &raw, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("新城市名称 郑洲市 与已有的 郑州市 读音相同"), "{}", stderr(&out));
    assert_eq!(tree(site.path()), before);
}

#[test]
fn a_plan_without_annotations_takes_its_lead_from_the_command_line() {
    // An empty folder: nothing to name the lead by, and nothing to check `--lead` against.
    let site = tempfile::tempdir().unwrap();
    let raw = common::repo_dir().join("../shared/seeds").join(SOCIETY_2021);
    let out = import(site.path(), &raw, &["--lead", "学会学术部"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = fs::read_to_string(site.path().join("content/plans/2021-society-work-points.md")).unwrap();
    assert!(plan.contains("lead_departments:\n- 学会学术部\n"), "{plan}");
    assert!(stdout(&out).contains("- name: 学会学术部"), "the new department is listed: {}", stdout(&out));
}

#[test]
fn lead_is_checked_against_the_registry_with_a_suggestion() {
    let site = real_registries();
    let raw = common::repo_dir().join("../shared/seeds").join(SOCIETY_2021);
    let before = tree(site.path());
    let out = import(site.path(), &raw, &["--lead", "学会学部"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("E0853") && stderr(&out).contains("是不是 学会学术部？"), "{}", stderr(&out));
    assert_eq!(tree(site.path()), before);
}

#[test]
fn a_plan_without_annotations_or_lead_gets_a_placeholder_that_check_refuses() {
    let site = tempfile::tempdir().unwrap();
    let raw = common::repo_dir().join("../shared/seeds").join(SOCIETY_2021);
    let out = import(site.path(), &raw, &[]);
    assert!(out.status.success(), "the plan is written, not refused with advice about an unwritten file: {}", stderr(&out));
    assert!(stderr(&out).contains("W0005") && stderr(&out).contains("--lead"), "{}", stderr(&out));
    fs::copy(common::repo_dir().join("tests/fixtures/editors/content/site.yaml"), site.path().join("content/site.yaml")).unwrap();
    let check = planport(site.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains("E0851") && stderr(&check).contains("牵头部门尚未填写"), "{}", stderr(&check));
}

#[test]
fn an_untouched_new_plan_skeleton_fails_check() {
    let site = fixture();
    let new = planport(site.path(), &["new", "plan", "--year", "2027", "--date", "2026-11-20"]);
    assert!(new.status.success(), "{}", stderr(&new));
    let check = planport(site.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    let err = stderr(&check);
    assert!(err.contains("E0850") && err.contains("未填写的占位文字 （事项正文。）"), "{err}");
    assert!(err.contains("plans/2027-work-points.md:"), "{err}");
}

/// Write `rel` into the fixture's content, then run `check` with `args`.
fn check_with(site: &TempDir, rel: &str, text: &str, args: &[&str]) -> Output {
    fs::write(site.path().join("content").join(rel), text).unwrap();
    let mut all = vec!["check"];
    all.extend(args);
    planport(site.path(), &all)
}

fn plan_dated(year: i32, date: &str) -> String {
    format!("---\ntitle: 河南省科协{year}年工作要点\nkind: plan\nyear: {year}\ndate: {date}\n---\n\n1. 开展科普日活动。（责任部门：科普部）\n")
}

#[test]
fn a_plan_dated_two_years_before_its_year_is_a_warning() {
    let site = fixture();
    let out = check_with(&site, "plans/2026-work-points.md", &plan_dated(2026, "2024-03-01"), &[]);
    assert!(out.status.success(), "a warning does not fail check: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("警告[W0001]") && err.contains("2024-03-01") && err.contains("2026"), "{err}");
    assert!(stdout(&out).contains("1 个警告"), "{}", stdout(&out));
}

#[test]
fn a_report_dated_before_the_year_it_reports_on_is_a_warning() {
    let site = fixture();
    let text = fs::read_to_string(site.path().join("content/reports/2026/zhengzhou.md")).unwrap().replace("date: 2026-03", "date: 2024-03");
    fs::create_dir_all(site.path().join("content/reports/2024")).unwrap();
    fs::remove_file(site.path().join("content/reports/2026/zhengzhou.md")).unwrap();
    let out = check_with(&site, "reports/2024/zhengzhou.md", &text, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("警告[W0002]") && stderr(&out).contains("早于它所汇报的年度 2025"), "{}", stderr(&out));
}

#[test]
fn a_date_after_today_is_a_warning_with_today_injected() {
    let site = fixture();
    let tomorrow = check_with(&site, "plans/2026-work-points.md", &plan_dated(2026, "2026-11-27"), &[]);
    assert!(tomorrow.status.success());
    assert!(stderr(&tomorrow).contains("警告[W0003]") && stderr(&tomorrow).contains(TODAY), "{}", stderr(&tomorrow));
    let today = check_with(&site, "plans/2026-work-points.md", &plan_dated(2026, "2026-11-26"), &[]);
    assert!(!stderr(&today).contains("W0003"), "today is not the future: {}", stderr(&today));
    let this_month = check_with(&site, "plans/2026-work-points.md", &plan_dated(2026, "2026-11"), &[]);
    assert!(!stderr(&this_month).contains("W0003"), "a month date is compared by month: {}", stderr(&this_month));
}

#[test]
fn a_heading_with_nothing_under_it_is_a_warning() {
    let site = fixture();
    let text = "---\ntitle: 河南省科协2026年工作要点\nkind: plan\nyear: 2026\n---\n\n## 一、加强科学普及\n\n## 二、服务科技工作者\n\n1. 开展科普日活动。（责任部门：科普部）\n\n## 三、其他\n";
    let out = check_with(&site, "plans/2026-work-points.md", text, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("标题“一、加强科学普及”下面没有内容") && err.contains("标题“三、其他”下面没有内容"), "{err}");
    assert!(!err.contains("二、服务科技工作者”下面"), "{err}");
    assert_eq!(err.matches("W0004").count(), 2, "{err}");
}

#[test]
fn deny_warnings_turns_warnings_into_exit_1_for_check_and_build() {
    let site = fixture();
    let out = check_with(&site, "plans/2026-work-points.md", &plan_dated(2026, "2024-03-01"), &["--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("W0001") && stderr(&out).contains("1 个警告，涉及 1 个文件"), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("加了 --deny-warnings：下面的警告按错误处理"), "says why it failed: {}", stderr(&out));
    let json = planport(site.path(), &["check", "--format", "json"]);
    assert!(json.status.success());
    let found: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(found[0]["code"], "W0001");
    assert_eq!(found[0]["severity"], "warning");
    let build = planport(site.path(), &["build", "--deny-warnings"]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    assert!(!site.path().join("output/index.html").exists(), "a denied build writes no site");
    let build = planport(site.path(), &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(stderr(&build).contains("W0001"), "build prints the warning: {}", stderr(&build));
}

#[test]
fn the_real_content_has_no_errors_and_no_warnings() {
    let out = Command::new(env!("CARGO_BIN_EXE_planport"))
        .args(["check", "--deny-warnings", "--format", "json", "--content"])
        .arg(common::repo_dir().join("content"))
        .env("PLANPORT_TODAY", TODAY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out).trim(), "[]");
}

/// Thousands of warnings (one systematic slip across many files) do not bury the rest: the
/// human format shows the first 30 and counts the others; JSON lists every one.
#[test]
fn many_warnings_are_shown_thirty_and_counted() {
    let site = fixture();
    for n in 1..=40 {
        let text = plan_dated(2026, "2024-03-01").replace("2026年工作要点", &format!("2026年工作要点（第{n}批）"));
        fs::write(site.path().join(format!("content/plans/extra-{n:02}.md")), text).unwrap();
    }
    let out = planport(site.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("警告[W0001]").count(), 30, "{err}");
    assert!(err.contains("……另有 10 条未显示") && err.contains("40 个警告，涉及 40 个文件"), "{err}");
    let json = planport(site.path(), &["check", "--format", "json"]);
    let found: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 40);
}
