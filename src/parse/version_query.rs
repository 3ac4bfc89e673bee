//! Host version queries run in `cmd` or PowerShell: `ver`, `reg query` of
//! `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`, and `systeminfo`.
//! Each block becomes a `VersionQuery` section and a `HostFacts` record.
//!
//! This module must not know which build is which release (that is
//! `knowledge::releases`) and decides nothing about compatibility. Version
//! text is read with `model::version::{parse_any, find_version}` so every
//! parser agrees on the forms.
//!
//! Host names come only from the output itself (`Host Name:`); a prompt
//! such as `PS C:\Users\ci>` or `C:\>` is never a host name.

use super::doc::{Doc, Output};
use crate::model::version::{find_version, parse_any};
use crate::model::{
    HostFacts, HostKind, ImageFacts, ImageOrigin, RecordData, SectionKind, WindowsVersion,
};
use nom::bytes::complete::{tag, tag_no_case, take_till, take_until};
use nom::character::complete::{alpha1, char, space0, space1};
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};
use regex::Regex;
use std::sync::LazyLock;

const KIND: SectionKind = SectionKind::VersionQuery;

/// Literals (lower case) of the version queries, for the streaming
/// prefilter (`super::prefilter`): `ver`'s `[Version 10.`, `reg query`'s
/// `CurrentBuild` / `BuildLabEx`, `systeminfo`'s `OS Version:`, `(OS
/// Build …)`.
pub const LITERALS: &[&str] = &[
    "[version 10.",
    "currentbuild",
    "buildlabex",
    "os version",
    "os build",
];

/// Scan `doc` for `ver`, `reg query` and `systeminfo` output.
pub fn scan(doc: &Doc, out: &mut Output) {
    scan_ver(doc, out);
    scan_reg_query(doc, out);
    scan_systeminfo(doc, out);
    scan_vm_image_reference(doc, out);
    scan_stated_versions(doc, out);
}

// ---------------------------------------------------------------- ver

/// `Microsoft Windows [Version 10.0.16299.125]`; returns the bracket's
/// content. Tolerance: localised Windows prints another word
/// (`[versión 10.0.19045.3693]`, `[Versione …]`), so any word is accepted
/// and the version is looked for inside.
fn ver_line(i: &str) -> IResult<&str, &str> {
    preceded(
        (space0, tag_no_case("Microsoft Windows"), space0),
        delimited(char('['), take_till(|c| c == ']'), char(']')),
    )
    .parse(i)
}

/// Commands whose output is the container's, not the host's.
const IN_CONTAINER: &[&str] = &[
    "docker run",
    "docker exec",
    "docker container run",
    "docker container exec",
    "kubectl exec",
    "ctr run",
    "ctr task exec",
    "crictl exec",
    "Enter-PSSession -ContainerId",
];

fn scan_ver(doc: &Doc, out: &mut Output) {
    for (idx, line) in doc.lines.iter().enumerate() {
        let Ok((_, inner)) = ver_line(line) else {
            continue;
        };
        let Some((version, _)) = find_version(inner) else {
            continue;
        };
        let n = idx + 1;
        out.section(KIND, n, n);
        // `ver` run inside a container reports the container's OS: the
        // command a line or two above says so. That is not a host fact.
        let above = doc
            .lines
            .get(idx.saturating_sub(3)..idx)
            .unwrap_or_default();
        if above
            .iter()
            .any(|l| IN_CONTAINER.iter().any(|c| l.contains(c)))
        {
            continue;
        }
        let facts = HostFacts {
            version: Some(version),
            version_text: Some(line.trim().to_owned()),
            os_type: Some("windows".to_owned()),
            ..HostFacts::default()
        };
        out.record(KIND, n, n, RecordData::Host(facts));
    }
}

// ---------------------------------------------------------- reg query

/// One value line of `reg query`:
/// `    BuildLabEx    REG_SZ    14393.321.amd64fre.rs1_release_inmarket.161004-2338`
/// → (`BuildLabEx`, `REG_SZ`, value). reg.exe separates the columns with
/// four spaces; value names may contain single spaces.
fn reg_value(i: &str) -> IResult<&str, (&str, &str, &str)> {
    let (i, _) = space1(i)?;
    let (i, name) = take_until("    REG_")(i)?;
    let (i, _) = space1(i)?;
    let (i, kind) = preceded(tag("REG_"), alpha1).parse(i)?;
    let (value, _) = space0(i)?;
    Ok(("", (name.trim(), kind, value.trim())))
}

/// `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion`, the
/// key line `reg query` prints above the values.
fn is_reg_key_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("HKEY_") || t.starts_with("HKLM\\")
}

/// Version-related values of the CurrentVersion key, wherever they came
/// from (`reg query` here, `Get-ItemProperty` in `powershell`).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct CurrentVersion {
    pub current_build: Option<u32>,
    pub ubr: Option<u32>,
    pub build_lab_ex: Option<String>,
    pub product_name: Option<String>,
    pub display_version: Option<String>,
    pub installation_type: Option<String>,
}

impl CurrentVersion {
    /// Take one `name = value` pair; `true` when the name is one we read.
    pub(crate) fn take(&mut self, name: &str, value: &str) -> bool {
        let value = value.trim();
        match name {
            "CurrentBuild" | "CurrentBuildNumber" => {
                self.current_build = self.current_build.or_else(|| value.parse().ok());
            }
            "UBR" => self.ubr = parse_dword(value),
            "BuildLabEx" => self.build_lab_ex = Some(value.to_owned()),
            "ProductName" => self.product_name = Some(value.to_owned()),
            "DisplayVersion" => self.display_version = Some(value.to_owned()),
            "ReleaseId" => {
                self.display_version = self.display_version.take().or(Some(value.to_owned()));
            }
            "InstallationType" => self.installation_type = Some(value.to_owned()),
            _ => return false,
        }
        true
    }

    /// The host version: `CurrentBuild` + `UBR` when present (the real
    /// build.revision), else `BuildLabEx`. BuildLabEx is last because
    /// enablement-package releases keep the base build there
    /// (19044 shows `19041.1.amd64fre.vb_release…`; facts.md §2.2).
    pub(crate) fn version(&self) -> Option<(WindowsVersion, String)> {
        if let Some(build) = self.current_build {
            let v = parse_any(&build.to_string()).ok()?;
            let v = WindowsVersion {
                revision: self.ubr,
                ..v
            };
            let text = match self.ubr {
                Some(ubr) => format!("CurrentBuild {build}, UBR {ubr}"),
                None => format!("CurrentBuild {build}"),
            };
            return Some((v, text));
        }
        let lab = self.build_lab_ex.as_deref()?;
        parse_any(lab)
            .ok()
            .map(|v| (v, format!("BuildLabEx {lab}")))
    }

    /// Host facts, when a version was found.
    pub(crate) fn facts(&self) -> Option<HostFacts> {
        let (version, text) = self.version()?;
        let kind = match self.installation_type.as_deref() {
            Some(t) if t.eq_ignore_ascii_case("client") => Some(HostKind::Client),
            Some(t) if t.to_ascii_lowercase().starts_with("server") => Some(HostKind::Server),
            _ => self.product_name.as_deref().and_then(kind_from_name),
        };
        Some(HostFacts {
            version: Some(version),
            version_text: Some(text),
            // As printed: on Windows 11 the registry still says "Windows 10"
            // (facts.md §2.2); the build tells them apart, not this name.
            os_name: self.product_name.clone(),
            os_type: Some("windows".to_owned()),
            kind,
            ..HostFacts::default()
        })
    }
}

/// A REG_DWORD as reg.exe (`0xd2f`) or PowerShell (`3375`) prints it.
fn parse_dword(value: &str) -> Option<u32> {
    let v = value.trim();
    match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

/// `Server`/`Client` from a product name (`Windows Server 2019 Datacenter`,
/// `Windows 10 Enterprise`).
pub(crate) fn kind_from_name(name: &str) -> Option<HostKind> {
    if name.contains("Server") {
        Some(HostKind::Server)
    } else if name.contains("Windows 10") || name.contains("Windows 11") {
        Some(HostKind::Client)
    } else {
        None
    }
}

fn scan_reg_query(doc: &Doc, out: &mut Output) {
    // A block is the value lines plus the key line just above them.
    for (first, last) in doc.runs(|l| reg_value(l).is_ok(), 0) {
        let start = if first > 1 && is_reg_key_line(doc.line(first - 1)) {
            first - 1
        } else {
            first
        };
        let mut cv = CurrentVersion::default();
        let mut known = false;
        for n in first..=last {
            if let Ok((_, (name, _, value))) = reg_value(doc.line(n)) {
                known |= cv.take(name, value);
            }
        }
        if !known && start == first {
            // A lone `    X    REG_SZ    Y` with no key line and no name we
            // know: too weak to call it reg output.
            continue;
        }
        out.section(KIND, start, last);
        if let Some(facts) = cv.facts() {
            out.record(KIND, start, last, RecordData::Host(facts));
        }
    }
}

// --------------------------------------------------------- systeminfo

/// The field names `systeminfo` prints, in English. Only these count as
/// systeminfo lines, so that other `Key: value` text is not taken.
const SYSTEMINFO_KEYS: &[&str] = &[
    "Host Name",
    "OS Name",
    "OS Version",
    "OS Manufacturer",
    "OS Configuration",
    "OS Build Type",
    "Registered Owner",
    "Registered Organization",
    "Product ID",
    "Original Install Date",
    "System Boot Time",
    "System Manufacturer",
    "System Model",
    "System Type",
    "Processor(s)",
    "BIOS Version",
    "Windows Directory",
    "System Directory",
    "Boot Device",
    "System Locale",
    "Input Locale",
    "Time Zone",
    "Total Physical Memory",
    "Available Physical Memory",
    "Virtual Memory: Max Size",
    "Virtual Memory: Available",
    "Virtual Memory: In Use",
    "Page File Location(s)",
    "Domain",
    "Logon Server",
    "Hotfix(s)",
    "Network Card(s)",
    "Hyper-V Requirements",
];

/// `OS Version:                10.0.14393 N/A Build 14393` → (`OS Version`,
/// `10.0.14393 N/A Build 14393`). The key is one of [`SYSTEMINFO_KEYS`].
fn systeminfo_field(i: &str) -> IResult<&str, (&str, &str)> {
    for key in SYSTEMINFO_KEYS {
        let r: IResult<&str, &str> = (tag(*key), char(':'), space0).map(|(k, _, _)| k).parse(i);
        if let Ok((value, k)) = r {
            return Ok(("", (k, value.trim())));
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(
        i,
        nom::error::ErrorKind::Tag,
    )))
}

/// systeminfo lists (hotfixes, network cards) continue on lines indented
/// to the value column: `                           [01]: KB4054590`.
fn is_systeminfo_continuation(line: &str) -> bool {
    line.len() - line.trim_start().len() >= 20 && !line.trim().is_empty()
}

fn scan_systeminfo(doc: &Doc, out: &mut Output) {
    let mut n = 1;
    while n <= doc.len() {
        if systeminfo_field(doc.line(n)).is_err() {
            n += 1;
            continue;
        }
        let start = n;
        let mut end = n;
        let mut fields = 0usize;
        let mut facts = HostFacts {
            os_type: Some("windows".to_owned()),
            ..HostFacts::default()
        };
        let mut m = n;
        while m <= doc.len() {
            let line = doc.line(m);
            if let Ok((_, (key, value))) = systeminfo_field(line) {
                fields += 1;
                end = m;
                match key {
                    "Host Name" if !value.is_empty() => facts.name = Some(value.to_owned()),
                    "OS Name" if !value.is_empty() => {
                        facts.kind = kind_from_name(value);
                        facts.os_name = Some(value.to_owned());
                    }
                    "OS Version" => {
                        if let Some((v, _)) = find_version(value) {
                            facts.version = Some(v);
                            facts.version_text = Some(value.to_owned());
                        }
                    }
                    _ => {}
                }
            } else if !is_systeminfo_continuation(line) {
                break;
            }
            m += 1;
        }
        // Two fields at least (`systeminfo | findstr /B "OS Name" "OS Version"`
        // prints two), or one that carries the version.
        if fields >= 2 || facts.version.is_some() {
            out.section(KIND, start, end);
            if facts.version.is_some() || facts.name.is_some() {
                out.record(KIND, start, end, RecordData::Host(facts));
            }
        }
        n = m.max(n + 1);
    }
}

// --------------------------------------------- VM image reference (Azure)

/// An Azure VM image reference block, as the portal, `az vm show` and AKS
/// node pool pages print it: `Publisher: microsoft-aks`, `Offer:
/// aks-windows`, `SKU: aks-2019-datacenter-core-smalldisk-2012`, `Version:
/// 17763.1579.201208`. A Windows marketplace image's version is
/// `build.revision.yymmdd`: the host's build and revision, then a date
/// (never an image build).
///
/// quirk_markdown_hard_break: the corpus copy (fluent/fluentd-docker-image#246)
/// keeps Markdown's two trailing spaces; `Doc::lines` trims them.
fn scan_vm_image_reference(doc: &Doc, out: &mut Output) {
    let field = |n: usize, key: &str| -> Option<String> {
        let (k, v) = doc.line(n).trim().split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().to_owned())
    };
    for n in 1..=doc.len() {
        let Some(publisher) = field(n, "Publisher") else {
            continue;
        };
        let window = n..=(n + 4).min(doc.len());
        let find = |key: &str| window.clone().find_map(|k| field(k, key).map(|v| (k, v)));
        let (Some((_, offer)), Some((_, sku)), Some((vline, version))) =
            (find("Offer"), find("SKU"), find("Version"))
        else {
            continue;
        };
        let windows = [&publisher, &offer, &sku]
            .iter()
            .any(|t| t.to_ascii_lowercase().contains("windows") || t.contains("-datacenter"));
        let mut parts = version.split('.').map(str::parse::<u32>);
        let (Some(Ok(build)), Some(Ok(revision))) = (parts.next(), parts.next()) else {
            continue;
        };
        if !windows || !(10240..100_000).contains(&build) {
            continue;
        }
        let end = window
            .clone()
            .filter(|&k| !doc.line(k).trim().is_empty())
            .max()
            .unwrap_or(vline);
        out.section(KIND, n, end);
        let facts = HostFacts {
            version: Some(WindowsVersion::new(build, Some(revision))),
            version_text: Some(format!("Version: {version}")),
            os_name: Some(sku.clone()),
            os_type: Some("windows".to_owned()),
            ..HostFacts::default()
        };
        out.record(KIND, vline, vline, RecordData::Host(facts));
    }
}

// ------------------------------------------------- stated versions

static RE_STATED: LazyLock<Regex> = LazyLock::new(|| {
    // A label is one to six words with single spaces and no `/` (not a
    // table row, an image reference or a node-selector key), then `: ` or
    // `=`; the value is the rest of the line. The pattern stops at the
    // separator: with the value in it (`(.+)$`) captures ran over every
    // byte of a line, which made a window of long log lines cost
    // milliseconds (issue 14).
    Regex::new(r"^\s*(?:[-*•]\s+)?\**([A-Za-z][A-Za-z0-9()_.-]*(?: [A-Za-z0-9()_.-]+){0,5})\**(?::\s+|\s*=\s*)")
        .expect("static regex")
});

/// Whether a lower-cased label has `os` as a word (`Host OS`, `os-build`),
/// not inside one (`Host`, `Cost`).
fn has_os_word(l: &str) -> bool {
    l.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "os")
}

/// Whether a line has a run of exactly five digits (every Windows build
/// since 10240 has five).
fn has_build_digits(line: &str) -> bool {
    let mut run = 0;
    for b in line.bytes().chain(std::iter::once(b' ')) {
        if b.is_ascii_digit() {
            run += 1;
        } else {
            if run == 5 {
                return true;
            }
            run = 0;
        }
    }
    false
}

/// The label and value of a statement line: `Label: value`, `Label =
/// value`, or a two-column Markdown table row `| Host OS | Windows Server
/// 2019 (10.0.17763.1234) |` (issue templates).
fn stated_pair(line: &str) -> Option<(&str, &str)> {
    let t = line.trim();
    if let Some(row) = t.strip_prefix('|') {
        let cells: Vec<&str> = row
            .trim_end_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('*').trim())
            .collect();
        if let [label, value] = cells.as_slice() {
            let one_label = RE_STATED.is_match(&format!("{label}: x"));
            return (one_label && !value.is_empty()).then_some((*label, *value));
        }
        return None;
    }
    let caps = RE_STATED.captures(line)?;
    let value = line.get(caps.get(0)?.end()..)?;
    (!value.is_empty()).then_some((caps.get(1)?.as_str().trim(), value))
}

static RE_BARE_BUILD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9.])([12][0-9]{4})(?:\.([0-9]{1,5}))?(?:$|[^0-9.])")
        .expect("static regex")
});

/// A build without `10.0.` where the label says it is one: `Host OS build:
/// 19044.1234`, `| Host OS | Windows 10 21H2 (19044.1234) |`. Only with a
/// label naming a build or version, and only a five-digit build of at
/// least 10240 (not a date such as `20240101`, not `20.10.21`).
fn bare_build(label: &str, value: &str) -> Option<WindowsVersion> {
    let l = label.to_ascii_lowercase();
    if !(l.contains("build") || l.contains("version") || has_os_word(&l)) {
        return None;
    }
    let caps = RE_BARE_BUILD.captures(value)?;
    let build: u32 = caps.get(1)?.as_str().parse().ok()?;
    if build < 10240 {
        return None;
    }
    let revision = caps.get(2).and_then(|m| m.as_str().parse().ok());
    Some(WindowsVersion::new(build, revision))
}

/// Labels other parsers read in their own blocks (`docker info`, `kubectl
/// describe node`, `systeminfo`, BcContainerHelper): left to them.
const OWNED_LABELS: &[&str] = &[
    "os version",
    "kernel version",
    "operating system",
    "host os version",
    "container os version",
    "generic container os version",
    "os build",
];

/// Which side a label speaks of: `Some(true)` a host (`Host OS`, `Node
/// version`, `Agent OS build`, `Windows build`), `Some(false)` an image
/// (`Image OS version`, `Base image version`), `None` neither or both.
fn stated_side(label: &str) -> Option<bool> {
    let l = label.to_ascii_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    let image = has(&["image", "container", "base os", "guest"]);
    let host = has(&[
        "host", "node", "machine", "agent", "runner", "server", "vm ", "kernel", "windows",
    ]) || l == "os"
        || l.starts_with("os ");
    let about_version = has(&["version", "build", "windows", "kernel"]) || has_os_word(&l);
    match (host, image) {
        _ if !about_version => None,
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// A version any tool states on a `Label: value` line near a failure:
/// `Host OS: Windows Server 2019 (10.0.17763)`, `Node Windows build:
/// 10.0.20348.1906`, `Agent.OSVersion = 10.0.17763`, `Image OS version:
/// 10.0.17763.437`. The label says whose version it is; the value must hold
/// a `10.0.B[.R]` (or `OS Build B.R`) version. Lines inside a block another
/// parser already read, and labels those parsers own, are left alone.
fn scan_stated_versions(doc: &Doc, out: &mut Output) {
    // Lines inside a Host/Image record of the parsers that ran before:
    // a difference array over the spans, linear in lines + records.
    let mut depth = vec![0i64; doc.len() + 2];
    for r in &out.records {
        if matches!(r.data, RecordData::Host(_) | RecordData::Image(_)) {
            if let Some(d) = depth.get_mut(r.line) {
                *d += 1;
            }
            if let Some(d) = depth.get_mut(r.end_line + 1) {
                *d -= 1;
            }
        }
    }
    let mut running = 0;
    let covered: Vec<bool> = depth
        .iter()
        .map(|d| {
            running += d;
            running > 0
        })
        .collect();
    let covered = |n: usize| covered.get(n).copied().unwrap_or(false);
    for n in 1..=doc.len() {
        // Cheap test first: every version has a run of five digits.
        let raw = doc.line(n);
        if !has_build_digits(raw) {
            continue;
        }
        let line = super::doc::strip_log_prefix(raw);
        let Some((label, value)) = stated_pair(line) else {
            continue;
        };
        // A statement's value is short (`Windows Server 2019 (10.0.17763.4010)`);
        // a long one is prose that happens to start with a label.
        if value.chars().count() > 100 {
            continue;
        }
        if OWNED_LABELS.iter().any(|o| label.eq_ignore_ascii_case(o)) || covered(n) {
            continue;
        }
        let Some(host) = stated_side(label) else {
            continue;
        };
        let Some(version) = find_version(value)
            .map(|(v, _)| v)
            .or_else(|| bare_build(label, value))
        else {
            continue;
        };
        out.section(KIND, n, n);
        let data = if host {
            RecordData::Host(HostFacts {
                version: Some(version),
                version_text: Some(line.trim().to_owned()),
                os_type: Some("windows".to_owned()),
                ..HostFacts::default()
            })
        } else {
            RecordData::Image(ImageFacts {
                origin: ImageOrigin::Inspect,
                reference: None,
                aliases: Vec::new(),
                os: Some("windows".to_owned()),
                os_version: Some(version),
                layers: Vec::new(),
                platforms: Vec::new(),
            })
        };
        out.record(KIND, n, n, data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    /// See: corpus 103: an AKS node's VM image reference, Markdown hard
    /// breaks kept; `201208` is a date, never a build.
    #[test]
    fn azure_vm_image_reference_is_the_host() {
        let out = run("Publisher: microsoft-aks  \nOffer: aks-windows  \nSKU: aks-2022-datacenter-core-2211  \nVersion: 20348.1249.221202  \n\n[rpc error: …]\n");
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].0.line, 4);
        assert_eq!(
            hs[0].1.version,
            Some(WindowsVersion::new(20348, Some(1249)))
        );
        // A Linux node pool's reference is not a Windows host.
        let out = run(
            "Publisher: microsoft-aks\nOffer: aks\nSKU: aks-ubuntu-2204gen2\nVersion: 2022.10.03\n",
        );
        assert!(out.hosts().is_empty());
    }

    #[test]
    fn versions_stated_by_any_tool() {
        let out = run("Host OS: Windows Server 2019 Datacenter (10.0.17763.4010)\n\
             - **Node Windows build**: 10.0.20348\n\
             Agent.OSVersion = 10.0.17763\n\
             Image OS version: 10.0.17763.437\n\
             Base image: mcr.microsoft.com/windows/servercore:ltsc2019\n\
             Error: a Windows version 10.0.18362-based image is incompatible with a 10.0.17763 host\n\
             Container and host versions: 10.0.17763 / 10.0.20348\n\
             ctr run --rm mcr.microsoft.com/windows:10.0.19042.1889-amd64 demo\n\
             a2c4e6f8b0d1   contoso/nanoserver:10.0.14393.2248   \"cmd /c ver\"\n\
             Node-Selectors:  node.kubernetes.io/windows-build=10.0.17763\n");
        let hosts: Vec<_> = out
            .hosts()
            .iter()
            .map(|(r, h)| (r.line, h.version))
            .collect();
        assert_eq!(
            hosts,
            [
                (1, Some(WindowsVersion::new(17763, Some(4010)))),
                (2, Some(WindowsVersion::new(20348, None))),
                (3, Some(WindowsVersion::new(17763, None))),
            ]
        );
        let images: Vec<_> = out
            .typed(|d| match d {
                RecordData::Image(i) => Some(i),
                _ => None,
            })
            .iter()
            .map(|(r, i)| (r.line, i.os_version))
            .collect();
        assert_eq!(images, [(4, Some(WindowsVersion::new(17763, Some(437))))]);
    }

    #[test]
    fn builds_stated_without_ten_zero_and_in_template_tables() {
        let out = run("- Host OS build: 19044.2846\n\
             | Host OS | Windows Server 2019 Datacenter (17763.4252) |\n\
             | **Container image OS** | 10.0.20348.1668 |\n\
             Runner image version: 20240101.1\n\
             Docker version: 20.10.21, build 22222\n\
             | Docker | 24.0.7 | 20348 |\n\
             Host: server-12345\n\
             Node: win-node-20348\n\
             Image OS version metadata: the index platform field (e.g. `10.0.14393.1066` on windows; implementations may refuse manifests whose version is unknown)\n");
        let hosts: Vec<_> = out
            .hosts()
            .iter()
            .map(|(r, h)| (r.line, h.version))
            .collect();
        assert_eq!(
            hosts,
            [
                (1, Some(WindowsVersion::new(19044, Some(2846)))),
                (2, Some(WindowsVersion::new(17763, Some(4252)))),
            ]
        );
        let images: Vec<_> = out
            .typed(|d| match d {
                RecordData::Image(i) => Some(i),
                _ => None,
            })
            .iter()
            .map(|(r, i)| (r.line, i.os_version))
            .collect();
        assert_eq!(images, [(3, Some(WindowsVersion::new(20348, Some(1668))))]);
    }

    #[test]
    fn ver_gives_the_host_version_without_a_name() {
        let out = run("C:\\Users\\ops>ver\n\nMicrosoft Windows [Version 10.0.16299.125]\n");
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].0.line, 3);
        assert_eq!(hs[0].1.version, Some(WindowsVersion::new(16299, Some(125))));
        assert_eq!(hs[0].1.name, None);
        assert_eq!(out.sections.len(), 1);
    }

    #[test]
    fn localised_ver_is_read() {
        let out = run("Microsoft Windows [versión 10.0.19045.3693]\n");
        assert_eq!(
            out.hosts()[0].1.version,
            Some(WindowsVersion::new(19045, Some(3693)))
        );
    }

    #[test]
    fn ver_inside_a_container_is_not_a_host_fact() {
        let out = run("PS C:\\> docker run --rm mcr.microsoft.com/windows/nanoserver:ltsc2022 cmd /c ver\n\nMicrosoft Windows [Version 10.0.20348.2340]\n");
        assert!(out.hosts().is_empty());
        assert_eq!(out.sections.len(), 1, "still a version-query section");
    }

    #[test]
    fn reg_query_build_lab_ex() {
        let out = run(
            "C:\\> reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\" /v BuildLabEx\n\n\
             HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\n    \
             BuildLabEx    REG_SZ    14393.321.amd64fre.rs1_release_inmarket.161004-2338\n\n",
        );
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        assert_eq!((hs[0].0.line, hs[0].0.end_line), (3, 4));
        assert_eq!(hs[0].1.version, Some(WindowsVersion::new(14393, Some(321))));
    }

    #[test]
    fn reg_query_current_build_and_ubr_beat_build_lab_ex() {
        // Enablement package: 19044 with the 19041 base in BuildLabEx.
        let out = run(
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\n    \
             BuildLabEx    REG_SZ    19041.1.amd64fre.vb_release.191206-1406\n    \
             CurrentBuild    REG_SZ    19044\n    \
             UBR    REG_DWORD    0xe6d\n    \
             ProductName    REG_SZ    Windows 10 Enterprise\n    \
             InstallationType    REG_SZ    Client\n",
        );
        let h = out.hosts()[0].1;
        assert_eq!(h.version, Some(WindowsVersion::new(19044, Some(3693))));
        assert_eq!(h.kind, Some(HostKind::Client));
        assert_eq!(h.os_name.as_deref(), Some("Windows 10 Enterprise"));
    }

    #[test]
    fn systeminfo_names_the_host() {
        let out = run("Host Name:                 BUILD-HOST-03\n\
             OS Name:                   Microsoft Windows Server 2016 Datacenter\n\
             OS Version:                10.0.14393 N/A Build 14393\n\
             OS Manufacturer:           Microsoft Corporation\n\
             Hotfix(s):                 2 Hotfix(s) Installed.\n\
             \x20                          [01]: KB4132216\n\
             \x20                          [02]: KB4103720\n\
             Network Card(s):           1 NIC(s) Installed.\n\
             \n\
             PS C:\\> docker info\n");
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        let (r, h) = hs[0];
        assert_eq!((r.line, r.end_line), (1, 8));
        assert_eq!(h.name.as_deref(), Some("BUILD-HOST-03"));
        assert_eq!(h.version, Some(WindowsVersion::new(14393, None)));
        assert_eq!(h.kind, Some(HostKind::Server));
    }

    #[test]
    fn findstr_filtered_systeminfo() {
        let out = run("OS Name:                   Microsoft Windows 10 Pro\nOS Version:                10.0.19045 N/A Build 19045\n");
        let h = out.hosts()[0].1;
        assert_eq!(h.version, Some(WindowsVersion::new(19045, None)));
        assert_eq!(h.kind, Some(HostKind::Client));
        assert_eq!(h.name, None);
    }

    #[test]
    fn prose_with_a_colon_is_not_systeminfo() {
        let out = run("Domain: we saw this on many hosts\nnothing else\n");
        assert!(out.sections.is_empty());
    }
}
