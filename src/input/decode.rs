//! Bytes → text: byte-order-mark sniffing (UTF-8, UTF-16LE, UTF-16BE),
//! a heuristic for UTF-16 without a BOM, lossy UTF-8 with a warning, binary
//! detection, and the per-line length cap.
//!
//! This module knows nothing about files, folders or archives (that is
//! `input::mod` and `input::archive`) and nothing about what the text says
//! (that is `parse/`).
//!
//! Why `encoding_rs` directly and not `encoding_rs_io::DecodeReaderBytes`:
//! we read each input whole (up to [`MAX_INPUT_BYTES`]) anyway, and
//! `encoding_rs` tells us whether bytes were replaced, which is what the
//! "invalid UTF-8 replaced" warning needs; the streaming wrapper does not
//! report it. The BOM rules are the same (`Encoding::for_bom`).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// The most bytes read from one input (file, zip member, stdin, decompressed
/// `.gz`). Larger inputs are read up to this cap and carry a warning. The cap
/// bounds memory: the bytes, the decoded text and the parser's line copies
/// together stay within a few times this value.
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;

/// The longest line kept whole; longer lines keep their first
/// `MAX_LINE_BYTES` bytes (cut on a character boundary) and carry a warning.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// How many bytes at the start are examined for NULs and UTF-16 shape.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// Text decoded from one input, with notes on how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub warnings: Vec<String>,
}

/// Why an input was not decoded: it looks like a binary file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary(pub String);

/// A known binary file signature at the start of `bytes`, by name. gzip and
/// zip are not listed: the caller opens those.
///
/// Matches e.g. `\x89PNG\r\n\x1a\n…` → `"PNG image"`, `MZ\x90\x00…` →
/// `"Windows executable (PE/MZ)"`.
pub fn binary_magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"\x7fELF", "ELF executable"),
        (b"%PDF-", "PDF document"),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
        (b"\xfd7zXZ\x00", "xz archive"),
        (b"BZh", "bzip2 archive"),
        (b"\x28\xb5\x2f\xfd", "zstd archive"),
        (b"Rar!\x1a\x07", "RAR archive"),
        (
            b"ElfFile\x00",
            "Windows event log (.evtx); export it with Get-WinEvent | Format-List",
        ),
    ];
    if let Some((_, what)) = MAGICS.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(what);
    }
    // `MZ` alone could start a text line; a PE header has NULs right after.
    if bytes.starts_with(b"MZ") && bytes.iter().take(64).any(|&b| b == 0) {
        return Some("Windows executable (PE/MZ)");
    }
    // POSIX tar: `ustar` at offset 257.
    if bytes.get(257..262) == Some(b"ustar".as_slice()) {
        return Some("tar archive (extract it and give the folder)");
    }
    None
}

/// Whether the start of a (non-UTF-16) input is binary: NUL or other
/// control bytes are frequent there. One stray NUL — a log rotated while written, a paste
/// through a padding tool — leaves the file text, so its failure messages
/// are still read (tests/hostile.rs).
pub fn looks_binary(head: &[u8]) -> bool {
    let nuls = memchr::memchr_iter(0, head).count();
    // Control bytes that text does not use (tab, line ends, form feed and
    // the escape of colour codes excepted): frequent in binaries.
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    (nuls > 0 && nuls * 64 > head.len()) || (controls > 1 && controls * 32 > head.len())
}

/// Decode `bytes` (the content of the input called `name`) to text.
///
/// - BOM present: UTF-8, UTF-16LE (what PowerShell 5 `>` writes) or UTF-16BE.
/// - No BOM but NULs at most odd (even) offsets: UTF-16LE (BE), with a note.
/// - Otherwise UTF-8; invalid bytes become U+FFFD with a warning.
///
/// Returns [`Binary`] when the bytes have a known binary signature or the
/// decoded text has frequent NULs in its first 8 KiB (see [`looks_binary`]).
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<Decoded, Binary> {
    if let Some(what) = binary_magic(&bytes) {
        return Err(Binary(format!("binary file ({what})")));
    }
    let mut warnings = Vec::new();
    let text = if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if encoding != encoding_rs::UTF_8 {
            warnings.push(format!(
                "{name}: decoded from {} (byte order mark)",
                encoding.name()
            ));
        }
        decode_with(name, encoding, body, &mut warnings)
    } else if let Some(encoding) = utf16_without_bom(&bytes) {
        // PowerShell `Out-File -Encoding Unicode` keeps the BOM, but pastes
        // through some editors and `[IO.File]::WriteAllText(…, Unicode)`
        // tools drop it; the NUL pattern of ASCII text gives it away.
        warnings.push(format!(
            "{name}: no byte order mark; decoded as {} (NUL bytes between characters)",
            encoding.name()
        ));
        decode_with(name, encoding, &bytes, &mut warnings)
    } else {
        match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                let bytes = err.into_bytes();
                decode_with(name, encoding_rs::UTF_8, &bytes, &mut warnings)
            }
        }
    };
    let head_end = floor_char_boundary(&text, SNIFF_BYTES);
    if text
        .get(..head_end)
        .is_some_and(|head| looks_binary(head.as_bytes()))
    {
        return Err(Binary(
            "binary file (NUL or control bytes in the first 8 KiB)".to_owned(),
        ));
    }
    let text = if text.contains('\0') {
        warnings.push(format!("{name}: NUL bytes replaced with spaces"));
        text.replace('\0', " ")
    } else {
        text
    };
    let text = cap_long_lines(name, text, &mut warnings);
    Ok(Decoded { text, warnings })
}

/// Decode `body` with `encoding`, noting replaced bytes.
fn decode_with(
    name: &str,
    encoding: &'static Encoding,
    body: &[u8],
    warnings: &mut Vec<String>,
) -> String {
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        let what = if encoding == encoding_rs::UTF_8 {
            "invalid UTF-8".to_owned()
        } else {
            format!("invalid {}", encoding.name())
        };
        warnings.push(format!("{name}: {what} replaced with U+FFFD"));
    }
    text.into_owned()
}

/// UTF-16 without a BOM: in the first 8 KiB, at least 40% of the 2-byte
/// units have a NUL high byte and the other half of the pairs is almost
/// never NUL (ASCII text encoded as UTF-16). `None` for UTF-8 text, which
/// has no NULs, and for binaries, whose NULs fall on both offsets.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = bytes.get(..bytes.len().min(SNIFF_BYTES))?;
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        if let [a, b] = pair {
            even_nul += usize::from(*a == 0);
            odd_nul += usize::from(*b == 0);
        }
    }
    let mostly = |n: usize| n * 10 >= pairs * 4;
    let rarely = |n: usize| n * 20 <= pairs;
    if mostly(odd_nul) && rarely(even_nul) {
        Some(UTF_16LE)
    } else if mostly(even_nul) && rarely(odd_nul) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The largest index ≤ `i` that is a char boundary of `s`.
pub fn floor_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Keep at most [`MAX_LINE_BYTES`] of each line (lines end at `\n`, `\r\n`
/// or `\r`, as `Doc::new` splits them), warning with the input name and the
/// 1-based line number. Linear in the text length; returns the text
/// unchanged (no copy) when no line is too long.
pub fn cap_long_lines(name: &str, text: String, warnings: &mut Vec<String>) -> String {
    let spans = line_spans(&text);
    if spans.iter().all(|&(s, e, _)| e - s <= MAX_LINE_BYTES) {
        return text;
    }
    let mut out = String::with_capacity(text.len().min(MAX_INPUT_BYTES));
    let mut cut = Vec::new();
    for (idx, &(start, end, term_end)) in spans.iter().enumerate() {
        let line = text.get(start..end).unwrap_or_default();
        if line.len() > MAX_LINE_BYTES {
            let keep = floor_char_boundary(line, MAX_LINE_BYTES);
            out.push_str(line.get(..keep).unwrap_or_default());
            cut.push(idx + 1);
        } else {
            out.push_str(line);
        }
        out.push_str(text.get(end..term_end).unwrap_or_default());
    }
    const NAMED: usize = 5;
    let listed: Vec<String> = cut.iter().take(NAMED).map(usize::to_string).collect();
    let more = cut.len().saturating_sub(NAMED);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    warnings.push(format!(
        "{name}: line {}{more} longer than 1 MiB; only the first 1 MiB of each was kept",
        listed.join(", ")
    ));
    out
}

/// `(start, end, end_with_terminator)` byte offsets of each line.
fn line_spans(text: &str) -> Vec<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut start = 0;
    for pos in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if pos < start {
            // The `\n` of a `\r\n` already consumed.
            continue;
        }
        let term_end = if bytes.get(pos) == Some(&b'\r') && bytes.get(pos + 1) == Some(&b'\n') {
            pos + 2
        } else {
            pos + 1
        };
        spans.push((start, pos, term_end));
        start = term_end;
    }
    if start < bytes.len() {
        spans.push((start, bytes.len(), bytes.len()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xff, 0xfe] } else { Vec::new() };
        for unit in text.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
        out
    }

    #[test]
    fn plain_utf8_has_no_warnings() {
        let d = decode("a.txt", b"Host OS Version: 10.0.20348\n".to_vec()).unwrap();
        assert_eq!(d.text, "Host OS Version: 10.0.20348\n");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn utf8_bom_is_dropped_silently() {
        let d = decode("a.txt", b"\xef\xbb\xbfver\n".to_vec()).unwrap();
        assert_eq!(d.text, "ver\n");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn utf16le_with_bom_as_powershell_writes_it() {
        let d = decode(
            "ps.txt",
            utf16le("Container OS Version: 10.0.17763\r\n", true),
        )
        .unwrap();
        assert_eq!(d.text, "Container OS Version: 10.0.17763\r\n");
        assert_eq!(
            d.warnings,
            ["ps.txt: decoded from UTF-16LE (byte order mark)"]
        );
    }

    #[test]
    fn utf16be_with_bom() {
        let mut bytes = vec![0xfe, 0xff];
        for unit in "ver\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode("b", bytes).unwrap().text, "ver\n");
    }

    #[test]
    fn utf16le_without_bom_is_detected_from_nul_pattern() {
        let d = decode("nobom.txt", utf16le("OsVersion : 10.0.17763\n", false)).unwrap();
        assert_eq!(d.text, "OsVersion : 10.0.17763\n");
        assert!(
            d.warnings[0].contains("no byte order mark"),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn invalid_utf8_is_replaced_with_a_warning_naming_the_input() {
        let d = decode("bad.log", b"before \xff\xfe after\n".to_vec()).unwrap();
        assert_eq!(d.text, "before \u{fffd}\u{fffd} after\n");
        assert_eq!(d.warnings, ["bad.log: invalid UTF-8 replaced with U+FFFD"]);
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let err = decode("x.bin", b"abc\0\0\x01\x02def\0".to_vec()).unwrap_err();
        assert!(err.0.contains("NUL"), "{}", err.0);
    }

    #[test]
    fn known_magic_means_binary() {
        let err = decode("p.png", b"\x89PNG\r\n\x1a\nrest".to_vec()).unwrap_err();
        assert_eq!(err.0, "binary file (PNG image)");
        let err = decode("a.exe", b"MZ\x90\x00\x03\x00\x00\x00".to_vec()).unwrap_err();
        assert_eq!(err.0, "binary file (Windows executable (PE/MZ))");
        // A text line that happens to start with MZ is text.
        assert!(decode("t", b"MZ-1 node ready\n".to_vec()).is_ok());
    }

    #[test]
    fn long_lines_are_cut_on_a_char_boundary() {
        let mut text = "short\n".to_owned();
        text.push_str(&"é".repeat(MAX_LINE_BYTES)); // 2 MiB line
        text.push_str("\r\nlast");
        let mut warnings = Vec::new();
        let out = cap_long_lines("big.log", text, &mut warnings);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].len(), "short\n".len() + MAX_LINE_BYTES);
        assert_eq!(lines[1], "last");
        assert_eq!(
            warnings,
            ["big.log: line 2 longer than 1 MiB; only the first 1 MiB of each was kept"]
        );
    }

    #[test]
    fn line_spans_handle_every_terminator() {
        assert_eq!(
            line_spans("a\r\nb\rc\nd"),
            [(0, 1, 3), (3, 4, 5), (5, 6, 7), (7, 8, 8)]
        );
    }
}
