//! The three registries (departments, cities, programs) read and cross-checked, with lookups
//! by any name. Display order is registry order everywhere.

use std::collections::HashMap;

use serde::de::DeserializeOwned;

use crate::diagnostics::{suggest, Diagnostic};
use crate::extract::Matcher;
use crate::load::SourceFile;
use crate::model::{City, CityId, Department, DeptId, Membership, Program, ProgramId, SiteConfig};

/// Registries with their name lookups.
#[derive(Debug, Clone)]
pub struct Registry {
    pub departments: Vec<Department>,
    pub cities: Vec<City>,
    pub programs: Vec<Program>,
    department_names: HashMap<String, usize>,
    city_names: HashMap<String, usize>,
    /// Cities by full and short name.
    pub city_matcher: Matcher,
    /// Programs by name and alias, minus their `exclude` texts.
    pub program_matcher: Matcher,
    /// Programs by the heading words editors gave them (`headings:`).
    pub heading_matcher: Matcher,
}

/// Parse one YAML file into `T`, with a diagnostic pointing at the YAML error.
pub fn parse_yaml<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
    crate::yaml::parse(&file.text).map_err(|e| {
        let hint = e.hint.unwrap_or_else(|| "每项是一组以“- name: …”开头的行；见文件开头的注释".to_string());
        Diagnostic::new(e.code, &file.path, Some(e.span), e.message).with_hint(hint)
    })
}

pub fn parse_site(file: Option<&SourceFile>) -> Result<SiteConfig, Diagnostic> {
    match file {
        Some(f) => {
            let config: SiteConfig = parse_yaml(f)?;
            check_theme_name(&config.theme).map_err(|m| {
                let at = f.text.find("theme:").map(|i| i..i + f.text[i..].find('\n').unwrap_or(f.text.len() - i));
                Diagnostic::new("E0601", &f.path, at, m).with_hint("theme: 写 themes/ 下的一个文件夹名，例如 default 或 henan")
            })?;
            Ok(config)
        }
        None => Err(Diagnostic::new("E0701", "content/site.yaml", None, "缺少 site.yaml").with_hint("新建 content/site.yaml，至少写上 title:")),
    }
}

/// A theme is found by name under the site's `themes/`; the name must be one plain folder
/// name, so that it cannot reach any other folder (`../..`, `/etc`).
fn check_theme_name(name: &str) -> Result<(), String> {
    let plain =
        !name.is_empty() && name.len() <= 64 && !name.starts_with(['.', '-']) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        Ok(())
    } else {
        Err(format!("主题名 {name} 不是一个简单的文件夹名：只能用英文字母、数字、“-”和“_”"))
    }
}

impl Registry {
    /// Read and cross-check the registries. Missing files are empty registries.
    pub fn load(departments: Option<&SourceFile>, cities: Option<&SourceFile>, programs: Option<&SourceFile>) -> Result<Registry, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let at = |code, f: Option<&SourceFile>, needle: &str, message: String| match f {
            Some(f) => Diagnostic::new(code, &f.path, span_of(&f.text, needle), message),
            None => Diagnostic::new(code, "content/data", None, message),
        };
        let (dep_file, city_file, prog_file) = (departments, cities, programs);
        let departments: Vec<Department> = read_list(departments, &mut problems);
        let cities: Vec<City> = read_list(cities, &mut problems);
        let programs: Vec<Program> = read_list(programs, &mut problems);
        let mut department_names = HashMap::new();
        for (i, d) in departments.iter().enumerate() {
            for name in std::iter::once(&d.name).chain(&d.aliases) {
                if let Some(prev) = department_names.insert(name.clone(), i) {
                    problems.push(at(
                        "E0203",
                        dep_file,
                        &format!("name: {}", d.name),
                        format!("名称 {name} 同时属于 {} 和 {}", departments[prev].name, d.name),
                    ));
                }
            }
        }
        for (file, entries) in [
            (dep_file, departments.iter().map(|d| (d.slug.as_str(), d.name.as_str())).collect::<Vec<_>>()),
            (city_file, cities.iter().map(|c| (c.slug.as_str(), c.name.as_str())).collect()),
            (prog_file, programs.iter().map(|p| (p.slug.as_str(), p.name.as_str())).collect()),
        ] {
            let mut seen: HashMap<&str, &str> = HashMap::new();
            for (slug, name) in entries {
                if let Some(prev) = seen.insert(slug, name) {
                    problems.push(at("E0204", file, &format!("name: {name}"), format!("slug {slug} 同时用于 {prev} 和 {name}")));
                }
            }
        }
        for d in &departments {
            for m in &d.member_of {
                let m = m.collective();
                if !departments.iter().any(|c| &c.slug == m && c.collective.is_some()) {
                    problems.push(at("E0205", dep_file, &format!("name: {}", d.name), format!("{} 的 member_of 写的是 {m}，但名录里没有这个集合", d.name)));
                }
            }
        }
        let mut city_names = HashMap::new();
        for (i, c) in cities.iter().enumerate() {
            city_names.insert(c.name.clone(), i);
            city_names.insert(c.short.clone(), i);
            city_names.insert(c.slug.to_string(), i);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let city_matcher = Matcher::new(cities.iter().enumerate().flat_map(|(i, c)| [(c.name.as_str(), i), (c.short.as_str(), i)]));
        let program_matcher = Matcher::with_exclusions(
            programs.iter().enumerate().flat_map(|(i, p)| p.names().map(move |n| (n, i))),
            programs.iter().flat_map(|p| p.exclude.iter().map(String::as_str)),
        );
        let heading_matcher = Matcher::new(programs.iter().enumerate().flat_map(|(i, p)| p.headings.iter().map(move |h| (h.as_str(), i))));
        Ok(Registry { departments, cities, programs, department_names, city_names, city_matcher, program_matcher, heading_matcher })
    }

    /// The department with this name or alias.
    pub fn department(&self, name: &str) -> Option<DeptId> {
        self.department_names.get(name).map(|&i| DeptId::new(i))
    }

    /// The city with this name, short name or slug.
    pub fn city(&self, name: &str) -> Option<CityId> {
        self.city_names.get(name).map(|&i| CityId::new(i))
    }

    /// The department with this slug.
    pub fn dept_by_slug(&self, slug: &crate::model::Slug) -> Option<DeptId> {
        self.departments.iter().position(|d| &d.slug == slug).map(DeptId::new)
    }

    pub fn dept(&self, id: DeptId) -> &Department {
        &self.departments[id.index()]
    }

    pub fn city_entry(&self, id: CityId) -> &City {
        &self.cities[id.index()]
    }

    pub fn program(&self, id: ProgramId) -> &Program {
        &self.programs[id.index()]
    }

    /// The programs whose `parent` is `id` (a framework's programs), in registry order.
    pub fn children_of(&self, id: ProgramId) -> impl Iterator<Item = ProgramId> + '_ {
        let slug = &self.program(id).slug;
        self.program_ids().filter(move |&q| self.program(q).parent.as_deref() == Some(slug.as_str()))
    }

    /// The program `parent` names, if the registry has it.
    pub fn parent_of(&self, id: ProgramId) -> Option<ProgramId> {
        let parent = self.program(id).parent.as_deref()?;
        self.program_ids().find(|&q| self.program(q).slug.as_str() == parent)
    }

    /// Programs with no parent in the registry: the frameworks and the programs of their own.
    pub fn top_programs(&self) -> impl Iterator<Item = ProgramId> + '_ {
        self.program_ids().filter(|&p| self.parent_of(p).is_none())
    }

    pub fn dept_ids(&self) -> impl Iterator<Item = DeptId> {
        (0..self.departments.len()).map(DeptId::new)
    }

    pub fn city_ids(&self) -> impl Iterator<Item = CityId> {
        (0..self.cities.len()).map(CityId::new)
    }

    pub fn program_ids(&self) -> impl Iterator<Item = ProgramId> {
        (0..self.programs.len()).map(ProgramId::new)
    }

    /// “您是否想写 …？” for an unknown department name.
    pub fn suggest_department(&self, name: &str) -> Option<&str> {
        suggest(name, self.department_names.keys().map(String::as_str))
    }

    pub fn suggest_city(&self, name: &str) -> Option<&str> {
        suggest(name, self.city_names.keys().map(String::as_str))
    }

    /// Members of the collective `id`, each with its membership (which says the years).
    pub fn members_of(&self, id: DeptId) -> impl Iterator<Item = (DeptId, &Membership)> + '_ {
        let slug = &self.departments[id.index()].slug;
        self.departments.iter().enumerate().filter_map(move |(i, d)| d.member_of.iter().find(|m| m.collective() == slug).map(|m| (DeptId::new(i), m)))
    }

    /// The collective every city association belongs to (`collective: cities`).
    pub fn all_cities_collective(&self) -> Option<DeptId> {
        self.departments.iter().position(|d| d.collective.as_deref() == Some("cities")).map(DeptId::new)
    }
}

/// A registry list; a missing file is an empty list.
fn read_list<T: DeserializeOwned>(file: Option<&SourceFile>, problems: &mut Vec<Diagnostic>) -> Vec<T> {
    match file.map(parse_yaml) {
        Some(Ok(v)) => v,
        Some(Err(d)) => {
            problems.push(d);
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// Span of the first occurrence of `needle`, for pointing into a registry file.
fn span_of(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    text.find(needle).map(|i| i..i + needle.len())
}
