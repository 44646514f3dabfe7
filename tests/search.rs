//! The search index of the real content (issue 11), read back as search.js reads it: every
//! passage of every document page is in it under the page's own anchor, and every bigram of
//! every passage is in the shard the page will ask for. Expectations come from the built HTML
//! and from a decoder written here, not from planport's index code.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

fn json(path: &str) -> Value {
    let bytes = site().files.get(path).unwrap_or_else(|| panic!("the site has no {path}"));
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Base-64 VLQ, as search.js decodes it: 5 bits a character, low bits first, 32 = more follow.
fn numbers(s: &str) -> Vec<u64> {
    const DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u64, 0);
    for c in s.chars() {
        let d = DIGITS.find(c).unwrap_or_else(|| panic!("{c} is not a VLQ digit")) as u64;
        v |= (d & 31) << shift;
        if d & 32 != 0 {
            shift += 5;
        } else {
            out.push(v);
            (v, shift) = (0, 0);
        }
    }
    out
}

/// Postings of one bigram: (entry, unit, position) triples, from its units list and its
/// positions list (aligned: for each (entry, unit) in order, a count and position deltas).
fn postings(units: &str, positions: &str) -> BTreeSet<(u64, u64, u64)> {
    let n = numbers(units);
    let mut pairs = Vec::new();
    let (mut i, mut e) = (0, 0);
    while i < n.len() {
        e += n[i];
        let count = n[i + 1];
        i += 2;
        let mut u = 0;
        for _ in 0..count {
            u += n[i];
            i += 1;
            pairs.push((e, u));
        }
    }
    let p = numbers(positions);
    let mut out = BTreeSet::new();
    let mut j = 0;
    for (e, u) in pairs {
        let count = p[j];
        j += 1;
        let mut at = 0;
        for _ in 0..count {
            at += p[j];
            j += 1;
            out.insert((e, u, at));
        }
    }
    assert_eq!(j, p.len(), "positions left over");
    out
}

fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// Every entry's header, with `x`: the texts of all its passages (the first chunk's are in the
/// header, the others in their own files).
fn entries() -> Vec<Value> {
    let meta = json("search/meta.json");
    let count = meta["entries"].as_u64().unwrap();
    (0..count)
        .map(|id| {
            let mut entry = json(&format!("search/d/{id}.json"));
            let chunks = entry["g"].as_array().unwrap().len();
            let first = entry["x"].as_array().unwrap().clone();
            let texts: Vec<Value> =
                first.into_iter().chain((1..chunks).flat_map(|c| json(&format!("search/d/{id}-{c}.json")).as_array().unwrap().clone())).collect();
            assert_eq!(texts.len(), entry["a"].as_array().unwrap().len(), "entry {id}: a text for every anchor");
            entry["x"] = Value::Array(texts);
            entry
        })
        .collect()
}

#[test]
fn every_passage_of_every_document_is_in_the_index_under_its_anchor_on_the_page() {
    let entries = entries();
    let mut documents = 0;
    for (url, html) in &site().pages {
        if !(url.starts_with("/plans/") || url.starts_with("/reports/")) || !html.contains("class=\"body") {
            continue;
        }
        documents += 1;
        let entry = entries.iter().find(|e| e["u"] == url.as_str()).unwrap_or_else(|| panic!("{url} is not in the search index"));
        let indexed: BTreeMap<&str, &str> = entry["a"]
            .as_array()
            .unwrap()
            .iter()
            .zip(entry["x"].as_array().unwrap())
            .filter(|(a, _)| a != &"")
            .map(|(a, x)| (a.as_str().unwrap(), x.as_str().unwrap()))
            .collect();
        let page = site().page(url);
        let mut on_page = 0;
        for block in page.select(&sel(".body [id]")) {
            let id = block.value().attr("id").unwrap();
            // The document's own words: the links the site adds under an item (related items,
            // other years) are not part of it.
            let mut text = without_whitespace(&text_of(block));
            for added in block.select(&sel(".item-links, a.cite")).map(|e| without_whitespace(&text_of(e))) {
                text = text.replacen(&added, "", 1);
            }
            if text.is_empty() {
                continue;
            }
            on_page += 1;
            let found = indexed.get(id).unwrap_or_else(|| panic!("{url}#{id} is not in the search index"));
            assert_eq!(without_whitespace(found), text, "{url}#{id}: the index holds other words than the page");
        }
        assert_eq!(on_page, indexed.len(), "{url}: passages on the page vs in the index");
        let title = text_of(page.select(&sel("h1")).next().unwrap());
        assert_eq!(entry["x"][0], title.as_str(), "{url}: the first passage is the title");
    }
    assert_eq!(documents, 23);
}

#[test]
fn every_bigram_of_every_passage_is_in_the_shard_the_page_asks_for() {
    let meta = json("search/meta.json");
    let shards = meta["shards"].as_u64().unwrap() as u32;
    let mut decoded: BTreeMap<String, BTreeSet<(u64, u64, u64)>> = BTreeMap::new();
    for k in 0..shards {
        let positions = json(&format!("search/p/{k}.json"));
        for (bigram, units) in json(&format!("search/s/{k}.json")).as_object().unwrap() {
            assert_eq!(fnv1a(bigram) % shards, k, "{bigram} is in the wrong shard");
            decoded.insert(bigram.clone(), postings(units.as_str().unwrap(), positions[bigram].as_str().unwrap()));
        }
    }
    let fold = |c: char| match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap().to_ascii_lowercase(),
        _ => c.to_ascii_lowercase(),
    };
    let mut expected: BTreeMap<String, BTreeSet<(u64, u64, u64)>> = BTreeMap::new();
    for (e, entry) in entries().iter().enumerate() {
        for (u, text) in entry["x"].as_array().unwrap().iter().enumerate() {
            let chars: Vec<char> = text.as_str().unwrap().chars().map(fold).collect();
            for (p, w) in chars.windows(2).enumerate() {
                if w.iter().all(|c| c.is_alphanumeric()) {
                    expected.entry(w.iter().collect()).or_default().insert((e as u64, u as u64, p as u64));
                }
            }
        }
    }
    assert_eq!(decoded.len(), expected.len(), "bigrams in the index vs in the passages");
    for (bigram, at) in &expected {
        assert_eq!(decoded.get(bigram), Some(at), "postings of {bigram}");
    }
}

#[test]
fn filters_offer_every_year_kind_and_city_of_the_documents() {
    let meta = json("search/meta.json");
    let facet = |key: &str| -> Vec<String> {
        let f = meta["filters"].as_array().unwrap().iter().find(|f| f["key"] == key).unwrap_or_else(|| panic!("no {key} filter"));
        f["values"].as_array().unwrap().iter().map(|v| v[0].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(facet("year"), ["2025年", "2023年", "2021年", "2018年"]);
    assert_eq!(facet("kind")[..2], ["工作要点".to_string(), "城市汇报".to_string()]);
    let cities: Vec<String> = CITIES.iter().map(|(_, short)| short.to_string()).collect();
    assert_eq!(facet("city"), cities);
    assert!(facet("department").iter().any(|d| d == "科普部"));
}

#[test]
fn the_old_whole_text_index_is_gone() {
    assert!(!site().files.contains_key("search-index.json"));
}
