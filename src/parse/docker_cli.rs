//! Command lines shown in pasted output (`docker run …`, `docker pull …`,
//! `docker build …`, `docker service create …`, `docker compose up`,
//! `ctr run …`, `ctr images pull …`, `crictl pull …`), with or without a
//! shell prompt, read into `Invocation` records; plus what build and pull
//! output says about images (`Step 1/5 : FROM …`, `Unable to find image
//! '…' locally`, `ltsc2019: Pulling from windows/servercore`).
//!
//! Flags are parsed the way docker's own flag parser reads them (flags that
//! take a value consume the next word unless written `--flag=value`), so
//! the image is the first positional argument. This module must not know
//! which builds are compatible nor how reports look.

use super::doc::{Doc, Output};
use super::gated::Gated;
use crate::model::version::parse_any;
use crate::model::{
    HostFacts, ImageFacts, ImageOrigin, Invocation, Isolation, RecordData, SectionKind,
};
use nom::{
    branch::alt,
    bytes::complete::{tag, take_till, take_while1},
    character::complete::{char, satisfy, space0},
    combinator::recognize,
    IResult, Parser,
};
use regex::Regex;

/// At most this many continuation lines (`\`, `` ` ``, `^`) are joined.
const MAX_CONTINUATIONS: usize = 50;
/// How many lines above a pull message are searched for its command.
const PULL_LOOKBACK: usize = 6;

/// Literals (lower case) that start this module's records, for the
/// streaming prefilter (`super::prefilter`): `docker ` starts the command
/// lines it reads (`docker run …`, `docker pull …`, `docker service
/// create …`; `docker` then a blank, which also covers dockerd's `Docker
/// daemon` start-up line).
pub const LITERALS: &[&str] = &["docker "];

/// Scan `doc` for command lines and build/pull output.
pub fn scan(doc: &Doc, out: &mut Output) {
    // Lines (0-based) of command invocations that named an image, so that
    // pull messages right after them add nothing.
    let mut with_image: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < doc.lines.len() {
        let line = doc.lines.get(i).map_or("", String::as_str);
        if let Some(cmd) = strip_prompt(line) {
            if let Some((section, data)) = format_query_answer(cmd, doc.lines.get(i + 1)) {
                out.section(section, i + 1, i + 2);
                out.record(section, i + 2, i + 2, data);
                i += 2;
                continue;
            }
            let (text, used) = join_continuations(doc, i, cmd);
            if let Some(inv) = parse_command(&text) {
                if inv.image.is_some() {
                    with_image.push(i + used - 1);
                }
                out.section(SectionKind::DockerCli, i + 1, i + used);
                out.record(
                    SectionKind::DockerCli,
                    i + 1,
                    i + used,
                    RecordData::Invocation(inv),
                );
                i += used;
                continue;
            }
        }
        if let Some(inv) = command_in_code_span(line).or_else(|| image_statement(line)) {
            if inv.image.is_some() {
                with_image.push(i);
            }
            out.section(SectionKind::DockerCli, i + 1, i + 1);
            out.record(
                SectionKind::DockerCli,
                i + 1,
                i + 1,
                RecordData::Invocation(inv),
            );
            i += 1;
            continue;
        }
        if let Some(reference) = build_step_from(line) {
            out.section(SectionKind::DockerCli, i + 1, i + 1);
            out.record(
                SectionKind::DockerCli,
                i + 1,
                i + 1,
                RecordData::Image(ImageFacts {
                    origin: ImageOrigin::From,
                    reference: Some(reference),
                    aliases: Vec::new(),
                    os: None,
                    os_version: None,
                    layers: Vec::new(),
                    platforms: Vec::new(),
                }),
            );
        } else if let Some((command, image)) = pull_message(line) {
            let recent = with_image
                .last()
                .is_some_and(|&l| l < i && i - l <= PULL_LOOKBACK);
            if !recent {
                out.section(SectionKind::DockerCli, i + 1, i + 1);
                out.record(
                    SectionKind::DockerCli,
                    i + 1,
                    i + 1,
                    RecordData::Invocation(Invocation {
                        command: command.to_owned(),
                        image: Some(image),
                        isolation: None,
                        name: None,
                        text: line.trim().to_owned(),
                    }),
                );
                // One pull context per pull: later layer lines repeat it.
                with_image.push(i);
            }
        }
        i += 1;
    }
}

/// A shell prompt before a command: `$ `, `# `, `> `, `PS C:\> `, `PS> `,
/// `C:\Program Files\Docker>`, `user@host:~$ `, or a Markdown backtick.
fn prompt(i: &str) -> IResult<&str, &str> {
    recognize((
        space0,
        alt((
            // PowerShell: `PS C:\Users\me> `, `PS> `.
            recognize((tag("PS"), take_till(|c| c == '>'), char('>'))),
            // cmd.exe: `C:\Program Files\Docker>`.
            recognize((
                satisfy(|c| c.is_ascii_alphabetic()),
                tag(":\\"),
                take_till(|c| c == '>'),
                char('>'),
            )),
            // POSIX: `user@host:~/dir$ `.
            recognize((
                take_while1(|c: char| c.is_ascii_alphanumeric() || "_-.".contains(c)),
                char('@'),
                take_till(|c| c == '$' || c == '#'),
                alt((char('$'), char('#'))),
            )),
            tag("$"),
            tag("#"),
            tag(">"),
            tag("`"),
        )),
        space0,
    ))
    .parse(i)
}

/// The command text of a line that starts (after any prompt) with a
/// container tool: `PS C:\> docker run …` → `docker run …`.
///
/// quirk_markdown_command: tickets wrap the command in Markdown — bold
/// (`**docker run …**`), an inline code span with the prompt inside it
/// (`` `>docker pull …` ``, MicrosoftDocs/Virtualization-Documentation#1874),
/// a quote marker (already gone from `Doc::lines`) — and CI logs put a
/// timestamp before it (quirk_ci_timestamp); markup and prompt are peeled
/// off in any order, a few layers deep.
fn strip_prompt(line: &str) -> Option<&str> {
    let mut cmd = super::doc::strip_log_prefix(line);
    for _ in 0..4 {
        if starts_with_tool(cmd) {
            break;
        }
        let unmarked = cmd
            .trim_start()
            .trim_start_matches(['`', '*'])
            .trim_start_matches("__");
        // quirk_ci_step_header: GitHub Actions prints a step as `##[group]Run
        // docker run …` (raw log) or `Run docker run …` (web view), Azure
        // Pipelines as `##[command]docker run …`.
        let unmarked = ["##[command]", "##[group]"]
            .iter()
            .find_map(|p| unmarked.strip_prefix(p))
            .unwrap_or(unmarked);
        let unmarked = unmarked
            .strip_prefix("Run ")
            .filter(|rest| starts_with_tool(rest))
            .unwrap_or(unmarked);
        cmd = match prompt(unmarked) {
            Ok((rest, p)) if !p.is_empty() => rest,
            _ if unmarked.len() < cmd.trim_start().len() => unmarked,
            _ => return None,
        };
    }
    let cmd = cmd
        .trim_end()
        .trim_end_matches(['`', '*'])
        .trim_end_matches("__")
        .trim_end();
    starts_with_tool(cmd).then_some(cmd)
}

/// A command inside an inline code span in the middle of a sentence: `I
/// ran `docker run --isolation=process contoso/app:ltsc2022` and got:` →
/// that `docker run`. The first span that holds a command wins.
///
/// quirk_markdown_command (inline): tickets quote the command they ran in
/// their prose rather than on a line of its own.
fn command_in_code_span(line: &str) -> Option<Invocation> {
    if line.contains('`') {
        let found = line
            .split('`')
            .skip(1)
            .step_by(2)
            .filter_map(strip_prompt)
            .find_map(parse_command);
        if found.is_some() {
            return found;
        }
    }
    command_in_parentheses(line)
}

/// quirk_wrapped_command: a wrapper's error quotes the command it ran in
/// parentheses: `WriteErrorException: Proccess failed (docker run --env
/// "A=1" contoso/app:2009) after 00:00:00.12` (abbgrade/psdocker#15).
fn command_in_parentheses(line: &str) -> Option<Invocation> {
    if !line.contains('(') {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    let start = ["(docker ", "(docker.exe ", "(ctr ", "(crictl "]
        .iter()
        .filter_map(|p| lower.find(p))
        .min()?;
    let inner = line.get(start + 1..)?;
    // Up to the parenthesis that closes this one, outside quotes.
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut end = inner.len();
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') if depth == 0 => {
                end = i;
                break;
            }
            (None, ')') => depth -= 1,
            _ => {}
        }
    }
    parse_command(inner.get(..end)?.trim())
}

fn image_statement_re() -> &'static Gated {
    static RE: Gated = Gated::new(&["using "], || {
        Regex::new(r#"(?i)(?-u:\b)using (?:the )?(?:docker |container |base )?image:?\s+['"]?([A-Za-z0-9][^\s'"(),`]*)"#)
            .expect("static regex")
    });
    &RE
}

/// An image a tool or a person says it used, anywhere in a line: `… using
/// docker image mcr.microsoft.com/dotnet-buildtools/prereqs:… on a001`
/// (a Helix job header, dotnet/runtime#67728), `I'm using image
/// contoso/app:1.0`. Read as an `image statement` invocation with that
/// image; only a reference with a `/` or a `:` counts (not `using image
/// layers`). BcContainerHelper's own `Using image` lines are read by
/// `powershell`.
fn image_statement(line: &str) -> Option<Invocation> {
    let t = line.trim_start();
    if t.starts_with("Using image ") {
        return None;
    }
    let caps = image_statement_re().captures(line)?;
    let image = caps.get(1)?.as_str().trim_end_matches(['.', ':', ';']);
    if !(image.contains('/') || image.contains(':'))
        || crate::model::ImageRef::parse(image).is_err()
    {
        return None;
    }
    Some(Invocation {
        command: "image statement".to_owned(),
        image: Some(image.to_owned()),
        isolation: None,
        name: None,
        text: line.trim().to_owned(),
    })
}

fn starts_with_tool(s: &str) -> bool {
    let word = s.split_whitespace().next().unwrap_or("");
    let word = word.rsplit(['\\', '/']).next().unwrap_or(word);
    matches!(
        word.to_ascii_lowercase().as_str(),
        "docker" | "docker.exe" | "docker-compose" | "ctr" | "ctr.exe" | "crictl" | "crictl.exe"
    )
}

/// Join a command's continuation lines (bash `\`, PowerShell `` ` ``, cmd
/// `^`); returns the text and how many lines it used.
fn join_continuations(doc: &Doc, i: usize, first: &str) -> (String, usize) {
    let mut text = first.to_owned();
    let mut used = 1;
    let raw_first = doc.lines.get(i).map_or("", |l| l.trim_end());
    let mut continues = ends_with_continuation(raw_first);
    while continues && used <= MAX_CONTINUATIONS {
        let Some(next) = doc.lines.get(i + used) else {
            break;
        };
        let t = next.trim();
        text = strip_continuation(&text).to_owned();
        text.push(' ');
        text.push_str(strip_continuation(t));
        continues = ends_with_continuation(t);
        used += 1;
    }
    (strip_continuation(&text).to_owned(), used)
}

fn ends_with_continuation(s: &str) -> bool {
    let s = s.trim_end();
    s.ends_with(" \\") || s.ends_with(" `") || s.ends_with(" ^")
}

fn strip_continuation(s: &str) -> &str {
    let t = s.trim_end();
    if ends_with_continuation(t) {
        t.get(..t.len() - 1).unwrap_or(t).trim_end()
    } else {
        t
    }
}

/// quirk_format_query: the one-line answer of a `--format` query, the
/// next step wincompat itself prints when a version is missing:
/// `docker image inspect REF --format '{{.OsVersion}}'` → `10.0.17763.5206`
/// (the image's build), `docker info --format '{{.KernelVersion}}'` →
/// `10.0 17763 (17763.1.amd64fre.rs5_release.180914-1434)` (the host's).
/// Only a line that is a version and nothing else is taken.
fn format_query_answer(cmd: &str, next: Option<&String>) -> Option<(SectionKind, RecordData)> {
    let w = words(cmd);
    let format = w
        .iter()
        .position(|x| x == "--format" || x == "-f")
        .and_then(|p| w.get(p + 1))
        .map(String::as_str)
        .or_else(|| w.iter().find_map(|x| x.strip_prefix("--format=")))?;
    let answer = next?.trim();
    let version = parse_any(answer).ok()?;
    let args: Vec<&str> = w.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["docker", "image", "inspect", rest @ ..] | ["docker", "inspect", rest @ ..]
            if format.contains(".OsVersion") =>
        {
            let reference = rest
                .iter()
                .copied()
                .filter(|a| !a.starts_with('-') && *a != format)
                .find(|a| !a.is_empty())?;
            Some((
                SectionKind::DockerImageInspect,
                RecordData::Image(ImageFacts {
                    origin: ImageOrigin::Inspect,
                    reference: Some(reference.to_owned()),
                    aliases: Vec::new(),
                    os: Some("windows".to_owned()),
                    os_version: Some(version),
                    layers: Vec::new(),
                    platforms: Vec::new(),
                }),
            ))
        }
        ["docker", "info", ..] | ["docker", "system", "info", ..]
            if format.contains(".KernelVersion") =>
        {
            Some((
                SectionKind::DockerInfo,
                RecordData::Host(HostFacts {
                    version: Some(version),
                    version_text: Some(answer.to_owned()),
                    os_type: Some("windows".to_owned()),
                    ..HostFacts::default()
                }),
            ))
        }
        _ => None,
    }
}

/// Split a command line into words, honouring `'…'` and `"…"` quotes.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                any = true;
            }
            None if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            None => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// docker global flags that take a value (`docker -H tcp://x run …`).
const DOCKER_GLOBAL_VALUE: &[&str] = &[
    "-H",
    "--host",
    "-c",
    "--context",
    "--config",
    "-l",
    "--log-level",
    "--tlscacert",
    "--tlscert",
    "--tlskey",
];

/// `docker run` / `create` / `service create` flags that take a value.
const RUN_VALUE: &[&str] = &[
    "-a",
    "--attach",
    "--add-host",
    "--blkio-weight",
    "--cap-add",
    "--cap-drop",
    "--cgroup-parent",
    "--cidfile",
    "--config",
    "--constraint",
    "--container-label",
    "--cpu-count",
    "--cpu-percent",
    "--cpu-period",
    "--cpu-quota",
    "--cpu-shares",
    "-c",
    "--cpus",
    "--cpuset-cpus",
    "--cpuset-mems",
    "--credential-spec",
    "--device",
    "--dns",
    "--dns-option",
    "--dns-search",
    "--domainname",
    "-e",
    "--env",
    "--env-file",
    "--entrypoint",
    "--endpoint-mode",
    "--expose",
    "--generic-resource",
    "--gpus",
    "--group",
    "--group-add",
    "--health-cmd",
    "--health-interval",
    "--health-retries",
    "--health-start-period",
    "--health-timeout",
    "-h",
    "--hostname",
    "--host",
    "--ip",
    "--ip6",
    "--ipc",
    "--io-maxbandwidth",
    "--io-maxiops",
    "--isolation",
    "-l",
    "--label",
    "--label-file",
    "--limit-cpu",
    "--limit-memory",
    "--link",
    "--log-driver",
    "--log-opt",
    "--mac-address",
    "-m",
    "--memory",
    "--memory-reservation",
    "--memory-swap",
    "--mode",
    "--mount",
    "--name",
    "--network",
    "--net",
    "--network-alias",
    "--pid",
    "--placement-pref",
    "--platform",
    "-p",
    "--publish",
    "--pull",
    "--replicas",
    "--reserve-cpu",
    "--reserve-memory",
    "--restart",
    "--restart-condition",
    "--restart-delay",
    "--restart-max-attempts",
    "--restart-window",
    "--runtime",
    "--secret",
    "--security-opt",
    "--shm-size",
    "--stop-grace-period",
    "--stop-signal",
    "--stop-timeout",
    "--storage-opt",
    "--sysctl",
    "--tmpfs",
    "-u",
    "--user",
    "--ulimit",
    "--update-delay",
    "--update-failure-action",
    "--update-order",
    "--update-parallelism",
    "--userns",
    "--uts",
    "-v",
    "--volume",
    "--volumes-from",
    "-w",
    "--workdir",
];

/// `docker build` flags that take a value.
const BUILD_VALUE: &[&str] = &[
    "--build-arg",
    "--cache-from",
    "--cpu-shares",
    "-c",
    "--file",
    "-f",
    "--isolation",
    "--label",
    "-m",
    "--memory",
    "--network",
    "--platform",
    "--tag",
    "-t",
    "--target",
    "--output",
    "-o",
    "--progress",
    "--secret",
    "--ssh",
    "--builder",
];

/// `ctr` (global and `run`) flags that take a value.
const CTR_VALUE: &[&str] = &[
    "-n",
    "--namespace",
    "-a",
    "--address",
    "--runtime",
    "--snapshotter",
    "--label",
    "--env",
    "--env-file",
    "--mount",
    "--platform",
    "--cwd",
    "--user",
    "-u",
    "--cni",
    "--user-agent",
    "--hosts-dir",
    "--memory-limit",
    "--cpu-count",
    "--cpu-shares",
    "--cpu-max",
    "--runtime-config-path",
    "--annotation",
    "--device",
    "--log-uri",
];

/// Flag parsing result: positional words and flag values, in order.
#[derive(Debug, Default)]
struct Parsed {
    positionals: Vec<String>,
    flags: Vec<(String, String)>,
}

impl Parsed {
    fn flag(&self, names: &[&str]) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| names.contains(&n.as_str()))
            .map(|(_, v)| v.as_str())
    }
    fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(n, _)| names.contains(&n.as_str()))
    }
}

/// Parse flags until the first positional (`stop_at_first`) or to the end.
/// `-e A=1`, `--name=web`, `-p8080:80`, `-it`, `--rm`; after the first
/// positional of `run` the rest is the container's command.
fn parse_flags(args: &[String], value_flags: &[&str], stop_after: usize) -> Parsed {
    let mut p = Parsed::default();
    let mut k = 0;
    while k < args.len() {
        let a = args.get(k).map_or("", String::as_str);
        k += 1;
        if p.positionals.len() >= stop_after {
            p.positionals.push(a.to_owned());
            continue;
        }
        if a == "--" {
            p.positionals
                .extend(args.get(k..).unwrap_or(&[]).iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            if let Some((name, value)) = long.split_once('=') {
                p.flags.push((format!("--{name}"), value.to_owned()));
            } else if value_flags.contains(&a) {
                let v = args.get(k).cloned().unwrap_or_default();
                k += 1;
                p.flags.push((a.to_owned(), v));
            } else {
                p.flags.push((a.to_owned(), String::new()));
            }
        } else if a.len() > 1 && a.starts_with('-') {
            let short = a.get(..2).unwrap_or(a);
            let rest = a.get(2..).unwrap_or("");
            if value_flags.contains(&short) {
                if rest.is_empty() {
                    let v = args.get(k).cloned().unwrap_or_default();
                    k += 1;
                    p.flags.push((short.to_owned(), v));
                } else {
                    // `-p8080:80`, `-e=A`.
                    p.flags.push((
                        short.to_owned(),
                        rest.strip_prefix('=').unwrap_or(rest).to_owned(),
                    ));
                }
            } else {
                // Combined booleans: `-it`, `-dit`.
                p.flags.push((a.to_owned(), String::new()));
            }
        } else {
            p.positionals.push(a.to_owned());
        }
    }
    p
}

fn isolation(text: &str) -> Option<Isolation> {
    match text.trim().to_ascii_lowercase().as_str() {
        "process" => Some(Isolation::Process),
        "hyperv" | "hyper-v" => Some(Isolation::Hyperv),
        _ => None,
    }
}

/// The first positional that can be an image (not a bare number left by an
/// unknown value flag).
fn image_of(p: &Parsed) -> Option<String> {
    p.positionals
        .iter()
        .find(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .cloned()
}

/// Parse one command line (prompt removed).
///
/// `docker run -it --isolation hyperv -e A=1 --name web img:tag cmd` →
/// `Invocation { command: "docker run", image: "img:tag", isolation: hyperv, name: "web" }`.
fn parse_command(text: &str) -> Option<Invocation> {
    let all = words(text);
    let tool = all.first()?;
    let tool = tool.rsplit(['\\', '/']).next().unwrap_or(tool);
    let tool = tool.to_ascii_lowercase();
    let tool = tool.trim_end_matches(".exe");
    let args = all.get(1..).unwrap_or(&[]);
    let mut inv = Invocation {
        command: String::new(),
        image: None,
        isolation: None,
        name: None,
        text: text.to_owned(),
    };
    match tool {
        "docker" => {
            let g = parse_flags(args, DOCKER_GLOBAL_VALUE, 1);
            let sub: Vec<&str> = g.positionals.iter().map(String::as_str).collect();
            let rest: Vec<String> = g.positionals.iter().skip(1).cloned().collect();
            let (command, rest) = match sub.as_slice() {
                ["run" | "create", ..] => (format!("docker {}", sub.first()?), rest),
                ["container", c @ ("run" | "create"), ..] => {
                    (format!("docker {c}"), rest.get(1..)?.to_vec())
                }
                ["pull", ..] => ("docker pull".to_owned(), rest),
                ["image", "pull", ..] => ("docker pull".to_owned(), rest.get(1..)?.to_vec()),
                ["build", ..] => ("docker build".to_owned(), rest),
                ["image" | "buildx", "build", ..] => {
                    ("docker build".to_owned(), rest.get(1..)?.to_vec())
                }
                ["service", "create", ..] => {
                    ("docker service create".to_owned(), rest.get(1..)?.to_vec())
                }
                ["compose", ..] if sub.contains(&"up") => {
                    ("docker compose up".to_owned(), Vec::new())
                }
                _ => return None,
            };
            inv.command = command;
            match inv.command.as_str() {
                "docker run" | "docker create" | "docker service create" => {
                    let p = parse_flags(&rest, RUN_VALUE, 1);
                    inv.image = image_of(&p);
                    inv.isolation = p.flag(&["--isolation"]).and_then(isolation);
                    inv.name = p.flag(&["--name"]).map(str::to_owned);
                    // A bare `docker run` with no image is a usage line,
                    // not an invocation.
                    inv.image.as_ref()?;
                }
                "docker pull" => {
                    let p = parse_flags(&rest, &["--platform"], usize::MAX);
                    inv.image = image_of(&p);
                    inv.image.as_ref()?;
                }
                "docker build" => {
                    let p = parse_flags(&rest, BUILD_VALUE, usize::MAX);
                    inv.image = p.flag(&["-t", "--tag"]).map(str::to_owned);
                    inv.isolation = p.flag(&["--isolation"]).and_then(isolation);
                }
                _ => {}
            }
        }
        "docker-compose" => {
            if !args.iter().any(|a| a == "up") {
                return None;
            }
            inv.command = "docker-compose up".to_owned();
        }
        "ctr" => {
            let g = parse_flags(args, CTR_VALUE, usize::MAX);
            let sub: Vec<&str> = g.positionals.iter().map(String::as_str).collect();
            match sub.as_slice() {
                ["run", ..] | ["container" | "c", "run", ..] => {
                    // Re-parse after the subcommand: flags may follow it.
                    let pos = args
                        .iter()
                        .position(|a| a == "run")
                        .map_or(args.len(), |p| p + 1);
                    let p = parse_flags(args.get(pos..).unwrap_or(&[]), CTR_VALUE, 2);
                    inv.command = "ctr run".to_owned();
                    inv.image = p.positionals.first().cloned();
                    inv.name = p.positionals.get(1).cloned();
                    // `--isolated` runs a Windows container in a utility VM.
                    if p.has(&["--isolated"]) {
                        inv.isolation = Some(Isolation::Hyperv);
                    }
                    inv.image.as_ref()?;
                }
                ["images" | "image" | "i", "pull", ..] | ["pull", ..] => {
                    let pos = args
                        .iter()
                        .position(|a| a == "pull")
                        .map_or(args.len(), |p| p + 1);
                    let p = parse_flags(args.get(pos..).unwrap_or(&[]), CTR_VALUE, usize::MAX);
                    inv.command = "ctr pull".to_owned();
                    inv.image = p.positionals.first().cloned();
                    inv.image.as_ref()?;
                }
                _ => return None,
            }
        }
        "crictl" => {
            let pos = args.iter().position(|a| a == "pull")?;
            let p = parse_flags(
                args.get(pos + 1..).unwrap_or(&[]),
                &[
                    "--creds",
                    "--auth",
                    "--pod-config",
                    "-p",
                    "--username",
                    "-u",
                ],
                usize::MAX,
            );
            inv.command = "crictl pull".to_owned();
            inv.image = p.positionals.first().cloned();
            inv.image.as_ref()?;
        }
        _ => return None,
    }
    Some(inv)
}

fn step_from_re() -> &'static Gated {
    static RE: Gated = Gated::new(&["from"], || {
        Regex::new(
            r"^\s*(?:Step [0-9]+/[0-9]+ : FROM|#[0-9]+ \[[^\]]*[0-9]+/[0-9]+\] FROM)\s+(?:--platform=\S+\s+)?(\S+)",
        )
        .expect("static regex")
    });
    &RE
}

/// The base image of a build step: classic `Step 1/5 : FROM
/// mcr.microsoft.com/windows/servercore:ltsc2019` or BuildKit `#5 [1/3]
/// FROM mcr.microsoft.com/windows/servercore:ltsc2019@sha256:…`.
fn build_step_from(line: &str) -> Option<String> {
    let c = step_from_re().captures(line)?;
    let r = c.get(1)?.as_str();
    // BuildKit resolves `docker.io/library/…` names; keep them as printed.
    Some(r.to_owned())
}

fn pull_re() -> &'static Gated {
    static RE: Gated = Gated::new(&["unable to find image '", ": pulling from "], || {
        Regex::new(
            r"Unable to find image '([^']+)' locally|^\s*([A-Za-z0-9][A-Za-z0-9_.-]*): Pulling from (\S+)",
        )
        .expect("static regex")
    });
    &RE
}

/// Pull context without a command line: `Unable to find image
/// 'mcr.microsoft.com/windows/servercore:ltsc2022' locally` (docker run)
/// → (`docker run`, image); `ltsc2019: Pulling from windows/servercore`
/// (docker pull; the registry is not printed) → (`docker pull`,
/// `windows/servercore:ltsc2019`).
fn pull_message(line: &str) -> Option<(&'static str, String)> {
    let c = pull_re().captures(line)?;
    if let Some(img) = c.get(1) {
        return Some(("docker run", img.as_str().to_owned()));
    }
    let tag = c.get(2)?.as_str();
    let repo = c.get(3)?.as_str();
    Some(("docker pull", format!("{repo}:{tag}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_query_answers_are_versions_of_what_they_asked_about() {
        let out = Output::scanning(
            scan,
            "PS C:\\> docker image inspect contoso.azurecr.io/app:1.2 --format '{{.OsVersion}}'\n10.0.17763.5206\nPS C:\\> docker info --format '{{.KernelVersion}}'\n10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)\n",
        );
        let image = out
            .records
            .iter()
            .find_map(|r| match &r.data {
                RecordData::Image(i) => Some(i),
                _ => None,
            })
            .expect("image facts");
        assert_eq!(
            image.reference.as_deref(),
            Some("contoso.azurecr.io/app:1.2")
        );
        assert_eq!(
            image.os_version.map(|v| (v.build, v.revision)),
            Some((17763, Some(5206)))
        );
        assert!(out
            .hosts()
            .iter()
            .any(|(_, h)| h.version.map(|v| v.build) == Some(20348)));
        // A line that is not only a version is not an answer.
        let out = Output::scanning(
            scan,
            "$ docker image inspect app:1 --format '{{.OsVersion}}'\nError: No such image: app:1\n",
        );
        assert!(!out
            .records
            .iter()
            .any(|r| matches!(r.data, RecordData::Image(_))));
    }

    fn invocations(text: &str) -> Vec<(usize, Invocation)> {
        let doc = Doc::new("t", text);
        let mut out = Output::default();
        scan(&doc, &mut out);
        out.records
            .into_iter()
            .filter_map(|r| match r.data {
                RecordData::Invocation(i) => Some((r.line, i)),
                _ => None,
            })
            .collect()
    }

    fn one(text: &str) -> Invocation {
        let mut v = invocations(text);
        assert_eq!(v.len(), 1, "{text}");
        v.remove(0).1
    }

    /// See: corpus 102 and N13: commands inside Markdown.
    #[test]
    fn commands_inside_markdown() {
        for line in [
            "`>docker pull contoso/app:ltsc2022`",
            "**docker pull contoso/app:ltsc2022**",
            "> `docker pull contoso/app:ltsc2022`",
            "* `$ docker pull contoso/app:ltsc2022`",
            "__docker pull contoso/app:ltsc2022__",
            "`PS C:\\> docker pull contoso/app:ltsc2022`",
        ] {
            let i = one(line);
            assert_eq!(i.command, "docker pull", "{line}");
            assert_eq!(i.image.as_deref(), Some("contoso/app:ltsc2022"), "{line}");
        }
        let i = one("**docker run --isolation=hyperv -it contoso/app:ltsc2019 cmd**");
        assert_eq!(i.isolation, Some(Isolation::Hyperv));
        assert_eq!(i.image.as_deref(), Some("contoso/app:ltsc2019"));
        assert!(invocations("**Note**: docker run needs a tag").is_empty());
    }

    #[test]
    fn command_in_a_code_span_inside_prose() {
        let i = one("I ran `docker run --isolation=process contoso/app:ltsc2022` and it failed, also with `ver`.");
        assert_eq!(i.isolation, Some(Isolation::Process));
        assert_eq!(i.image.as_deref(), Some("contoso/app:ltsc2022"));
        assert!(invocations("Use `docker` or `ctr` here").is_empty());
    }

    /// See: corpus 019 (abbgrade/psdocker#15): a wrapper quotes the command.
    #[test]
    fn command_quoted_in_parentheses_by_a_wrapper() {
        let i = one(">  WriteErrorException: Process failed (docker run --env \"A=(1)\" contoso/app:2009) after 00:00:00.12.");
        assert_eq!(i.image.as_deref(), Some("contoso/app:2009"));
    }

    /// See: corpus 014 (dotnet/runtime#67728): a job header names its image.
    #[test]
    fn image_stated_anywhere_in_a_line() {
        let i = one("Console log: 'Tests' from job 4f4f (windows.amd64.server2022) using docker image contoso.azurecr.io/build/prereqs:windowsservercore-2004-20200904 on agent7");
        assert_eq!(i.command, "image statement");
        assert_eq!(
            i.image.as_deref(),
            Some("contoso.azurecr.io/build/prereqs:windowsservercore-2004-20200904")
        );
        let i = one("I'm using image: contoso/app:1.0.");
        assert_eq!(i.image.as_deref(), Some("contoso/app:1.0"));
        assert!(invocations("using image layers from the cache").is_empty());
        assert!(invocations("Using image contoso/bc:ltsc2019").is_empty());
    }

    #[test]
    fn ci_timestamps_before_commands() {
        let i = one("[08:11:09] docker run --isolation process contoso/app:1809");
        assert_eq!(i.isolation, Some(Isolation::Process));
        let i = one("2024-05-02 08:11:09 docker pull contoso/app:1809");
        assert_eq!(i.image.as_deref(), Some("contoso/app:1809"));
        for line in [
            "##[group]Run docker run --isolation=hyperv contoso/app:1809",
            "Run docker run --isolation=hyperv contoso/app:1809",
            "##[command]docker run --isolation=hyperv contoso/app:1809",
        ] {
            let i = one(line);
            assert_eq!(i.isolation, Some(Isolation::Hyperv), "{line}");
            assert_eq!(i.image.as_deref(), Some("contoso/app:1809"), "{line}");
        }
        assert!(invocations("Run the tests").is_empty());
    }

    #[test]
    fn docker_run_flags() {
        let i = one("docker run -it --isolation hyperv -e A=1 --name web img:tag cmd");
        assert_eq!(i.command, "docker run");
        assert_eq!(i.image.as_deref(), Some("img:tag"));
        assert_eq!(i.isolation, Some(Isolation::Hyperv));
        assert_eq!(i.name.as_deref(), Some("web"));
    }

    #[test]
    fn docker_run_with_powershell_prompt_and_inline_values() {
        let i = one(
            r"PS C:\> docker run --rm --isolation=process -p8080:80 -v C:\data:C:\data mcr.microsoft.com/windows/servercore:ltsc2019 cmd /c ver",
        );
        assert_eq!(
            i.image.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2019")
        );
        assert_eq!(i.isolation, Some(Isolation::Process));
        assert_eq!(i.name, None);
        assert!(i.text.starts_with("docker run --rm"));
    }

    #[test]
    fn cmd_prompt_and_global_flags() {
        let i = one(
            r"C:\Program Files\Docker>docker -H npipe:////./pipe/docker_engine container create --name=svc contoso/app:1.0",
        );
        assert_eq!(i.command, "docker create");
        assert_eq!(i.name.as_deref(), Some("svc"));
        assert_eq!(i.image.as_deref(), Some("contoso/app:1.0"));
    }

    #[test]
    fn continuation_lines_are_joined() {
        let v = invocations("$ docker run -d \\\n    --name api \\\n    contoso/api:2\nnext\n");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].0, 1);
        assert_eq!(v[0].1.image.as_deref(), Some("contoso/api:2"));
        assert_eq!(v[0].1.name.as_deref(), Some("api"));
    }

    #[test]
    fn pull_build_service_compose() {
        let i = one(
            "> docker pull --platform windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022",
        );
        assert_eq!(i.command, "docker pull");
        assert_eq!(
            i.image.as_deref(),
            Some("mcr.microsoft.com/windows/nanoserver:ltsc2022")
        );
        let i = one("docker build -t contoso/app:1.0 --isolation hyperv -f Dockerfile.win .");
        assert_eq!(i.command, "docker build");
        assert_eq!(i.image.as_deref(), Some("contoso/app:1.0"));
        assert_eq!(i.isolation, Some(Isolation::Hyperv));
        let i = one("docker service create --name intranet --replicas 1 --constraint node.platform.os==windows --isolation process contoso.azurecr.io/intranet-iis:1.4-ltsc2019");
        assert_eq!(i.command, "docker service create");
        assert_eq!(i.name.as_deref(), Some("intranet"));
        assert_eq!(
            i.image.as_deref(),
            Some("contoso.azurecr.io/intranet-iis:1.4-ltsc2019")
        );
        assert_eq!(i.isolation, Some(Isolation::Process));
        assert_eq!(
            one("docker compose -f a.yml up -d").command,
            "docker compose up"
        );
        assert_eq!(one("docker-compose up").command, "docker-compose up");
    }

    #[test]
    fn ctr_and_crictl() {
        let i =
            one("ctr run --rm mcr.microsoft.com/windows:10.0.19042.1889-amd64 test1 cmd echo hi");
        assert_eq!(i.command, "ctr run");
        assert_eq!(
            i.image.as_deref(),
            Some("mcr.microsoft.com/windows:10.0.19042.1889-amd64")
        );
        assert_eq!(i.name.as_deref(), Some("test1"));
        assert_eq!(i.isolation, None);
        let i = one("ctr -n k8s.io run --isolated --rm example/img:1 c2");
        assert_eq!(i.isolation, Some(Isolation::Hyperv));
        assert_eq!(i.image.as_deref(), Some("example/img:1"));
        let i = one("ctr images pull mcr.microsoft.com/windows/nanoserver:ltsc2022");
        assert_eq!(i.command, "ctr pull");
        let i = one("crictl pull mcr.microsoft.com/oss/kubernetes/pause:3.9");
        assert_eq!(i.command, "crictl pull");
        assert_eq!(
            i.image.as_deref(),
            Some("mcr.microsoft.com/oss/kubernetes/pause:3.9")
        );
    }

    #[test]
    fn prose_and_usage_lines_are_not_invocations() {
        assert!(invocations("docker run\nWe used docker to test.\ndocker ps -a\n").is_empty());
    }

    #[test]
    fn build_step_from_lines() {
        let doc = Doc::new(
            "t",
            "Step 1/4 : FROM mcr.microsoft.com/windows/servercore:ltsc2019\n\
             #4 [1/3] FROM mcr.microsoft.com/windows/nanoserver:ltsc2022@sha256:aa11\n",
        );
        let mut out = Output::default();
        scan(&doc, &mut out);
        let refs: Vec<(usize, Option<String>)> = out
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Image(i) if i.origin == ImageOrigin::From => {
                    Some((r.line, i.reference.clone()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            refs,
            [
                (
                    1,
                    Some("mcr.microsoft.com/windows/servercore:ltsc2019".to_owned())
                ),
                (
                    2,
                    Some("mcr.microsoft.com/windows/nanoserver:ltsc2022@sha256:aa11".to_owned())
                )
            ]
        );
    }

    #[test]
    fn pull_messages_without_command() {
        let v = invocations("ltsc2019: Pulling from windows/servercore\n3a1b: Pulling fs layer\n");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].1.command, "docker pull");
        assert_eq!(v[0].1.image.as_deref(), Some("windows/servercore:ltsc2019"));
        let v = invocations("Unable to find image 'contoso/app:1.0' locally\n");
        assert_eq!(v[0].1.command, "docker run");
        assert_eq!(v[0].1.image.as_deref(), Some("contoso/app:1.0"));
    }

    #[test]
    fn pull_messages_after_command_add_nothing() {
        let v = invocations("PS C:\\> docker run contoso/app:1.0\nUnable to find image 'contoso/app:1.0' locally\n1.0: Pulling from contoso/app\n");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].0, 1);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = invocations("docker run \"unterminated\n$ docker \\\n");
        let _ = invocations(&format!("docker run {}", "-e ".repeat(10_000)));
        let _ = invocations("ctr run\nctr pull\ncrictl pull\ndocker service create\n- \n-");
    }
}

#[cfg(test)]
mod corpus_tests {
    //! Real pasted outputs from `../shared/corpus` (skipped when absent).
    use super::*;

    fn corpus(name: &str) -> Option<Vec<Invocation>> {
        let out = Output::scanning_corpus(scan, name)?;
        Some(
            out.records
                .into_iter()
                .filter_map(|r| match r.data {
                    RecordData::Invocation(i) => Some(i),
                    _ => None,
                })
                .collect(),
        )
    }

    // See: corpus 028 (containerd#9125).
    #[test]
    fn corpus_028_ctr_run() {
        let Some(v) = corpus("028-containerd-9125-ctr-shim-task-19042-on-19044.txt") else {
            return;
        };
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].command, "ctr run");
        assert_eq!(
            v[0].image.as_deref(),
            Some("mcr.microsoft.com/windows:10.0.19042.1889-amd64")
        );
        assert_eq!(v[0].name.as_deref(), Some("test"));
    }

    // See: corpus 031 (sitecore-images#12): pull message only.
    #[test]
    fn corpus_031_pull_context() {
        let Some(v) = corpus("031-sitecore-images-12-pull-17763-on-17134.txt") else {
            return;
        };
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].image.as_deref(),
            Some("dotnet/framework/aspnet:4.7.2-windowsservercore-ltsc2019")
        );
    }

    // See: corpus 007: `C:\Program Files\Docker>docker service ps …` is a
    // command line but not one that names an image.
    #[test]
    fn corpus_007_no_false_invocations() {
        let Some(v) = corpus("007-vdoc-versioncompat-docker-service-ps-notrunc-swarm.txt") else {
            return;
        };
        assert!(v.is_empty());
    }
}
