//! What a registry said about an image: its digest and the platform of
//! every entry of its manifest list (or of its one image config). Shared
//! by `registry/` (which fills it) and `analyze/` / `commands/` (which
//! read it).
//!
//! Must not know HTTP, credentials or caching (that is `registry/`), nor
//! which entry a host would pull (that is `knowledge::platform_match`).

use serde::{Deserialize, Serialize};

/// Whether the reference named a manifest list / OCI index or one image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ManifestKind {
    /// A manifest list (Docker) or image index (OCI): one entry per platform.
    Index,
    /// A single image manifest; its one entry comes from the image config.
    Image,
}

/// One platform an image offers, as the registry states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryEntry {
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// `platform.os.version` / the config's `os.version`, verbatim
    /// (`10.0.20348.2322`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// The entry's own manifest digest (index entries only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// One image reference resolved against its registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedImage {
    /// The reference as the input or the command line wrote it.
    pub reference: String,
    /// `registry/repository[:tag][@digest]` as it was asked for.
    pub canonical: String,
    /// The digest of the manifest (list) the reference points to.
    pub digest: String,
    pub kind: ManifestKind,
    pub entries: Vec<RegistryEntry>,
}
