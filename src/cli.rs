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
    },
    /// Validate everything without writing; exit 0 when clean, 1 on any error.
    Check {
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// `human` (with carets) or `json` (for CI).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style messages with a caret under the offending text.
    Human,
    /// A JSON array of {file, line, column, message, hint}, for CI.
    Json,
}
