//! Regexes compiled only for a text that could match them. Compiling a
//! regex costs more than running it over a paste (callgrind on a `kubectl
//! describe pod` paste: compiling the parsers' regexes was 72 % of the
//! run, issue 14), and most of them look for wordings a given paste never
//! holds. A [`Gated`] regex names literals of which every match holds at
//! least one (ASCII case ignored); a text holding none is answered "no
//! match" without compiling the regex.

use regex::{Captures, Match, Regex};
use std::sync::LazyLock;

/// A regex with the literals every match contains one of (lower case,
/// compared ASCII-case-insensitively).
pub struct Gated {
    needles: &'static [&'static str],
    re: LazyLock<Regex>,
}

impl Gated {
    /// `needles`: lower-case literals, one of which every match of the
    /// regex `build` returns contains (the tests of each use say so).
    pub const fn new(needles: &'static [&'static str], build: fn() -> Regex) -> Self {
        Gated {
            needles,
            re: LazyLock::new(build),
        }
    }

    /// Whether `text` holds one of the literals (a match is possible).
    pub fn may_match(&self, text: &str) -> bool {
        self.needles.iter().any(|n| contains_ci(text, n))
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.may_match(text) && self.re.is_match(text)
    }

    pub fn captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        if self.may_match(text) {
            self.re.captures(text)
        } else {
            None
        }
    }

    pub fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> {
        if self.may_match(text) {
            self.re.find(text)
        } else {
            None
        }
    }

    /// Every match (none without a literal).
    pub fn find_iter<'r, 't>(
        &'r self,
        text: &'t str,
    ) -> impl Iterator<Item = Match<'t>> + use<'r, 't> {
        self.may_match(text)
            .then(|| self.re.find_iter(text))
            .into_iter()
            .flatten()
    }

    /// The regex itself (compiled now if it was not).
    pub fn regex(&self) -> &Regex {
        &self.re
    }
}

/// Whether `hay` contains `needle`, ASCII case ignored.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    find_ci(hay, needle).is_some()
}

/// The byte offset of the first `needle` in `hay`, ASCII case ignored:
/// the candidates are where the needle's first byte is, in either case
/// (memchr), not every offset.
pub fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return Some(0);
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lower, upper, h).find(|&i| {
        h.get(i..i + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    static RE: Gated = Gated::new(&["manifest"], || {
        Regex::new(r"(?i)no matching manifest for (\S+)").expect("static regex")
    });

    #[test]
    fn a_text_without_the_literal_is_no_match() {
        assert!(!RE.may_match("no match for platform in manifes"));
        assert!(RE.captures("no match for platform in manifes").is_none());
        let caps = RE.captures("No Matching MANIFEST for windows/amd64 10.0.17763");
        assert_eq!(
            caps.and_then(|c| c.get(1)).map(|m| m.as_str()),
            Some("windows/amd64")
        );
    }

    #[test]
    fn find_ci_finds_the_first_occurrence() {
        assert_eq!(find_ci("xx HCS:: hcs::", "hcs::"), Some(3));
        assert_eq!(find_ci("abc", ""), Some(0));
        assert_eq!(find_ci("ab", "abc"), None);
        assert_eq!(find_ci("ﬁle: Extra Info", "extra info"), Some(7));
    }

    #[test]
    fn contains_ci_ignores_ascii_case_only() {
        assert!(contains_ci("a Hcs::Start", "hcs::"));
        assert!(contains_ci("x", ""));
        assert!(!contains_ci("hc", "hcs"));
        assert!(!contains_ci("ＨCS::", "hcs::"));
    }
}
