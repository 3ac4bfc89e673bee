//! `ParsedInput`: everything the parsers found in one input (its sections,
//! records and warnings), the unit that `pipeline` produces and `analyze`
//! consumes.
//!
//! A plain container: it must not know how an input was read, streamed or
//! parsed (that is `pipeline`, `input` and `parse`).

use super::{Record, Section};
use std::collections::BTreeMap;

/// Everything found in one input.
#[derive(Debug, Clone, Default)]
pub struct ParsedInput {
    pub name: String,
    pub sections: Vec<Section>,
    pub records: Vec<Record>,
    pub warnings: Vec<String>,
    /// Failure records folded into an earlier record of this input as the
    /// input was parsed (the pipeline's `fold`), by the index in `records`
    /// of the record they were folded into. A record without an entry
    /// stands for itself alone. This is what keeps memory bounded in the
    /// number of failures (issue 15): a million equal failure lines are one
    /// record and a count.
    pub folds: BTreeMap<usize, Folded>,
}

/// Later failure records that said the same as a kept record (the same
/// failure of the same container image in the same context, perhaps of
/// another container id and at another time), folded into it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Folded {
    /// How many records were folded in (the kept record not counted).
    pub more: u64,
    /// First line of the last record folded in.
    pub last_line: usize,
    /// Its failure text, for evidence.
    pub last_text: String,
    /// Its timestamp, as printed.
    pub last_timestamp: Option<String>,
    /// [`container_key`] of each folded record that names a container, for
    /// the de-duplication across inputs (a bundle holding a log twice): at
    /// most [`MAX_FOLDED_CONTAINER_KEYS`]; records past that are always
    /// counted.
    pub container_keys: Vec<u64>,
}

/// The most container keys one folded record keeps (8 KiB): past it, a
/// failure of a container seen in an earlier input is counted again
/// instead of once. The trade-off of bounded memory, documented in
/// README.md ("Memory").
pub const MAX_FOLDED_CONTAINER_KEYS: usize = 1024;

/// How a failure of one container is recognised across inputs: its id
/// (lowercase; ids shorter than 12 characters are not ids) and its text.
pub fn container_key(id: &str, text: &str) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    if id.len() < 12 {
        return None;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.to_ascii_lowercase().hash(&mut h);
    text.hash(&mut h);
    Some(h.finish())
}
