//! Reading inputs end to end: encodings written as raw bytes (the way
//! ripgrep keeps its UTF-16 fixture), line endings, folders with binaries,
//! FIFOs and symlink loops, `.gz` and `.zip`, missing paths.

use std::io::Write;
use std::path::{Path, PathBuf};
use wincompat::input::{read_all, InputSet, Source};

fn read(paths: &[&Path]) -> InputSet {
    let sources: Vec<Source> = paths
        .iter()
        .map(|p| Source::Path(p.to_path_buf()))
        .collect();
    read_all(&sources)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    path
}

fn only_text(set: &InputSet) -> &str {
    assert_eq!(set.inputs.len(), 1, "errors: {:?}", set.errors);
    &set.inputs[0].text
}

/// `Host OS Version: 10.0.20348.2340 (21H2)\r\n` as PowerShell 5.1 `>`
/// writes it: UTF-16LE with a BOM.
const UTF16LE_BOM: &[u8] = b"\xff\xfeH\x00o\x00s\x00t\x00 \x00O\x00S\x00 \x00V\x00e\x00r\x00s\x00i\x00o\x00n\x00:\x00 \x001\x000\x00.\x000\x00.\x002\x000\x003\x004\x008\x00.\x002\x003\x004\x000\x00 \x00(\x002\x001\x00H\x002\x00)\x00\r\x00\n\x00";

#[test]
fn utf16le_with_bom() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "ps.txt", UTF16LE_BOM);
    let set = read(&[&p]);
    assert_eq!(
        only_text(&set),
        "Host OS Version: 10.0.20348.2340 (21H2)\r\n"
    );
    assert!(set.inputs[0].warnings[0].contains("UTF-16LE"));
}

#[test]
fn utf16be_with_bom() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "be.txt", b"\xfe\xff\x00v\x00e\x00r\x00\n");
    assert_eq!(only_text(&read(&[&p])), "ver\n");
}

#[test]
fn utf16le_without_bom() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = UTF16LE_BOM.get(2..).unwrap();
    let p = write(dir.path(), "nobom.txt", bytes);
    let set = read(&[&p]);
    assert_eq!(
        only_text(&set),
        "Host OS Version: 10.0.20348.2340 (21H2)\r\n"
    );
    assert!(set.inputs[0].warnings[0].contains("no byte order mark"));
}

#[test]
fn utf8_bom_crlf_and_cr_only() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"\xef\xbb\xbfline one\r\nline two\r\n");
    let b = write(dir.path(), "b.txt", b"old mac\rline\r");
    let set = read(&[&a, &b]);
    assert_eq!(set.inputs[0].text, "line one\r\nline two\r\n");
    assert!(set.inputs[0].warnings.is_empty());
    let parsed = wincompat::pipeline::parse_text(&set.inputs[1].name, &set.inputs[1].text);
    assert!(parsed.warnings.is_empty());
    let doc = wincompat::parse::doc::Doc::new("b", &set.inputs[1].text);
    assert_eq!(doc.lines, ["old mac", "line"]);
}

#[test]
fn invalid_utf8_in_the_middle_is_replaced_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "bad.log", b"first\nmid \xc3\x28 dle\nThe container operating system does not match the host operating system.\n");
    let set = read(&[&p]);
    let text = only_text(&set);
    assert!(text.contains("mid \u{fffd}( dle"));
    assert!(text.contains("does not match the host operating system."));
    let w = &set.inputs[0].warnings;
    assert_eq!(w.len(), 1);
    assert!(
        w[0].contains("bad.log") && w[0].contains("invalid UTF-8 replaced"),
        "{w:?}"
    );
}

#[test]
fn folder_is_read_sorted_and_binaries_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b.log", b"second\n");
    write(dir.path(), "a.log", b"first\n");
    write(dir.path(), "sub/c.txt", b"third\n");
    write(
        dir.path(),
        "shot.png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    write(dir.path(), "blob.bin", b"abc\x00\x01\x02\x00def");
    let set = read(&[dir.path()]);
    let names: Vec<String> = set
        .inputs
        .iter()
        .map(|i| {
            Path::new(&i.name)
                .strip_prefix(dir.path())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["a.log", "b.log", "sub/c.txt"]);
    assert_eq!(set.skipped.len(), 2);
    assert!(set.skipped[0].name.ends_with("blob.bin"));
    assert!(set.skipped[0].message.contains("NUL"));
    assert!(set.skipped[1].name.ends_with("shot.png"));
    assert!(set.skipped[1].message.contains("PNG"));
    assert!(set.errors.is_empty());
}

#[test]
fn gz_file_is_decompressed_under_its_own_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(
        b"time=\"2024-03-01T10:22:33Z\" level=info msg=\"Docker daemon\" version=24.0.7\n",
    )
    .unwrap();
    let p = write(dir.path(), "dockerd.log.gz", &enc.finish().unwrap());
    let set = read(&[&p]);
    assert!(only_text(&set).contains("Docker daemon"));
    assert!(set.inputs[0].name.ends_with("dockerd.log.gz"));
}

#[test]
fn zip_with_a_folder_binary_member_and_nested_gz() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.add_directory("bundle/", opts).unwrap();
    w.start_file("bundle/ver.txt", opts).unwrap();
    w.write_all(b"Microsoft Windows [Version 10.0.14393.2248]\n")
        .unwrap();
    w.start_file("bundle/logs/app.exe", opts).unwrap();
    w.write_all(b"MZ\x90\x00\x03\x00\x00\x00").unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(b"gz inside zip\n").unwrap();
    w.start_file("bundle/logs/old.log.gz", opts).unwrap();
    w.write_all(&enc.finish().unwrap()).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let p = write(dir.path(), "support.zip", &bytes);
    let set = read(&[&p]);
    let zip_name = p.display().to_string();
    let names: Vec<&str> = set.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            format!("{zip_name}!bundle/logs/old.log.gz"),
            format!("{zip_name}!bundle/ver.txt")
        ]
    );
    assert_eq!(set.inputs[0].text, "gz inside zip\n");
    assert_eq!(set.skipped.len(), 1);
    assert_eq!(
        set.skipped[0].name,
        format!("{zip_name}!bundle/logs/app.exe")
    );
}

#[test]
fn nonexistent_path_is_an_error_and_others_are_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "ok.txt", b"fine\n");
    let missing = dir.path().join("missing.log");
    let set = read(&[&missing, &good]);
    assert_eq!(set.errors.len(), 1);
    assert_eq!(set.errors[0].name, missing.display().to_string());
    assert_eq!(only_text(&set), "fine\n");
}

#[cfg(unix)]
#[test]
fn fifo_in_a_folder_is_skipped_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", b"text\n");
    let fifo = dir.path().join("pipe");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable; skipping");
        return;
    }
    let set = read(&[dir.path()]);
    assert_eq!(only_text(&set), "text\n");
    assert_eq!(set.skipped.len(), 1);
    assert!(set.skipped[0].message.contains("FIFO"), "{:?}", set.skipped);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_read_once_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "logs/a.txt", b"once\n");
    std::os::unix::fs::symlink(dir.path().join("logs"), dir.path().join("logs/again")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("logs/dangling"))
        .unwrap();
    let set = read(&[dir.path()]);
    assert_eq!(only_text(&set), "once\n");
    assert!(
        set.skipped
            .iter()
            .any(|s| s.message.contains("already read")),
        "{:?}",
        set.skipped
    );
    assert!(
        set.errors
            .iter()
            .any(|e| e.message.contains("broken symbolic link")),
        "{:?}",
        set.errors
    );
}

#[test]
fn long_line_is_cut_but_failure_inside_kept_part_survives() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"hcs::CreateComputeSystem 1a2b: The container operating system does not match the host operating system. ".to_vec();
    bytes.extend(vec![b'x'; 2 * 1024 * 1024]);
    bytes.extend(b"\nnext line\n");
    let p = write(dir.path(), "huge-line.log", &bytes);
    let set = read(&[&p]);
    let text = only_text(&set);
    assert!(text.len() < bytes.len());
    assert!(text.starts_with("hcs::CreateComputeSystem"));
    assert!(text.ends_with("\nnext line\n"));
    assert!(
        set.inputs[0].warnings[0].contains("line 1"),
        "{:?}",
        set.inputs[0].warnings
    );
}
