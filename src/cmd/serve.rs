//! `planport serve`.

use std::path::Path;

use planport::serve::{serve, ServeOptions};
use planport::{Diagnostic, Report};

pub fn run(content: &Path, output: &Path, port: u16) -> Result<(), Report> {
    serve(ServeOptions { content: content.to_path_buf(), output: output.to_path_buf(), port })
        .map_err(|e| Report::from(Diagnostic::new(content, None, format!("cannot serve: {e}")).with_hint("is another server using the port? try --port 0")))
}
