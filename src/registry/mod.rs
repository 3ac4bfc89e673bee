//! `--resolve-images`: read an image's Windows build(s) from its registry
//! without pulling it — the manifest list's `platform.os.version` per
//! entry, or a single image's config `os.version`.
//!
//! Opt-in only: nothing here runs unless the user asks, and then only the
//! image reference (and the user's own credentials, to their registry)
//! leaves the machine. `--offline` forbids the network; answers are cached
//! in the XDG cache folder.
//!
//! Must not know findings, reports or input formats: it takes reference
//! strings and returns `model::resolved::ResolvedImage` values plus warning
//! sentences. Which entry a host pulls is `knowledge::platform_match`.

mod cache;
mod client;
mod credentials;
mod manifest;

use crate::model::resolved::{ManifestKind, ResolvedImage};
use crate::model::ImageRef;
use client::{Client, FetchError};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

/// How to reach registries, resolved once from flags and environment.
#[derive(Debug, Clone)]
pub struct Options {
    /// Never touch the network; answer from the cache only.
    pub offline: bool,
    /// Registries (`host` or `host:port`) reached over plain HTTP.
    pub insecure: Vec<String>,
    /// Per request, connection to last byte.
    pub timeout: Duration,
    /// The XDG cache folder (`$XDG_CACHE_HOME` or `~/.cache`); `None` = no cache.
    pub cache_root: Option<PathBuf>,
    /// The Docker config folder (`$DOCKER_CONFIG` or `~/.docker`).
    pub docker_config: Option<PathBuf>,
    /// How long a tag's answer is reused (a digest's is reused forever).
    pub tag_ttl: Duration,
}

/// Default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Tags move: their cached answers are reused this long.
pub const TAG_TTL: Duration = Duration::from_secs(15 * 60);

/// What resolution found, and what it could not do.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub images: Vec<ResolvedImage>,
    pub warnings: Vec<String>,
}

/// The form references take in the inputs that is not a reference itself.
fn strip_scheme(reference: &str) -> &str {
    reference
        .trim()
        .trim_start_matches("docker-pullable://")
        .trim_start_matches("docker://")
}

fn cache_key(r: &ImageRef) -> String {
    match &r.digest {
        Some(d) => format!("{}/{}@{d}", r.registry, r.repository),
        None => format!(
            "{}/{}:{}",
            r.registry,
            r.repository,
            r.tag.as_deref().unwrap_or("latest")
        ),
    }
}

/// Resolve every reference (duplicates once). Never fails: what cannot be
/// resolved is a warning, and the caller goes on without it.
pub fn resolve(references: &[String], opts: &Options) -> Resolution {
    let cache = cache::Cache::new(opts.cache_root.as_deref(), opts.tag_ttl);
    let mut client: Option<Client> = None;
    let mut out = Resolution::default();
    let mut seen = BTreeSet::new();
    // A registry that did not answer (or asked us to slow down) is not asked
    // again in this run: one warning, one timeout.
    let mut dead: BTreeSet<String> = BTreeSet::new();
    for reference in references {
        let text = strip_scheme(reference);
        if text.is_empty() || !seen.insert(text.to_owned()) {
            continue;
        }
        let Ok(r) = ImageRef::parse(text) else {
            out.warnings
                .push(format!("{text}: not an image reference; not resolved"));
            continue;
        };
        let key = cache_key(&r);
        if let Some(mut hit) = cache.get(&key) {
            hit.reference = text.to_owned();
            out.images.push(hit);
            continue;
        }
        if opts.offline {
            out.warnings.push(format!(
                "{text}: not resolved: --offline forbids the network and the cache has no answer for it"
            ));
            continue;
        }
        if dead.contains(&r.registry) {
            continue;
        }
        let client = client.get_or_insert_with(|| {
            Client::new(
                opts.timeout,
                opts.docker_config.clone(),
                opts.insecure.clone(),
            )
        });
        match fetch(client, &r, text, &opts.insecure) {
            Ok(image) => {
                cache.put(&key, &image);
                let by_digest = format!("{}/{}@{}", r.registry, r.repository, image.digest);
                if by_digest != key {
                    cache.put(&by_digest, &image);
                }
                out.images.push(image);
            }
            Err(e) => {
                if matches!(
                    e,
                    FetchError::Unreachable(_) | FetchError::Timeout | FetchError::RateLimited
                ) {
                    dead.insert(r.registry.clone());
                }
                out.warnings.push(warning(text, &r, &e, opts.timeout));
            }
        }
    }
    out
}

fn fetch(
    client: &mut Client,
    r: &ImageRef,
    text: &str,
    insecure: &[String],
) -> Result<ResolvedImage, FetchError> {
    let ep = client::endpoint(&r.registry, insecure);
    let reference = r
        .digest
        .clone()
        .unwrap_or_else(|| r.tag.clone().unwrap_or_else(|| "latest".to_owned()));
    let got = client.manifest(&ep, &r.repository, &reference)?;
    if let Some(d) = &r.digest {
        if d.starts_with("sha256:") && got.digest != *d {
            return Err(FetchError::Invalid(format!(
                "the manifest arrived with digest {}, not {d}",
                got.digest
            )));
        }
    }
    let parsed = manifest::parse_manifest(&got.body, &got.content_type)
        .map_err(|e| FetchError::Invalid(e.to_string()))?;
    let (kind, entries) = match parsed {
        manifest::Manifest::Index(mut entries) => {
            fill_missing_os_versions(client, &ep, &r.repository, &mut entries);
            (ManifestKind::Index, entries)
        }
        manifest::Manifest::Image { config_digest } => {
            let config = client.blob(&ep, &r.repository, &config_digest)?;
            let entry = manifest::parse_config(&config.body)
                .map_err(|e| FetchError::Invalid(e.to_string()))?;
            (ManifestKind::Image, vec![entry])
        }
    };
    Ok(ResolvedImage {
        reference: text.to_owned(),
        canonical: cache_key(r),
        digest: got.digest,
        kind,
        entries,
    })
}

/// At most this many Windows entries without `os.version` are looked up.
const MAX_ENTRY_LOOKUPS: usize = 8;

/// A Windows entry whose platform lacks `os.version` (lists written by
/// older tools): read it from the entry's own image config. Best effort:
/// an entry that cannot be read keeps `None` (containerd then treats it as
/// matching any host, which `knowledge::platform_match` mirrors).
fn fill_missing_os_versions(
    client: &mut Client,
    ep: &client::Endpoint,
    repository: &str,
    entries: &mut [crate::model::resolved::RegistryEntry],
) {
    let missing = entries
        .iter_mut()
        .filter(|e| e.os.eq_ignore_ascii_case("windows") && e.os_version.is_none())
        .take(MAX_ENTRY_LOOKUPS);
    for entry in missing {
        let Some(digest) = entry.digest.clone() else {
            continue;
        };
        let Ok(child) = client.manifest(ep, repository, &digest) else {
            continue;
        };
        if child.digest != digest {
            continue;
        }
        let Ok(manifest::Manifest::Image { config_digest }) =
            manifest::parse_manifest(&child.body, &child.content_type)
        else {
            continue;
        };
        let Ok(config) = client.blob(ep, repository, &config_digest) else {
            continue;
        };
        if let Ok(platform) = manifest::parse_config(&config.body) {
            entry.os_version = platform.os_version;
        }
    }
}

/// One sentence per failure, saying what happened and what to do.
fn warning(text: &str, r: &ImageRef, e: &FetchError, timeout: Duration) -> String {
    let reg = &r.registry;
    let what = match e {
        FetchError::Unauthorized {
            with_credentials: false,
        } => format!(
            "{reg} requires authentication (401) and no Docker credentials are configured for it; run `docker login {reg}` (wincompat reads ~/.docker/config.json and credential helpers)"
        ),
        FetchError::Unauthorized {
            with_credentials: true,
        } => format!("{reg} rejected the Docker credentials configured for it (401); run `docker login {reg}` again"),
        FetchError::Forbidden => format!("{reg} denied access to {} (403)", r.repository),
        FetchError::NotFound => format!(
            "{reg} has no manifest {} in {} (404)",
            r.digest.as_deref().or(r.tag.as_deref()).unwrap_or("latest"),
            r.repository
        ),
        FetchError::RateLimited => format!("{reg} is rate limiting requests (429); try again later, or log in"),
        FetchError::Status(s) => format!("{reg} answered HTTP {s}"),
        FetchError::Timeout => format!("{reg} did not answer within {} s (--registry-timeout)", timeout.as_secs()),
        FetchError::Unreachable(why) => format!("{reg} is unreachable ({why})"),
        FetchError::Invalid(why) => format!("{reg} gave an answer that cannot be used: {why}"),
        FetchError::Credentials(why) => format!("cannot read the Docker credentials: {why}"),
    };
    format!("{text}: not resolved: {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(cache_root: Option<PathBuf>) -> Options {
        Options {
            offline: true,
            insecure: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            cache_root,
            docker_config: None,
            tag_ttl: TAG_TTL,
        }
    }

    #[test]
    fn offline_answers_only_from_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let o = opts(Some(dir.path().to_owned()));
        let refs = vec!["contoso.azurecr.io/orders-api:2.4.1".to_owned()];
        let res = resolve(&refs, &o);
        assert!(res.images.is_empty());
        assert!(res.warnings[0].contains("--offline"), "{:?}", res.warnings);
        let cache = cache::Cache::new(Some(dir.path()), TAG_TTL);
        let image = ResolvedImage {
            reference: "x".to_owned(),
            canonical: "contoso.azurecr.io/orders-api:2.4.1".to_owned(),
            digest: "sha256:00".to_owned(),
            kind: ManifestKind::Image,
            entries: Vec::new(),
        };
        cache.put("contoso.azurecr.io/orders-api:2.4.1", &image);
        let res = resolve(&refs, &o);
        assert!(res.warnings.is_empty());
        assert_eq!(
            res.images[0].reference,
            "contoso.azurecr.io/orders-api:2.4.1"
        );
    }

    #[test]
    fn duplicates_and_runtime_prefixes_are_resolved_once() {
        let refs = vec![
            "docker-pullable://r.example/a:1".to_owned(),
            "r.example/a:1".to_owned(),
            "NOT A REF".to_owned(),
        ];
        let res = resolve(&refs, &opts(None));
        assert_eq!(res.warnings.len(), 2, "{:?}", res.warnings);
    }

    #[test]
    fn cache_keys_name_registry_repository_and_tag_or_digest() {
        let r = ImageRef::parse("mcr.microsoft.com/windows/servercore:ltsc2022").unwrap();
        assert_eq!(
            cache_key(&r),
            "mcr.microsoft.com/windows/servercore:ltsc2022"
        );
        let r = ImageRef::parse("nginx").unwrap();
        assert_eq!(cache_key(&r), "docker.io/library/nginx:latest");
    }
}
