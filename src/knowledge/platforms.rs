//! Images known to publish no Windows entry: Docker Official Images of
//! Linux distributions and tiny Linux bases. A "no matching manifest for
//! windows/amd64 10.0.N" for one of them is a wrong-platform problem (a
//! Linux image on a Windows-containers engine), not a Windows build one —
//! the number in the message is the host's build.
//!
//! Source: docker-library/official-images `library/<name>` files, whose
//! entries list Linux architectures only for these repositories (no
//! `windows-amd64`). Knows image names only: no input formats.

use crate::model::ImageRef;

/// Docker Hub official repositories that are Linux distributions or Linux
/// base images. Please keep this list sorted.
const LINUX_ONLY_OFFICIAL: &[&str] = &[
    "almalinux",
    "alpine",
    "amazonlinux",
    "archlinux",
    "busybox",
    "centos",
    "clearlinux",
    "debian",
    "fedora",
    "oraclelinux",
    "photon",
    "rockylinux",
    "ubuntu",
];

pub const SOURCE: &str =
    "docker-library/official-images library/<name> (Architectures: Linux only)";

/// Whether the reference names an image known to have no Windows entry.
pub fn is_linux_only(image: &ImageRef) -> bool {
    let docker_hub = image.registry.is_empty()
        || image.registry.eq_ignore_ascii_case("docker.io")
        || image.registry.eq_ignore_ascii_case("registry-1.docker.io")
        || image.registry.eq_ignore_ascii_case("index.docker.io");
    let name = image
        .repository
        .strip_prefix("library/")
        .unwrap_or(&image.repository);
    docker_hub && LINUX_ONLY_OFFICIAL.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_unique() {
        assert!(LINUX_ONLY_OFFICIAL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn linux_distributions_on_docker_hub_only() {
        let check = |r: &str| is_linux_only(&ImageRef::parse(r).expect("reference"));
        assert!(check("ubuntu"));
        assert!(check("library/debian:bookworm"));
        assert!(check("docker.io/library/alpine:3.20"));
        assert!(!check("mcr.microsoft.com/windows/servercore:ltsc2022"));
        assert!(!check("contoso.azurecr.io/ubuntu:1.0"));
        assert!(!check("python:3.12"));
    }
}
