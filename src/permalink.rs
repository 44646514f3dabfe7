//! The URL scheme: every page's URL and the output file it maps to, in one place (DESIGN.md's
//! table). Nothing else formats a site path. URLs are root-relative, always start with `/`
//! and, for pages, end with `/`.

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use crate::model::{Kind, Slug};

pub fn home() -> String {
    "/".into()
}

pub fn years() -> String {
    "/years/".into()
}

pub fn year(year: i32) -> String {
    format!("/years/{year}/")
}

/// A plan: `/plans/<slug>/`; a report: `/reports/<year of submission>/<slug>/`.
pub fn document(kind: Kind, slug: &Slug, url_year: i32) -> String {
    match kind {
        Kind::Plan => format!("/plans/{slug}/"),
        Kind::Report => format!("/reports/{url_year}/{slug}/"),
    }
}

/// An item of a plan: its anchor on the plan page.
pub fn item(doc_url: &str, number: u32) -> String {
    format!("{doc_url}#{}", item_anchor(number))
}

/// The `id` of a plan item on its page.
pub fn item_anchor(number: u32) -> String {
    format!("item-{number}")
}

/// A passage or part of a document page.
pub fn anchor(page_url: &str, anchor: &str) -> String {
    format!("{page_url}#{anchor}")
}

pub fn departments() -> String {
    "/departments/".into()
}

pub fn department(slug: &Slug) -> String {
    format!("/departments/{slug}/")
}

pub fn cities() -> String {
    "/cities/".into()
}

pub fn city(slug: &Slug) -> String {
    format!("/cities/{slug}/")
}

pub fn programs() -> String {
    "/programs/".into()
}

pub fn program(slug: &Slug) -> String {
    format!("/programs/{slug}/")
}

pub fn collection(slug: &Slug) -> String {
    format!("/collections/{slug}/")
}

/// Every city's parts of one kind side by side: `/reports/<year>/problems/`.
pub fn report_parts(url_year: i32, part: &str) -> String {
    format!("/reports/{url_year}/{part}/")
}

pub fn search() -> String {
    "/search/".into()
}

/// The search page with a query and a year filter, as the page writes them into its address.
pub fn search_for(query: &str, year: i32) -> String {
    format!("{}?q={}&year={}", search(), utf8_percent_encode(query, NON_ALPHANUMERIC), utf8_percent_encode(&format!("{year}年"), NON_ALPHANUMERIC))
}

/// The open-data page; its files live beside it (`/data/items.json` …).
pub fn data() -> String {
    "/data/".into()
}

/// A file of the open data: `/data/items.csv`.
pub fn data_file(name: &str) -> String {
    format!("/data/{name}")
}

/// The Atom feed of a page: `/feed.xml` for the site, `/departments/kepubu/feed.xml`.
pub fn feed(page_url: &str) -> String {
    format!("{page_url}feed.xml")
}

pub fn sitemap() -> String {
    "/sitemap.xml".into()
}

/// A free page: `/<slug>/`.
pub fn page(slug: &Slug) -> String {
    format!("/{slug}/")
}

/// The file a page URL is written to, relative to the output folder: `/years/` →
/// `years/index.html`. The fragment, if any, is dropped.
pub fn output_path(url: &str) -> String {
    let path = url.split('#').next().unwrap_or(url).trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_map_to_index_files() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/years/2023/"), "years/2023/index.html");
        assert_eq!(output_path("/plans/2023-work-points/#item-3"), "plans/2023-work-points/index.html");
        assert_eq!(output_path("/404.html"), "404.html");
    }

    #[test]
    fn reports_live_under_the_year_they_were_submitted() {
        let slug = Slug::parse("zhengzhou").unwrap();
        assert_eq!(document(Kind::Report, &slug, 2024), "/reports/2024/zhengzhou/");
        assert_eq!(item("/plans/a/", 5), "/plans/a/#item-5");
    }
}
