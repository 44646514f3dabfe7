//! The registries an import fills: cities from a compilation's table of contents, departments
//! from annotations. Existing entries (and their hand-made slugs and aliases) are kept; new
//! names are appended, so importing next year's plan only adds what is new.

use pinyin::ToPinyin;

use crate::model::{City, Department, DepartmentGroup, Membership, Slug};

/// Cities and departments as they stand during an import.
#[derive(Debug, Default, Clone)]
pub struct Registries {
    pub cities: Vec<City>,
    pub departments: Vec<Department>,
    /// Names added by this import, for the summary.
    pub added_departments: Vec<String>,
    pub added_cities: Vec<String>,
    /// New names the editor confirmed (`--accept-new`), added even though they look like a
    /// known one.
    pub accepted: Vec<String>,
    /// New names that look like a known one and were not added: a typo would otherwise
    /// become a public department or city page.
    pub refused: Vec<NearMiss>,
}

/// A new name that looks like a name the registry already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    pub name: String,
    /// The known name (or alias) it looks like.
    pub known: String,
    pub likeness: Likeness,
    pub what: Entry,
}

/// Which registry a name is new to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Department,
    City,
}

impl Entry {
    /// The word for it in messages: 部门, 城市.
    pub fn label(self) -> &'static str {
        match self {
            Entry::Department => "部门",
            Entry::City => "城市",
        }
    }
}

/// How a new name resembles a known one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likeness {
    /// The same once spaces are removed and full-width letters and digits made half-width.
    Spacing,
    /// The same pinyin: the slip a pinyin input method makes (调研宣传布 for 调研宣传部).
    Homophone,
    /// The same characters in another order.
    Reordered,
    /// One character added, left out or changed in a long name.
    OneCharacter,
}

impl Likeness {
    /// Why the names look alike, in the editors' words.
    pub fn describe(self) -> &'static str {
        match self {
            Likeness::Spacing => "只差空格或全角字符",
            Likeness::Homophone => "读音相同",
            Likeness::Reordered => "字相同、顺序不同",
            Likeness::OneCharacter => "只差一个字",
        }
    }
}

/// A name without spaces (also the full-width U+3000) and with full-width ASCII made half-width.
fn squeeze(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Names shorter than this may differ in one character and still be two units (机关党委,
/// 机关纪委; 南阳, 信阳): only longer names count a one-character difference as a slip.
const ONE_CHARACTER_MIN_LEN: usize = 5;

/// The known name that `name` (not itself known) looks like, and how; `None` for a
/// genuinely new name.
pub fn near_miss<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<(&'a str, Likeness)> {
    let squeezed = squeeze(name);
    let pinyin = pinyin_slug(&squeezed);
    let mut sorted: Vec<char> = squeezed.chars().collect();
    sorted.sort_unstable();
    let len = sorted.len();
    known.into_iter().find_map(|k| {
        let k_squeezed = squeeze(k);
        let likeness = if k_squeezed == squeezed {
            Likeness::Spacing
        } else if !pinyin.is_empty() && pinyin_slug(&k_squeezed) == pinyin {
            Likeness::Homophone
        } else if len >= 2 && {
            let mut k_sorted: Vec<char> = k_squeezed.chars().collect();
            k_sorted.sort_unstable();
            k_sorted == sorted
        } {
            Likeness::Reordered
        } else if len.max(k_squeezed.chars().count()) >= ONE_CHARACTER_MIN_LEN && strsim::levenshtein(&squeezed, &k_squeezed) == 1 {
            Likeness::OneCharacter
        } else {
            return None;
        };
        Some((k, likeness))
    })
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

    /// Note that an annotation of `year` names `name`. A new name that looks like a known
    /// one is refused (see [`Registries::refused`]) unless the editor accepted it.
    pub fn note_department(&mut self, name: &str, year: i32) {
        let index = match self.departments.iter().position(|d| d.name == name || d.aliases.iter().any(|a| a == name)) {
            Some(i) => i,
            None if self.refuses(name, Entry::Department) => return,
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

    /// Whether the new `name` looks like a name (or alias, or short name) the registry `what`
    /// already has, and the editor has not accepted it; a refusal is remembered once.
    fn refuses(&mut self, name: &str, what: Entry) -> bool {
        if self.accepted.iter().any(|a| a == name) {
            return false;
        }
        let known: Vec<&str> = match what {
            Entry::City => self.cities.iter().flat_map(|c| [c.name.as_str(), c.short.as_str()]).collect(),
            Entry::Department => self.departments.iter().flat_map(|d| std::iter::once(d.name.as_str()).chain(d.aliases.iter().map(String::as_str))).collect(),
        };
        let Some((known, likeness)) = near_miss(name, known) else {
            return false;
        };
        let miss = NearMiss { name: name.to_string(), known: known.to_string(), likeness, what };
        if !self.refused.contains(&miss) {
            self.refused.push(miss);
        }
        true
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
    /// directly affiliated units to the latter — for the years the imported texts name them,
    /// no more: a unit named only in 2018 is not made a member of a 2023 collective. Editors
    /// widen the years as they know better.
    pub fn settle_new_departments(&mut self) {
        let units: Vec<(Slug, bool)> =
            self.departments.iter().filter(|d| d.collective.as_deref() == Some("units")).map(|d| (d.slug.clone(), d.name.contains("直属"))).collect();
        for d in &mut self.departments {
            if !self.added_departments.contains(&d.name) || d.collective.is_some() {
                continue;
            }
            let held = |collective: &Slug| Membership::Years { collective: collective.clone(), from: d.years.first().copied(), until: d.years.last().copied() };
            d.member_of = match d.group() {
                DepartmentGroup::Internal => units.iter().map(|(s, _)| held(s)).collect(),
                DepartmentGroup::Affiliated => units.iter().filter(|(_, affiliated)| *affiliated).map(|(s, _)| held(s)).collect(),
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
        if self.refuses(name, Entry::City) {
            // Not added; the import stops on the refusal before anything is written.
            return Some(city);
        }
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
    fn near_misses_are_the_slips_editors_make() {
        let known = ["调研宣传部", "省农技协", "省老科协", "学会服务中心", "郑州市", "郑州"];
        let near = |name| near_miss(name, known);
        assert_eq!(near("调研宣传布"), Some(("调研宣传部", Likeness::Homophone)));
        assert_eq!(near("省农　技协"), Some(("省农技协", Likeness::Spacing)));
        assert_eq!(near("省农技协 "), Some(("省农技协", Likeness::Spacing)));
        assert_eq!(near("科老省协"), Some(("省老科协", Likeness::Reordered)));
        assert_eq!(near("学会服务中"), Some(("学会服务中心", Likeness::OneCharacter)));
        assert_eq!(near("郑洲市"), Some(("郑州市", Likeness::Homophone)));
    }

    #[test]
    fn short_names_one_character_apart_are_different_units() {
        assert_eq!(near_miss("机关纪委", ["机关党委"]), None);
        assert_eq!(near_miss("信阳", ["南阳"]), None);
        assert_eq!(near_miss("省民协", ["省农技协", "省老科协"]), None);
    }

    #[test]
    fn a_refused_name_is_not_added_unless_accepted() {
        let mut r = Registries::default();
        r.note_department("调研宣传部", 2023);
        r.note_department("调研宣传布", 2023);
        assert_eq!(r.departments.len(), 1);
        assert_eq!(r.refused.len(), 1);
        let mut r = Registries { accepted: vec!["调研宣传布".into()], ..Registries::default() };
        r.note_department("调研宣传部", 2023);
        r.note_department("调研宣传布", 2023);
        assert_eq!(r.added_departments, ["调研宣传部", "调研宣传布"]);
        assert!(r.refused.is_empty());
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
