//! Plain data of a portal: documents, items, and the three registries. No I/O here.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A URL path segment: ASCII lower-case letters, digits and `-`, never empty, never `.`/`..`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Accepts only what is safe as one path segment of the output.
    pub fn parse(s: &str) -> Result<Slug, String> {
        if s.is_empty() {
            return Err("slug 不能为空".into());
        }
        if let Some(bad) = s.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
            return Err(format!("slug {s} 里有“{bad}”；只能用小写英文字母、数字和“-”"));
        }
        if s.starts_with('-') || s.ends_with('-') {
            return Err(format!("slug {s} 不能以“-”开头或结尾"));
        }
        Ok(Slug(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Slug::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A date as precisely as the source gives it: `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
}

impl FromStr for PartialDate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s} 不是日期的写法");
        let parts: Vec<&str> = s.split('-').collect();
        if !(2..=3).contains(&parts.len())
            || parts[0].len() != 4
            || parts[1..].iter().any(|p| p.len() != 2)
            || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        let month: u32 = parts[1].parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(format!("{s}：没有 {month} 月"));
        }
        let day = match parts.get(2) {
            None => None,
            Some(d) => {
                let day: u32 = d.parse().map_err(|_| bad())?;
                if day == 0 || day > days_in_month(year, month) {
                    return Err(format!("{s}：{year} 年 {month} 月没有 {day} 日"));
                }
                Some(day)
            }
        };
        Ok(PartialDate { year, month, day })
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)?;
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An annual plan whose numbered items carry responsibilities.
    Plan,
    /// A city association's report on one year and plans for the next.
    Report,
}

/// `content/site.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    /// Where the site is published: an http(s) URL (`https://example.org/portal/`, for
    /// feeds, the sitemap and canonical links) or a path (`/`) while the address is not known.
    /// `planport build --base-url` overrides it (CI sets it from the host's address).
    #[serde(default)]
    pub base_url: String,
    /// The licence of the open data of `/data/`, as the association states it.
    #[serde(default)]
    pub licence: Option<String>,
    /// Short name shown in the header next to the title.
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub footer: Footer,
    /// Name of a folder under `themes/`; `default` when absent.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Entries of each Atom feed: its newest documents (0: all). A feed says what is new and
    /// is fetched again and again by feed readers; every document stays on the year pages and
    /// in the sitemap.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
}

fn default_theme() -> String {
    "default".into()
}

fn default_feed_limit() -> usize {
    50
}

/// The footer of every page, like those of Chinese government portals.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// 主办单位
    #[serde(default)]
    pub sponsor: Option<String>,
    /// 联系方式 (address, telephone, e-mail)
    #[serde(default)]
    pub contact: Option<String>,
    /// ICP 备案号
    #[serde(default)]
    pub icp: Option<String>,
    /// 公安备案号
    #[serde(default)]
    pub police: Option<String>,
}

/// Ids of registry entries and documents: positions in their registry (display order) or in
/// the index's document list. Newtypes, so a department can never be looked up as a city.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident($repr:ty)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub $repr);

        impl $name {
            pub fn new(index: usize) -> Self {
                $name(<$repr>::try_from(index).expect(concat!("too many entries for ", stringify!($name))))
            }

            /// Position in its list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id!(
    /// A document: position in `SiteIndex::docs`.
    DocId(u32)
);
id!(
    /// A department: position in `data/departments.yaml`.
    DeptId(u16)
);
id!(
    /// A city: position in `data/cities.yaml`.
    CityId(u16)
);
id!(
    /// A program: position in `data/programs.yaml`.
    ProgramId(u16)
);

/// A unit's place in a collective: always (`- all-units`), or for the years editors know
/// (`- {collective: all-units, from: 2023}`). Items given to the collective in a year reach
/// the unit only in the years it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// deny_unknown_fields: a misspelt `since:` in the mapping form must not read as "always".
#[serde(untagged, deny_unknown_fields)]
pub enum Membership {
    Always(Slug),
    Years {
        collective: Slug,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<i32>,
    },
}

impl Membership {
    pub fn collective(&self) -> &Slug {
        match self {
            Membership::Always(s) => s,
            Membership::Years { collective, .. } => collective,
        }
    }

    /// Whether the unit belongs to the collective in `year`.
    pub fn holds_in(&self, year: i32) -> bool {
        match self {
            Membership::Always(_) => true,
            Membership::Years { from, until, .. } => from.is_none_or(|f| year >= f) && until.is_none_or(|u| year <= u),
        }
    }

    /// `2023年起`, `至2018年`, `2019—2022年`: the years as editors gave them.
    pub fn years_label(&self) -> Option<String> {
        match self {
            Membership::Always(_) => None,
            Membership::Years { from: Some(f), until: Some(u), .. } if f == u => Some(format!("{f}年")),
            Membership::Years { from: Some(f), until: Some(u), .. } => Some(format!("{f}—{u}年")),
            Membership::Years { from: Some(f), until: None, .. } => Some(format!("{f}年起")),
            Membership::Years { from: None, until: Some(u), .. } => Some(format!("至{u}年")),
            Membership::Years { from: None, until: None, .. } => None,
        }
    }
}

/// One entry of `data/departments.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Canonical name as written in annotations.
    pub name: String,
    pub slug: Slug,
    /// Other spellings of the same unit (older names, longer forms).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Set on collectives: `cities` (every entry of data/cities.yaml) or a free word
    /// (`units`, `societies`, …) naming the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collective: Option<String>,
    /// The collectives this unit belongs to (e.g. 机关各部室和各直属事业单位), with the years
    /// editors know it held, where they know them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<Membership>,
    /// Years in which annotations name it (informational; kept by `import`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<i32>,
}

/// Display groups of departments, in this order on /departments/ and in a new registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DepartmentGroup {
    /// 机关部门: names ending in 部, 办公室, 党委, 纪委
    Internal,
    /// 直属单位: 中心, 馆, 报社, 杂志社, 秘书处
    Affiliated,
    /// Societies and other bodies
    Other,
    /// Collectives
    Collective,
}

impl Department {
    pub fn group(&self) -> DepartmentGroup {
        if self.collective.is_some() {
            DepartmentGroup::Collective
        } else if ["部", "办公室", "党委", "纪委"].iter().any(|s| self.name.ends_with(s)) {
            DepartmentGroup::Internal
        } else if ["中心", "馆", "报社", "杂志社", "秘书处"].iter().any(|s| self.name.ends_with(s)) {
            DepartmentGroup::Affiliated
        } else {
            DepartmentGroup::Other
        }
    }
}

/// One entry of `data/cities.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct City {
    /// Full name: 郑州市, 济源示范区.
    pub name: String,
    /// Short name as used in running text: 郑州, 济源.
    pub short: String,
    pub slug: Slug,
}

/// One entry of `data/programs.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Program {
    pub name: String,
    pub slug: Slug,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The framework it belongs to, e.g. `"5610"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// One sentence for the program page (editorial: shown as 编者注).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Texts that contain a name of the program but are not it: a city's namesake program
    /// (河洛青年人才托举工程), a slogan (出彩中原立新功). The longest match wins, so a name inside
    /// one of these does not count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Words that, written in a plan's section heading, put the section's items in the
    /// program's scope although the heading does not name it (editorial). A heading that names
    /// the program puts its items in scope by itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headings: Vec<String>,
}

impl Program {
    /// Its name and aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// How a department comes to answer for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    /// Named in the item's annotation.
    Source,
    /// A member of a collective the annotation names, in a year it held.
    Collective,
    /// Given by editors (`lead_departments` of a plan whose source names no department).
    Editorial,
}

/// A department answering for an item, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Attribution {
    pub dept: DeptId,
    /// The comma group of the annotation it stands in (0: the first, the lead), or of the
    /// collective that reaches it. Editorial leads are group 0.
    pub group: u8,
    pub provenance: Provenance,
    /// The collective it is reached through (provenance `collective`).
    pub via: Option<DeptId>,
}

/// How an item or passage comes into a program's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeSource {
    /// A section heading above it names the program.
    Heading,
    /// A section heading above it has words the registry gives the program (`headings:`).
    Editorial,
    /// Its own text names the program.
    Mention,
}

/// A program an item or passage belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProgramLink {
    pub program: ProgramId,
    pub source: ScopeSource,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_rejects_path_traversal_and_non_ascii() {
        assert!(Slug::parse("../etc").is_err());
        assert!(Slug::parse("a/b").is_err());
        assert!(Slug::parse("科普").is_err());
        assert!(Slug::parse("").is_err());
        assert_eq!(Slug::parse("2023-work-points").unwrap().as_str(), "2023-work-points");
    }

    #[test]
    fn dates_keep_the_precision_of_the_source() {
        assert_eq!("2024-03".parse::<PartialDate>().unwrap().to_string(), "2024-03");
        assert_eq!("2023-03-17".parse::<PartialDate>().unwrap().to_string(), "2023-03-17");
        assert!("2023-02-30".parse::<PartialDate>().is_err());
        assert!("2023-13".parse::<PartialDate>().is_err());
        assert!("2023/03/17".parse::<PartialDate>().is_err());
        assert!("2024-02-29".parse::<PartialDate>().is_ok());
    }
}
