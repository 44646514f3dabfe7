//! The registries an import fills: cities from a compilation's table of contents, departments
//! from annotations. Existing entries (and their hand-made slugs and aliases) are kept; new
//! names are appended, so importing next year's plan only adds what is new.

use pinyin::ToPinyin;

use crate::model::{City, Department, DepartmentGroup, Slug};

/// Cities and departments as they stand during an import.
#[derive(Debug, Default, Clone)]
pub struct Registries {
    pub cities: Vec<City>,
    pub departments: Vec<Department>,
    /// Names added by this import, for the summary.
    pub added_departments: Vec<String>,
    pub added_cities: Vec<String>,
}

/// Pinyin without tones of the ideographs in `text`; other ASCII letters and digits kept.
pub fn pinyin_slug(text: &str) -> String {
    let mut out = String::new();
    for (c, p) in text.chars().zip(text.to_pinyin()) {
        match p {
            Some(p) => out.push_str(p.plain()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            None => {}
        }
    }
    out.trim_matches('-').to_string()
}

/// A collective names many units at once: 各全省学会, 机关各部室, 有关高校科协, 企业科协 …
fn collective_of(name: &str) -> Option<String> {
    let is_collective = name.starts_with('各')
        || name.contains("各部室")
        || name.starts_with("有关")
        || name.starts_with("相关")
        || (name.ends_with("科协") && !name.starts_with('省') && !name.starts_with('市'));
    if !is_collective {
        return None;
    }
    Some(if name.contains("省辖市") {
        "cities".to_string()
    } else if name.starts_with("机关各部室") {
        "units".to_string()
    } else {
        "group".to_string()
    })
}

impl Registries {
    pub fn find_department(&self, name: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.name == name || d.aliases.iter().any(|a| a == name))
    }

    /// Note that an annotation of `year` names `name`.
    pub fn note_department(&mut self, name: &str, year: i32) {
        let index = match self.departments.iter().position(|d| d.name == name || d.aliases.iter().any(|a| a == name)) {
            Some(i) => i,
            None => {
                let collective = collective_of(name);
                let base = match collective.as_deref() {
                    Some("cities") => "all-cities".to_string(),
                    Some("units") if name.contains("直属") => "all-units".to_string(),
                    Some("units") => "all-departments".to_string(),
                    _ => pinyin_slug(name),
                };
                let slug = self.unique_slug(&base);
                self.departments.push(Department { name: name.to_string(), slug, aliases: Vec::new(), collective, member_of: Vec::new(), years: Vec::new() });
                self.added_departments.push(name.to_string());
                self.departments.len() - 1
            }
        };
        let years = &mut self.departments[index].years;
        if !years.contains(&year) {
            years.push(year);
            years.sort_unstable();
        }
    }

    fn unique_slug(&self, base: &str) -> Slug {
        let base = if base.is_empty() { "department" } else { base };
        let taken = |s: &str| self.departments.iter().any(|d| d.slug.as_str() == s);
        let mut candidate = base.to_string();
        let mut n = 2;
        while taken(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        Slug::parse(&candidate).expect("pinyin slugs are ASCII")
    }

    /// New departments get their place (by group) and their collectives; existing ones keep
    /// theirs. Internal departments belong to 机关各部室 and to 机关各部室和各直属事业单位;
    /// directly affiliated units to the latter.
    pub fn settle_new_departments(&mut self) {
        let units: Vec<(Slug, bool)> =
            self.departments.iter().filter(|d| d.collective.as_deref() == Some("units")).map(|d| (d.slug.clone(), d.name.contains("直属"))).collect();
        for d in &mut self.departments {
            if !self.added_departments.contains(&d.name) || d.collective.is_some() {
                continue;
            }
            d.member_of = match d.group() {
                DepartmentGroup::Internal => units.iter().map(|(s, _)| s.clone()).collect(),
                DepartmentGroup::Affiliated => units.iter().filter(|(_, affiliated)| *affiliated).map(|(s, _)| s.clone()).collect(),
                _ => Vec::new(),
            };
        }
        let (old, mut new): (Vec<Department>, Vec<Department>) = self.departments.drain(..).partition(|d| !self.added_departments.contains(&d.name));
        // A stable sort keeps first-appearance order inside each group.
        new.sort_by_key(Department::group);
        self.departments = old;
        self.departments.extend(new);
    }

    /// The city a compilation's table of contents names (`郑州市科协` → 郑州市), added to the
    /// registry when new.
    pub fn city_for_association(&mut self, association: &str) -> Option<City> {
        let name = association.strip_suffix("科协").unwrap_or(association).trim();
        if name.is_empty() {
            return None;
        }
        if let Some(c) = self.cities.iter().find(|c| c.name == name || c.short == name) {
            return Some(c.clone());
        }
        let short = name.strip_suffix("示范区").or_else(|| name.strip_suffix('市')).unwrap_or(name);
        let slug = Slug::parse(&pinyin_slug(short)).ok()?;
        let city = City { name: name.to_string(), short: short.to_string(), slug };
        self.cities.push(city.clone());
        self.added_cities.push(name.to_string());
        Some(city)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn city_slugs_are_toneless_pinyin_without_shi() {
        let mut r = Registries::default();
        let c = r.city_for_association("平顶山市科协").unwrap();
        assert_eq!((c.name.as_str(), c.short.as_str(), c.slug.as_str()), ("平顶山市", "平顶山", "pingdingshan"));
        let j = r.city_for_association("济源示范区科协").unwrap();
        assert_eq!((j.short.as_str(), j.slug.as_str()), ("济源", "jiyuan"));
        assert_eq!(r.city_for_association("漯河市科协").unwrap().slug.as_str(), "luohe");
    }

    #[test]
    fn collectives_are_recognised() {
        assert_eq!(collective_of("各省辖市和济源示范区科协").as_deref(), Some("cities"));
        assert_eq!(collective_of("机关各部室和各直属事业单位").as_deref(), Some("units"));
        assert_eq!(collective_of("各全省学会").as_deref(), Some("group"));
        assert_eq!(collective_of("科普部"), None);
        assert_eq!(collective_of("省老科协"), None);
    }

    #[test]
    fn internal_departments_join_the_unit_collectives() {
        let mut r = Registries::default();
        for n in ["科普部", "机关各部室和各直属事业单位", "科普中心", "机关各部室", "省农技协"] {
            r.note_department(n, 2023);
        }
        r.settle_new_departments();
        let names: Vec<_> = r.departments.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["科普部", "科普中心", "省农技协", "机关各部室和各直属事业单位", "机关各部室"]);
        assert_eq!(r.departments[0].member_of.len(), 2);
        assert_eq!(r.departments[1].member_of.len(), 1);
        assert!(r.departments[2].member_of.is_empty());
    }
}
