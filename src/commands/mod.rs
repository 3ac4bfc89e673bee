//! The small commands: `check`, `matrix`, `explain`. Each receives a plain
//! request (resolved from the flags by `app`) and writes its answer.

pub mod check;
pub mod check_registry;
pub mod explain;
pub mod matrix;

/// What a command reports back for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Ran; nothing wrong (exit 0).
    Ok,
    /// Ran; the answer is "no" (blocked / failures found) (exit 1).
    Problem,
}

/// The output of `matrix` and `explain` (documents, not findings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    Text,
    /// JSON with `schema_version` first.
    Json,
    Markdown,
}

/// Version of the `matrix` and `explain` JSON documents; bump on a
/// breaking change of their keys.
pub const DOC_SCHEMA_VERSION: u32 = 1;
