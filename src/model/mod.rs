//! The shared vocabulary of wincompat: versions, image references, the typed
//! records that parsers produce and the findings that diagnosis produces.
//!
//! This module must not know how any input format looks (that is `parse/`),
//! which builds are compatible (that is `knowledge/`) or how a report is
//! printed (that is `report/`).

pub mod check;
pub mod excerpt;
pub mod finding;
pub mod hcs;
pub mod image_ref;
pub mod parsed;
pub mod record;
pub mod resolved;
pub mod version;

pub use hcs::{HcsInfo, HcsLayer};
pub use image_ref::ImageRef;
pub use parsed::ParsedInput;
pub use record::*;
pub use version::WindowsVersion;

use serde::{Deserialize, Serialize};

/// How a container is (or would be) isolated from the host kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Isolation {
    /// Shares the host kernel: the image build must match the host's.
    Process,
    /// Runs in a utility VM with the image's own kernel.
    Hyperv,
}

impl Isolation {
    /// `process` / `hyperv`, as docker spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            Isolation::Process => "process",
            Isolation::Hyperv => "hyperv",
        }
    }
}

/// Whether a Windows host is a server SKU or a client (Windows 10/11) SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HostKind {
    Server,
    Client,
}
