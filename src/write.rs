//! Write stage: the site goes into a sibling temporary directory as it renders, which replaces
//! the output directory only once every file is written. A failed or interrupted build leaves the
//! previous output exactly as it was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!(".{name}.planport-{suffix}"))
}

/// A relative path of plain segments: nothing may be written outside the output directory.
fn is_contained(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// An output being written: files go into a sibling temporary directory as they are made;
/// [`StagedOutput::commit`] swaps it in for the output directory. Dropped without a commit (a
/// failed build), it removes the temporary directory and the output stays as it was.
pub struct StagedOutput {
    output: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl StagedOutput {
    /// Start a fresh temporary directory beside `output` (removing one an interrupted build left).
    pub fn begin(output: &Path) -> io::Result<StagedOutput> {
        let tmp = sibling(output, "tmp");
        for stale in [&tmp, &sibling(output, "old")] {
            if stale.exists() {
                fs::remove_dir_all(stale)?;
            }
        }
        fs::create_dir_all(&tmp)?;
        Ok(StagedOutput { output: output.to_path_buf(), tmp, committed: false })
    }

    /// Write one file; `rel` must stay inside the output. Safe to call from many threads.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if !is_contained(rel) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("refusing to write outside the output directory: {rel}")));
        }
        let path = self.tmp.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, bytes)
    }

    /// Swap the finished site in for the output directory.
    pub fn commit(mut self) -> io::Result<()> {
        let old = sibling(&self.output, "old");
        if self.output.exists() {
            fs::rename(&self.output, &old)?;
            if let Err(e) = fs::rename(&self.tmp, &self.output) {
                fs::rename(&old, &self.output)?;
                return Err(e);
            }
            fs::remove_dir_all(&old)?;
        } else {
            fs::rename(&self.tmp, &self.output)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
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
    fn write_atomically(output: &Path, files: &[(&str, &[u8])]) -> io::Result<()> {
        let staged = StagedOutput::begin(output)?;
        for (rel, bytes) in files {
            staged.write(rel, bytes)?;
        }
        staged.commit()
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
        assert!(!sibling(&out, "tmp").exists());
    }

    #[test]
    fn a_successful_write_replaces_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_atomically(&out, &[("gone.html", b"1")]).unwrap();
        write_atomically(&out, &[("index.html", b"2")]).unwrap();
        assert!(!out.join("gone.html").exists());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"2");
    }
}
