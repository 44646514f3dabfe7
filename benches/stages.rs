//! Benchmarks of the hot stages on the real content/: extracting a long plan, rendering its
//! Markdown, and rendering the department page with the most items. `cargo bench`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

use planport::document::parse_document;
use planport::load::SourceFile;
use planport::markdown::{MarkdownRenderer, Markup};
use planport::render::{PageJob, Theme};
use planport::site::load_site;

/// The longest plan of content/plans.
const PLAN: &str = "plans/2018-work-points.md";

fn stages(c: &mut Criterion) {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let site = load_site(&content).unwrap_or_else(|r| panic!("content/ loads: {}", r.to_json()));
    let path = content.join(PLAN);
    let file = SourceFile { rel: PLAN.to_string(), text: std::fs::read_to_string(&path).expect("the plan reads").into(), path };
    let plan = site.index.docs.iter().find(|d| d.url.contains("2018-work-points")).expect("the 2018 plan is in the index");

    c.bench_function("extract: parse and extract a long plan", |b| b.iter(|| parse_document(&file, &site.registry).expect("the plan parses")));

    let markdown = MarkdownRenderer::new();
    c.bench_function("markdown: render a long plan", |b| b.iter(|| markdown.render(plan.body(), true, &Markup::default())));

    let theme = Theme::load(&site.root, &site.config.theme).expect("the theme loads");
    let ctx = site.render_context(&theme, &markdown);
    let busiest = site.registry.dept_ids().max_by_key(|d| site.index.department_items[d.index()].len()).expect("a department");
    let job = [PageJob::Department(busiest)];
    c.bench_function("render: the department page with the most items", |b| {
        b.iter(|| {
            ctx.render_pages(&job, &|_: &str, bytes: &[u8]| std::hint::black_box(bytes).first().map(|_| ()).ok_or(std::io::ErrorKind::InvalidData.into()))
                .expect("the page renders")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = stages
}
criterion_main!(benches);
