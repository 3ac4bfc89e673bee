//! `wincompat check --host V --image I`: one verdict.
//! STUB: owned by the knowledge helper.

use super::Outcome;
use crate::model::{HostKind, Isolation};
use std::io::Write;

/// A resolved `check` request.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub host: String,
    pub image: String,
    pub isolation: Isolation,
    pub host_kind: Option<HostKind>,
    pub json: bool,
}

/// Evaluate and print; an unreadable host or image is an error (exit 2).
pub fn run(req: &CheckRequest, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let _ = (req, out);
    anyhow::bail!("check is not implemented yet")
}
