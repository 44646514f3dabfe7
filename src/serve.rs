//! `planport serve`: build, serve output/ on 127.0.0.1, watch content/ and the theme, rebuild on
//! change and reload open tabs. A broken build shows its diagnostics in the browser (and the
//! terminal) until a fix rebuilds the site; the server keeps running throughout.
//!
//! Rebuilds are incremental ([`LiveSite`]): an edited plan or report is re-read alone and its
//! page written at once; the rest that the edit changes follows, unless another edit comes first.
//!
//! Live reload is a long poll: each page loads `/__planport/live.js`, which asks
//! `/__planport/wait?v=<version>`; the server answers when the version changes.

use std::fs;
use std::io::{self, Read};
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::diagnostics::Report;
use crate::incremental::LiveSite;

/// The state every request reads: which build is current, and whether it failed.
#[derive(Debug, Default)]
struct State {
    version: u64,
    error: Option<String>,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

const LIVE_JS: &str = r#"(function () {
  var v = document.documentElement.getAttribute('data-planport-version');
  function wait() {
    fetch('/__planport/wait?v=' + v, {cache: 'no-store'}).then(function (r) { if (!r.ok) { throw r; } return r.text(); })
      .then(function (nv) { if (nv !== v) { location.reload(); } else { wait(); } })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
"#;

/// How long a long poll is held before answering "no change" (the page asks again).
const POLL_HOLD: Duration = Duration::from_secs(25);
/// Changes arriving within this window are one rebuild (editors save several files at once).
/// Short: an edit of one document is written within a few tens of milliseconds.
const SETTLE: Duration = Duration::from_millis(30);

/// Requests are answered by this many threads; more requests wait in the listener's queue
/// instead of each starting a thread.
const WORKERS: usize = 16;
/// Live-reload polls held at once (each holds a worker); more are told to come back later
/// (503), so that pages are always served.
const MAX_WAITING_POLLS: usize = WORKERS / 2;

/// Options of `planport serve`.
pub struct ServeOptions {
    pub content: PathBuf,
    pub output: PathBuf,
    pub port: u16,
    /// Called when the output is whole after a build, a rebuild or a catch-up and the server
    /// waits for the next edit (the binary gives freed memory back to the system then, not
    /// during the next edit).
    pub idle: fn(),
}

/// Plain-text diagnostics for the terminal (sorted, as `report_html` expects them).
pub fn report_text(report: &Report) -> String {
    format!("{}{}\n", report.render(false), report.summary())
}

/// Warnings shown in full after an update; the rest are counted.
const SHOWN_WARNINGS: usize = 30;

/// Warnings do not stop the preview; the terminal shows them after every rebuild.
fn print_warnings(mut warnings: Report) {
    if !warnings.is_empty() {
        eprint!("{}", warnings.render_first(SHOWN_WARNINGS, false));
    }
}

/// Build or update the site, then tell the open tabs. Returns whether the site is sound.
fn rebuild(opts: &ServeOptions, live: &mut Option<LiveSite>, changed: Vec<PathBuf>, shared: &Shared) -> bool {
    let started = std::time::Instant::now();
    let result = match live {
        Some(site) => site.update(changed).map(|w| {
            print_warnings(w.warnings);
            if w.full {
                eprintln!("已重新生成整个网站，用时 {} 毫秒：写入 {} 个文件，删除 {} 个", started.elapsed().as_millis(), w.files, w.removed);
            } else {
                let ms = started.elapsed().as_millis();
                eprintln!("已更新 {} 个文件（删除 {} 个），用时 {ms} 毫秒（其中读取、检查和索引 {} 毫秒）", w.files, w.removed, w.indexed.as_millis());
            }
        }),
        None => LiveSite::start(&opts.content, &opts.output).map(|(site, stats)| {
            eprintln!("已生成 {} 个页面，用时 {} 毫秒", stats.pages, stats.elapsed.as_millis());
            print_warnings(stats.warnings);
            *live = Some(site);
        }),
    };
    let sound = result.is_ok();
    set_state(shared, result.err());
    sound
}

fn set_state(shared: &Shared, error: Option<Report>) {
    let (lock, cvar) = &**shared;
    let mut state = lock.lock().expect("state lock");
    state.error = error.map(|mut report| {
        report.sort();
        eprint!("生成失败：\n{}", report_text(&report));
        report.render_html()
    });
    state.version += 1;
    cvar.notify_all();
}

/// Write the rest of what the last edits changed, unless an edit comes meanwhile (`seen` is
/// then behind `edits`). The open tabs reload once it is all written. Once the output is whole,
/// whether by this catch-up or by the rebuild before it, `idle` runs.
fn catch_up(live: &mut Option<LiveSite>, edits: &AtomicU64, seen: u64, shared: &Shared, idle: fn()) {
    let Some(site) = live.as_mut() else { return };
    if site.behind() {
        let started = std::time::Instant::now();
        match site.catch_up(&|| edits.load(Ordering::SeqCst) != seen) {
            Ok((true, w)) => {
                let took = started.elapsed();
                set_state(shared, None);
                idle();
                // Said last: a script that saves as soon as it reads this finds the server idle.
                eprintln!("其余页面已更新，用时 {} 毫秒：写入 {} 个文件，删除 {} 个", took.as_millis(), w.files, w.removed);
            }
            Ok((false, _)) => {}
            Err(report) => set_state(shared, Some(report)),
        }
    } else if edits.load(Ordering::SeqCst) == seen {
        idle();
    }
}

/// Serve until the process is stopped. Returns only on a startup error.
pub fn serve(opts: ServeOptions) -> io::Result<()> {
    let shared: Shared = Arc::new((Mutex::new(State::default()), Condvar::new()));
    let mut live = None;
    if rebuild(&opts, &mut live, Vec::new(), &shared) {
        (opts.idle)();
    }
    // tiny_http boxes the system's error; unboxed, its kind (e.g. AddrInUse) gives the Chinese
    // reason instead of the system's English text.
    let server = tiny_http::Server::http(SocketAddr::from(([127, 0, 0, 1], opts.port)))
        .map_err(|e| e.downcast::<io::Error>().map_or_else(|e| io::Error::other(e.to_string()), |e| *e))?;
    let addr = server.server_addr().to_ip().map(|a| a.to_string()).unwrap_or_default();

    let root = opts.content.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let watched: Vec<PathBuf> = [opts.content.clone(), root.join("themes"), root.join("templates")].into_iter().filter(|d| d.is_dir()).collect();
    // Events name paths as given or resolved; hidden names count only below a watched folder
    // (a site may itself live under a hidden folder such as a temp dir `.tmpXYZ`).
    let prefixes: Vec<PathBuf> = watched.iter().flat_map(|d| [d.clone(), fs::canonicalize(d).unwrap_or_else(|_| d.clone())]).collect();
    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    // Counts the edits seen by the watcher, so that a catch-up stops for a newer one.
    let edits = Arc::new(AtomicU64::new(0));
    let counted = edits.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(e) = event {
            // Reads (our own build opens every file) and attribute changes are no edits.
            let is_edit = matches!(e.kind, EventKind::Create(_) | EventKind::Remove(_))
                || matches!(e.kind, EventKind::Modify(m) if !matches!(m, notify::event::ModifyKind::Metadata(_)));
            let paths: Vec<PathBuf> = e.paths.into_iter().filter(|p| !is_hidden(p, &prefixes)).collect();
            if is_edit && !paths.is_empty() {
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = tx.send(paths);
            }
        }
    })
    .map_err(io::Error::other)?;
    for dir in &watched {
        watcher.watch(dir, RecursiveMode::Recursive).map_err(io::Error::other)?;
    }
    // Only now: a save right after this line is seen.
    println!("正在预览 {}：http://{addr}/（按 Ctrl-C 停止）", opts.output.display());
    let watch_shared = shared.clone();
    let watch_opts = ServeOptions { content: opts.content.clone(), output: opts.output.clone(), port: opts.port, idle: opts.idle };
    std::thread::spawn(move || {
        let _watcher = watcher; // kept alive as long as this thread runs
        while let Ok(mut changed) = rx.recv() {
            while let Ok(more) = rx.recv_timeout(SETTLE) {
                changed.extend(more);
            }
            let seen = edits.load(Ordering::SeqCst);
            // A broken site is not caught up: that would clear its error page.
            if rebuild(&watch_opts, &mut live, changed, &watch_shared) {
                catch_up(&mut live, &edits, seen, &watch_shared, watch_opts.idle);
            }
        }
    });

    let output = Arc::new(opts.output);
    let server = Arc::new(server);
    let polls = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, shared, output, polls) = (server.clone(), shared.clone(), output.clone(), polls.clone());
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    let _ = respond(request, &output, &shared, &polls);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

/// Counts a held live-reload poll for as long as it lives.
struct HeldPoll<'a>(&'a AtomicUsize);

impl<'a> HeldPoll<'a> {
    fn hold(count: &'a AtomicUsize) -> Option<HeldPoll<'a>> {
        let held = HeldPoll(count);
        (count.fetch_add(1, Ordering::SeqCst) < MAX_WAITING_POLLS).then_some(held)
    }
}

impl Drop for HeldPoll<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn is_hidden(path: &Path, watched: &[PathBuf]) -> bool {
    let below = watched.iter().find_map(|d| path.strip_prefix(d).ok()).unwrap_or(path);
    below.components().any(|c| matches!(c, Component::Normal(n) if n.to_string_lossy().starts_with('.') || n.to_string_lossy().ends_with('~')))
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn respond(request: tiny_http::Request, output: &Path, shared: &Shared, polls: &AtomicUsize) -> io::Result<()> {
    // A preview server only reads; HEAD is answered like GET without the body (tiny_http).
    if !matches!(request.method(), tiny_http::Method::Get | tiny_http::Method::Head) {
        let r = tiny_http::Response::from_string("不允许的请求方法：预览服务器只响应 GET 和 HEAD\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"));
        return request.respond(r);
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let (lock, cvar) = &**shared;
    if path == "/__planport/live.js" {
        let r = tiny_http::Response::from_string(LIVE_JS).with_header(header("Content-Type", "text/javascript; charset=utf-8"));
        return request.respond(r);
    }
    if path == "/__planport/wait" {
        let seen: u64 = query.strip_prefix("v=").and_then(|v| v.parse().ok()).unwrap_or(0);
        let Some(_held) = HeldPoll::hold(polls) else {
            let r = tiny_http::Response::from_string("busy").with_status_code(503).with_header(header("Retry-After", "1"));
            return request.respond(r);
        };
        let state = lock.lock().expect("state lock");
        let (state, _) = cvar.wait_timeout_while(state, POLL_HOLD, |s| s.version == seen).expect("state lock");
        let r = tiny_http::Response::from_string(state.version.to_string()).with_header(header("Cache-Control", "no-store"));
        drop(state);
        return request.respond(r);
    }
    let (version, error) = {
        let s = lock.lock().expect("state lock");
        (s.version, s.error.clone())
    };
    let Some(file) = resolve(output, path) else {
        return request.respond(tiny_http::Response::from_string("路径无效").with_status_code(400));
    };
    let is_html = file.extension().is_some_and(|e| e == "html");
    if let Some(error) = error.filter(|_| is_html || path.ends_with('/')) {
        let page = error_page(&error, version);
        let r = tiny_http::Response::from_string(page).with_status_code(500).with_header(header("Content-Type", "text/html; charset=utf-8"));
        return request.respond(r);
    }
    let (status, file) = if file.is_file() { (200, file) } else { (404, output.join("404.html")) };
    let mut bytes = Vec::new();
    if fs::File::open(&file).and_then(|mut f| f.read_to_end(&mut bytes)).is_err() {
        return request.respond(tiny_http::Response::from_string("找不到这个页面").with_status_code(404));
    }
    let is_html = file.extension().is_some_and(|e| e == "html");
    if is_html {
        bytes = inject_live_reload(&bytes, version);
    }
    let r = tiny_http::Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type(&file)))
        .with_header(header("Cache-Control", "no-store"));
    request.respond(r)
}

/// Map a URL path to a file under `output`; `None` for paths that try to leave it.
fn resolve(output: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let rel = decoded.trim_start_matches('/');
    let mut file = output.to_path_buf();
    for part in rel.split('/').filter(|p| !p.is_empty()) {
        if part == ".." || part == "." || part.contains('\\') {
            return None;
        }
        file.push(part);
    }
    if decoded.ends_with('/') || file.is_dir() {
        file.push("index.html");
    }
    Some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|c| c.into_owned())
}

fn inject_live_reload(html: &[u8], version: u64) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let script = "<script src=\"/__planport/live.js\"></script>";
    let text = text.replacen("<html ", &format!("<html data-planport-version=\"{version}\" "), 1);
    match text.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

/// The page every HTML request gets while the build is broken. `error` is the report's HTML
/// ([`Report::render_html`]): messages and hints wrap, the quoted lines never do (a wrapped
/// line would part the carets from their text); a long one scrolls sideways inside its box,
/// which starts scrolled to the marked text (on a phone it may lie beyond the first screen).
fn error_page(error: &str, version: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\" data-planport-version=\"{version}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>生成失败 · planport</title>\
<style>body{{font:18px/1.7 system-ui,'Noto Sans CJK SC',sans-serif;margin:1em;color:#1a1a1a}}\
.diagnostic{{background:#fff4f4;border:2px solid #9e1b1b;padding:.5em 1em;margin:1em 0}}.message b{{color:#9e1b1b}}.hint{{margin:.3em 0}}.where{{margin:.3em 0;overflow-wrap:anywhere;font-size:15px}}\
pre{{position:relative;white-space:pre;overflow-x:auto;margin:0;font:15px/1.6 'Noto Sans Mono CJK SC','Noto Sans Mono',monospace}}\
mark{{background:#ffd7d7;color:inherit}}.pad{{visibility:hidden}}.caret{{color:#9e1b1b;font-weight:bold}}</style></head>\
<body><h1>生成失败</h1><p>改正下面的问题并保存文件，页面会自动刷新。</p><div id=\"planport-error\">{error}</div>\
<script>document.querySelectorAll('#planport-error pre').forEach(function (pre) {{ var m = pre.querySelector('mark'); \
if (m && m.offsetLeft + m.offsetWidth > pre.clientWidth) {{ pre.scrollLeft = m.offsetLeft - pre.clientWidth / 3; }} }});</script>\
<script src=\"/__planport/live.js\"></script></body></html>"
    )
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_refuses_to_leave_the_output() {
        let out = Path::new("/srv/out");
        assert_eq!(resolve(out, "/../etc/passwd"), None);
        assert_eq!(resolve(out, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(out, "/plans/x/").unwrap(), Path::new("/srv/out/plans/x/index.html"));
    }

    #[test]
    fn percent_decoding_of_chinese_paths() {
        assert_eq!(percent_decode("/%E7%A7%91%E6%99%AE/").as_deref(), Some("/科普/"));
    }

    #[test]
    fn live_reload_goes_before_the_end_of_body() {
        let html = inject_live_reload(b"<html lang=\"zh-CN\"><body>x</body></html>", 3);
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("data-planport-version=\"3\""));
        assert!(html.ends_with("<script src=\"/__planport/live.js\"></script></body></html>"));
    }
}
