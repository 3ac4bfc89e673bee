//! Dockerfiles pasted into any input: the `# escape=` directive, global
//! `ARG` defaults and each `FROM [--platform=…] image [AS name]`, with
//! `${VAR}` / `$VAR` substituted from the ARG defaults, read into
//! `ImageFacts { origin: From }` records.
//!
//! A Dockerfile is recognised by a `FROM` line followed by other
//! instructions (`RUN`, `COPY`, `SHELL`, `ENTRYPOINT`, `CMD`, `WORKDIR`,
//! `ENV`…), never by a file name. This module must not know which builds
//! a tag means (that is `knowledge::tags`) nor how reports look.

use super::doc::{Doc, Output};
use crate::model::{ImageFacts, ImageOrigin, RecordData, SectionKind};
use nom::{
    branch::alt,
    bytes::complete::{tag, tag_no_case, take_till1, take_while, take_while1},
    character::complete::{char, space0, space1},
    combinator::{opt, rest},
    multi::many0,
    sequence::preceded,
    IResult, Parser,
};

/// How many lines after a `FROM` are searched for another instruction.
const CONFIRM_WINDOW: usize = 12;
/// At most this many physical lines are joined into one instruction.
const MAX_CONTINUATIONS: usize = 200;

/// Dockerfile instructions (besides FROM), as Docker accepts them.
const INSTRUCTIONS: &[&str] = &[
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// Literals (lower case) that start a Dockerfile, for the streaming
/// prefilter (`super::prefilter`): the `FROM` instruction, with its
/// trailing blank (`from ` also matches prose and `Pulling from`, which
/// only widens what is parsed).
pub const LITERALS: &[&str] = &["from "];

/// Scan `doc` for Dockerfiles.
pub fn scan(doc: &Doc, out: &mut Output) {
    let mut i = 0;
    while i < doc.lines.len() {
        let line = doc.lines.get(i).map_or("", String::as_str);
        if keyword(line).as_deref() == Some("FROM") && from_line(line).is_ok() && confirmed(doc, i)
        {
            i = read_dockerfile(doc, i, out).max(i + 1);
        } else {
            i += 1;
        }
    }
}

/// The instruction keyword of a line (`RUN`). Docker accepts lowercase
/// instructions, but pasted prose starts lines with "From" and "Run" far
/// more often than anyone writes a lowercase Dockerfile, so only uppercase
/// keywords count.
fn keyword(line: &str) -> Option<String> {
    let (_, (_, word, _)) = (
        space0::<&str, nom::error::Error<&str>>,
        take_while1(|c: char| c.is_ascii_alphabetic()),
        alt((space1, tag("["))),
    )
        .parse(line)
        .ok()?;
    let upper = word.to_ascii_uppercase();
    (upper == word && (upper == "FROM" || INSTRUCTIONS.contains(&upper.as_str()))).then_some(upper)
}

/// True when another instruction follows the `FROM` at `i` soon; prose
/// that begins with "From" does not.
fn confirmed(doc: &Doc, i: usize) -> bool {
    doc.lines
        .iter()
        .skip(i + 1)
        .take(CONFIRM_WINDOW)
        .filter_map(|l| keyword(l))
        .any(|k| k != "FROM")
}

/// A parser directive: `# escape=\`` or `# syntax=docker/dockerfile:1`.
fn directive(i: &str) -> IResult<&str, (&str, &str)> {
    let (i, _) = (space0, char('#'), space0).parse(i)?;
    let (i, name) = alt((tag_no_case("escape"), tag_no_case("syntax"))).parse(i)?;
    let (i, _) = (space0, char('='), space0).parse(i)?;
    let (i, value) = rest(i)?;
    Ok((i, (name, value.trim())))
}

/// `ARG BASE=ltsc2019` → (`BASE`, `Some("ltsc2019")`); `ARG TAG` → (`TAG`, None).
fn arg_line(i: &str) -> IResult<&str, (&str, Option<&str>)> {
    let (i, _) = (space0, tag_no_case("ARG"), space1).parse(i)?;
    let (i, name) = take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_').parse(i)?;
    let (i, value) = opt(preceded(char('='), rest)).parse(i)?;
    Ok((
        i,
        (
            name,
            value.map(|v| v.trim().trim_matches('"').trim_matches('\'')),
        ),
    ))
}

/// A FROM flag: `--platform=$TARGETPLATFORM`.
fn from_flag(i: &str) -> IResult<&str, &str> {
    preceded(
        (tag("--"), take_while(|c: char| c != ' ' && c != '\t')),
        space1,
    )
    .parse(i)
}

/// `FROM --platform=windows/amd64 mcr.microsoft.com/windows/servercore:${BASE} AS build`
/// → (`mcr.microsoft.com/windows/servercore:${BASE}`, `Some("build")`).
fn from_line(i: &str) -> IResult<&str, (&str, Option<&str>)> {
    let (i, _) = (space0, tag_no_case("FROM"), space1).parse(i)?;
    let (i, _) = many0(from_flag).parse(i)?;
    let (i, image) = take_till1(|c: char| c == ' ' || c == '\t').parse(i)?;
    let (i, stage) = opt(preceded(
        (space1, tag_no_case("AS"), space1),
        take_till1(|c: char| c == ' ' || c == '\t'),
    ))
    .parse(i)?;
    Ok((i, (image, stage)))
}

/// Substitute `${VAR}`, `${VAR:-default}`, `${VAR:+alt}` and `$VAR` from
/// `args`; unknown variables are kept as written.
fn substitute(text: &str, args: &[(String, Option<String>)]) -> String {
    let lookup = |name: &str| -> Option<String> {
        args.iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('$') {
        out.push_str(rest.get(..pos).unwrap_or(""));
        let after = rest.get(pos + 1..).unwrap_or("");
        if let Some(body) = after.strip_prefix('{') {
            let Some(end) = body.find('}') else {
                out.push_str(rest.get(pos..).unwrap_or(""));
                rest = "";
                break;
            };
            let expr = body.get(..end).unwrap_or("");
            let (name, op) = match expr.find(':') {
                Some(c) => (expr.get(..c).unwrap_or(""), expr.get(c..)),
                None => (expr, None),
            };
            let value = lookup(name);
            let replaced = match (op, value) {
                (Some(op), v) if op.starts_with(":-") => Some(
                    v.filter(|v| !v.is_empty())
                        .unwrap_or_else(|| op.get(2..).unwrap_or("").to_owned()),
                ),
                (Some(op), v) if op.starts_with(":+") => Some(
                    v.filter(|v| !v.is_empty())
                        .map_or_else(String::new, |_| op.get(2..).unwrap_or("").to_owned()),
                ),
                (None, Some(v)) => Some(v),
                _ => None,
            };
            match replaced {
                Some(v) => out.push_str(&v),
                None => out.push_str(rest.get(pos..pos + 2 + end + 1).unwrap_or("")),
            }
            rest = body.get(end + 1..).unwrap_or("");
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let name = after.get(..len).unwrap_or("");
            match lookup(name).filter(|_| !name.is_empty()) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push('$');
                    out.push_str(name);
                }
            }
            rest = after.get(len..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

/// Read the Dockerfile whose first FROM is at 0-based `first_from`;
/// returns the index after it.
fn read_dockerfile(doc: &Doc, first_from: usize, out: &mut Output) -> usize {
    // Walk back over the preamble: directives, comments and global ARGs.
    let mut start = first_from;
    let mut escape = '\\';
    let mut args: Vec<(String, Option<String>)> = Vec::new();
    while start > 0 {
        let prev = doc.lines.get(start - 1).map_or("", String::as_str);
        let t = prev.trim_start();
        if arg_line(prev).is_ok() || (t.starts_with('#') && !t.is_empty()) {
            start -= 1;
        } else {
            break;
        }
    }
    for line in doc.lines.iter().skip(start).take(first_from - start) {
        if let Ok((_, (name, value))) = directive(line) {
            if name.eq_ignore_ascii_case("escape") {
                escape = value.chars().next().unwrap_or('\\');
            }
        } else if let Ok((_, (name, value))) = arg_line(line) {
            args.push((name.to_owned(), value.map(str::to_owned)));
        }
    }
    let mut stages: Vec<String> = Vec::new();
    let mut i = first_from;
    let mut last = first_from;
    while i < doc.lines.len() {
        let line = doc.lines.get(i).map_or("", String::as_str);
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            // Blank lines and comments may sit between instructions; the
            // file ends where no instruction follows them.
            let next = doc
                .lines
                .iter()
                .skip(i + 1)
                .take(3)
                .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
            match next {
                Some(k)
                    if keyword(doc.lines.get(i + 1 + k).map_or("", String::as_str)).is_some() =>
                {
                    i += 1;
                    continue;
                }
                _ => break,
            }
        }
        let Some(kw) = keyword(line) else { break };
        // Join continuation lines (`\` or the `# escape=` character).
        let mut end = i;
        let mut cur = line.trim_end();
        while cur.ends_with(escape) && end + 1 < doc.lines.len() && end - i < MAX_CONTINUATIONS {
            end += 1;
            cur = doc.lines.get(end).map_or("", |l| l.trim_end());
        }
        if kw == "FROM" {
            if let Ok((_, (image, stage))) = from_line(line) {
                let reference = substitute(image, &args);
                let is_stage = stages.iter().any(|s| s.eq_ignore_ascii_case(&reference));
                if !is_stage && !reference.eq_ignore_ascii_case("scratch") {
                    out.record(
                        SectionKind::Dockerfile,
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
                }
                if let Some(stage) = stage {
                    stages.push(stage.to_owned());
                }
            }
        }
        last = end;
        i = end + 1;
    }
    out.section(SectionKind::Dockerfile, start + 1, last + 1);
    last + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, reference) of each FROM record, and (line, end_line) of each section.
    type Found = (Vec<(usize, String)>, Vec<(usize, usize)>);

    fn froms(text: &str) -> Found {
        let doc = Doc::new("t", text);
        let mut out = Output::default();
        scan(&doc, &mut out);
        let refs = out
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Image(i) if i.origin == ImageOrigin::From => {
                    Some((r.line, i.reference.clone().unwrap_or_default()))
                }
                _ => None,
            })
            .collect();
        let sections = out
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Dockerfile)
            .map(|s| (s.line, s.end_line))
            .collect();
        (refs, sections)
    }

    #[test]
    fn escape_directive_arg_default_and_substitution() {
        let text = "Here is my Dockerfile:\n\
# escape=`\n\
ARG BASE=ltsc2019\n\
FROM mcr.microsoft.com/windows/servercore:${BASE}\n\
SHELL [\"powershell\", \"-Command\"]\n\
RUN Install-WindowsFeature Web-Server; `\n\
    Remove-Item C:\\inetpub\\wwwroot\\* -Recurse\n\
COPY site/ C:/inetpub/wwwroot/\n\
\n\
Then I ran it.\n";
        let (refs, sections) = froms(text);
        assert_eq!(
            refs,
            [(
                4,
                "mcr.microsoft.com/windows/servercore:ltsc2019".to_owned()
            )]
        );
        assert_eq!(sections, [(2, 8)]);
    }

    #[test]
    fn multi_stage_platform_flag_and_stage_reference() {
        let text = "ARG TAG=4.8-windowsservercore-ltsc2022\n\
FROM --platform=windows/amd64 mcr.microsoft.com/dotnet/framework/sdk:$TAG AS build\n\
WORKDIR /src\n\
COPY . .\n\
RUN msbuild /p:Configuration=Release\n\
FROM mcr.microsoft.com/dotnet/framework/aspnet:${TAG:-4.8} AS final\n\
COPY --from=build /src/out /inetpub/wwwroot\n\
FROM build\n\
CMD [\"x\"]\n";
        let (refs, _) = froms(text);
        assert_eq!(
            refs,
            [
                (
                    2,
                    "mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2022"
                        .to_owned()
                ),
                (
                    6,
                    "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn unknown_variables_are_kept_and_defaults_apply() {
        assert_eq!(substitute("img:${X}", &[]), "img:${X}");
        assert_eq!(substitute("img:${X:-ltsc2022}", &[]), "img:ltsc2022");
        assert_eq!(
            substitute("img:$X-1", &[("X".to_owned(), Some("a".to_owned()))]),
            "img:a-1"
        );
        assert_eq!(substitute("img:${X", &[]), "img:${X");
        assert_eq!(substitute("$", &[]), "$");
    }

    #[test]
    fn prose_from_is_not_a_dockerfile() {
        let (refs, sections) = froms("From the docs we learn\nRun the image.\nFROM here on\n");
        assert!(refs.is_empty());
        assert!(sections.is_empty());
    }

    #[test]
    fn scratch_is_not_an_image() {
        let (refs, sections) = froms("FROM scratch\nCOPY a /\n");
        assert!(refs.is_empty());
        assert_eq!(sections, [(1, 2)]);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let _ = froms("FROM ${\nRUN a \\\n");
        let _ = froms(&format!("FROM a\nRUN {}\\\n", "x".repeat(10_000)));
        let _ = froms("ARG\nFROM\nRUN\n# escape=\nFROM é:${é}\nRUN x");
    }
}
