//! Chinese-text rules shared by the importer, the extractor and the renderer: which characters
//! are CJK, where spaces are PDF artifacts, and when a line break must not become a space.

/// Han ideographs (and the CJK symbol block's 〇).
pub fn is_ideograph(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}' | '〇')
}

/// Full-width punctuation used in Chinese text (。，、；：？！“”‘’（）《》〔〕【】…—·).
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}' | '“' | '”' | '‘' | '’'
        | '…' | '—' | '·' | '•')
}

/// Characters next to which a line break is no word boundary.
pub fn is_cjk(c: char) -> bool {
    is_ideograph(c) || is_cjk_punct(c)
}

/// Remove the spaces that PDF extraction leaves in Chinese text: any run of spaces next to
/// full-width punctuation, and between an ideograph and an ASCII digit (`2023 年` → `2023年`).
/// Spaces between two ideographs (`党旗领航 学会添彩`) or next to Latin words (`SCI 论文`)
/// are kept: they are in the official text.
pub fn normalize_spaces(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' || c == '\u{3000}' || c == '\t' {
            let run_end = chars[i..].iter().position(|&c| !(c == ' ' || c == '\u{3000}' || c == '\t')).map_or(chars.len(), |p| i + p);
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(run_end).copied();
            if !is_stray_space(before, after) {
                out.push(' ');
            }
            i = run_end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out.trim().to_string()
}

fn is_stray_space(before: Option<char>, after: Option<char>) -> bool {
    match (before, after) {
        (None, _) | (_, None) => true,
        (Some(b), Some(a)) => is_cjk_punct(b) || is_cjk_punct(a) || (is_ideograph(b) && a.is_ascii_digit()) || (b.is_ascii_digit() && is_ideograph(a)),
    }
}

/// Remove every space between two CJK characters as well: for titles and other lines that the
/// PDF wrapped, where no space is meaningful.
pub fn normalize_title(line: &str) -> String {
    let line = normalize_spaces(line);
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let b = i.checked_sub(1).map(|j| chars[j]);
            let a = chars.get(i + 1).copied();
            if matches!((b, a), (Some(b), Some(a)) if is_cjk(b) && is_cjk(a)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A soft line break between `before` and `after` is no space when either side is CJK.
pub fn joins_without_space(before: Option<char>, after: Option<char>) -> bool {
    matches!((before, after), (Some(b), Some(a)) if is_cjk(b) || is_cjk(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_spaces_between_digits_and_ideographs() {
        assert_eq!(normalize_spaces("河南省科协 2023 年工作要点"), "河南省科协2023年工作要点");
        assert_eq!(normalize_spaces("分别达到 10 个、48 个"), "分别达到10个、48个");
    }

    #[test]
    fn removes_spaces_next_to_full_width_punctuation() {
        assert_eq!(normalize_spaces("建好全省科技场馆龙头。 坚定锚定"), "建好全省科技场馆龙头。坚定锚定");
        assert_eq!(normalize_spaces("(一) 围绕"), "(一) 围绕");
        assert_eq!(normalize_spaces("“5610” 总体安排"), "“5610”总体安排");
    }

    #[test]
    fn keeps_meaningful_spaces() {
        assert_eq!(normalize_spaces("以“党旗领航 学会添彩”为引领"), "以“党旗领航 学会添彩”为引领");
        assert_eq!(normalize_spaces("高等学校 SCI 论文"), "高等学校 SCI 论文");
    }

    #[test]
    fn titles_lose_every_space_between_cjk() {
        assert_eq!(
            normalize_title("河南省科协办公室 关于印发《河南省科协 2025 年学会学术 工作要点》的通知"),
            "河南省科协办公室关于印发《河南省科协2025年学会学术工作要点》的通知"
        );
    }
}
