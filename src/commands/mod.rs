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
