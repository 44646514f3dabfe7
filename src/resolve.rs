//! Resolve stage: the names extract found, tied to the registries — who answers for each item
//! (with the annotation's groups, collectives reached in the years their members held, and
//! editors' leads), which programs an item or passage belongs to (by the headings above it or
//! by its own words), and which cities an item names. Runs once per document, in parse; every
//! later stage reads the result.

use crate::extract::{enclosing, Block, BlockKind, Item, Section};
use crate::model::{Attribution, CityId, DeptId, ProgramId, ProgramLink, Provenance, ScopeSource};
use crate::registry::Registry;

/// Fill the attributions, programs and cities of a plan's items.
pub fn resolve_items(items: &mut [Item], sections: &[Section], block_sections: &[Option<usize>], year: i32, leads: &[DeptId], registry: &Registry) {
    for item in items {
        item.attributions = attributions(item, year, leads, registry);
        let mut programs = heading_scope(sections, block_sections[item.block], registry);
        add_mentions(&mut programs, item.text_without_annotation(), registry);
        item.programs = programs;
        item.cities = registry.city_matcher.find(item.text_without_annotation()).into_iter().map(CityId::new).collect();
    }
}

/// Programs of each passage of a report (empty for headings), by heading scope and mention.
pub fn resolve_passages(blocks: &[Block], sections: &[Section], block_sections: &[Option<usize>], registry: &Registry) -> Vec<Vec<ProgramLink>> {
    blocks
        .iter()
        .enumerate()
        .map(|(b, block)| {
            if block.kind != BlockKind::Passage {
                return Vec::new();
            }
            let mut programs = heading_scope(sections, block_sections[b], registry);
            add_mentions(&mut programs, &block.text, registry);
            programs
        })
        .collect()
}

/// Who answers for an item: the annotation's names in their groups; the members of a
/// collective it names, in the years they held; else the plan's editorial leads.
fn attributions(item: &Item, year: i32, leads: &[DeptId], registry: &Registry) -> Vec<Attribution> {
    let mut out: Vec<Attribution> = Vec::new();
    for (group, name, _) in item.named() {
        if let Some(dept) = registry.department(name) {
            if !out.iter().any(|a| a.dept == dept) {
                out.push(Attribution { dept, group: group_number(group), provenance: Provenance::Source, via: None });
            }
        }
    }
    if item.annotation.is_none() {
        out.extend(leads.iter().map(|&dept| Attribution { dept, group: 0, provenance: Provenance::Editorial, via: None }));
    }
    let named: Vec<Attribution> = out.clone();
    for a in named.iter().filter(|a| registry.dept(a.dept).collective.is_some()) {
        for (member, membership) in registry.members_of(a.dept) {
            if membership.holds_in(year) && !out.iter().any(|x| x.dept == member) {
                out.push(Attribution { dept: member, group: a.group, provenance: Provenance::Collective, via: Some(a.dept) });
            }
        }
    }
    out
}

fn group_number(group: usize) -> u8 {
    u8::try_from(group).unwrap_or(u8::MAX)
}

/// Programs that the headings above a block name (or that editors tie to their words). A
/// heading that names a framework (“5610”) puts nothing in the framework's own scope: its
/// programs' scopes make up the framework.
fn heading_scope(sections: &[Section], innermost: Option<usize>, registry: &Registry) -> Vec<ProgramLink> {
    let mut out: Vec<ProgramLink> = Vec::new();
    for s in enclosing(sections, innermost) {
        let title = &sections[s].title;
        let named = registry.program_matcher.find(title).into_iter().map(|p| (p, ScopeSource::Heading));
        let editorial = registry.heading_matcher.find(title).into_iter().map(|p| (p, ScopeSource::Editorial));
        for (p, source) in named.chain(editorial) {
            let program = ProgramId::new(p);
            let is_framework = registry.children_of(program).next().is_some();
            if !is_framework && !out.iter().any(|l| l.program == program) {
                out.push(ProgramLink { program, source });
            }
        }
    }
    out
}

fn add_mentions(programs: &mut Vec<ProgramLink>, text: &str, registry: &Registry) {
    for p in registry.program_matcher.find(text) {
        let program = ProgramId::new(p);
        if !programs.iter().any(|l| l.program == program) {
            programs.push(ProgramLink { program, source: ScopeSource::Mention });
        }
    }
}
