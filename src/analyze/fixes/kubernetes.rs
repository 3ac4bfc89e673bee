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

/// Where the sandbox (pause) image is set.
pub(super) fn sandbox_image_setting() -> Vec<String> {
    vec![
        "# C:\\Program Files\\containerd\\config.toml, [plugins.\"io.containerd.grpc.v1.cri\"]"
            .to_owned(),
        "sandbox_image = \"registry.k8s.io/pause:3.6\"".to_owned(),
        "Restart-Service containerd".to_owned(),
    ]
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
