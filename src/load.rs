//! Load stage: walk content/ and read every file, refusing what is not a UTF-8 text document.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
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
    pub text: std::sync::Arc<str>,
}

/// Everything under content/, sorted by path so that every later stage sees one order.
#[derive(Debug, Default)]
pub struct Content {
    pub site: Option<SourceFile>,
    pub departments: Option<SourceFile>,
    pub cities: Option<SourceFile>,
    pub programs: Option<SourceFile>,
    /// `data/relations.yaml`: items that carry out other items (editorial).
    pub relations: Option<SourceFile>,
    /// `collections/*.md`: compilations of reports.
    pub collections: Vec<SourceFile>,
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
        return Err(vec![Diagnostic::new("E0501", content_dir, None, "内容文件夹不存在").with_hint("在网站文件夹里运行 planport，或用 --content 指定文件夹")]);
    }
    let mut entries: Vec<PathBuf> = Vec::new();
    for entry in WalkDir::new(content_dir).follow_links(false).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => entries.push(e.into_path()),
            Ok(e) if e.path_is_symlink() => {
                problems.push(Diagnostic::new("E0502", e.path(), None, "不读取符号链接").with_hint("把文件复制到 content/ 里，不要用链接"))
            }
            Ok(e) if !e.file_type().is_dir() => problems
                .push(Diagnostic::new("E0503", e.path(), None, "这不是普通文件（而是设备、管道或套接字），不予读取").with_hint("把它从 content/ 中删除")),
            Ok(_) => {}
            Err(e) => problems.push(Diagnostic::new("E0504", content_dir, None, format!("无法遍历内容文件夹：{}", walk_reason(&e)))),
        }
    }
    let mut wanted: Vec<(PathBuf, String, Slot)> = Vec::with_capacity(entries.len());
    for path in entries {
        let rel = path.strip_prefix(content_dir).unwrap_or(&path).to_string_lossy().into_owned();
        #[cfg(windows)]
        let rel = rel.replace('\\', "/");
        // Elsewhere `\` is an ordinary character of a name, which would read as a folder on
        // Windows and in URLs: refused rather than guessed at.
        if rel.contains('\\') {
            problems.push(Diagnostic::new("E0505", &path, None, "文件名里有“\\”").with_hint("给文件改名：文件名只用字母、数字和“-”"));
            continue;
        }
        if rel.split('/').any(|part| part.starts_with('.')) {
            continue; // .gitkeep, editor swap files, .DS_Store
        }
        let slot = classify(&rel);
        let Some(slot) = slot else { continue };
        if slot == Slot::Stray {
            problems.push(
                Diagnostic::new("E0506", &path, None, "这不是 Markdown 文档")
                    .with_hint("plans/、reports/、collections/ 和 pages/ 里只放 .md 文件；附件请放到别处"),
            );
            continue;
        }
        wanted.push((path, rel, slot));
    }
    // Read in parallel (one thread alone spent half a second on 10,000 files), then file
    // them in path order.
    let read: Vec<_> = wanted.into_par_iter().map(|(path, rel, slot)| (read_text(&path), path, rel, slot)).collect();
    for (text, path, rel, slot) in read {
        match text {
            Ok(text) => {
                let file = SourceFile { rel, path, text: text.into() };
                match slot {
                    Slot::Site => content.site = Some(file),
                    Slot::Departments => content.departments = Some(file),
                    Slot::Cities => content.cities = Some(file),
                    Slot::Programs => content.programs = Some(file),
                    Slot::Relations => content.relations = Some(file),
                    Slot::Collection => content.collections.push(file),
                    Slot::Document => content.documents.push(file),
                    Slot::Page => content.pages.push(file),
                    Slot::Stray => unreachable!(),
                }
            }
            Err(e) => {
                let (d, lossy) = *e;
                problems.push(d);
                if let Some(text) = lossy {
                    content.unreadable.push(SourceFile { rel, path, text: text.into() });
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
    Relations,
    Collection,
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
        "data/relations.yaml" => return Some(Slot::Relations),
        _ => {}
    }
    let is_md = rel.ends_with(".md");
    if rel.starts_with("plans/") || rel.starts_with("reports/") {
        return Some(if is_md { Slot::Document } else { Slot::Stray });
    }
    if rel.starts_with("pages/") {
        return Some(if is_md { Slot::Page } else { Slot::Stray });
    }
    if rel.starts_with("collections/") {
        return Some(if is_md { Slot::Collection } else { Slot::Stray });
    }
    None // EDITS.md, README files and other notes beside the content are not published
}

/// Why [`read_regular_file`] refused a file.
#[derive(Debug)]
pub enum ReadError {
    /// A device, FIFO, socket or folder: reading it could block or never end.
    NotAFile,
    TooLarge {
        len: u64,
        limit: u64,
    },
    Io(std::io::Error),
}

/// Why a folder could not be walked: the system's error, or a loop of links.
fn walk_reason(e: &walkdir::Error) -> String {
    e.io_error().map_or_else(|| "文件夹里有循环的链接".to_string(), crate::diagnostics::io_reason)
}

impl ReadError {
    /// A diagnostic naming the cause; `what` says what the file should have been.
    pub fn to_diagnostic(&self, path: &Path, what: &str) -> Diagnostic {
        match self {
            ReadError::NotAFile => Diagnostic::new("E0503", path, None, format!("这不是普通文件；{what}应是纯文本文件"))
                .with_hint("请指定保存在磁盘上的文件，而不是设备、管道或文件夹"),
            ReadError::TooLarge { len, limit } => {
                Diagnostic::new("E0507", path, None, format!("文件有 {:.1} MB；{what}的上限是 {} MB", *len as f64 / 1048576.0, limit / 1048576))
                    .with_hint("这真的是一份计划或报告吗？请拆分，或把它移走")
            }
            ReadError::Io(e) => Diagnostic::new("E0508", path, None, format!("无法读取：{}", crate::diagnostics::io_reason(e))),
        }
    }
}

/// Read at most `limit` bytes of a regular file. Devices (`/dev/zero`), FIFOs and folders are
/// refused before a byte is read, and the limit holds even for a file that grows meanwhile.
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Opening a FIFO for reading blocks until a writer comes; non-blocking, it opens at once
        // and is then refused as not a regular file. Regular files ignore the flag.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { len: meta.len(), limit });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { len: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// Read a file as UTF-8 text, refusing binaries, other encodings and oversized files. A file
/// that is text in another encoding comes back with its best-effort text, for quoting.
pub fn read_text(path: &Path) -> Result<String, Box<(Diagnostic, Option<String>)>> {
    let bytes = read_regular_file(path, MAX_DOCUMENT_BYTES).map_err(|e| Box::new((e.to_diagnostic(path, "文档"), None)))?;
    if bytes.contains(&0) {
        return Err(Box::new((
            Diagnostic::new("E0509", path, None, "这是二进制文件，不是文本").with_hint("把它从 content/ 中删除，或把文档存为 UTF-8 编码的 Markdown"),
            None,
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        // The valid prefix is the same in the lossy text, so `at` is a true position in it.
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let d = Diagnostic::new("E0511", path, Some(crate::diagnostics::char_span(&text, at)), "不是 UTF-8 编码的文本：这个字节不是一个字符的开头")
            .with_hint("把文件另存为 UTF-8 编码；GBK/GB18030 编码的文件可以用 iconv -f GB18030 -t UTF-8 转换");
        Box::new((d, Some(text)))
    })
}
