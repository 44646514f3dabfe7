//! `planport serve`.

use std::path::Path;

use planport::serve::{serve, ServeOptions};
use planport::{Diagnostic, Report};

/// `idle`: see [`ServeOptions::idle`].
pub fn run(content: &Path, output: &Path, port: u16, idle: fn()) -> Result<(), Report> {
    serve(ServeOptions { content: content.to_path_buf(), output: output.to_path_buf(), port, idle }).map_err(|e| {
        Report::from(
            Diagnostic::new("E0903", content, None, format!("无法启动预览：{}", planport::diagnostics::io_reason(&e)))
                .with_hint("是不是另一个预览正在使用这个端口？试试 --port 0"),
        )
    })
}
