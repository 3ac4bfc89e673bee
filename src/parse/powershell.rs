//! PowerShell output that tells a host's (or a container's) Windows version:
//! BcContainerHelper / NavContainerHelper progress lines, `Get-ComputerInfo`,
//! `Get-ItemProperty …\CurrentVersion` and `Get-CimInstance
//! Win32_OperatingSystem` lists, the `[Environment]::OSVersion` tables, and
//! PowerShell error records (`+ CategoryInfo`, `+ FullyQualifiedErrorId`).
//!
//! Each becomes a `PowerShell` section; version-bearing output also becomes
//! `HostFacts` (and `ImageFacts` for BcContainerHelper's container OS line).
//! The failure message inside an error record is read by `failure`, not
//! here. This module must not know which build is which release, nor decide
//! compatibility.

use super::doc::strip_log_prefix;
use super::doc::{Doc, Output};
use super::gated::Gated;
use super::version_query::{kind_from_name, CurrentVersion};
use crate::model::version::{find_version, parse_any};
use crate::model::{
    HostFacts, HostKind, ImageFacts, ImageOrigin, Invocation, Isolation, RecordData, SectionKind,
    WindowsVersion,
};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{char, digit1, space0, space1};
use nom::combinator::{eof, rest};
use nom::{IResult, Parser};
use regex::Regex;

const KIND: SectionKind = SectionKind::PowerShell;

/// Literals (lower case) of the version-bearing PowerShell outputs, for
/// the streaming prefilter (`super::prefilter`): BcContainerHelper's `Host
/// OS Version` / `Container OS Version`, `Get-ComputerInfo`'s `OsVersion`
/// and `WindowsBuildLabEx`, the registry's `CurrentBuild`.
pub const LITERALS: &[&str] = &["os version", "osversion", "buildlabex", "currentbuild"];

/// Scan `doc` for PowerShell output.
pub fn scan(doc: &Doc, out: &mut Output) {
    scan_lists(doc, out);
    scan_os_version_tables(doc, out);
    scan_bc_container_helper(doc, out);
    scan_helper_commands(doc, out);
    scan_error_records(doc, out);
}

// ------------------------------------------------------- Format-List

/// One `Format-List` line: `OsVersion                 : 10.0.17763` →
/// (`OsVersion`, `10.0.17763`). The key is a property name (letters,
/// digits, `_`, `.`), the colon is preceded by padding and followed by a
/// space or the end of the line (an empty value).
pub(crate) fn list_entry(i: &str) -> IResult<&str, (&str, &str)> {
    let (i, key) = take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.')(i)?;
    // Format-List pads every key, so there is at least one space before the
    // colon; `Error: x` and kubectl's `Name:  x` are not list entries.
    let (i, _) = (space1, char(':')).parse(i)?;
    let (value, _) = alt((space1, eof)).parse(i)?;
    Ok(("", (key, value.trim())))
}

/// A Format-List value wrapped onto the next line is indented to the value
/// column: at least four spaces, not itself an entry.
fn is_list_continuation(line: &str) -> bool {
    let indent = line.len() - line.trim_start().len();
    indent >= 4 && !line.trim().is_empty() && list_entry(line.trim_start()).is_err()
}

/// One Format-List object: its 1-based line span and its entries
/// `(line, key, value)`, wrapped values joined with a space.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ListBlock {
    pub line: usize,
    pub end_line: usize,
    pub entries: Vec<(usize, String, String)>,
}

impl ListBlock {
    /// The first value for `key` (exact, case-insensitive: PowerShell
    /// property names are).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(_, k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, _, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    fn has_any(&self, keys: &[&str]) -> usize {
        keys.iter().filter(|k| self.get(k).is_some()).count()
    }
}

/// Every Format-List block of the doc: runs of entry lines (at the start of
/// the line) and their continuation lines; a blank line ends a block.
pub(crate) fn list_blocks(doc: &Doc) -> Vec<ListBlock> {
    let mut blocks = Vec::new();
    let mut current: Option<ListBlock> = None;
    for (idx, line) in doc.lines.iter().enumerate() {
        let n = idx + 1;
        if let Ok((_, (key, value))) = list_entry(line) {
            let block = current.get_or_insert_with(|| ListBlock {
                line: n,
                end_line: n,
                entries: Vec::new(),
            });
            block.end_line = n;
            block.entries.push((n, key.to_owned(), value.to_owned()));
        } else if let (Some(block), true) = (current.as_mut(), is_list_continuation(line)) {
            block.end_line = n;
            if let Some((_, _, value)) = block.entries.last_mut() {
                if !value.is_empty() {
                    value.push(' ');
                }
                value.push_str(line.trim());
            }
        } else if let Some(block) = current.take() {
            blocks.push(block);
        }
    }
    blocks.extend(current);
    blocks
}

/// `Get-ComputerInfo` property names that carry the OS version or name.
const COMPUTER_INFO_KEYS: &[&str] = &[
    "WindowsBuildLabEx",
    "WindowsProductName",
    "WindowsUBR",
    "WindowsInstallationType",
    "OsName",
    "OsVersion",
    "OsBuildNumber",
    "OsHardwareAbstractionLayer",
    "CsName",
];

/// `Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'`.
const REGISTRY_KEYS: &[&str] = &[
    "CurrentBuild",
    "CurrentBuildNumber",
    "UBR",
    "BuildLabEx",
    "ProductName",
    "DisplayVersion",
    "ReleaseId",
];

/// `Get-CimInstance Win32_OperatingSystem | Format-List *`.
const CIM_OS_KEYS: &[&str] = &[
    "Caption",
    "Version",
    "BuildNumber",
    "CSName",
    "OSArchitecture",
];

fn scan_lists(doc: &Doc, out: &mut Output) {
    for block in list_blocks(doc) {
        let facts = if block.has_any(COMPUTER_INFO_KEYS) >= 2 {
            computer_info_facts(&block)
        } else if block.has_any(REGISTRY_KEYS) >= 2 {
            registry_facts(&block)
        } else if block.has_any(CIM_OS_KEYS) >= 3 {
            cim_os_facts(&block)
        } else {
            continue;
        };
        out.section(KIND, block.line, block.end_line);
        if let Some(facts) = facts {
            out.record(KIND, block.line, block.end_line, RecordData::Host(facts));
        }
    }
}

/// `Get-ComputerInfo`: the build from `OsBuildNumber`/`OsVersion`, the
/// revision from `WindowsUBR` (PowerShell 5.1 on 1809+ prints it);
/// `WindowsBuildLabEx` only when neither is there, because enablement
/// releases keep the base build in it (facts.md §2.2).
/// `OsHardwareAbstractionLayer` is hal.dll's file version, whose revision
/// lags the UBR, so only its build is used, and only as a last resort.
fn computer_info_facts(block: &ListBlock) -> Option<HostFacts> {
    let from_build = block.get("OsBuildNumber").and_then(|b| {
        parse_any(b)
            .ok()
            .map(|v| (v, format!("OsBuildNumber : {b}")))
    });
    let from_os_version = block
        .get("OsVersion")
        .and_then(|t| parse_any(t).ok().map(|v| (v, format!("OsVersion : {t}"))));
    let from_lab = block.get("WindowsBuildLabEx").and_then(|t| {
        parse_any(t)
            .ok()
            .map(|v| (v, format!("WindowsBuildLabEx : {t}")))
    });
    let from_hal = block.get("OsHardwareAbstractionLayer").and_then(|t| {
        parse_any(t).ok().map(|v| {
            (
                v.without_revision(),
                format!("OsHardwareAbstractionLayer : {t}"),
            )
        })
    });
    let ubr = block.get("WindowsUBR").and_then(|u| u.parse::<u32>().ok());
    let (version, mut text) = from_build.or(from_os_version).or(from_lab).or(from_hal)?;
    let version = match ubr {
        Some(ubr) => {
            text.push_str(&format!(", WindowsUBR : {ubr}"));
            WindowsVersion {
                revision: Some(ubr),
                ..version
            }
        }
        None => version,
    };
    let os_name = block.get("OsName").or(block.get("WindowsProductName"));
    let kind = match block
        .get("WindowsInstallationType")
        .or(block.get("OsProductType"))
    {
        Some(t) if t.eq_ignore_ascii_case("client") || t.eq_ignore_ascii_case("workstation") => {
            Some(HostKind::Client)
        }
        Some(t) if t.to_ascii_lowercase().contains("server") => Some(HostKind::Server),
        _ => os_name.and_then(kind_from_name),
    };
    Some(HostFacts {
        name: block
            .get("CsName")
            .or(block.get("CsDNSHostName"))
            .map(str::to_owned),
        version: Some(version),
        version_text: Some(text),
        os_name: os_name.map(str::to_owned),
        os_type: Some("windows".to_owned()),
        kind,
        ..HostFacts::default()
    })
}

/// `Get-ItemProperty` of the CurrentVersion key: `CurrentBuild` + `UBR`
/// (the same rule as `reg query`); `PSComputerName` names the host when
/// run through `Invoke-Command`.
fn registry_facts(block: &ListBlock) -> Option<HostFacts> {
    let mut cv = CurrentVersion::default();
    for (_, key, value) in &block.entries {
        cv.take(key, value);
    }
    let mut facts = cv.facts()?;
    facts.name = block.get("PSComputerName").map(str::to_owned);
    Some(facts)
}

/// `Get-CimInstance Win32_OperatingSystem | Format-List *`: `Version`
/// (`10.0.17763`), `Caption`, `CSName`.
fn cim_os_facts(block: &ListBlock) -> Option<HostFacts> {
    let text = block.get("Version")?;
    let version = parse_any(text).ok()?;
    let caption = block.get("Caption");
    Some(HostFacts {
        name: block.get("CSName").map(str::to_owned),
        version: Some(version),
        version_text: Some(format!("Version : {text}")),
        os_name: caption.map(str::to_owned),
        os_type: Some("windows".to_owned()),
        kind: caption.and_then(kind_from_name),
        ..HostFacts::default()
    })
}

// ------------------------------------------- [Environment]::OSVersion

/// Table headers whose next data row holds an OS version:
/// `Platform ServicePack Version      VersionString` (`[Environment]::OSVersion`)
/// and `Major  Minor  Build  Revision` (`[Environment]::OSVersion.Version`).
fn os_version_header(line: &str) -> Option<&'static str> {
    // Word by word, stopping at the first that differs (every line is asked).
    let is = |header: &[&str]| line.split_whitespace().eq(header.iter().copied());
    if is(&["Platform", "ServicePack", "Version", "VersionString"]) {
        Some("osversion")
    } else if is(&["Major", "Minor", "Build", "Revision"]) {
        Some("version")
    } else {
        None
    }
}

/// `Major Minor Build Revision` row: `10     0      17763  0`.
fn version_row(i: &str) -> IResult<&str, (u32, u32, u32, u32)> {
    let num = |i| digit1.map_res(str::parse::<u32>).parse(i);
    let (i, (_, major, _, minor, _, build, _, revision, _)) =
        (space0, num, space1, num, space1, num, space1, num, rest).parse(i)?;
    Ok((i, (major, minor, build, revision)))
}

fn scan_os_version_tables(doc: &Doc, out: &mut Output) {
    for (idx, line) in doc.lines.iter().enumerate() {
        let Some(which) = os_version_header(line) else {
            continue;
        };
        let header = idx + 1;
        // Header, dashes, then the row.
        let dashes = doc.line(header + 1).trim_start();
        if !dashes.starts_with("--") {
            continue;
        }
        let row_n = header + 2;
        let row = doc.line(row_n);
        let version = match which {
            // PowerShell 5.1's own `$PSVersionTable.PSVersion` prints the same
            // header with 5.1.B.R: only a 10.0 row is the OS.
            "version" => match version_row(row) {
                Ok((_, (10, 0, build, revision))) => parse_any(&format!("10.0.{build}"))
                    .ok()
                    .map(|v| with_revision(v, revision)),
                _ => None,
            },
            _ => find_version(row).map(|(v, _)| with_revision(v, v.revision.unwrap_or(0))),
        };
        let Some(version) = version else {
            continue;
        };
        out.section(KIND, header, row_n);
        let facts = HostFacts {
            version: Some(version),
            version_text: Some(row.trim().to_owned()),
            os_type: Some("windows".to_owned()),
            ..HostFacts::default()
        };
        out.record(KIND, header, row_n, RecordData::Host(facts));
    }
}

/// .NET's `Environment.OSVersion` reports revision 0 whatever the UBR, so
/// a 0 revision means "unknown", not ".0".
fn with_revision(v: WindowsVersion, revision: u32) -> WindowsVersion {
    WindowsVersion {
        revision: (revision != 0).then_some(revision),
        ..v
    }
}

// ------------------------------------------------- BcContainerHelper

/// Progress lines BcContainerHelper (and NavContainerHelper before it)
/// prints while creating a container. A `weak` marker is a phrase other
/// tools print too: it joins a block but does not make one alone.
const BC_MARKERS: &[(&str, bool)] = &[
    ("BcContainerHelper version", false),
    ("NavContainerHelper version", false),
    ("Host OS Version:", false),
    ("Container OS Version:", false),
    ("Generic Container OS Version:", false),
    ("Using generic image ", false),
    ("Creating Nav container ", false),
    ("Creating Container ", false),
    ("Creating container ", false),
    ("Generic Tag:", true),
    ("Using image ", true),
    ("Docker Client Version is", true),
    ("Docker Server Version is", true),
    ("Determining artifacts to use", true),
    ("Pulling image ", true),
    ("Using locale ", true),
    ("Host is ", true),
    ("Platform: ", true),
    ("NAV Version: ", true),
    (
        "WARNING: The container operating system matches the host",
        true,
    ),
];

static RE_ISOLATION_STATED: Gated = Gated::new(&["isolation"], || {
    Regex::new(r"(?i)(?:^using|(?-u:\b)forcing)\s+(process|hyper-?v)\s+isolation\.?$")
        .expect("static regex")
});

/// An isolation mode a tool says it uses: BcContainerHelper's `Using
/// process isolation` / `Using hyperv isolation`, `Using Hyper-V
/// isolation`, and the helper's notice `…, forcing hyperv isolation.`; the
/// whole line must say it (`WARNING: … Using Hyper-V isolation is
/// recommended.` is advice, not the mode used).
pub(crate) fn isolation_stated(line: &str) -> Option<Isolation> {
    let caps = RE_ISOLATION_STATED.captures(line)?;
    match caps.get(1)?.as_str().to_ascii_lowercase().as_str() {
        "process" => Some(Isolation::Process),
        _ => Some(Isolation::Hyperv),
    }
}

/// `Host OS Version: 10.0.19045.3693 (22H2)`, `Container OS Version: …` or
/// `Generic Container OS Version: …` (the generic image the helper chose):
/// (`Host`|`Container`|`Generic`, version text).
fn bc_os_version(i: &str) -> IResult<&str, (&str, &str)> {
    let (i, (_, who, _, _)) = (
        space0,
        alt((tag("Host"), tag("Container"), tag("Generic Container"))),
        tag(" OS Version:"),
        space0,
    )
        .parse(i)?;
    let who = if who == "Generic Container" {
        "Generic"
    } else {
        who
    };
    Ok(("", (who, i.trim())))
}

/// The image a BcContainerHelper step uses: `Using image X`, `Using generic
/// image X`, or `Creating container NAME from image X`. The last one before
/// a failure is the image the failing step used.
fn bc_image(t: &str) -> Option<&str> {
    if let Some(image) = t
        .strip_prefix("Using image ")
        .or_else(|| t.strip_prefix("Using generic image "))
    {
        return image.split_whitespace().next();
    }
    let (_, image) = t
        .strip_prefix("Creating container ")?
        .split_once(" from image ")?;
    image.split_whitespace().next()
}

/// The container a BcContainerHelper run creates: `Creating Container X`,
/// `Creating Nav container X`, `Creating container X from image Y`.
fn bc_container_name(t: &str) -> Option<&str> {
    let rest = t
        .strip_prefix("Creating Container ")
        .or_else(|| t.strip_prefix("Creating Nav container "))
        .or_else(|| t.strip_prefix("Creating container "))?;
    let name = rest.split(" from image ").next().unwrap_or(rest).trim();
    (!name.is_empty() && !name.contains(' ')).then_some(name)
}

/// The marker a line starts with, and whether it is weak.
fn bc_marker(line: &str) -> Option<bool> {
    let t = strip_log_prefix(line);
    if isolation_stated(t).is_some() {
        return Some(false);
    }
    BC_MARKERS
        .iter()
        .find(|(m, _)| t.starts_with(m))
        .map(|&(_, weak)| weak)
}

/// One header a helper printed for one container creation.
struct BcBlock {
    first: usize,
    last: usize,
    host: HostFacts,
    host_line: Option<usize>,
    /// The image named last so far, with its line.
    image: Option<(usize, String)>,
    /// Image records: (first line, line, facts).
    images: Vec<(usize, usize, ImageFacts)>,
    isolation: Option<(usize, Isolation)>,
    name: Option<String>,
    /// The `Creating container …` line (the step that runs docker).
    create: Option<(usize, String)>,
    /// A helper's own progress line was seen (not only an isolation
    /// statement, which other tools print too).
    helper: bool,
}

impl BcBlock {
    fn new(first: usize) -> BcBlock {
        BcBlock {
            first,
            last: first,
            host: HostFacts {
                os_type: Some("windows".to_owned()),
                ..HostFacts::default()
            },
            host_line: None,
            image: None,
            images: Vec::new(),
            isolation: None,
            name: None,
            create: None,
            helper: false,
        }
    }

    fn emit(self, out: &mut Output) {
        out.section(KIND, self.first, self.last);
        if let Some(n) = self.host_line {
            out.record(KIND, n, n, RecordData::Host(self.host));
        }
        for (from, n, facts) in self.images {
            out.record(KIND, from, n, RecordData::Image(facts));
        }
        // The step that ran docker, or where the helper said how it isolates.
        let at = self
            .create
            .as_ref()
            .map(|(n, t)| (*n, t.clone()))
            .or_else(|| {
                self.isolation
                    .map(|(n, iso)| (n, format!("Using {} isolation", iso.as_str())))
            });
        if let Some((n, text)) = at {
            // Another tool's lone `Using process isolation` is a statement,
            // not a helper run.
            let command = if self.helper {
                "New-BcContainer"
            } else {
                "isolation statement"
            };
            let inv = Invocation {
                command: command.to_owned(),
                image: self.image.map(|(_, r)| r),
                isolation: self.isolation.map(|(_, iso)| iso),
                name: self.name,
                text,
            };
            out.record(KIND, n, n, RecordData::Invocation(inv));
        }
    }
}

/// BcContainerHelper / NavContainerHelper headers: host and container OS
/// versions, the image, the isolation the helper chose, the container
/// name. Each header becomes its own `PowerShell` section with a `Host`
/// record (`Host OS Version`), `Image` records (`Container OS Version`,
/// `Generic Container OS Version`, with the image named nearest above) and
/// an `Invocation` (`New-BcContainer`, at the `Creating container … from
/// image …` line or else at the isolation line) carrying the image the
/// creating step used and the isolation.
///
/// quirk_repeated_header: a paste that holds two headers (an earlier run
/// below the current one, navcontainerhelper#1428) gives two blocks in
/// input order; a second `Host OS Version` / `Container OS Version` /
/// isolation statement starts the next one. Which block is current is for
/// the analysis to decide.
fn scan_bc_container_helper(doc: &Doc, out: &mut Output) {
    let is_bc = |l: &str| bc_marker(l).is_some();
    for (first, last) in doc.runs(is_bc, 10) {
        // Weak markers alone (`Pulling image …`) are too common a phrase.
        let strong = (first..=last).any(|n| bc_marker(doc.line(n)) == Some(false));
        let markers = (first..=last).filter(|&n| is_bc(doc.line(n))).count();
        if !strong && markers < 2 {
            continue;
        }
        for (from, to) in bc_headers(doc, first, last) {
            let mut block = BcBlock::new(from);
            for n in from..=to {
                let line = doc.line(n);
                if bc_marker(line).is_none() {
                    continue;
                }
                let t = strip_log_prefix(line).trim();
                block.last = n;
                bc_line(&mut block, n, t, bc_os_version(t).ok().map(|(_, v)| v));
            }
            block.emit(out);
        }
    }
}

/// Which once-per-header statement a marker line makes, if any.
fn bc_key(t: &str) -> Option<&'static str> {
    match bc_os_version(t) {
        Ok((_, ("Host", _))) => Some("host"),
        Ok((_, ("Container", _))) => Some("container"),
        Ok(_) => Some("generic"),
        Err(_) if isolation_stated(t).is_some() => Some("isolation"),
        Err(_) if t.starts_with("Creating container ") && t.contains(" from image ") => {
            Some("create")
        }
        Err(_) => None,
    }
}

/// Split the marker run `first..=last` into headers: a statement made a
/// second time starts the next header, at the first marker line after the
/// last statement of the one before.
fn bc_headers(doc: &Doc, first: usize, last: usize) -> Vec<(usize, usize)> {
    let mut headers = Vec::new();
    let mut from = first;
    let mut seen: Vec<&'static str> = Vec::new();
    let mut last_stated = first;
    for n in first..=last {
        let line = doc.line(n);
        if bc_marker(line).is_none() {
            continue;
        }
        let Some(key) = bc_key(strip_log_prefix(line).trim()) else {
            continue;
        };
        if seen.contains(&key) {
            let next = (last_stated + 1..=n)
                .find(|&k| bc_marker(doc.line(k)).is_some())
                .unwrap_or(n);
            headers.push((from, last_stated.max(from)));
            from = next;
            seen.clear();
        }
        seen.push(key);
        last_stated = n;
    }
    // The last header runs to the end of the run.
    headers.push((from, last));
    headers
}

/// Read one marker line `t` (line `n`) into `block`.
fn bc_line(block: &mut BcBlock, n: usize, t: &str, os: Option<(&str, &str)>) {
    if BC_MARKERS.iter().any(|(m, _)| t.starts_with(m)) {
        block.helper = true;
    }
    if let Some(reference) = bc_image(t) {
        block.image = Some((n, reference.to_owned()));
    }
    if let Some(name) = bc_container_name(t) {
        block.name = Some(name.to_owned());
    }
    if t.starts_with("Creating container ") && t.contains(" from image ") {
        block.create = Some((n, t.to_owned()));
    }
    if let Some(iso) = isolation_stated(t) {
        block.isolation = Some((n, iso));
    }
    if let Some(version) = t.strip_prefix("Docker Server Version is ") {
        block.host.runtime = Some(format!("docker://{}", version.trim()));
    }
    if let Some(name) = t.strip_prefix("Host is ") {
        // `Host is Microsoft Windows Server 2022 Datacenter - 21H2`.
        let name = name.rsplit_once(" - ").map_or(name, |(n, _)| n);
        block.host.kind = kind_from_name(name);
        block.host.os_name = Some(name.to_owned());
    }
    let Some((who, text)) = os else {
        return;
    };
    let Some((version, _)) = find_version(text) else {
        return;
    };
    if who == "Host" {
        block.host.version = Some(version);
        block.host.version_text = Some(t.to_owned());
        block.host_line = Some(n);
        return;
    }
    // The image the container is created from (or, for `Generic
    // Container OS Version`, the generic image): the nearest image named
    // above, when there is one.
    let facts = ImageFacts {
        origin: ImageOrigin::Inspect,
        reference: block.image.as_ref().map(|(_, r)| r.clone()),
        aliases: Vec::new(),
        os: Some("windows".to_owned()),
        os_version: Some(version),
        layers: Vec::new(),
        platforms: Vec::new(),
    };
    let from = block.image.as_ref().map_or(n, |(l, _)| *l).min(n);
    block.images.push((from, n, facts));
}

// -------------------------------------------- New-BcContainer command line

static RE_HELPER_COMMAND: Gated = Gated::new(&["new-"], || {
    Regex::new(r"(?i)(?:^|[\s>`*])(New-(?:Bc|Nav)Container(?:Wizard)?)(?:\s|$)")
        .expect("static regex")
});

/// A `New-BcContainer` / `New-NavContainer` command line (with any prompt
/// before it and PowerShell's `` ` `` continuations), read into an
/// `Invocation`: `-isolation process|hyperv`, `-imageName X`,
/// `-containerName X`. The same parameters on their own line (splatted
/// tables print `isolation = 'process'`) are not read.
fn scan_helper_commands(doc: &Doc, out: &mut Output) {
    let mut i = 1;
    while i <= doc.len() {
        let line = doc.line(i);
        let Some(m) = RE_HELPER_COMMAND.captures(line).and_then(|c| c.get(1)) else {
            i += 1;
            continue;
        };
        let mut text = line.get(m.start()..).unwrap_or("").trim_end().to_owned();
        let mut end = i;
        while text.ends_with(" `") && end < doc.len() && end - i < 50 {
            text.truncate(text.len() - 2);
            end += 1;
            text.push(' ');
            text.push_str(doc.line(end).trim());
        }
        let text = text.trim_end_matches(['`', '*']).trim().to_owned();
        let words: Vec<&str> = text.split_whitespace().collect();
        let value = |name: &str| {
            words
                .iter()
                .position(|w| w.eq_ignore_ascii_case(name))
                .and_then(|p| words.get(p + 1))
                .map(|v| v.trim_matches(['"', '\'']).to_owned())
                .filter(|v| !v.starts_with('-') && !v.starts_with('$'))
        };
        let isolation = value("-isolation").and_then(|v| match v.to_ascii_lowercase().as_str() {
            "process" => Some(Isolation::Process),
            "hyperv" | "hyper-v" => Some(Isolation::Hyperv),
            _ => None,
        });
        let image = value("-imageName");
        let name = value("-containerName");
        // A name alone adds nothing the helper's own header does not say.
        if isolation.is_some() || image.is_some() {
            out.section(KIND, i, end);
            let inv = Invocation {
                command: m.as_str().to_owned(),
                image,
                isolation,
                name,
                text,
            };
            out.record(KIND, i, end, RecordData::Invocation(inv));
        }
        i = end + 1;
    }
}

// ------------------------------------------------------ error records

/// A line of a Windows PowerShell error record's position block:
/// `At line:1 char:1`, `At C:\build\run.ps1:116 char:5`, `+ docker run …`,
/// `+ ~~~~~~`, `    + CategoryInfo          : NotSpecified: (…) [], RemoteException`,
/// `    + FullyQualifiedErrorId : NativeCommandError`.
fn is_error_record_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("+ ") || t == "+" || (t.starts_with("At ") && t.contains(" char:"))
}

fn is_error_record_tail(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("+ CategoryInfo") || t.starts_with("+ FullyQualifiedErrorId")
}

fn scan_error_records(doc: &Doc, out: &mut Output) {
    for (first, last) in doc.runs(is_error_record_line, 0) {
        if !(first..=last).any(|n| is_error_record_tail(doc.line(n))) {
            continue;
        }
        // The message (`docker : Error response from daemon: …`) is the
        // line above `At line:`; wrapped messages are not followed further
        // (the failure recogniser reads them).
        let start = if first > 1 && !doc.line(first - 1).trim().is_empty() {
            first - 1
        } else {
            first
        };
        out.section(KIND, start, last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    #[test]
    fn list_entry_reads_padded_keys_and_empty_values() {
        assert_eq!(
            list_entry("OsVersion                 : 10.0.17763"),
            Ok(("", ("OsVersion", "10.0.17763")))
        );
        assert_eq!(list_entry("OsLocale :"), Ok(("", ("OsLocale", ""))));
        assert!(list_entry("Error: something").is_err());
        assert!(list_entry("    + CategoryInfo : x").is_err());
    }

    #[test]
    fn get_computer_info_uses_build_and_ubr() {
        let out = run("PS C:\\> Get-ComputerInfo\n\n\
             WindowsBuildLabEx          : 17763.1.amd64fre.rs5_release.180914-1434\n\
             WindowsInstallationType    : Server\n\
             WindowsProductName         : Windows Server 2019 Datacenter\n\
             WindowsUBR                 : 5458\n\
             OsName                     : Microsoft Windows Server 2019 Datacenter\n\
             OsVersion                  : 10.0.17763\n\
             OsHardwareAbstractionLayer : 10.0.17763.5122\n\
             CsName                     : BUILD-NODE-4\n\n");
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        let (r, h) = hs[0];
        assert_eq!((r.line, r.end_line), (3, 10));
        assert_eq!(h.name.as_deref(), Some("BUILD-NODE-4"));
        assert_eq!(h.version, Some(WindowsVersion::new(17763, Some(5458))));
        assert_eq!(h.kind, Some(HostKind::Server));
        assert_eq!(
            h.os_name.as_deref(),
            Some("Microsoft Windows Server 2019 Datacenter")
        );
    }

    #[test]
    fn get_item_property_current_version_enablement_package() {
        let out = run(
            "CurrentBuild              : 19045\n\
             CurrentBuildNumber        : 19045\n\
             BuildLabEx                : 19041.1.amd64fre.vb_release.191206-1406\n\
             DisplayVersion            : 22H2\n\
             ProductName               : Windows 10 Enterprise\n\
             UBR                       : 3693\n\
             PSPath                    : Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\n\
             \x20                           NT\\CurrentVersion\n",
        );
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        assert_eq!(
            hs[0].1.version,
            Some(WindowsVersion::new(19045, Some(3693)))
        );
        assert_eq!(hs[0].0.end_line, 8, "wrapped PSPath is part of the block");
    }

    #[test]
    fn environment_os_version_table_revision_zero_is_unknown() {
        let out = run("Platform ServicePack Version      VersionString\n\
             -------- ----------- -------      -------------\n\
             \x20Win32NT             10.0.17763.0 Microsoft Windows NT 10.0.17763.0\n");
        let hs = out.hosts();
        assert_eq!(hs[0].1.version, Some(WindowsVersion::new(17763, None)));
        assert_eq!((hs[0].0.line, hs[0].0.end_line), (1, 3));
    }

    #[test]
    fn version_table_of_powershell_itself_is_not_the_os() {
        let out = run("Major  Minor  Build  Revision\n-----  -----  -----  --------\n5      1      17763  5458\n");
        assert!(out.hosts().is_empty());
        let out = run("Major  Minor  Build  Revision\n-----  -----  -----  --------\n10     0      20348  0\n");
        assert_eq!(
            out.hosts()[0].1.version,
            Some(WindowsVersion::new(20348, None))
        );
    }

    #[test]
    fn bc_container_helper_host_and_container_versions() {
        let out = run("BcContainerHelper version 6.0.10\n\
             Docker Client Version is 24.0.7\n\
             Docker Server Version is 24.0.7\n\
             Using image mcr.microsoft.com/businesscentral:ltsc2019\n\
             Creating Container bcdev\n\
             Version: 23.5.16502.16757-w1\n\
             Generic Tag: 1.0.2.18\n\
             Container OS Version: 10.0.17763.5458 (ltsc2019)\n\
             Host OS Version: 10.0.20348.2340 (21H2)\n\
             Using locale en-US\n\
             Using process isolation\n\
             Creating container bcdev from image mcr.microsoft.com/businesscentral:ltsc2019\n");
        assert_eq!(out.sections.len(), 1);
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].0.line, 9);
        assert_eq!(
            hs[0].1.version,
            Some(WindowsVersion::new(20348, Some(2340)))
        );
        assert_eq!(hs[0].1.runtime.as_deref(), Some("docker://24.0.7"));
        let image = out
            .records
            .iter()
            .find_map(|r| match &r.data {
                RecordData::Image(i) => Some(i),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            image.reference.as_deref(),
            Some("mcr.microsoft.com/businesscentral:ltsc2019")
        );
        assert_eq!(
            image.os_version,
            Some(WindowsVersion::new(17763, Some(5458)))
        );
        let inv = out
            .records
            .iter()
            .find_map(|r| match &r.data {
                RecordData::Invocation(i) => Some(i),
                _ => None,
            })
            .unwrap();
        assert_eq!(inv.name.as_deref(), Some("bcdev"));
        assert_eq!(inv.isolation, Some(Isolation::Process));
    }

    #[test]
    fn nav_container_helper_creating_container_from_image() {
        let out = run(
            "Creating container navtest from image contoso.azurecr.io/nav:nl-ltsc2019\n\
             Container OS Version: 10.0.17763.437 (ltsc2019)\n",
        );
        let image = out
            .records
            .iter()
            .find_map(|r| match &r.data {
                RecordData::Image(i) => Some((r.line, i)),
                _ => None,
            })
            .unwrap();
        assert_eq!(image.0, 1);
        assert_eq!(
            image.1.reference.as_deref(),
            Some("contoso.azurecr.io/nav:nl-ltsc2019")
        );
    }

    fn invocations(out: &Output) -> Vec<(&crate::model::Record, &Invocation)> {
        out.typed(|d| match d {
            RecordData::Invocation(x) => Some(x),
            _ => None,
        })
    }

    fn images(out: &Output) -> Vec<(&crate::model::Record, &ImageFacts)> {
        out.typed(|d| match d {
            RecordData::Image(x) => Some(x),
            _ => None,
        })
    }

    /// See: corpus 105 (navcontainerhelper#1428): the current header, then
    /// an earlier one pasted below it; each is its own block, in order.
    #[test]
    fn two_headers_are_two_blocks_in_input_order() {
        let out = run("Platform: 24.0.1.2\n\
             Generic Tag: 1.0.2.15\n\
             Container OS Version: 10.0.20348.2227 (ltsc2022)\n\
             Host OS Version: 10.0.20348.2340 (ltsc2022)\n\
             Using hyperv isolation\n\
             \n\
             Generic Tag: 1.0.2.15\n\
             Container OS Version: 10.0.20348.2113 (ltsc2022)\n\
             Host OS Version: 10.0.20348.2113 (ltsc2022)\n\
             Using process isolation\n");
        let spans: Vec<_> = out.sections.iter().map(|s| (s.line, s.end_line)).collect();
        assert_eq!(spans, [(1, 5), (7, 10)]);
        let hosts: Vec<_> = out
            .hosts()
            .iter()
            .map(|(r, h)| (r.line, h.version.and_then(|v| v.revision)))
            .collect();
        assert_eq!(hosts, [(4, Some(2340)), (9, Some(2113))]);
        let images: Vec<_> = images(&out)
            .iter()
            .map(|(r, i)| (r.line, i.os_version.and_then(|v| v.revision)))
            .collect();
        assert_eq!(images, [(3, Some(2227)), (8, Some(2113))]);
        let isolations: Vec<_> = invocations(&out)
            .iter()
            .map(|(r, i)| (r.line, i.isolation))
            .collect();
        assert_eq!(
            isolations,
            [(5, Some(Isolation::Hyperv)), (10, Some(Isolation::Process))]
        );
    }

    /// See: corpus N11 (docker/for-win#2777): the helper's own notice says
    /// which isolation it forces; the image is the one the create step used.
    #[test]
    fn forced_isolation_and_the_image_of_the_creating_step() {
        let out = run("Using image contoso/bc:onprem-ltsc2016\n\
             Creating Nav container demo-7\n\
             Container OS Version: 10.0.14393.2551\n\
             Host OS Version: 10.0.17763.0\n\
             The container operating system does not match the host operating system, forcing hyperv isolation.\n\
             Using generic image contoso/bc:generic-ltsc2019\n\
             Generic Container OS Version: 10.0.17763.1577 (ltsc2019)\n\
             Creating container demo-7 from image contoso/bc:generic-ltsc2019\n");
        let invs = invocations(&out);
        assert_eq!(invs.len(), 1);
        let (r, inv) = invs[0];
        assert_eq!(r.line, 8);
        assert_eq!(inv.isolation, Some(Isolation::Hyperv));
        assert_eq!(inv.image.as_deref(), Some("contoso/bc:generic-ltsc2019"));
        assert_eq!(inv.name.as_deref(), Some("demo-7"));
        let imgs: Vec<_> = images(&out)
            .iter()
            .map(|(_, i)| {
                (
                    i.reference.clone().unwrap_or_default(),
                    i.os_version.map(|v| v.build),
                )
            })
            .collect();
        assert_eq!(
            imgs,
            [
                ("contoso/bc:onprem-ltsc2016".to_owned(), Some(14393)),
                ("contoso/bc:generic-ltsc2019".to_owned(), Some(17763)),
            ]
        );
    }

    #[test]
    fn ci_timestamps_do_not_hide_header_lines() {
        let out = run(
            "[2024-05-02T08:11:09.412Z] Container OS Version: 10.0.17763.5458 (ltsc2019)\n\
             [2024-05-02T08:11:09.415Z] Host OS Version: 10.0.20348.2340 (21H2)\n\
             [2024-05-02T08:11:09.420Z] Using Hyper-V isolation\n\
             08:11:10 Creating container agent-3 from image contoso/bc:ltsc2019\n",
        );
        assert_eq!(out.hosts()[0].1.version.map(|v| v.build), Some(20348));
        let (_, inv) = invocations(&out)[0];
        assert_eq!(inv.isolation, Some(Isolation::Hyperv));
        assert_eq!(inv.image.as_deref(), Some("contoso/bc:ltsc2019"));
        assert_eq!(
            strip_log_prefix("2024-05-02 08:11:09,123 Using image x"),
            "Using image x"
        );
        assert_eq!(strip_log_prefix("[Event Detail: x]"), "[Event Detail: x]");
        assert_eq!(
            isolation_stated("WARNING: Container and host OS build is different. Using Hyper-V isolation is recommended."),
            None
        );
        assert_eq!(
            isolation_stated("Using Hyper-V isolation"),
            Some(Isolation::Hyperv)
        );
    }

    /// See: corpus N15: only the create step is left of the header.
    #[test]
    fn a_lone_create_step_is_an_invocation() {
        let out =
            run("Creating container bc-9 from image contoso/bc:10.0.20348.2322\nsomething else\n");
        let (_, inv) = invocations(&out)[0];
        assert_eq!(inv.image.as_deref(), Some("contoso/bc:10.0.20348.2322"));
        let out = run("Using process isolation\n");
        assert_eq!(invocations(&out)[0].1.command, "isolation statement");
        // A weak marker alone is not a header.
        assert!(run("Using image contoso/x:1\n").records.is_empty());
    }

    #[test]
    fn helper_command_line_isolation_and_image() {
        let out = run(
            "PS C:\\> New-BcContainer -accept_eula -containerName bc1 `\n\
             \x20   -imageName contoso/bc:ltsc2022 -isolation process `\n\
             \x20   -auth NavUserPassword\n",
        );
        let invs = invocations(&out);
        assert_eq!(invs.len(), 1);
        let (r, inv) = invs[0];
        assert_eq!((r.line, r.end_line), (1, 3));
        assert_eq!(inv.command, "New-BcContainer");
        assert_eq!(inv.isolation, Some(Isolation::Process));
        assert_eq!(inv.image.as_deref(), Some("contoso/bc:ltsc2022"));
        assert_eq!(inv.name.as_deref(), Some("bc1"));
        let out = run("`New-NavContainer -containerName x -isolation hyperv`\n");
        assert_eq!(invocations(&out)[0].1.isolation, Some(Isolation::Hyperv));
    }

    #[test]
    fn error_record_section_includes_the_message_line() {
        let out = run(
            "PS C:\\> docker run app\n\
             docker : Error response from daemon: hcs::CreateComputeSystem 4f2a: The container operating system does not match the host operating system.\n\
             At line:1 char:1\n\
             + docker run app\n\
             + ~~~~~~~~~~~~~~\n\
             \x20   + CategoryInfo          : NotSpecified: (Error response ...:String) [], RemoteException\n\
             \x20   + FullyQualifiedErrorId : NativeCommandError\n\
             \n",
        );
        assert_eq!(out.sections.len(), 1);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (2, 7));
    }

    #[test]
    fn plain_text_is_not_powershell() {
        let out = run("Pulling image mcr.microsoft.com/windows/servercore:ltsc2022\nKey: value\n");
        assert!(out.sections.is_empty());
    }
}
