//! (L4) `tracemalloc`: where this thread's objects were allocated (CPython's `tracemalloc`
//! module), on top of `pymem-trace`.
//!
//! ```
//! use pymem::{Gc, tracemalloc};
//!
//! tracemalloc::start(1).unwrap();
//! let before = tracemalloc::take_snapshot().unwrap();
//! let leak: Vec<Gc<[u8; 64]>> = (0..100).map(|_| Gc::new([0; 64])).collect();
//! let after = tracemalloc::take_snapshot().unwrap();
//! let top = &after.compare_to(&before, "lineno", false).unwrap()[0];
//! assert_eq!(top.count_diff, 100);
//! println!("{top}"); // src/main.rs:5: size=7.8 KiB (+7.8 KiB), count=100 (+100), average=80 B
//! # drop(leak);
//! tracemalloc::stop();
//! ```
//!
//! What is traced is each object's block (header and value, what `sys::getsizeof` reports),
//! attributed to the caller of `Gc::new`, or with more than one frame to the unwound Rust
//! stack, or to the frames a [`FrameProvider`] reports (a language runtime's own program).
//! Memory a value owns elsewhere (a `Vec`'s buffer) comes from the global allocator and is
//! not traced. Like the heap, tracing is per thread: these functions act on the calling
//! thread's heap, and after its teardown there is nothing left to trace.

use std::rc::Rc;
use std::sync::Arc;

pub use pymem_trace::{
    BlockTrace, DEFAULT_DOMAIN, DomainFilter, Filter, Frame, FrameProvider, KeyType, MAX_NFRAME,
    Snapshot, Statistic, StatisticDiff, TraceFilter, Traceback, TracemallocError, format_size,
};

use crate::alloc::tracer;
use crate::erased::AsObject;

/// `tracemalloc.start(nframe)`: traces this thread's allocations from now on, keeping up to
/// `nframe` frames per traceback (`1..=65535`, else [`TracemallocError::InvalidFrameCount`]).
/// Already tracing: the limit is not changed, as in CPython.
pub fn start(nframe: usize) -> Result<(), TracemallocError> {
    match tracer() {
        Some(t) => t.start(nframe),
        None if (1..=MAX_NFRAME).contains(&nframe) => Ok(()),
        None => Err(TracemallocError::InvalidFrameCount(nframe)),
    }
}

/// `tracemalloc.stop()`: stops tracing and forgets every trace (the limit is kept).
pub fn stop() {
    if let Some(t) = tracer() {
        t.stop();
    }
}

/// `tracemalloc.is_tracing()`.
pub fn is_tracing() -> bool {
    tracer().is_some_and(|t| t.is_tracing())
}

/// `tracemalloc.clear_traces()`: forgets the traces; tracing goes on.
pub fn clear_traces() {
    if let Some(t) = tracer() {
        t.clear_traces();
    }
}

/// `tracemalloc.get_traced_memory()`: `(current, peak)` bytes of traced blocks; `(0, 0)`
/// when not tracing.
pub fn get_traced_memory() -> (usize, usize) {
    tracer().map_or((0, 0), |t| t.traced_memory())
}

/// `tracemalloc.reset_peak()`: the peak becomes the current size.
pub fn reset_peak() {
    if let Some(t) = tracer() {
        t.reset_peak();
    }
}

/// `tracemalloc.get_tracemalloc_memory()`: bytes the tracer's own tables use.
pub fn get_tracemalloc_memory() -> usize {
    tracer().map_or(0, |t| t.tracemalloc_memory())
}

/// `tracemalloc.get_traceback_limit()`.
pub fn get_traceback_limit() -> usize {
    tracer().map_or(1, |t| t.traceback_limit())
}

/// `tracemalloc.get_object_traceback(obj)`: where `obj` was allocated, if it was traced
/// (`None` when not tracing, or allocated before tracing started or traces were cleared).
pub fn get_object_traceback(obj: &dyn AsObject) -> Option<Arc<Traceback>> {
    let obj = obj.obj_ptr();
    let block = obj.addr() - obj.vtable().block_offset;
    tracer()?.traceback_of(DEFAULT_DOMAIN, block)
}

/// `tracemalloc.take_snapshot()`: the traces of every live traced object;
/// [`TracemallocError::NotTracing`] when not tracing, with CPython's message.
pub fn take_snapshot() -> Result<Snapshot, TracemallocError> {
    tracer()
        .ok_or(TracemallocError::NotTracing)?
        .take_snapshot()
}

/// Makes `provider` the source of this thread's allocation frames (a language runtime
/// reporting its script's file and line), or with `None` goes back to Rust's.
pub fn set_frame_provider(provider: Option<Rc<dyn FrameProvider>>) {
    if let Some(t) = tracer() {
        t.set_frame_provider(provider);
    }
}

/// CPython's `PyTraceMalloc_Track`: traces memory a runtime manages itself, in its own
/// `domain` (not [`DEFAULT_DOMAIN`], which is the heap's).
#[track_caller]
pub fn track(domain: u32, address: usize, size: usize) -> Result<(), TracemallocError> {
    tracer()
        .ok_or(TracemallocError::NotTracing)?
        .track(domain, address, size)
}

/// CPython's `PyTraceMalloc_Untrack`.
pub fn untrack(domain: u32, address: usize) -> Result<(), TracemallocError> {
    tracer()
        .ok_or(TracemallocError::NotTracing)?
        .untrack(domain, address)
}
