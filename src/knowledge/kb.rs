//! KB article → build.revision (facts.md §6.1): the updates the Microsoft
//! compatibility pages name, and the 2020 1B/2B/3B container table.
//!
//! This is a small, sourced table, not a complete update history (facts.md
//! §6.2 lists where the complete lists are); a KB missing here is unknown,
//! never guessed. It knows nothing of tags or input formats: `tags.rs` asks
//! it about `-KBnnnnnnn` suffixes.

use super::rules::source;
use crate::model::WindowsVersion;

/// One cumulative update: the KB and the build.revision it brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KbRow {
    pub kb: u32,
    pub build: u32,
    pub revision: u32,
    /// Release date (`YYYY-MM-DD`) and Microsoft's update name.
    pub date: &'static str,
    pub source: &'static str,
}

const RELINFO: &str = source::RELEASE_INFO;
const VERCOMPAT: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/version-compatibility.md; https://learn.microsoft.com/en-us/windows/release-health/windows-server-release-info";
const UPDATE_2020: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/update-containers.md @ d87e2955^ (1B/2B/3B 2020 table)";

/// Sorted by build, then revision (then KB).
#[rustfmt::skip]
pub static KB_TABLE: &[KbRow] = &[
    KbRow { kb: 4041691, build: 14393, revision: 1770, date: "2017-10-10 (2017-10 B)", source: VERCOMPAT },
    KbRow { kb: 4051033, build: 14393, revision: 1914, date: "2017-11-27 (2017-11 C)", source: VERCOMPAT },
    KbRow { kb: 4053579, build: 14393, revision: 1944, date: "2017-12-12 (2017-12 B)", source: VERCOMPAT },
    KbRow { kb: 4534271, build: 14393, revision: 3443, date: "2020-01-14 (1B)", source: UPDATE_2020 },
    KbRow { kb: 4546850, build: 14393, revision: 3506, date: "2020-02-18 (2B, container OOB)", source: UPDATE_2020 },
    KbRow { kb: 4551573, build: 14393, revision: 3568, date: "2020-03-10 (3B)", source: UPDATE_2020 },
    KbRow { kb: 4534293, build: 17134, revision: 1246, date: "2020-01-14 (1B)", source: UPDATE_2020 },
    KbRow { kb: 4546851, build: 17134, revision: 1305, date: "2020-02-18 (2B, container OOB)", source: UPDATE_2020 },
    KbRow { kb: 4493509, build: 17763, revision: 437,  date: "2019-04-09 (2019-04 B)", source: VERCOMPAT },
    KbRow { kb: 4534273, build: 17763, revision: 973,  date: "2020-01-14 (2020-01 B)", source: VERCOMPAT },
    KbRow { kb: 4532691, build: 17763, revision: 1039, date: "2020-02-11 (2020-02 B, host)", source: RELINFO },
    KbRow { kb: 4546852, build: 17763, revision: 1040, date: "2020-02-18 (2B, container OOB)", source: UPDATE_2020 },
    KbRow { kb: 4538461, build: 17763, revision: 1098, date: "2020-03-10 (3B)", source: UPDATE_2020 },
    KbRow { kb: 4528760, build: 18362, revision: 592,  date: "2020-01-14 (1B)", source: UPDATE_2020 },
    KbRow { kb: 4546853, build: 18362, revision: 658,  date: "2020-02-18 (2B, container OOB)", source: UPDATE_2020 },
    KbRow { kb: 4540673, build: 18362, revision: 719,  date: "2020-03-10 (3B)", source: UPDATE_2020 },
    KbRow { kb: 4528760, build: 18363, revision: 592,  date: "2020-01-14 (1B)", source: UPDATE_2020 },
    KbRow { kb: 4546853, build: 18363, revision: 658,  date: "2020-02-18 (2B, container OOB)", source: UPDATE_2020 },
    KbRow { kb: 4540673, build: 18363, revision: 719,  date: "2020-03-10 (3B)", source: UPDATE_2020 },
];

/// Every row for a KB. One KB can serve two builds: 1903 (18362) and 1909
/// (18363) share their updates (`KB4528760` → 18362.592 and 18363.592).
pub fn rows_for_kb(kb: u32) -> impl Iterator<Item = &'static KbRow> {
    KB_TABLE.iter().filter(move |r| r.kb == kb)
}

/// The version a KB update brings, e.g. KB4053579 → 10.0.14393.1944.
/// For a KB shared by two builds (1903/1909) this is the lower build; use
/// [`version_for_kb_on`] when the build is known (from a release tag).
pub fn version_for_kb(kb: u32) -> Option<WindowsVersion> {
    rows_for_kb(kb)
        .next()
        .map(|r| WindowsVersion::new(r.build, Some(r.revision)))
}

/// The version a KB brings on one build: (`4528760`, 18363) → 10.0.18363.592.
pub fn version_for_kb_on(kb: u32, build: u32) -> Option<WindowsVersion> {
    rows_for_kb(kb)
        .find(|r| r.build == build)
        .map(|r| WindowsVersion::new(r.build, Some(r.revision)))
}

/// The KB that brought a version, when the table knows it:
/// 10.0.17763.437 → 4493509. `None` without a revision.
pub fn kb_for_version(version: WindowsVersion) -> Option<u32> {
    let revision = version.revision?;
    if (version.major, version.minor) != (10, 0) {
        return None;
    }
    KB_TABLE
        .iter()
        .find(|r| r.build == version.build && r.revision == revision)
        .map(|r| r.kb)
}

/// Read `KB4493509` / `kb4493509` (seven digits) as a number.
pub fn parse_kb(token: &str) -> Option<u32> {
    let digits = token
        .strip_prefix("KB")
        .or_else(|| token.strip_prefix("kb"))
        .or_else(|| token.strip_prefix("Kb"))?;
    if digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(build: u32, revision: u32) -> Option<WindowsVersion> {
        Some(WindowsVersion::new(build, Some(revision)))
    }

    #[test]
    fn kbs_named_in_the_compatibility_page() {
        assert_eq!(version_for_kb(4041691), v(14393, 1770));
        assert_eq!(version_for_kb(4051033), v(14393, 1914));
        assert_eq!(version_for_kb(4053579), v(14393, 1944));
        assert_eq!(version_for_kb(4493509), v(17763, 437));
        assert_eq!(version_for_kb(4534273), v(17763, 973));
    }

    #[test]
    fn the_2020_container_table() {
        assert_eq!(version_for_kb(4546850), v(14393, 3506));
        assert_eq!(version_for_kb(4546852), v(17763, 1040));
        assert_eq!(version_for_kb(4534293), v(17134, 1246));
        assert_eq!(version_for_kb(4540673), v(18362, 719));
        assert_eq!(version_for_kb_on(4540673, 18363), v(18363, 719));
        assert_eq!(version_for_kb_on(4540673, 17763), None);
    }

    #[test]
    fn unknown_kb_is_none() {
        assert_eq!(version_for_kb(4043961), None);
        assert_eq!(version_for_kb(0), None);
    }

    #[test]
    fn reverse_lookup() {
        assert_eq!(
            kb_for_version(WindowsVersion::new(17763, Some(437))),
            Some(4493509)
        );
        assert_eq!(
            kb_for_version(WindowsVersion::new(18363, Some(592))),
            Some(4528760)
        );
        assert_eq!(kb_for_version(WindowsVersion::new(17763, None)), None);
        assert_eq!(kb_for_version(WindowsVersion::new(17763, Some(438))), None);
    }

    #[test]
    fn kb_tokens() {
        assert_eq!(parse_kb("KB4493509"), Some(4493509));
        assert_eq!(parse_kb("kb4493509"), Some(4493509));
        assert_eq!(parse_kb("KB449350"), None);
        assert_eq!(parse_kb("KB44935090"), None);
        assert_eq!(parse_kb("4493509"), None);
        assert_eq!(parse_kb("KB١٢٣٤٥٦٧"), None);
    }

    #[test]
    fn table_is_sorted_unique_and_sourced() {
        for pair in KB_TABLE.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(
                (a.build, a.revision, a.kb) < (b.build, b.revision, b.kb),
                "not sorted: {a:?} then {b:?}"
            );
        }
        for row in KB_TABLE {
            assert!(!row.source.is_empty() && !row.date.is_empty(), "{row:?}");
            assert!((1_000_000..10_000_000).contains(&row.kb), "{row:?}");
            // One KB per build at most.
            assert_eq!(
                KB_TABLE
                    .iter()
                    .filter(|r| r.kb == row.kb && r.build == row.build)
                    .count(),
                1,
                "{row:?}"
            );
            // Reverse lookup finds the row again.
            assert_eq!(
                kb_for_version(WindowsVersion::new(row.build, Some(row.revision))),
                Some(row.kb)
            );
        }
    }
}
