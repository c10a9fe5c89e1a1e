//! Kubernetes pod metadata read from a log file's path. The kubelet writes
//! each container's output to `<dir>/<namespace>_<pod>_<uid>/<container>/N.log`
//! (`/var/log/pods` on a node); a file under that directory shape carries
//! its pod's namespace, name and container onto metrics, spans and the
//! match output. No API-server call is made: a node agent then costs the
//! API server nothing however large the cluster, and the path already
//! says everything those labels need.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The labels a pod's series carry: what identifies a container's logs to
/// the person on call. The pod's uid is left out: a StatefulSet's pod
/// recreated under the same name is the same series.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PodLabels {
    pub namespace: String,
    pub pod: String,
    pub container: String,
}

impl PodLabels {
    /// The labels every label of a series folded by the cap takes.
    pub fn other() -> PodLabels {
        let other = crate::aggregate::OTHER.to_string();
        PodLabels {
            namespace: other.clone(),
            pod: other.clone(),
            container: other,
        }
    }
}

/// The pod a file's lines come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSource {
    pub labels: Arc<PodLabels>,
    pub uid: String,
}

impl PodSource {
    /// The pod whose container wrote `path`, when the file lies in a
    /// kubelet pod log directory: its parent is a container name, and the
    /// parent's parent is `<namespace>_<pod>_<uid>`. Names that Kubernetes
    /// would not accept (a namespace with `_`, an uppercase pod name, a
    /// uid that is not hex) mean the path is something else.
    pub fn from_path(path: &Path) -> Option<PodSource> {
        let container_dir = path.parent()?;
        let container = container_dir.file_name()?.to_str()?;
        let pod_dir = container_dir.parent()?.file_name()?.to_str()?;
        let mut parts = pod_dir.split('_');
        let (namespace, pod, uid) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some()
            || !dns_label(namespace)
            || !dns_subdomain(pod)
            || !dns_label(container)
            || !pod_uid(uid)
        {
            return None;
        }
        Some(PodSource {
            labels: Arc::new(PodLabels {
                namespace: namespace.to_string(),
                pod: pod.to_string(),
                container: container.to_string(),
            }),
            uid: uid.to_string(),
        })
    }
}

/// An RFC 1123 label: what namespace and container names must be.
fn dns_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// An RFC 1123 subdomain: what pod names must be.
fn dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(dns_label)
}

/// A pod's uid: a UUID, or for a static pod the 32 hex digits of its
/// manifest's hash.
fn pod_uid(s: &str) -> bool {
    (32..=36).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(path: &str) -> Option<(String, String, String, String)> {
        PodSource::from_path(Path::new(path)).map(|p| {
            (
                p.labels.namespace.clone(),
                p.labels.pod.clone(),
                p.labels.container.clone(),
                p.uid,
            )
        })
    }

    #[test]
    fn a_kubelet_pod_log_path_names_namespace_pod_and_container() {
        let uid = "0d7d3c5e-4b8e-4a59-9a4f-2b7f0c8e9a11";
        assert_eq!(
            labels(&format!(
                "/var/log/pods/payments_ledger-7d9c6b5f4-x2x8q_{uid}/ledger/0.log"
            )),
            Some((
                "payments".into(),
                "ledger-7d9c6b5f4-x2x8q".into(),
                "ledger".into(),
                uid.into()
            ))
        );
        // Under any directory, rotated names included; a static pod's uid
        // is a hash.
        let hash = "5c9f1a3e8b7d6c4f2a1e0d9c8b7a6f5e";
        assert_eq!(
            labels(&format!(
                "/tmp/x/pods/kube-system_etcd-node.a_{hash}/etcd/1.log.20261201-101010"
            ))
            .map(|l| (l.0, l.1, l.2)),
            Some(("kube-system".into(), "etcd-node.a".into(), "etcd".into()))
        );
    }

    #[test]
    fn other_paths_carry_no_pod() {
        let uid = "0d7d3c5e-4b8e-4a59-9a4f-2b7f0c8e9a11";
        for path in [
            "/var/log/app/app.log".to_string(),
            "app.log".to_string(),
            format!("/var/log/pods/payments_ledger_{uid}/0.log"),
            format!("/var/log/pods/pay_ments_ledger_{uid}/c/0.log"),
            format!("/var/log/pods/payments_Ledger_{uid}/c/0.log"),
            "/var/log/pods/payments_ledger_not-a-uid/c/0.log".to_string(),
            format!("/var/log/pods/payments_ledger_{uid}/-c/0.log"),
        ] {
            assert_eq!(labels(&path), None, "{path}");
        }
    }
}
