//! Parse stage: YAML as editors write it (front-matter, registries, site.yaml). Limits first,
//! then the slips of a Chinese keyboard (a full-width colon, space or digits), then serde; its
//! errors are told in the editor's words, at the line the editor has to change. Spans are byte
//! offsets into the YAML text; callers shift them into the file.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostics::{char_span, suggest};

/// A problem with a span into the text, before it is tied to a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanError {
    /// The diagnostic code (docs/errors.md).
    pub code: &'static str,
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl SpanError {
    pub fn new(code: &'static str, span: Range<usize>, message: impl Into<String>) -> Self {
        SpanError { code, span, message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same error at `offset` further on (YAML offsets → file offsets).
    pub fn shifted(self, offset: usize) -> Self {
        SpanError { span: self.span.start + offset..self.span.end + offset, ..self }
    }
}

/// Limits checked before any YAML is parsed. The YAML parser's time grows with nesting depth
/// times length (200 KB of `[` ran for minutes), and aliases let a short text stand for a huge
/// one; no front-matter or registry needs either.
pub const MAX_YAML_DEPTH: usize = 32;
/// Every `[` and `{` counts, nested or not (inside quotes too: a cheap, safe upper bound of
/// the depth the parser may see, whatever the quoting).
pub const MAX_YAML_BRACKETS: usize = 1000;
pub const MAX_YAML_ALIASES: usize = 100;

/// Refuse YAML that would be slow or huge to parse; the span points at the first character
/// past a limit.
pub fn check_yaml_limits(yaml: &str) -> Result<(), SpanError> {
    let (mut depth, mut brackets, mut aliases) = (0usize, 0usize, 0usize);
    let mut prev = '\n';
    let over = |code, i: usize, message: String, hint: &str| Err(SpanError::new(code, i..i + 1, message).hint(hint));
    for (i, c) in yaml.char_indices() {
        match c {
            '[' | '{' => {
                depth += 1;
                brackets += 1;
                if depth > MAX_YAML_DEPTH {
                    return over("E0119", i, format!("YAML 嵌套超过 {MAX_YAML_DEPTH} 层"), "一个键只写一个值或一个列表：删掉多余的“[”和“{”");
                }
                if brackets > MAX_YAML_BRACKETS {
                    return over("E0120", i, format!("YAML 中的“[”和“{{”超过 {MAX_YAML_BRACKETS} 个"), "列表请每项一行，写成“- 项目”，不要用“[…]”");
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            '*' if prev.is_whitespace() || matches!(prev, '[' | '{' | ',') => {
                aliases += 1;
                if aliases > MAX_YAML_ALIASES {
                    return over("E0121", i, format!("YAML 别名（“*名称”）超过 {MAX_YAML_ALIASES} 个"), "把值直接写出来，不要反复引用锚点");
                }
            }
            _ => {}
        }
        prev = c;
    }
    Ok(())
}

/// Read YAML into `T`: limits, full-width slips, then serde with its errors translated.
/// Slips are looked for first: the parser would fail a line later (`year：2023`), or not at
/// all (`date: ２０２３-03-17` is a valid string, then no valid date).
pub fn parse<T: DeserializeOwned>(yaml: &str) -> Result<T, SpanError> {
    check_yaml_limits(yaml)?;
    if let Some(slip) = find_slip(yaml) {
        return Err(slip);
    }
    serde_yaml::from_str(yaml).map_err(|e| translate(yaml, &e))
}

const FULL_WIDTH_SPACE: char = '\u{3000}';

fn is_full_width_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

/// The first slip of a Chinese keyboard in a key's line: `year：2023` (full-width colon),
/// `　title:` or `year:　2023` (full-width space), `year: ２０２３` (full-width digits). Each
/// is reported at its own character.
pub fn find_slip(yaml: &str) -> Option<SpanError> {
    let mut pos = 0;
    for raw in yaml.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let start = pos;
        let at = |i: usize| char_span(yaml, start + i);
        pos += raw.len();
        let indent = line.len() - line.trim_start_matches([' ', '\t', FULL_WIDTH_SPACE, '-']).len();
        if let Some(i) = line[..indent].find(FULL_WIDTH_SPACE) {
            return Some(full_width_space(at(i), "行首"));
        }
        let rest = &line[indent..];
        let key_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if key_len == 0 || rest.starts_with('#') {
            continue;
        }
        let key = &rest[..key_len];
        let after_key = &rest[key_len..];
        let gap = after_key.len() - after_key.trim_start_matches([' ', FULL_WIDTH_SPACE]).len();
        let colon = indent + key_len + gap;
        if let Some(i) = after_key[..gap].find(FULL_WIDTH_SPACE) {
            return Some(full_width_space(at(indent + key_len + i), &format!("键 {key} 后面")));
        }
        if after_key[gap..].starts_with('：') {
            return Some(
                SpanError::new("E0110", at(colon), format!("键 {key} 后面是全角冒号“：”"))
                    .hint(format!("把全角冒号“：”改为半角冒号“:”，并在后面空一格：{key}: …")),
            );
        }
        let Some(value) = after_key[gap..].strip_prefix(':') else { continue };
        if value.starts_with(FULL_WIDTH_SPACE) {
            return Some(full_width_space(at(colon + 1), &format!("键 {key} 的冒号后面")));
        }
        let value_at = colon + 1 + (value.len() - value.trim_start().len());
        let value = value.trim();
        let looks_numeric = value.chars().all(|c| c.is_ascii_digit() || is_full_width_digit(c) || " -－/.[],，年月日".contains(c));
        if let Some(i) = value.find(is_full_width_digit).filter(|_| looks_numeric) {
            let half: String = value.chars().map(|c| if is_full_width_digit(c) { char::from(b'0' + (c as u32 - '０' as u32) as u8) } else { c }).collect();
            return Some(
                SpanError::new("E0112", at(value_at + i), format!("{key} 的值“{value}”里有全角数字")).hint(format!("把全角数字改为半角数字：{key}: {half}")),
            );
        }
    }
    None
}

fn full_width_space(span: Range<usize>, place: &str) -> SpanError {
    SpanError::new("E0111", span, format!("{place}有一个全角空格“　”")).hint("把全角空格“　”改为半角空格（YAML 只认半角空格）")
}

/// serde_yaml's error in the editor's words, at the line to change.
fn translate(yaml: &str, e: &serde_yaml::Error) -> SpanError {
    let full = e.to_string();
    // `<path>: <problem> at line L column C, while <context> at line L2 column C2`
    let (main, context) = match full.split_once(", while ") {
        Some((m, c)) => (m, Some(c)),
        None => (full.as_str(), None),
    };
    let main = main.split(" at line ").next().unwrap_or(main);
    let at = e.location().map_or(0, |l| l.index()).min(yaml.len());
    let context_at = context.and_then(|c| position_in(yaml, c));
    const KINDS: [&str; 7] =
        ["invalid type: ", "invalid value: ", "unknown field `", "unknown variant `", "missing field `", "duplicate field `", "invalid length "];
    let (path, problem) = match KINDS.iter().filter_map(|k| main.find(k)).min() {
        Some(i) => (main[..i].trim_end_matches(": "), &main[i..]),
        None => ("", main),
    };
    // `lead_departments[1]` and `[0].slug` are a key's values: name the key.
    let key = path.rsplit('.').next().unwrap_or(path).split('[').next().unwrap_or("");
    let span = |i: usize| char_span(yaml, i);

    if let Some(rest) = problem.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let valid = backticked(expected);
        let field = field.trim_matches(FULL_WIDTH_SPACE);
        let at = if at == 0 { key_line(yaml, field).unwrap_or(0) } else { at };
        let message = match suggest(field, valid.iter().copied()) {
            Some(s) => format!("未知的键 {field}，您是否想写 {s}？"),
            None => format!("未知的键 {field}"),
        };
        let hint = if valid.is_empty() { "这里不能写键".to_string() } else { format!("可用的键：{}", valid.join("、")) };
        return SpanError::new("E0113", span(at), message).hint(hint);
    }
    if let Some(rest) = problem.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return SpanError::new("E0114", span(at), format!("缺少键 {field}")).hint(format!("加上一行“{field}: …”"));
    }
    if let Some(rest) = problem.strip_prefix("duplicate field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        // serde_yaml places a duplicate at the start of the mapping; point at the repeat.
        let at = second_key_line(yaml, field).unwrap_or(at);
        return SpanError::new("E0118", span(at), format!("键 {field} 出现了两次")).hint("每个键只能写一次：删掉其中一行");
    }
    if let Some(rest) = problem.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let valid = backticked(expected);
        let message = match suggest(value, valid.iter().copied()) {
            Some(s) => format!("{key} 的值 {value} 无效，您是否想写 {s}？"),
            None => format!("{key} 的值 {value} 无效"),
        };
        return SpanError::new("E0117", span(at), message).hint(format!("可选的值：{}", valid.join("、")));
    }
    if let Some(rest) = problem.strip_prefix("invalid type: ").or_else(|| problem.strip_prefix("invalid value: ")) {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return wrong_type(key, found, expected, span(at));
    }
    if problem.starts_with("invalid length") {
        return SpanError::new("E0115", span(at), format!("{key} 的项数不对")).hint("检查列表里的项数");
    }
    syntax_error(yaml, problem, at, context_at)
}

/// `year 应为数字，例如 2023`: what the key holds, in words an editor uses.
fn wrong_type(key: &str, found: &str, expected: &str, span: Range<usize>) -> SpanError {
    let (wanted, example, hint) = match expected {
        e if e.starts_with('i') || e.starts_with('u') || e.starts_with('f') => ("数字", "2023", "用半角阿拉伯数字书写，不加引号"),
        "a string" => ("一段文字", "河南省科协2023年工作要点", "值以“[”“{”“-”等符号开头时，请用引号把整个值括起来"),
        "a sequence" => ("列表", "[科普部, 学会学术部]", "列表写成“[甲, 乙]”，或在下面每项一行写“- 甲”"),
        "a boolean" => ("true 或 false", "true", "只能写 true（是）或 false（否）"),
        e if e.starts_with("struct") || e.starts_with("a map") => ("一组“键: 值”", "name: 科普部", "每项是一组“键: 值”的行，注意缩进"),
        _ => ("其他类型的值", "", "检查这个值的写法"),
    };
    let found = match found.split_once(' ') {
        Some(("string", s)) => format!("文字 {s}"),
        Some(("integer" | "floating", n)) => format!("数字 {}", n.trim_matches('`')),
        Some(("boolean", b)) => b.trim_matches('`').to_string(),
        _ => match found {
            "sequence" => "列表".to_string(),
            "map" => "一组“键: 值”".to_string(),
            "unit value" => "空值".to_string(),
            other => other.to_string(),
        },
    };
    let what = if key.is_empty() { "整个文件".to_string() } else { key.to_string() };
    let message = if example.is_empty() {
        format!("{what} 应为{wanted}，这里写的是{found}")
    } else {
        format!("{what} 应为{wanted}，例如 {example}；这里写的是{found}")
    };
    SpanError::new("E0115", span, message).hint(hint)
}

/// The parser's own complaints (the text is no YAML) in words, at the line to change.
fn syntax_error(yaml: &str, problem: &str, at: usize, context_at: Option<usize>) -> SpanError {
    let span = |i: usize| char_span(yaml, i);
    let line_start = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
    let first_char = |i: usize| i + (yaml[i..].len() - yaml[i..].trim_start_matches(' ').len());
    if problem.contains("tab character") || (problem.contains("cannot start any token") && yaml[at..].starts_with('\t')) {
        let tab = yaml[line_start..].find('\t').map_or(at, |i| line_start + i);
        return SpanError::new("E0108", span(tab), "这里用 Tab 键缩进了").hint("YAML 只能用空格缩进：把 Tab 改为两个空格");
    }
    if problem.starts_with("found unexpected end of stream") {
        let open = context_at.unwrap_or(at);
        return SpanError::new("E0107", span(open), "引号没有闭合").hint("在值的末尾补上配对的引号（\" 或 '），整个值写在同一行");
    }
    if problem.contains("cannot start any token") {
        let c = yaml[at..].chars().next().unwrap_or(' ');
        return SpanError::new("E0106", span(at), format!("值不能以“{c}”开头")).hint(format!("用引号把整个值括起来，例如 title: \"{c}…{c}\""));
    }
    if problem.starts_with("could not find expected ':'") {
        let key_at = context_at.unwrap_or(line_start);
        return SpanError::new("E0106", span(key_at), "这一行缺少冒号“:”").hint("每行写成“键: 值”：半角冒号，冒号后空一格");
    }
    if problem.starts_with("mapping values are not allowed") {
        let indented = yaml[line_start..].starts_with(' ') && !yaml[line_start..at].contains(": ");
        if indented {
            return SpanError::new("E0109", span(first_char(line_start)), "这一行的缩进不对").hint("同一层的键要左边对齐：删掉行首多出的空格");
        }
        return SpanError::new("E0122", span(at), "值里有“: ”，被当成了另一个键").hint("值里含有冒号加空格时，请用引号把整个值括起来，例如 title: \"甲: 乙\"");
    }
    if problem.starts_with("did not find expected ',' or ']'") || problem.starts_with("did not find expected ',' or '}'") {
        let open = context_at.unwrap_or(at);
        return SpanError::new("E0106", span(open), "方括号或花括号没有配对").hint("在同一行的末尾补上“]”或“}”");
    }
    // `title: "甲"（修订1）`: text after the quote that closed the value, on its line.
    let closed_quote = Some(&yaml[line_start..at])
        .filter(|_| problem.contains("expected key"))
        .and_then(|before| before.trim_end_matches(' ').chars().last())
        .filter(|c| matches!(c, '"' | '\''));
    if let Some(q) = closed_quote {
        return SpanError::new("E0106", span(at), format!("值的引号 {q} 在这里之前已经结束，后面的文字不属于这个值"))
            .hint("把整个值写在一对引号里，例如 title: \"河南省科协工作要点（修订）\"");
    }
    if problem.contains("expected key") || problem.contains("not allowed in this context") || problem.contains("'-' indicator") {
        return SpanError::new("E0109", span(first_char(line_start)), "这一行的缩进不对").hint("同一层的键或列表项要左边对齐，缩进只用空格");
    }
    SpanError::new("E0106", span(at), "YAML 格式有误").hint("每行一个“键: 值”（半角冒号，冒号后空一格）；值里有“:”或“#”时用引号括起来")
}

/// `` `a`, `b` or `c` `` → `[a, b, c]`.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The byte offset of `… at line L column C` (1-based; the column in characters).
fn position_in(yaml: &str, context: &str) -> Option<usize> {
    let rest = context.rsplit_once(" at line ")?.1;
    let (line, column) = rest.split_once(" column ")?;
    let (line, column): (usize, usize) = (line.trim().parse().ok()?, column.trim().parse().ok()?);
    let start: usize = yaml.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
    let offset = yaml[start..].char_indices().nth(column.saturating_sub(1)).map_or(yaml.len(), |(i, _)| start + i);
    Some(offset.min(yaml.len()))
}

/// Byte offset of the first line that starts (after indentation) with `key`.
fn key_line(yaml: &str, key: &str) -> Option<usize> {
    let mut pos = 0;
    for line in yaml.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', FULL_WIDTH_SPACE]).len();
        if line[indent..].starts_with(key) {
            return Some(pos + indent);
        }
        pos += line.len();
    }
    None
}

/// Byte offset of the second line that starts with `key:`.
fn second_key_line(yaml: &str, key: &str) -> Option<usize> {
    let mut pos = 0;
    let mut seen = 0;
    for line in yaml.split_inclusive('\n') {
        if line.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')) {
            seen += 1;
            if seen == 2 {
                return Some(pos);
            }
        }
        pos += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        #[serde(default)]
        year: Option<i32>,
        #[serde(default)]
        lead_departments: Vec<String>,
    }

    fn error(yaml: &str) -> SpanError {
        parse::<Meta>(yaml).unwrap_err()
    }

    /// The text the error's span starts at.
    fn at<'a>(yaml: &'a str, e: &SpanError) -> &'a str {
        &yaml[e.span.start..]
    }

    #[test]
    fn text_after_a_closing_quote_is_named_as_such() {
        for (yaml, rest) in [("title: \"甲乙\"（修订1）\nyear: 2023\n", "（修订1）\nyear: 2023\n"), ("title: '甲乙' 丙\n", "丙\n")] {
            let e = error(yaml);
            assert_eq!((e.code, at(yaml, &e)), ("E0106", rest));
            assert!(e.message.contains("引号") && e.message.contains("已经结束"), "{}", e.message);
        }
        // A key out of line is still an indentation error.
        let yaml = "title: \"甲\"\n year: 2023\n";
        assert_eq!(error(yaml).code, "E0109");
    }

    #[test]
    fn a_full_width_colon_is_found_on_its_own_line() {
        let yaml = "title: 甲\nyear：2023\nlead_departments: []\n";
        let e = error(yaml);
        assert_eq!((e.code, at(yaml, &e)), ("E0110", "：2023\nlead_departments: []\n"));
    }

    #[test]
    fn full_width_spaces_are_found_before_a_key_and_after_a_colon() {
        let yaml = "title: 甲\n\u{3000}year: 2023\n";
        assert_eq!(at(yaml, &error(yaml)), "\u{3000}year: 2023\n");
        let yaml = "title: 甲\nyear:\u{3000}2023\n";
        assert_eq!((error(yaml).code, at(yaml, &error(yaml))), ("E0111", "\u{3000}2023\n"));
    }

    #[test]
    fn full_width_digits_are_found_but_not_in_a_title() {
        let yaml = "title: 甲\nyear: ２０２３\n";
        let e = error(yaml);
        assert_eq!((e.code, e.hint.as_deref()), ("E0112", Some("把全角数字改为半角数字：year: 2023")));
        assert!(parse::<Meta>("title: ２０２３年工作要点\n").is_ok(), "a title may hold full-width digits");
    }

    #[test]
    fn a_wrong_type_is_told_in_the_editors_words() {
        let e = error("title: 甲\nyear: 二〇二三\n");
        assert_eq!(e.code, "E0115");
        assert!(e.message.starts_with("year 应为数字，例如 2023"), "{}", e.message);
        let e = error("title: 甲\nlead_departments: 科普部\n");
        assert!(e.message.starts_with("lead_departments 应为列表"), "{}", e.message);
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let yaml = "title: \"甲\nyear: 2023\n";
        let e = error(yaml);
        assert_eq!((e.code, at(yaml, &e)), ("E0107", yaml.strip_prefix("title: ").unwrap()));
    }

    #[test]
    fn a_tab_is_named() {
        let yaml = "title: 甲\n\tyear: 2023\n";
        assert_eq!(error(yaml).code, "E0108");
    }

    #[test]
    fn a_line_without_colon_is_reported_at_that_line() {
        let yaml = "title: 甲\nyear 2023\nlead_departments: []\n";
        let e = error(yaml);
        assert_eq!((e.code, at(yaml, &e)), ("E0106", "year 2023\nlead_departments: []\n"));
    }

    #[test]
    fn a_missing_key_and_a_misspelled_one_are_named() {
        assert_eq!(error("year: 2023\n").message, "缺少键 title");
        let e = error("title: 甲\nlead_department: []\n");
        assert_eq!(e.message, "未知的键 lead_department，您是否想写 lead_departments？");
        assert_eq!(e.hint.as_deref(), Some("可用的键：title、year、lead_departments"));
    }
}
