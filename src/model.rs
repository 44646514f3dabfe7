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
            return Err("a slug may not be empty".into());
        }
        if let Some(bad) = s.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
            return Err(format!("slug `{s}` contains `{bad}`; use lower-case ASCII letters, digits and `-` only"));
        }
        if s.starts_with('-') || s.ends_with('-') {
            return Err(format!("slug `{s}` may not start or end with `-`"));
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
        let bad = || format!("`{s}` is not a date; write YYYY-MM-DD, or YYYY-MM when the source names only a month");
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
            return Err(format!("`{s}`: month {month} does not exist"));
        }
        let day = match parts.get(2) {
            None => None,
            Some(d) => {
                let day: u32 = d.parse().map_err(|_| bad())?;
                if day == 0 || day > days_in_month(year, month) {
                    return Err(format!("`{s}`: {year}-{month:02} has no day {day}"));
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
    /// Absolute URL of the published site, e.g. `https://kx.example.org/`; used for canonical links.
    #[serde(default)]
    pub base_url: String,
    /// Short name shown in the header next to the title.
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub footer: Footer,
    /// Name of a folder under `themes/`; `default` when absent.
    #[serde(default = "default_theme")]
    pub theme: String,
}

fn default_theme() -> String {
    "default".into()
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
    /// Slugs of the collectives this unit belongs to (e.g. 机关各部室和各直属事业单位).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<Slug>,
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
    /// The page of the department: `/departments/<slug>/`.
    pub fn url(&self) -> String {
        format!("/departments/{}/", self.slug)
    }

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

impl City {
    /// The page of the city: `/cities/<slug>/`.
    pub fn url(&self) -> String {
        format!("/cities/{}/", self.slug)
    }
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
    /// One sentence for the program page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Program {
    /// The page of the program: `/programs/<slug>/`.
    pub fn url(&self) -> String {
        format!("/programs/{}/", self.slug)
    }
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
