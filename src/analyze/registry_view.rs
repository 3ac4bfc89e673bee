//! What the registry said about a failing image (`--resolve-images`, issue
//! 12), brought into the analysis: which images to ask about, the image
//! build a host would pull (the hook in `correlate`), and the finding kinds
//! only the registry's answer can decide (a Linux-only image behind "no
//! matching manifest"; a manifest list with no entry the host runs).
//!
//! Knows records, `model::resolved` and `knowledge::platform_match`; must
//! not know HTTP, credentials or the cache (that is `registry/`, which runs
//! before the analysis and hands its answers in through `GivenFacts`).

use super::diagnose::{Decision, Grounds};
use super::index::{image_key, Index};
use super::occurrence::{Occurrence, Orchestrator, RegistryUse, Sourced, VersionSource};
use super::GivenFacts;
use crate::knowledge::platform_match::{self, Engine};
use crate::model::finding::{FindingKind, Verdict};
use crate::model::resolved::{ManifestKind, ResolvedImage};
use crate::model::ParsedInput;
use crate::model::{Failure, FailureKind, WindowsVersion};

/// The engine whose matcher chose (or failed to choose) the image.
fn engine_for(orchestrator: Orchestrator, failure: &Failure) -> Engine {
    let containerd_wording = failure.kind == Some(FailureKind::NoMatchForPlatform)
        || failure.text.contains("no match for platform");
    if orchestrator == Orchestrator::Kubernetes || containerd_wording {
        Engine::Containerd
    } else {
        Engine::MobyGraphdriver
    }
}

/// The hook `correlate` calls once it has chosen the image's version from
/// the inputs: when that version is missing or only read from the tag or
/// inferred, and the registry answered for this image, the registry's entry
/// for this host replaces it (`from: registry`).
pub(crate) fn prefer_registry(
    given: &GivenFacts,
    image: Option<&str>,
    host: Option<&Sourced>,
    orchestrator: Orchestrator,
    failure: &Failure,
    current: Option<Sourced>,
) -> (Option<Sourced>, Option<RegistryUse>) {
    // A pod sandbox failure concerns the pause image, which the workload's
    // reference does not name: the registry's answer about it is beside
    // the point.
    let (Some(image), false) = (image, failure.sandbox) else {
        return (current, None);
    };
    let key = image_key(image);
    let Some(resolved) = given
        .registry_images
        .iter()
        .find(|r| image_key(&r.reference) == key)
    else {
        return (current, None);
    };
    let engine = engine_for(orchestrator, failure);
    let entries = platform_match::entries_of(resolved);
    let host_v = host.map(|h| h.version);
    let picked = match (resolved.kind, host_v) {
        (ManifestKind::Image, _) => (!entries.is_empty()).then_some(0),
        (ManifestKind::Index, Some(h)) => platform_match::select(engine, h, &entries),
        // No host: only a list with one Windows build says which it is.
        (ManifestKind::Index, None) => {
            let windows: Vec<usize> = (0..entries.len())
                .filter(|i| entries[*i].is_windows())
                .collect();
            match windows.as_slice() {
                [only] => Some(*only),
                _ => None,
            }
        }
    };
    let weak = current.as_ref().is_none_or(|os| os.from.is_weak());
    let picked_version = picked
        .and_then(|i| entries.get(i))
        .filter(|e| e.is_windows())
        .and_then(|e| e.os_version);
    let mut usage = RegistryUse {
        image: resolved.clone(),
        engine,
        host: host_v,
        picked,
        used: false,
    };
    let (true, Some(version)) = (weak, picked_version) else {
        return (current, Some(usage));
    };
    usage.used = true;
    let entry_text = match resolved.kind {
        ManifestKind::Image => "its image config".to_owned(),
        ManifestKind::Index => match host_v {
            Some(h) => format!(
                "the manifest list's windows/amd64 {version} entry, the one {} pulls on a {} host",
                engine.as_str(),
                h.without_revision()
            ),
            None => format!("the manifest list's only Windows entry, {version}"),
        },
    };
    let sourced = Sourced {
        version,
        from: VersionSource::Registry {
            canonical: resolved.canonical.clone(),
            digest: resolved.digest.clone(),
            entry: entry_text,
        },
        evidence: None,
    };
    (Some(sourced), Some(usage))
}

/// The digest a finding's `image_os` carries, when it came from the registry.
pub(crate) fn digest_for(occ: &Occurrence<'_>) -> Option<String> {
    occ.registry
        .as_ref()
        .filter(|r| r.used)
        .map(|r| r.image.digest.clone())
}

fn platforms_text(image: &ResolvedImage) -> String {
    let mut list: Vec<String> = image
        .entries
        .iter()
        .map(|e| {
            let mut s = format!("{}/{}", e.os, e.architecture);
            if let Some(v) = &e.variant {
                s.push('/');
                s.push_str(v);
            }
            if let Some(v) = &e.os_version {
                s.push(' ');
                s.push_str(v);
            }
            s
        })
        .collect();
    list.dedup();
    list.join(", ")
}

/// Decisions only the registry's answer can make, applied after
/// `diagnose`: a manifest failure for an image with no Windows entry is
/// `wrong-platform`; a manifest list none of whose Windows entries the
/// host runs explains `manifest-no-match` with the builds it offers.
pub(crate) fn refine(occ: &Occurrence<'_>, diag: Decision) -> Decision {
    let Some(reg) = &occ.registry else {
        return diag;
    };
    let manifest_failure = matches!(
        occ.failure.kind,
        Some(FailureKind::NoMatchingManifest | FailureKind::NoMatchForPlatform)
    ) || diag.kind == FindingKind::ManifestNoMatch;
    if !manifest_failure {
        return diag;
    }
    let image = &reg.image;
    let entries = platform_match::entries_of(image);
    let only_other_os = if image.kind == ManifestKind::Image {
        entries.first().is_some_and(|e| !e.is_windows())
    } else {
        platform_match::has_no_windows(&entries)
    };
    if only_other_os {
        return Decision {
            kind: FindingKind::WrongPlatform,
            verdict: Verdict::Blocked,
            rule: None,
            grounds: Grounds::RegistryNoWindows {
                digest: image.digest.clone(),
                platforms: platforms_text(image),
            },
            compat: None,
            ..diag
        };
    }
    if diag.kind != FindingKind::ManifestNoMatch || reg.picked.is_some() {
        return diag;
    }
    let builds = platform_match::windows_builds(&entries);
    if builds.is_empty() {
        return diag;
    }
    Decision {
        grounds: Grounds::RegistryNoEntryForHost {
            digest: image.digest.clone(),
            offered: builds,
            host: reg.host,
            engine: reg.engine.as_str(),
            source: reg.engine.source(),
        },
        ..diag
    }
}

/// The Windows hosts the inputs describe, with their versions and kinds
/// (for `check --image REF --resolve-images PATH…`).
pub fn windows_nodes(
    inputs: &[ParsedInput],
) -> Vec<(String, WindowsVersion, Option<crate::model::HostKind>)> {
    let index = Index::build(inputs);
    index
        .windows_nodes()
        .filter_map(|n| {
            let v = n.version.as_ref()?.version;
            let name = if n.name.is_empty() {
                "(unnamed host)".to_owned()
            } else {
                n.name.clone()
            };
            Some((name, v, n.kind))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::resolved::RegistryEntry;

    fn entry(os: &str, v: Option<&str>) -> RegistryEntry {
        RegistryEntry {
            os: os.to_owned(),
            architecture: "amd64".to_owned(),
            variant: None,
            os_version: v.map(str::to_owned),
            digest: None,
        }
    }

    fn given(kind: ManifestKind, entries: Vec<RegistryEntry>) -> GivenFacts {
        GivenFacts {
            registry_images: vec![ResolvedImage {
                reference: "r.example/app:1".to_owned(),
                canonical: "r.example/app:1".to_owned(),
                digest: "sha256:ab".to_owned(),
                kind,
                entries,
            }],
            ..GivenFacts::default()
        }
    }

    fn host(build: u32) -> Sourced {
        Sourced {
            version: WindowsVersion::new(build, Some(1)),
            from: VersionSource::Message,
            evidence: None,
        }
    }

    /// An image version from a source of the JSON `from` kind given.
    fn os(kind: &'static str, build: u32) -> Sourced {
        let from = match kind {
            "tag" => VersionSource::Tag {
                token: "ltsc2016".to_owned(),
            },
            "inferred" => VersionSource::OnlyOtherBuild {
                node: "n".to_owned(),
                version: WindowsVersion::new(build, None),
            },
            "inspect" => VersionSource::Inspect { of: "x".to_owned() },
            "manifest" => VersionSource::Manifest { of: "x".to_owned() },
            "flag" => VersionSource::Flag("--image-version"),
            _ => VersionSource::Message,
        };
        Sourced {
            from,
            ..host(build)
        }
    }

    fn ltsc_list() -> GivenFacts {
        given(
            ManifestKind::Index,
            vec![
                entry("windows", Some("10.0.17763.5329")),
                entry("windows", Some("10.0.20348.2340")),
                entry("linux", None),
            ],
        )
    }

    #[test]
    fn the_hosts_entry_replaces_a_tag_or_inference_and_carries_the_digest() {
        let failure = Failure::default();
        for current in [None, Some(os("tag", 14393)), Some(os("inferred", 14393))] {
            let (image_os, usage) = prefer_registry(
                &ltsc_list(),
                Some("r.example/app:1"),
                Some(&host(20348)),
                Orchestrator::Kubernetes,
                &failure,
                current,
            );
            let image_os = image_os.expect("a version");
            assert_eq!(image_os.from.image_kind(), "registry");
            assert_eq!(image_os.version, WindowsVersion::new(20348, Some(2340)));
            assert!(
                matches!(image_os.from, VersionSource::Registry { ref digest, .. } if digest == "sha256:ab")
            );
            let usage = usage.expect("used");
            assert!(usage.used);
            assert_eq!(usage.engine, Engine::Containerd);
        }
    }

    #[test]
    fn a_stated_version_is_kept() {
        let failure = Failure::default();
        for kind in ["inspect", "message", "flag", "manifest"] {
            let (image_os, usage) = prefer_registry(
                &ltsc_list(),
                Some("r.example/app:1"),
                Some(&host(20348)),
                Orchestrator::Docker,
                &failure,
                Some(os(kind, 17763)),
            );
            assert_eq!(image_os.map(|o| o.from.image_kind()), Some(kind));
            assert!(!usage.expect("still known").used);
        }
    }

    #[test]
    fn without_a_host_only_a_single_windows_build_is_taken() {
        let failure = Failure::default();
        let (image_os, _) = prefer_registry(
            &ltsc_list(),
            Some("r.example/app:1"),
            None,
            Orchestrator::Docker,
            &failure,
            None,
        );
        assert!(image_os.is_none());
        let one = given(
            ManifestKind::Index,
            vec![entry("windows", Some("10.0.17763.1")), entry("linux", None)],
        );
        let (image_os, _) = prefer_registry(
            &one,
            Some("r.example/app:1"),
            None,
            Orchestrator::Docker,
            &failure,
            None,
        );
        assert_eq!(image_os.map(|o| o.version.build), Some(17763));
    }

    #[test]
    fn docker_and_containerd_wordings_pick_their_engine() {
        let mut failure = Failure::default();
        assert_eq!(
            engine_for(Orchestrator::Docker, &failure),
            Engine::MobyGraphdriver
        );
        assert_eq!(
            engine_for(Orchestrator::Kubernetes, &failure),
            Engine::Containerd
        );
        failure.text = "no matching manifest for windows(10.0.26200)/amd64/v3 in the manifest list entries: no match for platform in manifest: not found".to_owned();
        assert_eq!(
            engine_for(Orchestrator::Docker, &failure),
            Engine::Containerd
        );
    }

    #[test]
    fn a_sandbox_failure_is_left_alone() {
        let failure = Failure {
            sandbox: true,
            ..Failure::default()
        };
        let (image_os, usage) = prefer_registry(
            &ltsc_list(),
            Some("r.example/app:1"),
            Some(&host(20348)),
            Orchestrator::Kubernetes,
            &failure,
            None,
        );
        assert!(image_os.is_none() && usage.is_none());
    }

    #[test]
    fn other_images_and_unresolved_ones_change_nothing() {
        let failure = Failure::default();
        let (image_os, usage) = prefer_registry(
            &ltsc_list(),
            Some("r.example/other:1"),
            Some(&host(20348)),
            Orchestrator::Docker,
            &failure,
            Some(os("tag", 14393)),
        );
        assert_eq!(image_os.map(|o| o.from.image_kind()), Some("tag"));
        assert!(usage.is_none());
    }
}
