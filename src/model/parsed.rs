//! `ParsedInput`: everything the parsers found in one input (its sections,
//! records and warnings), the unit that `pipeline` produces and `analyze`
//! consumes.
//!
//! A plain container: it must not know how an input was read, streamed or
//! parsed (that is `pipeline`, `input` and `parse`).

use super::{Record, Section};

/// Everything found in one input.
#[derive(Debug, Clone, Default)]
pub struct ParsedInput {
    pub name: String,
    pub sections: Vec<Section>,
    pub records: Vec<Record>,
    pub warnings: Vec<String>,
}
