//! The layer rules of ../shared/STYLE.md (rules 1 and 19) and README "How it
//! is built", checked on the source: every `crate::…` path in every
//! `src/**/*.rs` file (in `use` items, `use crate::{a, b}` groups and
//! inline paths, test modules included; comments ignored) must name a
//! top-level module its own module may import. `super::…` paths are not
//! followed: in src/ they all stay inside their own top-level module.
//!
//! The flow is input → parse → model/knowledge → analyze → report, with
//! `pipeline` (reads and parses), `commands`, `app`, `cli` and `main` above
//! them all. A new top-level module fails this test until it gets a row.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module and the top-level modules it may import (itself
/// always). Keep it in flow order.
#[rustfmt::skip]
const RULES: &[(&str, &[&str])] = &[
    // Shared vocabulary: imports nothing above it.
    ("model",     &[]),
    // Bytes → text; knows no format, no parser, no analysis.
    ("input",     &["model"]),
    // Text → records; neither reads input nor asks knowledge.
    ("parse",     &["model"]),
    // Data with sources; knows no input format.
    ("knowledge", &["model"]),
    // Records + knowledge → findings and check answers; reads and prints nothing.
    ("analyze",   &["model", "knowledge"]),
    // Findings and check answers → text, JSON, Markdown. (No `knowledge`
    // today: the source names a report prints travel in the model values.)
    ("report",    &["model"]),
    // The floor above input and parse: reads, decodes, streams, parses.
    ("pipeline",  &["input", "parse", "model", "knowledge"]),
    // --resolve-images: the registry client; hands `model` values over.
    ("registry",  &["model"]),
    // `collect`: runs kubectl/docker, saves the files; the analysis is the
    // one `app` passes in. `report` for --redact of the saved files.
    ("collect",   &["model", "report"]),
    // The small commands: request → pipeline → analyze → report.
    ("commands",  &["input", "pipeline", "model", "knowledge", "analyze", "report"]),
    // clap types only.
    ("cli",       &[]),
    // Flags → Config → run; the exit-code policy.
    ("app",       &["cli", "commands", "collect", "registry", "input", "pipeline", "model", "knowledge", "analyze", "report"]),
    // The binary (imports through `wincompat::`, not `crate::`).
    ("main",      &["app", "cli"]),
    // The crate root declares the modules.
    ("lib",       &[]),
];

/// Known exceptions: (file, imported module, why). Each must still be
/// needed (the test fails on a stale entry).
const ALLOWED: &[(&str, &str, &str)] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/parse/failure.rs` →
/// `parse`, `src/pipeline.rs` → `pipeline`.
fn layer_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let first = rel.components().next().expect("non-empty path");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_owned()
}

/// The code of a file without `//` comments (doc comments name modules in
/// prose, e.g. "`crate::pipeline` streams them").
fn code_only(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(p) => &l[..p],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The leading identifier of `text`, if any.
fn first_name(text: &str) -> Option<String> {
    let name: String = text
        .trim_start()
        .chars()
        .take_while(|c| is_ident(*c))
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The top-level modules a piece of code names through `crate::`:
/// `crate::model::X`, `crate::{analyze, knowledge::releases}`.
fn imported(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(p) = rest.find("crate::") {
        let before_ok = rest[..p].chars().next_back().is_none_or(|c| !is_ident(c));
        let after = &rest[p + "crate::".len()..];
        rest = after;
        if !before_ok {
            continue;
        }
        let after = after.trim_start();
        if let Some(group) = after.strip_prefix('{') {
            // `crate::{a, b::{c, d}, e}`: the first name of each item at
            // depth 0.
            let mut depth = 0usize;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.extend(first_name(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            out.extend(first_name(&item));
        } else {
            out.extend(first_name(after));
        }
    }
    out
}

#[test]
fn the_import_reader_reads_groups_and_paths() {
    let got = imported(
        "use crate::model::{Record, Section};\nuse crate::{analyze, knowledge::releases, pipeline};\nlet x = crate::report::render(); // crate::app\nuse wincompat::crate_like::x;",
    );
    let want: BTreeSet<String> = ["model", "analyze", "knowledge", "pipeline", "report", "app"]
        .map(str::to_owned)
        .into();
    assert_eq!(got, want);
    assert_eq!(
        imported(&code_only("let x = 1; // crate::app")),
        BTreeSet::new()
    );
}

#[test]
fn every_module_imports_only_what_its_layer_may() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 20, "only {} files found", files.len());

    let mut violations = Vec::new();
    let mut used_allowances = BTreeSet::new();
    for file in &files {
        let layer = layer_of(&src, file);
        let Some((_, may)) = RULES.iter().find(|(name, _)| *name == layer) else {
            violations.push(format!(
                "{}: top-level module `{layer}` has no row in RULES (tests/layers.rs)",
                file.display()
            ));
            continue;
        };
        let rel = file
            .strip_prefix(src.parent().expect("crate dir"))
            .expect("under the crate")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(file).expect("readable source");
        for target in imported(&code_only(&text)) {
            if target == layer || may.contains(&target.as_str()) {
                continue;
            }
            if let Some(a) = ALLOWED.iter().find(|(f, t, _)| *f == rel && *t == target) {
                used_allowances.insert((a.0, a.1));
                continue;
            }
            violations.push(format!("{rel}: `{layer}` imports `crate::{target}`"));
        }
    }
    for (f, t, _) in ALLOWED {
        assert!(
            used_allowances.contains(&(*f, *t)),
            "stale ALLOWED entry: {f} no longer imports crate::{t}; remove it"
        );
    }
    assert!(
        violations.is_empty(),
        "layer rules broken (see RULES in tests/layers.rs):\n{}",
        violations.join("\n")
    );
}

/// The sibling modules a file of a top-level module names (outside its
/// test module): `super::x` (and `super::super::x` from a sub-folder's
/// file) and `crate::<layer>::x`.
fn sibling_imports(layer: &str, in_subdir: bool, is_mod: bool, code: &str) -> BTreeSet<String> {
    let code = code.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = BTreeSet::new();
    let prefixes: Vec<String> = {
        let mut p = vec![format!("crate::{layer}::")];
        if in_subdir && !is_mod {
            p.push("super::super::".to_owned());
        } else {
            p.push("super::".to_owned());
        }
        p
    };
    for prefix in &prefixes {
        let mut rest = code;
        while let Some(p) = rest.find(prefix.as_str()) {
            let before_ok = rest[..p]
                .chars()
                .next_back()
                .is_none_or(|c| !is_ident(c) && c != ':');
            let after = &rest[p + prefix.len()..];
            rest = after;
            if before_ok && !after.trim_start().starts_with("super") {
                out.extend(first_name(after));
            }
        }
    }
    out
}

// See: issue 10 — "no two files import each other in a circle".
#[test]
fn no_two_sibling_modules_import_each_other_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    // (layer, module) → siblings it names.
    let mut edges: std::collections::BTreeMap<(String, String), BTreeSet<String>> =
        Default::default();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let parts: Vec<String> = rel
            .components()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_owned()
            })
            .collect();
        let [layer, module, rest @ ..] = parts.as_slice() else {
            continue;
        };
        if module == "mod" {
            continue; // the module root declares and wires its children
        }
        let in_subdir = !rest.is_empty();
        let is_mod = rest.last().is_some_and(|r| r == "mod");
        let code = code_only(&std::fs::read_to_string(file).expect("readable"));
        edges
            .entry((layer.clone(), module.clone()))
            .or_default()
            .extend(sibling_imports(layer, in_subdir, is_mod, &code));
    }
    let mut circles = Vec::new();
    for ((layer, module), targets) in &edges {
        // Depth-first from each sibling back to `module`.
        let mut stack: Vec<(String, Vec<String>)> = targets
            .iter()
            .filter(|t| *t != module)
            .map(|t| (t.clone(), vec![module.clone(), t.clone()]))
            .collect();
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            if !seen.insert(at.clone()) {
                continue;
            }
            for next in edges
                .get(&(layer.clone(), at.clone()))
                .into_iter()
                .flatten()
            {
                if next == module {
                    circles.push(format!("{layer}: {} → {module}", path.join(" → ")));
                } else if next != &at {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    circles.sort();
    circles.dedup();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}
