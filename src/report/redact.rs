//! `--redact`: replace identifying values everywhere in a `Report` with
//! stable tokens (`node-1`, `pod-1`, `container-1`, `registry-1/image-1`,
//! `guid-1`, `ip-1`, `path-1`, …) so a report can go into a public issue.
//!
//! A transform of the `Report` before any renderer sees it: every format,
//! present and future, prints only what is left. It runs on whole text —
//! evidence holds the line as read (`model::excerpt::window`, which never
//! splits a token), and renderers cut it for display afterwards — so an
//! identifier is never half in the excerpt and half out of it (issue 15).
//!
//! Two passes. First a map is built, by kind of identifier: names the
//! analysis put in structured fields (nodes, workloads, container IDs,
//! images, HCS names and paths, input names), names inside the sentences
//! that say where a version came from, then every string is scanned with
//! regexes for GUIDs, IPs, container IDs and their prefixes of 8+ hex
//! digits, user and layer paths, and names in the contexts the parsers know
//! (pods of events and kubelet logs, sandbox events included; nodes;
//! services; containers; images of events and descriptions). Then one
//! rewrite pass replaces every occurrence (ASCII case-insensitive, whole
//! identifiers only, leftmost-longest) in every string field. Same value →
//! same token. [`redact_with_texts`] applies the same map to other texts
//! (saved files, the warnings printed on stderr).
//!
//! Kept on purpose: build numbers and versions, error codes, kinds, release
//! names, Microsoft's image references (`mcr.microsoft.com`, Docker Hub's
//! legacy `microsoft/…`) and public infrastructure images (`registry.k8s.io`,
//! explicit `docker.io/library/…`), the tags of any image (they carry the
//! OS release), digests, timestamps and fix commands' structure. This
//! module knows the `Report` shape and identifier shapes, nothing about
//! input formats or compatibility.

use crate::model::finding::{Evidence, Finding, Fix, InputSummary, NodeSummary, OsInfo, Report};
use crate::model::{HcsInfo, HcsLayer, ImageRef, Orchestrator};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a token stands for; the order is the order of the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Category {
    Node,
    Pod,
    Workload,
    Namespace,
    Container,
    SwarmId,
    Registry,
    Image,
    Secret,
    Host,
    Guid,
    Ip,
    Path,
    Input,
}

impl Category {
    const ALL: [Category; 14] = [
        Category::Node,
        Category::Pod,
        Category::Workload,
        Category::Namespace,
        Category::Container,
        Category::SwarmId,
        Category::Registry,
        Category::Image,
        Category::Secret,
        Category::Host,
        Category::Guid,
        Category::Ip,
        Category::Path,
        Category::Input,
    ];

    fn prefix(self) -> &'static str {
        match self {
            Category::Node => "node",
            Category::Pod => "pod",
            Category::Workload => "workload",
            Category::Namespace => "ns",
            Category::Container => "container",
            Category::SwarmId => "id",
            Category::Registry => "registry",
            Category::Image => "image",
            Category::Secret => "secret",
            Category::Host => "host",
            Category::Guid => "guid",
            Category::Ip => "ip",
            Category::Path => "path",
            Category::Input => "input",
        }
    }

    /// Summary wording: (singular, plural).
    fn noun(self) -> (&'static str, &'static str) {
        match self {
            Category::Node => ("node name", "node names"),
            Category::Pod => ("pod name", "pod names"),
            Category::Workload => ("workload name", "workload names"),
            Category::Namespace => ("namespace", "namespaces"),
            Category::Container => ("container ID", "container IDs"),
            Category::SwarmId => ("Swarm ID", "Swarm IDs"),
            Category::Registry => ("registry", "registries"),
            Category::Image => ("image repository", "image repositories"),
            Category::Secret => ("secret volume", "secret volumes"),
            Category::Host => ("host name", "host names"),
            Category::Guid => ("GUID", "GUIDs"),
            Category::Ip => ("IP address", "IP addresses"),
            Category::Path => ("path", "paths"),
            Category::Input => ("input name", "input names"),
        }
    }
}

/// Words that are never treated as identifiers even when a field holds
/// them (a node literally called `windows` would otherwise rewrite prose).
const KEEP_WORDS: &[&str] = &[
    "default",
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "windows",
    "linux",
    "process",
    "hyperv",
    "docker",
    "containerd",
    "kubelet",
    "localhost",
    "unknown",
    "none",
    "<none>",
    "pod",
    "pods",
    "node",
    "nodes",
    "null",
    "true",
    "false",
    "container",
    "image",
    "service",
    "stdin",
    "-",
    "<stdin>",
    // API subresources (`pods/log`, `nodes/proxy`) a context rule may meet.
    "log",
    "exec",
    "status",
    "eviction",
    "binding",
    "attach",
    "proxy",
    "portforward",
];

/// Registry hosts (and public sites that look like them) whose references
/// are public knowledge and stay readable.
fn is_public_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    // Also the label/annotation prefixes (`node.kubernetes.io/windows-build`).
    ["microsoft.com", "kubernetes.io", "k8s.io", "docker.com"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || matches!(
            host.as_str(),
            "docker.io"
                | "index.docker.io"
                | "registry-1.docker.io"
                | "docker.com"
                | "docs.docker.com"
                | "registry.k8s.io"
                | "k8s.gcr.io"
                | "k8s.io"
                | "kubernetes.io"
                | "github.com"
        )
}

/// Hosted registry services: a `host/path` on one of them is an image
/// reference even without a tag.
const REGISTRY_SUFFIXES: &[&str] = &[
    "azurecr.io",
    "azurecr.cn",
    "gcr.io",
    "pkg.dev",
    "amazonaws.com",
    "ghcr.io",
    "quay.io",
    "jfrog.io",
    "ocir.io",
];

/// The identifier → token map being built.
#[derive(Default)]
struct Tokens {
    /// Normalised identifier → token.
    by_key: HashMap<String, String>,
    /// Lower-cased literal spelling → token (what the rewrite searches for).
    literals: HashMap<String, String>,
    counts: HashMap<Category, usize>,
}

impl Tokens {
    /// Register `literal` as a `category` identifier; returns its token.
    /// Spellings that differ only in case or in doubled backslashes (JSON
    /// escaping) share a token.
    fn add(&mut self, category: Category, literal: &str) -> Option<String> {
        let literal = literal.trim();
        // Addresses (and a cut container ID) may be all digits and dots;
        // for names that means a version.
        let numeric = !matches!(category, Category::Ip | Category::Container);
        if !worth_redacting(literal)
            || (numeric && literal.chars().all(|c| c.is_ascii_digit() || c == '.'))
        {
            return None;
        }
        let key = normalise(literal);
        let token = match self.by_key.get(&key) {
            Some(t) => t.clone(),
            None => {
                let n = self.counts.entry(category).or_insert(0);
                *n += 1;
                let mut token = format!("{}-{n}", category.prefix());
                if category == Category::Input {
                    token.push_str(&extension(literal));
                }
                self.by_key.insert(key, token.clone());
                token
            }
        };
        self.literals
            .entry(literal.to_ascii_lowercase())
            .or_insert_with(|| token.clone());
        Some(token)
    }

    /// Register another spelling for an existing token (a short container
    /// ID for its long form, `registry/repo` for its two parts).
    fn alias(&mut self, literal: &str, token: &str) {
        let literal = literal.trim();
        if worth_redacting(literal) {
            self.by_key
                .entry(normalise(literal))
                .or_insert_with(|| token.to_owned());
            self.literals
                .entry(literal.to_ascii_lowercase())
                .or_insert_with(|| token.to_owned());
        }
    }

    fn known(&self, literal: &str) -> bool {
        self.by_key.contains_key(&normalise(literal.trim()))
    }

    fn summary(&self) -> Vec<String> {
        Category::ALL
            .iter()
            .filter_map(|c| {
                let n = *self.counts.get(c)?;
                let (one, many) = c.noun();
                Some(format!("{n} {}", if n == 1 { one } else { many }))
            })
            .collect()
    }
}

fn worth_redacting(literal: &str) -> bool {
    let lower = literal.to_ascii_lowercase();
    literal.chars().count() >= 2 && !KEEP_WORDS.contains(&lower.as_str())
}

/// Case-folded, with runs of backslashes collapsed (JSON-escaped paths).
fn normalise(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    let mut prev_backslash = false;
    for c in literal.chars() {
        if c == '\\' && prev_backslash {
            continue;
        }
        prev_backslash = c == '\\';
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `.txt` from `logs/pods.txt`; empty when there is no short extension.
fn extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            format!(".{ext}")
        }
        _ => String::new(),
    }
}

/// Redact `report` in place and record what was replaced in
/// `report.redactions` (e.g. `"2 node names"`, `"1 container ID"`).
///
/// `win22-node-01` → `node-1`, `contoso.azurecr.io/billing/api:1.0` →
/// `registry-1/image-1:1.0`, `C:\Users\alice\app` → `path-1`; the build
/// `10.0.17763`, `0xc0370101` and `mcr.microsoft.com/windows/servercore:ltsc2019`
/// stay as they are.
pub fn redact(report: &mut Report) {
    let mut tokens = Tokens::default();
    collect_structured(report, &mut tokens);
    visit_report(report, &mut |s| scan(s, &mut tokens));
    let rewriter = Rewriter::new(&tokens);
    if let Some(rw) = &rewriter {
        visit_report(report, &mut |s| {
            if let Some(new) = rw.apply(s) {
                *s = new;
            }
        });
    }
    report.redactions = tokens.summary();
}

/// Identifiers a collector saw while gathering (`wincompat collect`),
/// which the report may not mention (healthy pods, other nodes): they are
/// redacted in the saved files too.
#[derive(Debug, Clone, Default)]
pub struct KnownNames {
    pub nodes: Vec<String>,
    /// `ns/pod` (Kubernetes), service or container names (Docker).
    pub workloads: Vec<String>,
    /// Container IDs (64 hex digits or runtime IDs).
    pub containers: Vec<String>,
}

/// `--redact` for `wincompat collect --save` and for the lines an analysis
/// prints on stderr: redact `report` like [`redact`] and rewrite `texts`
/// (the saved files, the warnings) with the same tokens,
/// so the saved folder and the report say `node-1` for the same node.
/// Identifiers found only in the texts (GUIDs, IPs, paths, names in their
/// contexts) are added to the same map.
pub fn redact_with_texts(report: &mut Report, known: &KnownNames, texts: &mut [String]) {
    let mut tokens = Tokens::default();
    collect_structured(report, &mut tokens);
    let kube = is_kubernetes(report);
    for node in &known.nodes {
        tokens.add(Category::Node, node);
    }
    for workload in &known.workloads {
        add_workload(&mut tokens, workload, kube);
    }
    for id in &known.containers {
        add_container(&mut tokens, id);
    }
    visit_report(report, &mut |s| scan(s, &mut tokens));
    for text in texts.iter() {
        scan(text, &mut tokens);
    }
    if let Some(rw) = Rewriter::new(&tokens) {
        visit_report(report, &mut |s| {
            if let Some(new) = rw.apply(s) {
                *s = new;
            }
        });
        for text in texts.iter_mut() {
            if let Some(new) = rw.apply(text) {
                *text = new;
            }
        }
    }
    report.redactions = tokens.summary();
}

/// `--redact` for lines that go to stderr when there is no report to share
/// a map with (nothing could be read or collected): the input names and
/// the names a collector saw, and whatever the scan finds in the lines, are
/// replaced with tokens of the same kinds as a report's.
pub fn redact_lines(known: &KnownNames, input_names: &[String], lines: &mut [String]) {
    let mut tokens = Tokens::default();
    for node in &known.nodes {
        tokens.add(Category::Node, node);
    }
    for workload in &known.workloads {
        add_workload(&mut tokens, workload, false);
    }
    for id in &known.containers {
        add_container(&mut tokens, id);
    }
    for name in input_names {
        add_input(&mut tokens, name);
    }
    for line in lines.iter() {
        scan(line, &mut tokens);
    }
    if let Some(rw) = Rewriter::new(&tokens) {
        for line in lines.iter_mut() {
            if let Some(new) = rw.apply(line) {
                *line = new;
            }
        }
    }
}

/// Does the report come from Kubernetes output (workloads are pods)?
fn is_kubernetes(report: &Report) -> bool {
    report
        .inputs
        .iter()
        .flat_map(|i| &i.sections)
        .any(|s| s.kind.orchestrator() == Some(Orchestrator::Kubernetes))
}

/// Names inside the sentences that say where a version came from
/// (`analyze::wording::source_text`): `inferred: api.2 runs
/// fabrikam/api:7.2.0-ltsc2022 (build …)`, `… runs with process isolation
/// on win-b (10.0.20348)`, `inspect of contoso/app:1`, `registry:
/// contoso.azurecr.io/app@sha256:…`, `… is 10.0.17763 on win-a; …`. They name
/// other workloads, images and nodes than the finding's own fields.
fn scan_version_source(from: &str, t: &mut Tokens, kube: bool) {
    static RULES: OnceLock<Option<[Regex; 4]>> = OnceLock::new();
    let Some([runs, on_node, of_image, registry]) = RULES
        .get_or_init(|| {
            Some([
                Regex::new(r"(?:^inferred: |, since )(\S+) runs (\S+) (?:\(build|with)").ok()?,
                Regex::new(r"(?: on |, since )([^\s;()]+)(?: \(|;)").ok()?,
                Regex::new(r"^(?:inspect|manifest) of (\S+)$").ok()?,
                Regex::new(r"^registry: ([^\s@]+)@").ok()?,
            ])
        })
        .as_ref()
    else {
        return;
    };
    if let Some(c) = runs.captures(from) {
        if let (Some(w), Some(i)) = (c.get(1), c.get(2)) {
            add_workload(t, w.as_str(), kube);
            add_image(t, i.as_str());
        }
    }
    for c in on_node.captures_iter(from) {
        if let Some(n) = c.get(1) {
            if !t.known(n.as_str()) && !n.as_str().starts_with(|c: char| c.is_ascii_digit()) {
                t.add(Category::Node, n.as_str());
            }
        }
    }
    for re in [of_image, registry] {
        if let Some(i) = re.captures(from).and_then(|c| c.get(1)) {
            add_image(t, i.as_str());
        }
    }
}

/// Identifiers the analysis already isolated in fields.
fn collect_structured(report: &Report, t: &mut Tokens) {
    for node in &report.nodes {
        t.add(Category::Node, &node.name);
    }
    for f in &report.findings {
        if let Some(node) = &f.node {
            t.add(Category::Node, node);
        }
    }
    let kube = is_kubernetes(report);
    for f in &report.findings {
        if let Some(w) = &f.workload {
            add_workload(t, w, kube);
        }
    }
    for f in &report.findings {
        for id in [
            &f.container_id,
            &f.hcs.as_ref().and_then(|h| h.name.clone()),
        ]
        .into_iter()
        .flatten()
        {
            add_container(t, id);
        }
        if let Some(hcs) = &f.hcs {
            if let Some(id) = &hcs.network_shared_container_name {
                add_container(t, id);
            }
            // HostName is the node's name or the container's short ID when
            // it is one of those; otherwise it is a host of its own.
            if let Some(host) = &hcs.host_name {
                if !t.known(host) {
                    t.add(Category::Host, host);
                }
            }
            for layer in &hcs.layers {
                t.add(Category::Path, &layer.path);
                // A layer ID is a GUID, whole or as a paste cut it.
                if !t.known(&layer.id) {
                    t.add(Category::Guid, &layer.id);
                }
            }
            if let Some(p) = &hcs.layer_folder_path {
                t.add(Category::Path, p);
            }
            if let Some(dirs) = &hcs.mapped_directories {
                collect_host_paths(dirs, t, 0);
            }
        }
    }
    for f in &report.findings {
        if let Some(image) = &f.image {
            add_image(t, image);
        }
    }
    for f in &report.findings {
        for os in [&f.host, &f.image_os].into_iter().flatten() {
            scan_version_source(&os.from, t, kube);
        }
    }
    for input in &report.inputs {
        add_input(t, &input.name);
    }
    for f in &report.findings {
        let os_evidence = [&f.host, &f.image_os]
            .into_iter()
            .flatten()
            .filter_map(|o| o.evidence.as_ref());
        for ev in f.evidence.iter().chain(os_evidence) {
            add_input(t, &ev.input);
        }
    }
    for node in &report.nodes {
        for s in &node.sources {
            add_input(t, &s.input);
        }
    }
}

fn add_input(t: &mut Tokens, name: &str) {
    if let Some(token) = t.add(Category::Input, name) {
        // Also the bare file name, as messages may print it without folders.
        if let Some(base) = name.rsplit(['/', '\\']).next() {
            if base != name && !base.is_empty() {
                t.alias(base, &token);
            }
        }
    }
}

/// Shortest hex run taken for a container ID or a prefix of one.
const MIN_HEX_ID: usize = 8;

fn add_container(t: &mut Tokens, id: &str) {
    if let Some(token) = t.add(Category::Container, id) {
        // `docker ps` and HCS HostName print the first 12 hex digits, cut
        // errors and tables any other number of them: every prefix of 8 or
        // more digits is the same container (also an all-decimal one, which
        // the scan alone could not tell from a number).
        if id.len() == 64 && id.chars().all(|c| c.is_ascii_hexdigit()) {
            for n in MIN_HEX_ID..64 {
                if let Some(short) = id.get(..n) {
                    t.alias(short, &token);
                }
            }
        }
    }
}

/// A workload name: `ns/pod`, a Kubernetes pod with generated suffixes
/// (whose Deployment/ReplicaSet prefixes are workloads too), a Swarm task
/// `service.N[.taskid]`, or a plain service/container name.
fn add_workload(t: &mut Tokens, name: &str, kube: bool) {
    static POD: OnceLock<Option<Regex>> = OnceLock::new();
    static TASK: OnceLock<Option<Regex>> = OnceLock::new();
    let (ns, name) = match name.split_once('/') {
        Some((ns, rest)) => (Some(ns), rest),
        None => (None, name),
    };
    if let Some(ns) = ns {
        t.add(Category::Namespace, ns);
    }
    // Kubernetes generated names: <deploy>-<rs hash>-<5>, <owner>-<5>.
    let pod = regex_once(
        &POD,
        r"^(([a-z0-9][a-z0-9.-]*?)-[a-z0-9]{6,10})-[a-z0-9]{5}$|^([a-z0-9][a-z0-9.-]*?)-[a-z0-9]{5}$",
    );
    let task = regex_once(
        &TASK,
        r"^([A-Za-z0-9][A-Za-z0-9_.-]*?)\.\d+(?:\.[a-z0-9]{25})?$",
    );
    if let Some(caps) = task.and_then(|re| re.captures(name)) {
        if let Some(service) = caps.get(1) {
            t.add(Category::Workload, service.as_str());
            return;
        }
    }
    if let Some(caps) = pod.and_then(|re| re.captures(name)) {
        t.add(Category::Pod, name);
        for owner in [caps.get(1), caps.get(2), caps.get(3)]
            .into_iter()
            .flatten()
        {
            if owner.as_str().len() >= 3 {
                t.add(Category::Workload, owner.as_str());
            }
        }
        return;
    }
    let category = if kube || ns.is_some() {
        Category::Pod
    } else {
        Category::Workload
    };
    t.add(category, name);
}

/// A non-Microsoft image's registry host and repository path; the tag and
/// digest are kept. `contoso.azurecr.io/billing/api:1.0` registers
/// `contoso.azurecr.io` → `registry-1`, `billing/api` → `image-1`.
fn add_image(t: &mut Tokens, image: &str) {
    let image = image
        .trim()
        .trim_start_matches("docker-pullable://")
        .trim_start_matches("docker://");
    if image.len() > 255 || image.to_ascii_lowercase().starts_with("sha256:") {
        return;
    }
    let Ok(parsed) = ImageRef::parse(image) else {
        return;
    };
    let name = image.split(['@']).next().unwrap_or(image);
    let name = match name.rsplit_once(':') {
        Some((n, tag)) if !tag.contains('/') => n,
        _ => name,
    };
    // A bare `billing:1.0` is `docker.io/library/billing` to Docker, but in
    // a Windows cluster it is as often a locally built, private name: only
    // an explicit `library/…` is taken for an official image.
    let bare = !name.contains('/');
    let official = parsed.registry == "docker.io"
        && ((parsed.repository.starts_with("library/") && !bare)
            || parsed.repository.starts_with("microsoft/"));
    if is_public_host(&parsed.registry) && (parsed.registry != "docker.io" || official) {
        return;
    }
    if bare {
        t.add(Category::Image, name);
        return;
    }
    let repo = t.add(Category::Image, &parsed.repository);
    if parsed.registry == "docker.io" {
        return;
    }
    let registry = t.add(Category::Registry, &parsed.registry);
    if let (Some(registry), Some(repo)) = (registry, repo) {
        t.alias(
            &format!("{}/{}", parsed.registry, parsed.repository),
            &format!("{registry}/{repo}"),
        );
    }
}

/// `HostPath` values of HCS `MappedDirectories`.
fn collect_host_paths(value: &Value, t: &mut Tokens, depth: usize) {
    if depth > 16 {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_host_paths(v, t, depth + 1)),
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if k.eq_ignore_ascii_case("HostPath") => {
                        t.add(Category::Path, s);
                    }
                    _ => collect_host_paths(v, t, depth + 1),
                }
            }
        }
        _ => {}
    }
}

fn regex_once(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// A check on the text around a regex match: `(text, start, end)`.
type Check = fn(&str, usize, usize) -> bool;

/// One regex rule of the scan: which category its capture group 1 (or the
/// whole match) belongs to, and a check on the text around it.
struct Rule {
    category: Category,
    regex: Regex,
    check: Check,
}

fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let spec: [(Category, &str, Check); 30] = [
            // Layer and sandbox folders: `C:\ProgramData\docker\windowsfilter\<id>\…`.
            (
                Category::Path,
                r"(?i)(?:\b[a-z]:)?(?:[\\/]+[^\\/\s'<>|,;]+)*?[\\/]+windowsfilter[\\/]+[0-9a-f]{64}(?:[\\/]+[^\\/\s'<>|,;]+)*",
                any,
            ),
            // `C:\Users\alice\…` (also JSON-escaped and with forward slashes).
            (Category::Path, r#"(?i)\b[a-z]:[\\/]+users[\\/]+[^\s"'<>|,;]+"#, any),
            // `/home/alice/…`, `/Users/alice/…` (inputs named from a Linux or
            // macOS workstation).
            (Category::Path, r#"(?:^|[\s"'=(])((?:/home|/Users|/root)/[^\s"'<>|,;]+)"#, any),
            // (No `\b` in this rule and the next three, the check says what
            // a boundary is: `_` is a word character to the regex, and
            // docker-shim names put a pod UID between two,
            // `k8s_POD_web-0_shop_<uid>_0`, kubelet a pod name before one,
            // `web-7d9f8c6b5-x2k4p_shop(<uid>)`. The last group may be cut.)
            (
                Category::Guid,
                r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4,12}",
                bounded,
            ),
            (
                Category::Ip,
                r"\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b",
                ipv4_alone,
            ),
            (
                Category::Ip,
                r"(?i)(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?",
                ipv6_alone,
            ),
            // Container and layer IDs; image digests (`sha256:…`) are kept.
            (Category::Container, r"(?i)[0-9a-f]{64}", not_digest),
            // Their prefixes, whatever their length (a 12-digit short ID, a
            // 13-digit one printed by a cut error, 54 digits before a `…`).
            (Category::Container, r"(?i)[0-9a-f]{8,63}", hex_prefix),
            // Swarm node/task/service IDs.
            (Category::SwarmId, r"\b[a-z0-9]{25}\b", swarm_id),
            (
                Category::Secret,
                r"\b(?:[a-z0-9][a-z0-9-]*-token-[a-z0-9]{5}|kube-api-access-[a-z0-9]{5})\b",
                bounded,
            ),
            // The pod of a kubelet event or log line, sandbox events
            // included: `for pod "web-7d9f8c6b5-x2k4p"`, `pod="shop/web-0"`,
            // `pod/web-0` (the OBJECT column), `pods/web-0` (API paths),
            // `podName: web-0`.
            (
                Category::Pod,
                r#"(?i)\bpods?\s*=?\s*\\*"([a-z0-9][a-z0-9.-]*(?:/[a-z0-9][a-z0-9.-]*)?)\\*""#,
                any,
            ),
            (Category::Pod, r#"(?i)(?:^|[\s"'(\[,=])pod/([a-z0-9][a-z0-9.-]*)"#, any),
            (
                Category::Pod,
                r#"(?i)\bpod_?name\\*"?\s*[:=]\s*\\*"?([a-z0-9][a-z0-9.-]*)"#,
                any,
            ),
            // Docker-shim container names: `k8s_POD_<pod>_<ns>_<uid>_<n>`.
            (
                Category::Pod,
                r"\bk8s_[A-Za-z0-9-]+_([a-z0-9][a-z0-9.-]*_[a-z0-9][a-z0-9-]*)_",
                any,
            ),
            // kubelet's `<pod>_<ns>(<uid>)`.
            (
                Category::Pod,
                r"(?i)([a-z0-9][a-z0-9.-]*_[a-z0-9][a-z0-9-]*)\([0-9a-f]{8}-",
                any,
            ),
            // A Deployment's pod wherever it is printed: `<name>-<hash>-<5>`,
            // the five from Kubernetes' vowel-free alphabet.
            (
                Category::Pod,
                r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?-[a-z0-9]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}",
                bounded,
            ),
            // Swarm services: `service "billing"`, `service=billing`,
            // `com.docker.swarm.service.name=billing`.
            (
                Category::Workload,
                r#"(?i)(?:\bservice\s*=?\s*\\*"|\bservice=|\bservice\.name=|\bservice_?name\\*"?\s*[:=]\s*\\*"?)([A-Za-z0-9][A-Za-z0-9_.-]*)"#,
                any,
            ),
            // Controllers and containers of a pod: `deployment/web`,
            // `kubectl set image deployment/web web=…`, `Created container
            // web`, `Back-off restarting failed container web in pod …`,
            // `container "web"`.
            (
                Category::Workload,
                r#"(?i)(?:^|[\s"'(\[,=])(?:deployments?|daemonsets?|statefulsets?|replicasets?|jobs?|cronjobs?)(?:\.apps)?/([a-z0-9][a-z0-9.-]*)"#,
                any,
            ),
            (
                Category::Workload,
                r"(?i)\bset\s+image\s+\S+\s+([A-Za-z0-9][A-Za-z0-9_.-]*)=",
                any,
            ),
            (
                Category::Workload,
                r#"(?i)(?:\b(?:restarting failed|created|started|killing|stopping)\s+container\s+|\bcontainer\s+\\*")([a-z0-9][a-z0-9_.-]*)"#,
                any,
            ),
            // Images named in events and descriptions: `image "x:1"`,
            // `Image: x:1`, `image=x:1`.
            (
                Category::Image,
                r#"(?i)(?:\bimage\s*=?\s*\\*"|\bimage:\s+|\bimage=)([A-Za-z0-9][A-Za-z0-9_./:@-]*)"#,
                any,
            ),
            // `node/win-a` (OBJECT column), `nodes/win-a`, `node="win-a"`.
            (
                Category::Node,
                r#"(?i)(?:(?:^|[\s"'(\[,=])node/|\bnode_?name\\*"?\s*[:=]\s*\\*"?|\bnode\s*=\s*\\*"?|\bon\s+node\s+\\*"?)([a-z0-9][a-z0-9.-]*)"#,
                any,
            ),
            // The machine a klog file was written on.
            (
                Category::Node,
                r"(?i)\bRunning on machine:\s+([a-z0-9][a-z0-9.-]*)",
                any,
            ),
            // Default Windows machine names (`WIN-BSTMQDRQC2E`).
            (Category::Node, r"(?i)\bWIN-[A-Z0-9]{11}\b", bounded),
            // `Node: win-a/10.0.0.4` (describe pod), `kubelet, win-a` (old event source).
            (
                Category::Node,
                r"(?i)(?:\bNode:\s+|\bkubelet,\s*|\bto\s+node\s+)([a-z0-9][a-z0-9.-]*)",
                any,
            ),
            // `Successfully assigned ns/pod to node`.
            (
                Category::Namespace,
                r"(?i)\bassigned\s+([a-z0-9][a-z0-9-]*)/[a-z0-9]",
                any,
            ),
            (
                Category::Node,
                r"(?i)\bassigned\s+[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9.-]*\s+to\s+([a-z0-9][a-z0-9.-]*)",
                any,
            ),
            (
                Category::Namespace,
                r#"(?i)(?:\bnamespace\\?"?\s*[:=]\s*\\?"?|\bnamespaces/|--namespace[= ]|\s-n\s+)([a-z0-9][a-z0-9-]{0,62})"#,
                any,
            ),
            (
                Category::Host,
                r#"(?i)\bhost_?name\\?"?\s*[:=]\s*\\?"?([a-z0-9][a-z0-9.-]*)"#,
                any,
            ),
            // Registry references without a scheme: `contoso.azurecr.io/billing/api`.
            (
                Category::Registry,
                r"(?i)\b((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?::\d{1,5})?)/([a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)([:@][A-Za-z0-9_][A-Za-z0-9_.:-]*)?",
                not_url,
            ),
        ];
        spec.into_iter()
            .filter_map(|(category, pattern, check)| {
                Some(Rule {
                    category,
                    regex: Regex::new(pattern).ok()?,
                    check,
                })
            })
            .collect()
    })
}

/// Scan one string for identifiers the structured fields did not name.
fn scan(text: &str, t: &mut Tokens) {
    for rule in rules() {
        for caps in rule.regex.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            if !(rule.check)(text, whole.start(), whole.end()) {
                continue;
            }
            if rule.category == Category::Registry {
                add_scanned_image(t, &caps);
                continue;
            }
            let m = caps.get(1).unwrap_or(whole);
            match rule.category {
                Category::Container => add_container(t, m.as_str()),
                Category::Pod if m.as_str().contains('_') => {
                    // `<pod>_<ns>` of a docker-shim name.
                    if let Some((pod, ns)) = m.as_str().split_once('_') {
                        add_workload(t, &format!("{ns}/{pod}"), true);
                    }
                }
                Category::Pod if !t.known(m.as_str()) => add_workload(t, m.as_str(), true),
                Category::Image => add_image(t, m.as_str().trim_end_matches(['.', ':'])),
                Category::Workload if !t.known(m.as_str()) => add_workload(t, m.as_str(), false),
                // A name found in context that is already known keeps its token.
                c if t.known(m.as_str()) => {
                    let _ = c;
                }
                c => {
                    t.add(c, m.as_str());
                }
            }
        }
    }
}

/// A `host/path` found by the registry rule: only hosts that look like
/// registries (a dotted name with an alphabetic top-level label, or a port)
/// and that are not public.
fn add_scanned_image(t: &mut Tokens, caps: &regex::Captures<'_>) {
    let (Some(host), Some(repo)) = (caps.get(1), caps.get(2)) else {
        return;
    };
    let host = host.as_str();
    let name = host.split(':').next().unwrap_or(host);
    let tld_alpha = name
        .rsplit('.')
        .next()
        .is_some_and(|l| l.len() >= 2 && l.chars().all(|c| c.is_ascii_alphabetic()));
    let docker_hub = name.eq_ignore_ascii_case("docker.io");
    if !(tld_alpha || host.contains(':')) || (is_public_host(name) && !docker_hub) {
        return;
    }
    // A dotted name followed by a path is also a URL without scheme or a
    // label key (`example.com/tier`): take it for an image only when it is
    // pinned (`:tag`, `@digest`), has a port, or is a known registry service.
    let pinned = caps.get(3).is_some();
    let registry_like = REGISTRY_SUFFIXES
        .iter()
        .any(|s| name.to_ascii_lowercase().ends_with(s))
        || name.to_ascii_lowercase().contains("registry");
    if !(pinned || host.contains(':') || registry_like || docker_hub) {
        return;
    }
    add_image(t, &format!("{host}/{}", repo.as_str()));
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

fn before(text: &str, start: usize) -> Option<char> {
    text.get(..start).and_then(|s| s.chars().next_back())
}

fn after(text: &str, end: usize) -> Option<char> {
    text.get(end..).and_then(|s| s.chars().next())
}

/// Up to `n` bytes before `start` (fewer at a char boundary), so that the
/// checks stay constant-time on long lines.
fn lookbehind(text: &str, start: usize, n: usize) -> &str {
    let mut from = start.saturating_sub(n);
    while from < start && !text.is_char_boundary(from) {
        from += 1;
    }
    text.get(from..start).unwrap_or("")
}

fn any(_: &str, _: usize, _: usize) -> bool {
    true
}

/// Not glued to a longer identifier on either side.
fn bounded(text: &str, start: usize, end: usize) -> bool {
    !before(text, start).is_some_and(is_ident) && !after(text, end).is_some_and(is_ident)
}

/// An IPv4 address, not four numbers inside a longer dotted version.
fn ipv4_alone(text: &str, start: usize, end: usize) -> bool {
    let dotted_before = before(text, start) == Some('.')
        && text
            .get(..start.saturating_sub(1))
            .and_then(|s| s.chars().next_back())
            .is_some_and(|c| c.is_ascii_digit());
    let dotted_after = after(text, end) == Some('.')
        && text
            .get(end + 1..)
            .and_then(|s| s.chars().next())
            .is_some_and(|c| c.is_ascii_digit());
    bounded(text, start, end) && !dotted_before && !dotted_after
}

/// An IPv6 address with at least two groups, not part of a word or of a
/// Rust/C++ path (`hcs::System` is rejected by the word check).
fn ipv6_alone(text: &str, start: usize, end: usize) -> bool {
    let Some(m) = text.get(start..end) else {
        return false;
    };
    let groups = m.split(':').filter(|g| !g.is_empty()).count();
    groups >= 2
        && !before(text, start).is_some_and(|c| c.is_ascii_alphanumeric() || c == ':')
        && !after(text, end).is_some_and(|c| c.is_ascii_alphanumeric() || c == ':')
}

/// 64 hex digits that are not an image digest (`sha256:…`).
fn not_digest(text: &str, start: usize, end: usize) -> bool {
    let digest = lookbehind(text, start, 7).eq_ignore_ascii_case("sha256:");
    bounded(text, start, end) && !digest
}

/// A container ID's prefix of 8–63 hex digits: mixes letters and digits
/// (so numbers — sizes, dates — and hex-looking words are left alone), or
/// sits at a `…` where a line was cut (any digits then: the rest of the ID
/// was cut away). Not a digest, not a version's fraction (`.123456789`).
fn hex_prefix(text: &str, start: usize, end: usize) -> bool {
    let Some(m) = text.get(start..end) else {
        return false;
    };
    let cut = before(text, start) == Some('…')
        || after(text, end) == Some('…')
        || text.get(end..).is_some_and(|s| s.starts_with("..."));
    let mixed = m.chars().any(|c| c.is_ascii_digit()) && m.chars().any(|c| c.is_ascii_alphabetic());
    // A short git revision (`commit d579eae8`, `errors.go @ 8d6e435b`,
    // `Git commit: 2ee0c57608`) names public sources; IDs are printed with
    // 12 digits or more.
    let head = lookbehind(text, start, 16).trim_end().to_ascii_lowercase();
    let revision = m.len() < 12
        && (head.ends_with("commit") || head.ends_with("commit:") || head.ends_with('@'));
    // An all-decimal run after a dot is a fraction (`.123456789…`).
    not_digest(text, start, end)
        && !revision
        && (mixed || (cut && before(text, start) != Some('.')))
}

/// A 25-char Swarm ID: at least three digits and three letters.
fn swarm_id(text: &str, start: usize, end: usize) -> bool {
    let Some(m) = text.get(start..end) else {
        return false;
    };
    bounded(text, start, end)
        && m.chars().filter(|c| c.is_ascii_digit()).count() >= 3
        && m.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 3
}

/// Not part of an `http(s)://` URL (documentation links stay intact).
fn not_url(text: &str, start: usize, _end: usize) -> bool {
    let head = lookbehind(text, start, 8).to_ascii_lowercase();
    !(head.ends_with("http://") || head.ends_with("https://") || head.ends_with('/'))
}

/// The rewrite pass: every registered spelling, searched at once.
struct Rewriter {
    ac: AhoCorasick,
    tokens: Vec<String>,
}

impl Rewriter {
    fn new(t: &Tokens) -> Option<Rewriter> {
        if t.literals.is_empty() {
            return None;
        }
        let mut pairs: Vec<(&String, &String)> = t.literals.iter().collect();
        pairs.sort();
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(pairs.iter().map(|(k, _)| k.as_str()))
            .ok()?;
        Some(Rewriter {
            ac,
            tokens: pairs.into_iter().map(|(_, v)| v.clone()).collect(),
        })
    }

    /// The rewritten text, or `None` when nothing matched. Overlapping
    /// matches are all considered, those glued to a longer identifier are
    /// dropped, and the leftmost-longest of the rest win.
    fn apply(&self, text: &str) -> Option<String> {
        let mut found: Vec<(usize, usize, usize)> = self
            .ac
            .find_overlapping_iter(text)
            .filter(|m| bounded(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        if found.is_empty() {
            return None;
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        for (start, end, pattern) in found {
            if start < pos {
                continue;
            }
            let (Some(keep), Some(token)) = (text.get(pos..start), self.tokens.get(pattern)) else {
                continue;
            };
            out.push_str(keep);
            out.push_str(token);
            pos = end;
        }
        out.push_str(text.get(pos..).unwrap_or(""));
        Some(out)
    }
}

/// Call `f` on every string of the report that may hold an identifier.
/// Fixed vocabulary (kinds, codes, isolation, verdicts), versions, release
/// names, timestamps and tool info are not visited, so a name that happens
/// to equal such a word cannot corrupt them. Destructured
/// exhaustively so that a new model field fails to compile here until it
/// is classified.
fn visit_report(report: &mut Report, f: &mut dyn FnMut(&mut String)) {
    let Report {
        schema_version: _,
        tool: _,
        inputs,
        nodes,
        findings,
        summary: _,
        redactions: _,
    } = report;
    for input in inputs {
        let InputSummary {
            name,
            sections: _,
            warnings,
        } = input;
        f(name);
        warnings.iter_mut().for_each(&mut *f);
    }
    for node in nodes {
        let NodeSummary {
            name,
            os_version: _,
            build: _,
            revision: _,
            release: _,
            os_name,
            runtime,
            default_isolation: _,
            sources,
        } = node;
        f(name);
        // Free text that could name a host (`containerd://…` is harmless).
        for s in [os_name, runtime].into_iter().flatten() {
            f(s);
        }
        for s in sources {
            f(&mut s.input);
        }
    }
    for finding in findings {
        visit_finding(finding, f);
    }
}

fn visit_finding(finding: &mut Finding, f: &mut dyn FnMut(&mut String)) {
    let Finding {
        code: _,
        kind: _,
        severity: _,
        title,
        error_code: _,
        occurrences: _,
        first_seen: _,
        last_seen: _,
        workload,
        node,
        container_id,
        image,
        isolation: _,
        host,
        image_os,
        verdict: _,
        confidence: _,
        root_cause,
        rule: _,
        fixes,
        next_steps,
        evidence,
        hcs,
    } = finding;
    f(title);
    for s in [workload, node, container_id, image].into_iter().flatten() {
        f(s);
    }
    for os in [host, image_os].into_iter().flatten() {
        let OsInfo {
            version: _,
            build: _,
            revision: _,
            release: _,
            from,
            evidence,
            digest: _,
            lower_bound: _,
        } = os;
        f(from);
        if let Some(ev) = evidence {
            visit_evidence(ev, f);
        }
    }
    f(root_cause);
    for fix in fixes {
        let Fix {
            kind: _,
            applies: _,
            why,
            commands,
        } = fix;
        f(why);
        commands.iter_mut().for_each(&mut *f);
    }
    next_steps.iter_mut().for_each(&mut *f);
    for ev in evidence {
        visit_evidence(ev, f);
    }
    if let Some(hcs) = hcs {
        visit_hcs(hcs, f);
    }
}

fn visit_evidence(ev: &mut Evidence, f: &mut dyn FnMut(&mut String)) {
    let Evidence {
        input,
        line: _,
        excerpt,
    } = ev;
    f(input);
    f(excerpt);
}

fn visit_hcs(hcs: &mut HcsInfo, f: &mut dyn FnMut(&mut String)) {
    let HcsInfo {
        system_type: _,
        name,
        owner,
        volume_path,
        ignore_flushes_during_boot: _,
        layer_folder_path,
        layers,
        host_name,
        mapped_directories,
        hv_partition: _,
        endpoint_list,
        network_shared_container_name,
        servicing: _,
        allow_unqualified_dns_query: _,
        other,
        partial: _,
    } = hcs;
    for s in [
        name,
        owner,
        volume_path,
        layer_folder_path,
        host_name,
        network_shared_container_name,
    ]
    .into_iter()
    .flatten()
    {
        f(s);
    }
    for layer in layers {
        let HcsLayer { id, path } = layer;
        f(id);
        f(path);
    }
    for v in [mapped_directories, endpoint_list].into_iter().flatten() {
        visit_value(v, f, 0);
    }
    for v in other.values_mut() {
        visit_value(v, f, 0);
    }
}

/// Strings inside a JSON value (values only; keys are HCS vocabulary).
fn visit_value(v: &mut Value, f: &mut dyn FnMut(&mut String), depth: usize) {
    if depth > 32 {
        return;
    }
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter_mut().for_each(|x| visit_value(x, f, depth + 1)),
        Value::Object(map) => map.values_mut().for_each(|x| visit_value(x, f, depth + 1)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(t: &Tokens, text: &str) -> String {
        Rewriter::new(t)
            .and_then(|r| r.apply(text))
            .unwrap_or_else(|| text.to_owned())
    }

    fn scanned(text: &str) -> String {
        let mut t = Tokens::default();
        scan(text, &mut t);
        rewrite(&t, text)
    }

    #[test]
    fn names_are_replaced_whole_and_case_insensitively() {
        let mut t = Tokens::default();
        t.add(Category::Node, "win22-node-01");
        t.add(Category::Workload, "api");
        assert_eq!(
            rewrite(&t, "WIN22-NODE-01 runs api, not invoice-api or api-gw"),
            "node-1 runs workload-1, not invoice-api or api-gw"
        );
    }

    #[test]
    fn longest_spelling_wins() {
        let mut t = Tokens::default();
        add_workload(&mut t, "legacy-billing-7d9f8c6b5-x2k4p", true);
        assert_eq!(
            rewrite(
                &t,
                "pod legacy-billing-7d9f8c6b5-x2k4p of legacy-billing-7d9f8c6b5 (legacy-billing)"
            ),
            "pod pod-1 of workload-1 (workload-2)"
        );
    }

    #[test]
    fn swarm_task_keeps_slot() {
        let mut t = Tokens::default();
        add_workload(&mut t, "batch-worker.1", false);
        assert_eq!(
            rewrite(&t, "batch-worker.1 of batch-worker"),
            "workload-1.1 of workload-1"
        );
    }

    #[test]
    fn images_keep_tags_and_microsoft_references() {
        let mut t = Tokens::default();
        add_image(&mut t, "contoso.azurecr.io/billing/api:1.0-ltsc2019");
        add_image(&mut t, "mcr.microsoft.com/windows/servercore:ltsc2019");
        add_image(&mut t, "fabrikam/tool:2");
        assert_eq!(
            rewrite(
                &t,
                "contoso.azurecr.io/billing/api:1.0-ltsc2019 FROM mcr.microsoft.com/windows/servercore:ltsc2019 and fabrikam/tool:2 at contoso.azurecr.io"
            ),
            "registry-1/image-1:1.0-ltsc2019 FROM mcr.microsoft.com/windows/servercore:ltsc2019 and image-2:2 at registry-1"
        );
    }

    #[test]
    fn scan_finds_guids_ips_ids_and_paths() {
        let id = "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";
        let digest = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
        let text = format!(
            "container {id} ({}) at 10.1.2.3 and fe80::1c2d:3e4f, guid 6a1f3b2c-0d4e-4f5a-8b6c-7d8e9f0a1b2c, \
             C:\\\\ProgramData\\\\docker\\\\windowsfilter\\\\{id}\\\\Files and C:\\Users\\alice\\app.log, \
             build 10.0.17763.1577, hcs::System::Start, sha256:{digest}",
            &id[..12]
        );
        assert_eq!(
            scanned(&text),
            format!(
                "container container-1 (container-1) at ip-1 and ip-2, guid guid-1, \
                 path-1 and path-2, build 10.0.17763.1577, hcs::System::Start, sha256:{digest}"
            )
        );
    }

    #[test]
    fn scan_finds_names_in_context() {
        assert_eq!(
            scanned(
                "Successfully assigned billing/web-0 to win-a1 (Node: win-a1/10.0.0.4) -n billing"
            ),
            "Successfully assigned ns-1/web-0 to node-1 (Node: node-1/ip-1) -n ns-1"
        );
        assert_eq!(
            scanned("pull contoso.azurecr.io/team/app:ltsc2022, see https://learn.microsoft.com/en-us/virtualization"),
            "pull registry-1/image-1:ltsc2022, see https://learn.microsoft.com/en-us/virtualization"
        );
        assert_eq!(
            scanned("no node.kubernetes.io/windows-build selector; see docs.example.com/guide"),
            "no node.kubernetes.io/windows-build selector; see docs.example.com/guide"
        );
        assert_eq!(
            scanned("docker.io/fabrikam/api:7.2 and docker.io/library/nginx:1"),
            "docker.io/image-1:7.2 and docker.io/library/nginx:1"
        );
        assert_eq!(
            scanned("from fabrikam.azurecr.io/base/win and build.example.net:5000/x/y"),
            "from registry-1/image-1 and registry-2/image-2"
        );
        assert_eq!(
            scanned("mounted default-token-x7k2q on WIN-BSTMQDRQC2E"),
            "mounted secret-1 on node-1"
        );
    }

    #[test]
    fn scan_finds_pods_of_events_and_logs() {
        assert_eq!(
            scanned("failed to start sandbox container for pod \"billing-api-0\": Error"),
            "failed to start sandbox container for pod \"pod-1\": Error"
        );
        assert_eq!(
            scanned(r#"err="… for pod \"web-0\": …" pod="shop/web-0" pod/web-0"#),
            r#"err="… for pod \"pod-1\": …" pod="ns-1/pod-1" pod/pod-1"#
        );
        // A Deployment's pod by its shape, its ReplicaSet and Deployment too.
        assert_eq!(
            scanned("pods=[default/billing-api-7d9f8c6b5-x2k4p] of billing-api-7d9f8c6b5"),
            "pods=[default/pod-1] of workload-1"
        );
        assert_eq!(
            scanned("k8s_POD_web-0_shop_6a1f3b2c-0d4e-4f5a-8b6c-7d8e9f0a1b2c_0"),
            "k8s_POD_pod-1_ns-1_guid-1_0"
        );
        assert_eq!(
            scanned("for \"web-7d9f8c6b5-x2k4p_shop(6a1f3b2c-0d4e-4f5a-8b6c-7d8e9f0a1b)\""),
            "for \"pod-1_ns-1(guid-1)\""
        );
        // Words after `pods/` that are API subresources stay, and so do
        // the paths of links.
        assert_eq!(scanned("cannot get pods/log"), "cannot get pods/log");
        let link =
            "see https://example.com/ci/jobs/overview and https://example.com/x/pod/networking";
        assert_eq!(scanned(link), link);
    }

    #[test]
    fn scan_finds_nodes_services_containers_and_images_in_context() {
        assert_eq!(
            scanned("Running on machine: win-a7\n\"Attempting to register node\" node=\"win-b\""),
            "Running on machine: node-2\n\"Attempting to register node\" node=\"node-1\""
        );
        assert_eq!(
            scanned("kubectl set image deployment/orders orders-api=x -n shop; Created container orders-api"),
            "kubectl set image deployment/workload-1 workload-2=x -n ns-1; Created container workload-2"
        );
        assert_eq!(
            scanned(
                r#"Pulling image "billing:1.0" and image "fabrikam/api:7.2" and image "mcr.microsoft.com/windows/nanoserver:ltsc2022""#
            ),
            r#"Pulling image "image-1:1.0" and image "image-2:7.2" and image "mcr.microsoft.com/windows/nanoserver:ltsc2022""#
        );
        assert_eq!(
            scanned(r#"image "microsoft/iis:10.0.14393.206" and service "billing""#),
            r#"image "microsoft/iis:10.0.14393.206" and service "workload-1""#
        );
    }

    #[test]
    fn container_id_prefixes_are_ids_and_numbers_are_not() {
        let id = "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";
        // A 13-digit prefix from a cut error, 54 digits before a `…`.
        assert_eq!(
            scanned(&format!("container {} failed; {}…", &id[..13], &id[..54])),
            "container container-1 failed; container-2…"
        );
        // All decimal: an ID only at a cut, or as a prefix of a known ID.
        assert_eq!(
            scanned("hcs::CreateComputeSystem 41970285…"),
            "hcs::CreateComputeSystem container-1…"
        );
        let mut t = Tokens::default();
        add_container(
            &mut t,
            "1234567890123456789012345678901234567890123456789012345678901234",
        );
        assert_eq!(
            rewrite(&t, "container 123456789012 exited"),
            "container container-1 exited"
        );
        // Kept: codes, sizes, dates, fractions, digests, KBs, builds, the
        // sources' git revisions.
        let sources = "errors.go @ 8d6e435b; removed in commit d579eae8; Git commit:   2ee0c57608";
        assert_eq!(scanned(sources), sources);
        let kept = "(0xc0370101) Image size: 2863114802 bytes 20240501 \
                    2024-05-01T10:00:00.123456789+00:00 KB5034129 10.0.17763.5458 \
                    sha256:4be2d7c09a61f3e8b5a0c9d2e7f14a6b3c8d5e0f9a1b2c3d4e5f60718293a4b5 deadbeefcafe";
        assert_eq!(scanned(kept), kept);
    }

    #[test]
    fn names_in_version_sources_are_found() {
        let mut t = Tokens::default();
        scan_version_source(
            "inferred: api.2 runs fabrikam/api:7.2.0-ltsc2022 (build 20348) with process isolation there",
            &mut t,
            false,
        );
        scan_version_source(
            "inferred: the same image runs with process isolation on swarm-w7 (10.0.17763.1)",
            &mut t,
            false,
        );
        scan_version_source(
            "inferred: the only other Windows build in the cluster is 10.0.20348 on win-c3; the image most likely targets it",
            &mut t,
            true,
        );
        scan_version_source("inspect of contoso/app:1", &mut t, false);
        assert_eq!(
            rewrite(
                &t,
                "api.2 fabrikam/api:7.2.0-ltsc2022 swarm-w7 win-c3 contoso/app:1"
            ),
            "workload-1.2 image-1:7.2.0-ltsc2022 node-1 node-2 image-2:1"
        );
    }

    #[test]
    fn user_paths_of_any_system_are_paths() {
        assert_eq!(
            scanned("read /home/alice/case/pods.txt and C:\\Users\\bob\\x"),
            "read path-2 and path-1"
        );
    }

    #[test]
    fn input_tokens_keep_extensions() {
        let mut t = Tokens::default();
        add_input(&mut t, "/home/alice/case/pods.txt");
        assert_eq!(
            rewrite(&t, "/home/alice/case/pods.txt and pods.txt:4"),
            "input-1.txt and input-1.txt:4"
        );
        assert_eq!(extension("noext"), "");
        assert_eq!(extension(".hidden"), "");
    }

    #[test]
    fn summary_counts_by_category() {
        let mut t = Tokens::default();
        t.add(Category::Node, "a1");
        t.add(Category::Node, "b1");
        t.add(Category::Node, "A1");
        t.add(Category::Ip, "10.0.0.1");
        assert_eq!(t.summary(), vec!["2 node names", "1 IP address"]);
    }
}
