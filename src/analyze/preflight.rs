//! `wincompat check --image I PATH…`: where will this image run?
//! STUB: owned by the analysis author.

use crate::commands::Outcome;
use crate::input::Source;
use crate::model::Isolation;
use std::io::Write;

pub fn run(
    image: &str,
    isolation: Isolation,
    sources: &[Source],
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let _ = (image, isolation, sources, json, out);
    anyhow::bail!("pre-flight check is not implemented yet")
}
