//! The `planport` binary: parse the command line, run the command, print diagnostics once,
//! set the exit code (0 clean, 1 content errors, 2 usage errors from clap).

mod cli;
mod cmd;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use cli::{Cli, Command, Format};
use planport::Report;

// mimalloc instead of glibc's malloc: a build allocates millions of small strings (template
// values, HTML fragments, search postings) across threads; see the commit for the figures.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const INTERRUPTED: &str =
    "interrupted: the output folder holds the last complete site (a build in progress, if any, was abandoned and its staging folder removed)";

fn main() -> ExitCode {
    let cli = Cli::parse();
    // SIGINT, SIGTERM, SIGHUP: remove the running build's staging folder and lock, then exit;
    // the output stays as it was.
    let _ = ctrlc::set_handler(|| {
        planport::write::clean_up_for_exit();
        eprintln!("{INTERRUPTED}");
        std::process::exit(130);
    });
    let (result, format) = match &cli.command {
        Command::Build { content, output, base_url, timings } => (cmd::build::run(content, output, base_url.as_deref(), *timings), Format::Human),
        Command::Check { content, format } => (cmd::build::check(content, *format), *format),
        Command::Serve { content, output, port } => (cmd::serve::run(content, output, *port), Format::Human),
        Command::New { what, content } => (cmd::new::run(what, content), Format::Human),
        Command::Import { files, into, force } => (cmd::import::run(files, into, *force), Format::Human),
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
        Format::Human => {
            let color = if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
            let mut err = StandardStream::stderr(color);
            let _ = report.emit(&mut err);
            eprintln!("{}", report.summary());
        }
    }
}
