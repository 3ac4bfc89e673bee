//! Which entry of a manifest list (OCI image index) a Windows host would
//! pull, the way the engines match platforms. A pure function over a host
//! version and a list of platform entries.
//!
//! Must not know HTTP, registries, JSON or input formats: the caller
//! (`registry/` reads the entries, `analyze/` and `commands/` ask) hands in
//! plain `PlatformEntry` values.
//!
//! Two matchers exist in the field:
//!
//! - **containerd** (containerd/platforms `platform_windows_compat.go`,
//!   `windowsVersionMatcher.Match` + `windowsMatchComparer.Less`; used by
//!   containerd, the CRI under Kubernetes, and Docker's containerd image
//!   store): an entry matches when its OS is `windows`, its architecture the
//!   host's, and its `os.version` passes the host/container compatibility
//!   check (an exact build before Windows Server 2022; from 20348 on, any
//!   build from the LTSC floor up to the host's). An entry *without*
//!   `os.version` matches too. Among matches the higher `os.version` wins, so
//!   the host's own build is taken when present, else the newest accepted.
//! - **moby graphdriver** (moby/moby
//!   `daemon/internal/distribution/pull_v2_windows.go`, `filterManifests`,
//!   `checkImageCompatibility`, `manifestsByVersion`; Docker Engine's default
//!   image store on Windows): entries whose build is newer than the host's
//!   are skipped; older ones are kept and an entry with the host's build is
//!   moved to the front, the rest keep the list's order. So an older image is
//!   pulled and fails later with HCS 0xc0370101.
//!
//! See also the OCI image-spec `image-index.md` (`platform.os.version`).

use super::compat;
use crate::model::WindowsVersion;

/// Where these rules were read.
pub mod source {
    pub const CONTAINERD_PLATFORMS: &str = "containerd/platforms platform_windows_compat.go (windowsVersionMatcher.Match, windowsMatchComparer.Less: among matches the higher os.version wins; an entry without os.version matches) and defaults_windows.go (Default)";
    pub const MOBY_PULL_WINDOWS: &str = "moby/moby daemon/internal/distribution/pull_v2_windows.go (filterManifests, checkImageCompatibility: skip builds newer than the host; manifestsByVersion: the host's build first, list order otherwise)";
    pub const OCI_IMAGE_INDEX: &str =
        "opencontainers/image-spec image-index.md (platform.os, platform.architecture, platform.os.version)";
}

/// Which engine's matcher to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// containerd (CRI under Kubernetes, Docker's containerd image store).
    Containerd,
    /// Docker Engine's graphdriver pull path (the default on Windows).
    MobyGraphdriver,
}

impl Engine {
    /// The source that defines this matcher.
    pub fn source(self) -> &'static str {
        match self {
            Engine::Containerd => source::CONTAINERD_PLATFORMS,
            Engine::MobyGraphdriver => source::MOBY_PULL_WINDOWS,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Containerd => "containerd",
            Engine::MobyGraphdriver => "moby-graphdriver",
        }
    }
}

/// One entry of a manifest list, as far as matching needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformEntry {
    /// `windows`, `linux`, … (compared case-insensitively).
    pub os: String,
    /// `amd64`, `arm64`, … (`x86_64` is read as `amd64`, `aarch64` as `arm64`).
    pub architecture: String,
    /// `platform.os.version`, when the entry has a readable one.
    pub os_version: Option<WindowsVersion>,
}

impl PlatformEntry {
    pub fn is_windows(&self) -> bool {
        self.os.eq_ignore_ascii_case("windows")
    }
}

/// The architecture of the Windows container hosts this tool reasons about
/// (Microsoft's base images ship Windows entries for amd64 only).
pub const HOST_ARCHITECTURE: &str = "amd64";

fn normalize_arch(arch: &str) -> String {
    let a = arch.trim().to_ascii_lowercase();
    match a.as_str() {
        "x86_64" | "x86-64" => "amd64".to_owned(),
        "aarch64" => "arm64".to_owned(),
        _ => a,
    }
}

/// Whether `engine` on a `host` would accept this entry at all.
pub fn accepts(engine: Engine, host: WindowsVersion, entry: &PlatformEntry) -> bool {
    if !entry.is_windows() || normalize_arch(&entry.architecture) != HOST_ARCHITECTURE {
        return false;
    }
    match (engine, entry.os_version) {
        // containerd: `if m.isEmpty() || v == "" { return true }`.
        (Engine::Containerd, None) => true,
        (Engine::Containerd, Some(v)) => {
            v.major == host.major
                && v.minor == host.minor
                && compat::platforms_rc5_allows(host.build, v.build)
        }
        // moby: checkImageCompatibility only rejects a readable, newer build.
        (Engine::MobyGraphdriver, None) => true,
        (Engine::MobyGraphdriver, Some(v)) => v.build <= host.build,
    }
}

/// The index (into `entries`) of the entry `engine` would pull on `host`,
/// or `None` when no entry matches (the engine's "no matching manifest").
pub fn select(engine: Engine, host: WindowsVersion, entries: &[PlatformEntry]) -> Option<usize> {
    let matching = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| accepts(engine, host, e));
    match engine {
        // Higher os.version first (containerd compares the strings; we
        // compare numbers, which agrees except for revisions of different
        // digit counts, where the numeric order is the intended one). An
        // entry without os.version sorts below any with one. The first of
        // equal entries wins (sort.SliceStable in containerd's callers).
        Engine::Containerd => {
            let mut best: Option<(usize, &PlatformEntry)> = None;
            for (i, e) in matching {
                let better = match best {
                    None => true,
                    Some((_, b)) => e.os_version > b.os_version,
                };
                if better {
                    best = Some((i, e));
                }
            }
            best.map(|(i, _)| i)
        }
        Engine::MobyGraphdriver => {
            let matching: Vec<(usize, &PlatformEntry)> = matching.collect();
            matching
                .iter()
                .find(|(_, e)| e.os_version.is_some_and(|v| v.build == host.build))
                .or_else(|| matching.first())
                .map(|(i, _)| *i)
        }
    }
}

/// The Windows builds a list offers, newest first, without duplicates.
pub fn windows_builds(entries: &[PlatformEntry]) -> Vec<WindowsVersion> {
    let mut out: Vec<WindowsVersion> = entries
        .iter()
        .filter(|e| e.is_windows())
        .filter_map(|e| e.os_version)
        .collect();
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    out
}

/// Whether the list has no Windows entry at all (a Linux-only image).
pub fn has_no_windows(entries: &[PlatformEntry]) -> bool {
    !entries.is_empty() && !entries.iter().any(PlatformEntry::is_windows)
}

/// The platform entries of a registry's answer, with their `os.version`
/// read as Windows versions (an unreadable one is `None`).
pub fn entries_of(image: &crate::model::resolved::ResolvedImage) -> Vec<PlatformEntry> {
    image
        .entries
        .iter()
        .map(|e| PlatformEntry {
            os: e.os.clone(),
            architecture: e.architecture.clone(),
            os_version: e
                .os_version
                .as_deref()
                .and_then(|v| crate::model::version::parse_any(v).ok()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn win(build: u32, rev: u32) -> PlatformEntry {
        PlatformEntry {
            os: "windows".to_owned(),
            architecture: "amd64".to_owned(),
            os_version: Some(WindowsVersion::new(build, Some(rev))),
        }
    }

    fn linux(arch: &str) -> PlatformEntry {
        PlatformEntry {
            os: "linux".to_owned(),
            architecture: arch.to_owned(),
            os_version: None,
        }
    }

    fn host(build: u32) -> WindowsVersion {
        WindowsVersion::new(build, Some(1))
    }

    /// The shape of mcr.microsoft.com/dotnet/framework/aspnet:4.8.1
    /// style lists: several Windows builds, oldest first.
    fn three() -> Vec<PlatformEntry> {
        vec![win(17763, 5122), win(20348, 2227), win(26100, 1742)]
    }

    #[test]
    fn containerd_takes_the_hosts_own_build() {
        for (h, want) in [(17763, 0), (20348, 1), (26100, 2)] {
            assert_eq!(
                select(Engine::Containerd, host(h), &three()),
                Some(want),
                "{h}"
            );
        }
    }

    #[test]
    fn containerd_takes_the_newest_accepted_build_when_the_hosts_is_missing() {
        // 26200 (Windows 11 25H2) keeps floor 20348 under platforms rc.5.
        let list = vec![win(17763, 1), win(20348, 1), win(22621, 1)];
        assert_eq!(select(Engine::Containerd, host(26200), &list), Some(2));
        let list = vec![win(20348, 1), win(17763, 1)];
        assert_eq!(select(Engine::Containerd, host(26100), &list), Some(0));
    }

    #[test]
    fn containerd_finds_nothing_for_an_old_host_without_its_build() {
        // Before 20348 only the exact build runs (containerd/containerd#6508).
        let list = vec![win(20348, 1), win(26100, 1)];
        assert_eq!(select(Engine::Containerd, host(17763), &list), None);
        // An image older than the LTSC floor is refused too.
        let list = vec![win(17763, 1)];
        assert_eq!(select(Engine::Containerd, host(20348), &list), None);
    }

    #[test]
    fn containerd_matches_an_entry_without_os_version() {
        let mut e = win(1, 1);
        e.os_version = None;
        assert_eq!(select(Engine::Containerd, host(20348), &[e]), Some(0));
    }

    #[test]
    fn containerd_prefers_the_higher_revision_of_one_build() {
        let list = vec![win(20348, 999), win(20348, 1000)];
        assert_eq!(select(Engine::Containerd, host(20348), &list), Some(1));
    }

    #[test]
    fn moby_takes_the_exact_build_else_the_first_older_one_in_list_order() {
        assert_eq!(
            select(Engine::MobyGraphdriver, host(20348), &three()),
            Some(1)
        );
        // No 26100 entry for a 26100 host: the first older entry, 17763,
        // which then fails to start with 0xc0370101.
        let list = vec![win(17763, 1), win(20348, 1)];
        assert_eq!(select(Engine::MobyGraphdriver, host(26100), &list), Some(0));
        // Newer entries are skipped (checkImageCompatibility).
        let list = vec![win(20348, 1)];
        assert_eq!(select(Engine::MobyGraphdriver, host(17763), &list), None);
    }

    #[test]
    fn linux_and_other_architectures_never_match() {
        let list = vec![linux("amd64"), linux("arm64")];
        for engine in [Engine::Containerd, Engine::MobyGraphdriver] {
            assert_eq!(select(engine, host(20348), &list), None);
        }
        assert!(has_no_windows(&list));
        let mut arm = win(20348, 1);
        arm.architecture = "arm64".to_owned();
        assert_eq!(select(Engine::Containerd, host(20348), &[arm]), None);
        let mut x = win(20348, 1);
        x.architecture = "x86_64".to_owned();
        assert_eq!(select(Engine::Containerd, host(20348), &[x]), Some(0));
    }

    #[test]
    fn windows_builds_are_listed_newest_first() {
        let mut list = three();
        list.push(linux("amd64"));
        list.push(win(20348, 2227));
        let builds: Vec<u32> = windows_builds(&list).iter().map(|v| v.build).collect();
        assert_eq!(builds, [26100, 20348, 17763]);
        assert!(!has_no_windows(&list));
        assert!(!has_no_windows(&[]));
    }

    #[test]
    fn every_engine_cites_a_source() {
        for engine in [Engine::Containerd, Engine::MobyGraphdriver] {
            let s = engine.source();
            assert!(s.contains('/') && s.contains(".go"), "{s}");
        }
        assert!(source::OCI_IMAGE_INDEX.contains("image-spec"));
    }
}
