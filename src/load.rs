//! Load stage: walk content/ and read every file, refusing what is not a UTF-8 text document.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// Documents larger than this are refused rather than parsed: no official plan comes close,
/// and a stray dump must not stall a build.
pub const MAX_DOCUMENT_BYTES: u64 = 4 * 1024 * 1024;

/// One file of content, read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the content directory, with `/` separators.
    pub rel: String,
    /// Path as shown in messages (content directory joined with `rel`).
    pub path: PathBuf,
    pub text: String,
}

/// Everything under content/, sorted by path so that every later stage sees one order.
#[derive(Debug, Default)]
pub struct Content {
    pub site: Option<SourceFile>,
    pub departments: Option<SourceFile>,
    pub cities: Option<SourceFile>,
    pub programs: Option<SourceFile>,
    /// `plans/**.md` and `reports/**.md`
    pub documents: Vec<SourceFile>,
    /// `pages/*.md`: free pages such as the editors' guide.
    pub pages: Vec<SourceFile>,
    /// Files that could not be read as documents. Loading goes on past them, so that one
    /// stray file does not hide the problems of the others.
    pub problems: Vec<Diagnostic>,
    /// Best-effort text of files that are not valid UTF-8, so their messages can quote them.
    pub unreadable: Vec<SourceFile>,
}

/// Walk and read the content directory. `Err` only when there is no directory to read.
pub fn load(content_dir: &Path) -> Result<Content, Vec<Diagnostic>> {
    let mut content = Content::default();
    let mut problems = Vec::new();
    if !content_dir.is_dir() {
        return Err(vec![
            Diagnostic::new(content_dir, None, "the content directory does not exist").with_hint("run planport from the site's folder, or pass --content DIR")
        ]);
    }
    let mut entries: Vec<PathBuf> = Vec::new();
    for entry in WalkDir::new(content_dir).follow_links(false).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => entries.push(e.into_path()),
            Ok(e) if e.path_is_symlink() => problems
                .push(Diagnostic::new(e.path(), None, "symbolic links are not followed").with_hint("copy the file into content/ instead of linking to it")),
            Ok(_) => {}
            Err(e) => problems.push(Diagnostic::new(content_dir, None, format!("cannot walk the content directory: {e}"))),
        }
    }
    for path in entries {
        let rel = path.strip_prefix(content_dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        if rel.split('/').any(|part| part.starts_with('.')) {
            continue; // .gitkeep, editor swap files, .DS_Store
        }
        let slot = classify(&rel);
        let Some(slot) = slot else { continue };
        if slot == Slot::Stray {
            problems.push(
                Diagnostic::new(&path, None, "not a Markdown document")
                    .with_hint("plans/, reports/ and pages/ hold `.md` files only; move attachments elsewhere"),
            );
            continue;
        }
        match read_text(&path) {
            Ok(text) => {
                let file = SourceFile { rel: rel.clone(), path: path.clone(), text };
                match slot {
                    Slot::Site => content.site = Some(file),
                    Slot::Departments => content.departments = Some(file),
                    Slot::Cities => content.cities = Some(file),
                    Slot::Programs => content.programs = Some(file),
                    Slot::Document => content.documents.push(file),
                    Slot::Page => content.pages.push(file),
                    Slot::Stray => unreachable!(),
                }
            }
            Err((d, lossy)) => {
                problems.push(d);
                if let Some(text) = lossy {
                    content.unreadable.push(SourceFile { rel, path, text });
                }
            }
        }
    }
    content.problems = problems;
    Ok(content)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Site,
    Departments,
    Cities,
    Programs,
    Document,
    Page,
    Stray,
}

fn classify(rel: &str) -> Option<Slot> {
    match rel {
        "site.yaml" => return Some(Slot::Site),
        "data/departments.yaml" => return Some(Slot::Departments),
        "data/cities.yaml" => return Some(Slot::Cities),
        "data/programs.yaml" => return Some(Slot::Programs),
        _ => {}
    }
    let is_md = rel.ends_with(".md");
    if rel.starts_with("plans/") || rel.starts_with("reports/") {
        return Some(if is_md { Slot::Document } else { Slot::Stray });
    }
    if rel.starts_with("pages/") {
        return Some(if is_md { Slot::Page } else { Slot::Stray });
    }
    None // EDITS.md, README files and other notes beside the content are not published
}

/// Read a file as UTF-8 text, refusing binaries, other encodings and oversized files. A file
/// that is text in another encoding comes back with its best-effort text, for quoting.
pub fn read_text(path: &Path) -> Result<String, (Diagnostic, Option<String>)> {
    let cannot = |e: std::io::Error| (Diagnostic::new(path, None, format!("cannot read: {e}")), None);
    let meta = fs::metadata(path).map_err(cannot)?;
    if meta.len() > MAX_DOCUMENT_BYTES {
        return Err((
            Diagnostic::new(
                path,
                None,
                format!("the file is {:.1} MB; documents are limited to {} MB", meta.len() as f64 / 1048576.0, MAX_DOCUMENT_BYTES / 1048576),
            )
            .with_hint("is this really a plan or report? Split it, or move it out of content/"),
            None,
        ));
    }
    let bytes = fs::read(path).map_err(cannot)?;
    if bytes.contains(&0) {
        return Err((
            Diagnostic::new(path, None, "this is a binary file, not text").with_hint("remove it from content/, or save the document as UTF-8 Markdown"),
            None,
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        // The valid prefix is the same in the lossy text, so `at` is a true position in it.
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let d = Diagnostic::new(path, Some(crate::diagnostics::char_span(&text, at)), "not valid UTF-8 text: this byte starts no character")
            .with_hint("save the file as UTF-8; GBK/GB18030 files can be converted with `iconv -f GB18030 -t UTF-8`");
        (d, Some(text))
    })
}
