//! Which registry entries (cities, programs) a text names, by any of their names.

use aho_corasick::{AhoCorasick, MatchKind};

/// Finds names in text; the longest name wins where names overlap (济源示范区 over 济源).
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: AhoCorasick,
    /// Registry index of each pattern; `None` for an exclusion.
    owners: Vec<Option<usize>>,
}

impl Matcher {
    /// `names`: (name, index of the registry entry it belongs to). Empty names are skipped.
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, usize)>) -> Matcher {
        Matcher::with_exclusions(names, [])
    }

    /// Like [`Matcher::new`], and `excluded` texts that are no mention although they contain a
    /// name: where an exclusion is the longer match, the name inside it does not count.
    pub fn with_exclusions<'a>(names: impl IntoIterator<Item = (&'a str, usize)>, excluded: impl IntoIterator<Item = &'a str>) -> Matcher {
        let (mut patterns, mut owners): (Vec<&str>, Vec<Option<usize>>) = names.into_iter().map(|(n, i)| (n, Some(i))).unzip();
        for e in excluded {
            patterns.push(e);
            owners.push(None);
        }
        let keep: Vec<bool> = patterns.iter().map(|p| !p.is_empty()).collect();
        let patterns: Vec<&str> = patterns.into_iter().zip(&keep).filter(|(_, k)| **k).map(|(p, _)| p).collect();
        let owners: Vec<Option<usize>> = owners.into_iter().zip(&keep).filter(|(_, k)| **k).map(|(o, _)| o).collect();
        let automaton = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns).expect("registry names build an automaton");
        Matcher { automaton, owners }
    }

    /// Every mention: byte range in `text` and registry index, left to right.
    pub fn spans(&self, text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        self.automaton.find_iter(text).filter_map(|m| self.owners[m.pattern().as_usize()].map(|o| (m.range(), o))).collect()
    }

    /// Registry indexes named in `text`, each once, in order of first mention.
    pub fn find(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        for (_, owner) in self.spans(text) {
            if !found.contains(&owner) {
                found.push(owner);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_short_and_full_names_once_each() {
        let m = Matcher::new([("信阳市", 0), ("信阳", 0), ("商丘", 1), ("济源示范区", 2), ("济源", 2)]);
        assert_eq!(m.find("指导推动信阳市、商丘市、济源市科协等3个项目，信阳"), [0, 1, 2]);
        assert!(m.find("河南省").is_empty());
    }

    #[test]
    fn a_name_inside_an_exclusion_does_not_count() {
        let m = Matcher::with_exclusions([("青年人才托举工程", 0), ("出彩中原", 1)], ["河洛青年人才托举工程", "出彩中原立新功"]);
        assert!(m.find("评选第二届河洛青年人才托举工程20名").is_empty());
        assert!(m.find("开展“不忘初心跟党走，出彩中原立新功”党建主题活动").is_empty());
        assert_eq!(m.find("拓展实施青年人才托举工程，全面展开出彩中原行动"), [0, 1]);
    }
}
