//! The on-disk cache of registry answers: one JSON file per key in
//! `<XDG cache dir>/wincompat/registry/`. A key is
//! `registry/repository@digest` (never expires: a digest names fixed
//! content) or `registry/repository:tag` (expires after `tag_ttl`, since a
//! tag moves).
//!
//! Must not know HTTP or how answers are read; a cache that cannot be read
//! or written is treated as empty (the run goes on, without it).

use crate::model::resolved::ResolvedImage;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Serialize, Deserialize)]
struct Entry {
    key: String,
    /// Seconds since the Unix epoch.
    fetched: u64,
    image: ResolvedImage,
}

/// A cache folder (`None` = no caching).
#[derive(Debug, Clone)]
pub(crate) struct Cache {
    dir: Option<PathBuf>,
    tag_ttl: Duration,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// `root` is the XDG cache folder (`$XDG_CACHE_HOME` or `~/.cache`).
    pub(crate) fn new(root: Option<&Path>, tag_ttl: Duration) -> Self {
        Cache {
            dir: root.map(|r| r.join("wincompat").join("registry")),
            tag_ttl,
        }
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        let hash = Sha256::digest(key.as_bytes());
        let name: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        Some(self.dir.as_ref()?.join(format!("{name}.json")))
    }

    /// A cached answer for `key`, when present and not expired.
    pub(crate) fn get(&self, key: &str) -> Option<ResolvedImage> {
        let text = std::fs::read(self.path(key)?).ok()?;
        let entry: Entry = serde_json::from_slice(&text).ok()?;
        if entry.key != key {
            return None;
        }
        let by_digest = key.contains("@sha256:");
        let age = now().saturating_sub(entry.fetched);
        (by_digest || age < self.tag_ttl.as_secs()).then_some(entry.image)
    }

    /// Store an answer; failures are ignored (the cache is an optimisation).
    pub(crate) fn put(&self, key: &str, image: &ResolvedImage) {
        let (Some(dir), Some(path)) = (self.dir.as_ref(), self.path(key)) else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let entry = Entry {
            key: key.to_owned(),
            fetched: now(),
            image: image.clone(),
        };
        let Ok(text) = serde_json::to_vec_pretty(&entry) else {
            return;
        };
        // Write then rename, so a concurrent reader never sees half a file.
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::resolved::ManifestKind;

    fn image() -> ResolvedImage {
        ResolvedImage {
            reference: "r/x:1".to_owned(),
            canonical: "r/x:1".to_owned(),
            digest: "sha256:00".to_owned(),
            kind: ManifestKind::Image,
            entries: Vec::new(),
        }
    }

    #[test]
    fn answers_round_trip_and_tags_expire() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Some(dir.path()), Duration::from_secs(3600));
        assert_eq!(cache.get("r/x:1"), None);
        cache.put("r/x:1", &image());
        cache.put("r/x@sha256:00", &image());
        assert_eq!(cache.get("r/x:1"), Some(image()));
        let stale = Cache::new(Some(dir.path()), Duration::ZERO);
        assert_eq!(stale.get("r/x:1"), None);
        // A digest never expires, whatever the TTL.
        assert_eq!(stale.get("r/x@sha256:00"), Some(image()));
    }

    #[test]
    fn no_folder_means_no_cache_and_garbage_is_a_miss() {
        let none = Cache::new(None, Duration::from_secs(60));
        none.put("k", &image());
        assert_eq!(none.get("k"), None);
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Some(dir.path()), Duration::from_secs(60));
        cache.put("k", &image());
        let file = cache.path("k").unwrap();
        std::fs::write(&file, "garbage").unwrap();
        assert_eq!(cache.get("k"), None);
    }
}
