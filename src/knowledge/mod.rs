//! What wincompat knows about Windows releases, base-image tags, HCS error
//! codes and the compatibility rules, as data with a source on every row.
//!
//! The knowledge base knows nothing of input formats (`parse/`) or reports
//! (`report/`); it answers questions about versions, tags and codes.

pub mod compat;
pub mod diagnoses;
pub mod hcs_codes;
pub mod kb;
pub mod platform_match;
pub mod releases;
pub mod rules;
pub mod tags;

/// The date of the newest source the tables were checked against
/// (facts.md snapshots: moby/moby HEAD 2026-08-23). Printed by every report.
pub const KNOWLEDGE_DATE: &str = "2026-08-23";

#[cfg(test)]
mod tests {
    use super::*;

    /// A source a user can open: an `https://` URL, or a named file or
    /// issue of a public repository (`owner/repo path/to/file.md`,
    /// `owner/repo#123`), optionally followed by a note in words.
    fn is_public(segment: &str) -> bool {
        let s = segment.trim();
        if s.contains("https://") {
            return true;
        }
        let Some((repo, rest)) = s.split_once(' ').map_or(Some((s, "")), Some) else {
            return false;
        };
        let (owner_repo, issue) = match repo.split_once('#') {
            Some((r, n)) => (r, n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty()),
            None => (repo, false),
        };
        let Some((owner, name)) = owner_repo.split_once('/') else {
            return false;
        };
        let word = |w: &str| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        // After `owner/repo` comes an issue number or a path with a file.
        let file = rest
            .split_whitespace()
            .next()
            .is_some_and(|p| p.contains('.') || p.contains('/'));
        word(owner) && word(name) && (issue || file)
    }

    /// `a; b (c; d); e` → `a`, `b (c; d)`, `e`: sources are listed with
    /// `; `, notes in parentheses may use it too.
    fn segments(source: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let (mut depth, mut start) = (0i32, 0);
        let bytes = source.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'(' => depth += 1,
                b')' => depth -= 1,
                b';' if depth == 0 && bytes.get(i + 1) == Some(&b' ') => {
                    out.push(&source[start..i]);
                    start = i + 2;
                }
                _ => {}
            }
        }
        out.push(&source[start..]);
        out
    }

    /// Every source string the knowledge base can print, with where it is.
    fn every_source() -> Vec<(String, &'static str)> {
        let mut all: Vec<(String, &'static str)> = Vec::new();
        for r in rules::RuleId::ALL {
            all.push((format!("rule {r}"), r.source()));
        }
        for t in tags::TAG_TOKENS {
            all.push((format!("tag token {}", t.token), t.source));
        }
        for t in tags::TAG_SUPPORT {
            all.push((format!("tag support {}", t.token), t.source));
        }
        for t in tags::HOST_TARGETS {
            all.push((format!("host target {}", t.host_build), t.source));
        }
        for k in kb::KB_TABLE {
            all.push((format!("KB{}", k.kb), k.source));
        }
        for c in hcs_codes::CODES {
            all.push((format!("HCS code {:#x}", c.code), c.source));
        }
        for r in releases::RELEASES {
            // Rows from unverified sources say so in their source and are
            // printed only with "unconfirmed" (compat's warning); they name
            // what could not be identified instead of a place to look.
            if r.confirmed {
                all.push((format!("release {}", r.build), r.source));
            }
        }
        for s in releases::TABLE_SOURCES {
            all.push(("release table".to_owned(), s));
        }
        for e in [
            platform_match::Engine::Containerd,
            platform_match::Engine::MobyGraphdriver,
        ] {
            all.push((format!("engine {e:?}"), e.source()));
        }
        all.push(("linux-only images".to_owned(), tags::LINUX_ONLY_SOURCE));
        all
    }

    /// Issue 13: reports cite public sources only, never our own notes.
    #[test]
    fn every_source_is_a_public_url_or_repository_file() {
        for (place, source) in every_source() {
            assert!(!source.contains("facts.md"), "{place}: {source}");
            for segment in segments(source) {
                assert!(is_public(segment), "{place}: {segment:?} in {source:?}");
            }
        }
    }

    #[test]
    fn the_public_source_check_rejects_private_notes() {
        assert!(is_public("moby/moby#53397"));
        assert!(is_public(
            "microsoft/hcsshim osversion/windowsbuilds.go (RS1)"
        ));
        assert!(is_public("https://learn.microsoft.com/x"));
        assert!(!is_public("facts.md §2.1"));
        assert!(!is_public("base-image-lifecycle.md"));
        assert!(!is_public("DataForGeeks"));
        assert!(!is_public(
            "third-party script comment (repository not identified)"
        ));
    }
}
