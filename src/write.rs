//! Write stage: the whole site goes into a sibling temporary directory, which replaces the
//! output directory only once every file is written. A failed or interrupted build leaves the
//! previous output exactly as it was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::render::OutputFile;

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

/// Write `files` under a fresh temporary directory, then swap it in for `output`.
pub fn write_atomically(output: &Path, files: &[OutputFile]) -> io::Result<()> {
    let tmp = sibling(output, "tmp");
    let old = sibling(output, "old");
    for stale in [&tmp, &old] {
        if stale.exists() {
            fs::remove_dir_all(stale)?; // left by an interrupted build
        }
    }
    let result = (|| {
        fs::create_dir_all(&tmp)?;
        for (rel, bytes) in files {
            if !is_contained(rel) {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("refusing to write outside the output directory: {rel}")));
            }
            let path = tmp.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(&path, bytes)?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if output.exists() {
        fs::rename(output, &old)?;
        if let Err(e) = fs::rename(&tmp, output) {
            fs::rename(&old, output)?;
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
        fs::remove_dir_all(&old)?;
    } else {
        fs::rename(&tmp, output)?;
    }
    Ok(())
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

    #[test]
    fn a_failed_write_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_atomically(&out, &[("index.html".into(), b"old".to_vec())]).unwrap();
        let bad = [("a.html".into(), b"new".to_vec()), ("../escape.html".into(), b"x".to_vec())];
        assert!(write_atomically(&out, &bad).is_err());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"old");
        assert!(!out.join("a.html").exists());
        assert!(!sibling(&out, "tmp").exists());
    }

    #[test]
    fn a_successful_write_replaces_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        write_atomically(&out, &[("gone.html".into(), b"1".to_vec())]).unwrap();
        write_atomically(&out, &[("index.html".into(), b"2".to_vec())]).unwrap();
        assert!(!out.join("gone.html").exists());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"2");
    }
}
