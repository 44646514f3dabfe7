//! The views a theme's templates receive: one `Serialize` struct per page kind (in the page
//! modules) built from the parts here. These structs are the theme's documented API: a field
//! here is a variable a template may use.

use serde::Serialize;

use crate::model::SiteConfig;

/// A link: text and URL.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// One step of the breadcrumb; the last has no URL.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: Option<String>,
}

/// What every page has: the site, the navigation section, the breadcrumb, the description.
#[derive(Debug, Serialize)]
pub struct Base<'a> {
    pub site: &'a SiteConfig,
    /// `years`, `departments`, `cities`, `programs`, `search`, `home` or empty.
    pub section: &'static str,
    pub crumbs: Vec<Crumb>,
    /// `<meta name="description">`.
    pub description: Option<String>,
    /// Free pages (the editors' guide …) for the footer.
    pub pages: &'a [Link],
}

/// A document in a list or in its own page's metadata block.
#[derive(Debug, Clone, Serialize)]
pub struct DocView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// `plan`, `report` or `collection`.
    pub kind: &'static str,
    /// Plans: the year planned; reports: the year reported on.
    pub year: i32,
    pub city: Option<&'a str>,
    pub issuer: Option<&'a str>,
    pub doc_number: Option<&'a str>,
    pub date: Option<String>,
    pub published: Option<String>,
    pub index_no: Option<&'a str>,
    pub topic: Option<&'a str>,
    /// 有效性 and 主送机关, where the front-matter or the notice gives them.
    pub validity: Option<&'a str>,
    pub recipients: Option<&'a str>,
    /// The compilation a report came from, and its page where it has one.
    pub collection: Option<&'a str>,
    pub collection_url: Option<&'a str>,
    /// Number of items (plans) or reports (collections).
    pub items: usize,
}

/// A plan item in a list: its number and title, its document, and who answers for it as the
/// annotation groups them.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView<'a> {
    pub number: u32,
    pub title: &'a str,
    /// The item's anchor on its plan page.
    pub url: String,
    pub doc_title: &'a str,
    pub doc_url: &'a str,
    pub year: i32,
    /// Who answers for it, as HTML: the annotation's names in their comma groups, each linked
    /// to its department, with its participation notes (`相关部门参与`); then the lead
    /// editors gave a plan whose source names none (编者注). Made in Rust, not by a template macro: the
    /// department pages of a large site list it hundreds of thousands of times.
    pub responsibility: String,
}

/// How a department carries an item, for the mark beside the item on its page.
#[derive(Debug, Clone, Serialize)]
pub struct RoleView {
    /// `lead` (first group of the annotation), `support` (a later group), `collective`
    /// (through a collective), `editorial` (editors' lead).
    pub kind: &'static str,
    /// The mark as shown: `牵头`, `配合`, `经集体承担`, `编者注：牵头`.
    pub label: String,
    /// The full explanation (for the title attribute and screen readers).
    pub detail: String,
    /// The collective it is reached through.
    pub via: Option<Link>,
}
