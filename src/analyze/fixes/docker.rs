//! Fix commands for containers started with plain `docker run`: run the
//! rebuilt image, or run it with Hyper-V isolation. Commands only; whether
//! a fix applies is decided in `fixes`.

/// Run `image` again.
pub(super) fn run(image: &str) -> String {
    format!("docker run {image}")
}

/// Run `image` with Hyper-V isolation, and why that works.
pub(super) fn hyperv(image: &str) -> (Vec<String>, &'static str) {
    (
        vec![format!("docker run --isolation=hyperv {image}")],
        "The host is newer than the image, so Hyper-V isolation runs it: the container gets a utility VM with the image's own kernel (needs the Hyper-V role on the host).",
    )
}

/// The command that prints the local host's build.
pub(super) fn host_build_step() -> String {
    "docker info --format '{{.KernelVersion}}'".to_owned()
}

/// The command that prints an image's build where Docker runs.
pub(super) fn image_build_step(image: &str) -> String {
    format!("docker image inspect {image} --format '{{{{.OsVersion}}}}'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperv_runs_the_same_image() {
        let (cmds, why) = hyperv("contoso/app:1.0");
        assert_eq!(cmds, ["docker run --isolation=hyperv contoso/app:1.0"]);
        assert!(why.contains("host is newer"));
    }
}
