//! Reading the registry's JSON: a manifest list / OCI image index (one
//! platform per entry), an image manifest (which names its config blob),
//! and an image config (`os`, `architecture`, `os.version`).
//!
//! Pure functions over bytes: must not know HTTP, authentication or the
//! cache. Never panics on odd answers: anything unexpected is a
//! `ManifestError`.

use crate::model::resolved::RegistryEntry;
use serde::Deserialize;

/// Media types asked for in `Accept` (Docker's and OCI's, lists first).
pub(crate) const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

/// Why a registry answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ManifestError {
    #[error("the manifest is not valid JSON: {0}")]
    Json(String),
    #[error("schema 1 manifests (Docker before 1.10) carry no platform list; push the image again with a current client")]
    Schema1,
    #[error("unknown manifest type {0:?}")]
    Unknown(String),
}

/// What a manifest document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Manifest {
    /// A list of platforms (the entries' own manifests are not needed).
    Index(Vec<RegistryEntry>),
    /// One image; its platform is in the config blob with this digest.
    Image { config_digest: String },
}

#[derive(Deserialize)]
struct Doc {
    #[serde(rename = "schemaVersion", default)]
    schema_version: Option<u64>,
    #[serde(rename = "mediaType", default)]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    config: Option<Descriptor>,
}

#[derive(Deserialize)]
struct Descriptor {
    #[serde(default)]
    digest: Option<String>,
    #[serde(default)]
    platform: Option<Platform>,
    #[serde(default)]
    annotations: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Deserialize)]
struct Platform {
    #[serde(default)]
    os: String,
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    variant: Option<String>,
    #[serde(rename = "os.version", default)]
    os_version: Option<String>,
}

/// Read a manifest (list) body; `content_type` is the response header.
pub(crate) fn parse_manifest(body: &[u8], content_type: &str) -> Result<Manifest, ManifestError> {
    let doc: Doc = serde_json::from_slice(body).map_err(|e| ManifestError::Json(e.to_string()))?;
    // `application/vnd.docker.distribution.manifest.v1+json` / `+prettyjws`;
    // not the OCI `…image.manifest.v1+json`, which is current.
    if doc.schema_version == Some(1) || content_type.contains("distribution.manifest.v1") {
        return Err(ManifestError::Schema1);
    }
    if let Some(list) = doc.manifests {
        let entries = list
            .into_iter()
            .filter(|d| !is_attestation(d))
            .filter_map(|d| {
                let p = d.platform?;
                Some(RegistryEntry {
                    os: p.os,
                    architecture: p.architecture,
                    variant: p.variant.filter(|v| !v.is_empty()),
                    os_version: p.os_version.filter(|v| !v.is_empty()),
                    digest: d.digest,
                })
            })
            .collect();
        return Ok(Manifest::Index(entries));
    }
    if let Some(config_digest) = doc.config.and_then(|c| c.digest) {
        return Ok(Manifest::Image { config_digest });
    }
    Err(ManifestError::Unknown(
        doc.media_type.unwrap_or_else(|| content_type.to_owned()),
    ))
}

/// BuildKit's provenance/SBOM entries (`unknown/unknown` with
/// `vnd.docker.reference.type: attestation-manifest`) are not platforms.
fn is_attestation(d: &Descriptor) -> bool {
    d.annotations
        .as_ref()
        .and_then(|a| a.get("vnd.docker.reference.type"))
        .is_some_and(|t| t == "attestation-manifest")
}

/// Read an image config's platform fields.
pub(crate) fn parse_config(body: &[u8]) -> Result<RegistryEntry, ManifestError> {
    let p: Platform =
        serde_json::from_slice(body).map_err(|e| ManifestError::Json(e.to_string()))?;
    Ok(RegistryEntry {
        os: p.os,
        architecture: p.architecture,
        variant: p.variant.filter(|v| !v.is_empty()),
        os_version: p.os_version.filter(|v| !v.is_empty()),
        digest: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_list_gives_one_entry_per_platform() {
        let body = br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
          {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:aa","size":1,"platform":{"architecture":"amd64","os":"windows","os.version":"10.0.17763.5122"}},
          {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:bb","size":1,"platform":{"architecture":"amd64","os":"windows","os.version":"10.0.20348.2227"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:cc","size":1,"platform":{"architecture":"unknown","os":"unknown"},"annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}"#;
        let Ok(Manifest::Index(entries)) = parse_manifest(body, "") else {
            panic!("not an index");
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].os_version.as_deref(), Some("10.0.20348.2227"));
        assert_eq!(entries[0].digest.as_deref(), Some("sha256:aa"));
    }

    #[test]
    fn an_image_manifest_names_its_config() {
        let body = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:cf","size":2},"layers":[]}"#;
        assert_eq!(
            parse_manifest(body, ""),
            Ok(Manifest::Image {
                config_digest: "sha256:cf".to_owned()
            })
        );
    }

    #[test]
    fn an_oci_manifest_is_not_mistaken_for_schema_1() {
        let body = br#"{"schemaVersion":2,"config":{"digest":"sha256:cf"}}"#;
        assert!(parse_manifest(body, "application/vnd.oci.image.manifest.v1+json").is_ok());
        assert_eq!(
            parse_manifest(
                body,
                "application/vnd.docker.distribution.manifest.v1+prettyjws"
            ),
            Err(ManifestError::Schema1)
        );
    }

    #[test]
    fn a_windows_config_gives_its_os_version() {
        let body = br#"{"architecture":"amd64","os":"windows","os.version":"10.0.17763.5122","rootfs":{"type":"layers","diff_ids":[]}}"#;
        let e = parse_config(body).unwrap();
        assert_eq!(
            (e.os.as_str(), e.os_version.as_deref()),
            ("windows", Some("10.0.17763.5122"))
        );
    }

    proptest::proptest! {
        /// Whatever a registry sends, reading it never panics.
        #[test]
        fn any_bytes_are_read_without_panic(body: Vec<u8>, ct in ".{0,40}") {
            let _ = parse_manifest(&body, &ct);
            let _ = parse_config(&body);
        }

        /// Any JSON shape with the right keys but odd values never panics.
        #[test]
        fn odd_platforms_are_read_without_panic(os in ".{0,12}", v in ".{0,20}", d in ".{0,20}") {
            let doc = serde_json::json!({"manifests": [{"digest": d, "platform": {"os": os, "architecture": 1, "os.version": v}}, {"platform": null}]});
            let _ = parse_manifest(doc.to_string().as_bytes(), "");
        }
    }

    #[test]
    fn odd_answers_are_errors_not_panics() {
        assert!(matches!(
            parse_manifest(b"<html>", ""),
            Err(ManifestError::Json(_))
        ));
        assert_eq!(
            parse_manifest(br#"{"schemaVersion":1,"fsLayers":[]}"#, ""),
            Err(ManifestError::Schema1)
        );
        assert!(matches!(
            parse_manifest(br#"{"schemaVersion":2}"#, "text/plain"),
            Err(ManifestError::Unknown(_))
        ));
        assert!(parse_config(b"[1,2]").is_err());
        // Entries without a platform are skipped, not fatal.
        let Ok(Manifest::Index(e)) =
            parse_manifest(br#"{"manifests":[{"digest":"sha256:a"}]}"#, "")
        else {
            panic!("not an index");
        };
        assert!(e.is_empty());
    }
}
