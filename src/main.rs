//! The `planport` binary: parse the command line, run the command, print diagnostics once,
//! set the exit code (0 clean, 1 content errors, 2 usage errors from clap).

mod cli;
mod cmd;

use std::io::IsTerminal;
use std::process::ExitCode;

use cli::{Cli, Command, Format};
use planport::Report;

// mimalloc instead of glibc's malloc: a build allocates millions of small strings (template
// values, HTML fragments, search postings) across threads; see the commit for the figures.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// For `serve`, when it waits for the next edit: give the memory freed so far back to the
/// system now — this thread's free pages and what mimalloc's arenas hold freed (pages still held
/// by the rendering threads stay with them). mimalloc otherwise does it at an allocation after
/// a pause — the next edit's: that cost each edit ~45 ms at 10,000 documents (perf: madvise
/// under the edited file's first allocation). Between edits the server then held 912 MB, now
/// 575 MB; the collection itself takes ~40 ms.
fn return_freed_memory() {
    // SAFETY: asks mimalloc to collect, which is safe at any time from any thread.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

const INTERRUPTED: &str = "已中断：输出文件夹保存的是上一版完整的网站（正在进行的生成已放弃，它的临时文件夹已删除）";

fn main() -> ExitCode {
    let cli = Cli::parse_chinese();
    // SIGINT, SIGTERM, SIGHUP: remove the running build's staging folder and lock, then exit;
    // the output stays as it was.
    let _ = ctrlc::set_handler(|| {
        planport::write::clean_up_for_exit();
        eprintln!("{INTERRUPTED}");
        std::process::exit(130);
    });
    let (result, format) = match &cli.command {
        Command::Build { content, output, base_url, deny_warnings, timings } => {
            let options = planport::site::BuildOptions { base_url: base_url.as_deref(), deny_warnings: *deny_warnings, ..Default::default() };
            (cmd::build::run(content, output, options, *timings), Format::Human)
        }
        Command::Check { content, format, deny_warnings } => (cmd::build::check(content, *format, *deny_warnings), *format),
        Command::Serve { content, output, port } => (cmd::serve::run(content, output, *port, return_freed_memory), Format::Human),
        Command::New { what, content } => (cmd::new::run(what, content), Format::Human),
        Command::Import { files, into, force, lead, accept_new } => {
            let options = cmd::import::ImportOptions { force: *force, lead: lead.as_deref(), accept_new };
            (cmd::import::run(files, into, options), Format::Human)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(report) => {
            print_report(report, format);
            ExitCode::from(1)
        }
    }
}

fn print_report(mut report: Report, format: Format) {
    report.sort();
    match format {
        Format::Json => println!("{}", report.to_json()),
        // Workflow commands are read from standard output; the summary goes to the log.
        Format::Github => {
            print!("{}", report.to_github());
            eprintln!("{}", report.summary());
        }
        Format::Human => {
            eprint!("{}", report.render(std::io::stderr().is_terminal()));
            eprintln!("{}", report.summary());
        }
    }
}
