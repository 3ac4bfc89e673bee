//! Compressed inputs: `.gz` (streamed through flate2, concatenated members
//! too, as logrotate writes them) and `.zip` (every member becomes an input
//! named `bundle.zip!folder/file.txt`). Detection is by signature, not by
//! file name, so a renamed archive still opens.
//!
//! This module knows nothing about text encodings (it hands bytes back to
//! `input::mod`) and nothing about what the text says.

use super::decode::MAX_INPUT_BYTES;
use flate2::read::MultiGzDecoder;
use std::io::{Read, Seek};

/// How deep archives may nest (`a.zip!b.zip!c.log.gz`).
pub const MAX_NESTING: usize = 3;

/// The most members read from one zip archive.
pub const MAX_ZIP_MEMBERS: usize = 10_000;

/// The most decompressed bytes read from one zip archive, all members
/// together (a zip bomb stops here, with a note for each member not read).
pub const MAX_ZIP_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;

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

/// The decompressed content of a gzip stream.
#[derive(Debug)]
pub struct Gunzipped {
    pub bytes: Vec<u8>,
    /// The decompressed size went over `MAX_INPUT_BYTES`.
    pub cut: bool,
    /// The stream was corrupt or ended early; `bytes` holds what came before.
    pub error: Option<String>,
}

/// Decompress gzip `bytes` (one or more members).
pub fn gunzip(bytes: &[u8]) -> Gunzipped {
    let mut decoder = MultiGzDecoder::new(bytes);
    let mut out = Vec::new();
    let limit = u64::try_from(MAX_INPUT_BYTES).unwrap_or(u64::MAX);
    let result = (&mut decoder)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out);
    let cut = out.len() > MAX_INPUT_BYTES;
    out.truncate(MAX_INPUT_BYTES);
    Gunzipped {
        bytes: out,
        cut,
        error: result.err().map(|e| e.to_string()),
    }
}

/// One zip member, read (or not).
#[derive(Debug)]
pub enum Member {
    /// A file's bytes (`cut` when it was larger than `MAX_INPUT_BYTES`).
    File {
        name: String,
        bytes: Vec<u8>,
        cut: bool,
    },
    /// A member that could not be read (encrypted, corrupt, over budget).
    Unreadable { name: String, reason: String },
}

/// Every file member of the zip archive in `reader`, sorted by name so the
/// order does not depend on the tool that wrote the archive. Folder entries
/// are left out (their files are members of their own).
pub fn zip_members<R: Read + Seek>(reader: R) -> Result<Vec<Member>, String> {
    let mut archive =
        zip::ZipArchive::new(reader).map_err(|e| format!("not a readable zip: {e}"))?;
    let mut names: Vec<(String, usize)> = (0..archive.len())
        .filter_map(|i| archive.name_for_index(i).map(|n| (n.to_owned(), i)))
        .filter(|(n, _)| !n.ends_with('/'))
        .collect();
    names.sort();
    let mut members = Vec::new();
    let mut budget = MAX_ZIP_TOTAL_BYTES;
    for (count, (name, index)) in names.into_iter().enumerate() {
        if count >= MAX_ZIP_MEMBERS {
            members.push(Member::Unreadable {
                name,
                reason: format!("not read: the archive has more than {MAX_ZIP_MEMBERS} files"),
            });
            continue;
        }
        if budget == 0 {
            members.push(Member::Unreadable {
                name,
                reason: "not read: 1 GiB already decompressed from this archive".to_owned(),
            });
            continue;
        }
        let mut file = match archive.by_index(index) {
            Ok(f) => f,
            Err(e) => {
                members.push(Member::Unreadable {
                    name,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        if file.is_dir() {
            continue;
        }
        let limit = u64::try_from(MAX_INPUT_BYTES)
            .unwrap_or(u64::MAX)
            .min(budget);
        let mut bytes = Vec::new();
        match (&mut file)
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
        {
            Ok(_) => {
                let cut = bytes.len() as u64 > limit;
                bytes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                budget = budget.saturating_sub(bytes.len() as u64);
                members.push(Member::File { name, bytes, cut });
            }
            Err(e) => members.push(Member::Unreadable {
                name,
                reason: e.to_string(),
            }),
        }
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn gunzip_reads_concatenated_members() {
        let mut bytes = gz(b"first\n");
        bytes.extend(gz(b"second\n"));
        let out = gunzip(&bytes);
        assert_eq!(out.bytes, b"first\nsecond\n");
        assert!(!out.cut);
        assert_eq!(out.error, None);
    }

    #[test]
    fn gunzip_keeps_what_came_before_corruption() {
        let bytes = gz(b"a log line that is long enough to be compressed\n");
        let cut = bytes.get(..bytes.len() - 6).unwrap();
        let out = gunzip(cut);
        assert!(out.error.is_some());
    }

    #[test]
    fn zip_members_are_sorted_and_folders_left_out() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        w.add_directory("logs/", opts).unwrap();
        w.start_file("logs/z.txt", opts).unwrap();
        w.write_all(b"z").unwrap();
        w.start_file("a.txt", opts).unwrap();
        w.write_all(b"a").unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert!(is_zip(&bytes));
        let members = zip_members(Cursor::new(bytes)).unwrap();
        let names: Vec<&str> = members
            .iter()
            .map(|m| match m {
                Member::File { name, .. } | Member::Unreadable { name, .. } => name.as_str(),
            })
            .collect();
        assert_eq!(names, ["a.txt", "logs/z.txt"]);
    }

    #[test]
    fn garbage_after_zip_magic_is_an_error_not_a_panic() {
        assert!(zip_members(Cursor::new(b"PK\x03\x04garbage".to_vec())).is_err());
    }
}
