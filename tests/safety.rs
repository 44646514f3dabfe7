//! Issue 9, "Nothing an editor wrote is ever lost", end to end through the real binary: each
//! test lays out a site in a temporary folder (the real content/ and the output of a previous
//! good build), does what a careless or hostile user would, and checks the exit code, that the
//! message names the cause and the fix, and that every byte outside the output — and the
//! previous output — is as it was. Crashes are simulated with `PLANPORT_TEST_HOOK` (see
//! src/write.rs), signals with `kill`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use tempfile::TempDir;

const PLANPORT: &str = env!("CARGO_BIN_EXE_planport");

/// Every file and link under a folder (links as their target, prefixed `->`), by path.
type Tree = BTreeMap<String, Vec<u8>>;

fn tree(root: &Path) -> Tree {
    let mut t = Tree::new();
    if !root.exists() {
        return t;
    }
    for e in walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned();
        if rel.is_empty() {
            continue;
        }
        if e.path_is_symlink() {
            t.insert(rel, format!("->{}", fs::read_link(e.path()).unwrap().display()).into_bytes());
        } else if e.file_type().is_file() {
            t.insert(rel, fs::read(e.path()).unwrap());
        } else if e.file_type().is_dir() {
            t.insert(format!("{rel}/"), Vec::new());
        }
    }
    t
}

/// The tree without `output/`.
fn outside_output(root: &Path) -> Tree {
    tree(root).into_iter().filter(|(k, _)| !k.starts_with("output/")).collect()
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let path = to.join(&rel);
        if rel.ends_with('/') {
            fs::create_dir_all(&path).unwrap();
        } else {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
    }
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(PLANPORT).args(args).current_dir(dir).envs(env.iter().copied()).output().expect("planport runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The output of the real content, and of the real content with one plan's title changed.
fn built(changed: bool) -> &'static Tree {
    static OLD: OnceLock<Tree> = OnceLock::new();
    static NEW: OnceLock<Tree> = OnceLock::new();
    let cell = if changed { &NEW } else { &OLD };
    cell.get_or_init(|| {
        let site = Site::bare();
        if changed {
            site.change_content();
        }
        let out = site.build(&[]);
        assert!(out.status.success(), "{}", stderr(&out));
        tree(&site.root().join("output"))
    })
}

const NEW_TITLE: &str = "title: 河南省科协2023年重点工作（修订）";

/// A site in a temp dir: `content/`, and `output/` from a previous build.
struct Site {
    _tmp: TempDir,
    /// The site folder: the temp dir, or a folder inside it.
    root: PathBuf,
}

impl Site {
    fn bare() -> Site {
        Site::bare_in("")
    }

    /// A site in `sub` of the temp dir.
    fn bare_in(sub: &str) -> Site {
        let tmp = TempDir::new().unwrap();
        let root = tmp.path().join(sub);
        copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &root.join("content"));
        Site { _tmp: tmp, root }
    }

    fn new() -> Site {
        let site = Site::bare();
        copy_tree_from(built(false), &site.root().join("output"));
        site
    }

    fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn change_content(&self) {
        let plan = self.path("content/plans/2023-key-tasks.md");
        let text = fs::read_to_string(&plan).unwrap();
        fs::write(&plan, text.replacen("title: 河南省科协2023年重点工作", NEW_TITLE, 1)).unwrap();
    }

    fn build(&self, env: &[(&str, &str)]) -> Output {
        run(self.root(), &["build"], env)
    }

    fn output(&self) -> Tree {
        tree(&self.path("output"))
    }

    /// Names in the site folder: nothing but content/ and output/ may be left there.
    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.root()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    /// Runs planport with `args`, which must fail with exit 1 naming every word of `words`
    /// and touching nothing at all. Returns stderr.
    fn refused(&self, args: &[&str], words: &[&str]) -> String {
        let before = tree(self.root());
        let out = run(self.root(), args, &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?} must exit 1:\n{err}");
        assert!(!err.contains("panicked"), "{err}");
        for w in words {
            assert!(err.contains(w), "{args:?}: the message must say {w:?}:\n{err}");
        }
        assert!(err.contains("提示："), "{args:?}: the message says how to fix it:\n{err}");
        assert!(tree(self.root()) == before, "{args:?} changed files although it was refused");
        err
    }
}

fn copy_tree_from(t: &Tree, to: &Path) {
    for (rel, bytes) in t {
        let path = to.join(rel);
        if rel.ends_with('/') {
            fs::create_dir_all(&path).unwrap();
        } else {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
    }
}

// ---- the output folder is planport's alone --------------------------------------------------

#[test]
fn refuses_an_output_that_is_holds_or_lies_inside_the_sources() {
    let site = Site::new();
    fs::create_dir_all(site.path("themes/mine/static")).unwrap();
    fs::write(site.path("themes/mine/static/site.css"), "body{}").unwrap();
    fs::create_dir_all(site.path("templates")).unwrap();
    fs::write(site.path("templates/base.html"), "{{ 1 }}").unwrap();
    let abs_content = site.path("content").display().to_string();
    let cases: [(&str, &[&str]); 10] = [
        ("content", &["就是内容文件夹"]),
        ("content/", &["就是内容文件夹"]),
        ("./content/../content", &["就是内容文件夹"]),
        (&abs_content, &["就是内容文件夹"]),
        ("content/plans", &["位于内容文件夹"]),
        ("content/new-folder/site", &["位于内容文件夹"]),
        (".", &["包含内容文件夹"]),
        ("..", &["包含内容文件夹"]),
        ("themes/mine", &["位于网站的主题文件夹"]),
        ("templates", &["就是网站的模板文件夹"]),
    ];
    for (output, words) in cases {
        let mut words = words.to_vec();
        words.push("--output");
        site.refused(&["build", "--output", output], &words);
    }
}

/// The first report: `--content proj/content --output proj` deleted the sources.
#[test]
fn refuses_the_site_folder_and_the_current_directory_as_output() {
    let site = Site::bare();
    let proj = site.path("proj");
    fs::create_dir(&proj).unwrap();
    fs::rename(site.path("content"), proj.join("content")).unwrap();
    site.refused(&["build", "--content", "proj/content", "--output", "proj"], &["包含内容文件夹"]);
    fs::create_dir(site.path("elsewhere")).unwrap();
    let before = tree(site.root());
    let out = run(&site.path("elsewhere"), &["build", "--content", "../proj/content", "--output", "."], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("就是当前文件夹") && stderr(&out).contains("提示："), "{}", stderr(&out));
    assert!(tree(site.root()) == before);
}

#[test]
fn refuses_an_output_path_that_is_a_file_or_a_link_before_any_work() {
    let site = Site::new();
    fs::write(site.path("notes.txt"), "an editor's notes").unwrap();
    // Broken content too: the output is refused first, without reading the content.
    fs::write(site.path("content/plans/broken.md"), "---\ntitle: [\n---\n").unwrap();
    site.refused(&["build", "--output", "notes.txt"], &["notes.txt", "不是文件夹"]);
    std::os::unix::fs::symlink("content", site.path("alias")).unwrap();
    site.refused(&["build", "--output", "alias"], &["alias", "是符号链接"]);
    site.refused(&["build", "--output", "alias/x"], &["位于内容文件夹"]);
}

#[test]
fn refuses_a_folder_that_planport_did_not_write() {
    let site = Site::bare();
    for (folder, file) in [("docs", "report.docx"), ("public", "index.html"), ("hidden", ".git/config")] {
        fs::create_dir_all(site.path(folder).join(file).parent().unwrap()).unwrap();
        fs::write(site.path(folder).join(file), "someone's work").unwrap();
        site.refused(&["build", "--output", folder], &[folder, "不是 planport 写的文件", ".planport-output"]);
    }
    fs::create_dir(site.path("empty")).unwrap();
    let out = run(site.root(), &["build", "--output", "empty"], &[]);
    assert!(out.status.success(), "an empty folder may become the output:\n{}", stderr(&out));
    assert!(tree(&site.path("empty")) == *built(false));
}

#[test]
fn a_failed_build_leaves_every_byte_and_no_debris() {
    let site = Site::new();
    fs::write(site.path("content/plans/broken.md"), "---\ntitle: [\n---\n").unwrap();
    let before = tree(site.root());
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(tree(site.root()) == before, "a failed build changed a byte");
    // Into a folder whose parents do not exist yet: they are removed again.
    let out = run(site.root(), &["build", "--output", "a/b/site"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(tree(site.root()) == before, "a failed build left the folders it made for the output");
}

// ---- the swap survives a crash at every step ------------------------------------------------

/// Kill the build after each step of the write stage; the output is then the old or the new
/// site, and the next build ends with the new site and no debris.
#[test]
fn a_build_killed_at_any_step_leaves_the_old_or_the_new_site() {
    for step in ["locked", "staged", "written", "swapped", "cleaned"] {
        let site = Site::new();
        site.change_content();
        let outside = outside_output(site.root());
        let out = site.build(&[("PLANPORT_TEST_HOOK", &format!("abort-after={step}"))]);
        assert!(!out.status.success(), "{step}: the hook aborts");
        let now = site.output();
        assert!(now == *built(false) || now == *built(true), "{step}: the output is neither the old nor the new site");
        if matches!(step, "locked" | "staged" | "written") {
            assert!(now == *built(false), "{step}: before the swap the old site stays");
        } else {
            assert!(now == *built(true), "{step}: after the swap the new site is in place");
        }
        let after = site.build(&[]);
        assert!(after.status.success(), "{step}: the next build succeeds:\n{}", stderr(&after));
        assert!(site.output() == *built(true), "{step}");
        assert_eq!(site.names(), ["content", "output"], "{step}: debris is cleaned up");
        assert!(outside_output(site.root()) == outside, "{step}: nothing outside output/ changed");
    }
}

/// Where the file system cannot exchange two folders, the swap is two renames; a crash
/// between them leaves the old site aside, and the next build — even one that fails — puts
/// it back first.
#[test]
fn the_next_build_restores_the_old_site_after_a_crash_between_two_renames() {
    let site = Site::new();
    let out = site.build(&[("PLANPORT_TEST_HOOK", "two-step-swap,abort-after=moved-aside")]);
    assert!(!out.status.success());
    fs::write(site.path("content/plans/broken.md"), "---\ntitle: [\n---\n").unwrap();
    let failed = site.build(&[]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(stderr(&failed).contains("已恢复上一版网站"), "{}", stderr(&failed));
    assert!(site.output() == *built(false), "the previous site is back");
    fs::remove_file(site.path("content/plans/broken.md")).unwrap();
    site.change_content();
    let out = site.build(&[("PLANPORT_TEST_HOOK", "two-step-swap")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.output() == *built(true));
    assert_eq!(site.names(), ["content", "output"]);
}

/// A previous site that cannot be removed after a good swap is a warning naming it; the build
/// succeeds, and the next one removes it.
#[test]
fn a_cleanup_failure_after_the_swap_is_a_warning_not_a_stuck_state() {
    let site = Site::new();
    site.change_content();
    let out = site.build(&[("PLANPORT_TEST_HOOK", "fail-cleanup")]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let leftover = site.names().into_iter().find(|n| n.contains("planport-staging")).expect("the previous site is left beside the output");
    assert!(err.contains("警告：无法删除") && err.contains(&leftover) && err.contains("请删除那个文件夹"), "{err}");
    assert!(site.output() == *built(true));
    let next = site.build(&[]);
    assert!(next.status.success(), "{}", stderr(&next));
    assert!(stderr(&next).contains("已删除一次中断的生成留下的") && stderr(&next).contains(&leftover), "{}", stderr(&next));
    assert_eq!(site.names(), ["content", "output"]);
    assert!(site.output() == *built(true));
}

/// Start a build that stops at `step` and waits; returns it once it has said so.
fn paused_build(site: &Site, step: &str) -> (Child, BufReader<std::process::ChildStderr>) {
    let mut child = Command::new(PLANPORT)
        .arg("build")
        .current_dir(site.root())
        .env("PLANPORT_TEST_HOOK", format!("pause-after={step}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    wait_for_line(&mut err, &format!("test hook: paused after {step}"));
    (child, err)
}

/// Read lines until one contains `needle` (the child prints it when it gets there).
fn wait_for_line(r: &mut impl BufRead, needle: &str) -> String {
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(r.read_line(&mut line).unwrap() > 0, "the process ended without saying {needle:?}:\n{seen}");
        seen.push_str(&line);
        if line.contains(needle) {
            return line;
        }
    }
}

fn terminate(child: &Child) {
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
}

#[test]
fn sigterm_removes_the_staging_folder_and_keeps_the_old_site() {
    for step in ["staged", "written"] {
        let site = Site::new();
        site.change_content();
        let (mut child, mut err) = paused_build(&site, step);
        assert!(site.names().iter().any(|n| n.contains("planport-staging")), "{step}: the build is staging");
        terminate(&child);
        let status = child.wait().unwrap();
        let mut rest = String::new();
        err.read_to_string(&mut rest).unwrap();
        assert_eq!(status.code(), Some(130), "{step}: {rest}");
        assert!(rest.contains("已中断"), "{step}: says what happened:\n{rest}");
        assert!(site.output() == *built(false), "{step}: the old site stays");
        assert_eq!(site.names(), ["content", "output"], "{step}: no staging folder or lock is left");
    }
}

// ---- one build at a time ---------------------------------------------------------------------

/// Builds started while another holds the output wait for it, name it, and then each builds
/// the complete site in turn.
#[test]
fn builds_that_meet_wait_for_each_other_and_say_so() {
    for n in [2, 4] {
        let site = Site::new();
        site.change_content();
        let (first, _first_err) = paused_build(&site, "locked");
        let holder = first.id();
        let waiting: Vec<(Child, BufReader<_>)> = (1..n)
            .map(|_| {
                let mut c = Command::new(PLANPORT).arg("build").current_dir(site.root()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
                let mut err = BufReader::new(c.stderr.take().unwrap());
                let line = wait_for_line(&mut err, "等待中");
                assert!(line.contains(&format!("进程 {holder}")), "names the build it waits for: {line}");
                (c, err)
            })
            .collect();
        terminate(&first);
        let mut first = first;
        assert_eq!(first.wait().unwrap().code(), Some(130));
        for (c, mut err) in waiting {
            let out = c.wait_with_output().unwrap();
            let mut rest = String::new();
            err.read_to_string(&mut rest).unwrap();
            assert!(out.status.success(), "{n} builds: {rest}");
            assert!(String::from_utf8_lossy(&out.stdout).contains("已生成 "), "{n} builds: each says it built the site");
        }
        assert!(site.output() == *built(true), "{n} builds: one complete, correct site");
        assert_eq!(site.names(), ["content", "output"], "{n} builds: no debris");
    }
}

/// Without any hook: builds started together all succeed, and the site is whole.
#[test]
fn builds_started_together_end_with_one_complete_site() {
    for n in [2, 4] {
        let site = Site::new();
        site.change_content();
        let children: Vec<Child> = (0..n)
            .map(|_| Command::new(PLANPORT).arg("build").current_dir(site.root()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap())
            .collect();
        let pids: Vec<String> = children.iter().map(|c| c.id().to_string()).collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            let err = stderr(&out);
            assert!(out.status.success(), "{err}");
            assert!(String::from_utf8_lossy(&out.stdout).contains("已生成 "));
            if let Some(line) = err.lines().find(|l| l.starts_with("等待中")) {
                let named = pids.iter().any(|p| line.contains(&format!("进程 {p}）"))) || line.contains("持有") && line.contains(".output.planport-lock");
                assert!(named, "waits for one of the builds started, and names it: {line}");
            }
        }
        assert!(site.output() == *built(true), "{n} builds: one complete, correct site");
        assert_eq!(site.names(), ["content", "output"]);
    }
}

// ---- paths from content and config stay inside their root -----------------------------------

#[test]
fn refuses_a_theme_name_that_leaves_the_themes_folder() {
    let site = Site::new();
    let secret = site.path("secret/static/key.pem");
    fs::create_dir_all(secret.parent().unwrap()).unwrap();
    fs::write(&secret, "PRIVATE KEY").unwrap();
    let original = fs::read_to_string(site.path("content/site.yaml")).unwrap();
    for theme in ["../secret", "../../../../etc", "/etc", "themes/../secret", ".hidden", "a\\b"] {
        fs::write(site.path("content/site.yaml"), original.replacen("theme: default", &format!("theme: '{theme}'"), 1)).unwrap();
        let err = site.refused(&["build"], &["content/site.yaml", "不是一个简单的文件夹名"]);
        assert!(!err.contains("PRIVATE"), "{err}");
        site.refused(&["check"], &["不是一个简单的文件夹名"]);
    }
    fs::create_dir_all(site.path("themes")).unwrap();
    std::os::unix::fs::symlink(site.path("secret"), site.path("themes/linked")).unwrap();
    fs::write(site.path("content/site.yaml"), original.replacen("theme: default", "theme: linked", 1)).unwrap();
    site.refused(&["build"], &["themes/linked", "是符号链接"]);
}

#[test]
fn import_never_writes_through_a_link() {
    let site = Site::new();
    let outside = site.path("outside.md");
    fs::write(&outside, "an editor's file outside content/").unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/002_93fdddc618aee4c0.txt");
    let seed = seed.to_str().unwrap();
    let target = site.path("content/plans/2021-society-work-points.md");
    fs::remove_file(&target).unwrap();
    std::os::unix::fs::symlink(&outside, &target).unwrap();
    site.refused(&["import", seed, "--into", "content", "--force"], &["2021-society-work-points.md", "是符号链接", "提示："]);
    // A link to a folder on the way.
    fs::remove_file(&target).unwrap();
    fs::rename(site.path("content/plans"), site.path("plans-real")).unwrap();
    std::os::unix::fs::symlink(site.path("plans-real"), site.path("content/plans")).unwrap();
    site.refused(&["import", seed, "--into", "content", "--force"], &["content/plans", "是符号链接"]);
    assert_eq!(fs::read_to_string(&outside).unwrap(), "an editor's file outside content/");
}

#[test]
fn import_refuses_devices_pipes_and_huge_files_before_reading_them() {
    let site = Site::new();
    assert!(Command::new("mkfifo").arg(site.path("pipe.txt")).status().unwrap().success());
    fs::write(site.path("huge.txt"), vec![b'a'; 5 * 1024 * 1024]).unwrap();
    fs::create_dir(site.path("folder.txt")).unwrap();
    for (file, words) in [
        ("/dev/zero", &["/dev/zero", "不是普通文件"][..]),
        ("pipe.txt", &["pipe.txt", "不是普通文件"]),
        ("folder.txt", &["folder.txt", "不是普通文件"]),
        ("huge.txt", &["huge.txt", "上限是 4 MB"]),
    ] {
        site.refused(&["import", file, "--into", "content"], words);
    }
}

// ---- new writes YAML that reads back as written ------------------------------------------------

#[test]
fn new_writes_titles_with_colons_and_quotes_as_one_value() {
    for title in ["河南省科协2026年工作要点: 修订稿", "a: b # c", "'quoted' \"twice\"", "- [x]", "yes"] {
        let site = Site::bare();
        let out = run(site.root(), &["new", "plan", "--year", "2026", &format!("--title={title}")], &[]);
        assert!(out.status.success(), "{title}: {}", stderr(&out));
        let text = fs::read_to_string(site.path("content/plans/2026-work-points.md")).unwrap();
        let yaml = text.split("---\n").nth(1).unwrap();
        let front: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{title}: {e}\n{text}"));
        assert_eq!(front["title"].as_str(), Some(title), "{text}");
        // The untouched skeleton's only errors are its placeholders (E0850): the title reads.
        let check = stderr(&run(site.root(), &["check"], &[]));
        assert!(check.lines().filter(|l| l.starts_with("error")).all(|l| l.starts_with("error[E0850]")), "{title}: {check}");
    }
}

#[test]
fn new_refuses_a_line_break_that_would_inject_keys() {
    let site = Site::bare();
    site.refused(&["new", "plan", "--year", "2026", "--title", "标题\nslug: ../../evil"], &["--title", "换行"]);
    site.refused(&["new", "report", "--city", "郑州", "--year", "2025", "--date", "2026-03", "--title", "a\rb"], &["--title", "换行"]);
}

// ---- output grows linearly ---------------------------------------------------------------------

#[test]
fn no_page_lists_every_free_page() {
    let site = Site::bare();
    for i in 0..40 {
        fs::write(site.path(&format!("content/pages/p{i:02}.md")), format!("---\ntitle: 页面{i}\n---\n\n正文。\n")).unwrap();
    }
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let output = site.output();
    let home = String::from_utf8_lossy(&output["index.html"]).into_owned();
    let listed = (0..40).filter(|i| home.contains(&format!("href=\"/p{i:02}/\""))).count();
    assert!(listed <= 8, "the footer lists {listed} of 40 free pages");
    let p39 = String::from_utf8_lossy(&output["p39/index.html"]).into_owned();
    assert!(p39.contains("页面39"), "every free page is still built");
}

// ---- serve ---------------------------------------------------------------------------------------

/// `planport serve --port 0` in a site; killed when dropped.
struct Server {
    child: Child,
    addr: String,
    /// Kept open: serve must be able to write to it.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Server {
    fn start(site: &Site) -> Server {
        let mut child =
            Command::new(PLANPORT).args(["serve", "--port", "0"]).current_dir(site.root()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let line = wait_for_line(&mut out, "正在预览");
        let addr = line.split("http://").nth(1).and_then(|a| a.split('/').next()).expect("serve prints its address").to_string();
        Server { child, addr, _stdout: out }
    }

    /// Status line and body of one request.
    fn request(&self, method: &str, path: &str) -> (String, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(s, "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", self.addr).unwrap();
        let mut response = Vec::new();
        s.read_to_end(&mut response).unwrap();
        let text = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        (head.to_string(), body.to_string())
    }

    /// The build version after the one the server is at now has finished.
    fn wait_past(&self, version: u64) -> u64 {
        loop {
            let (_, body) = self.request("GET", &format!("/__planport/wait?v={version}"));
            let now: u64 = body.trim().parse().unwrap();
            if now != version {
                return now;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Replace a content file in one step (a rename), as editors' tools save.
fn save(site: &Site, rel: &str, text: &str) {
    let tmp = site.path("saving.tmp");
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, site.path(rel)).unwrap();
}

#[test]
fn serve_picks_up_a_fix_after_deeply_nested_yaml() {
    let site = Site::new();
    let server = Server::start(&site);
    let plan = "content/plans/2023-key-tasks.md";
    let good = fs::read_to_string(site.path(plan)).unwrap();
    let mut v = server.wait_past(0);
    // Each save is followed by the rebuilds it causes; the page shows the last one's result.
    let mut after_save = |text: &str, url: &str, expect: &str| {
        save(&site, plan, text);
        for _ in 0..10 {
            v = server.wait_past(v);
            let (head, body) = server.request("GET", url);
            if body.contains(expect) {
                return head;
            }
        }
        panic!("{url} never showed {expect:?}");
    };
    let head = after_save(&format!("---\ntitle: {}\n---\n", "[".repeat(60_000)), "/", "嵌套超过");
    assert!(head.contains(" 500 "), "{head}");
    let head = after_save(&good.replacen("title: 河南省科协2023年重点工作", NEW_TITLE, 1), "/plans/2023-key-tasks/", "（修订）");
    assert!(head.contains(" 200 "), "the next save is picked up:\n{head}");
}

/// Regression: serve ignored every edit when a folder of the site's path started with `.`.
#[test]
fn serve_takes_edits_in_a_site_under_a_hidden_folder() {
    let site = Site::bare_in(".drafts/site");
    let server = Server::start(&site);
    let mut v = server.wait_past(0);
    site.change_content();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let (_, body) = server.request("GET", "/plans/2023-key-tasks/");
        if body.contains("（修订）") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the edit under .drafts/ never showed");
        v = server.wait_past(v); // a long poll: returns at the next rebuild (or after 25 s)
    }
}

#[test]
fn serve_answers_only_get_and_head() {
    let site = Site::new();
    let server = Server::start(&site);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let (head, _) = server.request(method, "/");
        assert!(head.starts_with("HTTP/1.1 405"), "{method}: {head}");
        assert!(head.contains("Allow: GET, HEAD"), "{method}: {head}");
    }
    let (head, body) = server.request("HEAD", "/");
    assert!(head.starts_with("HTTP/1.1 200") && body.is_empty(), "{head}");
    assert!(server.request("GET", "/").0.starts_with("HTTP/1.1 200"));
    assert!(site.output() == *built(false), "serve built the same site");
}
