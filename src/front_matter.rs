//! Parse stage, part one: split a document into its YAML front-matter and Markdown body, and
//! read the front-matter into typed metadata. Every error carries a byte span into the file.

use std::ops::Range;

use serde::Deserialize;

use crate::model::Kind;

/// The two halves of a document. Offsets are byte offsets into the whole file text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

pub use crate::yaml::{check_yaml_limits, SpanError, MAX_YAML_ALIASES, MAX_YAML_BRACKETS, MAX_YAML_DEPTH};

/// Front-matter holds a dozen short keys; anything near this size is a mistake, and YAML is
/// parsed only after this bound (the body may be far larger: see `load::MAX_DOCUMENT_BYTES`).
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// [`check_yaml_limits`] on the YAML half of a document, with the span in file offsets.
pub fn check_limits(split: &Split<'_>) -> Result<(), SpanError> {
    check_yaml_limits(split.yaml).map_err(|e| e.shifted(split.yaml_offset))
}

/// The YAML half of a document read into `T` ([`crate::yaml::parse`]), with the span in file
/// offsets.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(split: &Split<'_>) -> Result<T, SpanError> {
    crate::yaml::parse(split.yaml).map_err(|e| e.shifted(split.yaml_offset))
}

/// Front-matter is the block between a first line `---` and the next line `---`.
/// A UTF-8 byte-order mark and CRLF line endings are accepted.
pub fn split(text: &str) -> Result<Split<'_>, SpanError> {
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut lines = line_spans(text, start);
    let first = lines.next();
    match first {
        Some(r) if trim_eol(&text[r.clone()]) == "---" => {
            let yaml_offset = r.end;
            for line in lines {
                if trim_eol(&text[line.clone()]) == "---" {
                    if line.start - yaml_offset > MAX_FRONT_MATTER_BYTES {
                        return Err(SpanError::new(
                            "E0104",
                            start..yaml_offset.min(start + 3),
                            format!("前置信息有 {} KB，上限是 {} KB", (line.start - yaml_offset) / 1024, MAX_FRONT_MATTER_BYTES / 1024),
                        )
                        .hint("前置信息只写几个简短的键；正文写在第二个“---”行之后"));
                    }
                    return Ok(Split { yaml: &text[yaml_offset..line.start], yaml_offset, body: &text[line.end..], body_offset: line.end });
                }
            }
            Err(SpanError::new("E0102", start..yaml_offset.min(start + 3), "前置信息没有结束行“---”").hint("在正文之前加一行“---”，结束前置信息"))
        }
        _ if text[start..].trim().is_empty() => {
            Err(SpanError::new("E0103", start..start, "文件是空的").hint("文档以两行“---”之间的前置信息开头；可用 planport new 生成文档框架"))
        }
        _ => Err(SpanError::new("E0101", start..start, "文件没有以前置信息开头").hint("是不是忘了“---”行？第一行应是“---”，接着写 YAML 键，再以一行“---”结束")),
    }
}

/// Byte ranges of lines (each including its line ending) from `start`.
fn line_spans(text: &str, start: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = start;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let r = pos..end;
        pos = end;
        Some(r)
    })
}

fn trim_eol(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r']).trim_end()
}

/// The front-matter of a plan or report, exactly as written. Unknown keys are an error.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub kind: Option<Kind>,
    pub year: Option<i32>,
    #[serde(default)]
    pub slug: Option<String>,
    /// 发文机关
    #[serde(default)]
    pub issuer: Option<String>,
    /// 发文字号
    #[serde(default)]
    pub doc_number: Option<String>,
    /// 成文日期 (plans) or date of submission (reports)
    #[serde(default)]
    pub date: Option<String>,
    /// 发布日期
    #[serde(default)]
    pub published: Option<String>,
    /// 索引号
    #[serde(default)]
    pub index_no: Option<String>,
    /// 主题分类
    #[serde(default)]
    pub topic: Option<String>,
    /// 有效性 (e.g. 有效, 已废止), as the issuer states it.
    #[serde(default)]
    pub validity: Option<String>,
    /// 主送机关. When absent, a notice's recipients are read from its text.
    #[serde(default)]
    pub recipients: Option<String>,
    /// For plans without per-item annotations: who answers for every item.
    #[serde(default)]
    pub lead_departments: Vec<String>,
    /// Reports: the city association reporting.
    #[serde(default)]
    pub city: Option<String>,
    /// Reports: the compilation the report was published in.
    #[serde(default)]
    pub collection: Option<String>,
}

/// Parse the YAML half. `yaml_offset` turns YAML positions into file offsets.
pub fn parse(split: &Split<'_>) -> Result<FrontMatter, SpanError> {
    if split.yaml.trim().is_empty() {
        return Err(SpanError::new("E0105", split.yaml_offset..split.yaml_offset, "前置信息是空的").hint("在两行“---”之间至少写上 title:、kind: 和 year:"));
    }
    parse_yaml(split)
}

/// Byte span (in the file) of the value of a top-level key, or of the whole front-matter when
/// the key is absent. Used to point at the offending value of a key that parsed but is wrong.
pub fn key_span(split: &Split<'_>, key: &str) -> Range<usize> {
    let mut pos = 0;
    for line in split.yaml.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key) {
            if let Some(value) = rest.trim_start().strip_prefix(':') {
                let value_start = line.len() - value.len();
                let lead = value.len() - value.trim_start().len();
                let start = split.yaml_offset + pos + value_start + lead;
                let end = split.yaml_offset + pos + line.trim_end().len();
                return start..end.max(start);
            }
        }
        pos += line.len();
    }
    split.yaml_offset..split.yaml_offset + split.yaml.len()
}

/// Byte span of `needle` within the value of `key` (e.g. one department in a list).
pub fn value_span(split: &Split<'_>, key: &str, needle: &str) -> Range<usize> {
    let value = key_span(split, key);
    let mut search_from = value.start - split.yaml_offset;
    // A block list (`key:` then `- item` lines) lies after the key line.
    if value.is_empty() || split.yaml[search_from..].starts_with('\n') {
        search_from = value.start - split.yaml_offset;
    }
    match split.yaml[search_from..].find(needle) {
        Some(i) => {
            let s = split.yaml_offset + search_from + i;
            s..s + needle.len()
        }
        None => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_offsets() {
        let text = "---\ntitle: 甲\n---\n正文\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "title: 甲\n");
        assert_eq!(&text[s.body_offset..], "正文\n");
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let text = "\u{feff}---\r\ntitle: 甲\r\n---\r\n正文";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "title: 甲\r\n");
        assert_eq!(s.body, "正文");
    }

    #[test]
    fn reports_never_closed_front_matter_at_the_opening_line() {
        let e = split("---\ntitle: 甲\n正文\n").unwrap_err();
        assert_eq!((e.code, e.message.as_str()), ("E0102", "前置信息没有结束行“---”"));
        assert_eq!(e.span.start, 0);
    }

    #[test]
    fn reports_missing_front_matter_and_empty_file() {
        assert_eq!(split("正文").unwrap_err().code, "E0101");
        assert_eq!(split("").unwrap_err().message, "文件是空的");
    }

    #[test]
    fn unknown_key_is_an_error_pointing_at_the_key() {
        let text = "---\ntitle: 甲\ntitel: 乙\n---\n";
        let s = split(text).unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!(e.message, "未知的键 titel，您是否想写 title？");
        assert!(e.hint.as_deref().unwrap().starts_with("可用的键：title、kind、year"), "{e:?}");
        assert_eq!(crate::diagnostics::line_col(text, e.span.start).0, 3);
    }

    #[test]
    fn a_duplicate_key_is_reported_at_its_second_line() {
        let text = "---\ntitle: 甲\nyear: 2023\nyear: 2024\n---\n";
        let e = parse(&split(text).unwrap()).unwrap_err();
        assert_eq!(e.message, "键 year 出现了两次");
        assert_eq!(crate::diagnostics::line_col(text, e.span.start), (4, 1));
    }

    #[test]
    fn error_spans_never_cut_a_character() {
        let text = "---\n标题: 甲\n---\n";
        let e = parse(&split(text).unwrap()).unwrap_err();
        assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
    }

    #[test]
    fn yaml_limits_accept_ordinary_front_matter() {
        assert!(check_yaml_limits("title: 甲\nlead_departments: [科普部, 学会学术部]\nslug: a-b\n").is_ok());
        assert!(check_yaml_limits("title: 'a * b'\ntopic: x*y\n").is_ok(), "a `*` inside a word is no alias");
    }

    #[test]
    fn yaml_limits_count_brackets_wherever_they_stand() {
        // Quoting does not hide brackets from the count: the bound holds however the parser
        // reads the quotes.
        let quoted = format!("title: '{}'", "[".repeat(MAX_YAML_DEPTH + 1));
        assert!(check_yaml_limits(&quoted).unwrap_err().message.contains("嵌套超过"));
        let flat = "[]".repeat(MAX_YAML_BRACKETS + 1);
        assert!(check_yaml_limits(&flat).unwrap_err().message.contains("超过 1000 个"));
        let aliases: String = (0..=MAX_YAML_ALIASES).map(|i| format!("k{i}: *a\n")).collect();
        assert!(check_yaml_limits(&aliases).unwrap_err().message.contains("别名"));
    }

    #[test]
    fn front_matter_larger_than_the_limit_is_refused_at_its_first_line() {
        let text = format!("---\ntitle: {}\n---\n", "x".repeat(MAX_FRONT_MATTER_BYTES));
        let e = split(&text).unwrap_err();
        assert!(e.message.contains("上限是 64 KB"), "{}", e.message);
        assert_eq!(e.span.start, 0);
    }

    #[test]
    fn key_span_points_at_the_value() {
        let text = "---\ntitle: 甲\ndate: 2023-02-30\n---\n";
        let s = split(text).unwrap();
        assert_eq!(&text[key_span(&s, "date")], "2023-02-30");
    }
}
