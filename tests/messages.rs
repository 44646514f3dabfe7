//! Issue 12, the messages: through the real binary, every message is Chinese with a code, names
//! its line and column, quotes a long line as a window that fits 80 columns with the caret
//! under the marked text (CJK characters take two columns), names the slips of a Chinese
//! keyboard at their own line, suggests the name meant, and speaks GitHub's workflow commands.

mod common;

use std::path::Path;
use std::process::Output;

use common::Diag;

/// The fixture site: a plan whose item 2 is one line of 300 characters naming 科普布 (for 科普部).
const LONG_PLAN: &str = "plans/2023-long-item.md";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/long-item"), dir.path());
    dir
}

fn planport(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_planport")).args(args).current_dir(dir).output().unwrap()
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join("content").join(rel)).unwrap()
}

/// Replace the first `from` in a content file, which must hold it.
fn replace(dir: &Path, rel: &str, from: &str, to: &str) {
    let text = read(dir, rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(dir.join("content").join(rel), text.replacen(from, to, 1)).unwrap();
}

/// 1-based line and column (in characters) of the first `needle`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap_or_else(|| panic!("no {needle:?}"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (text[..at].matches('\n').count() + 1, text[line_start..at].chars().count() + 1)
}

/// Display columns, counted here independently of the code under test: CJK ideographs,
/// full-width forms and CJK punctuation (（）：，。　) take two columns; ASCII, `“”` and `…`
/// one, as terminals show them.
fn columns(text: &str) -> usize {
    text.chars().map(|c| if ('\u{2e80}'..='\u{a4cf}').contains(&c) || ('\u{ff00}'..='\u{ff60}').contains(&c) { 2 } else { 1 }).sum()
}

/// `check --format json` and `check`: both exit 1 and report the same one problem; returns it
/// and the human output.
fn the_problem(dir: &Path) -> (Diag, String) {
    let json = planport(dir, &["check", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1), "{}", String::from_utf8_lossy(&json.stderr));
    let mut diags: Vec<Diag> = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = diags.remove(0);
    let human = planport(dir, &["check"]);
    assert_eq!(human.status.code(), Some(1));
    let stderr = String::from_utf8(human.stderr).unwrap();
    assert!(stderr.starts_with(&format!("错误[{}]：{}\n", d.code, d.message)), "{stderr}");
    assert!(stderr.contains(&format!("┌─ {}:{}:{}\n", d.file, d.line, d.column)), "{stderr}");
    assert!(stderr.trim_end().ends_with("1 个错误，涉及 1 个文件"), "{stderr}");
    (d, stderr)
}

#[test]
fn a_typo_in_a_long_item_is_shown_in_a_window_with_the_caret_under_it() {
    let dir = fixture();
    let text = read(dir.path(), LONG_PLAN);
    let long_line = text.lines().find(|l| l.contains("科普布")).unwrap();
    assert!(long_line.chars().count() >= 300, "the fixture's item is one long line");
    let (d, stderr) = the_problem(dir.path());
    assert_eq!(d.code, "E0201");
    assert_eq!(d.message, "未知的部门 科普布，您是否想写 科普部？");
    assert_eq!((d.file.as_str(), (d.line, d.column)), ("content/plans/2023-long-item.md", position(&text, "科普布")));
    assert!(d.hint.unwrap().contains("departments.yaml"));

    for line in stderr.lines().filter(|l| l.contains('│')) {
        assert!(columns(line) <= 80, "{} columns: {line}", columns(line));
    }
    let lines: Vec<&str> = stderr.lines().collect();
    let quoted = lines.iter().position(|l| l.contains("│ ") && l.contains("科普布")).expect("the line is quoted");
    let (source, carets) = (lines[quoted], lines[quoted + 1]);
    // The annotation ends the item: the window is cut before the mark and shows the line's end.
    assert!(source.contains("│ …") && source.ends_with("（责任部门：科普布，学会学术部）"), "cut before, whole after: {source}");
    let before_mark = &source[..source.find("科普布").unwrap()];
    let caret_at = &carets[..carets.find('^').expect("a caret line")];
    assert_eq!(columns(caret_at), columns(before_mark), "the caret starts under 科:\n{source}\n{carets}");
    assert_eq!(carets.trim_start_matches(|c| c != '^'), "^^^^^^", "three CJK characters, six columns");
}

#[test]
fn a_full_width_colon_is_named_at_its_own_line_and_column() {
    let dir = fixture();
    replace(dir.path(), LONG_PLAN, "year: 2023", "year：2023");
    let (d, _) = the_problem(dir.path());
    assert_eq!(d.code, "E0110");
    assert_eq!(d.message, "键 year 后面是全角冒号“：”");
    assert_eq!((d.line, d.column), position(&read(dir.path(), LONG_PLAN), "："));
    assert!(d.hint.unwrap().starts_with("把全角冒号“：”改为半角冒号“:”"));
}

#[test]
fn a_full_width_space_is_named_at_its_own_line_and_column() {
    let dir = fixture();
    replace(dir.path(), LONG_PLAN, "kind: plan", "kind:\u{3000}plan");
    let (d, _) = the_problem(dir.path());
    assert_eq!(d.code, "E0111");
    assert!(d.message.contains("全角空格"), "{d:?}");
    assert_eq!((d.line, d.column), position(&read(dir.path(), LONG_PLAN), "\u{3000}"));
    assert!(d.hint.unwrap().contains("半角空格"));
}

#[test]
fn full_width_digits_are_named_with_the_half_width_year() {
    let dir = fixture();
    replace(dir.path(), LONG_PLAN, "year: 2023", "year: ２０２３");
    let (d, _) = the_problem(dir.path());
    assert_eq!(d.code, "E0112");
    assert_eq!((d.line, d.column), position(&read(dir.path(), LONG_PLAN), "２"));
    assert_eq!(d.hint.as_deref(), Some("把全角数字改为半角数字：year: 2023"));
}

#[test]
fn full_width_digits_in_a_registry_are_named_too() {
    let dir = fixture();
    replace(dir.path(), "data/departments.yaml", "slug: kepubu", "slug: kepubu\n  years: [２０２３]");
    let (d, _) = the_problem(dir.path());
    assert_eq!((d.code.as_str(), d.file.as_str()), ("E0112", "content/data/departments.yaml"));
    assert_eq!((d.line, d.column), position(&read(dir.path(), "data/departments.yaml"), "２"));
}

#[test]
fn a_year_in_chinese_numerals_asks_for_a_number() {
    let dir = fixture();
    replace(dir.path(), LONG_PLAN, "year: 2023", "year: 二〇二三");
    let (d, _) = the_problem(dir.path());
    assert_eq!(d.code, "E0115");
    assert!(d.message.starts_with("year 应为数字，例如 2023"), "{d:?}");
    assert_eq!((d.line, d.column), position(&read(dir.path(), LONG_PLAN), "二〇二三"));
}

#[test]
fn a_misspelled_key_gets_did_you_mean_and_the_keys_once() {
    let dir = fixture();
    replace(dir.path(), LONG_PLAN, "title:", "titel:");
    let json = planport(dir.path(), &["check", "--format", "json"]);
    let diags: Vec<Diag> = serde_json::from_slice(&json.stdout).unwrap();
    let d = &diags[0];
    assert_eq!(d.code, "E0113");
    assert_eq!(d.message, "未知的键 titel，您是否想写 title？");
    assert_eq!((d.line, d.column), (2, 1));
    let hint = d.hint.as_deref().unwrap();
    assert!(hint.starts_with("可用的键：title、kind、year、"), "{hint}");
    let human = String::from_utf8(planport(dir.path(), &["check"]).stderr).unwrap();
    assert_eq!(human.matches("lead_departments").count(), 1, "the keys are listed once:\n{human}");
}

#[test]
fn check_speaks_github_workflow_commands() {
    let dir = fixture();
    let out = planport(dir.path(), &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let (line, col) = position(&read(dir.path(), LONG_PLAN), "科普布");
    let expected = format!("::error file=content/plans/2023-long-item.md,line={line},col={col},title=E0201::未知的部门 科普布，您是否想写 科普部？%0A提示：");
    assert!(stdout.starts_with(&expected), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "one command a problem: {stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 个错误"));
}

#[test]
fn help_is_chinese() {
    let out = planport(Path::new("."), &["check", "--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    for words in ["用法：", "选项", "内容文件夹（默认：content）", "github", "显示帮助"] {
        assert!(help.contains(words), "{words}:\n{help}");
    }
    for english in ["Usage:", "Options:", "[default:", "Print help", "[OPTIONS]"] {
        assert!(!help.contains(english), "{english}:\n{help}");
    }
    assert!(help.contains("用法：planport check [选项]"), "{help}");
    let top = String::from_utf8(planport(Path::new("."), &["--help"]).stdout).unwrap();
    assert!(top.contains("用法：planport <命令>") && !top.contains("COMMAND"), "{top}");
    let nested = String::from_utf8(planport(Path::new("."), &["new", "report", "--help"]).stdout).unwrap();
    assert!(nested.contains("用法：planport new report [选项] --city <城市>"), "{nested}");
}

/// A mistyped command line is answered in Chinese too, with clap's own suggestion, exit 2.
#[test]
fn a_mistyped_command_line_is_answered_in_chinese_with_a_suggestion() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_planport")).args(args).output().unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, err) = run(&["buld"]);
    assert_eq!(code, Some(2));
    assert!(err.starts_with("错误[E0904]：没有 buld 这个命令") && err.contains("您是否想写 build？"), "{err}");
    let (_, err) = run(&["check", "--formt", "json"]);
    assert!(err.contains("没有 --formt 这个选项") && err.contains("您是否想写 --format？"), "{err}");
    let (_, err) = run(&["check", "--format", "xml"]);
    assert!(err.contains("的值 xml 不对") && err.contains("human, json, github"), "{err}");
    let (code, err) = run(&["new", "plan", "--year", "二〇二六"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("的值 二〇二六 不对") && err.contains("例如 2026"), "{err}");
    assert!(!err.contains("error:") && !err.contains("Usage"), "no English left: {err}");
}

#[test]
fn timings_name_every_stage_in_chinese_with_its_cpu_and_memory() {
    let out_dir = tempfile::tempdir().unwrap();
    let output = out_dir.path().join("site");
    let content = common::content_dir();
    let out = planport(common::repo_dir(), &["build", "--content", content.to_str().unwrap(), "--output", output.to_str().unwrap(), "--timings"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let header =
        stderr.lines().position(|l| l.split_whitespace().eq(["用时/毫秒", "CPU/毫秒", "内存/MiB", "峰值/MiB", "阶段"])).unwrap_or_else(|| panic!("{stderr}"));
    // Each stage: wall ms, CPU ms (all threads), memory after it and the peak so far, name.
    let stages: Vec<(f64, f64, u64, u64, &str)> = stderr
        .lines()
        .skip(header + 1)
        .map_while(|l| match l.split_whitespace().collect::<Vec<_>>()[..] {
            [took, cpu, resident, peak, name] => Some((took.parse().ok()?, cpu.parse().ok()?, resident.parse().ok()?, peak.parse().ok()?, name)),
            _ => None,
        })
        .collect();
    let names: Vec<&str> = stages.iter().map(|s| s.4).collect();
    assert_eq!(names, ["占用输出文件夹", "读取文件", "解析与抽取", "检查文档", "索引与链接", "加载主题", "生成页面", "搜索索引", "替换输出文件夹"], "{stderr}");
    // The peak never falls (Linux reports it); a build of the real site uses some CPU.
    assert!(stages.windows(2).all(|w| w[0].3 <= w[1].3), "{stderr}");
    assert!(stages.last().unwrap().3 > 0, "{stderr}");
    assert!(stages.iter().map(|s| s.1).sum::<f64>() > 0.0, "{stderr}");
}
