//! Compressed inputs: signatures, limits and the reader that enforces the
//! byte limit. `input::mod` opens `.gz` (streamed through flate2,
//! concatenated members too, as logrotate writes them) and `.zip` (every
//! member becomes an input named `bundle.zip!folder/file.txt`), on every
//! path (files, folders, stdin, archives inside archives), with these
//! limits. Detection is by signature, not by file name, so a renamed
//! archive still opens.
//!
//! This module knows nothing about text encodings (it hands bytes back to
//! `input::mod`) and nothing about what the text says.

use super::decode::MAX_INPUT_BYTES;
use std::io::Read;

/// How deep archives may nest (`a.zip!b.zip!c.log.gz`).
pub const MAX_NESTING: usize = 3;

/// The most members read from one zip archive.
pub const MAX_ZIP_MEMBERS: usize = 10_000;

/// The most decompressed bytes read from one archive (a `.zip`, all
/// members together, or a `.gz`): past it the member being read is cut and
/// the members after it are not read, with one note for the archive (a
/// zip or gzip bomb stops here).
pub const MAX_ARCHIVE_BYTES: u64 = 1024 * 1024 * 1024;

/// gzip signature: `1f 8b`.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(b"\x1f\x8b")
}

/// zip signature: a local file header `PK\x03\x04` or the end record of an
/// empty archive `PK\x05\x06`.
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Read at most `MAX_INPUT_BYTES` from `reader`; `true` when more was there.
pub fn read_capped(reader: impl Read) -> std::io::Result<(Vec<u8>, bool)> {
    let mut buf = Vec::new();
    let limit = u64::try_from(MAX_INPUT_BYTES).unwrap_or(u64::MAX);
    reader.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    let cut = buf.len() > MAX_INPUT_BYTES;
    buf.truncate(MAX_INPUT_BYTES);
    Ok((buf, cut))
}

/// A reader that hands over at most `left` bytes of `inner` (a budget that
/// several readers can share: the members of one zip archive), and notes
/// in `hit` that `inner` had more.
pub struct Capped<'b, R> {
    pub inner: R,
    pub left: &'b mut u64,
    pub hit: &'b mut bool,
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if *self.left == 0 {
            if !*self.hit && !buf.is_empty() {
                let mut one = [0u8; 1];
                *self.hit = self.inner.read(&mut one)? > 0;
            }
            return Ok(0);
        }
        let max = usize::try_from(*self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(buf.get_mut(..max).unwrap_or_default())?;
        *self.left = self.left.saturating_sub(n as u64);
        Ok(n)
    }
}

/// `1,234,567`: counts in notes, as people write them.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 GiB`, `64 KiB`, `300 bytes`: a limit in a note.
pub fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{} bytes", thousands(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_reader_stops_at_the_budget_and_notes_more() {
        let (mut left, mut hit) = (5u64, false);
        let mut out = Vec::new();
        Capped {
            inner: &b"0123456789"[..],
            left: &mut left,
            hit: &mut hit,
        }
        .read_to_end(&mut out)
        .unwrap();
        assert_eq!(out, b"01234");
        assert!(hit);
        let (mut left, mut hit) = (10u64, false);
        let mut out = Vec::new();
        Capped {
            inner: &b"0123456789"[..],
            left: &mut left,
            hit: &mut hit,
        }
        .read_to_end(&mut out)
        .unwrap();
        assert_eq!(
            (out.len(), hit),
            (10, false),
            "exactly the budget is not over it"
        );
    }

    #[test]
    fn counts_and_sizes_read_as_people_write_them() {
        assert_eq!(thousands(190_000), "190,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(size_text(MAX_ARCHIVE_BYTES), "1 GiB");
        assert_eq!(size_text(4096), "4 KiB");
        assert_eq!(size_text(1500), "1,500 bytes");
    }
}
