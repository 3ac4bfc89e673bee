//! KB article → build.revision (facts.md §6).
//! STUB: owned by the knowledge helper; signatures are the contract.

use crate::model::WindowsVersion;

/// The version a KB update brings, e.g. KB4053579 → 10.0.14393.1944.
pub fn version_for_kb(kb: u32) -> Option<WindowsVersion> {
    let _ = kb;
    None
}

/// The KB that brought a version, when the table knows it.
pub fn kb_for_version(version: WindowsVersion) -> Option<u32> {
    let _ = version;
    None
}
