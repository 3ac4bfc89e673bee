//! Knowledge lives in `src/knowledge/` only: no Windows build number and no
//! rule statement appears in code outside it (comments and test modules
//! aside). See: issue 10, "no build literal … or rule sentence appears
//! outside src/knowledge/".

use std::path::{Path, PathBuf};
use wincompat::knowledge::releases::RELEASES;
use wincompat::knowledge::rules::RuleId;

/// Files allowed to name a build, and why.
const ALLOWED: &[(&str, &str)] = &[(
    "src/cli.rs",
    "--help examples show users a `ver`/BuildLabEx string to paste",
)];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("knowledge") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comment lines and without its test module.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).expect("source readable");
    text.lines()
        .enumerate()
        .take_while(|(_, l)| !l.starts_with("#[cfg(test)]"))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, l.to_owned()))
        .collect()
}

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    sources(&root.join("src"), &mut out);
    out.sort();
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
        .trim_start_matches('/')
        .to_owned()
}

/// Whether `line` holds `number` as a whole number (not inside a longer one
/// or a dotted version's other part).
fn holds_number(line: &str, number: &str) -> bool {
    line.match_indices(number).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

#[test]
fn no_build_number_outside_knowledge() {
    let builds: Vec<String> = RELEASES.iter().map(|r| r.build.to_string()).collect();
    let mut found = Vec::new();
    for path in files() {
        let name = relative(&path);
        if ALLOWED.iter().any(|(f, _)| *f == name) {
            continue;
        }
        for (n, line) in code_lines(&path) {
            for b in &builds {
                if holds_number(&line, b) {
                    found.push(format!("{name}:{n}: {b}: {}", line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "ask knowledge instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_rule_statement_outside_knowledge() {
    let mut found = Vec::new();
    for path in files() {
        let text = std::fs::read_to_string(&path).expect("source readable");
        for rule in RuleId::ALL {
            // The first half of the sentence is enough to catch a copy.
            let statement = rule.statement();
            let half = statement
                .char_indices()
                .nth(statement.chars().count() / 2)
                .map_or(statement.len(), |(i, _)| i);
            let probe = &statement[..half];
            if text.contains(probe) {
                found.push(format!("{}: {rule}", relative(&path)));
            }
        }
    }
    assert!(
        found.is_empty(),
        "use RuleId::statement:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checks_would_catch_a_literal() {
    assert!(holds_number("if v.build < 20348 {", "20348"));
    assert!(!holds_number("10.0.120348", "20348"));
    assert!(!holds_number("0x20348a", "0348"));
}
