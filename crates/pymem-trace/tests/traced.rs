//! `Traced` over a real allocator: what is traced, where it is attributed, and what tracing
//! refuses.

use std::alloc::Layout;
use std::cell::Cell;
use std::ptr::NonNull;
use std::rc::Rc;

use pymem_alloc::{PyMalloc, RawAlloc};
use pymem_trace::{Frame, FrameProvider, Traced, TracemallocError};

fn layout(n: usize) -> Layout {
    Layout::from_size_align(n, 8).unwrap()
}

fn free(a: &Traced<PyMalloc>, blocks: Vec<(NonNull<u8>, Layout)>) {
    for (p, l) in blocks {
        // SAFETY: live blocks of `a` with their layouts.
        unsafe { a.dealloc(p, l) };
    }
}

#[test]
fn s44_traced_bytes_are_the_sum_of_live_sizes_and_peak_is_kept() {
    let a = Traced::new(PyMalloc::new());
    let before = a.alloc(layout(100)).unwrap(); // not traced: tracing is off
    a.tracer().start(1).unwrap();
    let sizes = [24, 100, 513, 4096, 7];
    let blocks: Vec<_> = sizes
        .iter()
        .map(|&n| (a.alloc(layout(n)).unwrap(), layout(n)))
        .collect();
    let total: usize = sizes.iter().sum();
    assert_eq!(a.tracer().traced_memory(), (total, total));
    let (first, rest) = blocks.split_first().unwrap();
    free(&a, vec![*first]);
    assert_eq!(a.tracer().traced_memory(), (total - 24, total));
    a.tracer().reset_peak();
    assert_eq!(a.tracer().traced_memory(), (total - 24, total - 24));
    // Freeing a block allocated before tracing changes nothing.
    free(&a, vec![(before, layout(100))]);
    assert_eq!(a.tracer().traced_memory().0, total - 24);
    // realloc traces the new block with the new size.
    let (p, l) = rest[0];
    // SAFETY: a live block of `a` with layout `l`.
    let q = unsafe { a.realloc(p, l, 300) }.unwrap();
    assert_eq!(a.tracer().traced_memory().0, total - 24 - 100 + 300);
    free(&a, vec![(q, layout(300))]);
    free(&a, rest[1..].to_vec());
    assert_eq!(a.tracer().traced_memory().0, 0);
    a.tracer().stop();
    assert_eq!(a.tracer().traced_memory(), (0, 0));
    assert_eq!(a.tracer().traceback_limit(), 1, "the limit outlives stop()");
}

/// Allocates `n` blocks of 48 bytes, all at one line, and returns that line.
fn grow(a: &Traced<PyMalloc>, n: usize, blocks: &mut Vec<(NonNull<u8>, Layout)>) -> u32 {
    for _ in 0..n {
        blocks.push((a.alloc(layout(48)).unwrap(), layout(48)));
    }
    line!() - 2
}

#[test]
fn one_frame_names_the_callers_line_and_statistics_group_by_it() {
    let a = Traced::new(PyMalloc::new());
    a.tracer().start(1).unwrap();
    let mut blocks = Vec::new();
    let line = grow(&a, 10, &mut blocks);
    let other_line = line!() + 1;
    blocks.push((a.alloc(layout(1000)).unwrap(), layout(1000)));
    let snapshot = a.tracer().take_snapshot().unwrap();
    let stats = snapshot.statistics("lineno", false).unwrap();
    assert_eq!(stats.len(), 2);
    let file = file!();
    let big = format!("{file}:{other_line}: size=1000 B, count=1, average=1000 B");
    assert_eq!(stats[0].to_string(), big);
    let small = format!("{file}:{line}: size=480 B, count=10, average=48 B");
    assert_eq!(stats[1].to_string(), small);
    // The block's own traceback.
    let tb = a
        .tracer()
        .traceback_of(0, blocks[0].0.as_ptr().addr())
        .unwrap();
    assert_eq!(tb.frames(), &[Frame::new(file, line)]);
    assert_eq!(tb.total_nframe(), Some(1));
    // A diff shows the exact growth of one line.
    let old = snapshot;
    grow(&a, 5, &mut blocks);
    let new = a.tracer().take_snapshot().unwrap();
    let diff = new.compare_to(&old, "lineno", false).unwrap();
    let grown = format!("{file}:{line}: size=720 B (+240 B), count=15 (+5), average=48 B");
    assert_eq!(diff[0].to_string(), grown);
    assert_eq!((diff[0].size_diff, diff[0].count_diff), (240, 5));
    assert_eq!(
        diff[1].to_string(),
        format!("{file}:{other_line}: size=1000 B (+0 B), count=1 (+0), average=1000 B")
    );
    free(&a, blocks);
    a.tracer().clear_traces();
    assert!(a.tracer().is_tracing());
    assert_eq!(a.tracer().take_snapshot().unwrap().traces().len(), 0);
}

#[inline(never)]
fn allocate_here(a: &Traced<PyMalloc>) -> NonNull<u8> {
    a.alloc(layout(64)).unwrap()
}

#[test]
#[cfg_attr(miri, ignore)] // unwinding through Miri is too slow
fn more_frames_come_from_the_unwound_stack_symbolized_at_snapshot_time() {
    let a = Traced::new(PyMalloc::new());
    a.tracer().start(25).unwrap();
    let p = allocate_here(&a);
    let tb = a.tracer().traceback_of(0, p.as_ptr().addr()).unwrap();
    let most_recent = tb.most_recent().expect("a frame");
    // The allocator's own frames are left out: the first frame is in this file.
    assert!(most_recent.filename().ends_with("traced.rs"), "{tb:?}");
    assert!(tb.len() > 1 && tb.len() <= 25, "{tb:?}");
    assert!(tb.total_nframe().unwrap() >= tb.len());
    // SAFETY: a live block with this layout.
    unsafe { a.dealloc(p, layout(64)) };
}

/// Reports a script's frames, and allocates through the tracer's own allocator on the way.
/// Holds the allocator weakly: the allocator's tracer holds the provider.
struct Script {
    alloc: std::rc::Weak<Traced<PyMalloc>>,
    calls: Cell<usize>,
}

impl FrameProvider for Script {
    fn frames(&self, limit: usize, out: &mut Vec<Frame>) -> usize {
        self.calls.set(self.calls.get() + 1);
        let alloc = self
            .alloc
            .upgrade()
            .expect("the allocator outlives its provider");
        // An allocation from inside the tracer: must not be traced (nor recurse).
        let scratch = alloc.alloc(layout(32)).unwrap();
        // SAFETY: just allocated with this layout.
        unsafe { alloc.dealloc(scratch, layout(32)) };
        out.extend(
            [Frame::new("script.py", 7), Frame::new("main.py", 1)]
                .into_iter()
                .take(limit),
        );
        2
    }
}

#[test]
fn s45_a_frame_provider_supplies_frames_and_its_allocations_are_not_traced() {
    let a = Rc::new(Traced::new(PyMalloc::new()));
    let script = Rc::new(Script {
        alloc: Rc::downgrade(&a),
        calls: Cell::new(0),
    });
    a.tracer().set_frame_provider(Some(script.clone()));
    a.tracer().start(1).unwrap();
    let p = a.alloc(layout(40)).unwrap();
    let snapshot = a.tracer().take_snapshot().unwrap();
    assert_eq!(
        snapshot.traces().len(),
        1,
        "the provider's own block was not traced"
    );
    assert_eq!(script.calls.get(), 1);
    let tb = snapshot.traces()[0].traceback();
    assert_eq!(tb.frames(), &[Frame::new("script.py", 7)]);
    assert_eq!(tb.total_nframe(), Some(2));
    assert_eq!(a.tracer().traced_memory().0, 40);
    // SAFETY: a live block with this layout.
    unsafe { a.dealloc(p, layout(40)) };
    a.tracer().set_frame_provider(None);
    a.tracer().stop();
}

#[test]
fn other_domains_are_tracked_by_hand_and_refused_when_not_tracing() {
    let a = Traced::new(PyMalloc::new());
    assert!(matches!(
        a.tracer().track(5, 0x1000, 10),
        Err(TracemallocError::NotTracing)
    ));
    assert!(matches!(
        a.tracer().untrack(5, 0x1000),
        Err(TracemallocError::NotTracing)
    ));
    a.tracer().start(1).unwrap();
    a.tracer().track(5, 0x1000, 10).unwrap();
    a.tracer().track(5, 0x1000, 12).unwrap(); // re-tracking replaces
    assert_eq!(a.tracer().traced_memory().0, 12);
    let s = a.tracer().take_snapshot().unwrap();
    assert_eq!((s.traces()[0].domain(), s.traces()[0].size()), (5, 12));
    a.tracer().untrack(5, 0x1000).unwrap();
    a.tracer().untrack(5, 0x1000).unwrap(); // unknown: nothing
    assert_eq!(a.tracer().traced_memory().0, 0);
    // start() while tracing validates but keeps the limit (CPython: start(3); start(5) -> 3).
    assert!(a.tracer().start(0).is_err());
    a.tracer().start(5).unwrap();
    assert_eq!(a.tracer().traceback_limit(), 1);
    assert!(a.tracer().tracemalloc_memory() > 0);
}

/// A frame provider that panics with a payload whose own drop panics, when armed.
struct Hostile(Cell<bool>);

/// A panic payload whose drop panics.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("a panic payload's drop panicked");
    }
}

impl FrameProvider for Hostile {
    fn frames(&self, _: usize, out: &mut Vec<Frame>) -> usize {
        if self.0.get() {
            std::panic::panic_any(Bomb);
        }
        out.push(Frame::new("script.py", 1));
        1
    }
}

/// Scenario 50 on `Traced` alone: a frame provider that panics while `alloc` records a
/// block gets the block freed before the panic goes on (the pools count no block); in
/// `realloc`, where the old block is already gone, the new block is returned untraced
/// and the panic is dropped, its payload's panicking drop included.
#[test]
fn s50_a_panicking_frame_provider_leaves_no_block_behind() {
    let a = Traced::new(PyMalloc::new());
    let hostile = Rc::new(Hostile(Cell::new(false)));
    a.tracer().set_frame_provider(Some(hostile.clone()));
    a.tracer().start(1).unwrap();
    let kept = a.alloc(layout(40)).unwrap();
    hostile.0.set(true);
    let alloc = std::panic::AssertUnwindSafe(|| a.alloc(layout(40)));
    let payload = std::panic::catch_unwind(alloc).unwrap_err();
    std::mem::forget(
        payload
            .downcast::<Bomb>()
            .expect("the provider's own payload"),
    );
    assert_eq!(a.inner().allocated_blocks(), 1, "the new block went back");
    assert_eq!(a.tracer().traced_memory().0, 40);
    // SAFETY: a live block of `a` with layout(40).
    let moved = unsafe { a.realloc(kept, layout(40), 400) }.unwrap();
    assert_eq!(a.inner().allocated_blocks(), 1);
    assert_eq!(a.tracer().traced_memory().0, 0, "the new block is untraced");
    hostile.0.set(false);
    free(&a, vec![(moved, layout(400))]);
    assert_eq!(a.inner().allocated_blocks(), 0);
}
