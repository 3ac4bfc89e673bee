//! Container image references (`registry/repo:tag@sha256:…`), split the way
//! Docker does it. Which Windows build a tag means is `knowledge::tags`.

use serde::Serialize;
use std::fmt;

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ImageRef {
    /// Registry host (with port when given); `docker.io` by default.
    pub registry: String,
    /// Repository path; `library/` is added for official Docker Hub images.
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:…` when the reference pins a digest.
    pub digest: Option<String>,
}

/// Why a text is not an image reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageRefError {
    #[error("empty image reference")]
    Empty,
    #[error("invalid image reference {0:?}")]
    Invalid(String),
}

impl ImageRef {
    /// Parse a reference such as `mcr.microsoft.com/windows/servercore:ltsc2019`.
    pub fn parse(text: &str) -> Result<ImageRef, ImageRefError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ImageRefError::Empty);
        }
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d.to_owned())),
            None => (text, None),
        };
        let (name, tag) = match rest.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => (n, Some(t.to_owned())),
            _ => (rest, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_owned(), path.to_owned())
            }
            _ if name.contains('/') => ("docker.io".to_owned(), name.to_owned()),
            _ => ("docker.io".to_owned(), format!("library/{name}")),
        };
        if repository.is_empty() {
            return Err(ImageRefError::Invalid(text.to_owned()));
        }
        Ok(ImageRef {
            registry,
            repository,
            tag,
            digest,
        })
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.registry != "docker.io" {
            write!(f, "{}/", self.registry)?;
        }
        let repo = self
            .repository
            .strip_prefix("library/")
            .filter(|_| self.registry == "docker.io")
            .unwrap_or(&self.repository);
        write!(f, "{repo}")?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}
