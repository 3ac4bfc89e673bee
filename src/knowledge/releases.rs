//! The Windows release table (facts.md §2.1): one row per build.
//! STUB: owned by the knowledge helper; signatures are the contract.

use crate::model::WindowsVersion;

/// Servicing channel of a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Channel {
    Ltsc,
    Sac,
    AnnualChannel,
    ClientGa,
}

/// One Windows build and what Microsoft called it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub build: u32,
    pub server_name: Option<&'static str>,
    pub client_name: Option<&'static str>,
    /// The image tag token for this build (`ltsc2019`, `1709`), if images exist.
    pub image_tag: Option<&'static str>,
    pub channel: Channel,
    pub source: &'static str,
}

/// Result of looking a build up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildLookup {
    Known(&'static Release),
    /// Newer than every build in the table: never guessed.
    NewerThanKnown {
        newest: u32,
    },
    Unknown,
}

pub static RELEASES: &[Release] = &[];

/// Look a build up in the table.
pub fn lookup(build: u32) -> BuildLookup {
    match RELEASES.iter().find(|r| r.build == build) {
        Some(r) => BuildLookup::Known(r),
        None => BuildLookup::Unknown,
    }
}

/// A short human name for a build (`Windows Server 2016`, `Windows 11 24H2`).
pub fn release_name(build: u32) -> Option<String> {
    match lookup(build) {
        BuildLookup::Known(r) => r.server_name.or(r.client_name).map(str::to_owned),
        _ => None,
    }
}

/// Read a version in any numeric form or a release name (`ltsc2019`,
/// `1809`, `Windows Server 2022`).
pub fn parse_version_or_release(
    text: &str,
) -> Result<WindowsVersion, crate::model::version::VersionError> {
    crate::model::version::parse_any(text)
}
