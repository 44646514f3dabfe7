//! Diagnostics: every problem names a file, a line and a column, is collected, and is printed
//! once by the command that asked: for editors in Chinese with the source line and a caret
//! under the offending text, as JSON, or as GitHub workflow commands for CI.

use std::fmt;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

/// Whether a problem stops the build. Warnings are printed and do not fail `check` or
/// `build`, unless the editor asks for `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

impl Severity {
    /// The word printed before the code: `错误[E0201]`.
    fn word(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// One problem found in the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it (relative to the content directory's parent when possible).
    pub file: PathBuf,
    /// Byte range in the file's text; `None` when the problem is the file as a whole.
    pub span: Option<Range<usize>>,
    /// Stable code (`E0102`, `W0301`) that CI logs and docs/errors.md refer to; the message
    /// around it may be reworded, the code stays. Every diagnostic has one.
    pub code: &'static str,
    pub severity: Severity,
    /// What is wrong, in one sentence (Chinese: the editors read it).
    pub message: String,
    /// How to fix it (“您是否想写 科普部？”), when we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with its code: `Diagnostic::new("E0201", path, Some(span), "未知的部门 科普布")`.
    /// The code comes first so that no diagnostic is made without one; docs/errors.md explains
    /// each (a test holds the two in step).
    pub fn new(code: &'static str, file: impl Into<PathBuf>, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic { file: file.into(), span, code, severity: Severity::Error, message: message.into(), hint: None }
    }

    /// Make this a warning: printed, but the build goes on (see [`Severity`]).
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// 1-based line and column (in characters) of the start of the span.
    pub fn line_col(&self, text: &str) -> (usize, usize) {
        let offset = self.span.as_ref().map_or(0, |s| s.start.min(text.len()));
        line_col(text, offset)
    }
}

/// The span of the one character at byte `at` (or an empty span at the end): error positions
/// from parsers are byte offsets, and a span must not cut a character in two.
pub fn char_span(text: &str, at: usize) -> Range<usize> {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let len = text[at..].chars().next().map_or(0, char::len_utf8);
    at..at + len
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// All diagnostics of one run, with the source texts they point into.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Texts by path, for quoting; a map, since a site registers every one of its files.
    sources: std::collections::HashMap<PathBuf, String>,
}

/// One diagnostic as printed by `--format json`.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
    hint: Option<&'a str>,
}

/// Widest a quoted source line is printed, line-number gutter included, in display columns
/// (a CJK character or full-width punctuation mark takes two). Plan items are single lines of
/// 200–400 characters: longer lines are shown as a window around the marked text.
pub const WINDOW_COLUMNS: usize = 80;

/// Marks the ends of a line cut by the window.
const CUT: &str = "…";

/// The line of a diagnostic, cut to the window: the text before the marked part, the marked
/// part, and the text after, each as displayed (tabs as spaces, `…` where cut).
#[derive(Debug, PartialEq, Eq)]
struct Quote {
    before: String,
    marked: String,
    after: String,
}

impl Quote {
    /// The line holding the start of `span`, windowed to `budget` display columns.
    fn new(text: &str, span: Range<usize>, budget: usize) -> Quote {
        let span = clamp_span(text, span);
        let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let end = text[span.start..].find('\n').map_or(text.len(), |i| span.start + i);
        let line = text[start..end].trim_end_matches('\r');
        let mark_start = (span.start - start).min(line.len());
        let mark_end = (span.end.min(end) - start).clamp(mark_start, line.len());
        let (before, marked, after) = (shown(&line[..mark_start]), shown(&line[mark_start..mark_end]), shown(&line[mark_end..]));
        if width(&before) + width(&marked) + width(&after) <= budget {
            return Quote { before: before.concat(), marked: marked.concat(), after: after.concat() };
        }
        // Room for a cut mark on both sides; a marked part wider than the rest is cut too, and
        // then nothing after it is shown. Half of what is left goes to each side; a side that
        // needs less leaves its share to the other.
        let room = budget.saturating_sub(2 * display_width(CUT));
        let marked_kept = take_columns(&marked, room);
        let rest = room - width(&marked_kept);
        let right = width(&after).min(rest - (rest / 2).min(width(&before)));
        let left = width(&before).min(rest - right);
        let mut before_kept: Vec<String> = take_columns(&before.iter().rev().cloned().collect::<Vec<_>>(), left);
        before_kept.reverse();
        let after_kept = if marked_kept.len() < marked.len() { Vec::new() } else { take_columns(&after, right) };
        let mut q = Quote { before: before_kept.concat(), marked: marked_kept.concat(), after: after_kept.concat() };
        if before_kept.len() < before.len() {
            q.before.insert_str(0, CUT);
        }
        if marked_kept.len() + after_kept.len() < marked.len() + after.len() {
            q.after.push_str(CUT);
        }
        q
    }

    /// The caret line's carets: one per display column of the marked text, at least one.
    fn carets(&self) -> String {
        "^".repeat(display_width(&self.marked).max(1))
    }
}

/// Characters as displayed, one string each: a tab as four spaces, other control characters
/// as `�` (one column, so that the caret below stays in place).
fn shown(text: &str) -> Vec<String> {
    text.chars()
        .map(|c| match c {
            '\t' => "    ".to_string(),
            c if c.is_control() => "\u{fffd}".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The leading characters that fit in `columns`.
fn take_columns(chars: &[String], columns: usize) -> Vec<String> {
    let mut used = 0;
    chars
        .iter()
        .take_while(|c| {
            used += display_width(c);
            used <= columns
        })
        .cloned()
        .collect()
}

fn width(chars: &[String]) -> usize {
    chars.iter().map(|c| display_width(c)).sum()
}

/// Display columns of a text: two for CJK characters and full-width punctuation (“”（）：).
pub fn display_width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

impl Report {
    /// Remember a file's text so that messages can quote it. Texts that are not valid UTF-8
    /// are never registered; their diagnostics carry no span.
    pub fn add_source(&mut self, path: &Path, text: &str) {
        self.sources.entry(path.to_path_buf()).or_insert_with(|| text.to_string());
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(diagnostics);
    }

    /// Take in `other`'s diagnostics and the texts they quote.
    pub fn append(&mut self, other: Report) {
        for (path, text) in other.sources {
            self.sources.entry(path).or_insert(text);
        }
        self.diagnostics.extend(other.diagnostics);
    }

    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    fn source(&self, path: &Path) -> Option<&str> {
        self.sources.get(path).map(String::as_str)
    }

    /// Sort by file and position so that output is stable whatever order checks ran in.
    pub fn sort(&mut self) {
        let mut keyed: Vec<_> = self
            .diagnostics
            .drain(..)
            .map(|d| {
                let pos = d.span.as_ref().map_or(0, |s| s.start);
                (d.file.clone(), pos, d)
            })
            .collect();
        keyed.sort_by(|a, b| (&a.0, a.1, &a.2.message).cmp(&(&b.0, b.1, &b.2.message)));
        keyed.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.2.message == b.2.message);
        self.diagnostics = keyed.into_iter().map(|(_, _, d)| d).collect();
    }

    /// “2 个错误，涉及 1 个文件” (warnings counted apart when there are any).
    pub fn summary(&self) -> String {
        let mut files: Vec<&Path> = self.diagnostics.iter().map(|d| d.file.as_path()).collect();
        files.sort();
        files.dedup();
        let counts = match (self.errors(), self.warnings()) {
            (e, 0) => format!("{e} 个错误"),
            (0, w) => format!("{w} 个警告"),
            (e, w) => format!("{e} 个错误，{w} 个警告"),
        };
        format!("{counts}，涉及 {} 个文件", files.len())
    }

    /// Where a diagnostic is and the window of its line, when its file's text is known.
    fn locate(&self, d: &Diagnostic) -> Option<((usize, usize), Quote)> {
        let (text, span) = (self.source(&d.file)?, d.span.clone()?);
        let (line, col) = d.line_col(text);
        // The gutter (`123 │ `) is part of the window.
        let budget = WINDOW_COLUMNS - (line.to_string().len() + 3);
        Some(((line, col), Quote::new(text, span, budget)))
    }

    /// The editors' format: `错误[E0201]：message`, then `┌─ file:line:col` (the place an editor
    /// jumps to), the line windowed to [`WINDOW_COLUMNS`] with carets under the marked text, and
    /// the hint. `color` adds terminal colours to the first line.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let (on, off) = match (color, d.severity) {
                (false, _) => ("", ""),
                (true, Severity::Error) => ("\x1b[1;31m", "\x1b[0m"),
                (true, Severity::Warning) => ("\x1b[1;33m", "\x1b[0m"),
            };
            let _ = writeln!(out, "{on}{}[{}]{off}：{}", d.severity.word(), d.code, d.message);
            let located = self.locate(d);
            let gutter = located.as_ref().map_or(String::new(), |((line, _), _)| " ".repeat(line.to_string().len()));
            match located {
                Some(((line, col), q)) => {
                    let _ = writeln!(out, "{gutter} ┌─ {}:{line}:{col}", d.file.display());
                    let _ = writeln!(out, "{gutter} │");
                    let _ = writeln!(out, "{line} │ {}{}{}", q.before, q.marked, q.after);
                    let _ = writeln!(out, "{gutter} │ {}{}", " ".repeat(display_width(&q.before)), q.carets());
                }
                None => {
                    let _ = writeln!(out, " ┌─ {}", d.file.display());
                }
            }
            if let Some(hint) = &d.hint {
                let _ = writeln!(out, "{gutter} = 提示：{hint}");
            }
            out.push('\n');
        }
        out
    }

    /// [`Report::render`] of the first `shown` diagnostics (sorted), a line counting the rest,
    /// and the summary of them all: a site with one systematic slip can have thousands of
    /// warnings, and the terminal would scroll everything else away.
    pub fn render_first(&mut self, shown: usize, color: bool) -> String {
        self.sort();
        let summary = self.summary();
        let hidden = self.diagnostics.split_off(shown.min(self.diagnostics.len()));
        let mut out = self.render(color);
        if !hidden.is_empty() {
            let _ = writeln!(out, "……另有 {} 条未显示（planport check --format json 列出全部）", hidden.len());
        }
        self.diagnostics.extend(hidden);
        let _ = writeln!(out, "{summary}");
        out
    }

    /// The same as [`Report::render`], as HTML for the serve error page: per diagnostic a
    /// paragraph with the message, the quoted line in a `<pre>` (never wrapped: a wrapped line
    /// would part the carets from their text), and a paragraph with the hint. The caret line
    /// repeats the text before the mark, invisible, so the carets start under the marked text
    /// whatever widths the browser's font gives CJK characters.
    pub fn render_html(&self) -> String {
        let esc = tera::escape_html;
        let mut out = String::new();
        for d in &self.diagnostics {
            let _ = writeln!(out, "<section class=\"diagnostic\"><p class=\"message\"><b>{}[{}]</b>：{}</p>", d.severity.word(), d.code, esc(&d.message));
            // The place goes above the quote, wrapped like text: inside the box, which opens
            // scrolled to the mark, a phone would show only its end.
            match self.locate(d) {
                Some(((line, col), q)) => {
                    let _ = write!(
                        out,
                        "<p class=\"where\"><code>{}:{line}:{col}</code></p>\n<pre>{line} │ <span class=\"src\">{}<mark>{}</mark>{}</span>\n\
                         {} │ <span class=\"pad\" aria-hidden=\"true\">{}</span><span class=\"caret\">{}</span>",
                        esc(&d.file.display().to_string()),
                        esc(&q.before),
                        esc(&q.marked),
                        esc(&q.after),
                        " ".repeat(line.to_string().len()),
                        esc(&q.before),
                        q.carets()
                    );
                    out.push_str("</pre>\n");
                }
                None => {
                    let _ = writeln!(out, "<p class=\"where\"><code>{}</code></p>", esc(&d.file.display().to_string()));
                }
            }
            if let Some(hint) = &d.hint {
                let _ = writeln!(out, "<p class=\"hint\">提示：{}</p>", esc(hint));
            }
            out.push_str("</section>\n");
        }
        let _ = write!(out, "<p class=\"summary\">{}</p>", esc(&self.summary()));
        out
    }

    /// One JSON array, one object per diagnostic, for CI.
    pub fn to_json(&self) -> String {
        let items: Vec<JsonDiagnostic> = self
            .diagnostics
            .iter()
            .map(|d| {
                let (line, column) = self.source(&d.file).map_or((1, 1), |t| d.line_col(t));
                JsonDiagnostic {
                    code: d.code,
                    severity: d.severity,
                    file: d.file.display().to_string(),
                    line,
                    column,
                    message: &d.message,
                    hint: d.hint.as_deref(),
                }
            })
            .collect();
        serde_json::to_string_pretty(&items).expect("diagnostics serialize")
    }

    /// GitHub workflow commands, one line per diagnostic: the pull request shows each as an
    /// annotation on its line (`::error file=…,line=…,col=…,title=E0201::message`).
    pub fn to_github(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut properties = format!("file={}", github_property(&d.file.display().to_string()));
            if let (Some(text), Some(_)) = (self.source(&d.file), &d.span) {
                let (line, col) = d.line_col(text);
                let _ = write!(properties, ",line={line},col={col}");
            }
            let _ = write!(properties, ",title={}", github_property(d.code));
            let message = match &d.hint {
                Some(hint) => format!("{}\n提示：{hint}", d.message),
                None => d.message.clone(),
            };
            let _ = writeln!(out, "::{command} {properties}::{}", github_data(&message));
        }
        out
    }
}

/// The message of a workflow command: `%`, CR and LF are escaped (GitHub's runner rules).
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value of a workflow command: as a message, and `:` and `,` too.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Keep a span inside the text and on character boundaries; an empty span at the end of a
/// file still shows a caret.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

impl From<Vec<Diagnostic>> for Report {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Report { diagnostics, ..Report::default() }
    }
}

impl From<Diagnostic> for Report {
    fn from(diagnostic: Diagnostic) -> Self {
        Report::from(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: [{}] {}", self.file.display(), self.code, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "（{hint}）")?;
        }
        Ok(())
    }
}

/// An operating-system error in the editor's words, with the system's error number for
/// whoever looks after the machine: `没有权限（错误码 13）`.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let kind = match e.kind() {
        K::NotFound => "文件或文件夹不存在",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已经存在",
        K::AddrInUse => "端口已被占用",
        K::AddrNotAvailable => "这个地址不可用",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "文件系统是只读的",
        K::InvalidData => "内容无效",
        K::Interrupted => "操作被中断",
        _ => return format!("系统错误（{e}）"),
    };
    match e.raw_os_error() {
        Some(n) => format!("{kind}（错误码 {n}）"),
        None => kind.to_string(),
    }
}

/// The closest candidate for “您是否想写 …？” hints: by Damerau–Levenshtein distance over
/// characters (`strsim`; a swapped pair such as `titel` for `title` is one slip), offered only
/// when the distance is small relative to the word. Ties go to the alphabetically first.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 2).max(1);
    candidates.into_iter().map(|c| (strsim::damerau_levenshtein(word, c), c)).filter(|(d, _)| *d <= limit).min_by_key(|(d, c)| (*d, *c)).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "第一行\n科普部，郑洲";
        let offset = text.find("郑洲").unwrap();
        assert_eq!(line_col(text, offset), (2, 5));
    }

    #[test]
    fn suggests_registry_name_for_one_character_typo() {
        let names = ["科普部", "学会学术部", "办公室"];
        assert_eq!(suggest("科普布", names), Some("科普部"));
        assert_eq!(suggest("财务处", names), None);
    }

    #[test]
    fn suggests_a_key_with_two_letters_swapped() {
        assert_eq!(suggest("titel", ["title", "kind", "year"]), Some("title"));
    }

    #[test]
    fn summary_counts_errors_warnings_and_files() {
        let mut r = Report::default();
        r.push(Diagnostic::new("E0101", "a.md", None, "x"));
        r.push(Diagnostic::new("E0102", "a.md", Some(3..4), "y"));
        r.push(Diagnostic::new("E0103", "b.md", None, "z"));
        assert_eq!(r.summary(), "3 个错误，涉及 2 个文件");
        r.push(Diagnostic::new("E0103", "b.md", None, "w").warning());
        assert_eq!(r.summary(), "3 个错误，1 个警告，涉及 2 个文件");
    }

    #[test]
    fn a_short_line_is_quoted_whole() {
        let text = "甲\n责任部门：科普布，学会部\n";
        let at = text.find("科普布").unwrap();
        let q = Quote::new(text, at..at + "科普布".len(), WINDOW_COLUMNS);
        assert_eq!(q, Quote { before: "责任部门：".into(), marked: "科普布".into(), after: "，学会部".into() });
        assert_eq!(display_width(&q.before), 10, "five full-width characters");
        assert_eq!(q.carets(), "^^^^^^");
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_mark() {
        let line = format!("{}科普布{}", "前".repeat(200), "后".repeat(200));
        let at = line.find("科普布").unwrap();
        let q = Quote::new(&line, at..at + "科普布".len(), 60);
        let shown = format!("{}{}{}", q.before, q.marked, q.after);
        assert!(display_width(&shown) <= 60, "{shown}");
        assert!(q.before.starts_with('…') && q.after.ends_with('…'), "{shown}");
        assert_eq!(q.marked, "科普布");
        let (left, right) = (display_width(&q.before), display_width(&q.after));
        assert!(left.abs_diff(right) <= 2, "the mark stands in the middle: {left} {right}");
    }

    #[test]
    fn a_mark_wider_than_the_window_is_cut() {
        let line = "长".repeat(300);
        let q = Quote::new(&line, 0..line.len(), 40);
        assert_eq!(q.before, "");
        assert!(q.after == "…" && display_width(&q.marked) <= 38, "{q:?}");
    }

    #[test]
    fn rendered_source_lines_fit_the_window() {
        let text = format!("---\ntitle: 甲\n---\n1. {}（责任部门：科普布）\n", "加强科学普及工作，".repeat(40));
        let at = text.find("科普布").unwrap();
        let mut r = Report::default();
        r.add_source(Path::new("a.md"), &text);
        r.push(Diagnostic::new("E0201", "a.md", Some(at..at + "科普布".len()), "未知的部门 科普布"));
        let out = r.render(false);
        assert!(out.contains("┌─ a.md:4:"), "{out}");
        for line in out.lines().filter(|l| l.contains('│')) {
            assert!(display_width(line) <= WINDOW_COLUMNS, "{line}");
        }
    }

    #[test]
    fn github_commands_escape_their_properties_and_message() {
        let mut r = Report::default();
        r.add_source(Path::new("a,b:c.md"), "x\ny 100%\n");
        r.push(Diagnostic::new("E0106", "a,b:c.md", Some(4..5), "百分号 100%").with_hint("第二行"));
        assert_eq!(r.to_github(), "::error file=a%2Cb%3Ac.md,line=2,col=3,title=E0106::百分号 100%25%0A提示：第二行\n");
    }
}
