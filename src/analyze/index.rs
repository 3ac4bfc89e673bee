//! Everything the inputs said, gathered across inputs so that a failure in
//! one file can be explained by a node description in another.
//!
//! Knows records and the knowledge base's version lookups; knows nothing of
//! report formats.

use super::occurrence::{Sourced, VersionSource};
use crate::knowledge::compat;
use crate::knowledge::tags::{self, TagCertainty};
use crate::model::finding::Evidence;
use crate::model::ParsedInput;
use crate::model::{
    Event, HostFacts, HostKind, ImageFacts, ImageRef, Invocation, Isolation, Record, RecordData,
    Section, SectionKind, WindowsVersion, Workload,
};
use std::collections::HashMap;

/// A record of type `T` and where it was found.
#[derive(Debug)]
pub(crate) struct At<'a, T> {
    pub input: usize,
    pub record: &'a Record,
    pub data: &'a T,
}

// Manual impls: the derive would require `T: Copy`, but only references are copied.
impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for At<'_, T> {}

impl<T> At<'_, T> {
    /// Whether 1-based `line` of `input` falls inside this record.
    pub fn covers(&self, input: usize, line: usize) -> bool {
        self.input == input && self.record.line <= line && line <= self.record.end_line
    }
}

/// A host with everything known about it, merged over all inputs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    pub name: String,
    pub version: Option<Sourced>,
    pub os_name: Option<String>,
    pub kind: Option<HostKind>,
    pub runtime: Option<String>,
    pub default_isolation: Option<Isolation>,
    pub labels: Vec<(String, String)>,
    pub windows: Option<bool>,
    pub sources: Vec<(usize, usize)>,
    /// A lower bound on the build, when no version was printed but the node
    /// runs an ltsc2022-or-newer image with process isolation.
    pub floor: Option<Sourced>,
}

/// All records of all inputs, by type.
pub(crate) struct Index<'a> {
    pub inputs: &'a [ParsedInput],
    /// Per input, the folder (or archive folder) it came from: inputs of one
    /// folder are taken to describe one environment (a support bundle, a
    /// cluster), so that samples of unrelated clusters are not mixed.
    pub scopes: Vec<String>,
    pub nodes: Vec<Node>,
    /// Hosts that the output did not name (`ver`, BcContainerHelper), per input.
    pub anonymous_hosts: Vec<(usize, Node)>,
    pub workloads: Vec<At<'a, Workload>>,
    pub events: Vec<At<'a, Event>>,
    pub images: Vec<At<'a, ImageFacts>>,
    pub invocations: Vec<At<'a, Invocation>>,
    /// Indexes into `workloads` by workload name.
    by_name: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Index<'a> {
    pub fn build(inputs: &'a [ParsedInput]) -> Index<'a> {
        let mut index = Index {
            inputs,
            scopes: inputs.iter().map(|p| scope_of(&p.name)).collect(),
            nodes: Vec::new(),
            anonymous_hosts: Vec::new(),
            workloads: Vec::new(),
            events: Vec::new(),
            images: Vec::new(),
            invocations: Vec::new(),
            by_name: HashMap::new(),
        };
        for (i, input) in inputs.iter().enumerate() {
            for record in &input.records {
                match &record.data {
                    RecordData::Host(h) => index.add_host(i, record, h),
                    RecordData::Workload(w) => index.workloads.push(At {
                        input: i,
                        record,
                        data: w,
                    }),
                    RecordData::Event(e) => index.events.push(At {
                        input: i,
                        record,
                        data: e,
                    }),
                    RecordData::Image(im) => index.images.push(At {
                        input: i,
                        record,
                        data: im,
                    }),
                    RecordData::Invocation(inv) => index.invocations.push(At {
                        input: i,
                        record,
                        data: inv,
                    }),
                    RecordData::Failure(_) | RecordData::Truncated(_) => {}
                }
            }
        }
        // Sorted by (input, line), so that lookups can binary-search.
        let key = |r: &Record| r.line;
        index.workloads.sort_by_key(|a| (a.input, key(a.record)));
        index.events.sort_by_key(|a| (a.input, key(a.record)));
        index.invocations.sort_by_key(|a| (a.input, key(a.record)));
        for (i, w) in index.workloads.iter().enumerate() {
            index
                .by_name
                .entry(w.data.name.as_str())
                .or_default()
                .push(i);
        }
        index.infer_from_running_workloads();
        index.nodes.sort_by(|a, b| a.name.cmp(&b.name));
        index
    }

    /// A node that runs an image with process isolation tells its build: an
    /// image older than ltsc2022 runs only on exactly its own build; a newer
    /// one only on hosts of at least its build (hcsshim's compatibility
    /// rule, facts.md §1.6). Used only for nodes whose version no output
    /// printed (Swarm workers described by `docker service ps` alone).
    fn infer_from_running_workloads(&mut self) {
        let workloads = self.workloads.clone();
        for w in workloads {
            if !w.data.running || w.data.isolation == Some(Isolation::Hyperv) {
                continue;
            }
            let (Some(node_name), Some(image)) = (&w.data.node, &w.data.image) else {
                continue;
            };
            let Ok(r) = ImageRef::parse(image.trim_start_matches("docker-pullable://")) else {
                continue;
            };
            let base = tags::base_from_reference(&r);
            let Some(v) = base
                .version
                .filter(|_| base.certainty != TagCertainty::None)
            else {
                continue;
            };
            let evidence = Some(self.evidence(
                w.input,
                w.record.line,
                &format!(
                    "{} {} {}",
                    w.data.name,
                    image,
                    w.data.state.as_deref().unwrap_or("Running")
                ),
            ));
            let exact = compat::running_image_pins_host_build(v.build);
            let sourced = Sourced {
                version: WindowsVersion::new(v.build, None),
                from: VersionSource::RunningImage {
                    workload: w.data.name.clone(),
                    image: image.clone(),
                    image_build: v.build,
                    lower_bound: !exact,
                },
                evidence,
            };
            let position = self
                .nodes
                .iter()
                .position(|n| n.name.eq_ignore_ascii_case(node_name));
            let node = match position {
                Some(i) => &mut self.nodes[i],
                None => {
                    self.nodes.push(Node {
                        name: node_name.clone(),
                        windows: Some(true),
                        sources: vec![(w.input, w.record.line)],
                        ..Default::default()
                    });
                    let last = self.nodes.len() - 1;
                    &mut self.nodes[last]
                }
            };
            if node.version.is_some() || node.default_isolation == Some(Isolation::Hyperv) {
                continue;
            }
            node.windows = Some(true);
            if exact {
                node.version = Some(sourced);
            } else if node
                .floor
                .as_ref()
                .is_none_or(|f| f.version.build < v.build)
            {
                node.floor = Some(sourced);
            }
        }
    }

    /// Evidence pointing at a record: the line kept whole up to
    /// `excerpt::STORED` bytes (a window that splits no token beyond),
    /// so that `--redact` sees whole identifiers; renderers cut it for
    /// display.
    pub fn evidence(&self, input: usize, line: usize, excerpt: &str) -> Evidence {
        Evidence {
            input: self.input_name(input).to_owned(),
            line,
            excerpt: crate::model::excerpt::window(excerpt.trim(), crate::model::excerpt::STORED)
                .into_owned(),
        }
    }

    pub fn input_name(&self, input: usize) -> &str {
        self.inputs.get(input).map_or("", |p| p.name.as_str())
    }

    fn add_host(&mut self, input: usize, record: &Record, host: &HostFacts) {
        let version = host.version.map(|v| Sourced {
            version: v,
            from: VersionSource::Section(record.section),
            evidence: Some(self.evidence(
                input,
                record.line,
                host.version_text.as_deref().unwrap_or(&v.to_string()),
            )),
        });
        let windows = host
            .os_type
            .as_deref()
            .map(|t| t.eq_ignore_ascii_case("windows"))
            .or_else(|| {
                host.labels
                    .iter()
                    .find(|(k, _)| k == "kubernetes.io/os" || k == "beta.kubernetes.io/os")
                    .map(|(_, v)| v == "windows")
            })
            .or(version.as_ref().map(|_| true));
        let incoming = Node {
            name: host.name.clone().unwrap_or_default(),
            version,
            os_name: host.os_name.clone(),
            kind: host.kind,
            runtime: host.runtime.clone(),
            default_isolation: host.default_isolation,
            labels: host.labels.clone(),
            windows,
            sources: vec![(input, record.line)],
            floor: None,
        };
        match &host.name {
            Some(name) if !name.trim().is_empty() => {
                match self
                    .nodes
                    .iter_mut()
                    .find(|n| n.name.eq_ignore_ascii_case(name))
                {
                    Some(node) => merge_node(node, incoming),
                    None => self.nodes.push(incoming),
                }
            }
            _ => match self.anonymous_hosts.iter_mut().find(|(i, _)| *i == input) {
                Some((_, node)) => merge_node(node, incoming),
                None => self.anonymous_hosts.push((input, incoming)),
            },
        }
    }

    /// Workloads called `name`.
    pub fn pods_named<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s At<'a, Workload>> + 's {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|i| self.workloads.get(*i))
    }

    /// The node called `name` (case-insensitive).
    pub fn node(&self, name: &str) -> Option<&Node> {
        self.nodes
            .iter()
            .find(|n| n.name.eq_ignore_ascii_case(name))
    }

    /// The one host an input describes, when it describes exactly one
    /// (a `docker info` + `docker run` session, a BcContainerHelper log);
    /// failing that, the one host its folder describes (a support bundle).
    pub fn single_host_of_input(&self, input: usize) -> Option<&Node> {
        let named: Vec<&Node> = self
            .nodes
            .iter()
            .filter(|n| n.sources.iter().any(|(i, _)| *i == input))
            .collect();
        match named.as_slice() {
            [one] => return Some(one),
            [] => {}
            _ => return None,
        }
        if let Some((_, n)) = self.anonymous_hosts.iter().find(|(i, _)| *i == input) {
            return Some(n);
        }
        let scope = self.scopes.get(input)?;
        let in_scope = |n: &&Node| {
            n.sources
                .iter()
                .any(|(i, _)| self.scopes.get(*i) == Some(scope))
        };
        // A named host wins over an unnamed `ver` of (presumably) the same
        // machine in the same bundle.
        let named: Vec<&Node> = self.nodes.iter().filter(in_scope).collect();
        if let [one] = named.as_slice() {
            return Some(one);
        }
        if !named.is_empty() {
            return None;
        }
        let anonymous: Vec<&Node> = self
            .anonymous_hosts
            .iter()
            .map(|(_, n)| n)
            .filter(in_scope)
            .collect();
        match anonymous.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// Whether `node` was described by an input of `input`'s folder.
    pub fn same_scope(&self, node: &Node, input: usize) -> bool {
        let scope = self.scopes.get(input);
        node.sources
            .iter()
            .any(|(i, _)| self.scopes.get(*i) == scope)
    }

    /// Windows nodes with a known version that belong with `input`: those
    /// of its folder, or every one when its folder describes none.
    pub fn windows_nodes_for(&self, input: usize) -> Vec<&Node> {
        let scoped: Vec<&Node> = self
            .windows_nodes()
            .filter(|n| self.same_scope(n, input))
            .collect();
        if scoped.is_empty() {
            self.windows_nodes().collect()
        } else {
            scoped
        }
    }

    /// Windows nodes of `input`'s scope whose build no input printed (a
    /// lower bound at most), by name.
    pub fn nodes_of_unknown_build_for(&self, input: usize) -> Vec<&Node> {
        self.nodes
            .iter()
            .filter(|n| {
                !n.name.is_empty()
                    && n.windows != Some(false)
                    && n.version.is_none()
                    && self.same_scope(n, input)
            })
            .collect()
    }

    /// The most specific detected section containing `line` of `input`.
    pub fn section_at(&self, input: usize, line: usize) -> Option<&Section> {
        self.inputs
            .get(input)?
            .sections
            .iter()
            .filter(|s| s.line <= line && line <= s.end_line && s.kind != SectionKind::Text)
            .min_by_key(|s| s.end_line - s.line)
    }

    /// Windows nodes with a known version.
    pub fn windows_nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes
            .iter()
            .filter(|n| n.windows != Some(false) && n.version.is_some())
    }
}

/// Keep the most precise facts of two descriptions of one host.
fn merge_node(node: &mut Node, other: Node) {
    match (&node.version, &other.version) {
        (None, Some(_)) => node.version = other.version,
        (Some(a), Some(b)) if a.version.revision.is_none() && b.version.revision.is_some() => {
            node.version = other.version
        }
        _ => {}
    }
    if node.os_name.is_none() {
        node.os_name = other.os_name;
    }
    if node.kind.is_none() {
        node.kind = other.kind;
    }
    if node.runtime.is_none() {
        node.runtime = other.runtime;
    }
    if node.default_isolation.is_none() {
        node.default_isolation = other.default_isolation;
    }
    if node.windows.is_none() {
        node.windows = other.windows;
    }
    for label in other.labels {
        if !node.labels.contains(&label) {
            node.labels.push(label);
        }
    }
    for source in other.sources {
        if !node.sources.contains(&source) {
            node.sources.push(source);
        }
    }
}

/// The folder an input came from: `dir` for `dir/file.txt`,
/// `bundle.zip!dir` for `bundle.zip!dir/file.txt`, `<stdin>` for stdin.
pub(crate) fn scope_of(name: &str) -> String {
    match name.rfind(['/', '\\']) {
        Some(i) => name.get(..i).unwrap_or_default().to_owned(),
        None => String::new(),
    }
}

/// Normalise an image reference for comparison (`docker-pullable://` and
/// default registry removed).
pub(crate) fn image_key(image: &str) -> String {
    let image = image
        .trim()
        .trim_start_matches("docker-pullable://")
        .trim_start_matches("docker://");
    match ImageRef::parse(image) {
        Ok(r) => r.to_string().to_ascii_lowercase(),
        Err(_) => image.to_ascii_lowercase(),
    }
}
