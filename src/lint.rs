//! Check stage, part two: what a document would publish that its editor did not mean to —
//! placeholder text left by `planport new` (an error: it would publish invented words), and,
//! as warnings, dates that do not fit the document's year or lie in the future, and headings
//! with nothing under them. Pure functions of a parsed [`Document`]; "today" is a parameter.

use std::ops::Range;
use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use memchr::memmem;

use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::extract::BlockKind;
use crate::model::{Kind, PartialDate};
use crate::scaffold::PLACEHOLDERS;

/// Every finding about one document: errors and warnings together.
pub fn lint_document(doc: &Document, today: PartialDate) -> Vec<Diagnostic> {
    let mut found = placeholders(doc);
    found.extend(dates(doc, today));
    found.extend(empty_sections(doc));
    found
}

/// The environment variable that sets "today" (`YYYY-MM-DD`) for the future-date check, so
/// that tests and rebuilds of an old state of the site give the same answer every day.
pub const TODAY_VAR: &str = "PLANPORT_TODAY";

/// Today's date: [`TODAY_VAR`] when set, else the system clock in China Standard Time
/// (UTC+8), the time the association's documents are dated in.
pub fn today() -> Result<PartialDate, String> {
    if let Ok(value) = std::env::var(TODAY_VAR) {
        return match value.parse::<PartialDate>() {
            Ok(d) if d.day.is_some() => Ok(d),
            _ => Err(format!("环境变量 {TODAY_VAR}={value} 不是日期；请写成 YYYY-MM-DD")),
        };
    }
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) + 8 * 3600;
    Ok(civil_date(i64::try_from(seconds / 86_400).unwrap_or(0)))
}

/// The calendar date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> PartialDate {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    PartialDate { year, month, day: Some(day) }
}

/// Text `planport new` wrote for the editor to replace ([`PLACEHOLDERS`]), still there.
fn placeholders(doc: &Document) -> Vec<Diagnostic> {
    // One pass over the body for the （ they all begin with, then which one follows (eight
    // passes were 2% of a large build; an Aho-Corasick automaton of the eight, whose rare-byte
    // prefilter stops at almost every character of Chinese UTF-8, was 9%). Each holds one （
    // and none holds another, so the matches are those of each searched for alone.
    static OPEN: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("（"));
    let body = doc.body();
    OPEN.find_iter(body.as_bytes())
        .filter_map(|at| PLACEHOLDERS.into_iter().find(|p| body[at..].starts_with(p)).map(|text| (at, text)))
        .map(|(at, text)| {
            let start = doc.body_offset + at;
            Diagnostic::new("E0850", &doc.path, Some(start..start + text.len()), format!("未填写的占位文字 {text}"))
                .with_hint("这是 `planport new` 写下的填写提示，发布前换成正式文本；不需要的部分连同提示一起删除")
        })
        .collect()
}

/// `date` and `published` against the document's year and against today.
fn dates(doc: &Document, today: PartialDate) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if let Some(date) = doc.date {
        let at = front_matter_value(doc, "date");
        match doc.kind {
            Kind::Plan if (date.year - doc.year).abs() > 1 => found.push(
                Diagnostic::new("W0001", &doc.path, at.clone(), format!("计划的成文日期 {date} 与计划年度 {} 相差一年以上", doc.year))
                    .warning()
                    .with_hint("核对 `date`（成文日期）和 `year`（计划的年度）：年度计划通常在上一年末或当年印发"),
            ),
            Kind::Report if date.year < doc.year => found.push(
                Diagnostic::new("W0002", &doc.path, at.clone(), format!("报告的日期 {date} 早于它所汇报的年度 {}", doc.year))
                    .warning()
                    .with_hint("`year` 是报告所汇报工作的年度，`date` 是报送日期，报送不会早于该年度；核对两者"),
            ),
            _ => {}
        }
    }
    for (key, date) in [("date", doc.date), ("published", doc.published)] {
        if date.is_some_and(|d| is_after(d, today)) {
            let date = date.expect("checked");
            found.push(
                Diagnostic::new("W0003", &doc.path, front_matter_value(doc, key), format!("`{key}` {date} 在今天（{today}）之后"))
                    .warning()
                    .with_hint("日期照原件填写，不会晚于今天；核对年份和月份是否写错"),
            );
        }
    }
    found
}

/// Whether `date` is later than `today`, at the precision the date is written with
/// (`2026-11` is not after 2026-11-26).
fn is_after(date: PartialDate, today: PartialDate) -> bool {
    match date.day {
        Some(day) => (date.year, date.month, day) > (today.year, today.month, today.day.unwrap_or(1)),
        None => (date.year, date.month) > (today.year, today.month),
    }
}

/// Headings with nothing under them before the next heading of the same or a higher level
/// (or the end): a section the editor meant to fill, published empty.
fn empty_sections(doc: &Document) -> Vec<Diagnostic> {
    let body = doc.body();
    let mut found = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        let BlockKind::Heading(level) = block.kind else {
            continue;
        };
        let next = doc.blocks[i + 1..].iter().find(|b| matches!(b.kind, BlockKind::Heading(l) if l <= level)).map_or(body.len(), |b| b.span.start);
        if body.get(block.span.end..next).is_some_and(|under| under.trim().is_empty()) {
            let span = doc.body_offset + block.span.start..doc.body_offset + block.span.end;
            found.push(
                Diagnostic::new("W0004", &doc.path, Some(span), format!("标题“{}”下面没有内容", block.text))
                    .warning()
                    .with_hint("在标题下填写正文；这一节不需要的话，连同标题一起删除"),
            );
        }
    }
    found
}

/// The span of `key`'s value in the front-matter, for pointing at it.
fn front_matter_value(doc: &Document, key: &str) -> Option<Range<usize>> {
    let split = crate::front_matter::split(&doc.text).ok()?;
    Some(crate::front_matter::key_span(&split, key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;
    use crate::registry::Registry;

    #[test]
    fn placeholders_are_found_alone_in_one_pass() {
        // What `placeholders` relies on: they differ, each starts with its only （ and ends with
        // its only ）, and none holds another, so no two can overlap.
        for (i, a) in PLACEHOLDERS.iter().enumerate() {
            assert!(a.starts_with('（') && a.ends_with('）') && a.matches('（').count() == 1 && a.matches('）').count() == 1, "{a}");
            assert!(PLACEHOLDERS.iter().enumerate().all(|(j, b)| i == j || !a.contains(b)), "{a}");
        }
        // Ordinary brackets around and before them do not hide them.
        let doc = report(&format!("{}\n\n{}{}\n\n（附注（见上）{}）\n", PLACEHOLDERS[6], PLACEHOLDERS[5], PLACEHOLDERS[6], PLACEHOLDERS[6]));
        let found: Vec<String> = placeholders(&doc).into_iter().map(|d| d.message).collect();
        assert_eq!(found, [PLACEHOLDERS[6], PLACEHOLDERS[5], PLACEHOLDERS[6], PLACEHOLDERS[6]].map(|p| format!("未填写的占位文字 {p}")));
    }

    fn report(body: &str) -> Document {
        let text = format!("---\ntitle: 测试\nkind: report\nyear: 2025\ncity: 郑州市\ndate: 2026-03\n---\n\n{body}");
        let cities =
            SourceFile {
                rel: "data/cities.yaml".into(), path: "data/cities.yaml".into(), text: "- {name: 郑州市, short: 郑州, slug: zhengzhou}\n".into()
            };
        let registry = Registry::load(None, Some(&cities), None).unwrap();
        let file = SourceFile { rel: "reports/2026/zhengzhou.md".into(), path: "reports/2026/zhengzhou.md".into(), text: text.into() };
        crate::document::parse_document(&file, &registry).unwrap()
    }

    #[test]
    fn a_heading_over_a_filled_sub_heading_is_not_empty() {
        let doc = report("## 一、工作情况\n\n### （一）科普\n\n开展科普日。\n\n### （二）学会\n\n## 二、打算\n\n继续。\n");
        let empty: Vec<_> = empty_sections(&doc).into_iter().map(|d| d.message).collect();
        assert_eq!(empty, ["标题“（二）学会”下面没有内容"]);
    }

    #[test]
    fn every_placeholder_left_is_an_error_at_its_place() {
        let doc = report("## 一、工作情况\n\n（在此填写工作情况。）\n\n## 二、存在的问题\n\n（在此填写。）\n");
        let found = placeholders(&doc);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|d| d.severity == crate::Severity::Error && d.code == "E0850"));
        let first = found[0].span.clone().unwrap();
        assert_eq!(&doc.text[first], "（在此填写工作情况。）");
    }

    #[test]
    fn civil_dates_count_from_the_unix_epoch() {
        assert_eq!(civil_date(0).to_string(), "1970-01-01");
        assert_eq!(civil_date(20_513).to_string(), "2026-03-01");
        assert_eq!(civil_date(19_782).to_string(), "2024-02-29");
    }

    #[test]
    fn a_month_date_is_not_after_a_day_of_that_month() {
        let today: PartialDate = "2026-11-26".parse().unwrap();
        assert!(!is_after("2026-11".parse().unwrap(), today));
        assert!(is_after("2026-12".parse().unwrap(), today));
        assert!(!is_after("2026-11-26".parse().unwrap(), today));
        assert!(is_after("2026-11-27".parse().unwrap(), today));
    }
}
