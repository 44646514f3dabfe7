//! The responsibility annotation that ends a plan item:
//! `（责任部门：科普部，科普中心，各省辖市和济源示范区科协）`, also `责任单位`, half-width
//! brackets and colons, and the separators 、 ， , ；.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;

/// A name written in an annotation, with its byte span into the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Range<usize>,
}

/// A parsed annotation. Spans are byte ranges into the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// `责任部门` or `责任单位`, as written.
    pub label: String,
    /// The names in their comma groups, in the order written. The source separates groups
    /// with `，` and names within a group with `、`: 2023 writes the lead 部室 first, then the
    /// 直属单位, then the collectives (`办公室、科普部，机关各部室和各直属事业单位，各全省学会`);
    /// 2018 puts every name in a group of its own.
    pub groups: Vec<Vec<Name>>,
    /// Participation notes written among the names (`相关部门参与`): who else takes part, not a
    /// department.
    pub notes: Vec<Name>,
    /// From the opening bracket to the closing one (or the end of the text).
    pub span: Range<usize>,
    /// Whether the closing bracket is there.
    pub closed: bool,
}

impl Annotation {
    /// Every name with the index of its group, in the order written.
    pub fn names(&self) -> impl Iterator<Item = (usize, &Name)> {
        self.groups.iter().enumerate().flat_map(|(g, names)| names.iter().map(move |n| (g, n)))
    }
}

pub const LABELS: [&str; 2] = ["责任部门", "责任单位"];

/// Every label in `text`, in order: byte offset and label. Both begin with 责任, so one search for
/// it, with a searcher set up once, finds them (`str::match_indices`/`rfind` set one up for each
/// label at every call, which cost more than the search in an item's text).
pub fn label_matches(text: &str) -> impl Iterator<Item = (usize, &'static str)> + '_ {
    static LABEL_START: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("责任"));
    LABEL_START.find_iter(text.as_bytes()).filter_map(move |i| LABELS.iter().find(|l| text[i..].starts_with(*l)).map(|l| (i, *l)))
}

/// Parse the annotation that ends `text`: the last one, when an item has more than one (the
/// rule the whole pipeline uses: extract, check and render read this result).
pub fn parse_annotation(text: &str) -> Option<Annotation> {
    let (label_at, label) = label_matches(text).last()?;
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
    let mut groups: Vec<Vec<Name>> = vec![Vec::new()];
    let mut start = list_start;
    for (i, c) in text[list_start..list_end].char_indices() {
        let group_break = matches!(c, '，' | ',' | '；' | ';');
        if group_break || c == '、' {
            push_name(text, start..list_start + i, groups.last_mut().expect("one group"));
            start = list_start + i + c.len_utf8();
        }
        if group_break {
            groups.push(Vec::new());
        }
    }
    push_name(text, start..list_end, groups.last_mut().expect("one group"));
    let mut notes = Vec::new();
    for group in &mut groups {
        notes.extend(group.extract_if(.., |n| is_participation_note(&n.text)));
        join_distributed_collective(text, group);
    }
    groups.retain(|g| !g.is_empty());
    Some(Annotation { label: label.to_string(), groups, notes, span: open_at..span_end, closed })
}

/// `相关部门参与`, `相关部室和单位共同参与`: a note on who takes part, not a unit.
fn is_participation_note(name: &str) -> bool {
    name.ends_with("参与")
}

/// `各高校科协、企业科协、医疗卫生机构科协`: a group whose first name opens with 各 and whose
/// other names do not is one collective — the 各 reaches over the whole list (every
/// university's, enterprise's and hospital's association), so 企业科协 alone is no unit.
fn join_distributed_collective(text: &str, group: &mut Vec<Name>) {
    let distributed = group.len() > 1 && group[0].text.starts_with('各') && group[1..].iter().all(|n| !n.text.starts_with('各'));
    if distributed {
        let span = group[0].span.start..group[group.len() - 1].span.end;
        *group = vec![Name { text: text[span.clone()].to_string(), span }];
    }
}

fn push_name(text: &str, range: Range<usize>, names: &mut Vec<Name>) {
    let raw = &text[range.clone()];
    let name = raw.trim();
    if name.is_empty() {
        return;
    }
    let lead = raw.len() - raw.trim_start().len();
    let start = range.start + lead;
    names.push(Name { text: name.to_string(), span: start..start + name.len() });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        parse_annotation(text).unwrap().names().map(|(_, n)| n.text.clone()).collect()
    }

    #[test]
    fn labels_are_found_in_order_with_their_word() {
        let text = "压实责任，责任部门、责任单位（责任部门：科普部）";
        let found: Vec<(usize, &str)> = label_matches(text).collect();
        let mut expected: Vec<(usize, &str)> = LABELS.iter().flat_map(|l| text.match_indices(l)).collect();
        expected.sort();
        assert_eq!(found, expected);
        assert_eq!(found.len(), 3);
    }

    fn groups(text: &str) -> Vec<Vec<String>> {
        parse_annotation(text).unwrap().groups.iter().map(|g| g.iter().map(|n| n.text.clone()).collect()).collect()
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
    fn commas_separate_groups_and_enumeration_commas_names_within_a_group() {
        assert_eq!(
            groups("（责任部门：组织人事部、学会学术部、科普部，人才发展中心、学会服务中心、科普中心，各省辖市和济源示范区科协）"),
            [vec!["组织人事部", "学会学术部", "科普部"], vec!["人才发展中心", "学会服务中心", "科普中心"], vec!["各省辖市和济源示范区科协"]]
        );
    }

    #[test]
    fn participation_notes_are_not_names() {
        let a = parse_annotation("（责任部门：调研宣传部，办公室，机关党委，相关部室和单位共同参与）").unwrap();
        assert_eq!(a.groups.len(), 3);
        assert_eq!(a.notes[0].text, "相关部室和单位共同参与");
    }

    #[test]
    fn a_distributed_collective_is_one_name() {
        // 2023: 各 reaches over the list; 企业科协 alone would be no unit.
        assert_eq!(
            groups("（责任部门：科普部，各全省学会，各高校科协、企业科协、医疗卫生机构科协）"),
            [vec!["科普部"], vec!["各全省学会"], vec!["各高校科协、企业科协、医疗卫生机构科协"]]
        );
    }

    #[test]
    fn the_last_annotation_of_an_item_is_the_one_read() {
        let a = parse_annotation("甲（责任部门：办公室）。乙。（责任部门：科普部）").unwrap();
        assert_eq!(a.groups[0][0].text, "科普部");
    }

    #[test]
    fn accepts_responsible_unit_label() {
        let a = parse_annotation("拓展提升企业科技创新服务。（责任单位：省科技咨询服务中心）").unwrap();
        assert_eq!(a.label, "责任单位");
        assert_eq!(a.groups[0][0].text, "省科技咨询服务中心");
    }

    #[test]
    fn accepts_half_width_closing_bracket() {
        // 2023 工作要点 item 6: the PDF gave `科协)` after a page break.
        let a = parse_annotation("（责任部门：学会学术部，各高校科协、企业科协、医疗卫生机构科协)").unwrap();
        assert!(a.closed);
        assert_eq!(a.groups.last().unwrap()[0].text, "各高校科协、企业科协、医疗卫生机构科协");
    }

    #[test]
    fn accepts_half_width_opening_bracket_and_colon() {
        assert_eq!(names("一项工作。(责任部门:办公室)"), ["办公室"]);
    }

    #[test]
    fn spans_point_at_the_names() {
        let text = "工作。（责任部门：科普部，省科技馆）";
        let a = parse_annotation(text).unwrap();
        assert_eq!(&text[a.groups[1][0].span.clone()], "省科技馆");
        assert_eq!(&text[a.span.clone()], "（责任部门：科普部，省科技馆）");
    }

    #[test]
    fn no_annotation_without_bracket_and_label() {
        assert_eq!(parse_annotation("完善学会党建工作机制，实现党的组织全面覆盖。"), None);
        assert_eq!(parse_annotation("由责任部门负责"), None);
    }
}
