//! Command-line definitions (clap). No logic here.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "planport", version, about = "Build the public work-plan portal from content/", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from content/ into output/ (atomically: on any error output/ is untouched).
    Build {
        /// The content directory.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Where the site goes.
        #[arg(long, default_value = "output")]
        output: PathBuf,
        /// The address the site is published at (overrides `base_url` of site.yaml), e.g.
        /// https://example.org/portal/; links then work under its path.
        #[arg(long)]
        base_url: Option<String>,
        /// Print each stage's wall time to stderr.
        #[arg(long)]
        timings: bool,
    },
    /// Validate everything without writing; exit 0 when clean, 1 on any error.
    Check {
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// `human` (with carets) or `json` (for CI).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Preview the site on 127.0.0.1, rebuilding and reloading open pages on every change.
    Serve {
        #[arg(long, default_value = "content")]
        content: PathBuf,
        #[arg(long, default_value = "output")]
        output: PathBuf,
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Write a skeleton document for an editor to fill in.
    New {
        #[command(subcommand)]
        what: NewKind,
        #[arg(long, default_value = "content", global = true)]
        content: PathBuf,
    },
    /// Turn raw official text (PDF extractions) into Markdown documents and registries.
    Import {
        /// Raw text files, e.g. shared/seeds/*.txt.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The content directory to write into.
        #[arg(long, default_value = "content")]
        into: PathBuf,
        /// Overwrite documents that already exist.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// A plan: content/plans/<slug>.md
    Plan {
        /// The year planned.
        #[arg(long)]
        year: i32,
        /// Official title (default 河南省科协<year>年工作要点).
        #[arg(long)]
        title: Option<String>,
        /// 成文日期, YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// File name and URL segment (default <year>-work-points).
        #[arg(long)]
        slug: Option<String>,
    },
    /// A city report: content/reports/<year of date>/<city-slug>.md
    Report {
        /// The city, as in data/cities.yaml (郑州市, 郑州 or zhengzhou).
        #[arg(long)]
        city: String,
        /// The year reported on.
        #[arg(long)]
        year: i32,
        /// When it was submitted: YYYY-MM or YYYY-MM-DD.
        #[arg(long)]
        date: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        slug: Option<String>,
    },
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style messages with a caret under the offending text.
    Human,
    /// A JSON array of {file, line, column, message, hint}, for CI.
    Json,
}
