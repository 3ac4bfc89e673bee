//! The HCS "extra info" document that hcsshim appends to container-create
//! errors. It describes the container that failed to start; it never holds
//! an OS version (facts.md §7), but `HvPartition` tells the isolation and
//! `Name` the container ID.

/// `ERROR_VMCOMPUTE_IMAGE_MISMATCH` / `HCS_E_IMAGE_MISMATCH` in its 0xC037
/// form: the code of the failure wincompat is about (the knowledge base's
/// code table describes it).
pub const IMAGE_MISMATCH: u32 = 0xC037_0101;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One read-only layer of the container (`Layers[]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HcsLayer {
    #[serde(rename = "ID", default)]
    pub id: String,
    #[serde(rename = "Path", default)]
    pub path: String,
}

/// The typed HCS document; fields hcsshim does not always send are optional
/// and everything unknown is kept in `other`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HcsInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_flushes_during_boot: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_folder_path: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<HcsLayer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapped_directories: Option<Value>,
    /// `false` means process isolation, `true` Hyper-V isolation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hv_partition: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_list: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_shared_container_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub servicing: Option<bool>,
    #[serde(
        rename = "AllowUnqualifiedDNSQuery",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_unqualified_dns_query: Option<bool>,
    /// Fields this struct does not name, kept as they came.
    #[serde(flatten)]
    pub other: Map<String, Value>,
    /// True when the JSON could not be repaired and the fields above were
    /// salvaged key by key from the text.
    #[serde(default)]
    pub partial: bool,
}
