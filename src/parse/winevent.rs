//! STUB: owned by a parser helper. Contract: `scan` finds this format's
//! sections anywhere in the doc and pushes records with their lines.

use super::doc::{Doc, Output};

/// Scan `doc` for this format.
pub fn scan(doc: &Doc, out: &mut Output) {
    let _ = (doc, out);
}
