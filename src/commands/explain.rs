//! `wincompat explain CODE`: an HCS error code in any form (`0xc0370101`,
//! `0x80370101`, `3224830209`, `HCS_E_IMAGE_MISMATCH`) or a look-alike
//! (`0x57`), or a wincompat finding code/kind (`WC101`,
//! `image-older-than-host`).
//!
//! Reads nothing but its argument; writes text or JSON to the writer.

use super::{DocFormat, Outcome, DOC_SCHEMA_VERSION};
use crate::knowledge::{diagnoses, hcs_codes};
use crate::model::finding::FindingKind;
use serde::Serialize;
use std::io::Write;

/// The JSON form of an explained HCS (or look-alike) code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeOut {
    pub schema_version: u32,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `0xc0370101`, or `null` for a message printed without a code.
    pub code: Option<String>,
    pub hresult: Option<String>,
    pub decimal: Option<u32>,
    pub signed: Option<i32>,
    pub names: Vec<&'static str>,
    pub message: &'static str,
    pub observed: Vec<&'static str>,
    pub meaning: &'static str,
    pub advice: &'static str,
    pub source: &'static str,
    pub version_mismatch: bool,
}

/// The JSON form of an explained finding kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingOut {
    pub schema_version: u32,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: crate::model::finding::Severity,
    pub title: &'static str,
    pub explanation: &'static str,
}

fn code_out(c: &hcs_codes::HcsCode) -> CodeOut {
    let has = c.has_code();
    CodeOut {
        schema_version: DOC_SCHEMA_VERSION,
        kind: if c.lookalike { "lookalike" } else { "hcs-code" },
        code: has.then(|| format!("{:#010x}", c.code)),
        hresult: c.hresult().map(|h| format!("{h:#010x}")),
        decimal: has.then_some(c.code),
        signed: has.then(|| i32::from_ne_bytes(c.code.to_ne_bytes())),
        names: c.names(),
        message: c.message,
        observed: c.observed.to_vec(),
        meaning: c.meaning,
        advice: c.advice,
        source: c.source,
        version_mismatch: c.code == hcs_codes::IMAGE_MISMATCH,
    }
}

fn render_code(c: &CodeOut, out: &mut dyn Write) -> std::io::Result<()> {
    let head = c.code.as_deref().unwrap_or("(no code printed)");
    if c.names.is_empty() {
        writeln!(out, "{head}")?;
    } else {
        writeln!(out, "{head}  {}", c.names.join(" / "))?;
    }
    if c.kind == "lookalike" {
        writeln!(out, "  not an HCS code: {}", hcs_codes::not_mismatch_note())?;
    }
    let mut forms = Vec::new();
    if let Some(code) = &c.code {
        forms.push(code.clone());
    }
    if let Some(h) = &c.hresult {
        forms.push(format!("{h} (HRESULT)"));
    }
    if let Some(d) = c.decimal {
        forms.push(format!("decimal {d}"));
    }
    if let Some(s) = c.signed.filter(|s| *s < 0) {
        forms.push(format!("signed {s}"));
    }
    if !forms.is_empty() {
        writeln!(out, "  forms:      {}", forms.join(", "))?;
    }
    writeln!(out, "  message:    {}", c.message)?;
    let same = |o: &str| {
        o.trim_end_matches('.')
            .eq_ignore_ascii_case(c.message.trim_end_matches('.'))
    };
    for o in c.observed.iter().filter(|o| !same(o)) {
        writeln!(out, "  also seen:  {o}")?;
    }
    writeln!(out, "  meaning:    {}", c.meaning)?;
    writeln!(out, "  what to do: {}", c.advice)?;
    writeln!(out, "  source:     {}", c.source)?;
    Ok(())
}

fn severity_word(s: crate::model::finding::Severity) -> &'static str {
    use crate::model::finding::Severity;
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// The Markdown form of an explained code: a heading with the code and its
/// names, then the same labelled facts as the text, names in code spans.
fn render_code_markdown(c: &CodeOut, out: &mut dyn Write) -> std::io::Result<()> {
    let head = c.code.as_deref().map_or_else(
        || "(no code printed)".to_owned(),
        |code| format!("`{code}`"),
    );
    let names: Vec<String> = c.names.iter().map(|n| format!("`{n}`")).collect();
    if names.is_empty() {
        writeln!(out, "## {head}\n")?;
    } else {
        writeln!(out, "## {head} {}\n", names.join(" / "))?;
    }
    if c.kind == "lookalike" {
        writeln!(out, "Not an HCS code: {}\n", hcs_codes::not_mismatch_note())?;
    }
    let mut forms = Vec::new();
    if let Some(h) = &c.hresult {
        forms.push(format!("`{h}` (HRESULT)"));
    }
    if let Some(d) = c.decimal {
        forms.push(format!("decimal `{d}`"));
    }
    if let Some(s) = c.signed.filter(|s| *s < 0) {
        forms.push(format!("signed `{s}`"));
    }
    if !forms.is_empty() {
        writeln!(out, "- **Forms:** {}", forms.join(", "))?;
    }
    writeln!(out, "- **Message:** {}", c.message)?;
    for o in c
        .observed
        .iter()
        .filter(|o| !o.eq_ignore_ascii_case(c.message))
    {
        writeln!(out, "- **Also seen:** {o}")?;
    }
    writeln!(out, "- **Meaning:** {}", c.meaning)?;
    writeln!(out, "- **What to do:** {}", c.advice)?;
    writeln!(out, "- **Source:** {}", c.source)?;
    Ok(())
}

/// Explain an HCS code or a wincompat finding code; unknown codes are an
/// error (exit 2). `explain("0x80370101")` prints the
/// ERROR_VMCOMPUTE_IMAGE_MISMATCH entry; `explain("WC101")` the
/// image-older-than-host explanation.
pub fn run(code: &str, format: DocFormat, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    if let Some(c) = hcs_codes::parse_code(code).or_else(|| {
        // A message text (`The parameter is incorrect.`) works too.
        (code.trim().len() >= 12)
            .then(|| hcs_codes::by_message(code))
            .flatten()
    }) {
        let c = code_out(c);
        match format {
            DocFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &c)?;
                writeln!(out)?;
            }
            DocFormat::Markdown => render_code_markdown(&c, out)?,
            DocFormat::Text => render_code(&c, out)?,
        }
        return Ok(Outcome::Ok);
    }
    if let Some(kind) = FindingKind::from_name(code) {
        let f = FindingOut {
            schema_version: DOC_SCHEMA_VERSION,
            kind: "finding",
            code: kind.code(),
            name: kind.as_str(),
            severity: kind.severity(),
            title: diagnoses::title(kind),
            explanation: diagnoses::explain(kind),
        };
        match format {
            DocFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &f)?;
                writeln!(out)?;
            }
            DocFormat::Markdown => {
                writeln!(out, "## {} `{}`: {}", f.code, f.name, f.title)?;
                writeln!(out)?;
                writeln!(out, "Severity: {}", severity_word(f.severity))?;
                writeln!(out)?;
                for para in f.explanation.lines() {
                    writeln!(out, "{para}")?;
                    writeln!(out)?;
                }
            }
            DocFormat::Text => {
                writeln!(out, "{} {}: {}", f.code, f.name, f.title)?;
                writeln!(out)?;
                writeln!(out, "{}", f.explanation)?;
            }
        }
        return Ok(Outcome::Ok);
    }
    anyhow::bail!(
        "unknown code {:?}; try 0xc0370101 or WC101 (HCS codes in any form, or a wincompat finding code/name)",
        code.trim()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(code: &str) -> String {
        let mut out = Vec::new();
        assert_eq!(
            run(code, DocFormat::Text, &mut out).expect("known"),
            Outcome::Ok
        );
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn image_mismatch_in_every_form() {
        for code in [
            "0xc0370101",
            "0x80370101",
            "3224830209",
            "HCS_E_IMAGE_MISMATCH",
        ] {
            let t = text(code);
            assert!(
                t.starts_with("0xc0370101  ERROR_VMCOMPUTE_IMAGE_MISMATCH / HCS_E_IMAGE_MISMATCH"),
                "{t}"
            );
            assert!(t.contains("0x80370101 (HRESULT)"));
            assert!(t.contains("decimal 3224830209"));
            assert!(t.contains("signed -1070137087"));
            assert!(t.contains("The operating system of the container does not match the operating system of the host"));
        }
    }

    #[test]
    fn look_alike_says_it_is_not_a_mismatch() {
        let t = text("0x57");
        assert!(t.contains("ERROR_INVALID_PARAMETER"));
        assert!(t.contains("not an HCS code"));
        let t = text("The endpoint was not found.");
        assert!(t.starts_with("(no code printed)"), "{t}");
    }

    #[test]
    fn finding_codes_and_names() {
        let t = text("WC101");
        assert!(
            t.starts_with("WC101 image-older-than-host: Image older than host"),
            "{t}"
        );
        assert!(text("image-newer-than-host").starts_with("WC102"));
        let mut out = Vec::new();
        run("wc301", DocFormat::Json, &mut out).expect("known");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(v["type"], "finding");
        assert_eq!(v["name"], "truncated-evidence");
        assert_eq!(v["severity"], "info");
    }

    #[test]
    fn json_for_hcs_code() {
        let mut out = Vec::new();
        run("0xC0370101", DocFormat::Json, &mut out).expect("known");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(v["code"], "0xc0370101");
        assert_eq!(v["hresult"], "0x80370101");
        assert_eq!(v["decimal"], 3_224_830_209_u32);
        assert_eq!(v["version_mismatch"], true);
        assert_eq!(v["schema_version"], 1);
    }

    #[test]
    fn markdown_names_the_code_in_code_spans() {
        let mut out = Vec::new();
        run("-1070137087", DocFormat::Markdown, &mut out).expect("known");
        let md = String::from_utf8(out).expect("utf8");
        assert!(
            md.starts_with("## `0xc0370101` `ERROR_VMCOMPUTE_IMAGE_MISMATCH`"),
            "{md}"
        );
        assert!(md.contains("signed `-1070137087`"), "{md}");
        let mut out = Vec::new();
        run("WC101", DocFormat::Markdown, &mut out).expect("known");
        let md = String::from_utf8(out).expect("utf8");
        assert!(md.starts_with("## WC101 `image-older-than-host`"), "{md}");
    }

    #[test]
    fn unknown_codes_are_errors() {
        let mut out = Vec::new();
        let err = run("0xdeadbeef", DocFormat::Text, &mut out).unwrap_err();
        assert!(err.to_string().contains("try 0xc0370101 or WC101"));
        assert!(run("", DocFormat::Text, &mut out).is_err());
        assert!(run("WC999", DocFormat::Text, &mut out).is_err());
    }
}
