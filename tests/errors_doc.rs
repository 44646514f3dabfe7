//! Issue 12: every diagnostic code used in src/ is explained in docs/errors.md, and the
//! document explains no code that is gone.

use std::collections::BTreeSet;
use std::path::Path;

/// `E0201`, `W0001`: a letter and four digits between double quotes, as the code writes them.
fn codes_in_source(dir: &Path, codes: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            codes_in_source(&path, codes);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices('"') {
                let code = text.get(i + 1..i + 6).unwrap_or("");
                let quoted = text.get(i + 6..i + 7) == Some("\"");
                if quoted && is_code(code) {
                    codes.insert(code.to_string());
                }
            }
        }
    }
}

fn is_code(code: &str) -> bool {
    code.len() == 5 && (code.starts_with('E') || code.starts_with('W')) && code[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The first cell of each table row: `| E0201 | … |`.
fn codes_in_doc(text: &str) -> BTreeSet<String> {
    text.lines().filter_map(|l| l.strip_prefix("| ")?.split(' ').next()).filter(|c| is_code(c)).map(str::to_string).collect()
}

#[test]
fn every_code_in_src_is_documented_and_every_documented_code_is_used() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used = BTreeSet::new();
    codes_in_source(&repo.join("src"), &mut used);
    let doc = std::fs::read_to_string(repo.join("docs/errors.md")).unwrap();
    let documented = codes_in_doc(&doc);
    assert!(used.len() > 50, "the scan finds the codes: {used:?}");
    let undocumented: Vec<_> = used.difference(&documented).collect();
    let unused: Vec<_> = documented.difference(&used).collect();
    assert!(undocumented.is_empty(), "codes missing from docs/errors.md: {undocumented:?}");
    assert!(unused.is_empty(), "docs/errors.md explains codes no longer used: {unused:?}");
}

#[test]
fn each_code_is_documented_once() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/errors.md")).unwrap();
    let rows: Vec<&str> = doc.lines().filter_map(|l| l.strip_prefix("| ")?.split(' ').next()).filter(|c| is_code(c)).collect();
    let unique: BTreeSet<&str> = rows.iter().copied().collect();
    assert_eq!(rows.len(), unique.len(), "a code has two rows");
}
