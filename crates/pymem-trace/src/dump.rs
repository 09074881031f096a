//! `Snapshot::dump` / `Snapshot::load`: a versioned binary file (CPython pickles instead).
//!
//! ```text
//! "PYMEMTM\0"  version: u32   traceback_limit: u64
//! strings:     u32 count, then per string: u32 length, UTF-8 bytes
//! tracebacks:  u32 count, then per traceback: u8 has_total, u64 total_nframe,
//!              u32 frames, then per frame (oldest first): u32 string index, u32 line
//! traces:      u64 count, then per trace: u32 domain, u64 size, u32 traceback index
//! checksum:    u64 FNV-1a of every byte before it
//! ```
//! All integers little-endian. A file that is not a dump, of another version, truncated, or
//! damaged anywhere (the checksum) is refused with [`TracemallocError::BadDump`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::error::TracemallocError;
use crate::frame::{Frame, Traceback};
use crate::snapshot::{BlockTrace, Snapshot};

const MAGIC: &[u8; 8] = b"PYMEMTM\0";
/// The format version this crate writes and reads.
pub const DUMP_VERSION: u32 = 1;

/// FNV-1a, 64 bits: enough to catch damage, not meant against tampering.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Assigns each distinct string and traceback an index, in first-use order.
#[derive(Default)]
struct Tables {
    strings: Vec<Arc<str>>,
    string_index: HashMap<Arc<str>, u32>,
    tracebacks: Vec<Arc<Traceback>>,
    traceback_index: HashMap<*const Traceback, u32>,
}

impl Tables {
    fn string(&mut self, s: &Arc<str>) -> u32 {
        let next = self.strings.len() as u32;
        *self.string_index.entry(s.clone()).or_insert_with(|| {
            self.strings.push(s.clone());
            next
        })
    }

    fn traceback(&mut self, tb: &Arc<Traceback>) -> u32 {
        let next = self.tracebacks.len() as u32;
        let index = *self.traceback_index.entry(Arc::as_ptr(tb)).or_insert(next);
        if index == next {
            self.tracebacks.push(tb.clone());
            for frame in tb.frames() {
                self.string(frame.filename_arc());
            }
        }
        index
    }
}

/// Appends little-endian integers and strings.
struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) -> Result<(), TracemallocError> {
        let n = u32::try_from(n).map_err(|_| bad("a table has more than 2^32 entries"))?;
        self.u32(n);
        Ok(())
    }
}

fn bad(why: &str) -> TracemallocError {
    TracemallocError::BadDump(why.to_string())
}

/// The bytes of a dump of `snapshot`.
pub(crate) fn encode(snapshot: &Snapshot) -> Result<Vec<u8>, TracemallocError> {
    let mut tables = Tables::default();
    let trace_tbs: Vec<u32> = snapshot
        .traces()
        .iter()
        .map(|t| tables.traceback(t.traceback()))
        .collect();
    let mut w = Writer(MAGIC.to_vec());
    w.u32(DUMP_VERSION);
    w.u64(snapshot.traceback_limit() as u64);
    w.len(tables.strings.len())?;
    for s in &tables.strings {
        w.len(s.len())?;
        w.0.extend_from_slice(s.as_bytes());
    }
    w.len(tables.tracebacks.len())?;
    for tb in &tables.tracebacks.clone() {
        w.u8(u8::from(tb.total_nframe().is_some()));
        w.u64(tb.total_nframe().unwrap_or(0) as u64);
        w.len(tb.len())?;
        for frame in tb.frames() {
            let index = tables.string(frame.filename_arc());
            w.u32(index);
            w.u32(frame.lineno());
        }
    }
    w.u64(snapshot.traces().len() as u64);
    for (trace, &tb) in snapshot.traces().iter().zip(&trace_tbs) {
        w.u32(trace.domain());
        w.u64(trace.size() as u64);
        w.u32(tb);
    }
    let sum = checksum(&w.0);
    w.u64(sum);
    Ok(w.0)
}

/// Reads little-endian integers and strings, refusing to read past the end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], TracemallocError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| bad("truncated"))?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }
    fn u8(&mut self) -> Result<u8, TracemallocError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, TracemallocError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64, TracemallocError> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn usize(&mut self) -> Result<usize, TracemallocError> {
        usize::try_from(self.u64()?).map_err(|_| bad("a size does not fit this machine"))
    }
}

/// The snapshot a dump holds.
pub(crate) fn decode(bytes: &[u8]) -> Result<Snapshot, TracemallocError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(bad("not a pymem tracemalloc snapshot (bad magic)"));
    }
    let body_len = bytes.len().checked_sub(8).ok_or_else(|| bad("truncated"))?;
    let (body, sum) = bytes.split_at(body_len);
    let mut r = Reader {
        bytes: body,
        at: MAGIC.len(),
    };
    let version = r.u32()?;
    if version != DUMP_VERSION {
        return Err(TracemallocError::BadDump(format!(
            "format version {version}, this build reads version {DUMP_VERSION}"
        )));
    }
    if checksum(body) != u64::from_le_bytes(sum.try_into().expect("8 bytes")) {
        return Err(bad("checksum mismatch (the file is damaged or truncated)"));
    }
    let limit = r.usize()?;
    let strings = read_strings(&mut r)?;
    let tracebacks = read_tracebacks(&mut r, &strings)?;
    let traces = read_traces(&mut r, &tracebacks)?;
    if r.at != body.len() {
        return Err(bad("trailing bytes after the traces"));
    }
    Ok(Snapshot::new(traces, limit))
}

fn read_strings(r: &mut Reader<'_>) -> Result<Vec<Arc<str>>, TracemallocError> {
    let n = r.u32()?;
    let mut strings = Vec::new();
    for _ in 0..n {
        let len = r.u32()? as usize;
        let s = std::str::from_utf8(r.take(len)?).map_err(|_| bad("a file name is not UTF-8"))?;
        strings.push(Arc::from(s));
    }
    Ok(strings)
}

fn read_tracebacks(
    r: &mut Reader<'_>,
    strings: &[Arc<str>],
) -> Result<Vec<Arc<Traceback>>, TracemallocError> {
    let n = r.u32()?;
    let mut tracebacks = Vec::new();
    for _ in 0..n {
        let has_total = r.u8()? != 0;
        let total = r.usize()?;
        let count = r.u32()?;
        let mut frames = Vec::new();
        for _ in 0..count {
            let name = strings
                .get(r.u32()? as usize)
                .ok_or_else(|| bad("a frame names a string that does not exist"))?;
            frames.push(Frame::new(name.clone(), r.u32()?));
        }
        frames.reverse();
        let tb = Traceback::from_most_recent_first(frames, has_total.then_some(total));
        tracebacks.push(Arc::new(tb));
    }
    Ok(tracebacks)
}

fn read_traces(
    r: &mut Reader<'_>,
    tracebacks: &[Arc<Traceback>],
) -> Result<Vec<BlockTrace>, TracemallocError> {
    let n = r.u64()?;
    let mut traces = Vec::new();
    for _ in 0..n {
        let domain = r.u32()?;
        let size = r.usize()?;
        // No block is larger than `isize::MAX` bytes (`Layout`'s limit).
        if isize::try_from(size).is_err() {
            return Err(bad("a trace's size is larger than any block can be"));
        }
        let tb = tracebacks
            .get(r.u32()? as usize)
            .ok_or_else(|| bad("a trace names a traceback that does not exist"))?;
        traces.push(BlockTrace::new(domain, size, tb.clone()));
    }
    Ok(traces)
}

impl Snapshot {
    /// Writes the snapshot to `path` (CPython's `Snapshot.dump`).
    pub fn dump(&self, path: impl AsRef<Path>) -> Result<(), TracemallocError> {
        std::fs::write(path, encode(self)?)?;
        Ok(())
    }

    /// Reads a snapshot written by [`Snapshot::dump`] (CPython's `Snapshot.load`). A missing
    /// file is an I/O error; anything but an intact dump of this version is `BadDump`.
    pub fn load(path: impl AsRef<Path>) -> Result<Snapshot, TracemallocError> {
        decode(&std::fs::read(path)?)
    }
}
