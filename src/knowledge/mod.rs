//! What wincompat knows about Windows releases, base-image tags, HCS error
//! codes and the compatibility rules, as data with a source on every row.
//!
//! The knowledge base knows nothing of input formats (`parse/`) or reports
//! (`report/`); it answers questions about versions, tags and codes.

pub mod compat;
pub mod diagnoses;
pub mod hcs_codes;
pub mod kb;
pub mod platform_match;
pub mod releases;
pub mod rules;
pub mod tags;

/// The date of the newest source the tables were checked against
/// (facts.md snapshots: moby/moby HEAD 2026-08-23). Printed by every report.
pub const KNOWLEDGE_DATE: &str = "2026-08-23";
