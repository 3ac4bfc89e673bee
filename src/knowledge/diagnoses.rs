//! Explanations for the diagnosis kinds (`wincompat explain WC101`).

use crate::model::finding::FindingKind;

/// The long explanation of a finding kind.
pub fn explain(kind: FindingKind) -> &'static str {
    let _ = kind;
    ""
}
