//! How workloads are named across outputs: a Deployment from its
//! ReplicaSet pod's name, a Swarm service from its task's name, a
//! `namespace/pod` split. Pure string rules, no knowledge of versions.

/// (`namespace`, `pod`) from `namespace/pod`.
pub(crate) fn split_workload(w: Option<&str>) -> (Option<&str>, Option<&str>) {
    match w {
        Some(w) => match w.split_once('/') {
            Some((ns, pod)) => (Some(ns), Some(pod)),
            None => (None, Some(w)),
        },
        None => (None, None),
    }
}

/// The Deployment name of a ReplicaSet pod (`web-789699744-rqv6p` → `web`).
pub(crate) fn owner_name(pod: &str) -> String {
    let parts: Vec<&str> = pod.rsplitn(3, '-').collect();
    match parts.as_slice() {
        [suffix, hash, name]
            if suffix.len() == 5
                && hash.len() >= 5
                && hash.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (*name).to_owned()
        }
        _ => pod.to_owned(),
    }
}

/// The service of a Swarm task name (`web.1` → `web`).
pub(crate) fn service_of_task(task: &str) -> String {
    match task.rsplit_once('.') {
        Some((svc, n)) if n.chars().all(|c| c.is_ascii_digit()) => svc.to_owned(),
        _ => task.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_name_from_replicaset_pod() {
        assert_eq!(
            owner_name("fabrikamfiber.web-789699744-rqv6p"),
            "fabrikamfiber.web"
        );
        assert_eq!(
            owner_name("legacy-billing-66d9f8b7c4-8fwzt"),
            "legacy-billing"
        );
        assert_eq!(owner_name("standalone"), "standalone");
    }

    #[test]
    fn service_name_from_task() {
        assert_eq!(service_of_task("angry_liskov.1"), "angry_liskov");
        assert_eq!(service_of_task("web"), "web");
    }

    #[test]
    fn namespace_and_pod() {
        assert_eq!(split_workload(Some("ns/p")), (Some("ns"), Some("p")));
        assert_eq!(split_workload(Some("p")), (None, Some("p")));
        assert_eq!(split_workload(None), (None, None));
    }
}
