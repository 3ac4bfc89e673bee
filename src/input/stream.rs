//! Streaming over large inputs in bounded memory: UTF-8 bytes are read in
//! fixed-size reused buffers, searched for hits as they are (the
//! [`Finder`] is the caller's), lines are counted as they pass, and only
//! *windows* of lines around hits are kept and handed to the caller, with
//! the 1-based number of their first line so records cite the original
//! lines.
//!
//! Two threads share the work when [`StreamOptions::search_thread`] is set
//! (one input on its own: a folder already keeps every core busy): this
//! one reads, counts lines and cuts windows, a helper searches the buffer
//! read before. Buffers go to the helper and come back in order, at most
//! [`IN_FLIGHT`] at a time, so memory stays a few buffers and the result
//! is the same as a one-thread scan (issue 14: reading and searching
//! measured about equal shares of a scan on 2 cores).
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as `parse::doc::Doc` splits
//! them, so line numbers agree with the in-memory path. A line longer than
//! the buffer is read in pieces; past [`StreamOptions::max_line_bytes`] only
//! its first `max_line_bytes` are kept, or, when a literal is found in the
//! rest (searched before anything is dropped), its first 4 KiB and the
//! 64 KiB around that literal; the line is reported in
//! [`StreamSummary::long_lines`].
//!
//! This module must not know what the literals mean nor how windows are
//! parsed (that is `parse/`); it never prints.

use std::io::{self, Read};
use std::sync::mpsc::{self, Receiver, SyncSender};

/// Read buffer size, KiB.
const BUF_KIB: usize = 256;
/// Buffers handed to the search thread and not yet back.
pub const IN_FLIGHT: usize = 2;
/// Bytes kept from the start of an over-long line with a literal past the cap.
const EXCERPT_HEAD: usize = 4 * 1024;
const EXCERPT_BEFORE: usize = 4 * 1024;
/// Bytes kept from an over-long line's hit onwards.
const EXCERPT_AFTER: usize = 60 * 1024;

/// How the stream is cut into windows. [`StreamOptions::default`] is what
/// the CLI uses; tests shrink `buffer_size` to split lines and literals
/// across reads.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Read buffer size (at least 2). 64 KiB stays in L2 cache, which
    /// measured faster than 1 MiB reads.
    pub buffer_size: usize,
    /// Lines kept before a hit line (a wrapped message's start, klog's
    /// `failed to` + newline).
    pub before_lines: usize,
    /// Lines kept after the last hit of a window (console-wrapped
    /// continuations, the `extra info` blob, the rows of a table).
    pub after_lines: usize,
    /// Most bytes of before-context.
    pub before_bytes: usize,
    /// Most bytes of after-context after a window's last hit line (a
    /// window ends early at a run of long lines).
    pub after_bytes: usize,
    /// A window is handed over once it holds this many bytes, even while
    /// hits keep it open (a log that repeats the failure every second).
    pub max_window_bytes: usize,
    /// Longer lines keep this many bytes and an excerpt around a hit.
    pub max_line_bytes: usize,
    /// Search on a second thread while this one reads and counts lines.
    pub search_thread: bool,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            buffer_size: BUF_KIB * 1024,
            before_lines: 8,
            after_lines: 40,
            before_bytes: 16 * 1024,
            after_bytes: 16 * 1024,
            max_window_bytes: 4 * 1024 * 1024,
            max_line_bytes: super::MAX_LINE_BYTES,
            search_thread: true,
        }
    }
}

/// Lines of the input around one or more hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// 1-based number of the first line of `text` in the input.
    pub first_line: usize,
    /// Whole lines with their terminators, as bytes (UTF-8 unless the input
    /// had invalid bytes; the caller decodes lossily).
    pub text: Vec<u8>,
}

/// What a stream scan saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Bytes of text scanned.
    pub bytes: u64,
    /// Lines in the input.
    pub lines: usize,
    /// Lines hit by a literal.
    pub hit_lines: usize,
    /// 1-based numbers of lines longer than `max_line_bytes` (first 100).
    pub long_lines: Vec<usize>,
    /// How many such lines in all.
    pub long_line_count: usize,
}

/// What the scan searches with: a function that appends to its `Vec` the
/// offsets of the hits in a byte slice (whole lines, or a piece of an
/// over-long line), in order, and the longest text it matches (bytes kept
/// across the reads of an over-long line so that a hit cut by a read is
/// still found).
#[derive(Clone, Copy)]
pub struct Finder<'f> {
    pub hits: &'f (dyn Fn(&[u8], &mut Vec<usize>) + Sync),
    pub max_len: usize,
}

/// A region of whole lines on its way to the search thread and back.
struct Job {
    buf: Vec<u8>,
    from: usize,
    to: usize,
    hits: Vec<usize>,
}

/// Scan `reader` (UTF-8 text bytes), calling `on_window` for each window in
/// input order.
pub fn scan(
    reader: &mut dyn Read,
    finder: Finder<'_>,
    opts: &StreamOptions,
    on_window: &mut dyn FnMut(Window),
) -> io::Result<StreamSummary> {
    if !opts.search_thread {
        return drive(reader, finder, opts, None, on_window);
    }
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = mpsc::sync_channel::<Job>(IN_FLIGHT);
        let (done_tx, done_rx) = mpsc::sync_channel::<Job>(IN_FLIGHT);
        scope.spawn(move || {
            for mut job in job_rx {
                job.hits.clear();
                (finder.hits)(
                    job.buf.get(job.from..job.to).unwrap_or_default(),
                    &mut job.hits,
                );
                if done_tx.send(job).is_err() {
                    break;
                }
            }
        });
        // Both channel ends move into `drive` and are dropped when it
        // returns, error or not, which ends the helper's loop.
        drive(reader, finder, opts, Some((job_tx, done_rx)), on_window)
    })
}

/// The reading side of [`scan`]: `pipe` is the search thread's channels,
/// or `None` to search here.
fn drive(
    reader: &mut dyn Read,
    finder: Finder<'_>,
    opts: &StreamOptions,
    pipe: Option<(SyncSender<Job>, Receiver<Job>)>,
    on_window: &mut dyn FnMut(Window),
) -> io::Result<StreamSummary> {
    let mut s = Scanner::new(finder, opts);
    let cap = opts.buffer_size.max(2);
    let mut buf = vec![0u8; cap];
    let mut pool: Vec<Job> = Vec::new();
    let mut pending = 0usize;
    let (mut start, mut end) = (0usize, 0usize);
    let mut eof = false;
    // Hand the region `buf[from..to]` over: searched here, or sent to the
    // search thread with the buffer (the bytes after `to` are copied to a
    // recycled buffer that reading goes on in).
    let submit = |buf: &mut Vec<u8>,
                  from: usize,
                  to: usize,
                  end: usize,
                  s: &mut Scanner<'_>,
                  pool: &mut Vec<Job>,
                  pending: &mut usize,
                  on_window: &mut dyn FnMut(Window)|
     -> bool {
        let Some((tx, rx)) = pipe.as_ref() else {
            let mut hits = std::mem::take(&mut s.hits);
            hits.clear();
            (finder.hits)(buf.get(from..to).unwrap_or_default(), &mut hits);
            s.region(buf.get(from..to).unwrap_or_default(), &hits, on_window);
            s.hits = hits;
            return false;
        };
        let mut next = pool.pop().unwrap_or_else(|| Job {
            buf: vec![0u8; cap],
            from: 0,
            to: 0,
            hits: Vec::new(),
        });
        let carry = buf.get(to..end).unwrap_or_default();
        next.buf.resize(cap.max(carry.len()), 0);
        if let Some(dst) = next.buf.get_mut(..carry.len()) {
            dst.copy_from_slice(carry);
        }
        std::mem::swap(buf, &mut next.buf);
        next.from = from;
        next.to = to;
        // The search thread ends only when these channels are dropped, so
        // a send or receive fails only if it panicked; then search here.
        match tx.send(next) {
            Ok(()) => *pending += 1,
            Err(mpsc::SendError(mut job)) => {
                job.hits.clear();
                (finder.hits)(
                    job.buf.get(job.from..job.to).unwrap_or_default(),
                    &mut job.hits,
                );
                s.region(
                    job.buf.get(job.from..job.to).unwrap_or_default(),
                    &job.hits,
                    on_window,
                );
                pool.push(job);
            }
        }
        while *pending >= IN_FLIGHT {
            take_done(rx, s, pool, pending, on_window);
        }
        // The carry now starts the reading buffer.
        true
    };
    let drain = |s: &mut Scanner<'_>,
                 pool: &mut Vec<Job>,
                 pending: &mut usize,
                 on_window: &mut dyn FnMut(Window)| {
        if let Some((_, rx)) = pipe.as_ref() {
            while *pending > 0 {
                take_done(rx, s, pool, pending, on_window);
            }
        }
    };
    while !eof || start < end {
        if !eof {
            if start > 0 {
                buf.copy_within(start..end, 0);
                end -= start;
                start = 0;
            }
            // Fill the buffer: decoders and pipes return short reads, and
            // each region has a fixed cost.
            while end < cap {
                let n = match reader.read(buf.get_mut(end..).unwrap_or_default()) {
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                if n == 0 {
                    eof = true;
                    break;
                }
                end += n;
                s.summary.bytes += n as u64;
            }
        }
        let data = buf.get(start..end).unwrap_or_default();
        if s.long.is_some() {
            match first_terminator(data, eof) {
                Some((t, len)) => {
                    s.long_feed(data.get(..t).unwrap_or_default());
                    let term = data.get(t..t + len).unwrap_or_default();
                    s.long_finish(term, on_window);
                    start += t + len;
                }
                None => {
                    let take = feed_len(data, eof);
                    s.long_feed(data.get(..take).unwrap_or_default());
                    start += take;
                    if eof {
                        s.long_finish(b"", on_window);
                        start = end;
                    }
                }
            }
            continue;
        }
        match last_region_end(data, eof) {
            Some(r) if r > 0 => {
                let swapped = submit(
                    &mut buf,
                    start,
                    start + r,
                    end,
                    &mut s,
                    &mut pool,
                    &mut pending,
                    on_window,
                );
                if swapped {
                    // The carry now starts the reading buffer.
                    end -= start + r;
                    start = 0;
                } else {
                    start += r;
                }
            }
            _ if eof => {
                submit(
                    &mut buf,
                    start,
                    end,
                    end,
                    &mut s,
                    &mut pool,
                    &mut pending,
                    on_window,
                );
                start = end;
            }
            _ if end - start >= cap => {
                // No line end in a full buffer: a line longer than the
                // buffer, read on in pieces (after every region before it).
                drain(&mut s, &mut pool, &mut pending, on_window);
                s.long = Some(LongLine::default());
                let take = feed_len(data, false);
                s.long_feed(data.get(..take).unwrap_or_default());
                start += take;
            }
            _ => {}
        }
    }
    drain(&mut s, &mut pool, &mut pending, on_window);
    // An over-long last line without a terminator that ended exactly where
    // a read did: end of input is known only after it was fed.
    if s.long.is_some() {
        s.long_finish(b"", on_window);
    }
    s.finish(on_window);
    Ok(s.summary)
}

/// A mapped input is searched this many read buffers at a time (4 MiB by
/// default): long enough that handing half of it to the search thread
/// costs nothing next to the search.
const BLOCK_BUFFERS: usize = 16;

/// Part of a block of a mapped input for the search thread, and back:
/// the regions ending at `ends` (offsets in the input) from `from` on,
/// the hits found in them (offsets from `from`), and each region's line
/// terminators (counting is a pass over the bytes too, so each thread
/// counts what it searches).
#[derive(Default)]
struct SliceJob {
    from: usize,
    ends: Vec<usize>,
    hits: Vec<usize>,
    terms: Vec<usize>,
}

impl SliceJob {
    fn run(&mut self, data: &[u8], finder: Finder<'_>) {
        let to = self.ends.last().copied().unwrap_or(self.from);
        self.hits.clear();
        (finder.hits)(data.get(self.from..to).unwrap_or_default(), &mut self.hits);
        self.terms.clear();
        let mut at = self.from;
        for &end in &self.ends {
            self.terms
                .push(count_terminators(data.get(at..end).unwrap_or_default()));
            at = end;
        }
    }
}

/// [`scan`] over bytes already in memory (a mapped file), without copying
/// them into buffers first (issue 14: the copy was a third of a scan's
/// time): the same windows and summary as `scan` over a reader of the
/// same bytes, because the scanner is handed the very regions `scan`
/// would cut (each a read buffer's worth of whole lines, over-long lines
/// in pieces). Only the search is done ahead: a block of regions at a
/// time, with [`StreamOptions::search_thread`] half of it on a helper
/// thread, so both cores search one input. `consumed(n)` says no byte
/// before offset `n` is read again (windows and context are copies): the
/// caller may let them go.
pub fn scan_slice(
    data: &[u8],
    finder: Finder<'_>,
    opts: &StreamOptions,
    consumed: &mut dyn FnMut(usize),
    on_window: &mut dyn FnMut(Window),
) -> StreamSummary {
    if !opts.search_thread || data.len() <= opts.buffer_size {
        return drive_slice(data, finder, opts, None, consumed, on_window);
    }
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = mpsc::sync_channel::<SliceJob>(1);
        let (done_tx, done_rx) = mpsc::sync_channel::<SliceJob>(1);
        scope.spawn(move || {
            for mut job in job_rx {
                job.run(data, finder);
                if done_tx.send(job).is_err() {
                    break;
                }
            }
        });
        // The channels move into `drive_slice` and are dropped when it
        // returns, which ends the helper's loop.
        drive_slice(
            data,
            finder,
            opts,
            Some((job_tx, done_rx)),
            consumed,
            on_window,
        )
    })
}

/// The scanning side of [`scan_slice`]: `pipe` is the search thread's
/// channels, or `None` to search here.
fn drive_slice(
    data: &[u8],
    finder: Finder<'_>,
    opts: &StreamOptions,
    pipe: Option<(SyncSender<SliceJob>, Receiver<SliceJob>)>,
    consumed: &mut dyn FnMut(usize),
    on_window: &mut dyn FnMut(Window),
) -> StreamSummary {
    let mut s = Scanner::new(finder, opts);
    s.summary.bytes = data.len() as u64;
    let piece = opts.buffer_size.max(2);
    let block = piece.saturating_mul(BLOCK_BUFFERS);
    let (mut mine, mut theirs) = (SliceJob::default(), SliceJob::default());
    let mut pos = 0usize;
    while pos < data.len() {
        // The regions `scan` would cut from `pos` on: the whole lines in a
        // buffer's worth of bytes, up to a block of them. `scan` knows the
        // end of input only once a read comes back short.
        mine.from = pos;
        mine.ends.clear();
        let mut p = pos;
        while p < data.len() && p - pos < block {
            let end = p.saturating_add(piece).min(data.len());
            let eof = p.saturating_add(piece) > data.len();
            match last_region_end(data.get(p..end).unwrap_or_default(), eof) {
                Some(r) if r > 0 => p += r,
                _ if eof => p = data.len(),
                // No line end in a whole buffer: an over-long line.
                _ => break,
            }
            mine.ends.push(p);
        }
        if mine.ends.is_empty() {
            pos = slice_long_line(&mut s, data, pos, piece, consumed, on_window);
        } else {
            search_block(
                &mut s,
                data,
                &mut mine,
                &mut theirs,
                pipe.as_ref(),
                on_window,
            );
            pos = p;
        }
        consumed(pos);
    }
    s.finish(on_window);
    s.summary
}

/// Search the regions of `mine` and hand them to the scanner in order:
/// the later half of them searched on the search thread meanwhile, when
/// there is one and there are several regions.
fn search_block(
    s: &mut Scanner<'_>,
    data: &[u8],
    mine: &mut SliceJob,
    theirs: &mut SliceJob,
    pipe: Option<&(SyncSender<SliceJob>, Receiver<SliceJob>)>,
    on_window: &mut dyn FnMut(Window),
) {
    // The later regions (their start and ends), searched on the search
    // thread when it takes them.
    let mut later: Option<(usize, Vec<usize>)> = None;
    let mut sent = false;
    if let Some((tx, _)) = pipe.filter(|_| mine.ends.len() > 1) {
        // Split the regions where about half the bytes lie on each side.
        let to = mine.ends.last().copied().unwrap_or(mine.from);
        let middle = mine.from + (to - mine.from) / 2;
        let split = mine
            .ends
            .iter()
            .position(|&e| e >= middle)
            .map_or(1, |i| i + 1)
            .clamp(1, mine.ends.len() - 1);
        let from = mine.ends.get(split - 1).copied().unwrap_or(mine.from);
        let ends = mine.ends.split_off(split);
        let mut job = std::mem::take(theirs);
        job.from = from;
        job.ends.clear();
        job.ends.extend_from_slice(&ends);
        sent = tx.send(job).is_ok();
        later = Some((from, ends));
    }
    mine.run(data, s.finder);
    feed_regions(s, data, mine, on_window);
    let Some((from, ends)) = later else {
        return;
    };
    // The helper ends only when the channels are dropped, so a send or a
    // receive fails only if it panicked: then the later regions are
    // searched here (and the scope raises its panic at the end).
    match pipe.filter(|_| sent).and_then(|(_, rx)| rx.recv().ok()) {
        Some(job) => *theirs = job,
        None => {
            theirs.from = from;
            theirs.ends = ends;
            theirs.run(data, s.finder);
        }
    }
    feed_regions(s, data, theirs, on_window);
}

/// Hand the searched regions of `job` to the scanner, each with its hits
/// (offsets from the region's start).
fn feed_regions(
    s: &mut Scanner<'_>,
    data: &[u8],
    job: &SliceJob,
    on_window: &mut dyn FnMut(Window),
) {
    let mut hits = std::mem::take(&mut s.hits);
    let mut next = 0usize;
    let mut at = job.from;
    for (&end, &terms) in job.ends.iter().zip(&job.terms) {
        hits.clear();
        while let Some(&h) = job.hits.get(next) {
            if job.from + h >= end {
                break;
            }
            hits.push(job.from + h - at);
            next += 1;
        }
        s.counted_region(
            data.get(at..end).unwrap_or_default(),
            &hits,
            terms,
            on_window,
        );
        at = end;
    }
    s.hits = hits;
}

/// Feed the over-long line starting at `pos` to the scanner in `piece`
/// byte pieces, as [`drive`] does; the offset past its terminator.
fn slice_long_line(
    s: &mut Scanner<'_>,
    data: &[u8],
    pos: usize,
    piece: usize,
    consumed: &mut dyn FnMut(usize),
    on_window: &mut dyn FnMut(Window),
) -> usize {
    s.long = Some(LongLine::default());
    let mut at = pos;
    loop {
        let end = at.saturating_add(piece).min(data.len());
        let eof = at.saturating_add(piece) > data.len();
        let chunk = data.get(at..end).unwrap_or_default();
        if let Some((t, len)) = first_terminator(chunk, eof) {
            s.long_feed(chunk.get(..t).unwrap_or_default());
            s.long_finish(chunk.get(t..t + len).unwrap_or_default(), on_window);
            return at + t + len;
        }
        let take = feed_len(chunk, eof);
        s.long_feed(chunk.get(..take).unwrap_or_default());
        at += take;
        consumed(at);
        if at >= data.len() {
            s.long_finish(b"", on_window);
            return data.len();
        }
    }
}

/// Receive the next searched region from the search thread and process it.
fn take_done(
    rx: &Receiver<Job>,
    s: &mut Scanner<'_>,
    pool: &mut Vec<Job>,
    pending: &mut usize,
    on_window: &mut dyn FnMut(Window),
) {
    *pending = pending.saturating_sub(1);
    if let Ok(job) = rx.recv() {
        s.region(
            job.buf.get(job.from..job.to).unwrap_or_default(),
            &job.hits,
            on_window,
        );
        pool.push(job);
    }
}

/// How much of a piece of an over-long line to feed now: all of it but a
/// trailing `\r` before the end of input (the next piece says whether a
/// `\n` follows it).
fn feed_len(piece: &[u8], eof: bool) -> usize {
    if !eof && piece.last() == Some(&b'\r') {
        piece.len() - 1
    } else {
        piece.len()
    }
}

/// The first line terminator `(offset, length)` in `data`; a `\r` at the
/// very end counts only at end of input (a `\n` may follow).
fn first_terminator(data: &[u8], eof: bool) -> Option<(usize, usize)> {
    let t = memchr::memchr2(b'\n', b'\r', data)?;
    if data.get(t) == Some(&b'\r') {
        match data.get(t + 1) {
            Some(b'\n') => return Some((t, 2)),
            None if !eof => return None,
            _ => {}
        }
    }
    Some((t, 1))
}

/// The end of the last complete line in `data` (just past its
/// terminator); a trailing `\r` is complete only at end of input.
fn last_region_end(data: &[u8], eof: bool) -> Option<usize> {
    let mut hay = data;
    loop {
        let t = memchr::memrchr2(b'\n', b'\r', hay)?;
        if hay.get(t) == Some(&b'\r') && t + 1 == data.len() && !eof {
            hay = hay.get(..t).unwrap_or_default();
            continue;
        }
        return Some(t + 1);
    }
}

/// Count line terminators in `bytes` (complete lines: a `\r\n` pair is one).
fn count_terminators(bytes: &[u8]) -> usize {
    let nl = bytecount::count(bytes, b'\n');
    if memchr::memchr(b'\r', bytes).is_none() {
        return nl;
    }
    let cr = bytecount::count(bytes, b'\r');
    let crlf = memchr::memmem::find_iter(bytes, b"\r\n").count();
    nl + cr - crlf
}

/// The end (past its terminator) of the line starting at or containing
/// `from`; `data.len()` when the last line has none.
fn line_end(data: &[u8], from: usize) -> usize {
    let rest = data.get(from..).unwrap_or_default();
    match first_terminator(rest, true) {
        Some((t, len)) => from + t + len,
        None => data.len(),
    }
}

/// The start of the line before the one starting at `pos` (`pos` > 0 is a
/// line start); a `\r\n` pair is one terminator.
fn prev_line_start(data: &[u8], pos: usize) -> usize {
    let crlf = pos >= 2 && data.get(pos - 1) == Some(&b'\n') && data.get(pos - 2) == Some(&b'\r');
    let term = if crlf { pos - 2 } else { pos.saturating_sub(1) };
    line_start(data, term)
}

/// The start of the line containing offset `at`.
fn line_start(data: &[u8], at: usize) -> usize {
    let head = data.get(..at).unwrap_or_default();
    match memchr::memrchr2(b'\n', b'\r', head) {
        Some(t) => t + 1,
        None => 0,
    }
}

/// The window being filled.
struct Open {
    first_line: usize,
    text: Vec<u8>,
    /// Last line the window wants (hit line + after-context).
    until: usize,
    /// Bytes of after-context still allowed.
    after_left: usize,
}

/// An over-long line being read in pieces.
#[derive(Default)]
struct LongLine {
    kept: Vec<u8>,
    len: u64,
    /// Last bytes past the kept part, for an excerpt's before-context and
    /// for literals cut by a read.
    recent: Vec<u8>,
    excerpt: Vec<u8>,
    /// An excerpt was started and is still collecting.
    collecting: bool,
}

struct Scanner<'a> {
    finder: Finder<'a>,
    opts: &'a StreamOptions,
    /// Hits found in the current piece (reused).
    hits: Vec<usize>,
    /// Number of the next line to be processed.
    line: usize,
    /// Last complete lines seen (before-context across reads) and the
    /// number of the first of them.
    tail: Vec<u8>,
    tail_first: usize,
    /// Last line handed over in a window (before-context never repeats it).
    emitted_through: usize,
    open: Option<Open>,
    long: Option<LongLine>,
    summary: StreamSummary,
}

impl<'a> Scanner<'a> {
    fn new(finder: Finder<'a>, opts: &'a StreamOptions) -> Self {
        Scanner {
            finder,
            opts,
            hits: Vec::new(),
            line: 1,
            tail: Vec::new(),
            tail_first: 1,
            emitted_through: 0,
            open: None,
            long: None,
            summary: StreamSummary::default(),
        }
    }

    /// Process `r`, whole lines (the last may lack a terminator only at end
    /// of input) with the offsets of its hits, in order; `self.line` is the
    /// number of its first line.
    fn region(&mut self, r: &[u8], hits: &[usize], on_window: &mut dyn FnMut(Window)) {
        self.counted_region(r, hits, count_terminators(r), on_window);
    }

    /// [`Self::region`] with the line terminators of `r` already counted
    /// (`terms`, by the search thread).
    fn counted_region(
        &mut self,
        r: &[u8],
        hits: &[usize],
        terms: usize,
        on_window: &mut dyn FnMut(Window),
    ) {
        if r.is_empty() {
            return;
        }
        let mut pos = 0usize;
        let mut cur = self.line;
        let mut next_hit = 0usize;
        while pos < r.len() {
            // The first hit at or after `pos` (hits on a line already taken
            // are passed over).
            while hits.get(next_hit).is_some_and(|&h| h < pos) {
                next_hit += 1;
            }
            let Some(&h) = hits.get(next_hit) else {
                break;
            };
            if h >= r.len() {
                break;
            }
            let hs = line_start(r, h).max(pos);
            let hit_line = cur + count_terminators(r.get(pos..hs).unwrap_or_default());
            let he = line_end(r, h);
            self.summary.hit_lines += 1;
            if let Some(open) = self.open.as_mut() {
                if hit_line <= open.until + 1 {
                    open.text
                        .extend_from_slice(r.get(pos..he).unwrap_or_default());
                    open.until = hit_line + self.opts.after_lines;
                    open.after_left = self.opts.after_bytes;
                    pos = he;
                    cur = hit_line + 1;
                    if open.text.len() >= self.opts.max_window_bytes {
                        self.emit(cur - 1, on_window);
                    }
                    continue;
                }
                // The hit is past the window's after-context: complete it.
                let want = open.until + 1 - cur;
                let (end, got) = advance_lines(r, pos, want, open.after_left);
                open.text
                    .extend_from_slice(r.get(pos..end).unwrap_or_default());
                self.emit(cur + got - 1, on_window);
            }
            // Open a window: before-context from this region, then the tail.
            let floor_line = self.emitted_through + 1;
            let mut first = hit_line;
            let mut bs = hs;
            let mut bytes = 0usize;
            while first > floor_line && hit_line - first < self.opts.before_lines && bs > 0 {
                let prev_start = prev_line_start(r, bs);
                if bytes + (bs - prev_start) > self.opts.before_bytes {
                    break;
                }
                bytes += bs - prev_start;
                bs = prev_start;
                first -= 1;
            }
            let mut text = Vec::new();
            if bs == 0 && first > floor_line && hit_line - first < self.opts.before_lines {
                // Reach into lines kept from earlier reads.
                let want = (hit_line - first).abs_diff(self.opts.before_lines);
                let (from_tail, n) = tail_lines(
                    &self.tail,
                    self.tail_first,
                    first,
                    want.min(first - floor_line),
                    self.opts.before_bytes.saturating_sub(bytes),
                );
                text.extend_from_slice(from_tail);
                first -= n;
            }
            text.extend_from_slice(r.get(bs..he).unwrap_or_default());
            self.open = Some(Open {
                first_line: first,
                text,
                until: hit_line + self.opts.after_lines,
                after_left: self.opts.after_bytes,
            });
            pos = he;
            cur = hit_line + 1;
            if self
                .open
                .as_ref()
                .is_some_and(|o| o.text.len() >= self.opts.max_window_bytes)
            {
                self.emit(hit_line, on_window);
            }
        }
        // No more hits: after-context of an open window.
        if let Some(open) = self.open.as_mut() {
            if pos < r.len() {
                let want = (open.until + 1).saturating_sub(cur);
                let (end, got) = advance_lines(r, pos, want, open.after_left);
                open.text
                    .extend_from_slice(r.get(pos..end).unwrap_or_default());
                open.after_left = open.after_left.saturating_sub(end - pos);
                cur += got;
                // Out of byte budget before the wanted lines: done too.
                let done = cur > open.until || (got < want && end < r.len());
                if done || open.text.len() >= self.opts.max_window_bytes {
                    self.emit(cur - 1, on_window);
                }
            }
        }
        let region_last_ends = matches!(r.last(), Some(b'\n' | b'\r'));
        self.line += terms;
        self.summary.lines = self.line - 1 + usize::from(!region_last_ends);
        self.keep_tail(r);
    }

    /// Keep the last `before_lines` complete lines (within `before_bytes`)
    /// of everything processed so far; `self.line` is already past `r`.
    /// Walks back from the end of `r` only: linear in what is kept.
    fn keep_tail(&mut self, r: &[u8]) {
        let want = self.opts.before_lines;
        let mut start = r.len();
        let mut n = 0usize;
        while n < want && start > 0 {
            let p = prev_line_start(r, start);
            if r.len() - p > self.opts.before_bytes {
                break;
            }
            start = p;
            n += 1;
        }
        if n == want || start > 0 {
            self.tail.clear();
            self.tail
                .extend_from_slice(r.get(start..).unwrap_or_default());
        } else {
            // `r` is fewer lines than wanted: keep earlier ones too.
            self.tail.extend_from_slice(r);
            let mut lines = count_terminators(&self.tail);
            let mut from = 0usize;
            while (lines > want || self.tail.len() - from > self.opts.before_bytes)
                && from < self.tail.len()
            {
                from = line_end(&self.tail, from);
                lines = lines.saturating_sub(1);
            }
            self.tail.drain(..from);
            n = lines;
        }
        self.tail_first = self.line - n.min(self.line - 1);
    }

    /// Hand the open window over; `last` is its last line.
    fn emit(&mut self, last: usize, on_window: &mut dyn FnMut(Window)) {
        if let Some(open) = self.open.take() {
            self.emitted_through = last.max(self.emitted_through);
            on_window(Window {
                first_line: open.first_line,
                text: open.text,
            });
        }
    }

    fn long_feed(&mut self, bytes: &[u8]) {
        let Some(long) = self.long.as_mut() else {
            return;
        };
        long.len += bytes.len() as u64;
        let room = self.opts.max_line_bytes.saturating_sub(long.kept.len());
        let (keep, rest) = bytes.split_at(room.min(bytes.len()));
        long.kept.extend_from_slice(keep);
        if rest.is_empty() {
            return;
        }
        if long.collecting {
            let room = EXCERPT_BEFORE + EXCERPT_AFTER
                - long.excerpt.len().min(EXCERPT_BEFORE + EXCERPT_AFTER);
            long.excerpt
                .extend_from_slice(rest.get(..room.min(rest.len())).unwrap_or_default());
            long.collecting = room > rest.len();
            return;
        }
        if !long.excerpt.is_empty() {
            return;
        }
        // Search the dropped part: the recent bytes (a literal cut by the
        // read) and this piece.
        if long.recent.is_empty() {
            let lit = self.finder.max_len;
            let from = long.kept.len().saturating_sub(lit);
            long.recent
                .extend_from_slice(long.kept.get(from..).unwrap_or_default());
        }
        long.recent.extend_from_slice(rest);
        self.hits.clear();
        (self.finder.hits)(&long.recent, &mut self.hits);
        if let Some(&m) = self.hits.first() {
            let from = m.saturating_sub(EXCERPT_BEFORE);
            let to = (m + EXCERPT_AFTER).min(long.recent.len());
            long.excerpt = long.recent.get(from..to).unwrap_or_default().to_vec();
            long.collecting = to == long.recent.len();
        }
        let keep = EXCERPT_BEFORE.max(self.finder.max_len);
        let drop = long.recent.len().saturating_sub(keep);
        long.recent.drain(..drop);
    }

    fn long_finish(&mut self, term: &[u8], on_window: &mut dyn FnMut(Window)) {
        let Some(long) = self.long.take() else {
            return;
        };
        let mut line = long.kept;
        if long.len > self.opts.max_line_bytes as u64 {
            self.summary.long_line_count += 1;
            if self.summary.long_lines.len() < 100 {
                self.summary.long_lines.push(self.line);
            }
            if !long.excerpt.is_empty() {
                // A literal past the cap: keep the line's start (timestamp,
                // level) and the text around the literal, so that the
                // parsers, which read a bounded prefix of each line, see it.
                line.truncate(EXCERPT_HEAD);
            }
            trim_partial_char(&mut line);
            if !long.excerpt.is_empty() {
                line.push(b' ');
                let mut ex = long.excerpt;
                trim_partial_char(&mut ex);
                let skip = ex.iter().take(3).take_while(|&&b| b & 0xC0 == 0x80).count();
                line.extend_from_slice(ex.get(skip..).unwrap_or_default());
            }
        }
        line.extend_from_slice(term);
        let mut hits = std::mem::take(&mut self.hits);
        hits.clear();
        (self.finder.hits)(&line, &mut hits);
        self.region(&line, &hits, on_window);
        self.hits = hits;
    }

    fn finish(&mut self, on_window: &mut dyn FnMut(Window)) {
        let last = self.line.saturating_sub(1).max(self.summary.lines);
        self.emit(last, on_window);
    }
}

/// Cut an incomplete UTF-8 sequence off the end of `bytes`.
fn trim_partial_char(bytes: &mut Vec<u8>) {
    let n = bytes.len();
    for back in 1..=3.min(n) {
        let b = bytes.get(n - back).copied().unwrap_or(0);
        if b & 0xC0 == 0x80 {
            continue;
        }
        let need = if b >= 0xF0 {
            4
        } else if b >= 0xE0 {
            3
        } else if b >= 0xC0 {
            2
        } else {
            1
        };
        if need > back {
            bytes.truncate(n - back);
        }
        return;
    }
}

/// Advance over up to `want` lines from `pos`; the new offset and how many
/// whole lines were passed.
fn advance_lines(r: &[u8], pos: usize, want: usize, max_bytes: usize) -> (usize, usize) {
    let mut p = pos;
    let mut got = 0;
    while got < want && p < r.len() {
        let e = line_end(r, p);
        if e - pos > max_bytes {
            break;
        }
        if e == r.len() && !matches!(r.last(), Some(b'\n' | b'\r')) {
            // A last line without terminator (end of input).
            p = e;
            got += 1;
            break;
        }
        p = e;
        got += 1;
    }
    (p, got)
}

/// The last `want` lines of `tail` ending just before line `before_line`
/// (the tail's lines run `tail_first..`), within `max_bytes`; the bytes and
/// how many lines.
fn tail_lines(
    tail: &[u8],
    tail_first: usize,
    before_line: usize,
    want: usize,
    max_bytes: usize,
) -> (&[u8], usize) {
    // Lines in the tail that precede `before_line`.
    let usable = before_line.saturating_sub(tail_first);
    let total = count_terminators(tail);
    if usable == 0 || total == 0 || usable > total {
        return (&[], 0);
    }
    let n = want.min(usable);
    // Skip the first `total - n` lines.
    let (from, _) = advance_lines(tail, 0, total - n, usize::MAX);
    let mut from = from;
    let mut n = n;
    while tail.len() - from > max_bytes && n > 0 {
        from = line_end(tail, from);
        n -= 1;
    }
    (tail.get(from..).unwrap_or_default(), n)
}
