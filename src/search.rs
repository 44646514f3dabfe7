//! Search index (after `index`, beside `render`): a static, sharded index that the search page
//! (`themes/default/static/search.js`) reads a small part of for each query.
//!
//! Chinese has no spaces, so the index is by character bigram, not by word: every pair of
//! adjacent letters/digits/ideographs of every passage is a key, with the positions where it
//! occurs. A query of n characters is found exactly (its n-1 bigrams at consecutive positions),
//! whatever a word segmenter would have made of the text — 科普 inside 科普部, 省辖市 inside
//! 各省辖市. Near misses (院士工作站 → 院士专家工作站) are found by the page from the same
//! postings: the query's pieces each occur in one document.
//!
//! Files, all under `search/` (paths relative to it are what the page asks for):
//! - `meta.json` — shard count, entry count, and the filters (year, kind, city, department):
//!   for each value, the entries that have it. Loaded once per visit.
//! - `s/<k>.json` — shard k: `{bigram: units}` for the bigrams whose FNV-1a hash is k modulo
//!   the shard count: which passages hold the bigram. Enough for a two-character word.
//! - `p/<k>.json` — the same bigrams' positions in those passages, loaded only for words of
//!   three characters or more (a phrase is its bigrams at consecutive positions).
//! - `d/<id>.json` — entry `id`: title, URL, year, kind, city, the anchors of its passages,
//!   where their text chunks start, and the texts of the first chunk; `d/<id>-<c>.json` —
//!   chunk c ≥ 1: the texts of a run of passages (about 16 KB). Most documents are one chunk,
//!   so a result is usually one file; the page loads only the chunks of the passages it shows.
//!
//! Lists are strings of numbers in a base-64 VLQ (5 bits a character, as in source maps). Units:
//! for each entry holding the bigram, `entry delta, unit count, unit deltas…` (the first of each
//! list absolute). Positions: for each (entry, unit) in that order, `count, position deltas…`.
//! Positions count characters (Unicode scalar values) of the folded unit text.
//!
//! Everything is sorted before it is written, so two builds of one site are byte-identical.

use std::borrow::Cow;
use std::collections::hash_map::Entry as MapEntry;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::document::Document;
use crate::index::SiteIndex;
use crate::model::Kind;
use crate::registry::Registry;
use crate::write::Emit;

/// Shards are sized to about this many bytes of unit lists (before compression by the host),
/// and there are at least `MIN_SHARDS`, so that on a small site a word still loads a small
/// part of the index.
const SHARD_TARGET_BYTES: usize = 16 * 1024;
const MIN_SHARDS: usize = 64;

/// Passages of an entry are cut into text chunks of about this many bytes. Larger chunks mean
/// more bytes for a result whose passage is far down a long plan; smaller ones, more files for
/// the host and the build (4 KB chunks made 58,000 files at 10,000 documents, and creating files
/// was a fifth of the build's CPU).
const CHUNK_BYTES: usize = 16 * 1024;

/// What a reader can search for: a document, or a department, city or program page.
/// Texts are borrowed from the index where they can be: the index is built from the whole
/// text of the site, and a large site should not hold it twice.
struct Entry<'a> {
    title: String,
    url: String,
    year: Option<i32>,
    kind: EntryKind,
    city: Option<String>,
    /// Passages: (anchor on the page, plain text). The first is the title, anchored at the
    /// top of the page (empty anchor).
    units: Vec<(&'a str, Cow<'a, str>)>,
    /// Filter values besides year and kind: city indexes and department indexes.
    cities: Vec<usize>,
    departments: Vec<usize>,
}

/// Kinds in the order the filter lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum EntryKind {
    Plan,
    Report,
    Program,
    Department,
    City,
}

impl EntryKind {
    const ALL: [EntryKind; 5] = [EntryKind::Plan, EntryKind::Report, EntryKind::Program, EntryKind::Department, EntryKind::City];

    /// The label a reader sees.
    fn label(self) -> &'static str {
        match self {
            EntryKind::Plan => "工作要点",
            EntryKind::Report => "城市汇报",
            EntryKind::Program => "重点工作",
            EntryKind::Department => "责任部门",
            EntryKind::City => "省辖市",
        }
    }
}

/// What [`write_search_index`] wrote.
pub struct SearchFiles {
    /// Paths under the output root, in a stable order.
    pub paths: Vec<String>,
    pub bytes: usize,
    /// Entries indexed (documents and department, city and program pages).
    pub entries: usize,
}

/// Build the search index of a site and hand each file to `emit` (path under the output root,
/// bytes) as soon as it is made; files are emitted in parallel.
pub fn write_search_index(index: &SiteIndex, registry: &Registry, emit: &dyn Emit) -> std::io::Result<SearchFiles> {
    let entries = entries(index, registry);
    let postings = postings(&entries);
    let total: usize = postings.values().map(|p| p.units.iter().map(|u| u.len()).sum::<usize>()).sum();
    let shard_count = (total / SHARD_TARGET_BYTES).max(MIN_SHARDS).next_power_of_two();
    let mut shards: Vec<Vec<(&str, &Postings)>> = vec![Vec::new(); shard_count];
    for (bigram, p) in &postings {
        shards[shard_of(bigram, shard_count)].push((bigram.as_str(), p));
    }
    let bytes = AtomicUsize::new(0);
    let write = |path: String, data: Vec<u8>| -> std::io::Result<String> {
        emit.emit(&path, &data)?;
        bytes.fetch_add(data.len(), Ordering::Relaxed);
        Ok(path)
    };
    let mut paths = vec![write("search/meta.json".to_string(), meta(&entries, registry, shard_count))?];
    // A shard's postings are joined from their pieces only while the shard is written.
    for (dir, positions) in [("s", false), ("p", true)] {
        paths.extend(
            shards
                .par_iter()
                .enumerate()
                .map(|(k, shard)| {
                    let joined: BTreeMap<&str, String> =
                        shard.iter().map(|&(bigram, p)| (bigram, if positions { p.positions.concat() } else { p.units.concat() })).collect();
                    write(format!("search/{dir}/{k}.json"), to_json(&joined))
                })
                .collect::<std::io::Result<Vec<_>>>()?,
        );
    }
    let entry_paths: Vec<Vec<String>> =
        entries.par_iter().enumerate().map(|(id, e)| entry_files(id, e).into_iter().map(|(p, d)| write(p, d)).collect()).collect::<std::io::Result<_>>()?;
    paths.extend(entry_paths.into_iter().flatten());
    Ok(SearchFiles { paths, bytes: bytes.into_inner(), entries: entries.len() })
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("search index serializes")
}

/// Every entry, documents first (in the index's order: newest year first), then programs,
/// departments and cities in registry order.
fn entries<'a>(index: &'a SiteIndex, registry: &'a Registry) -> Vec<Entry<'a>> {
    let mut doc_cities: Vec<Vec<usize>> = vec![Vec::new(); index.docs.len()];
    for (city, refs) in index.city_mentions.iter().enumerate() {
        for r in refs {
            doc_cities[r.doc.index()].push(city);
        }
    }
    let mut out: Vec<Entry> = index.docs.iter().enumerate().map(|(di, doc)| document_entry(doc, registry, &doc_cities[di])).collect();
    out.extend(registry.programs.iter().map(|p| {
        Entry {
            title: p.name.clone(),
            url: crate::permalink::program(&p.slug),
            year: None,
            kind: EntryKind::Program,
            city: None,
            units: [Cow::from(p.name.as_str()), Cow::from(p.aliases.join(" ")), Cow::from(p.summary.as_deref().unwrap_or_default())]
                .into_iter()
                .filter(|t| !t.is_empty())
                .map(|t| ("", t))
                .collect(),
            cities: Vec::new(),
            departments: Vec::new(),
        }
    }));
    out.extend(registry.departments.iter().enumerate().map(|(i, d)| Entry {
        title: d.name.clone(),
        url: crate::permalink::department(&d.slug),
        year: None,
        kind: EntryKind::Department,
        city: None,
        units: std::iter::once(Cow::from(d.name.as_str())).chain((!d.aliases.is_empty()).then(|| Cow::from(d.aliases.join(" ")))).map(|t| ("", t)).collect(),
        cities: Vec::new(),
        departments: vec![i],
    }));
    out.extend(registry.cities.iter().enumerate().map(|(i, c)| Entry {
        title: c.name.clone(),
        url: crate::permalink::city(&c.slug),
        year: None,
        kind: EntryKind::City,
        city: Some(c.short.clone()),
        units: vec![("", Cow::from(c.name.as_str()))],
        cities: vec![i],
        departments: Vec::new(),
    }));
    out
}

fn document_entry<'a>(doc: &'a Document, registry: &Registry, mentioned: &[usize]) -> Entry<'a> {
    let kind = match doc.kind {
        Kind::Plan => EntryKind::Plan,
        Kind::Report => EntryKind::Report,
    };
    // The title, then what the page's metadata block shows, then every block of the body
    // (headings, items with their annotation, passages): what the reader sees on the page.
    let mut units = vec![("", Cow::from(doc.title.as_str()))];
    // A report page names its city above the title (濮阳市科协); the 18 reports share one title.
    let kicker = doc.city.map(|c| format!("{}科协", registry.city_entry(c).name));
    let meta: Vec<&str> =
        [&kicker, &doc.issuer, &doc.doc_number, &doc.index_no, &doc.topic, &doc.collection].into_iter().flatten().map(String::as_str).collect();
    if !meta.is_empty() {
        units.push(("", Cow::from(meta.join(" "))));
    }
    units.extend(doc.blocks.iter().filter(|b| !b.text.is_empty()).map(|b| (b.anchor.as_str(), Cow::from(&*b.text))));
    let mut cities: Vec<usize> = doc.city.map(|c| c.index()).into_iter().chain(mentioned.iter().copied()).collect();
    cities.sort_unstable();
    cities.dedup();
    let mut departments: Vec<usize> =
        doc.items.iter().flat_map(|i| &i.attributions).map(|a| a.dept.index()).chain(doc.lead_departments.iter().map(|d| d.index())).collect();
    departments.sort_unstable();
    departments.dedup();
    Entry {
        title: match &kicker {
            Some(k) => format!("{k}：{}", doc.title),
            None => doc.title.clone(),
        },
        url: doc.url.clone(),
        year: Some(doc.year),
        kind,
        city: doc.city.map(|c| registry.city_entry(c).short.clone()),
        units,
        cities,
        departments,
    }
}

/// Full-width ASCII to half-width, Latin to lower case: what a reader may type either way.
/// One character in, one out, so positions in folded text are positions in the original.
pub fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Characters that make words: letters, digits and ideographs (not punctuation or spaces).
/// search.js uses the same rule (`/[\p{L}\p{N}]/u`).
pub fn is_word_char(c: char) -> bool {
    // The common case first: every code point of CJK Unified Ideographs is a letter, and the
    // table look-up of `is_alphanumeric` for them was a few percent of a build.
    // Then the punctuation of Chinese text (。、《》「」 and “” ‘’ —), none of which is.
    match c {
        '\u{4E00}'..='\u{9FFF}' => true,
        '\u{2010}'..='\u{2027}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' => false,
        _ => c.is_alphanumeric(),
    }
}

/// FNV-1a (32 bit) of the UTF-8 bytes, modulo the shard count; search.js computes the same.
fn shard_of(bigram: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in bigram.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % shards
}

const VLQ_DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Append `v` in base-64 VLQ: 5 bits a character, low bits first, bit 6 set when more follow.
fn push_vlq(out: &mut String, mut v: u32) {
    loop {
        let mut digit = (v & 31) as usize;
        v >>= 5;
        if v > 0 {
            digit |= 32;
        }
        out.push(VLQ_DIGITS[digit] as char);
        if v == 0 {
            break;
        }
    }
}

/// The postings of one bigram while they are being written: entries come in increasing
/// order, so only the current entry's units are held back (their count comes first).
#[derive(Default)]
struct PostingsWriter {
    /// Units list (see the module documentation).
    units: String,
    /// Positions, aligned with `units`.
    positions: String,
    last_entry: Option<u32>,
    /// Units of the current entry: (unit, how many of `current_positions` are its).
    current: Vec<(u32, u32)>,
    /// Positions of the current entry, unit after unit.
    current_positions: Vec<u32>,
}

impl PostingsWriter {
    fn add(&mut self, entry: u32, unit: u32, pos: u32) {
        if self.last_entry != Some(entry) {
            self.flush();
            let delta = entry - self.last_entry.map_or(0, |e| e);
            push_vlq(&mut self.units, delta);
            self.last_entry = Some(entry);
        }
        match self.current.last_mut() {
            Some((u, count)) if *u == unit => *count += 1,
            _ => self.current.push((unit, 1)),
        }
        self.current_positions.push(pos);
    }

    fn flush(&mut self) {
        if self.current.is_empty() {
            return;
        }
        push_vlq(&mut self.units, self.current.len() as u32);
        let mut last_unit = 0;
        let mut positions = self.current_positions.iter();
        for (unit, count) in self.current.drain(..) {
            push_vlq(&mut self.units, unit - last_unit);
            last_unit = unit;
            push_vlq(&mut self.positions, count);
            let mut last = 0;
            for &p in positions.by_ref().take(count as usize) {
                push_vlq(&mut self.positions, p - last);
                last = p;
            }
        }
        self.current_positions.clear();
    }
}

/// A bigram as a map key: its two characters in one number. Hashed as `[char; 2]` with SipHash,
/// and joined under `String` keys, the keys alone took a tenth of a build.
fn pair_key(a: char, b: char) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

fn pair_text(key: u64) -> String {
    [(key >> 32) as u32, key as u32].into_iter().filter_map(char::from_u32).collect()
}

/// Hashes a [`pair_key`] with a multiply and a fold. The keys are the site's own text, and a
/// map's order is never output (everything is sorted before it is written).
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n ^ (n >> 32)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 32)
    }
}

type PairMap<V> = HashMap<u64, V, BuildHasherDefault<PairHasher>>;

/// The encoded postings of one bigram, in pieces (one a run of entries) that are joined only
/// when its shard is written: grown as one string each, they held half as much again unused.
struct Postings {
    units: Vec<Box<str>>,
    positions: Vec<Box<str>>,
}

/// Entries per parallel job when the postings are written.
const ENTRIES_PER_JOB: usize = 64;

/// Every bigram of every unit, with its encoded postings. Runs of entries are encoded in
/// parallel, a batch at a time, and joined in entry order ([`join_runs`]).
fn postings(entries: &[Entry]) -> HashMap<String, Postings> {
    let mut joined: PairMap<(u32, Postings)> = PairMap::default();
    // Runs are joined a batch at a time: all of them at once held the postings twice. Joining
    // is one thread's work; it goes on while the next batch is encoded on the others.
    let mut pending: Option<Vec<PairMap<PostingsWriter>>> = None;
    for (batch, entries) in entries.chunks(ENTRIES_PER_JOB * RUNS_PER_BATCH).enumerate() {
        let first = batch * ENTRIES_PER_JOB * RUNS_PER_BATCH;
        let join = || pending.take().map(|runs| join_runs(&mut joined, runs));
        pending = Some(rayon::join(join, || run_postings(entries, first)).1);
    }
    if let Some(runs) = pending {
        join_runs(&mut joined, runs);
    }
    joined.into_iter().map(|(k, (_, p))| (pair_text(k), p)).collect()
}

/// Runs of entries joined between two steps of [`postings`].
const RUNS_PER_BATCH: usize = 16;

/// The postings of runs of `ENTRIES_PER_JOB` entries, in parallel; `first` is the number of
/// the first entry.
fn run_postings(entries: &[Entry], first: usize) -> Vec<PairMap<PostingsWriter>> {
    entries
        .par_chunks(ENTRIES_PER_JOB)
        .enumerate()
        .map(|(job, chunk)| {
            let mut writers: PairMap<PostingsWriter> = PairMap::default();
            for (i, entry) in chunk.iter().enumerate() {
                let e = (first + job * ENTRIES_PER_JOB + i) as u32;
                for (u, (_, text)) in entry.units.iter().enumerate() {
                    // A bigram at `pos` is the word characters at `pos` and `pos + 1`.
                    let mut previous: Option<char> = None;
                    for (pos, c) in text.chars().map(fold).enumerate() {
                        let word = is_word_char(c);
                        if let (Some(p), true) = (previous, word) {
                            writers.entry(pair_key(p, c)).or_default().add(e, u as u32, pos as u32 - 1);
                        }
                        previous = word.then_some(c);
                    }
                }
            }
            writers.values_mut().for_each(PostingsWriter::flush);
            writers
        })
        .collect()
}

/// Append runs, in entry order, to the postings joined so far (only the first entry number
/// of each run changes: from absolute to the distance from the previous run's last entry).
fn join_runs(joined: &mut PairMap<(u32, Postings)>, runs: Vec<PairMap<PostingsWriter>>) {
    for run in runs {
        for (bigram, w) in run {
            let last = w.last_entry.expect("a writer holds at least one entry");
            match joined.entry(bigram) {
                MapEntry::Vacant(v) => {
                    v.insert((last, Postings { units: vec![w.units.into_boxed_str()], positions: vec![w.positions.into_boxed_str()] }));
                }
                MapEntry::Occupied(mut o) => {
                    let (prev_last, p) = o.get_mut();
                    let (first, rest) = split_first_vlq(&w.units);
                    let mut units = String::with_capacity(rest.len() + 7);
                    push_vlq(&mut units, first - *prev_last);
                    units.push_str(rest);
                    p.units.push(units.into_boxed_str());
                    p.positions.push(w.positions.into_boxed_str());
                    *prev_last = last;
                }
            }
        }
    }
}

/// The first number of a VLQ string and the rest of the string.
fn split_first_vlq(s: &str) -> (u32, &str) {
    let mut v = 0u32;
    for (i, c) in s.bytes().enumerate() {
        let d = VLQ_DIGITS.iter().position(|&x| x == c).expect("a VLQ digit") as u32;
        v |= (d & 31) << (5 * i);
        if d & 32 == 0 {
            return (v, &s[i + 1..]);
        }
    }
    (v, "")
}

/// `meta.json`: what the page needs before it can fetch anything else, and the filters.
fn meta(entries: &[Entry], registry: &Registry, shard_count: usize) -> Vec<u8> {
    #[derive(Serialize)]
    struct Meta {
        /// Format version, for a page cached across a deploy.
        v: u32,
        shards: usize,
        entries: usize,
        /// Facets in display order: key, label, values (label, entries as VLQ deltas).
        filters: Vec<Facet>,
    }
    #[derive(Serialize)]
    struct Facet {
        key: &'static str,
        label: &'static str,
        values: Vec<(String, String)>,
    }
    fn facet(key: &'static str, label: &'static str, values: Vec<(String, Vec<usize>)>) -> Facet {
        let values = values
            .into_iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(name, ids)| {
                let mut s = String::new();
                let mut last = 0;
                for id in ids {
                    push_vlq(&mut s, (id - last) as u32);
                    last = id;
                }
                (name, s)
            })
            .collect();
        Facet { key, label, values }
    }
    let ids = |pred: &dyn Fn(&Entry) -> bool| -> Vec<usize> { entries.iter().enumerate().filter(|(_, e)| pred(e)).map(|(i, _)| i).collect() };
    let mut years: Vec<i32> = entries.iter().filter_map(|e| e.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let filters = vec![
        facet("year", "年度", years.iter().map(|&y| (format!("{y}年"), ids(&|e| e.year == Some(y)))).collect()),
        facet("kind", "类别", EntryKind::ALL.iter().map(|&k| (k.label().to_string(), ids(&|e| e.kind == k))).collect()),
        facet("city", "省辖市", registry.cities.iter().enumerate().map(|(i, c)| (c.short.clone(), ids(&|e| e.cities.contains(&i)))).collect()),
        facet("department", "责任部门", registry.departments.iter().enumerate().map(|(i, d)| (d.name.clone(), ids(&|e| e.departments.contains(&i)))).collect()),
    ];
    to_json(&Meta { v: 1, shards: shard_count, entries: entries.len(), filters })
}

/// `d/<id>.json` (t title, u URL, y year, k kind, c city, a anchors, g the first unit of each
/// chunk, x the texts of chunk 0) and `d/<id>-<c>.json` (the texts of chunk c ≥ 1).
fn entry_files(id: usize, e: &Entry) -> Vec<(String, Vec<u8>)> {
    #[derive(Serialize)]
    struct EntryFile<'a> {
        t: &'a str,
        u: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        y: Option<i32>,
        k: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        c: Option<&'a str>,
        a: Vec<&'a str>,
        g: Vec<usize>,
        x: Vec<&'a str>,
    }
    let mut starts = vec![0];
    let mut size = 0;
    for (u, (_, text)) in e.units.iter().enumerate() {
        if size > 0 && size + text.len() > CHUNK_BYTES {
            starts.push(u);
            size = 0;
        }
        size += text.len();
    }
    let texts = |c: usize| -> Vec<&str> {
        let end = starts.get(c + 1).copied().unwrap_or(e.units.len());
        e.units[starts[c]..end].iter().map(|(_, x)| x.as_ref()).collect()
    };
    let header = EntryFile {
        t: &e.title,
        u: &e.url,
        y: e.year,
        k: e.kind.label(),
        c: e.city.as_deref(),
        a: e.units.iter().map(|(a, _)| *a).collect(),
        g: starts.clone(),
        x: texts(0),
    };
    let mut files = vec![(format!("search/d/{id}.json"), to_json(&header))];
    files.extend((1..starts.len()).map(|c| (format!("search/d/{id}-{c}.json"), to_json(&texts(c)))));
    files
}

/// The search index of the site in `output` could not be written (E0510).
pub fn write_failed(output: &std::path::Path, e: &std::io::Error) -> crate::Diagnostic {
    crate::Diagnostic::new("E0510", output, None, format!("无法写入搜索索引：{}", crate::diagnostics::io_reason(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let (mut v, mut shift) = (0u32, 0);
        for c in s.bytes() {
            let d = VLQ_DIGITS.iter().position(|&x| x == c).unwrap() as u32;
            v |= (d & 31) << shift;
            if d & 32 != 0 {
                shift += 5;
            } else {
                out.push(v);
                v = 0;
                shift = 0;
            }
        }
        out
    }

    #[test]
    fn vlq_round_trips_small_and_large_numbers() {
        let mut s = String::new();
        for v in [0, 1, 31, 32, 1000, 70_000, u32::MAX] {
            push_vlq(&mut s, v);
        }
        assert_eq!(decode(&s), vec![0, 1, 31, 32, 1000, 70_000, u32::MAX]);
    }

    #[test]
    fn postings_group_positions_by_entry_and_unit() {
        let mut w = PostingsWriter::default();
        w.add(2, 0, 5);
        w.add(2, 0, 9);
        w.add(2, 3, 1);
        w.add(7, 1, 4);
        w.flush();
        // entry 2: 2 units, 0 and +3; entry +5: 1 unit, 1.
        assert_eq!(decode(&w.units), vec![2, 2, 0, 3, 5, 1, 1]);
        // (2, 0): 2 positions 5, +4; (2, 3): 1 position 1; (7, 1): 1 position 4.
        assert_eq!(decode(&w.positions), vec![2, 5, 4, 1, 1, 1, 4]);
    }

    #[test]
    fn postings_written_in_parallel_runs_equal_postings_written_in_one() {
        let entry = |text: &str| Entry {
            title: String::new(),
            url: String::new(),
            year: None,
            kind: EntryKind::Plan,
            city: None,
            units: vec![("", Cow::from(text.to_string()))],
            cities: Vec::new(),
            departments: Vec::new(),
        };
        let entries: Vec<Entry> = (0..200)
            .map(|i| {
                entry(if i % 3 == 0 {
                    "科普中原科普"
                } else if i % 7 == 0 {
                    "濮阳科普"
                } else {
                    "兰考"
                })
            })
            .collect();
        let joined = postings(&entries);
        let mut one = PostingsWriter::default();
        for (e, _) in entries.iter().enumerate().filter(|(i, _)| i % 3 == 0 || i % 7 == 0) {
            one.add(e as u32, 0, if e % 3 == 0 { 0 } else { 2 });
            if e % 3 == 0 {
                one.add(e as u32, 0, 4);
            }
        }
        one.flush();
        assert_eq!(joined["科普"].units.concat(), one.units);
        assert_eq!(joined["科普"].positions.concat(), one.positions);
        assert!(joined["科普"].units.len() > 1, "the postings come from several runs");
        assert_eq!(split_first_vlq("gBAB"), (32, "AB"));
    }

    #[test]
    fn word_characters_are_letters_and_numbers_of_every_script() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn folds_full_width_and_case_one_char_for_one() {
        let folded: String = "ＡＢｃ５６１０Ｘ科普".chars().map(fold).collect();
        assert_eq!(folded, "abc5610x科普");
    }

    #[test]
    fn shard_hash_is_fnv1a() {
        // FNV-1a 32 of "a" is 0xe40c292c; search.js must agree with these.
        assert_eq!(shard_of("a", 1 << 31), 0xe40c292c % (1 << 31));
        assert_eq!(shard_of("科普", 7), {
            let mut h: u32 = 0x811c9dc5;
            for b in "科普".bytes() {
                h = (h ^ b as u32).wrapping_mul(16777619);
            }
            h as usize % 7
        });
    }
}
