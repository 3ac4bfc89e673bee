//! `WindowsVersion`: major.minor.build[.revision], as Windows reports it.
//!
//! The struct is shared by every layer; the nom parsers for the textual
//! forms users meet live here too, so that every module reads versions the
//! same way. Release *names* (`ltsc2019`, `1809`, `Windows Server 2022`) are
//! resolved by `knowledge::releases`, which knows the table: this module
//! must not know which build is which release, nor any input format beyond
//! the few version spellings Windows itself prints.
//!
//! Forms read (one nom parser each, see their doc comments):
//!
//! | form | sample | parser |
//! |---|---|---|
//! | dotted | `10.0.17763.1577`, `10.0.17763` | [`dotted`] |
//! | build[.revision] | `17763`, `14393.1715` | [`build_revision`] |
//! | kernel string | `10.0 14393 (14393.1715.amd64fre.rs1_release_inmarket.170906-1810)` | [`kernel_string`] |
//! | BuildLabEx | `14393.321.amd64fre.rs1_release_inmarket.161004-2338` | [`build_lab_ex`] |
//! | `ver` | `Microsoft Windows [Version 10.0.16299.125]` | [`ver_output`] |
//! | docker info OS | `Microsoft Windows Server Version 21H2 (OS Build 20348.707)` | [`os_build_string`] |
//!
//! Range decisions (documented here because every caller inherits them):
//! - major.minor must be `10.0`, or `6.0`–`6.3` (Vista … 8.1 / Server 2012 R2,
//!   which an unmanifested process is told it runs on: facts.md §2.2). Any
//!   other major.minor is [`VersionError::OutOfRange`].
//! - For `10.0` the build has five digits (10240 = first Windows 10 … 99999);
//!   for `6.x` four (6000 … 9999). A bare number must have five digits, so
//!   four-digit release ids (`1809`, `2004`) are *not* versions here: the
//!   release lookup takes them.
//! - A revision (UBR) is below 1 000 000.
//! - Numbers too long for `u64` are out of range, never a panic.

use nom::bytes::complete::{tag_no_case, take_till, take_while_m_n};
use nom::character::complete::{char, space0, space1};
use nom::combinator::{all_consuming, map, opt, recognize};
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};
use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// A Windows OS version such as `10.0.17763.1577`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct WindowsVersion {
    pub major: u32,
    pub minor: u32,
    pub build: u32,
    /// The update revision (UBR); `None` when the text gave only the build.
    pub revision: Option<u32>,
}

impl WindowsVersion {
    /// A Windows 10-family version (`10.0.build[.revision]`).
    pub const fn new(build: u32, revision: Option<u32>) -> Self {
        WindowsVersion {
            major: 10,
            minor: 0,
            build,
            revision,
        }
    }

    /// The same version without its revision.
    pub const fn without_revision(self) -> Self {
        WindowsVersion {
            revision: None,
            ..self
        }
    }
}

impl fmt::Display for WindowsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.build)?;
        if let Some(rev) = self.revision {
            write!(f, ".{rev}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for WindowsVersion {
    type Err = VersionError;

    /// Same as [`parse_any`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_any(s)
    }
}

/// Why a text is not a Windows version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("no Windows version found in {0:?}")]
    NotAVersion(String),
    #[error("version number out of range in {0:?}")]
    OutOfRange(String),
}

/// Largest accepted revision (UBR), inclusive. Real UBRs are four digits
/// (14393 reached ~8000 by 2025); six digits leaves room without accepting
/// timestamps or IDs.
pub const MAX_REVISION: u64 = 999_999;

/// A BuildLabEx revision at or below this is the lab's RTM stamp, not the
/// installed update: since 1709 Windows no longer rewrites BuildLabEx when a
/// cumulative update is installed (`16299.0.amd64fre.rs3_release…`,
/// `26100.1.amd64fre.ge_release…` on a host whose `OS Build` is 26100.3476;
/// facts.md §2.1, corpus `client-swarm-*/docker-info.txt` shape). Such a
/// revision is reported as unknown (`None`).
pub const BUILDLAB_STAMP_MAX: u64 = 1;

/// Numbers as read, before range checks (so that huge numbers become
/// `OutOfRange` instead of failing to parse or wrapping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawVersion {
    major: u64,
    minor: u64,
    build: u64,
    revision: Option<u64>,
}

impl RawVersion {
    const fn ten(build: u64, revision: Option<u64>) -> Self {
        RawVersion {
            major: 10,
            minor: 0,
            build,
            revision,
        }
    }

    /// Apply the range rules in the module doc.
    fn validate(self, text: &str) -> Result<WindowsVersion, VersionError> {
        let out = || VersionError::OutOfRange(text.to_owned());
        let build_ok = match (self.major, self.minor) {
            (10, 0) => (10_000..=99_999).contains(&self.build),
            (6, 0..=3) => (6_000..=9_999).contains(&self.build),
            _ => false,
        };
        if !build_ok {
            return Err(out());
        }
        let revision = match self.revision {
            Some(r) if r > MAX_REVISION => return Err(out()),
            Some(r) => Some(u32::try_from(r).map_err(|_| out())?),
            None => None,
        };
        Ok(WindowsVersion {
            major: u32::try_from(self.major).map_err(|_| out())?,
            minor: u32::try_from(self.minor).map_err(|_| out())?,
            build: u32::try_from(self.build).map_err(|_| out())?,
            revision,
        })
    }
}

/// At most this many digits are read as one number; a longer run is out of
/// range (and bounds the work done on long digit runs).
const MAX_DIGITS: usize = 12;

/// A run of 1–12 ASCII digits that is not followed by another digit, as a
/// `u64` (12 digits always fit; a 13th digit makes the parser fail so the
/// caller sees "not this form" rather than a silently cut number).
fn number(i: &str) -> IResult<&str, u64> {
    let (rest, digits) = take_while_m_n(1, MAX_DIGITS, |c: char| c.is_ascii_digit()).parse(i)?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(nom::Err::Error(nom::error::Error::new(
            rest,
            nom::error::ErrorKind::TooLarge,
        )));
    }
    // 12 digits always fit in u64; `unwrap_or` only documents that.
    Ok((rest, digits.parse::<u64>().unwrap_or(u64::MAX)))
}

/// `10.0.17763.1577` or `10.0.17763` (also `6.3.9600`): the dotted form
/// printed by `docker inspect` (`OsVersion`), manifests (`os.version`),
/// kubelet's `Kernel Version` since ~1.14 and node labels.
pub(crate) fn dotted(i: &str) -> IResult<&str, RawVersion> {
    map(
        (
            number,
            preceded(char('.'), number),
            preceded(char('.'), number),
            opt(preceded(char('.'), number)),
        ),
        |(major, minor, build, revision)| RawVersion {
            major,
            minor,
            build,
            revision,
        },
    )
    .parse(i)
}

/// `17763` or `14393.1715`: a build with optional revision, as in
/// `OS Build 20348.707` or a user's `--host 17763`.
pub(crate) fn build_revision(i: &str) -> IResult<&str, RawVersion> {
    map(
        (number, opt(preceded(char('.'), number))),
        |(build, revision)| RawVersion::ten(build, revision),
    )
    .parse(i)
}

/// The part of a BuildLabEx after `build.revision`:
/// `.amd64fre.rs1_release_inmarket.161004-2338` (architecture + `fre`/`chk`,
/// branch, timestamp). Only the `.<arch>fre`/`.<arch>chk` start is required.
fn build_lab_tail(i: &str) -> IResult<&str, &str> {
    recognize((
        char('.'),
        take_while_m_n(1, 16, |c: char| c.is_ascii_alphanumeric()),
        take_till(|c: char| c == ')' || c.is_whitespace()),
    ))
    .parse(i)
    .and_then(|(rest, tail)| {
        let lower = tail.to_ascii_lowercase();
        if lower.contains("fre") || lower.contains("chk") {
            Ok((rest, tail))
        } else {
            Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Tag,
            )))
        }
    })
}

/// Inner `build.revision` of a BuildLabEx, with the RTM-stamp rule applied
/// (see [`BUILDLAB_STAMP_MAX`]): `26100.1.amd64fre…` → revision `None`.
fn lab_build_revision(i: &str) -> IResult<&str, (u64, Option<u64>)> {
    map(
        (number, preceded(char('.'), number), build_lab_tail),
        |(build, rev, _)| (build, (rev > BUILDLAB_STAMP_MAX).then_some(rev)),
    )
    .parse(i)
}

/// BuildLabEx, the registry value under
/// `HKLM\Software\Microsoft\Windows NT\CurrentVersion`:
/// `14393.321.amd64fre.rs1_release_inmarket.161004-2338` → 10.0.14393.321.
/// A stamp revision (`17763.1.amd64fre.rs5_release.180914-1434`) gives
/// `None`: BuildLabEx is not updated by cumulative updates since 1709.
pub(crate) fn build_lab_ex(i: &str) -> IResult<&str, RawVersion> {
    map(lab_build_revision, |(build, revision)| {
        RawVersion::ten(build, revision)
    })
    .parse(i)
}

/// The kernel string docker (`Kernel Version:` in `docker info`) and older
/// kubelets (`kubectl describe node`, ≤ 1.13) print:
/// `10.0 14393 (14393.1715.amd64fre.rs1_release_inmarket.170906-1810)`.
///
/// The outer build wins. Enablement-package releases (19042–19045, 22631,
/// 26200) keep the base build inside: `10.0 19042 (19041.1.amd64fre.vb_release.191206-1406)`
/// is 10.0.19042 with revision unknown, because the inner revision belongs
/// to the base build. When outer and inner builds are equal the inner
/// revision is taken (14393.1715 above), unless it is the RTM stamp.
pub(crate) fn kernel_string(i: &str) -> IResult<&str, RawVersion> {
    map(
        (
            number,
            preceded(char('.'), number),
            preceded(space1, number),
            preceded(
                space0,
                delimited(char('('), lab_build_revision, opt(char(')'))),
            ),
        ),
        |(major, minor, outer, (inner, inner_rev))| RawVersion {
            major,
            minor,
            build: outer,
            revision: if inner == outer { inner_rev } else { None },
        },
    )
    .parse(i)
}

/// `Microsoft Windows [Version 10.0.16299.125]`, the output of `ver`
/// (revision included since 1709).
pub(crate) fn ver_output(i: &str) -> IResult<&str, RawVersion> {
    preceded(
        (
            opt((tag_no_case("Microsoft"), space1)),
            tag_no_case("Windows"),
            space0,
        ),
        delimited(
            (char('['), tag_no_case("Version"), space1),
            dotted,
            char(']'),
        ),
    )
    .parse(i)
}

/// `Microsoft Windows Server Version 21H2 (OS Build 20348.707)` and
/// `Windows Server 2019 Datacenter Version 1809 (OS Build 17763.805)`: the
/// `Operating System:` line of `docker info` (moby
/// `pkg/parsers/operatingsystem`). Only the `(OS Build B.R)` part is read;
/// the product name before it must mention Windows. Client hosts print the
/// same shape (`Windows 10 Pro Version 2009 (OS Build 22621.963)`), where
/// the name is misleading (facts.md §2.2) but the build is right.
pub(crate) fn os_build_string(i: &str) -> IResult<&str, RawVersion> {
    let (rest, name) = take_till(|c: char| c == '(').parse(i)?;
    if !name.to_ascii_lowercase().contains("windows") {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Tag,
        )));
    }
    os_build_paren(rest)
}

/// `(OS Build 20348.707)`.
fn os_build_paren(i: &str) -> IResult<&str, RawVersion> {
    delimited(
        (char('('), tag_no_case("OS Build"), space1),
        build_revision,
        char(')'),
    )
    .parse(i)
}

/// One version form's parser.
type Form = fn(&str) -> IResult<&str, RawVersion>;

/// Parse a whole text (trimmed, surrounding quotes removed) in any of the
/// forms in the module doc: `10.0.17763.1577`, `10.0.17763`, `17763`,
/// `14393.1715`, `10.0 14393 (14393.1715.amd64fre…)`,
/// `14393.321.amd64fre.rs1_release_inmarket.161004-2338`,
/// `Microsoft Windows [Version 10.0.16299.125]`,
/// `Microsoft Windows Server Version 21H2 (OS Build 20348.707)`.
///
/// A bare four-digit number (`1809`, `2004`) is `NotAVersion`: it is a
/// release id for `knowledge::releases` to resolve.
pub fn parse_any(text: &str) -> Result<WindowsVersion, VersionError> {
    let trimmed = text
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .trim();
    let not = || VersionError::NotAVersion(text.to_owned());
    if trimmed.is_empty() {
        return Err(not());
    }
    // Order matters: kernel string and BuildLabEx before the shorter numeric
    // forms; `all_consuming` makes each form match the whole text or nothing.
    let forms: [Form; 6] = [
        kernel_string,
        dotted,
        build_lab_ex,
        ver_output,
        os_build_string,
        bare_build,
    ];
    for form in forms {
        if let Ok((_, raw)) = all_consuming(form).parse(trimmed) {
            return raw.validate(text);
        }
    }
    Err(not())
}

/// A bare build, `17763` or `14393.1715`, which must not be a four-digit
/// release id (`1809`): those fail here so that release lookup gets them.
fn bare_build(i: &str) -> IResult<&str, RawVersion> {
    let (rest, raw) = build_revision(i)?;
    let digits = i.chars().take_while(char::is_ascii_digit).count();
    if digits < 5 {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Digit,
        )));
    }
    Ok((rest, raw))
}

/// Find the first Windows version inside a longer text (a log line, an
/// error message): `… a Windows version 10.0.17763-based image is
/// incompatible with a 10.0.17134 host` → (10.0.17763, 25..35).
///
/// Recognised: `10.0.B[.R]`, the kernel string `10.0 B (B.R.amd64fre…)`
/// and `(OS Build B.R)`. A match never starts or ends inside a longer digit
/// run (`110.0.17763`, `10.0.177631` are skipped) and out-of-range numbers
/// (`10.0.1`) are skipped, so the search continues after them. The range is
/// the byte range of the matched text. Linear in the text length.
pub fn find_version(text: &str) -> Option<(WindowsVersion, Range<usize>)> {
    let bytes = text.as_bytes();
    let finder = memchr::memmem::find_iter(bytes, b"10.0");
    let os_build = memchr::memmem::find_iter(bytes, b"(OS Build");
    // Merge the two candidate streams in order of position.
    let mut candidates: Vec<usize> = finder.chain(os_build).collect();
    candidates.sort_unstable();
    for start in candidates {
        if start > 0 && bytes.get(start - 1).is_some_and(|b| b.is_ascii_digit()) {
            continue;
        }
        // `start` is at an ASCII byte, so it is a char boundary.
        let Some(rest) = text.get(start..) else {
            continue;
        };
        let parsed = kernel_string(rest)
            .or_else(|_| dotted(rest))
            .or_else(|_| os_build_paren(rest));
        let Ok((remaining, raw)) = parsed else {
            continue;
        };
        let end = text.len() - remaining.len();
        let Some(matched) = text.get(start..end) else {
            continue;
        };
        if let Ok(v) = raw.validate(matched) {
            return Some((v, start..end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(build: u32, revision: Option<u32>) -> WindowsVersion {
        WindowsVersion::new(build, revision)
    }

    #[test]
    fn dotted_with_and_without_revision() {
        assert_eq!(parse_any("10.0.17763.1577"), Ok(v(17763, Some(1577))));
        assert_eq!(parse_any("  10.0.17763\n"), Ok(v(17763, None)));
        assert_eq!(parse_any("\"10.0.20348.1487\""), Ok(v(20348, Some(1487))));
    }

    #[test]
    fn bare_build_and_build_revision() {
        assert_eq!(parse_any("17763"), Ok(v(17763, None)));
        assert_eq!(parse_any("14393.1715"), Ok(v(14393, Some(1715))));
    }

    #[test]
    fn four_digit_release_ids_are_not_versions() {
        for id in ["1809", "2004", "1709", "2009"] {
            assert_eq!(
                parse_any(id),
                Err(VersionError::NotAVersion(id.to_owned())),
                "{id}"
            );
        }
    }

    #[test]
    fn kernel_string_same_build_takes_inner_revision() {
        let text = "10.0 14393 (14393.1715.amd64fre.rs1_release_inmarket.170906-1810)";
        assert_eq!(parse_any(text), Ok(v(14393, Some(1715))));
    }

    #[test]
    fn kernel_string_enablement_package_outer_build_wins() {
        let text = "10.0 19042 (19041.1.amd64fre.vb_release.191206-1406)";
        assert_eq!(parse_any(text), Ok(v(19042, None)));
        let text = "10.0 22631 (22621.1.amd64fre.ni_release.220506-1250)";
        assert_eq!(parse_any(text), Ok(v(22631, None)));
    }

    #[test]
    fn kernel_string_rtm_stamp_revision_is_unknown() {
        // docker info on WS2025: the OS Build line says 26100.3476.
        let text = "10.0 26100 (26100.1.amd64fre.ge_release.240331-1435)";
        assert_eq!(parse_any(text), Ok(v(26100, None)));
        let text = "10.0 16299 (16299.0.amd64fre.rs3_release.170922-1354)";
        assert_eq!(parse_any(text), Ok(v(16299, None)));
    }

    #[test]
    fn build_lab_ex_forms() {
        assert_eq!(
            parse_any("14393.321.amd64fre.rs1_release_inmarket.161004-2338"),
            Ok(v(14393, Some(321)))
        );
        assert_eq!(
            parse_any("17763.1.amd64fre.rs5_release.180914-1434"),
            Ok(v(17763, None))
        );
        assert_eq!(
            parse_any("22631.2861.amd64fre.ni_release.231024-1700"),
            Ok(v(22631, Some(2861)))
        );
    }

    #[test]
    fn ver_output_form() {
        assert_eq!(
            parse_any("Microsoft Windows [Version 10.0.16299.125]"),
            Ok(v(16299, Some(125)))
        );
    }

    #[test]
    fn docker_info_operating_system_forms() {
        assert_eq!(
            parse_any("Microsoft Windows Server Version 21H2 (OS Build 20348.707)"),
            Ok(v(20348, Some(707)))
        );
        assert_eq!(
            parse_any("Windows Server 2019 Datacenter Version 1809 (OS Build 17763.805)"),
            Ok(v(17763, Some(805)))
        );
        assert_eq!(
            parse_any("Windows 10 Pro Version 2009 (OS Build 22621.963)"),
            Ok(v(22621, Some(963)))
        );
    }

    #[test]
    fn windows_6x_is_accepted_other_majors_are_not() {
        assert_eq!(
            parse_any("6.2.9200"),
            Ok(WindowsVersion {
                major: 6,
                minor: 2,
                build: 9200,
                revision: None
            })
        );
        assert!(matches!(
            parse_any("11.0.22000"),
            Err(VersionError::OutOfRange(_))
        ));
        assert!(matches!(
            parse_any("1.2.3"),
            Err(VersionError::OutOfRange(_))
        ));
    }

    #[test]
    fn absurd_numbers_are_out_of_range_not_panics() {
        for text in [
            "10.0.1",
            "10.0.123456",
            "10.0.17763.1000000",
            "123456",
            "10.0.17763.999999999999",
            "99999999999999999999999999.0.17763",
        ] {
            let got = parse_any(text);
            assert!(got.is_err(), "{text}: {got:?}");
        }
        assert!(matches!(
            parse_any("10.0.17763.1000000"),
            Err(VersionError::OutOfRange(_))
        ));
        assert_eq!(parse_any("10.0.17763.999999"), Ok(v(17763, Some(999_999))));
    }

    #[test]
    fn non_versions() {
        for text in [
            "",
            "  ",
            "ltsc2019",
            "10.0",
            "10.0.17763.",
            "abc 10.0.17763",
        ] {
            assert!(
                matches!(parse_any(text), Err(VersionError::NotAVersion(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn from_str_is_parse_any() {
        let got: WindowsVersion = "10.0.26100.3775".parse().unwrap();
        assert_eq!(got, v(26100, Some(3775)));
        assert_eq!(got.to_string(), "10.0.26100.3775");
    }

    #[test]
    fn find_version_in_a_message() {
        let text =
            "a Windows version 10.0.17763-based image is incompatible with a 10.0.17134 host";
        let (got, range) = find_version(text).unwrap();
        assert_eq!(got, v(17763, None));
        assert_eq!(&text[range], "10.0.17763");
    }

    #[test]
    fn find_version_platform_in_parentheses() {
        let text = "no matching manifest for windows(10.0.26200)/amd64/v3 in the manifest list";
        let (got, range) = find_version(text).unwrap();
        assert_eq!(got, v(26200, None));
        assert_eq!(&text[range], "10.0.26200");
    }

    #[test]
    fn find_version_kernel_string_in_a_line() {
        let text = " Kernel Version:    10.0 14393 (14393.1715.amd64fre.rs1_release_inmarket.170906-1810)\n";
        let (got, range) = find_version(text).unwrap();
        assert_eq!(got, v(14393, Some(1715)));
        assert_eq!(
            &text[range],
            "10.0 14393 (14393.1715.amd64fre.rs1_release_inmarket.170906-1810)"
        );
    }

    #[test]
    fn find_version_os_build() {
        let text = "Operating System: Microsoft Windows Server Version 24H2 (OS Build 26100.3476)";
        let (got, range) = find_version(text).unwrap();
        assert_eq!(got, v(26100, Some(3476)));
        assert_eq!(&text[range], "(OS Build 26100.3476)");
    }

    #[test]
    fn find_version_skips_longer_digit_runs_and_bad_ranges() {
        assert_eq!(find_version("id 110.0.17763 x"), None);
        assert_eq!(find_version("10.0.177631"), None);
        let text = "first 10.0.1 then image windows:10.0.19042.1889-amd64";
        let (got, range) = find_version(text).unwrap();
        assert_eq!(got, v(19042, Some(1889)));
        assert_eq!(&text[range], "10.0.19042.1889");
    }

    #[test]
    fn find_version_handles_multibyte_text_and_long_digit_runs() {
        let text = "é10.0.20348.3453… ";
        assert_eq!(find_version(text).map(|x| x.0), Some(v(20348, Some(3453))));
        let long = format!("10.0.{}", "7".repeat(10_000));
        assert_eq!(find_version(&long), None);
        assert_eq!(find_version(""), None);
    }

    /// Every `Kernel Version:` and `OS Build` line users pasted is read.
    /// Skips cleanly when the shared corpus is not beside the project.
    // See: ../shared/corpus/README.md
    #[test]
    fn corpus_version_lines_are_read() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let Ok(entries) = std::fs::read_dir(&root) else {
            return;
        };
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if let Ok(inner) = std::fs::read_dir(&path) {
                    files.extend(inner.flatten().map(|e| e.path()));
                }
            } else {
                files.push(path);
            }
        }
        let mut checked = 0;
        for file in files {
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            for line in text.lines() {
                let _ = find_version(line);
                if line.contains("Kernel Version:") || line.contains("(OS Build") {
                    let got = find_version(line);
                    assert!(got.is_some(), "{}: {line}", file.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 0, "no version lines found in the corpus");
    }
}
