//! Base OS of an image from its tag (facts.md §3.2–§3.3), and the tag to
//! rebuild on for a host build.
//! STUB: owned by the knowledge helper; signatures are the contract.

use crate::model::{HostKind, ImageRef, WindowsVersion};

/// How sure the tag makes us of the image's OS build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TagCertainty {
    /// The tag spells the version (`10.0.17763.437`, `1809-KB4493509`).
    ExactVersion,
    /// The tag names a release (`ltsc2019`, `1709`).
    ReleaseTag,
    /// Nothing in the tag says (multi-platform `4.8`, `latest`, custom).
    None,
}

/// What a tag says about the image's base OS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageBase {
    pub version: Option<WindowsVersion>,
    /// The tag token that decided it (`ltsc2019`).
    pub token: Option<String>,
    pub certainty: TagCertainty,
}

/// Derive the base OS from a reference's tag.
pub fn base_from_reference(image: &ImageRef) -> ImageBase {
    let _ = image;
    ImageBase {
        version: None,
        token: None,
        certainty: TagCertainty::None,
    }
}

/// The recommended rebuild for a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuild {
    /// The reference to build `FROM`, keeping the image's family; `None`
    /// when no server image exists for that build.
    pub reference: Option<String>,
    /// Why this tag, or why there is none.
    pub reason: String,
    /// The release is out of support (as of the knowledge date).
    pub out_of_support: bool,
}

/// Recommend the tag to rebuild `image` on for a host of `host` build.
pub fn recommend_rebuild(
    image: &ImageRef,
    host: WindowsVersion,
    host_kind: Option<HostKind>,
) -> Rebuild {
    let _ = (image, host, host_kind);
    Rebuild {
        reference: None,
        reason: String::new(),
        out_of_support: false,
    }
}
