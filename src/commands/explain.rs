//! `wincompat explain CODE`.
//! STUB: owned by the knowledge helper.

use super::Outcome;
use std::io::Write;

/// Explain an HCS code or a wincompat finding code; unknown codes are an error.
pub fn run(code: &str, json: bool, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let _ = (code, json, out);
    anyhow::bail!("explain is not implemented yet")
}
