//! Container image references (`registry/repo:tag@sha256:…`), split and
//! validated the way Docker does it (distribution/reference grammar):
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [ domain "/" ] path-component ( "/" path-component )*
//! domain     := host [ ":" port ]        (first component is a domain iff it
//!                                         contains "." or ":", is "localhost",
//!                                         or has an uppercase letter)
//! path-comp  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//! tag        := [\w][\w.-]{0,127}
//! digest     := algorithm ":" hex{32,}
//! ```
//!
//! Which Windows build a tag means is `knowledge::tags`; this module only
//! knows names, and which repositories are Microsoft's Windows base images.

use regex::Regex;
use serde::Serialize;
use std::fmt;
use std::sync::LazyLock;

/// The default registry, and the one whose single-component names get a
/// `library/` prefix.
pub const DOCKER_HUB: &str = "docker.io";

/// Longest repository name Docker accepts (`NameTotalLengthMax`).
const NAME_MAX: usize = 255;

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
    /// Docker: "repository name must be lowercase".
    #[error("repository name must be lowercase in {0:?}")]
    Uppercase(String),
    #[error("invalid tag in image reference {0:?}")]
    InvalidTag(String),
    #[error("invalid digest in image reference {0:?}")]
    InvalidDigest(String),
}

/// A Microsoft Windows base OS image family (facts.md §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaseFamily {
    /// `mcr.microsoft.com/windows/servercore` (legacy `microsoft/windowsservercore`).
    ServerCore,
    /// `mcr.microsoft.com/windows/nanoserver` (legacy `microsoft/nanoserver`).
    NanoServer,
    /// `mcr.microsoft.com/windows/server` (WS2022 and later only).
    Server,
    /// `mcr.microsoft.com/windows`, the full "Windows" image (not for WS2022+).
    Windows,
}

impl BaseFamily {
    /// The MCR repository of this family (`windows/servercore`).
    pub fn mcr_repository(self) -> &'static str {
        match self {
            BaseFamily::ServerCore => "windows/servercore",
            BaseFamily::NanoServer => "windows/nanoserver",
            BaseFamily::Server => "windows/server",
            BaseFamily::Windows => "windows",
        }
    }

    /// Short name (`servercore`, `nanoserver`, `server`, `windows`).
    pub fn as_str(self) -> &'static str {
        match self {
            BaseFamily::ServerCore => "servercore",
            BaseFamily::NanoServer => "nanoserver",
            BaseFamily::Server => "server",
            BaseFamily::Windows => "windows",
        }
    }
}

/// Microsoft base repositories: (registry, repository, family, insider,
/// legacy Docker Hub). Source: facts.md §3.1 (container-base-images.md,
/// insider-overview.md, version-compatibility.md diff `376fa8b8`).
/// `mcr.microsoft.com/microsoft-windows-nanoserver` is deliberately absent:
/// it appears only in the doc's fix list and is not a confirmed MCR
/// repository (facts.md §8.11).
#[rustfmt::skip]
const MICROSOFT_BASES: &[(&str, &str, BaseFamily, bool, bool)] = &[
    ("mcr.microsoft.com", "windows/servercore",          BaseFamily::ServerCore, false, false),
    ("mcr.microsoft.com", "windows/nanoserver",          BaseFamily::NanoServer, false, false),
    ("mcr.microsoft.com", "windows/server",              BaseFamily::Server,     false, false),
    ("mcr.microsoft.com", "windows",                     BaseFamily::Windows,    false, false),
    ("mcr.microsoft.com", "windows/servercore/insider",  BaseFamily::ServerCore, true,  false),
    ("mcr.microsoft.com", "windows/nanoserver/insider",  BaseFamily::NanoServer, true,  false),
    ("mcr.microsoft.com", "windows/server/insider",      BaseFamily::Server,     true,  false),
    ("mcr.microsoft.com", "windows/insider",             BaseFamily::Windows,    true,  false),
    ("docker.io",         "microsoft/windowsservercore", BaseFamily::ServerCore, false, true),
    ("docker.io",         "microsoft/nanoserver",        BaseFamily::NanoServer, false, true),
    ("docker.io",         "microsoft/windowsservercore-insider", BaseFamily::ServerCore, true, true),
    ("docker.io",         "microsoft/nanoserver-insider",        BaseFamily::NanoServer, true, true),
];

// The grammar of distribution/reference, written out as byte tests rather
// than regexes: image references are parsed in almost every paste, and
// compiling the three regexes was a tenth of a small paste's run (issue
// 14). The tests check each against the regex it replaces.

/// A path component: `^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$`.
fn is_path_component(c: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = c.as_bytes();
    if !bytes.first().is_some_and(|&b| alnum(b)) || !bytes.last().is_some_and(|&b| alnum(b)) {
        return false;
    }
    // Between runs of [a-z0-9]: `.`, `_`, `__` or one or more `-`.
    bytes
        .split(|&b| alnum(b))
        .filter(|sep| !sep.is_empty())
        .all(|sep| matches!(sep, b"." | b"_" | b"__") || sep.iter().all(|&b| b == b'-'))
}

/// A registry host: labels of `[a-zA-Z0-9-]` that start and end with a
/// letter or digit, joined by dots, or an IPv6 address in brackets; then
/// an optional `:port` of 1 to 5 digits.
fn is_domain_grammar(d: &str) -> bool {
    let (host, port) = match d.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, Some(p)),
        _ => (d, None),
    };
    if let Some(p) = port {
        if !(1..=5).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    if let Some(inner) = host.strip_prefix('[') {
        return inner.strip_suffix(']').is_some_and(|ip| {
            !ip.is_empty()
                && ip
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        });
    }
    host.split('.').all(|label| {
        let b = label.as_bytes();
        b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.last().is_some_and(u8::is_ascii_alphanumeric)
            && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
    })
}

/// A tag: `^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`.
fn is_tag(t: &str) -> bool {
    let b = t.as_bytes();
    (1..=128).contains(&b.len())
        && b.first()
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

static DIGEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
        .expect("static regex is valid")
});

impl ImageRef {
    /// Parse a reference such as `mcr.microsoft.com/windows/servercore:ltsc2019`,
    /// `python:3-windowsservercore`, `localhost:5000/app:1.0`, or
    /// `microsoft/iis:windowsservercore-10.0.14393.1715@sha256:<64 hex>`.
    /// Surrounding whitespace and quotes are removed; inner spaces are an
    /// error.
    pub fn parse(text: &str) -> Result<ImageRef, ImageRefError> {
        let text = text
            .trim()
            .trim_matches(|c| c == '"' || c == '\'' || c == '`')
            .trim();
        if text.is_empty() {
            return Err(ImageRefError::Empty);
        }
        let invalid = || ImageRefError::Invalid(text.to_owned());
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => {
                if !DIGEST.is_match(d) {
                    return Err(ImageRefError::InvalidDigest(text.to_owned()));
                }
                (r, Some(d.to_owned()))
            }
            None => (text, None),
        };
        let (name, tag) = match rest.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => {
                if !is_tag(t) {
                    return Err(ImageRefError::InvalidTag(text.to_owned()));
                }
                (n, Some(t.to_owned()))
            }
            _ => (rest, None),
        };
        if name.is_empty() || name.len() > NAME_MAX {
            return Err(invalid());
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, path)) if is_domain(first) => {
                if !is_domain_grammar(first) {
                    return Err(invalid());
                }
                (first.to_owned(), path)
            }
            _ => (DOCKER_HUB.to_owned(), name),
        };
        for component in path.split('/') {
            if is_path_component(component) {
                continue;
            }
            if is_path_component(&component.to_ascii_lowercase()) {
                return Err(ImageRefError::Uppercase(text.to_owned()));
            }
            return Err(invalid());
        }
        // `index.docker.io` is the old spelling of Docker Hub.
        let registry = if registry.eq_ignore_ascii_case("index.docker.io") {
            DOCKER_HUB.to_owned()
        } else {
            registry
        };
        let repository = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_owned()
        };
        Ok(ImageRef {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// The name as users write it, without tag or digest:
    /// `mcr.microsoft.com/windows/servercore`, `python`, `microsoft/nanoserver`.
    pub fn name(&self) -> String {
        // Docker's familiar form drops `library/` only for official images
        // (one path component): `library/a.b/c` must keep it, or `a.b` would
        // read back as a registry host (found by the `image_ref` fuzz target).
        let repo = self
            .repository
            .strip_prefix("library/")
            .filter(|rest| self.registry == DOCKER_HUB && !rest.contains('/'))
            .unwrap_or(&self.repository);
        if self.registry == DOCKER_HUB {
            repo.to_owned()
        } else {
            format!("{}/{repo}", self.registry)
        }
    }

    /// The tag, or `latest` when none is given and no digest pins it.
    pub fn tag_or_latest(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// The same repository with another tag (and no digest).
    pub fn with_tag(&self, tag: &str) -> ImageRef {
        ImageRef {
            tag: Some(tag.to_owned()),
            digest: None,
            ..self.clone()
        }
    }

    fn base_row(&self) -> Option<&'static (&'static str, &'static str, BaseFamily, bool, bool)> {
        MICROSOFT_BASES.iter().find(|(reg, repo, ..)| {
            self.registry.eq_ignore_ascii_case(reg) && self.repository == *repo
        })
    }

    /// The Windows base OS family, for Microsoft's base repositories only
    /// (`mcr.microsoft.com/windows/nanoserver:1809` → `NanoServer`); derived
    /// images (`…/servercore/iis`, `dotnet/…`) are `None`.
    pub fn base_family(&self) -> Option<BaseFamily> {
        self.base_row().map(|row| row.2)
    }

    /// Is this one of Microsoft's Windows base OS images
    /// (`mcr.microsoft.com/windows/{servercore,nanoserver,server}`,
    /// `mcr.microsoft.com/windows`, their `/insider` repositories, legacy
    /// `microsoft/windowsservercore` and `microsoft/nanoserver`)?
    pub fn is_microsoft_base(&self) -> bool {
        self.base_row().is_some()
    }

    /// An Insider base image (`mcr.microsoft.com/windows/servercore/insider`).
    pub fn is_insider(&self) -> bool {
        self.base_row().is_some_and(|row| row.3)
    }

    /// A legacy Docker Hub base image (`microsoft/windowsservercore`,
    /// `microsoft/nanoserver`), replaced by MCR in 2019.
    pub fn is_legacy_docker_hub_base(&self) -> bool {
        self.base_row().is_some_and(|row| row.4)
    }

    /// The base family's short name (`servercore`), also recognised in
    /// derived images' tags (`4.8-windowsservercore-ltsc2019` →
    /// `servercore`, `8.0-nanoserver-1809` → `nanoserver`).
    pub fn family_name(&self) -> Option<&'static str> {
        if let Some(family) = self.base_family() {
            return Some(family.as_str());
        }
        let tag = self.tag.as_deref()?.to_ascii_lowercase();
        let repo = self.repository.as_str();
        if tag.contains("windowsservercore") || repo.ends_with("/servercore/iis") {
            Some(BaseFamily::ServerCore.as_str())
        } else if tag.contains("nanoserver") {
            Some(BaseFamily::NanoServer.as_str())
        } else {
            None
        }
    }
}

/// Docker's rule for the first path component (`splitDockerDomain`): it is
/// a registry iff it has a `.` or `:`, is `localhost`, or has an uppercase
/// letter (path components are lowercase, so it cannot be one).
fn is_domain(first: &str) -> bool {
    first.contains('.')
        || first.contains(':')
        || first == "localhost"
        || first.chars().any(|c| c.is_ascii_uppercase())
}

impl std::str::FromStr for ImageRef {
    type Err = ImageRefError;

    /// Same as [`ImageRef::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ImageRef::parse(s)
    }
}

impl fmt::Display for ImageRef {
    /// The short form: `docker.io` and `library/` are left out, so that
    /// `ImageRef::parse(&r.to_string()) == Ok(r)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name())?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    mod grammar {
        use super::super::{is_domain_grammar, is_path_component, is_tag};
        use proptest::prelude::*;
        use regex::Regex;

        // The regexes of distribution/reference that the byte tests replace.
        fn re(p: &str) -> Regex {
            Regex::new(p).expect("regex")
        }

        proptest! {
            #[test]
            fn byte_tests_agree_with_the_reference_regexes(s in "[a-zA-Z0-9._:\\[\\]/-]{0,12}") {
                let path = re(r"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$");
                let domain = re(r"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$");
                let tag = re(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
                prop_assert_eq!(is_path_component(&s), path.is_match(&s), "path {:?}", s);
                prop_assert_eq!(is_domain_grammar(&s), domain.is_match(&s), "domain {:?}", s);
                prop_assert_eq!(is_tag(&s), tag.is_match(&s), "tag {:?}", s);
            }
        }

        #[test]
        fn byte_tests_agree_on_edge_cases() {
            for (s, path, domain, tag) in [
                ("a__b", true, false, true),
                ("a___b", false, false, true),
                ("a---b", true, true, true),
                ("-a", false, false, false),
                ("[::1]:5000", false, true, false),
                ("[::1]", false, true, false),
                ("[]", false, false, false),
                ("host:123456", false, false, false),
                ("localhost:5000", false, true, false),
                ("a.b.", false, false, true),
            ] {
                assert_eq!(is_path_component(s), path, "path {s}");
                assert_eq!(is_domain_grammar(s), domain, "domain {s}");
                assert_eq!(is_tag(s), tag, "tag {s}");
            }
            assert!(is_tag(&"a".repeat(128)));
            assert!(!is_tag(&"a".repeat(129)));
        }
    }

    const HEX64: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

    fn r(registry: &str, repository: &str, tag: Option<&str>, digest: Option<&str>) -> ImageRef {
        ImageRef {
            registry: registry.to_owned(),
            repository: repository.to_owned(),
            tag: tag.map(str::to_owned),
            digest: digest.map(str::to_owned),
        }
    }

    #[test]
    fn mcr_reference_with_tag() {
        assert_eq!(
            ImageRef::parse("mcr.microsoft.com/windows/servercore:ltsc2019"),
            Ok(r(
                "mcr.microsoft.com",
                "windows/servercore",
                Some("ltsc2019"),
                None
            ))
        );
    }

    #[test]
    fn docker_hub_defaults() {
        assert_eq!(
            ImageRef::parse("python:3-windowsservercore"),
            Ok(r(
                "docker.io",
                "library/python",
                Some("3-windowsservercore"),
                None
            ))
        );
        assert_eq!(
            ImageRef::parse("microsoft/nanoserver"),
            Ok(r("docker.io", "microsoft/nanoserver", None, None))
        );
        assert_eq!(
            ImageRef::parse("index.docker.io/contoso/app:1.0"),
            Ok(r("docker.io", "contoso/app", Some("1.0"), None))
        );
    }

    #[test]
    fn registry_detection() {
        assert_eq!(
            ImageRef::parse("localhost:5000/tools/app:2.1"),
            Ok(r("localhost:5000", "tools/app", Some("2.1"), None))
        );
        assert_eq!(
            ImageRef::parse("localhost/app"),
            Ok(r("localhost", "app", None, None))
        );
        assert_eq!(
            ImageRef::parse("contosoacr.azurecr.io/shop/web:nl-ltsc2019"),
            Ok(r(
                "contosoacr.azurecr.io",
                "shop/web",
                Some("nl-ltsc2019"),
                None
            ))
        );
        // Uppercase first component: a registry, as Docker decides.
        assert_eq!(
            ImageRef::parse("MyRegistry/app:1"),
            Ok(r("MyRegistry", "app", Some("1"), None))
        );
        // A plain first component is a Docker Hub namespace.
        assert_eq!(
            ImageRef::parse("contoso/tools/app"),
            Ok(r("docker.io", "contoso/tools/app", None, None))
        );
    }

    #[test]
    fn tag_and_digest() {
        let text = format!("contoso/iis:windowsservercore-10.0.14393.1715@sha256:{HEX64}");
        let digest = format!("sha256:{HEX64}");
        assert_eq!(
            ImageRef::parse(&text),
            Ok(r(
                "docker.io",
                "contoso/iis",
                Some("windowsservercore-10.0.14393.1715"),
                Some(&digest)
            ))
        );
        let text = format!("mcr.microsoft.com/windows/nanoserver@sha256:{HEX64}");
        let got = ImageRef::parse(&text).unwrap();
        assert_eq!(got.tag, None);
        assert_eq!(got.tag_or_latest(), None);
    }

    #[test]
    fn quotes_and_whitespace_are_trimmed() {
        assert_eq!(
            ImageRef::parse("  \"mcr.microsoft.com/windows/server:ltsc2022\"\n"),
            Ok(r(
                "mcr.microsoft.com",
                "windows/server",
                Some("ltsc2022"),
                None
            ))
        );
        assert_eq!(
            ImageRef::parse("'nanoserver:1809'"),
            Ok(r("docker.io", "library/nanoserver", Some("1809"), None))
        );
    }

    #[test]
    fn rejected_references() {
        assert_eq!(ImageRef::parse("   "), Err(ImageRefError::Empty));
        assert_eq!(ImageRef::parse("\"\""), Err(ImageRefError::Empty));
        assert!(matches!(
            ImageRef::parse("my image:1"),
            Err(ImageRefError::Invalid(_))
        ));
        assert!(matches!(
            ImageRef::parse("contoso/MyApp:1"),
            Err(ImageRefError::Uppercase(_))
        ));
        assert!(matches!(
            ImageRef::parse("app:-bad"),
            Err(ImageRefError::InvalidTag(_))
        ));
        let long_tag = format!("app:{}", "a".repeat(129));
        assert!(matches!(
            ImageRef::parse(&long_tag),
            Err(ImageRefError::InvalidTag(_))
        ));
        assert!(matches!(
            ImageRef::parse("app@sha256:abc"),
            Err(ImageRefError::InvalidDigest(_))
        ));
        assert!(matches!(
            ImageRef::parse("app//x"),
            Err(ImageRefError::Invalid(_))
        ));
        assert!(matches!(
            ImageRef::parse(":tag"),
            Err(ImageRefError::Invalid(_))
        ));
        assert!(matches!(
            ImageRef::parse("a--"),
            Err(ImageRefError::Invalid(_))
        ));
        assert!(ImageRef::parse("windows…").is_err());
    }

    #[test]
    fn display_round_trips_the_short_form() {
        let digest_ref = format!("contoso/app:1.0@sha256:{HEX64}");
        for text in [
            "python:3-windowsservercore",
            "mcr.microsoft.com/windows/servercore:ltsc2019",
            "microsoft/nanoserver:1709_KB4043961",
            "localhost:5000/tools/app",
            "nginx",
            digest_ref.as_str(),
        ] {
            let parsed = ImageRef::parse(text).unwrap();
            assert_eq!(parsed.to_string(), text);
            assert_eq!(ImageRef::parse(&parsed.to_string()), Ok(parsed));
        }
    }

    #[test]
    fn microsoft_base_images() {
        let base = |s: &str| ImageRef::parse(s).unwrap();
        assert_eq!(
            base("mcr.microsoft.com/windows/servercore:ltsc2022").base_family(),
            Some(BaseFamily::ServerCore)
        );
        assert_eq!(
            base("mcr.microsoft.com/windows/nanoserver:1809").base_family(),
            Some(BaseFamily::NanoServer)
        );
        assert_eq!(
            base("mcr.microsoft.com/windows/server:ltsc2025").base_family(),
            Some(BaseFamily::Server)
        );
        assert_eq!(
            base("mcr.microsoft.com/windows:1809").base_family(),
            Some(BaseFamily::Windows)
        );
        assert!(base("mcr.microsoft.com/windows/server/insider:10.0.20344.1").is_insider());
        assert!(base("microsoft/windowsservercore:latest").is_legacy_docker_hub_base());
        assert!(base("microsoft/nanoserver:10.0.14393.1770").is_microsoft_base());
        assert!(
            !base("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019")
                .is_microsoft_base()
        );
        assert!(!base("mcr.microsoft.com/dotnet/framework/aspnet:4.8").is_microsoft_base());
        assert!(!base("contoso/windowsservercore:ltsc2019").is_microsoft_base());
    }

    #[test]
    fn family_names_from_derived_tags() {
        let family = |s: &str| ImageRef::parse(s).unwrap().family_name();
        assert_eq!(
            family("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019"),
            Some("servercore")
        );
        assert_eq!(
            family("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-1809"),
            Some("nanoserver")
        );
        assert_eq!(
            family("mcr.microsoft.com/windows:ltsc2019"),
            Some("windows")
        );
        assert_eq!(family("contoso/app:1.0"), None);
    }

    #[test]
    fn with_tag_drops_the_digest() {
        let text = format!("mcr.microsoft.com/windows/servercore:ltsc2019@sha256:{HEX64}");
        let got = ImageRef::parse(&text).unwrap().with_tag("ltsc2022");
        assert_eq!(
            got.to_string(),
            "mcr.microsoft.com/windows/servercore:ltsc2022"
        );
    }
}
