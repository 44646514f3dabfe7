//! The responsibility annotation that ends a plan item:
//! `（责任部门：科普部，科普中心，各省辖市和济源示范区科协）`, also `责任单位`, half-width
//! brackets and colons, and the separators 、 ， , ；.

use std::ops::Range;

/// A parsed annotation. Spans are byte ranges into the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// `责任部门` or `责任单位`, as written.
    pub label: String,
    /// The names, in the order written, with their spans.
    pub names: Vec<(String, Range<usize>)>,
    /// From the opening bracket to the closing one (or the end of the text).
    pub span: Range<usize>,
    /// Whether the closing bracket is there.
    pub closed: bool,
}

const LABELS: [&str; 2] = ["责任部门", "责任单位"];

/// Parse the last annotation in `text`, if any.
pub fn parse_annotation(text: &str) -> Option<Annotation> {
    let (label_at, label) = LABELS.iter().filter_map(|l| text.rfind(l).map(|i| (i, *l))).max_by_key(|(i, _)| *i)?;
    let open = text[..label_at].trim_end();
    let open_at = if open.ends_with('（') {
        open.len() - '（'.len_utf8()
    } else if open.ends_with('(') {
        open.len() - 1
    } else {
        return None;
    };
    let after_label = &text[label_at + label.len()..];
    let colon = after_label.trim_start().chars().next().filter(|c| *c == '：' || *c == ':')?;
    let lead = after_label.len() - after_label.trim_start().len();
    let list_start = label_at + label.len() + lead + colon.len_utf8();
    let rest = &text[list_start..];
    let (list_end, closed, span_end) = match rest.find(['）', ')']) {
        Some(i) => {
            let close_len = rest[i..].chars().next().map_or(1, char::len_utf8);
            (list_start + i, true, list_start + i + close_len)
        }
        None => (text.len(), false, text.len()),
    };
    let mut names = Vec::new();
    let mut start = list_start;
    for (i, c) in text[list_start..list_end].char_indices() {
        if matches!(c, '、' | '，' | ',' | '；' | ';') {
            push_name(text, start..list_start + i, &mut names);
            start = list_start + i + c.len_utf8();
        }
    }
    push_name(text, start..list_end, &mut names);
    Some(Annotation { label: label.to_string(), names, span: open_at..span_end, closed })
}

fn push_name(text: &str, range: Range<usize>, names: &mut Vec<(String, Range<usize>)>) {
    let raw = &text[range.clone()];
    let name = raw.trim();
    if name.is_empty() {
        return;
    }
    let lead = raw.len() - raw.trim_start().len();
    let start = range.start + lead;
    names.push((name.to_string(), start..start + name.len()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        parse_annotation(text).unwrap().names.into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn splits_on_both_separators() {
        assert_eq!(
            names("深化提升全域科普试点工作。（责任部门：科普部，科普中心，各省辖市和济源示范区科协）"),
            ["科普部", "科普中心", "各省辖市和济源示范区科协"]
        );
        assert_eq!(
            names("（责任部门：机关党委、学会学术部、调研宣传部，机关各部室和各直属事业单位）"),
            ["机关党委", "学会学术部", "调研宣传部", "机关各部室和各直属事业单位"]
        );
    }

    #[test]
    fn accepts_responsible_unit_label() {
        let a = parse_annotation("拓展提升企业科技创新服务。（责任单位：省科技咨询服务中心）").unwrap();
        assert_eq!(a.label, "责任单位");
        assert_eq!(a.names[0].0, "省科技咨询服务中心");
    }

    #[test]
    fn accepts_half_width_closing_bracket() {
        // 2023 工作要点 item 6: the PDF gave `科协)` after a page break.
        let a = parse_annotation("（责任部门：学会学术部，各高校科协、企业科协、医疗卫生机构科协)").unwrap();
        assert!(a.closed);
        assert_eq!(a.names.last().unwrap().0, "医疗卫生机构科协");
    }

    #[test]
    fn accepts_half_width_opening_bracket_and_colon() {
        assert_eq!(names("一项工作。(责任部门:办公室)"), ["办公室"]);
    }

    #[test]
    fn spans_point_at_the_names() {
        let text = "工作。（责任部门：科普部，省科技馆）";
        let a = parse_annotation(text).unwrap();
        assert_eq!(&text[a.names[1].1.clone()], "省科技馆");
        assert_eq!(&text[a.span.clone()], "（责任部门：科普部，省科技馆）");
    }

    #[test]
    fn no_annotation_without_bracket_and_label() {
        assert_eq!(parse_annotation("完善学会党建工作机制，实现党的组织全面覆盖。"), None);
        assert_eq!(parse_annotation("由责任部门负责"), None);
    }
}
