//! `wincompat matrix [--host V]`.
//! STUB: owned by the knowledge helper.

use super::Outcome;
use std::io::Write;

/// Print one host's tab (when `host` is given) or every host tab.
pub fn run(host: Option<&str>, json: bool, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let _ = (host, json, out);
    anyhow::bail!("matrix is not implemented yet")
}
