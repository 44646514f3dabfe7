//! The three registries (departments, cities, programs) read and cross-checked, with lookups
//! by any name. Display order is registry order everywhere.

use std::collections::HashMap;

use serde::de::DeserializeOwned;

use crate::diagnostics::{suggest, Diagnostic};
use crate::extract::Matcher;
use crate::load::SourceFile;
use crate::model::{City, Department, Program, SiteConfig};

/// Registries with their name lookups.
#[derive(Debug, Clone)]
pub struct Registry {
    pub departments: Vec<Department>,
    pub cities: Vec<City>,
    pub programs: Vec<Program>,
    department_names: HashMap<String, usize>,
    city_names: HashMap<String, usize>,
    pub city_matcher: Matcher,
    pub program_matcher: Matcher,
    pub department_matcher: Matcher,
}

/// Parse one YAML file into `T`, with a diagnostic pointing at the YAML error.
pub fn parse_yaml<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
    serde_yaml::from_str(&file.text).map_err(|e| {
        let at = crate::diagnostics::char_span(&file.text, e.location().map_or(0, |l| l.index()));
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        Diagnostic::new(&file.path, Some(at), message).with_hint("each entry is a `- name: …` block; see the comments at the top of the file")
    })
}

pub fn parse_site(file: Option<&SourceFile>) -> Result<SiteConfig, Diagnostic> {
    match file {
        Some(f) => parse_yaml(f),
        None => Err(Diagnostic::new("content/site.yaml", None, "site.yaml is missing").with_hint("create content/site.yaml with at least `title:`")),
    }
}

impl Registry {
    /// Read and cross-check the registries. Missing files are empty registries.
    pub fn load(departments: Option<&SourceFile>, cities: Option<&SourceFile>, programs: Option<&SourceFile>) -> Result<Registry, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let at = |f: Option<&SourceFile>, needle: &str, message: String| match f {
            Some(f) => Diagnostic::new(&f.path, span_of(&f.text, needle), message),
            None => Diagnostic::new("content/data", None, message),
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
                        dep_file,
                        &format!("name: {}", d.name),
                        format!("the name {name} belongs to both {} and {}", departments[prev].name, d.name),
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
                    problems.push(at(file, &format!("name: {name}"), format!("slug `{slug}` is used by both {prev} and {name}")));
                }
            }
        }
        for d in &departments {
            for m in &d.member_of {
                if !departments.iter().any(|c| &c.slug == m && c.collective.is_some()) {
                    problems.push(at(dep_file, &format!("name: {}", d.name), format!("{} is member_of `{m}`, which is no collective in the registry", d.name)));
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
        let program_matcher = Matcher::new(
            programs.iter().enumerate().flat_map(|(i, p)| std::iter::once((p.name.as_str(), i)).chain(p.aliases.iter().map(move |a| (a.as_str(), i)))),
        );
        let department_matcher = Matcher::new(department_names.iter().map(|(n, i)| (n.as_str(), *i)));
        Ok(Registry { departments, cities, programs, department_names, city_names, city_matcher, program_matcher, department_matcher })
    }

    /// Index of the department with this name or alias.
    pub fn department(&self, name: &str) -> Option<usize> {
        self.department_names.get(name).copied()
    }

    /// Index of the city with this name, short name or slug.
    pub fn city(&self, name: &str) -> Option<usize> {
        self.city_names.get(name).copied()
    }

    /// "did you mean …?" for an unknown department name.
    pub fn suggest_department(&self, name: &str) -> Option<&str> {
        suggest(name, self.department_names.keys().map(String::as_str))
    }

    pub fn suggest_city(&self, name: &str) -> Option<&str> {
        suggest(name, self.city_names.keys().map(String::as_str))
    }

    /// Departments that are members of the collective `index`.
    pub fn members_of(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let slug = &self.departments[index].slug;
        self.departments.iter().enumerate().filter(move |(_, d)| d.member_of.contains(slug)).map(|(i, _)| i)
    }

    /// The collective every city association belongs to (`collective: cities`).
    pub fn all_cities_collective(&self) -> Option<usize> {
        self.departments.iter().position(|d| d.collective.as_deref() == Some("cities"))
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
