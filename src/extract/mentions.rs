//! Which registry entries (cities, programs) a text names, by any of their names.

use aho_corasick::{AhoCorasick, MatchKind};

/// Finds names in text; the longest name wins where names overlap (济源示范区 over 济源).
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: AhoCorasick,
    /// Registry index of each pattern.
    owners: Vec<usize>,
}

impl Matcher {
    /// `names`: (name, index of the registry entry it belongs to). Empty names are skipped.
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, usize)>) -> Matcher {
        let (patterns, owners): (Vec<&str>, Vec<usize>) = names.into_iter().filter(|(n, _)| !n.is_empty()).unzip();
        let automaton = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns).expect("registry names build an automaton");
        Matcher { automaton, owners }
    }

    /// Every mention: byte range in `text` and registry index, left to right.
    pub fn spans(&self, text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        self.automaton.find_iter(text).map(|m| (m.range(), self.owners[m.pattern().as_usize()])).collect()
    }

    /// Registry indexes named in `text`, each once, in order of first mention.
    pub fn find(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        for m in self.automaton.find_iter(text) {
            let owner = self.owners[m.pattern().as_usize()];
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
}
