//! Reading inputs: stdin, files, folders (recursive, sorted), `.gz` and
//! `.zip`, decoded to text (UTF-8, UTF-8 BOM, UTF-16LE/BE with or without
//! BOM, invalid bytes lossy). Problems with one input are recorded in the
//! returned [`InputSet`] and never stop the others (ripgrep's policy).
//!
//! This module must not know what the text says (that is `parse/`) and
//! never prints: the caller decides how to report errors and skips.
//!
//! Limits, so that no input can exhaust memory or hang the run:
//! - [`read_all`] holds one input (file, zip member, decompressed `.gz`,
//!   stdin) up to [`MAX_INPUT_BYTES`] (256 MiB), with a warning when cut;
//!   the analysis itself ([`plan`] + [`open`]) streams inputs over 8 MiB
//!   instead, in bounded memory;
//! - a line longer than [`MAX_LINE_BYTES`] (1 MiB) keeps its first 1 MiB;
//! - an archive yields at most 1 GiB of decompressed bytes (a `.gz`; a
//!   `.zip`, all members together: the member that reaches it is cut, the
//!   rest not read) and a zip at most 10,000 members, on every path
//!   (files, folders, stdin, archives inside archives, whatever the
//!   archive's own size); each limit hit is one note naming the archive
//!   (`node-logs.zip: 190,000 of 200,000 members not read: more than
//!   10,000 members`), never one per member;
//! - a zip that must be held to be read (from stdin or inside another
//!   archive) is held up to 256 MiB;
//! - archives nest at most 3 deep; folders at most 64 deep;
//! - inside folders only regular files are read (FIFOs, sockets and devices
//!   are skipped, so a stray FIFO cannot block the run); a folder reached
//!   twice (a symlink loop) is read once.
//!
//! A path given explicitly that is not a regular file (a FIFO, `/dev/stdin`,
//! the `/dev/fd/63` of a shell's `<(kubectl logs …)`) *is* read, like
//! ripgrep does: the user asked for it.

pub mod archive;
pub mod decode;
pub mod mapped;
pub mod stream;

pub use decode::{MAX_INPUT_BYTES, MAX_LINE_BYTES};

use std::collections::HashSet;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Where to read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    Path(PathBuf),
}

/// One decoded input (a file, a zip member, stdin).
#[derive(Debug, Clone)]
pub struct DecodedInput {
    /// Display name: the path, `zip!member`, or `<stdin>`.
    pub name: String,
    pub text: String,
    /// Decoding notes (UTF-16 detected, invalid bytes replaced, truncated…),
    /// each naming the input.
    pub warnings: Vec<String>,
}

/// An input that could not be read, with the reason.
#[derive(Debug, Clone)]
pub struct InputError {
    pub name: String,
    pub message: String,
}

/// Everything read from the sources.
#[derive(Debug, Clone, Default)]
pub struct InputSet {
    pub inputs: Vec<DecodedInput>,
    pub errors: Vec<InputError>,
    /// Files skipped on purpose (binary, unsupported), with the reason.
    pub skipped: Vec<InputError>,
}

impl InputSet {
    fn error(&mut self, name: impl Into<String>, message: impl Into<String>) {
        self.errors.push(InputError {
            name: name.into(),
            message: message.into(),
        });
    }

    fn skip(&mut self, name: impl Into<String>, message: impl Into<String>) {
        self.skipped.push(InputError {
            name: name.into(),
            message: message.into(),
        });
    }
}

/// How deep folders are followed.
const MAX_DIR_DEPTH: usize = 64;

/// Read every source, in order; problems with one source are recorded in
/// `errors` / `skipped`, not fatal.
pub fn read_all(sources: &[Source]) -> InputSet {
    // The same walk and decoding as the streaming path (`plan` + `open`),
    // holding every input whole: up to MAX_INPUT_BYTES, the rest cut with
    // a warning.
    let mut set = InputSet::default();
    let opts = OpenOptions {
        stream_threshold: MAX_INPUT_BYTES,
        map_files: false,
        ..OpenOptions::default()
    };
    for entry in plan(sources) {
        open(&entry, opts, &|_| {}, &mut |opened| match opened {
            Opened::Text(input) => set.inputs.push(input),
            Opened::Error(e) => set.errors.push(e),
            Opened::Skip(e) => set.skipped.push(e),
            // Not with `map_files: false` above; held whole all the same.
            Opened::Mapped { name, text } => {
                let bytes = text.bytes();
                let mut warnings = Vec::new();
                if bytes.len() > MAX_INPUT_BYTES {
                    warnings.push(cut_warning(&name));
                }
                let held = bytes.get(..bytes.len().min(MAX_INPUT_BYTES));
                ingest(&mut set, &name, held.unwrap_or_default().to_vec(), warnings);
            }
            Opened::Stream {
                name,
                reader,
                mut warnings,
            } => {
                let mut bytes = Vec::new();
                let limit = u64::try_from(MAX_INPUT_BYTES).unwrap_or(u64::MAX);
                if let Err(e) = reader.take(limit).read_to_end(&mut bytes) {
                    set.error(name, e.to_string());
                    return;
                }
                warnings.push(cut_warning(&name));
                ingest(&mut set, &name, bytes, warnings);
            }
        });
    }
    set
}

/// A folder's entries, sorted; problems go to `set`. Empty when the folder
/// is too deep or was already listed (a symlink loop).
fn list_dir(
    set: &mut InputSet,
    path: &Path,
    name: &str,
    visited: &mut HashSet<PathBuf>,
    depth: usize,
    children: &mut Vec<PathBuf>,
) {
    if depth >= MAX_DIR_DEPTH {
        set.skip(
            name,
            format!("folder nested more than {MAX_DIR_DEPTH} deep"),
        );
        return;
    }
    let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if !visited.insert(canonical.clone()) {
        set.skip(
            name,
            format!(
                "folder already read as {} (symbolic link loop or repeated path)",
                canonical.display()
            ),
        );
        return;
    }
    let entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => {
            set.error(name, e.to_string());
            return;
        }
    };
    for entry in entries {
        match entry {
            Ok(entry) => children.push(entry.path()),
            Err(e) => set.error(name, e.to_string()),
        }
    }
    children.sort();
}

/// Fill `head` as far as the reader allows; the count read.
fn read_head<R: Read + ?Sized>(reader: &mut R, head: &mut [u8]) -> usize {
    let mut filled = 0;
    while filled < head.len() {
        match reader.read(head.get_mut(filled..).unwrap_or_default()) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    filled
}

fn cut_warning(name: &str) -> String {
    format!(
        "{name}: larger than {} MiB; only the first {} MiB were read",
        MAX_INPUT_BYTES >> 20,
        MAX_INPUT_BYTES >> 20
    )
}

/// Decode one input's bytes as text (archives never come here: see
/// [`open_reader`]).
fn ingest(set: &mut InputSet, name: &str, bytes: Vec<u8>, mut warnings: Vec<String>) {
    match decode::decode(name, bytes) {
        Ok(decoded) => {
            warnings.extend(decoded.warnings);
            set.inputs.push(DecodedInput {
                name: name.to_owned(),
                text: decoded.text,
                warnings,
            });
        }
        Err(decode::Binary(reason)) => set.skip(name, reason),
    }
}

/// One entry of a read plan: what [`plan`] found to read, in order.
#[derive(Debug, Clone)]
pub enum Planned {
    Stdin,
    /// A file (`explicit`: named by the user, read even when not regular).
    File {
        path: PathBuf,
        name: String,
    },
    /// A path that could not be read or listed.
    Error(InputError),
    /// A path left out on purpose (FIFO in a folder, symlink loop…).
    Skip(InputError),
}

/// The files to read, in the order [`read_all`] reads them (folders walked
/// recursively and sorted), without reading any. Lets the caller read
/// files in parallel and still report in this order.
pub fn plan(sources: &[Source]) -> Vec<Planned> {
    let mut set = InputSet::default();
    let mut visited = HashSet::new();
    let mut out = Vec::new();
    for source in sources {
        match source {
            Source::Stdin => out.push(Planned::Stdin),
            Source::Path(path) => {
                plan_path(&mut set, &mut out, path, true, &mut visited, 0);
            }
        }
    }
    out
}

fn plan_path(
    set: &mut InputSet,
    out: &mut Vec<Planned>,
    path: &Path,
    explicit: bool,
    visited: &mut HashSet<PathBuf>,
    depth: usize,
) {
    let name = path.display().to_string();
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            let dangling = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            let message = if dangling {
                format!("broken symbolic link: {e}")
            } else {
                e.to_string()
            };
            out.push(Planned::Error(InputError { name, message }));
            return;
        }
    };
    if meta.is_dir() {
        let mut children = Vec::new();
        let before = (set.errors.len(), set.skipped.len());
        list_dir(set, path, &name, visited, depth, &mut children);
        for e in set.errors.drain(before.0..) {
            out.push(Planned::Error(e));
        }
        for e in set.skipped.drain(before.1..) {
            out.push(Planned::Skip(e));
        }
        for child in children {
            plan_path(set, out, &child, false, visited, depth + 1);
        }
    } else if meta.is_file() || explicit {
        out.push(Planned::File {
            path: path.to_path_buf(),
            name,
        });
    } else {
        out.push(Planned::Skip(InputError {
            name,
            message: format!("not a regular file ({})", file_kind(&meta)),
        }));
    }
}

/// What [`open`] hands over for each input inside a planned entry (a file
/// gives one, a zip one per member).
pub enum Opened<'a> {
    /// Small enough to hold: decoded whole, as [`read_all`] does.
    Text(DecodedInput),
    /// Large: UTF-8 bytes to stream (decoded from UTF-16 and decompressed
    /// on the fly), with the decoding notes so far.
    Stream {
        name: String,
        reader: &'a mut dyn Read,
        warnings: Vec<String>,
    },
    /// Large, a regular file of UTF-8 text: mapped rather than read
    /// ([`mapped`]); scanned like a stream, without the copy.
    Mapped {
        name: String,
        text: &'a mapped::MappedText,
    },
    Error(InputError),
    Skip(InputError),
}

/// How [`open`] decides between holding and streaming.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    /// Inputs up to this many bytes (after decompression) are read whole;
    /// larger ones are streamed.
    pub stream_threshold: usize,
    /// The most decompressed bytes read from one archive
    /// ([`archive::MAX_ARCHIVE_BYTES`]; smaller in tests).
    pub max_archive_bytes: u64,
    /// The most members read from one zip archive
    /// ([`archive::MAX_ZIP_MEMBERS`]; smaller in tests).
    pub max_zip_members: usize,
    /// Map large regular files of UTF-8 text rather than read them
    /// ([`mapped`]; `--no-mmap` turns it off).
    pub map_files: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            stream_threshold: 8 * 1024 * 1024,
            max_archive_bytes: archive::MAX_ARCHIVE_BYTES,
            max_zip_members: archive::MAX_ZIP_MEMBERS,
            map_files: true,
        }
    }
}

/// Read one planned entry, handing each input to `sink`. `progress` is
/// called with the count of raw bytes read from the file or stdin.
pub fn open(
    entry: &Planned,
    opts: OpenOptions,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut dyn FnMut(Opened<'_>),
) {
    match entry {
        Planned::Error(e) => sink(Opened::Error(e.clone())),
        Planned::Skip(e) => sink(Opened::Skip(e.clone())),
        Planned::Stdin if !stdin_is_open() => sink(Opened::Error(InputError {
            name: "<stdin>".to_owned(),
            message: "standard input is closed (or /dev/null): nothing to read".to_owned(),
        })),
        Planned::Stdin => {
            let mut r = Counting {
                inner: std::io::stdin().lock(),
                progress,
            };
            open_reader(&mut r, "<stdin>", opts, 0, sink);
        }
        Planned::File { path, name } => {
            let mut file = match fs::File::open(path) {
                Ok(f) => f,
                Err(e) => {
                    sink(Opened::Error(InputError {
                        name: name.clone(),
                        message: e.to_string(),
                    }));
                    return;
                }
            };
            if opts.map_files && open_mapped(&file, name, opts, progress, sink) {
                return;
            }
            let mut head = [0u8; 4];
            let head_len = read_head(&mut file, &mut head);
            if archive::is_zip(head.get(..head_len).unwrap_or_default())
                && file.seek(SeekFrom::Start(0)).is_ok()
            {
                open_zip(file, name, opts, 0, progress, sink);
                return;
            }
            let rewound = file.seek(SeekFrom::Start(0)).is_ok();
            let prefix = if rewound {
                &[][..]
            } else {
                head.get(..head_len).unwrap_or_default()
            };
            let mut r = Counting {
                inner: prefix.chain(file),
                progress,
            };
            open_reader(&mut r, name, opts, 0, sink);
        }
    }
}

/// Map `file` and hand it over as [`Opened::Mapped`] when it is a regular
/// file above the streaming threshold holding UTF-8 text; false (nothing
/// handed over) otherwise, or when it cannot be mapped: then it is read.
fn open_mapped(
    file: &fs::File,
    name: &str,
    opts: OpenOptions,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut dyn FnMut(Opened<'_>),
) -> bool {
    let large_file = file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() > opts.stream_threshold as u64);
    if !large_file {
        return false;
    }
    let Ok(text) = mapped::MappedText::map(file) else {
        return false;
    };
    let whole = text.whole();
    let head = whole
        .get(..whole.len().min(decode::SNIFF_BYTES))
        .unwrap_or_default();
    let Kind::Utf8 { bom } = classify(name, head) else {
        return false;
    };
    progress(whole.len() as u64);
    sink(Opened::Mapped {
        name: name.to_owned(),
        text: &text.skip(bom),
    });
    true
}

/// What the first bytes of a long input say it is.
enum Kind {
    Archive,
    /// Skipped, with why.
    Binary(String),
    /// UTF-16 (or another byte order mark's encoding), with the note that
    /// says how it was recognised.
    Decoded(&'static encoding_rs::Encoding, String),
    /// UTF-8 text, after a byte order mark of this many bytes.
    Utf8 {
        bom: usize,
    },
}

fn classify(name: &str, head: &[u8]) -> Kind {
    if archive::is_gzip(head) || archive::is_zip(head) {
        return Kind::Archive;
    }
    if let Some(what) = decode::binary_magic(head) {
        return Kind::Binary(format!("binary file ({what})"));
    }
    let encoding = if let Some((enc, _)) = encoding_rs::Encoding::for_bom(head) {
        (enc != encoding_rs::UTF_8).then(|| {
            (
                enc,
                format!("{name}: decoded from {} (byte order mark)", enc.name()),
            )
        })
    } else {
        decode::utf16_without_bom(head).map(|enc| {
            (
                enc,
                format!(
                    "{name}: no byte order mark; decoded as {} (NUL bytes between characters)",
                    enc.name()
                ),
            )
        })
    };
    if let Some((enc, note)) = encoding {
        return Kind::Decoded(enc, note);
    }
    // Frequent NULs in the first 8 KiB of text: binary (UTF-16 has NULs by
    // design; a stray NUL does not make a log binary).
    if decode::looks_binary(head) {
        return Kind::Binary("binary file (NUL or control bytes in the first 8 KiB)".to_owned());
    }
    let bom = if head.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    Kind::Utf8 { bom }
}

/// Calls `progress` with each read's byte count.
struct Counting<'p, R> {
    inner: R,
    progress: &'p (dyn Fn(u64) + Sync),
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.progress)(n as u64);
        Ok(n)
    }
}

/// Read up to the threshold; a short text goes the in-memory way
/// ([`ingest`]), a long one and every archive are streamed (gunzipped and
/// decoded on the fly, zip members one by one).
fn open_reader(
    reader: &mut dyn Read,
    name: &str,
    opts: OpenOptions,
    depth: usize,
    sink: &mut dyn FnMut(Opened<'_>),
) {
    let mut head = Vec::new();
    let limit = u64::try_from(opts.stream_threshold).unwrap_or(u64::MAX);
    if let Err(e) = (&mut *reader)
        .take(limit.saturating_add(1))
        .read_to_end(&mut head)
    {
        sink(Opened::Error(InputError {
            name: name.to_owned(),
            message: e.to_string(),
        }));
        return;
    }
    let archive = archive::is_gzip(&head) || archive::is_zip(&head);
    if head.len() <= opts.stream_threshold && !archive {
        let mut set = InputSet::default();
        ingest(&mut set, name, head, Vec::new());
        drain_set(set, sink);
        return;
    }
    // Archives are always opened as streams, whatever their size: a small
    // gzip or zip can hold gigabytes (issue 15), and each has its limits.
    let mut rest = std::io::Cursor::new(head).chain(reader);
    stream_reader(&mut rest, name, opts, depth, sink);
}

/// Stream a long input: gzip is decompressed, zip inside a stream is read
/// whole (it needs seeking), text is decoded to UTF-8.
fn stream_reader(
    reader: &mut dyn Read,
    name: &str,
    opts: OpenOptions,
    depth: usize,
    sink: &mut dyn FnMut(Opened<'_>),
) {
    let mut peek = [0u8; decode::SNIFF_BYTES];
    let n = read_head(reader, &mut peek);
    let head = peek.get(..n).unwrap_or_default();
    let mut whole = head.chain(reader);
    let kind = classify(name, head);
    if let Kind::Archive = kind {
        if depth >= archive::MAX_NESTING {
            sink(Opened::Skip(InputError {
                name: name.to_owned(),
                message: format!("archive nested more than {} deep", archive::MAX_NESTING),
            }));
            return;
        }
        if archive::is_gzip(head) {
            let (mut left, mut hit) = (opts.max_archive_bytes, false);
            let mut gz = archive::Capped {
                inner: flate2::read::MultiGzDecoder::new(whole),
                left: &mut left,
                hit: &mut hit,
            };
            open_reader(&mut gz, name, opts, depth + 1, sink);
            if hit {
                sink(Opened::Skip(InputError {
                    name: name.to_owned(),
                    message: format!(
                        "read up to {} of decompressed text, the limit per archive; the rest was not read",
                        archive::size_text(opts.max_archive_bytes)
                    ),
                }));
            }
        } else {
            // A zip inside a stream (stdin, a zip member): seekable only in
            // memory, so the archive itself is capped (its members are
            // still streamed one by one).
            match archive::read_capped(whole) {
                Ok((bytes, cut)) => {
                    if cut {
                        sink(Opened::Skip(InputError {
                            name: name.to_owned(),
                            message: format!(
                                "zip archive larger than {} MiB read from a stream; only what its first {} MiB hold was read",
                                MAX_INPUT_BYTES >> 20,
                                MAX_INPUT_BYTES >> 20
                            ),
                        }));
                    }
                    open_zip(
                        std::io::Cursor::new(bytes),
                        name,
                        opts,
                        depth,
                        &|_| {},
                        sink,
                    );
                }
                Err(e) => sink(Opened::Error(InputError {
                    name: name.to_owned(),
                    message: e.to_string(),
                })),
            }
        }
        return;
    }
    let (encoding, warnings) = match kind {
        Kind::Binary(why) => {
            sink(Opened::Skip(InputError {
                name: name.to_owned(),
                message: why,
            }));
            return;
        }
        Kind::Utf8 { bom } => {
            // UTF-8: the bytes as they are (the BOM dropped); invalid bytes
            // are replaced where windows are decoded. No copy in between.
            let (_, rest) = whole.into_inner();
            let mut plain = head.get(bom..).unwrap_or_default().chain(rest);
            sink(Opened::Stream {
                name: name.to_owned(),
                reader: &mut plain,
                warnings: Vec::new(),
            });
            return;
        }
        Kind::Decoded(enc, note) => (enc, vec![note]),
        // Handled above.
        Kind::Archive => return,
    };
    // UTF-16 is transcoded to UTF-8 in chunks.
    let mut decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .strip_bom(true)
        .utf8_passthru(true)
        .build(whole.by_ref());
    sink(Opened::Stream {
        name: name.to_owned(),
        reader: &mut decoded,
        warnings,
    });
}

/// Each member of a zip, streamed when large.
fn open_zip<R: Read + Seek>(
    reader: R,
    name: &str,
    opts: OpenOptions,
    depth: usize,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut dyn FnMut(Opened<'_>),
) {
    let mut archive = match zip::ZipArchive::new(reader) {
        Ok(a) => a,
        Err(e) => {
            sink(Opened::Error(InputError {
                name: name.to_owned(),
                message: format!("not a readable zip: {e}"),
            }));
            return;
        }
    };
    let mut names: Vec<(String, usize)> = (0..archive.len())
        .filter_map(|i| archive.name_for_index(i).map(|n| (n.to_owned(), i)))
        .filter(|(n, _)| !n.ends_with('/'))
        .collect();
    names.sort();
    if names.is_empty() {
        sink(Opened::Skip(InputError {
            name: name.to_owned(),
            message: "zip archive with no files".to_owned(),
        }));
    }
    // One note per limit hit, for the archive: never one per member
    // (issue 15: 200,000 empty members printed 190,000 lines).
    let total = names.len();
    let (mut left, mut hit) = (opts.max_archive_bytes, false);
    let mut cut: Option<String> = None;
    let mut over_budget = 0usize;
    for (member, index) in names.into_iter().take(opts.max_zip_members) {
        let full = format!("{name}!{member}");
        if hit {
            over_budget += 1;
            continue;
        }
        match archive.by_index(index) {
            Ok(file) if file.is_dir() => {}
            Ok(file) => {
                let mut r = archive::Capped {
                    inner: Counting {
                        inner: file,
                        progress,
                    },
                    left: &mut left,
                    hit: &mut hit,
                };
                open_reader(&mut r, &full, opts, depth + 1, sink);
                if hit {
                    cut = Some(member);
                }
            }
            Err(e) => sink(Opened::Error(InputError {
                name: full,
                message: e.to_string(),
            })),
        }
    }
    if let Some(member) = cut {
        let rest = if over_budget > 0 {
            format!(
                " and {} of {} members not read",
                archive::thousands(over_budget as u64),
                archive::thousands(total as u64)
            )
        } else {
            String::new()
        };
        sink(Opened::Skip(InputError {
            name: name.to_owned(),
            message: format!(
                "{member} cut{rest}: {} decompressed from this archive, the limit per archive",
                archive::size_text(opts.max_archive_bytes)
            ),
        }));
    }
    if total > opts.max_zip_members {
        sink(Opened::Skip(InputError {
            name: name.to_owned(),
            message: format!(
                "{} of {} members not read: more than {} members",
                archive::thousands((total - opts.max_zip_members) as u64),
                archive::thousands(total as u64),
                archive::thousands(opts.max_zip_members as u64)
            ),
        }));
    }
}

/// Hand over what an in-memory read produced.
fn drain_set(set: InputSet, sink: &mut dyn FnMut(Opened<'_>)) {
    for i in set.inputs {
        sink(Opened::Text(i));
    }
    for e in set.errors {
        sink(Opened::Error(e));
    }
    for e in set.skipped {
        sink(Opened::Skip(e));
    }
}

/// A word for a non-regular, non-folder file type.
fn file_kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "device";
        }
    }
    let _ = meta;
    "special file"
}

/// Whether standard input can hold anything. Rust's runtime reopens a
/// closed fd 0 on /dev/null before `main`, and reads it as empty, which
/// would report "no failure" for input that was never there; so stdin on
/// /dev/null (closed, or `< /dev/null`) counts as nothing to read.
#[cfg(target_os = "linux")]
fn stdin_is_open() -> bool {
    std::fs::read_link("/proc/self/fd/0").map_or(true, |target| target != Path::new("/dev/null"))
}

#[cfg(not(target_os = "linux"))]
fn stdin_is_open() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `open_reader` hands over for `bytes`, texts whole.
    fn opened(name: &str, bytes: Vec<u8>, opts: OpenOptions) -> InputSet {
        let mut set = InputSet::default();
        let mut reader = std::io::Cursor::new(bytes);
        open_reader(&mut reader, name, opts, 0, &mut |o| match o {
            Opened::Text(t) => set.inputs.push(t),
            Opened::Stream {
                name,
                reader,
                warnings,
            } => {
                let mut text = String::new();
                reader.read_to_string(&mut text).unwrap();
                set.inputs.push(DecodedInput {
                    name,
                    text,
                    warnings,
                });
            }
            // `open_reader` never maps (only `open` does, for files).
            Opened::Mapped { name, text } => set.inputs.push(DecodedInput {
                name,
                text: String::from_utf8_lossy(text.bytes()).into_owned(),
                warnings: Vec::new(),
            }),
            Opened::Error(e) => set.errors.push(e),
            Opened::Skip(e) => set.skipped.push(e),
        });
        set
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn gzip_bytes_are_decompressed_and_keep_their_name() {
        let set = opened(
            "dockerd.log.gz",
            gz(b"time=\"2024-03-01T10:22:33Z\" level=info msg=\"x\"\n"),
            OpenOptions::default(),
        );
        assert_eq!(set.inputs.len(), 1);
        assert_eq!(set.inputs[0].name, "dockerd.log.gz");
        assert!(set.inputs[0].text.starts_with("time="));
    }

    #[test]
    fn gzip_reads_concatenated_members() {
        let mut bytes = gz(b"first\n");
        bytes.extend(gz(b"second\n"));
        let set = opened("rotated.log.gz", bytes, OpenOptions::default());
        assert_eq!(set.inputs[0].text, "first\nsecond\n");
    }

    #[test]
    fn a_small_gzip_bomb_is_cut_at_the_archive_limit_with_one_note() {
        let opts = OpenOptions {
            max_archive_bytes: 1000,
            ..OpenOptions::default()
        };
        let set = opened("bomb.gz", gz(&[b'a'; 100_000]), opts);
        assert_eq!(set.inputs[0].text.len(), 1000);
        assert_eq!(set.skipped.len(), 1, "{:?}", set.skipped);
        assert_eq!(
            set.skipped[0].message,
            "read up to 1,000 bytes of decompressed text, the limit per archive; the rest was not read"
        );
    }

    #[test]
    fn binary_bytes_are_skipped_with_reason() {
        let mut set = InputSet::default();
        ingest(&mut set, "core", b"\x7fELF\x02\x01".to_vec(), Vec::new());
        assert!(set.inputs.is_empty());
        assert_eq!(set.skipped[0].name, "core");
        assert_eq!(set.skipped[0].message, "binary file (ELF executable)");
    }

    #[test]
    fn missing_path_is_an_error_naming_it() {
        let set = read_all(&[Source::Path(PathBuf::from("/nonexistent/wincompat-x.log"))]);
        assert_eq!(set.errors.len(), 1);
        assert_eq!(set.errors[0].name, "/nonexistent/wincompat-x.log");
    }
}
