//! docs/configuration.md cannot go stale (issue 12): each of its tables lists exactly the
//! fields of the struct planport reads that file into — the field lists come from the structs
//! themselves (serde names every field when it refuses an unknown one) — and every YAML
//! example in it reads into that struct.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;

use planport::document::{CollectionMeta, PageMeta};
use planport::front_matter::FrontMatter;
use planport::index::RelationEntry;
use planport::model::{City, Department, Footer, Program, SiteConfig};

fn doc() -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/configuration.md")).expect("docs/configuration.md")
}

/// The fields of `T`, from serde's refusal of an unknown key: "unknown field `x`, expected
/// one of `a`, `b`" (or "expected `a` or `b`").
fn fields<T: DeserializeOwned + std::fmt::Debug>() -> BTreeSet<String> {
    let message = serde_yaml::from_str::<T>("__probe: 0").expect_err("every struct refuses unknown keys").to_string();
    let expected = message.split_once("expected").unwrap_or_else(|| panic!("no field list in: {message}")).1;
    expected.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// The section whose heading contains `heading`: its table's keys and its YAML examples.
fn section(heading: &str) -> (BTreeSet<String>, Vec<String>) {
    let text = doc();
    let body = text
        .split("\n## ")
        .skip(1)
        .find(|s| s.lines().next().unwrap_or_default().contains(heading))
        .unwrap_or_else(|| panic!("docs/configuration.md has no section {heading}"));
    let keys = body.lines().filter_map(|l| l.strip_prefix("| `")).map(|l| l.split('`').next().unwrap().to_string()).collect();
    let examples = body.split("```yaml\n").skip(1).map(|b| b.split("```").next().unwrap().to_string()).collect();
    (keys, examples)
}

/// The table of `heading` lists exactly the fields of `T` (nested ones as `outer.inner`), and
/// each example reads into `E` (`T`, or a list of `T` for registries).
fn assert_documented<T: DeserializeOwned + std::fmt::Debug, E: DeserializeOwned>(heading: &str, nested: &[(&str, BTreeSet<String>)]) {
    let (keys, examples) = section(heading);
    let mut expected = fields::<T>();
    for (outer, inner) in nested {
        expected.extend(inner.iter().map(|f| format!("{outer}.{f}")));
    }
    assert_eq!(keys, expected, "the table of {heading} (left) and the fields of the struct (right)");
    assert!(!examples.is_empty(), "{heading} has an example");
    for example in examples {
        if let Err(e) = serde_yaml::from_str::<E>(&example) {
            panic!("the example of {heading} does not read: {e}\n{example}");
        }
    }
}

#[test]
fn site_yaml_keys_are_documented() {
    assert_documented::<SiteConfig, SiteConfig>("`site.yaml`", &[("footer", fields::<Footer>())]);
}

#[test]
fn plan_and_report_front_matter_keys_are_documented() {
    assert_documented::<FrontMatter, FrontMatter>("plans and reports", &[]);
}

#[test]
fn collection_and_page_front_matter_keys_are_documented() {
    assert_documented::<CollectionMeta, CollectionMeta>("collections", &[]);
    assert_documented::<PageMeta, PageMeta>("free pages", &[]);
}

#[test]
fn registry_keys_are_documented() {
    // A membership is a slug or a mapping (an untagged enum, which names no fields when it
    // refuses one): its keys are those of the documented example, which must read.
    let membership: BTreeSet<String> = ["collective", "from", "until"].map(String::from).into();
    assert_documented::<Department, Vec<Department>>("`data/departments.yaml`", &[("member_of", membership)]);
    assert_documented::<City, Vec<City>>("`data/cities.yaml`", &[]);
    assert_documented::<Program, Vec<Program>>("`data/programs.yaml`", &[]);
    assert_documented::<RelationEntry, Vec<RelationEntry>>("`data/relations.yaml`", &[]);
}

#[test]
fn a_membership_with_another_key_is_no_membership() {
    // Guards the hand-written list above: were a key added to the mapping form, the example
    // below would read and this test fail, pointing at the list.
    let extra = "- name: 科普部\n  slug: kepubu\n  member_of: [{collective: all-units, since: 2023}]\n";
    let read: Result<Vec<Department>, _> = serde_yaml::from_str(extra);
    assert!(read.is_err(), "a key other than collective, from and until is refused");
}
