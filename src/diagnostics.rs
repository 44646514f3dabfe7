//! Diagnostics: every problem names a file, a line and a column, is collected, and is printed
//! once by the command that asked (compiler-style with a caret, or JSON for CI).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;

/// Whether a problem stops the build. Warnings are printed and do not fail `check` or
/// `build`, unless the editor asks for `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

/// One problem found in the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it (relative to the content directory's parent when possible).
    pub file: PathBuf,
    /// Byte range in the file's text; `None` when the problem is the file as a whole.
    pub span: Option<Range<usize>>,
    /// Stable code (`E0102`, `W0301`) that CI logs and the documentation refer to; the message
    /// around it may be reworded or translated, the code stays.
    pub code: &'static str,
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it ("did you mean 科普部?"), when we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Diagnostic { file: file.into(), span, code: "", severity: Severity::Error, message: message.into(), hint: None }
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
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

    /// "3 errors in 2 files", "1 error and 2 warnings in 2 files", "2 warnings in 1 file".
    pub fn summary(&self) -> String {
        let mut files: Vec<&Path> = self.diagnostics.iter().map(|d| d.file.as_path()).collect();
        files.sort();
        files.dedup();
        let counted = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let found = match (self.errors(), self.warnings()) {
            (errors, 0) => counted(errors, "error"),
            (0, warnings) => counted(warnings, "warning"),
            (errors, warnings) => format!("{} and {}", counted(errors, "error"), counted(warnings, "warning")),
        };
        format!("{found} in {}", counted(files.len(), "file"))
    }

    /// Compiler-style output: `error: …` then `┌─ file:line:col`, the line, and a caret.
    pub fn emit(&self, out: &mut dyn WriteColor) -> std::io::Result<()> {
        let mut files = SimpleFiles::new();
        let config = term::Config::default();
        for d in &self.diagnostics {
            let display = d.file.display().to_string();
            let cs = match d.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            };
            let mut cs = cs.with_message(&d.message);
            if !d.code.is_empty() {
                cs = cs.with_code(d.code);
            }
            match (self.source(&d.file), &d.span) {
                (Some(text), Some(span)) => {
                    let id = files.add(display, text.to_string());
                    let span = clamp_span(text, span.clone());
                    cs = cs.with_labels(vec![Label::primary(id, span)]);
                }
                _ => cs = cs.with_notes(vec![format!("in {display}")]),
            }
            if let Some(hint) = &d.hint {
                cs = cs.with_notes(vec![format!("hint: {hint}")]);
            }
            term::emit(out, &config, &files, &cs).map_err(std::io::Error::other)?;
        }
        Ok(())
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
        write!(f, "{}: {}", self.file.display(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Closest candidate by edit distance over characters, for "did you mean …?" hints.
/// Only offered when the distance is small relative to the word.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let limit = (len / 2).max(1);
    candidates.into_iter().map(|c| (edit_distance(word, c), c)).filter(|(d, _)| *d <= limit).min_by_key(|(d, c)| (*d, *c)).map(|(_, c)| c)
}

/// Levenshtein distance over characters (not bytes: one Chinese character is one edit).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
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
    fn summary_counts_errors_and_files() {
        let mut r = Report::default();
        r.push(Diagnostic::new("a.md", None, "x"));
        r.push(Diagnostic::new("a.md", Some(3..4), "y"));
        r.push(Diagnostic::new("b.md", None, "z"));
        assert_eq!(r.summary(), "3 errors in 2 files");
        r.push(Diagnostic::new("c.md", None, "w").warning());
        assert_eq!(r.summary(), "3 errors and 1 warning in 3 files");
    }
}
