//! Write stage: the output folder is planport's alone, one build at a time writes it, and at
//! every instant it holds either the previous site or the new one.
//!
//! A build [`claim`](OutputDir::claim)s the output (refusing a folder that holds the sources or
//! files planport did not write), takes an advisory lock on a file beside it, and finishes or
//! undoes whatever an interrupted build left there. It then renders into a sibling staging
//! folder and [`commit`](StagedOutput::commit)s: on Linux one `renameat2(RENAME_EXCHANGE)`
//! swaps the two folders atomically; elsewhere two renames, which a later build repairs if it
//! finds the first done and the second not. A failed or interrupted build leaves the previous
//! output exactly as it was, and every folder it made is gone.
//!
//! Names beside an output `site` (all start with `.site.planport-`, so that they are easy to
//! recognise and to ignore in version control): `-lock` (exists only while a build runs),
//! `-staging-<pid>-<n>` (the site being written; after an exchange, the previous site being
//! deleted), `-old-<pid>-<n>` (the previous site between the two renames of the fallback).

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use crate::diagnostics::Diagnostic;

/// Written into every output. A build replaces a folder only when it holds this file or
/// nothing at all, so a mistyped `--output` can never replace somebody's files.
pub const MARKER: &str = ".planport-output";
const MARKER_TEXT: &str = "This folder is written by `planport build` and replaced whole by every build.\n\
Keep nothing else in it: planport refuses to replace a folder without this file.\n";

/// Why the output could not be claimed or written. Every message names the folder, the
/// cause and the way out; [`WriteError::hint`] holds the way out.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("输出路径 {0} 已存在且不是文件夹；planport 只替换它自己写的文件夹")]
    NotAFolder(PathBuf),
    #[error("输出路径 {0} 是符号链接；planport 不替换链接")]
    Symlink(PathBuf),
    #[error("输出文件夹 {output} {relation}{what}（{other}）；在那里生成会毁掉它")]
    Overlaps { output: PathBuf, relation: &'static str, what: &'static str, other: PathBuf },
    #[error("输出文件夹 {0} 里有不是 planport 写的文件（没有 {MARKER} 文件）；不予改动")]
    NotOurs(PathBuf),
    #[error("无法{action} {path}：{}", crate::diagnostics::io_reason(source))]
    Io { action: &'static str, path: PathBuf, source: io::Error },
    #[error("{0} 是符号链接；planport 不通过链接写文件")]
    LinkOnTheWay(PathBuf),
    #[error("{0} 挡住了路：它不是普通文件")]
    NotAFile(PathBuf),
    #[error("拒绝写入 {0}：这个路径超出了它的文件夹")]
    Escapes(PathBuf),
}

impl WriteError {
    fn io(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> WriteError {
        let path = path.to_path_buf();
        move |source| WriteError::Io { action, path, source }
    }

    /// How to get out, for the user.
    pub fn hint(&self) -> &'static str {
        match self {
            WriteError::NotAFolder(_) | WriteError::Symlink(_) => "用 --output 指定一个文件夹名（planport 会建立它），或把这个文件移走",
            WriteError::Overlaps { .. } => "用 --output 指定一个单独的文件夹，例如 content/ 旁边的 output",
            WriteError::NotOurs(_) => "用 --output 指定一个新的或空的文件夹；如果这个文件夹里的东西都不需要了，请自己删除它再生成",
            WriteError::Io { .. } => "检查那个文件夹的权限和剩余空间，然后再运行",
            WriteError::LinkOnTheWay(_) | WriteError::NotAFile(_) => "把它换成普通文件或文件夹，或写到别处",
            WriteError::Escapes(_) => "请用简单的相对路径",
        }
    }

    /// The file the problem is about.
    pub fn path(&self) -> &Path {
        match self {
            WriteError::NotAFolder(p)
            | WriteError::Symlink(p)
            | WriteError::NotOurs(p)
            | WriteError::LinkOnTheWay(p)
            | WriteError::NotAFile(p)
            | WriteError::Escapes(p) => p,
            WriteError::Overlaps { output, .. } => output,
            WriteError::Io { path, .. } => path,
        }
    }
}

impl From<WriteError> for Diagnostic {
    fn from(e: WriteError) -> Diagnostic {
        let code = match e {
            WriteError::NotAFolder(_) | WriteError::Symlink(_) | WriteError::Overlaps { .. } | WriteError::NotOurs(_) => "E0520",
            WriteError::Io { .. } => "E0512",
            WriteError::LinkOnTheWay(_) | WriteError::NotAFile(_) | WriteError::Escapes(_) => "E0521",
        };
        Diagnostic::new(code, e.path(), None, e.to_string()).with_hint(e.hint())
    }
}

/// Say at once what the build is waiting for, repaired or could not clean (it may wait long,
/// or fail later), and keep the line for [`BuildStats`](crate::site::BuildStats).
fn notice(notices: &mut Vec<String>, line: String) {
    eprintln!("{line}");
    notices.push(line);
}

/// Notices of one build: what it waited for, repaired and could not clean.
const WAITING: &str = "等待中：另一次生成正在写入";
const RESTORED: &str = "已恢复上一版网站，一次中断的生成曾把它移到";
const REMOVED: &str = "已删除一次中断的生成留下的：";
const NOT_REMOVED: &str = "警告：无法删除";
const NOT_REMOVED_HINT: &str = "网站是完整的；方便时请删除那个文件夹";

/// A folder that must not be (or be inside) the output.
pub struct Protected<'a> {
    /// Shown in messages: "the content folder".
    pub what: &'static str,
    pub path: &'a Path,
    /// Whether an output inside it is refused too (sources: yes; the current directory: no,
    /// `./output` is the usual place).
    pub refuse_inside: bool,
}

/// The output, claimed: checked, locked, and cleared of an interrupted build's debris.
pub struct OutputDir {
    /// As the user wrote it, for messages.
    shown: PathBuf,
    /// Absolute, with the links of its existing ancestors resolved.
    real: PathBuf,
    lock: Option<OutputLock>,
    /// Set once the new site is in place.
    committed: bool,
    /// Folders made for the output's parent, removed again if the build fails.
    created: Vec<PathBuf>,
    /// What this build waited for, repaired, or could not clean (one line each).
    pub notices: Vec<String>,
}

impl OutputDir {
    /// Check that `output` may be written, without touching anything: it must be a folder (or
    /// not exist), not a link, overlap none of `protected`, and be empty or made by planport.
    pub fn check(output: &Path, protected: &[Protected<'_>]) -> Result<PathBuf, WriteError> {
        match fs::symlink_metadata(output) {
            Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink(output.to_path_buf())),
            Ok(m) if !m.is_dir() => return Err(WriteError::NotAFolder(output.to_path_buf())),
            _ => {}
        }
        let real = resolve(output).map_err(WriteError::io("解析路径", output))?;
        if real.parent().is_none() {
            return Err(WriteError::Overlaps { output: output.to_path_buf(), relation: "是", what: "文件系统的根目录", other: real });
        }
        for p in protected {
            let other = resolve(p.path).map_err(WriteError::io("解析路径", p.path))?;
            let relation = if other == real {
                "就是"
            } else if other.starts_with(&real) {
                "包含"
            } else if p.refuse_inside && real.starts_with(&other) {
                "位于"
            } else {
                continue;
            };
            return Err(WriteError::Overlaps { output: output.to_path_buf(), relation, what: p.what, other: p.path.to_path_buf() });
        }
        if !is_ours_or_empty(&real).map_err(WriteError::io("读取", output))? {
            return Err(WriteError::NotOurs(output.to_path_buf()));
        }
        Ok(real)
    }

    /// [`check`](Self::check), then wait for any other build of this output to finish, lock
    /// it, and finish or undo what an interrupted build left beside it.
    pub fn claim(output: &Path, protected: &[Protected<'_>]) -> Result<OutputDir, WriteError> {
        let real = Self::check(output, protected)?;
        let parent = real.parent().expect("checked: not the root").to_path_buf();
        let created = create_parents(&parent)?;
        let mut notices = Vec::new();
        let lock = OutputLock::acquire(&real, |holder| notice(&mut notices, format!("{WAITING} {}（{holder}）", output.display())));
        let lock = match lock {
            Ok(l) => l,
            Err(e) => {
                remove_created(&created);
                return Err(e);
            }
        };
        let mut dir = OutputDir { shown: output.to_path_buf(), real, lock: Some(lock), committed: false, created, notices };
        test_hook("locked");
        dir.recover()?;
        Ok(dir)
    }

    /// Debris of interrupted builds: staging folders go (after an exchange they hold the
    /// previous site); a previous site moved aside returns when the output is missing.
    fn recover(&mut self) -> Result<(), WriteError> {
        let parent = self.real.parent().expect("not the root");
        let prefix = debris_prefix(&self.real);
        let mut debris: Vec<PathBuf> = fs::read_dir(parent)
            .map_err(WriteError::io("读取", parent))?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().strip_prefix(&prefix).is_some_and(|kind| !kind.starts_with("lock")))
            .map(|e| e.path())
            .collect();
        debris.sort(); // one order, so that "old" folders are seen the same way every time
        for path in debris {
            let kind = path.file_name().unwrap_or_default().to_string_lossy()[prefix.len()..].to_string();
            if kind.starts_with("old") && fs::symlink_metadata(&self.real).is_err() {
                fs::rename(&path, &self.real).map_err(WriteError::io("恢复上一版网站，来源", &path))?;
                notice(&mut self.notices, format!("{RESTORED} {}", path.display()));
            } else if remove_any(&path).is_ok() {
                notice(&mut self.notices, format!("{REMOVED} {}", path.display()));
            } else {
                notice(&mut self.notices, format!("{NOT_REMOVED} {}（{NOT_REMOVED_HINT}）", path.display()));
            }
        }
        Ok(())
    }

    /// Start a staging folder for the new site, holding the marker.
    pub fn stage(self) -> Result<StagedOutput, WriteError> {
        static SERIAL: AtomicU32 = AtomicU32::new(0);
        let n = SERIAL.fetch_add(1, Ordering::Relaxed);
        let staging = sibling(&self.real, &format!("staging-{}-{n}", std::process::id()));
        let _ = remove_any(&staging); // an earlier process of the same id, long dead: we hold the lock
        fs::create_dir(&staging).map_err(WriteError::io("建立", &staging))?;
        on_signal_remove(&staging);
        let staged = StagedOutput { dir: self, staging, committed: false, folders: Mutex::default() };
        staged.write(MARKER, MARKER_TEXT.as_bytes()).map_err(WriteError::io("写入", &staged.staging))?;
        test_hook("staged");
        Ok(staged)
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        drop(self.lock.take()); // first: the lock file sits in the folders made for it
        if !self.committed {
            remove_created(&self.created);
        }
    }
}

/// A site being written: files go into the staging folder as they are made;
/// [`commit`](Self::commit) swaps it in. Dropped without a commit (a failed build), it removes
/// the staging folder, and the output stays as it was.
pub struct StagedOutput {
    dir: OutputDir,
    staging: PathBuf,
    committed: bool,
    /// Folders made in the staging folder so far: each file's folder was made again for every
    /// file (33,000 files at 10,000 documents in 10,000 folders: 23,000 calls that failed
    /// because the folder was there).
    folders: Mutex<HashSet<PathBuf>>,
}

/// What writes a file piece by piece into the writer it is given ([`Emit::emit_with`]).
pub type Fill<'a> = dyn FnMut(&mut dyn Write) -> io::Result<()> + 'a;

/// Where rendered files go (path under the output root, bytes). Called from several threads.
/// Any `Fn(&str, &[u8]) -> io::Result<()>` is one.
pub trait Emit: Sync {
    /// Hand over the file `path`, whole.
    fn emit(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Hand over the file `path` as `fill` writes it, piece by piece. By default the pieces are
    /// gathered and handed to [`Emit::emit`]; an output that writes straight to files streams
    /// them, so that a large file (`/data/items.json`, 170 MB at 10,000 documents) is never
    /// held whole.
    fn emit_with(&self, path: &str, fill: &mut Fill) -> io::Result<()> {
        emit_gathered(self, path, fill)
    }
}

/// [`Emit::emit_with`] for an output that takes files whole: the pieces gathered, then emitted.
pub fn emit_gathered(emit: &(impl Emit + ?Sized), path: &str, fill: &mut Fill) -> io::Result<()> {
    let mut bytes = Vec::new();
    fill(&mut bytes)?;
    emit.emit(path, &bytes)
}

impl<F: Fn(&str, &[u8]) -> io::Result<()> + Sync> Emit for F {
    fn emit(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self(path, bytes)
    }
}

impl StagedOutput {
    /// Write one file; `rel` must stay inside the output. Safe to call from many threads.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        fs::write(self.file_path(rel)?, bytes)
    }

    /// Write one file as `fill` writes it, through a buffer, never holding it whole.
    pub fn write_with(&self, rel: &str, fill: &mut Fill) -> io::Result<()> {
        let mut file = io::BufWriter::with_capacity(1 << 16, fs::File::create(self.file_path(rel)?)?);
        fill(&mut file)?;
        io::Write::flush(&mut file)
    }

    /// Where `rel` goes in the staging folder, its folder made; `rel` must stay inside.
    fn file_path(&self, rel: &str) -> io::Result<PathBuf> {
        if !is_contained(rel) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("refusing to write outside the output directory: {rel}")));
        }
        let path = self.staging.join(rel);
        if let Some(dir) = path.parent() {
            if !self.folders.lock().expect("folders").contains(dir) {
                fs::create_dir_all(dir)?;
                self.folders.lock().expect("folders").insert(dir.to_path_buf());
            }
        }
        Ok(path)
    }

    /// Swap the finished site in. Returns the notices of the build (waits, repairs, and
    /// folders that could not be removed afterwards — those are warnings, not failures: the new
    /// site is in place).
    pub fn commit(mut self) -> Result<Vec<String>, WriteError> {
        let output = self.dir.real.clone();
        // Checked again under the lock: the folder may have changed since the build began.
        match fs::symlink_metadata(&output) {
            Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink(self.dir.shown.clone())),
            Ok(m) if !m.is_dir() => return Err(WriteError::NotAFolder(self.dir.shown.clone())),
            _ => {}
        }
        if !is_ours_or_empty(&output).map_err(WriteError::io("读取", &self.dir.shown))? {
            return Err(WriteError::NotOurs(self.dir.shown.clone()));
        }
        test_hook("written");
        let leftover = {
            // A signal's cleanup waits for the swap, so it never removes a half-swapped folder.
            let mut on_signal = signal_cleanup();
            let leftover = swap(&self.staging, &output).map_err(WriteError::io("替换输出文件夹", &self.dir.shown))?;
            self.committed = true;
            self.dir.committed = true;
            on_signal.extend(leftover.clone());
            leftover
        };
        test_hook("swapped");
        let mut notices = std::mem::take(&mut self.dir.notices);
        if let Some(old) = leftover {
            if test_flag("fail-cleanup") || remove_any(&old).is_err() {
                notice(&mut notices, format!("{NOT_REMOVED} {}（{NOT_REMOVED_HINT}）", old.display()));
            }
            forget_on_signal(&old);
        }
        test_hook("cleaned");
        Ok(notices)
    }
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
        forget_on_signal(&self.staging);
    }
}

/// Put `staging` at `output`. Returns the folder that now holds the previous site, if any.
fn swap(staging: &Path, output: &Path) -> io::Result<Option<PathBuf>> {
    if fs::symlink_metadata(output).is_err() {
        fs::rename(staging, output)?;
        return Ok(None);
    }
    if !test_flag("two-step-swap") {
        match exchange(staging, output) {
            Ok(()) => return Ok(Some(staging.to_path_buf())),
            Err(e) if !exchange_unsupported(&e) => return Err(e),
            Err(_) => {}
        }
    }
    // Two renames: between them there is no output, and a later build that finds the output
    // missing and `-old-` beside it puts the previous site back.
    let name = staging.file_name().unwrap_or_default().to_string_lossy().replacen("planport-staging-", "planport-old-", 1);
    let old = staging.with_file_name(name);
    fs::rename(output, &old)?;
    test_hook("moved-aside");
    if let Err(e) = fs::rename(staging, output) {
        fs::rename(&old, output)?;
        return Err(e);
    }
    Ok(Some(old))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// File systems (and kernels) without `RENAME_EXCHANGE` say so with these.
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// One build at a time per output: an advisory lock (`flock`) on `.<name>.planport-lock`
/// beside it, holding the holder's process id for the message of a build that has to wait.
/// The file exists only while a build holds it.
struct OutputLock {
    path: PathBuf,
    file: File,
}

impl OutputLock {
    fn acquire(output: &Path, mut on_wait: impl FnMut(String)) -> Result<OutputLock, WriteError> {
        let path = sibling(output, "lock");
        let mut waited = false;
        loop {
            let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(WriteError::io("建立锁文件", &path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !waited {
                        on_wait(lock_holder(&path));
                        waited = true;
                    }
                    file.lock().map_err(WriteError::io("锁定", &path))?;
                }
                Err(fs::TryLockError::Error(e)) => return Err(WriteError::io("锁定", &path)(e)),
            }
            // The build before us removes the file when it is done; a lock on a removed file
            // guards nothing, so lock the file that is at the path now.
            if is_same_file(&file, &path) {
                on_signal_remove(&path);
                let _ = file.set_len(0).and_then(|()| write!(file, "{}", std::process::id()));
                return Ok(OutputLock { path, file });
            }
        }
    }
}

/// "process 1234", from the lock file. The holder writes its id just after it locks, so an
/// empty file is read again for a moment before the lock file itself is named instead.
fn lock_holder(path: &Path) -> String {
    for _ in 0..100 {
        match fs::read_to_string(path).map(|pid| pid.trim().to_string()) {
            Ok(pid) if !pid.is_empty() => return format!("进程 {pid}"),
            Ok(_) => std::thread::sleep(std::time::Duration::from_millis(2)),
            Err(_) => break,
        }
    }
    format!("持有 {} 的进程", path.display())
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked: a waiter then finds its file gone and locks the new one.
        let _ = fs::remove_file(&self.path);
        forget_on_signal(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn is_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

// ---- signals --------------------------------------------------------------------------------

/// What a signal's cleanup removes: the staging folder and the lock file of the running build.
static ON_SIGNAL: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn signal_cleanup() -> MutexGuard<'static, Vec<PathBuf>> {
    ON_SIGNAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn on_signal_remove(path: &Path) {
    signal_cleanup().push(path.to_path_buf());
}

fn forget_on_signal(path: &Path) {
    signal_cleanup().retain(|p| p != path);
}

/// For a SIGINT/SIGTERM handler that then exits: remove the running build's staging folder
/// and lock file, leaving the output as it is. Waits for a swap in progress, and keeps any
/// later one from starting (the lock it holds is never released).
pub fn clean_up_for_exit() {
    let mut paths = signal_cleanup();
    // Folders first, then the lock file.
    paths.sort_by_key(|p| p.to_string_lossy().ends_with("planport-lock"));
    for p in paths.drain(..) {
        let _ = remove_any(&p);
    }
    // Never unlocked: the process is about to exit, and no swap may start in the meantime.
    std::mem::forget(paths);
}

// ---- test hooks -----------------------------------------------------------------------------

/// `PLANPORT_TEST_HOOK` lets the tests stop a build at a named step, as a crash or a signal
/// would: `abort-after=<step>` aborts the process there, `pause-after=<step>` prints
/// `test hook: paused after <step>` and waits to be killed; `two-step-swap` uses the fallback
/// swap; `fail-cleanup` acts as if the previous site could not be removed after the swap. Steps: locked, staged, written, moved-aside, swapped, cleaned.
fn test_setting() -> &'static [String] {
    static SETTING: OnceLock<Vec<String>> = OnceLock::new();
    SETTING.get_or_init(|| std::env::var("PLANPORT_TEST_HOOK").map(|v| v.split(',').map(str::to_string).collect()).unwrap_or_default())
}

fn test_flag(flag: &str) -> bool {
    test_setting().iter().any(|s| s == flag)
}

fn test_hook(step: &str) {
    for s in test_setting() {
        if s.strip_prefix("abort-after=") == Some(step) {
            std::process::abort();
        }
        if s.strip_prefix("pause-after=") == Some(step) {
            eprintln!("test hook: paused after {step}");
            loop {
                std::thread::park();
            }
        }
    }
}

// ---- safe writes into content/ ------------------------------------------------------------

/// Check that `rel` can be written under `root` without leaving it: plain segments, no
/// symbolic link on the way, and nothing but a regular file where the file goes.
pub fn check_writable(root: &Path, rel: &Path) -> Result<(), WriteError> {
    let target = root.join(rel);
    if rel.as_os_str().is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(n) if !n.to_string_lossy().contains('\\'))) {
        return Err(WriteError::Escapes(target));
    }
    let mut path = root.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let last = i + 1 == parts.len();
        match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(WriteError::io("检查", &path)(e)),
            Ok(m) if m.file_type().is_symlink() => return Err(WriteError::LinkOnTheWay(path)),
            Ok(m) if last && !m.is_file() => return Err(WriteError::NotAFile(path)),
            Ok(m) if !last && !m.is_dir() => return Err(WriteError::NotAFile(path)),
            Ok(_) => {}
        }
    }
    Ok(())
}

/// Write `bytes` to `root/rel` as a new file beside the target, then renamed over it: the
/// write never follows a link, and a crash leaves the old file or the new one, never half.
pub fn write_file(root: &Path, rel: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    check_writable(root, rel)?;
    let target = root.join(rel);
    let dir = target.parent().expect("a joined path has a parent");
    fs::create_dir_all(dir).map_err(WriteError::io("建立", dir))?;
    let name = target.file_name().expect("checked: plain segments").to_string_lossy();
    let tmp = dir.join(format!(".{name}.planport-new-{}", std::process::id()));
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, &target)
    })();
    written.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        WriteError::io("写入", &target)(e)
    })
}

// ---- paths ----------------------------------------------------------------------------------

fn debris_prefix(output: &Path) -> String {
    let name = output.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.planport-")
}

fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!("{}{suffix}", debris_prefix(output)))
}

/// Absolute, with `.` and `..` applied and the links of every existing ancestor resolved, so
/// that two names of one folder compare equal.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other);
                if exists {
                    match fs::canonicalize(&out) {
                        Ok(real) => out = real,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Empty, missing, or holding the marker of an earlier build.
fn is_ours_or_empty(dir: &Path) -> io::Result<bool> {
    let mut entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(e),
    };
    if entries.next().is_none() {
        return Ok(true);
    }
    Ok(fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file()))
}

/// Create the missing ancestors of the output's parent; returns them, deepest last.
fn create_parents(parent: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let missing: Vec<PathBuf> = parent.ancestors().take_while(|a| fs::symlink_metadata(a).is_err()).map(Path::to_path_buf).collect();
    let mut created = Vec::new();
    for dir in missing.into_iter().rev() {
        if let Err(e) = fs::create_dir(&dir) {
            remove_created(&created);
            return Err(WriteError::io("建立", &dir)(e));
        }
        created.push(dir);
    }
    Ok(created)
}

fn remove_created(created: &[PathBuf]) {
    for dir in created.iter().rev() {
        let _ = fs::remove_dir(dir); // only if still empty
    }
}

fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// A relative path of plain segments: nothing may be written outside the output directory.
fn is_contained(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_output() {
        assert!(!is_contained("../etc/passwd"));
        assert!(!is_contained("/etc/passwd"));
        assert!(!is_contained("plans/../../x"));
        assert!(is_contained("plans/2023-work-points/index.html"));
    }

    /// Write `files` and swap them in, as a build does.
    fn write_atomically(output: &Path, files: &[(&str, &[u8])]) -> Result<Vec<String>, WriteError> {
        let staged = OutputDir::claim(output, &[])?.stage()?;
        for (rel, bytes) in files {
            staged.write(rel, bytes).map_err(WriteError::io("写入", Path::new(rel)))?;
        }
        staged.commit()
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_atomically(&out, &[("index.html", b"old")]).unwrap();
        let bad: [(&str, &[u8]); 2] = [("a.html", b"new"), ("../escape.html", b"x")];
        assert!(write_atomically(&out, &bad).is_err());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"old");
        assert!(!out.join("a.html").exists());
        assert_eq!(names_in(dir.path()), ["output"], "no staging folder or lock file is left");
    }

    #[test]
    fn a_streamed_file_is_written_whole_or_its_error_stops_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_atomically(&out, &[("index.html", b"old")]).unwrap();
        let staged = OutputDir::claim(&out, &[]).unwrap().stage().unwrap();
        // Larger than the buffer, so that part of it reaches the file before the failure.
        let mut fail = |w: &mut dyn io::Write| {
            w.write_all(&[b'x'; 100_000])?;
            Err(io::Error::other("serializer failed"))
        };
        let e = staged.write_with("data/items.json", &mut fail).unwrap_err();
        assert_eq!(e.to_string(), "serializer failed");
        drop(staged);
        assert_eq!(names_in(&out), [".planport-output", "index.html"], "nothing of the failed build is in the output");
        assert_eq!(names_in(dir.path()), ["output"], "no staging folder is left");
        let staged = OutputDir::claim(&out, &[]).unwrap().stage().unwrap();
        staged.write_with("data/items.json", &mut |w| w.write_all(&[b'y'; 100_000])).unwrap();
        staged.commit().unwrap();
        assert_eq!(fs::read(out.join("data/items.json")).unwrap(), [b'y'; 100_000]);
    }

    #[test]
    fn a_successful_write_replaces_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_atomically(&out, &[("gone.html", b"1")]).unwrap();
        write_atomically(&out, &[("index.html", b"2")]).unwrap();
        assert!(!out.join("gone.html").exists());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"2");
        assert!(out.join(MARKER).is_file());
        assert_eq!(names_in(dir.path()), ["output"]);
    }

    #[test]
    fn refuses_a_folder_planport_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("notes");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("todo.txt"), "keep me").unwrap();
        assert!(matches!(write_atomically(&out, &[("index.html", b"x")]), Err(WriteError::NotOurs(_))));
        assert_eq!(fs::read(out.join("todo.txt")).unwrap(), b"keep me");
    }

    #[test]
    fn refuses_an_output_that_is_or_holds_a_protected_folder() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("site/content");
        fs::create_dir_all(&content).unwrap();
        let protect = [Protected { what: "内容文件夹", path: &content, refuse_inside: true }];
        for (output, relation) in [("site/content", "就是"), ("site", "包含"), ("site/content/out", "位于"), ("site/content/../content/", "就是")] {
            match OutputDir::check(&dir.path().join(output), &protect) {
                Err(WriteError::Overlaps { relation: r, .. }) => assert_eq!(r, relation, "{output}"),
                other => panic!("{output}: {:?}", other.map(|_| ())),
            }
        }
        assert!(OutputDir::check(&dir.path().join("site/output"), &protect).is_ok());
    }

    #[test]
    fn debris_of_a_two_step_swap_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_atomically(&out, &[("index.html", b"old")]).unwrap();
        // As if a build had done the first rename and died.
        fs::rename(&out, sibling(&out, "old-7-0")).unwrap();
        fs::create_dir(sibling(&out, "staging-7-0")).unwrap();
        let dir_claimed = OutputDir::claim(&out, &[]).unwrap();
        assert!(dir_claimed.notices.iter().any(|n| n.starts_with(RESTORED)), "{:?}", dir_claimed.notices);
        drop(dir_claimed);
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"old");
        assert_eq!(names_in(dir.path()), ["output"]);
    }

    #[test]
    fn writes_into_content_never_follow_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "secret").unwrap();
        let root = dir.path().join("content");
        fs::create_dir_all(root.join("plans")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("plans/x.md")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("reports")).unwrap();
        assert!(matches!(write_file(&root, Path::new("plans/x.md"), b"new"), Err(WriteError::LinkOnTheWay(_))));
        assert!(matches!(write_file(&root, Path::new("reports/outside.txt"), b"new"), Err(WriteError::LinkOnTheWay(_))));
        assert!(matches!(write_file(&root, Path::new("../outside.txt"), b"new"), Err(WriteError::Escapes(_))));
        assert_eq!(fs::read(&outside).unwrap(), b"secret");
        write_file(&root, Path::new("plans/y.md"), b"new").unwrap();
        assert_eq!(fs::read(root.join("plans/y.md")).unwrap(), b"new");
        assert_eq!(names_in(&root.join("plans")), ["x.md", "y.md"]);
    }
}
