//! Fix commands for Swarm services: `docker service update --image`, the
//! daemon's Hyper-V default in daemon.json, node labels and placement
//! constraints. Commands only; whether a fix applies is decided in `fixes`.

use super::super::names::service_of_task;
use super::super::occurrence::Occurrence;
use crate::model::WindowsVersion;

fn service(occ: &Occurrence<'_>) -> String {
    occ.workload
        .as_deref()
        .map(service_of_task)
        .unwrap_or_else(|| "<service>".to_owned())
}

/// Point the service at `image`.
pub(super) fn set_image(occ: &Occurrence<'_>, image: &str) -> String {
    format!("docker service update --image {image} {}", service(occ))
}

/// Hyper-V isolation for Swarm tasks: for this one service first
/// (`docker service update --isolation`, API 1.35+), the daemon default on
/// each node as the host-wide alternative.
pub(super) fn hyperv(occ: &Occurrence<'_>) -> (Vec<String>, &'static str) {
    (
        vec![
            format!("docker service update --isolation hyperv {}", service(occ)),
            "# or host-wide, on every Windows node: C:\\ProgramData\\docker\\config\\daemon.json".to_owned(),
            "{ \"exec-opts\": [\"isolation=hyperv\"] }".to_owned(),
            "Stop-Service docker; Start-Service docker".to_owned(),
            "docker inspect --format '{{json .HostConfig.Isolation}}' <container>   # expect \"hyperv\"".to_owned(),
        ],
        "The host is newer than the image, so Hyper-V isolation runs it (the container gets the image's own kernel). Set it for this service, or make it the daemon's default isolation in daemon.json on each node.",
    )
}

/// Label the nodes with their OS version and constrain the service to it.
pub(super) fn pin_to_build(
    occ: &Occurrence<'_>,
    nodes: &[&str],
    target: WindowsVersion,
    with_revision: bool,
) -> Vec<String> {
    let value = if with_revision {
        target.to_string()
    } else {
        format!("{}.{}.{}", target.major, target.minor, target.build)
    };
    let mut cmds: Vec<String> = nodes
        .iter()
        .map(|n| format!("docker node update --label-add OsVersion={value} {n}"))
        .collect();
    cmds.push(format!(
        "docker service update --constraint-add \"node.labels.OsVersion == {value}\" {}",
        service(occ)
    ));
    cmds
}

/// How to label nodes with their builds when the image's build is not known.
pub(super) fn list_node_builds() -> Vec<String> {
    vec![
        "docker node update --label-add OsVersion=\"$((Get-ComputerInfo).OsVersion)\" $ENV:COMPUTERNAME"
            .to_owned(),
    ]
}

/// The commands that print a Swarm node's build.
pub(super) fn node_build_step(node: &str) -> String {
    format!(
        "docker node inspect {node} --format '{{{{.Description.Engine.EngineVersion}}}} {{{{json .Spec.Labels}}}}'   # then on {node}: docker info --format '{{{{.KernelVersion}}}}'"
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::occurrence;
    use super::*;
    use crate::analyze::occurrence::Orchestrator;

    #[test]
    fn service_commands_name_the_service_of_the_task() {
        let occ = occurrence(Orchestrator::Swarm, Some("batch-worker.3"));
        assert_eq!(
            set_image(&occ, "contoso/batch:1.0-ltsc2025"),
            "docker service update --image contoso/batch:1.0-ltsc2025 batch-worker"
        );
        let pin = pin_to_build(
            &occ,
            &["ws1", "ws2"],
            WindowsVersion::new(17763, Some(1)),
            false,
        );
        assert_eq!(pin.len(), 3);
        assert_eq!(
            pin[2],
            "docker service update --constraint-add \"node.labels.OsVersion == 10.0.17763\" batch-worker"
        );
    }
}
