//! Fix commands for workloads Kubernetes schedules: `kubectl set image`,
//! a `node.kubernetes.io/windows-build` nodeSelector or RuntimeClass, the
//! seed's `beta.kubernetes.io/osbuild` label for Windows Server 2016 and
//! the sandbox (pause) image setting. Commands only; whether a fix applies
//! is decided in `fixes`.

use super::super::names::{owner_name, split_workload};
use super::super::occurrence::Occurrence;
use crate::model::WindowsVersion;

/// ` -n NS` for the workload's namespace, or nothing.
fn namespace_arg(ns: Option<&str>) -> String {
    ns.map(|n| format!(" -n {n}")).unwrap_or_default()
}

/// Point the workload's Deployment at `image`.
pub(super) fn set_image(occ: &Occurrence<'_>, image: &str) -> String {
    let (ns, pod) = split_workload(occ.workload.as_deref());
    let deploy = pod
        .map(owner_name)
        .unwrap_or_else(|| "<deployment>".to_owned());
    let container = occ
        .container_name
        .clone()
        .unwrap_or_else(|| "<container>".to_owned());
    format!(
        "kubectl set image deployment/{deploy} {container}={image}{}",
        namespace_arg(ns)
    )
}

/// Pin the workload to nodes of `target`'s build: the windows-build label
/// (a nodeSelector or a RuntimeClass), or — where revisions must match —
/// the seed's `beta.kubernetes.io/osbuild` label with the revision.
pub(super) fn pin_to_build(
    occ: &Occurrence<'_>,
    nodes: &[&str],
    target: WindowsVersion,
    with_revision: bool,
) -> Vec<String> {
    let (ns, pod) = split_workload(occ.workload.as_deref());
    let deploy = pod
        .map(owner_name)
        .unwrap_or_else(|| "<deployment>".to_owned());
    let ns_arg = namespace_arg(ns);
    if with_revision {
        let value = format!("{}.{}", target.build, target.revision.unwrap_or(0));
        let mut cmds: Vec<String> = nodes
            .iter()
            .map(|n| format!("kubectl label node {n} beta.kubernetes.io/osbuild={value}"))
            .collect();
        cmds.push(format!(
            "kubectl patch deployment {deploy}{ns_arg} --type merge -p '{{\"spec\":{{\"template\":{{\"spec\":{{\"nodeSelector\":{{\"beta.kubernetes.io/osbuild\":\"{value}\"}}}}}}}}}}'"
        ));
        return cmds;
    }
    let build = format!("{}.{}.{}", target.major, target.minor, target.build);
    vec![
        format!(
            "kubectl patch deployment {deploy}{ns_arg} --type merge -p '{{\"spec\":{{\"template\":{{\"spec\":{{\"nodeSelector\":{{\"kubernetes.io/os\":\"windows\",\"node.kubernetes.io/windows-build\":\"{build}\"}}}}}}}}}}'"
        ),
        format!(
            "# or a RuntimeClass that pods select with runtimeClassName: windows-{}\nkubectl apply -f - <<'EOF'\napiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: windows-{}\nhandler: runhcs-wcow-process\nscheduling:\n  nodeSelector:\n    kubernetes.io/os: 'windows'\n    node.kubernetes.io/windows-build: '{build}'\nEOF",
            target.build, target.build
        ),
    ]
}

/// How to list the nodes' builds when the image's build is not known.
pub(super) fn list_node_builds() -> Vec<String> {
    vec!["kubectl get nodes -L node.kubernetes.io/windows-build".to_owned()]
}

/// Where the sandbox (pause) image is set, by the node's container runtime
/// (`containerd://1.7.0`, `docker://20.10.9`): containerd's `sandbox_image`,
/// or kubelet's `--pod-infra-container-image` under dockershim. Unknown
/// runtime: both, each named.
pub(super) fn sandbox_image_setting(runtime: Option<&str>) -> (Vec<String>, &'static str) {
    let containerd = || {
        vec![
            "# C:\\Program Files\\containerd\\config.toml, [plugins.\"io.containerd.grpc.v1.cri\"]"
                .to_owned(),
            "sandbox_image = \"registry.k8s.io/pause:3.6\"".to_owned(),
            "Restart-Service containerd".to_owned(),
        ]
    };
    let dockershim = || {
        vec![
            "# kubelet flag on the node (dockershim):".to_owned(),
            "--pod-infra-container-image=registry.k8s.io/pause:3.6".to_owned(),
            "Restart-Service kubelet".to_owned(),
        ]
    };
    let runtime = runtime.map(str::to_ascii_lowercase);
    match runtime.as_deref() {
        Some(r) if r.starts_with("containerd://") => (containerd(), "containerd's sandbox_image"),
        Some(r) if r.starts_with("docker://") => (
            dockershim(),
            "kubelet's --pod-infra-container-image (the node runs Docker)",
        ),
        _ => {
            let mut both = containerd();
            both.push("# or, on a node whose runtime is docker://".to_owned());
            both.extend(dockershim());
            (
                both,
                "containerd's sandbox_image (or kubelet's --pod-infra-container-image on a docker:// node; the input does not show the node's runtime)",
            )
        }
    }
}

/// Which node a pod ran on, when the input does not say.
pub(super) fn find_node_step(occ: &Occurrence<'_>) -> String {
    let (ns, pod) = split_workload(occ.workload.as_deref());
    match pod {
        Some(pod) => format!("kubectl get pod {pod}{} -o wide   # the NODE column; then: kubectl get node <node> -o wide", namespace_arg(ns)),
        None => "kubectl get nodes -o wide".to_owned(),
    }
}

/// The command that prints an image's build on a Kubernetes node: Docker's
/// image inspect on a `docker://` node, the CRI's image config elsewhere.
pub(super) fn image_build_step(image: &str, runtime: Option<&str>, node: Option<&str>) -> String {
    let on = node
        .map(|n| format!(" on {n}"))
        .unwrap_or_else(|| " on the node".to_owned());
    if runtime.is_some_and(|r| r.to_ascii_lowercase().starts_with("docker://")) {
        format!("docker image inspect {image} --format '{{{{.OsVersion}}}}'   #{on}")
    } else {
        format!("crictl inspecti {image}   #{on}: \"os.version\" in info.imageSpec")
    }
}

/// The command that prints a node's build.
pub(super) fn node_build_step(node: &str) -> String {
    format!("kubectl get node {node} -o wide")
}

#[cfg(test)]
mod tests {
    use super::super::tests::occurrence;
    use super::*;
    use crate::analyze::occurrence::Orchestrator;

    #[test]
    fn set_image_names_the_deployment_container_and_namespace() {
        let occ = occurrence(
            Orchestrator::Kubernetes,
            Some("billing/legacy-billing-66d9f8b7c4-8fwzt"),
        );
        let mut occ = occ;
        occ.container_name = Some("app".to_owned());
        assert_eq!(
            set_image(&occ, "mcr.microsoft.com/windows/servercore:ltsc2022"),
            "kubectl set image deployment/legacy-billing app=mcr.microsoft.com/windows/servercore:ltsc2022 -n billing"
        );
    }

    #[test]
    fn sandbox_fix_follows_the_nodes_runtime() {
        let (cmds, _) = sandbox_image_setting(Some("docker://19.3.14"));
        assert!(cmds
            .iter()
            .any(|c| c.starts_with("--pod-infra-container-image=")));
        assert!(!cmds.iter().any(|c| c.contains("sandbox_image")));
        let (cmds, _) = sandbox_image_setting(Some("containerd://1.7.0"));
        assert!(cmds.iter().any(|c| c.contains("sandbox_image")));
        assert!(!cmds.iter().any(|c| c.contains("pod-infra")));
    }

    #[test]
    fn pin_uses_the_windows_build_label_or_the_revision_label() {
        let occ = occurrence(Orchestrator::Kubernetes, Some("web-789699744-rqv6p"));
        let exact = pin_to_build(&occ, &["n1"], WindowsVersion::new(20348, Some(3453)), false);
        assert!(exact[0].contains("\"node.kubernetes.io/windows-build\":\"10.0.20348\""));
        assert!(exact[0].starts_with("kubectl patch deployment web "));
        let revision = pin_to_build(&occ, &["n1"], WindowsVersion::new(14393, Some(1715)), true);
        assert_eq!(
            revision[0],
            "kubectl label node n1 beta.kubernetes.io/osbuild=14393.1715"
        );
    }
}
