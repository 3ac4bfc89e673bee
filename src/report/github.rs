//! GitHub Actions workflow commands (`-o github`): one annotation line per
//! finding, `::error file=F,line=N,title=T::message`, which the Actions
//! runner shows on the job summary and on the file in a pull request.
//!
//! Escaping follows the runner's own (actions/toolkit `command.ts`): in
//! the message `%`, `\r` and `\n` become `%25`, `%0D`, `%0A`; in property
//! values `:` and `,` also become `%3A` and `%2C`. Other control characters
//! from inputs are then made visible (`escape::neutralize`), so no input
//! can start a workflow command of its own.
//!
//! Pure, like every renderer.

use super::escape::neutralize;
use super::sarif::check_problems;
use crate::model::check::CheckReport;
use crate::model::finding::{Report, Severity};
use std::io::{self, Write};

/// `%`, CR and LF escaped for a command's message.
pub fn escape_data(text: &str) -> String {
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    neutralize(&escaped).into_owned()
}

/// [`escape_data`], and `:` and `,`, for a property value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One annotation line. `file` is omitted for stdin (no file to point at)
/// and `line` when it is unknown (0).
pub fn annotation(
    severity: Severity,
    at: Option<(&str, usize)>,
    title: &str,
    message: &str,
) -> String {
    let mut props = Vec::new();
    if let Some((file, line)) = at.filter(|(f, _)| !f.is_empty() && *f != "<stdin>") {
        props.push(format!("file={}", escape_property(file)));
        if line >= 1 {
            props.push(format!("line={line}"));
        }
    }
    props.push(format!("title={}", escape_property(title)));
    format!(
        "::{} {}::{}",
        command(severity),
        props.join(","),
        escape_data(message)
    )
}

/// The analysis report as annotations, one per finding, at its first
/// evidence line.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        let at = f.evidence.first().map(|e| (e.input.as_str(), e.line));
        let title = format!("{} {}", f.code, f.title);
        let mut message = f.root_cause.clone();
        if let Some(fix) = f.fixes.iter().find(|x| x.applies) {
            message.push_str("\nFix: ");
            message.push_str(&fix.why);
            for cmd in &fix.commands {
                message.push_str("\n  ");
                message.push_str(cmd);
            }
        }
        writeln!(out, "{}", annotation(f.severity, at, &title, &message))?;
    }
    Ok(())
}

/// A `check` answer as annotations: one per blocked, unknown or
/// preview-only verdict.
pub fn render_check(check: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    for p in check_problems(check) {
        let at = p.at.as_ref().map(|(f, l)| (f.as_str(), *l));
        let title = format!("{} (rule {})", p.title, p.rule);
        writeln!(out, "{}", annotation(p.severity, at, &title, &p.message))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_and_data_are_escaped_as_the_runner_reads_them() {
        let line = annotation(
            Severity::Error,
            Some(("logs/a,b:c.txt", 12)),
            "WC101 Image: older, 100%",
            "first\r\nsecond 50%",
        );
        assert_eq!(
            line,
            "::error file=logs/a%2Cb%3Ac.txt,line=12,title=WC101 Image%3A older%2C 100%25::first%0D%0Asecond 50%25"
        );
    }

    #[test]
    fn stdin_has_no_file_and_line_zero_no_line() {
        assert_eq!(
            annotation(Severity::Info, Some(("<stdin>", 3)), "t", "m"),
            "::notice title=t::m"
        );
        assert_eq!(
            annotation(Severity::Warning, Some(("x.txt", 0)), "t", "m"),
            "::warning file=x.txt,title=t::m"
        );
    }

    #[test]
    fn an_input_cannot_start_a_command_of_its_own() {
        let line = annotation(Severity::Error, None, "t", "a\n::warning::owned\u{1b}[31m");
        assert_eq!(line.lines().count(), 1);
        assert!(!line.contains('\u{1b}'), "{line}");
    }
}
