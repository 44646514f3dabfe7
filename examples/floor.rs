//! The floor: the least work any generator does for a corpus's document pages, to set a
//! build's time beside. Lists every `.md` file under CONTENT (walkdir), then, in parallel, reads each, parses its
//! YAML front matter into a `serde_yaml::Value`, renders the Markdown body with pulldown-cmark's
//! HTML writer (no sanitizing, no template, no links checked, no index, no search, no data
//! files), and writes one `index.html` per document under OUTPUT, in parallel with rayon, with
//! the same allocator as planport.
//!
//!     cargo run --release --example floor -- CONTENT OUTPUT
//!
//! bench/run.sh runs it beside planport and Hugo; see bench/README.md.
use rayon::prelude::*;
use std::path::{Path, PathBuf};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [content, output] = args.as_slice() else {
        eprintln!("usage: floor CONTENT OUTPUT");
        std::process::exit(2);
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let bytes: usize = files.par_iter().map(|file| page(content, output, file)).sum();
    println!("{} pages, {} bytes of HTML", files.len(), bytes);
}

fn page(content: &Path, output: &Path, file: &Path) -> usize {
    let text = std::fs::read_to_string(file).expect("read");
    let (front, body) = split(&text);
    let meta: serde_yaml::Value = serde_yaml::from_str(front).expect("front matter");
    let title = meta.get("title").and_then(|t| t.as_str()).unwrap_or("");
    let mut html = String::with_capacity(body.len() * 3 / 2 + 512);
    html.push_str("<!doctype html><meta charset=utf-8><title>");
    html.push_str(&title.replace('&', "&amp;").replace('<', "&lt;"));
    html.push_str("</title><main>");
    let options = pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(body, options));
    html.push_str("</main>");
    let folder = output.join(file.strip_prefix(content).expect("under content").with_extension(""));
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(folder.join("index.html"), &html).expect("write");
    html.len()
}

fn split(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("---\n") else { return ("", text) };
    match rest.find("\n---\n") {
        Some(end) => (&rest[..end], &rest[end + 5..]),
        None => ("", text),
    }
}
