//! The client-side search index: documents, items, report passages, departments, cities and
//! programs, in one JSON file.

use serde::Serialize;

use super::RenderContext;
use crate::extract::BlockKind;
use crate::model::Kind;
use crate::permalink;

impl RenderContext<'_> {
    /// Entries of the client-side search. Keys are short to keep the file small: t title,
    /// u url, k kind (doc, item, passage, department, city, program), d where, x text.
    pub(super) fn search_index(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Entry<'e> {
            t: String,
            u: String,
            k: &'static str,
            d: String,
            x: &'e str,
        }
        let mut entries = Vec::new();
        for doc in &self.index.docs {
            let city = doc.city.map(|c| self.registry.city_entry(c).name.as_str());
            let title = match city {
                Some(c) => format!("{c}：{}", doc.title),
                None => doc.title.clone(),
            };
            entries.push(Entry { t: title.clone(), u: doc.url.clone(), k: "doc", d: format!("{}年", doc.year), x: "" });
            match doc.kind {
                // The annotation is left out: a search for 科普 should find what the items say,
                // not every item 科普部 answers for (its department page lists those).
                Kind::Plan => entries.extend(doc.items.iter().map(|item| Entry {
                    t: format!("第{}项 {}", item.number, item.title),
                    u: permalink::item(&doc.url, item.number),
                    k: "item",
                    d: format!("《{}》", doc.title),
                    x: item.text_without_annotation(),
                })),
                Kind::Report => entries.extend(doc.blocks.iter().filter(|b| b.kind == BlockKind::Passage).map(|b| Entry {
                    t: match (city, &b.section) {
                        (Some(c), Some(section)) => format!("{c}科协：{section}"),
                        _ => title.clone(),
                    },
                    u: permalink::anchor(&doc.url, &b.anchor),
                    k: "passage",
                    d: format!("{}年工作情况汇报", doc.year),
                    x: &b.text,
                })),
            }
        }
        for d in &self.registry.departments {
            entries.push(Entry { t: d.name.clone(), u: permalink::department(&d.slug), k: "department", d: "责任部门".into(), x: "" });
        }
        for c in &self.registry.cities {
            entries.push(Entry { t: c.name.clone(), u: permalink::city(&c.slug), k: "city", d: "省辖市".into(), x: "" });
        }
        for p in &self.registry.programs {
            entries.push(Entry {
                t: p.name.clone(),
                u: permalink::program(&p.slug),
                k: "program",
                d: "重点工作".into(),
                x: p.summary.as_deref().unwrap_or(""),
            });
        }
        serde_json::to_vec(&entries).expect("search index serializes")
    }
}
