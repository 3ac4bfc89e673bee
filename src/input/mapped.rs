//! Large regular files are mapped into memory rather than read (issue 14):
//! reading copies every byte from the page cache into a buffer, which
//! measured a third of a scan of a 1 GiB log and kept it 1.5 × ripgrep's
//! time (ripgrep maps single files too). This is the crate's only unsafe
//! code, and only two calls of it.
//!
//! The risk, and why it is taken: a mapping is undefined behaviour in
//! Rust's terms when another process changes the file while it is mapped.
//! Changed bytes are only odd text to a scanner that accepts any bytes; a
//! file *truncated* while mapped (logrotate's `copytruncate`) makes the
//! next read of a page past its new end raise SIGBUS, which ends the
//! process. Only regular files above the streaming threshold are mapped
//! (never stdin, pipes, devices, archive members), and `--no-mmap` reads
//! them instead, for logs rotated in place while wincompat runs.
//!
//! Mapped pages count in the process's resident memory until they are
//! dropped, so the scan says which bytes it is done with and they are let
//! go every [`RELEASE_STEP`] bytes: peak memory stays bounded whatever the
//! file's size.

#![allow(unsafe_code, reason = "mapping files: see the module documentation")]

use memmap2::Mmap;
#[cfg(unix)]
use memmap2::{Advice, UncheckedAdvice};
use std::cell::Cell;
use std::fs::File;
use std::io;

/// Bytes a scan goes past before they are let go of.
const RELEASE_STEP: usize = 8 * 1024 * 1024;
/// Released ranges start and end at multiples of this: a multiple of
/// every page size in use (4 KiB on x86-64, 16 or 64 KiB on some ARM),
/// as `madvise` wants.
#[cfg(unix)]
const RELEASE_ALIGN: usize = 64 * 1024;

/// A mapped file: its bytes from `skip` on (a UTF-8 byte order mark left
/// out), and how far they have been let go of.
pub struct MappedText {
    map: Mmap,
    skip: usize,
    released: Cell<usize>,
}

impl MappedText {
    /// Map `file` whole, read-only.
    pub fn map(file: &File) -> io::Result<Self> {
        // SAFETY: read-only mapping of a regular file (the caller checked);
        // nothing here writes through it. Another process changing or
        // truncating the file meanwhile is the risk the module
        // documentation describes and `--no-mmap` avoids.
        let map = unsafe { Mmap::map(file)? };
        // A hint only: read ahead, the scan goes front to back.
        #[cfg(unix)]
        let _ = map.advise(Advice::Sequential);
        Ok(MappedText {
            map,
            skip: 0,
            released: Cell::new(0),
        })
    }

    /// Leave out the first `n` bytes (a byte order mark).
    pub fn skip(mut self, n: usize) -> Self {
        self.skip = n.min(self.map.len());
        self
    }

    /// The whole file, as mapped.
    pub fn whole(&self) -> &[u8] {
        &self.map
    }

    /// The text: the file's bytes after any skipped prefix.
    pub fn bytes(&self) -> &[u8] {
        self.map.get(self.skip..).unwrap_or_default()
    }

    /// Elsewhere than on Unix the pages stay until the map is dropped.
    #[cfg(not(unix))]
    pub fn done_before(&self, _n: usize) {}

    /// No byte of [`Self::bytes`] before offset `n` is read again: let
    /// their pages go once [`RELEASE_STEP`] of them have gathered.
    #[cfg(unix)]
    pub fn done_before(&self, n: usize) {
        let upto = (self.skip + n).min(self.map.len()) / RELEASE_ALIGN * RELEASE_ALIGN;
        let from = self.released.get();
        if upto < from + RELEASE_STEP {
            return;
        }
        // SAFETY: `from..upto` lies inside the mapping (`upto` ≤ its length,
        // both aligned to pages), which is read-only and never written: dropping its
        // pages only makes a later read fetch them again from the file, and
        // the scan reads none of them again.
        let done = unsafe {
            self.map
                .unchecked_advise_range(UncheckedAdvice::DontNeed, from, upto - from)
        };
        if done.is_ok() {
            self.released.set(upto);
        }
    }
}
