//! The default theme, compiled into the binary so that any site builds without a theme folder.
//! Generated list of `themes/default/`; a site overrides any file by name.

/// Templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("404.html", include_str!("../themes/default/templates/404.html")),
    ("base.html", include_str!("../themes/default/templates/base.html")),
    ("cities.html", include_str!("../themes/default/templates/cities.html")),
    ("city.html", include_str!("../themes/default/templates/city.html")),
    ("collection.html", include_str!("../themes/default/templates/collection.html")),
    ("data.html", include_str!("../themes/default/templates/data.html")),
    ("department.html", include_str!("../themes/default/templates/department.html")),
    ("departments.html", include_str!("../themes/default/templates/departments.html")),
    ("doc_meta.html", include_str!("../themes/default/templates/doc_meta.html")),
    ("home.html", include_str!("../themes/default/templates/home.html")),
    ("macros.html", include_str!("../themes/default/templates/macros.html")),
    ("page.html", include_str!("../themes/default/templates/page.html")),
    ("parts.html", include_str!("../themes/default/templates/parts.html")),
    ("plan.html", include_str!("../themes/default/templates/plan.html")),
    ("program.html", include_str!("../themes/default/templates/program.html")),
    ("programs.html", include_str!("../themes/default/templates/programs.html")),
    ("report.html", include_str!("../themes/default/templates/report.html")),
    ("search.html", include_str!("../themes/default/templates/search.html")),
    ("year.html", include_str!("../themes/default/templates/year.html")),
    ("years.html", include_str!("../themes/default/templates/years.html")),
];

/// Static files: (path under /static/, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    ("a11y.js", include_bytes!("../themes/default/static/a11y.js")),
    ("search.js", include_bytes!("../themes/default/static/search.js")),
    ("style.css", include_bytes!("../themes/default/static/style.css")),
];
