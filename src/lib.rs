//! wincompat: diagnose Windows container host/image OS-version mismatches.
//!
//! Data flow: `input` (bytes → text) → `parse` (text → records) → `analyze`
//! (records + `knowledge` → findings) → `report` (findings → text, JSON,
//! Markdown). `model` is the vocabulary all of them share. `pipeline` wires
//! `input` to `parse` (neither knows the other); `commands` and `app` sit
//! above everything. `tests/layers.rs` checks these import rules.

// Unsafe code is denied everywhere but `input::mapped`, which maps large
// files into memory (two calls, each with its reason; `--no-mmap` reads
// them instead).
#![deny(unsafe_code)]

pub mod analyze;
pub mod app;
pub mod cli;
pub mod collect;
pub mod commands;
pub mod input;
pub mod knowledge;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod registry;
pub mod report;
