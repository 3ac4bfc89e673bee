//! `--redact` end to end (issue 15, point 2): identifiers planted in every
//! position the parsers know — `kubectl describe pod`, `kubectl get events`
//! (sandbox events included), kubelet logs, `docker service ps --no-trunc`,
//! `docker run` errors, daemon logs with escaped HCS JSON — must not survive
//! in any format, nor in the warnings on stderr; the values kept on purpose
//! (error codes, builds, Microsoft base images and their tags, the tags of
//! any image, timestamps) must.
//!
//! The inputs are our own text in the shapes users paste, built from small
//! templates; every name, ID and address in them is generated. The binary
//! runs as a user runs it (assert_cmd, hermetic environment).

use assert_cmd::Command;
use proptest::prelude::*;
use std::path::Path;

fn wincompat() -> Command {
    let mut cmd = Command::cargo_bin("wincompat").expect("binary");
    cmd.env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("CI")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// Everything a report could leak, generated.
#[derive(Debug, Clone)]
struct Planted {
    namespace: String,
    /// A Deployment's pod, described (`kubectl describe pod`).
    pod: String,
    /// A pod named only by sandbox events (no workload field carries it).
    sandbox_pod: String,
    node: String,
    /// A node named only by a kubelet log (`Running on machine:`, `node="…"`).
    log_node: String,
    swarm_node: String,
    /// Full container IDs: describe pod, sandbox, Swarm task, daemon log.
    ids: [String; 4],
    /// A container ID printed only in part (a cut error, a `…`-cut paste):
    /// its 13- and `cut_len`-digit prefixes, nothing else.
    cut_id: String,
    cut_len: usize,
    /// How far into a long line the last ID sits (so that a display cut
    /// falls anywhere across it).
    pad: usize,
    guid: String,
    pod_uid: String,
    ip: String,
    user: String,
    registry: String,
    team: String,
    app: String,
    /// A Docker Hub organisation and repository (`fabrikam/api`).
    org: String,
    hub_app: String,
    service: String,
    other_service: String,
}

const K8S_SAFE: &str = "[bcdfghjklmnpqrstvwxz2456789]";

fn word() -> impl Strategy<Value = String> {
    "[a-z]{6,9}"
}

fn hex64() -> impl Strategy<Value = String> {
    any::<[u8; 32]>().prop_map(|b| b.iter().map(|x| format!("{x:02x}")).collect())
}

fn guid() -> impl Strategy<Value = String> {
    any::<u128>().prop_map(|g| {
        let g = format!("{g:032x}");
        format!(
            "{}-{}-{}-{}-{}",
            &g[..8],
            &g[8..12],
            &g[12..16],
            &g[16..20],
            &g[20..]
        )
    })
}

/// A container ID whose every prefix of 8 digits or more mixes letters and
/// digits: without the full ID or a `…` beside it, an all-decimal run cannot
/// be told from a number (a size, a date), and the redaction keeps numbers.
fn mixed_hex64() -> impl Strategy<Value = String> {
    (hex64(), "[a-f]", "[0-9]").prop_map(|(h, letter, digit)| format!("{letter}{digit}{}", &h[2..]))
}

fn pod_name() -> impl Strategy<Value = String> {
    (
        word(),
        word(),
        prop::string::string_regex(&format!("{K8S_SAFE}{{9,10}}")).expect("regex"),
        prop::string::string_regex(&format!("{K8S_SAFE}{{5}}")).expect("regex"),
    )
        .prop_map(|(a, b, hash, suffix)| format!("{a}-{b}-{hash}-{suffix}"))
}

/// A sandbox's pod: a Deployment's, or a StatefulSet's (`name-0`), which
/// only the event's wording says is a pod.
fn sandbox_pod_name() -> impl Strategy<Value = String> {
    prop_oneof![
        pod_name(),
        (word(), word(), 0u8..10).prop_map(|(a, b, n)| format!("{a}-{b}-{n}")),
    ]
}

fn planted() -> impl Strategy<Value = Planted> {
    (
        (word(), pod_name(), sandbox_pod_name()),
        (
            "[a-z]{3,6}-[a-z]{2,4}[0-9]{2,3}",
            "[a-z]{3,6}-[a-z]{3,5}-[0-9]{2}",
            "[A-Z]{4,6}-[A-Z]{2}[0-9]{2}",
        ),
        [hex64(), hex64(), hex64(), hex64()],
        (mixed_hex64(), 14usize..64, 0usize..400),
        (guid(), guid(), (1u8..=254, 0u8..=255, 0u8..=255, 1u8..=254)),
        (word(), word(), word(), word()),
        (word(), word(), word(), word()),
    )
        .prop_map(
            |(
                (namespace, pod, sandbox_pod),
                (node, log_node, swarm_node),
                ids,
                (cut_id, cut_len, pad),
                (guid, pod_uid, ip),
                (user, registry, team, app),
                (org, hub_app, service, other_service),
            )| Planted {
                namespace,
                pod,
                sandbox_pod,
                node,
                log_node,
                swarm_node,
                ids,
                cut_id,
                cut_len,
                pad,
                guid,
                pod_uid,
                ip: format!("{}.{}.{}.{}", ip.0, ip.1, ip.2, ip.3),
                user,
                registry: format!("{registry}.azurecr.io"),
                team,
                app,
                org,
                hub_app,
                service,
                other_service,
            },
        )
}

const SHIM: &str = "The container operating system does not match the host operating system.";
const MS_IMAGE: &str = "mcr.microsoft.com/windows/servercore:ltsc2019";
const PAUSE: &str = "mcr.microsoft.com/oss/kubernetes/pause:3.9";

fn describe_pod(p: &Planted) -> String {
    let Planted {
        namespace: ns,
        pod,
        node,
        ip,
        registry,
        team,
        app,
        pod_uid,
        ..
    } = p;
    let id = &p.ids[0];
    format!(
        "$ kubectl describe pod {pod} -n {ns}\n\
Name:             {pod}\n\
Namespace:        {ns}\n\
Node:             {node}/{ip}\n\
Start Time:       Tue, 12 Mar 2024 14:02:41 +0100\n\
Status:           Pending\n\
IP:               {ip}\n\
Containers:\n  \
{app}:\n    \
Container ID:   containerd://{id}\n    \
Image:          {registry}/{team}/{app}:1.4-ltsc2019\n    \
State:          Waiting\n      \
Reason:       CrashLoopBackOff\n\
Node-Selectors:              kubernetes.io/os=windows\n\
Events:\n  \
Type     Reason     Age                From               Message\n  \
----     ------     ----               ----               -------\n  \
Normal   Scheduled  6m12s              default-scheduler  Successfully assigned {ns}/{pod} to {node}\n  \
Normal   Pulling    6m11s              kubelet            Pulling image \"{registry}/{team}/{app}:1.4-ltsc2019\"\n  \
Warning  Failed     12s (x4 over 58s)  kubelet            Error: failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem {id}: {SHIM}: unknown\n  \
Warning  BackOff    10s                kubelet            Back-off restarting failed container {app} in pod {pod}_{ns}({pod_uid})\n\
\n\
$ kubectl get nodes -o wide\n\
NAME        STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION    CONTAINER-RUNTIME\n\
{node}   Ready    <none>   3d    v1.29.2   {ip}    <none>        Windows Server 2022 Datacenter   10.0.20348.2340   containerd://1.7.13\n"
    )
}

fn get_events(p: &Planted) -> String {
    let Planted {
        namespace: ns,
        sandbox_pod: sp,
        ..
    } = p;
    let id = &p.ids[1];
    format!(
        "$ kubectl get events -n {ns}\n\
LAST SEEN   TYPE      REASON                   OBJECT             MESSAGE\n\
6m          Normal    Pulled                   pod/{sp}   Container image \"{PAUSE}\" already present on machine\n\
58s         Warning   FailedCreatePodSandBox   pod/{sp}   Failed to create pod sandbox: rpc error: code = Unknown desc = failed to start sandbox container for pod \"{sp}\": Error response from daemon: container {id} encountered an error during CreateContainer: failure in a Windows system call: {SHIM} (0xc0370101)\n"
    )
}

fn kubelet_log(p: &Planted) -> String {
    let Planted {
        namespace: ns,
        sandbox_pod: sp,
        log_node,
        pod_uid,
        ..
    } = p;
    let id = &p.ids[1];
    format!(
        "Log file created at: 2024/03/01 09:14:02\n\
Running on machine: {log_node}\n\
I0301 09:14:03.140022    4388 kubelet_node_status.go:71] \"Attempting to register node\" node=\"{log_node}\"\n\
I0301 09:14:04.120339    4388 kuberuntime_manager.go:484] \"No sandbox for pod can be found. Need to start a new one\" pod=\"{ns}/{sp}\"\n\
E0301 09:14:06.871520    4388 remote_runtime.go:209] \"RunPodSandbox from runtime service failed\" err=\"rpc error: code = Unknown desc = failed to start sandbox container for pod \\\"{sp}\\\": Error response from daemon: {{\\\"message\\\":\\\"container {id} encountered an error during CreateContainer: failure in a Windows system call: {SHIM} (0xc0370101)\\\"}}\"\n\
I0301 09:14:07.015530    4388 kubelet.go:2075] \"SyncLoop (PLEG): event for pod\" pod=\"{ns}/{sp}\" event=&{{ID:{pod_uid} Type:ContainerDied Data:{id}}}\n"
    )
}

/// Rows as `docker` prints them: each column as wide as its widest cell
/// and three spaces.
fn table(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0) + 3)
        .collect();
    let mut out = String::new();
    for row in rows {
        for (cell, w) in row.iter().zip(&widths) {
            out.push_str(&format!("{cell:<w$}"));
        }
        out.push('\n');
    }
    out
}

fn service_ps(p: &Planted) -> String {
    let Planted {
        swarm_node: node,
        registry,
        team,
        app,
        org,
        hub_app,
        service,
        other_service,
        guid,
        user,
        ..
    } = p;
    let id = &p.ids[2];
    let short = &id[..12];
    let error = format!(
        "\"starting container failed: container {id} encountered an error during CreateContainer: failure in a Windows system call: {SHIM} (0xc0370101) extra info: {{\"SystemType\":\"Container\",\"Name\":\"{id}\",\"Owner\":\"docker\",\"VolumePath\":\"\\\\\\\\?\\\\Volume{{{guid}}}\",\"LayerFolderPath\":\"C:\\\\ProgramData\\\\docker\\\\windowsfilter\\\\{id}\",\"MappedDirectories\":[{{\"HostPath\":\"C:\\\\Users\\\\{user}\\\\site\",\"ContainerPath\":\"C:\\\\site\"}}],\"HostName\":\"{short}\",\"HvPartition\":false,\"EndpointList\":[\"{guid}\"]}}\""
    );
    let row = |cells: [&str; 8]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
    format!(
        "PS C:\\> docker service ps --no-trunc {service} {other_service}\n{}",
        table(&[
            row([
                "ID",
                "NAME",
                "IMAGE",
                "NODE",
                "DESIRED STATE",
                "CURRENT STATE",
                "ERROR",
                "PORTS"
            ]),
            row([
                "q7d2m9x4k1a8f3h6j0l5p9s2d",
                &format!("{other_service}.2"),
                &format!("{org}/{hub_app}:7.2.0-ltsc2022"),
                node,
                "Running",
                "Running 3 days ago",
                "",
                "",
            ]),
            row([
                "w4n8c3v6b0s5g7h2j9k4l1z6x",
                &format!("{service}.1"),
                &format!("{registry}/{team}/{app}:1.4-ltsc2019"),
                node,
                "Shutdown",
                "Failed 14 seconds ago",
                &error,
                "",
            ]),
        ])
    )
}

fn dockerd_log(p: &Planted) -> String {
    let Planted { guid, user, ip, .. } = p;
    let id = &p.ids[3];
    let short = &id[..12];
    format!(
        "time=\"2024-03-01T07:15:20.000000000Z\" level=info msg=\"API listen on {ip}:2376\"\n\
time=\"2024-03-01T07:15:21.955670100Z\" level=error msg=\"failed to create container\" error=\"hcsshim::CreateComputeSystem {id}: {SHIM}\\n(extra info: {{\\\"SystemType\\\":\\\"Container\\\",\\\"Name\\\":\\\"{id}\\\",\\\"Owner\\\":\\\"docker\\\",\\\"VolumePath\\\":\\\"\\\\\\\\?\\\\\\\\Volume{{{guid}}}\\\",\\\"LayerFolderPath\\\":\\\"C:\\\\\\\\ProgramData\\\\\\\\docker\\\\\\\\windowsfilter\\\\\\\\{id}\\\",\\\"MappedDirectories\\\":[{{\\\"HostPath\\\":\\\"C:\\\\\\\\Users\\\\\\\\{user}\\\\\\\\data\\\",\\\"ContainerPath\\\":\\\"C:\\\\\\\\data\\\"}}],\\\"HostName\\\":\\\"{short}\\\",\\\"HvPartition\\\":false}})\" module=libcontainerd namespace=moby\n"
    )
}

fn docker_run(p: &Planted) -> String {
    let cut13 = &p.cut_id[..13];
    let cut = &p.cut_id[..p.cut_len];
    let last = &p.ids[3];
    format!(
        "PS C:\\Users\\{user}\\src> docker run --rm {MS_IMAGE} cmd /c ver\n\
docker: Error response from daemon: container {cut13} encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)\n\
PS C:\\Users\\{user}\\src> docker run --rm {MS_IMAGE} cmd /c ver\n\
docker: Error response from daemon: hcs::CreateComputeSystem {cut}…\n\
PS C:\\Users\\{user}\\src> docker logs /home/{user}/run.log\n\
docker: Error response from daemon: {pad}container {last} encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)\n",
        user = p.user,
        pad = "step failed; ".repeat(p.pad / 13 + 1).get(..p.pad).unwrap_or(""),
    )
}

/// Every input, by file name; two names hold identifiers themselves.
fn inputs(p: &Planted) -> Vec<(String, String)> {
    vec![
        (format!("describe-{}.txt", p.pod), describe_pod(p)),
        ("events.txt".to_owned(), get_events(p)),
        ("kubelet.log".to_owned(), kubelet_log(p)),
        ("service-ps.txt".to_owned(), service_ps(p)),
        ("dockerd.log".to_owned(), dockerd_log(p)),
        (format!("run-on-{}.txt", p.node), docker_run(p)),
    ]
}

/// Write the inputs, and a binary file whose name holds the node's name
/// (so that `skipped NAME` names it), to a fresh folder.
fn write(dir: &Path, p: &Planted) {
    for (name, text) in inputs(p) {
        std::fs::write(dir.join(name), text).expect("write input");
    }
    std::fs::write(
        dir.join(format!("core-{}.bin", p.swarm_node)),
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
    )
    .expect("write binary");
}

/// stdout and stderr of one run.
fn run(dir: &Path, args: &[&str]) -> (String, String) {
    let out = wincompat()
        .args(args)
        .args(["--color", "never", "--width", "120"])
        .arg(dir)
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What must not survive: names whole, and of each ID, GUID and UID every
/// run of 10 hex digits (so that no long part of one survives either).
fn secrets(p: &Planted) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("namespace", p.namespace.clone()),
        ("pod", p.pod.clone()),
        ("sandbox pod", p.sandbox_pod.clone()),
        ("node", p.node.clone()),
        ("log node", p.log_node.clone()),
        ("swarm node", p.swarm_node.clone()),
        ("ip", p.ip.clone()),
        ("user", p.user.clone()),
        ("registry", p.registry.clone()),
        ("team", p.team.clone()),
        ("app", p.app.clone()),
        ("org", p.org.clone()),
        ("hub app", p.hub_app.clone()),
        ("service", p.service.clone()),
        ("other service", p.other_service.clone()),
    ];
    let cut = p.cut_id[..p.cut_len].to_owned();
    for id in p.ids.iter().chain([&cut]) {
        for i in 0..=id.len().saturating_sub(10) {
            out.push(("container ID part", id[i..i + 10].to_owned()));
        }
    }
    out.push(("13-digit ID prefix", p.cut_id[..13].to_owned()));
    for g in [&p.guid, &p.pod_uid] {
        let hex: String = g.chars().filter(|c| *c != '-').collect();
        out.push(("GUID", g.clone()));
        for part in g.split('-').filter(|s| s.len() >= 8) {
            out.push(("GUID part", part.to_owned()));
        }
        out.push(("GUID digits", hex));
    }
    out
}

/// Values kept on purpose, in every format.
const KEPT: &[&str] = &[
    "0xc0370101",
    "20348",
    MS_IMAGE,
    "1.4-ltsc2019",
    "7.2.0-ltsc2022",
];

fn check(p: &Planted, stdout: &str, stderr: &str, format: &str) -> Result<(), TestCaseError> {
    let (out, err) = (stdout.to_lowercase(), stderr.to_lowercase());
    for (what, secret) in secrets(p) {
        let s = secret.to_lowercase();
        let lines = |text: &str| -> String {
            let lines = text.lines().filter(|l| l.to_lowercase().contains(&s));
            lines.collect::<Vec<_>>().join("\n")
        };
        prop_assert!(
            !out.contains(&s),
            "{} {:?} survived in {} output:\n{}",
            what,
            secret,
            format,
            lines(stdout)
        );
        prop_assert!(
            !err.contains(&s),
            "{} {:?} survived on stderr:\n{}",
            what,
            secret,
            lines(stderr)
        );
    }
    // Only the formats that print everything must show every kept value:
    // the concise text, SARIF and the annotations leave some out by design.
    let complete = matches!(format, "json" | "markdown" | "text --explain");
    for kept in KEPT.iter().filter(|_| complete) {
        prop_assert!(
            stdout.contains(kept),
            "{} lost {}:\n{}",
            format,
            kept,
            stdout
        );
    }
    Ok(())
}

/// Cases per run: each runs the binary seven times; `REDACTION_CASES=200`
/// for a longer search (160 cases passed when this was written).
fn cases() -> u32 {
    std::env::var("REDACTION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// The property of issue 15: with `--redact`, no planted identifier
    /// survives in text (concise and --explain), JSON, Markdown, SARIF or
    /// GitHub annotations, nor on stderr.
    #[test]
    fn no_planted_identifier_survives_in_any_format(p in planted()) {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &p);
        // Not vacuous: without --redact, the report and stderr name them.
        let (plain, plain_err) = run(dir.path(), &["-f", "json"]);
        for secret in [p.sandbox_pod.as_str(), &p.node, &p.ids[0], &p.other_service, &p.hub_app, &p.cut_id[..13]] {
            prop_assert!(plain.contains(secret), "{} not in the plain report:\n{}", secret, plain);
        }
        prop_assert!(plain_err.contains(&p.swarm_node), "no skipped warning:\n{}", plain_err);
        for format in ["text", "json", "markdown", "sarif", "github"] {
            let (out, err) = run(dir.path(), &["--redact", "-o", format]);
            check(&p, &out, &err, format)?;
        }
        let (out, err) = run(dir.path(), &["--redact", "--explain"]);
        check(&p, &out, &err, "text --explain")?;
    }
}

// ---------------------------------------------------------------------------
// Named cases (the audit's findings), each on its own.
// ---------------------------------------------------------------------------

fn every_format(name: &str, text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(name), text).expect("write");
    ["text", "json", "markdown", "sarif", "github"]
        .iter()
        .map(|f| run(dir.path(), &["--redact", "--explain", "-o", f]).0)
        .collect()
}

/// See: issue 15, "pod names in sandbox events are never replaced when the
/// finding has no workload".
#[test]
fn sandbox_pod_names_are_redacted() {
    let text = "58s Warning FailedCreatePodSandBox pod/billing-api-0 Failed to create pod sandbox: rpc error: code = Unknown desc = failed to start sandbox container for pod \"billing-api-7d9f8c6b5-x2k4p\": Error response from daemon: container 5b1e9c7a3d2f4e6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e9f2a4b6c8d0e1f3a encountered an error during CreateContainer: failure in a Windows system call: The container operating system does not match the host operating system. (0xc0370101)\n";
    for out in every_format("events.txt", text) {
        // SARIF and the annotations name the finding code, not the HCS code.
        assert!(out.contains("0xc0370101") || out.contains("WC1"), "{out}");
        assert!(out.contains("sandbox"), "{out}");
        for name in [
            "billing-api-7d9f8c6b5-x2k4p",
            "billing-api-0",
            "billing-api",
        ] {
            assert!(!out.contains(name), "{name} survived:\n{out}");
        }
    }
}

/// See: issue 15, "ids of other lengths (a 13-digit prefix printed by a cut
/// error, a 54-digit one) survive".
#[test]
fn cut_container_ids_are_redacted() {
    let id = "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";
    let text = format!(
        "docker: Error response from daemon: container {} encountered an error during CreateContainer: failure in a Windows system call: The container operating system does not match the host operating system. (0xc0370101)\n\
         docker: Error response from daemon: hcs::CreateComputeSystem {}…\n",
        &id[..13],
        &id[..54],
    );
    for out in every_format("run.txt", &text) {
        // SARIF and the annotations name the finding code, not the HCS code.
        assert!(out.contains("0xc0370101") || out.contains("WC1"), "{out}");
        assert!(!out.contains(&id[..8]), "an ID prefix survived:\n{out}");
    }
}

/// The report of `text` read as one input, redacted, in every format (the
/// library path the CLI takes: parse, analyse, redact, render).
fn redacted_in_process(text: &str) -> Vec<String> {
    use wincompat::report::{render, ReportFormat, TextStyle};
    let parsed = wincompat::pipeline::parse_text("run.txt", text);
    let mut report = wincompat::analyze::analyze(&[parsed], &Default::default());
    wincompat::report::redact::redact(&mut report);
    // --explain: the text report with every line it can print.
    let text = ReportFormat::Text(TextStyle {
        explain: true,
        ..TextStyle::plain(100)
    });
    [
        text,
        ReportFormat::Json,
        ReportFormat::Markdown,
        ReportFormat::Sarif,
        ReportFormat::Github,
    ]
    .into_iter()
    .map(|format| {
        let mut out = Vec::new();
        render(&report, format, &mut out).expect("render");
        String::from_utf8(out).expect("UTF-8")
    })
    .collect()
}

/// See: issue 15, "evidence excerpts are cut with `…` before redaction, so
/// 50 of 64 hex digits of a container id, or 22 characters of a pod UID,
/// survive". The ID and the UID sit wherever a cut may fall: the display
/// cuts of text and Markdown, and the window a very long line is stored in.
#[test]
fn an_id_at_the_excerpt_edge_is_redacted_whole() {
    let id = "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";
    let uid = "6a1f3b2c-0d4e-4f5a-8b6c-7d8e9f0a1b2c";
    let pads = (0..320)
        .step_by(3)
        .chain((1700..2200).step_by(11))
        .chain([4000, 9000]);
    for pad in pads {
        let text = format!(
            "docker: Error response from daemon: {} pod uid {uid} container {id} encountered an error during CreateContainer: failure in a Windows system call: The container operating system does not match the host operating system. (0xc0370101) {}\n",
            "x ".repeat(pad / 2),
            "trailing context ".repeat(20),
        );
        for out in redacted_in_process(&text) {
            // SARIF and the annotations name the finding code, not the HCS code.
            assert!(out.contains("0xc0370101") || out.contains("WC1"), "{out}");
            for i in 0..=56 {
                assert!(
                    !out.contains(&id[i..i + 8]),
                    "pad {pad}: part of the ID survived:\n{out}"
                );
            }
            for part in [&uid[..8], &uid[24..], &uid[14..]] {
                assert!(
                    !out.contains(part),
                    "pad {pad}: part of the UID survived:\n{out}"
                );
            }
        }
    }
}

/// See: issue 15, "names inside the inferred-from text of a version (`api.2
/// runs fabrikam/api:7.2.0-ltsc2022`) survive".
#[test]
fn names_in_inferred_from_text_are_redacted() {
    let text = "ID                          NAME        IMAGE                            NODE        DESIRED STATE   CURRENT STATE          ERROR   PORTS\n\
q7d2m9x4k1a8f3h6j0l5p9s2d   api.2       fabrikam/api:7.2.0-ltsc2022      swarm-w7    Running         Running 3 days ago\n\
w4n8c3v6b0s5g7h2j9k4l1z6x   billing.1   contoso.azurecr.io/billing:1.0-ltsc2019   swarm-w7    Shutdown        Failed 14 seconds ago   \"starting container failed: container 5b1e9c7a3d2f4e6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e9f2a4b6c8d0e1f3a encountered an error during CreateContainer: failure in a Windows system call: The container operating system does not match the host operating system. (0xc0370101)\"\n";
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("ps.txt"), text).expect("write");
    let (plain, _) = run(dir.path(), &["-f", "json"]);
    assert!(
        plain.contains("api.2 runs fabrikam/api:7.2.0-ltsc2022"),
        "no inferred-from text to redact:\n{plain}"
    );
    for format in ["text", "json", "markdown"] {
        let (out, _) = run(dir.path(), &["--redact", "--explain", "-o", format]);
        assert!(out.contains("7.2.0-ltsc2022"), "the tag is kept:\n{out}");
        for name in ["api.2", "fabrikam", "swarm-w7", "billing", "contoso"] {
            assert!(!out.contains(name), "{name} survived in {format}:\n{out}");
        }
    }
}

/// See: issue 15, "stderr warnings (`skipped NAME`) are not redacted".
#[test]
fn skipped_warning_on_stderr_is_redacted() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("run.txt"),
        "docker: Error response from daemon: container 5b1e9c7a3d2f encountered an error during CreateContainer: failure in a Windows system call: The container operating system does not match the host operating system. (0xc0370101)\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("win-prod-node-17.dmp"), b"MDMP\0\0\0\0\x01").expect("write");
    let (_, plain) = run(dir.path(), &["-f", "json"]);
    assert!(
        plain.contains("skipped") && plain.contains("win-prod-node-17"),
        "{plain}"
    );
    let (out, err) = run(dir.path(), &["--redact", "-f", "json"]);
    assert!(
        err.contains("skipped"),
        "the warning is still given:\n{err}"
    );
    assert!(!err.contains("win-prod-node-17"), "stderr:\n{err}");
    assert!(!out.contains("win-prod-node-17"), "stdout:\n{out}");
    // The same token in the warning and in the report's list of inputs.
    let token = err
        .split_whitespace()
        .find(|w| w.starts_with("input-"))
        .map(|w| w.trim_end_matches(':'))
        .expect("a token in the warning");
    assert!(out.contains(token), "{token} not in the report:\n{out}");
}

/// With nothing readable there is no report, yet the warnings are redacted.
#[test]
fn warnings_are_redacted_when_nothing_could_be_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("win-prod-node-17.dmp"), b"MDMP\0\0\0\0\x01").expect("write");
    let out = wincompat()
        .args(["--redact"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("skipped"), "{err}");
    assert!(!err.contains("win-prod-node-17"), "{err}");
}
