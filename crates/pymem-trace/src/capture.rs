//! Where an allocation came from, captured cheaply at allocation and turned into
//! [`Traceback`]s only when a snapshot asks:
//! * one frame: the caller's `#[track_caller]` location (a pointer, interned by address);
//! * more frames: the instruction pointers of an unwound stack, interned, symbolized later;
//! * a [`FrameProvider`]: the frames a language runtime reports for its own program.

use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::Location;
use std::sync::Arc;

use crate::frame::{Frame, Traceback};

/// Supplies the frames of an allocation instead of Rust's: a language runtime built on
/// pymem reports its script's file and line, as CPython reports Python frames.
pub trait FrameProvider {
    /// Pushes at most `limit` frames onto `out`, **most recent first**, and returns how
    /// many frames the stack really has (CPython's `total_nframe`). Allocations made here
    /// are not traced.
    fn frames(&self, limit: usize, out: &mut Vec<Frame>) -> usize;
}

/// What an allocation's traceback is built from.
pub(crate) enum Site<'a> {
    /// The Rust caller (one frame).
    Caller(&'static Location<'static>),
    /// An unwound stack (more frames): instruction pointers, most recent first, and the
    /// stack's depth.
    Stack(&'a [usize], usize),
    /// Frames from a [`FrameProvider`], most recent first, and the stack's depth.
    Provided(&'a [Frame], usize),
}

/// Index of an interned traceback.
/// An interned traceback: an index below `u32::MAX` (trace slots store it plus one).
pub(crate) type TracebackId = u32;

/// An interned traceback, resolved to frames on first use.
enum Record {
    Ready(Arc<Traceback>),
    Unresolved { ips: Box<[usize]>, total: usize },
}

/// The tracebacks seen so far, each stored once (CPython interns them too).
#[derive(Default)]
pub(crate) struct Tracebacks {
    records: Vec<Record>,
    by_caller: HashMap<usize, TracebackId>,
    by_stack: HashMap<(Box<[usize]>, usize), TracebackId>,
    by_frames: HashMap<(Vec<Frame>, usize), TracebackId>,
    /// The last caller interned, tried first (allocation sites repeat), by address; 0
    /// (no location's address) before the first.
    last_caller: (usize, TracebackId),
    /// Bytes held by the tables, approximately (`get_tracemalloc_memory`).
    bytes: usize,
}

impl Tracebacks {
    /// The id of `site`'s traceback, interning it on first sight. `limit` is the traceback
    /// limit, which stacks and provided frames have been cut to already.
    #[inline]
    pub(crate) fn intern(&mut self, site: Site<'_>) -> TracebackId {
        match site {
            Site::Caller(location) => self.intern_caller(location),
            Site::Stack(ips, total) => self.intern_stack(ips, total),
            Site::Provided(frames, total) => self.intern_frames(frames, total),
        }
    }

    /// The traceback of `location` if it was the last caller interned (allocates nothing).
    /// Budget: a compare.
    #[inline]
    pub(crate) fn last_caller(&self, location: &'static Location<'static>) -> Option<TracebackId> {
        let key = std::ptr::from_ref(location).addr();
        let (last, id) = self.last_caller;
        (last == key).then_some(id)
    }

    pub(crate) fn intern_caller(&mut self, location: &'static Location<'static>) -> TracebackId {
        if let Some(id) = self.last_caller(location) {
            return id;
        }
        let key = std::ptr::from_ref(location).addr();
        let id = self.caller_slow(key, location);
        self.last_caller = (key, id);
        id
    }

    #[cold]
    fn caller_slow(&mut self, key: usize, location: &'static Location<'static>) -> TracebackId {
        if let Some(&id) = self.by_caller.get(&key) {
            return id;
        }
        let frame = Frame::new(tidy_path(location.file()), location.line());
        let id = self.push(Record::Ready(Arc::new(Traceback::from_most_recent_first(
            vec![frame],
            Some(1),
        ))));
        self.by_caller.insert(key, id);
        self.bytes += 64;
        id
    }

    fn intern_stack(&mut self, ips: &[usize], total: usize) -> TracebackId {
        if let Some(&id) = self.by_stack.get(&(Box::from(ips), total)) {
            return id;
        }
        let ips: Box<[usize]> = ips.into();
        self.bytes += 64 + 16 * ips.len();
        let id = self.push(Record::Unresolved {
            ips: ips.clone(),
            total,
        });
        self.by_stack.insert((ips, total), id);
        id
    }

    fn intern_frames(&mut self, frames: &[Frame], total: usize) -> TracebackId {
        let key = (frames.to_vec(), total);
        if let Some(&id) = self.by_frames.get(&key) {
            return id;
        }
        self.bytes += 64 + 48 * frames.len();
        let tb = Traceback::from_most_recent_first(frames.to_vec(), Some(total));
        let id = self.push(Record::Ready(Arc::new(tb)));
        self.by_frames.insert(key, id);
        id
    }

    fn push(&mut self, record: Record) -> TracebackId {
        let id = TracebackId::try_from(self.records.len())
            .ok()
            .filter(|&id| id < TracebackId::MAX)
            .expect("fewer than 2^32 - 1 tracebacks");
        self.records.push(record);
        id
    }

    /// The traceback `id` names, symbolizing it now if it is a stack (`limit` frames kept).
    pub(crate) fn resolve(&mut self, id: TracebackId, limit: usize) -> Arc<Traceback> {
        let record = &mut self.records[id as usize];
        if let Record::Unresolved { ips, total } = record {
            let tb = Arc::new(symbolize(ips, *total, limit));
            *record = Record::Ready(tb);
        }
        match record {
            Record::Ready(tb) => tb.clone(),
            Record::Unresolved { .. } => unreachable!("resolved above"),
        }
    }

    /// Approximate bytes of the interning tables.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes + self.records.capacity() * size_of::<Record>()
    }
}

/// Most instruction pointers recorded per allocation beyond the traceback limit, for the
/// frames of the allocator itself that symbolizing skips.
const SKIPPED_MAX: usize = 48;

/// Unwinds the current stack: up to `limit + SKIPPED_MAX` instruction pointers into `ips`,
/// most recent first; returns the stack's depth.
pub(crate) fn unwind(limit: usize, ips: &mut Vec<usize>) -> usize {
    ips.clear();
    let keep = limit + SKIPPED_MAX;
    let mut depth = 0;
    backtrace::trace(|frame| {
        if ips.len() < keep {
            ips.push(frame.ip().addr());
        }
        depth += 1;
        true
    });
    depth
}

/// Frames for instruction pointers, most recent first: inlined calls expand to several
/// frames, and the frames of the tracer, the allocator and pymem itself at the top are
/// left out, so the traceback starts where the program asked for memory.
fn symbolize(ips: &[usize], total: usize, limit: usize) -> Traceback {
    let mut frames = Vec::new();
    let mut skipped = 0;
    for &ip in ips {
        let mut own = Vec::new();
        backtrace::resolve(ip as *mut std::ffi::c_void, |symbol| {
            // `{:#}`: without the hashes and crate disambiguators (v0 mangling prints
            // `pymem[1a2b]::alloc` otherwise), so the prefixes below match either mangling.
            let name = symbol.name().map(|n| format!("{n:#}")).unwrap_or_default();
            let file = symbol.filename().map(|f| f.display().to_string());
            let frame = Frame::new(
                file.as_deref().map_or("<unknown>".into(), tidy_path),
                symbol.lineno().unwrap_or(0),
            );
            own.push((is_internal(&name), frame));
        });
        if frames.is_empty() && own.iter().all(|(internal, _)| *internal) {
            skipped += 1;
            continue;
        }
        // Inlined calls come innermost first; the top of the stack may still be ours.
        let start = if frames.is_empty() {
            own.iter().take_while(|(i, _)| *i).count()
        } else {
            0
        };
        frames.extend(own.into_iter().skip(start).map(|(_, frame)| frame));
    }
    let total = total.saturating_sub(skipped).max(frames.len());
    frames.truncate(limit);
    if frames.is_empty() {
        frames.push(Frame::unknown());
    }
    Traceback::from_most_recent_first(frames, Some(total))
}

/// A source path without `.` and `dir/..` parts, as people write it: cargo hands rustc
/// `crates/pymem/../../examples/tour.rs` for an example declared with a `..` path, and
/// grouping or filtering by file name should see `examples/tour.rs`. Lexical only (a `..`
/// after a symbolic link would resolve elsewhere on disk; the name is for reading).
pub(crate) fn tidy_path(path: &str) -> Cow<'_, str> {
    let untidy = path.split('/').any(|part| part == "." || part == "..");
    if !untidy {
        return Cow::Borrowed(path);
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            ".." if parts.last().is_some_and(|p| !p.is_empty() && *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    Cow::Owned(parts.join("/"))
}

/// Whether a symbol belongs to the machinery between the program and the trace.
fn is_internal(name: &str) -> bool {
    const PREFIXES: [&str; 8] = [
        "backtrace::",
        "pymem_trace::",
        "pymem_alloc::",
        "pymem::",
        "<pymem",
        "core::",
        "alloc::",
        "std::",
    ];
    name.is_empty() || PREFIXES.iter().any(|p| name.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::{is_internal, tidy_path};

    #[test]
    fn paths_lose_their_dot_and_dot_dot_parts() {
        for (path, tidy) in [
            ("crates/pymem/../../examples/tour.rs", "examples/tour.rs"),
            (
                "/work/main/crates/pymem/./src/../tests/all/tracemalloc.rs",
                "/work/main/crates/pymem/tests/all/tracemalloc.rs",
            ),
            ("src/lib.rs", "src/lib.rs"),
            ("../up/a.rs", "../up/a.rs"),
            ("a/../../b.rs", "../b.rs"),
            ("/../a.rs", "/../a.rs"),
            ("<unknown>", "<unknown>"),
        ] {
            assert_eq!(tidy_path(path), tidy, "{path}");
        }
    }

    #[test]
    fn the_allocators_frames_are_internal_in_either_mangling() {
        for name in [
            "pymem::alloc::allocate",
            "<pymem::object::Gc<u8>>::new",
            "pymem_trace::tracer::Tracer::record_now",
            "backtrace::backtrace::trace",
            "",
        ] {
            assert!(is_internal(name), "{name}");
        }
        assert!(!is_internal("all::support::node"));
        assert!(!is_internal("<my_runtime::Vm>::push"));
    }
}
