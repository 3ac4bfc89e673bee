//! `WindowsVersion`: major.minor.build[.revision], as Windows reports it.
//!
//! The struct is shared by every layer; the nom parsers for the textual
//! forms users meet live here too, so that every module reads versions the
//! same way. Release *names* (`ltsc2019`, `Windows Server 2022`) are resolved
//! by `knowledge::releases`, which knows the table.

use serde::Serialize;
use std::fmt;

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

/// Why a text is not a Windows version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("no Windows version found in {0:?}")]
    NotAVersion(String),
    #[error("version number out of range in {0:?}")]
    OutOfRange(String),
}

/// Parse any numeric version form (STUB: the version helper replaces this
/// with the nom parsers).
pub fn parse_any(text: &str) -> Result<WindowsVersion, VersionError> {
    let parts: Vec<&str> = text.trim().split('.').collect();
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    match nums.as_deref() {
        Some([10, 0, b]) => Ok(WindowsVersion::new(*b, None)),
        Some([10, 0, b, r]) => Ok(WindowsVersion::new(*b, Some(*r))),
        _ => Err(VersionError::NotAVersion(text.to_owned())),
    }
}
