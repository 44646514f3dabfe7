//! One module per subcommand; each returns the diagnostics it found for `main` to print.

pub mod build;
pub mod import;
pub mod new;
pub mod serve;
