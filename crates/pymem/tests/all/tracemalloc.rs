//! `pymem::tracemalloc` on the heap: exact traced bytes, the allocation site of an object,
//! diffs that show where a leak grows, frame providers, and CPython's errors.

use crate::support::{Node, node};
use pymem::tracemalloc::{self, Filter, Frame, FrameProvider, TraceFilter, TracemallocError};
use pymem::{Gc, gc, sys};
use std::rc::Rc;

/// Each test starts from a thread that is not tracing.
fn fresh() {
    tracemalloc::stop();
    gc::disable();
    gc::collect();
}

/// Allocates `n` nodes at one line; returns them and that line.
fn nodes(n: usize) -> (Vec<Gc<Node>>, u32) {
    let line = line!() + 1;
    ((0..n).map(|_| Gc::new(Node::default())).collect(), line)
}

#[test]
fn s44_traced_bytes_equal_the_sizes_of_the_live_objects() {
    fresh();
    let untraced = node();
    tracemalloc::start(1).unwrap();
    assert!(tracemalloc::is_tracing());
    let (live, _) = nodes(100);
    let strings: Vec<Gc<String>> = (0..10).map(|i| Gc::new(i.to_string())).collect();
    let big = Gc::new([0u8; 1000]);
    let expected =
        100 * sys::getsizeof(&live[0]) + 10 * sys::getsizeof(&strings[0]) + sys::getsizeof(&big);
    assert_eq!(tracemalloc::get_traced_memory(), (expected, expected));
    let strings_size = 10 * sys::getsizeof(&strings[0]);
    drop(strings);
    let after = expected - strings_size;
    assert_eq!(tracemalloc::get_traced_memory(), (after, expected));
    tracemalloc::reset_peak();
    assert_eq!(tracemalloc::get_traced_memory(), (after, after));
    // An object allocated before tracing started is not traced, and freeing it changes
    // nothing.
    assert!(tracemalloc::get_object_traceback(&untraced).is_none());
    drop(untraced);
    assert_eq!(tracemalloc::get_traced_memory().0, after);
    drop((live, big));
    assert_eq!(tracemalloc::get_traced_memory().0, 0);
    tracemalloc::stop();
    assert_eq!(tracemalloc::get_traced_memory(), (0, 0));
}

#[test]
fn the_top_statistic_names_the_line_that_allocated() {
    fresh();
    tracemalloc::start(1).unwrap();
    let (live, line) = nodes(500);
    let snapshot = tracemalloc::take_snapshot().unwrap();
    let top = &snapshot.statistics("lineno", false).unwrap()[0];
    let size = 500 * sys::getsizeof(&live[0]);
    assert_eq!(top.traceback.frames(), &[Frame::new(file!(), line)]);
    assert_eq!((top.size, top.count), (size, 500));
    assert_eq!(
        top.to_string(),
        format!(
            "{}:{line}: size={}, count=500, average=48 B",
            file!(),
            tracemalloc::format_size(size as f64, false)
        )
    );
    let tb = tracemalloc::get_object_traceback(&live[7]).unwrap();
    assert_eq!(tb.to_string(), format!("{}:{line}", file!()));
    // Grouped by file: everything allocated in this file.
    let by_file = snapshot.statistics("filename", false).unwrap();
    assert_eq!(by_file[0].traceback.frames(), &[Frame::new(file!(), 0)]);
    drop(live);
    tracemalloc::stop();
}

#[test]
fn compare_to_shows_where_a_leak_grows_by_exact_sizes_and_counts() {
    fresh();
    tracemalloc::start(1).unwrap();
    let mut kept = Vec::new();
    let (first, line) = nodes(10);
    kept.extend(first);
    let before = tracemalloc::take_snapshot().unwrap();
    kept.extend(nodes(40).0); // the leak grows at the same line
    let after = tracemalloc::take_snapshot().unwrap();
    let diff = after.compare_to(&before, "lineno", false).unwrap();
    let grown = &diff[0];
    assert_eq!(grown.traceback.frames(), &[Frame::new(file!(), line)]);
    assert_eq!((grown.count, grown.count_diff), (50, 40));
    assert_eq!((grown.size, grown.size_diff), (50 * 48, 40 * 48));
    assert_eq!(
        grown.to_string(),
        format!(
            "{}:{line}: size=2400 B (+1920 B), count=50 (+40), average=48 B",
            file!()
        )
    );
    drop(kept);
    tracemalloc::stop();
}

#[test]
#[cfg_attr(miri, ignore)] // files: Miri's isolation forbids them
fn snapshots_filter_and_survive_dump_and_load() {
    fresh();
    tracemalloc::start(1).unwrap();
    let (live, line) = nodes(3);
    let other = Gc::new(7u64);
    let snapshot = tracemalloc::take_snapshot().unwrap();
    let only_line: Vec<TraceFilter> =
        vec![Filter::new(true, "*/tracemalloc.rs").lineno(line).into()];
    let filtered = snapshot.filter_traces(&only_line);
    assert_eq!(filtered.traces().len(), 3);
    let without_file: Vec<TraceFilter> = vec![Filter::new(false, file!()).into()];
    assert!(snapshot.filter_traces(&without_file).traces().is_empty());
    let path = std::env::temp_dir().join(format!("pymem-snapshot-{}.dump", std::process::id()));
    snapshot.dump(&path).unwrap();
    assert_eq!(tracemalloc::Snapshot::load(&path).unwrap(), snapshot);
    std::fs::write(&path, b"PYMEMTM\0garbage").unwrap();
    assert!(matches!(
        tracemalloc::Snapshot::load(&path),
        Err(TracemallocError::BadDump(_))
    ));
    std::fs::remove_file(&path).unwrap();
    drop((live, other));
    tracemalloc::stop();
}

#[test]
fn bad_input_gets_cpythons_errors() {
    fresh();
    let limit = tracemalloc::get_traceback_limit();
    for n in [0, 65536] {
        let err = tracemalloc::start(n).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the number of frames must be in range [1; 65535]"
        );
    }
    assert_eq!(tracemalloc::get_traceback_limit(), limit);
    let err = tracemalloc::take_snapshot().unwrap_err();
    assert_eq!(
        err.to_string(),
        "the tracemalloc module must be tracing memory allocations to take a snapshot"
    );
    assert!(tracemalloc::track(3, 0x10, 1).is_err());
    tracemalloc::start(3).unwrap();
    tracemalloc::start(5).unwrap();
    assert_eq!(
        tracemalloc::get_traceback_limit(),
        3,
        "CPython keeps the first limit"
    );
    let snapshot = tracemalloc::take_snapshot().unwrap();
    assert_eq!(snapshot.traceback_limit(), 3);
    let err = snapshot.statistics("line", false).unwrap_err();
    assert_eq!(err.to_string(), "unknown key_type: 'line'");
    tracemalloc::stop();
    tracemalloc::start(1).unwrap();
    tracemalloc::stop();
}

#[test]
fn clear_traces_forgets_object_tracebacks() {
    fresh();
    tracemalloc::start(1).unwrap();
    let obj = node();
    assert!(tracemalloc::get_object_traceback(&obj).is_some());
    tracemalloc::clear_traces();
    assert!(tracemalloc::is_tracing());
    assert!(tracemalloc::get_object_traceback(&obj).is_none());
    assert_eq!(tracemalloc::get_traced_memory(), (0, 0));
    let tables = tracemalloc::get_tracemalloc_memory();
    drop(obj);
    assert!(tracemalloc::get_tracemalloc_memory() <= tables);
    tracemalloc::stop();
}

/// A toy interpreter's frames: every allocation happens at `script.py` line `self.0`.
struct Script(u32);

impl FrameProvider for Script {
    fn frames(&self, limit: usize, out: &mut Vec<Frame>) -> usize {
        // Objects the runtime makes meanwhile are not traced (the re-entrancy guard).
        let _scratch = Gc::new(Node::default());
        out.extend(
            [Frame::new("script.py", self.0), Frame::new("<module>", 1)]
                .into_iter()
                .take(limit),
        );
        2
    }
}

#[test]
fn a_runtime_supplies_its_own_frames_and_is_not_traced_itself() {
    fresh();
    tracemalloc::set_frame_provider(Some(Rc::new(Script(12))));
    tracemalloc::start(2).unwrap();
    let obj = node();
    let snapshot = tracemalloc::take_snapshot().unwrap();
    assert_eq!(
        snapshot.traces().len(),
        1,
        "the provider's own object is not traced"
    );
    let tb = tracemalloc::get_object_traceback(&obj).unwrap();
    // Oldest first, as CPython's Traceback.
    assert_eq!(
        tb.frames(),
        &[Frame::new("<module>", 1), Frame::new("script.py", 12)]
    );
    assert_eq!(
        snapshot.statistics("lineno", false).unwrap()[0].to_string(),
        "script.py:12: size=48 B, count=1, average=48 B"
    );
    drop(obj);
    tracemalloc::set_frame_provider(None);
    tracemalloc::stop();
}

#[test]
#[cfg_attr(miri, ignore)] // unwinding and symbolizing through Miri's shims is too slow
fn more_frames_give_the_rust_call_stack() {
    fresh();
    tracemalloc::start(8).unwrap();
    let obj = node();
    let tb = tracemalloc::get_object_traceback(&obj).unwrap();
    assert!(
        tb.most_recent().unwrap().filename().ends_with("support.rs"),
        "{tb:?}"
    );
    assert!(tb.len() >= 2 && tb.len() <= 8, "{tb:?}");
    let lines = tb.format(Some(1), false);
    assert!(
        lines[0].starts_with("  File \"") && lines[0].contains("support.rs"),
        "{lines:?}"
    );
    drop(obj);
    tracemalloc::stop();
}

/// One round of a scenario that allocates, makes cyclic garbage and collects it.
fn leak_free_round() {
    let keep: Vec<Gc<Node>> = (0..50).map(|_| node()).collect();
    for pair in keep.chunks(2) {
        *pair[0].next.borrow_mut() = Some(pair[1].clone().into());
        *pair[1].next.borrow_mut() = Some(pair[0].clone().into());
    }
    drop(keep);
    assert_eq!(gc::collect(), 50);
}

/// Scenario 44, regrtest's `-R 3:3`: after three warm-up rounds, three more leave the
/// allocated blocks and the traced bytes where they were.
#[test]
fn s44_a_repeated_scenario_leaves_no_block_or_traced_byte_behind() {
    fresh();
    tracemalloc::start(1).unwrap();
    for _ in 0..3 {
        leak_free_round();
    }
    let mut deltas = Vec::new();
    for _ in 0..3 {
        let (blocks, (traced, _)) = (sys::getallocatedblocks(), tracemalloc::get_traced_memory());
        leak_free_round();
        let (blocks_after, (traced_after, _)) =
            (sys::getallocatedblocks(), tracemalloc::get_traced_memory());
        deltas.push((
            blocks_after as isize - blocks as isize,
            traced_after as isize - traced as isize,
        ));
    }
    assert_eq!(deltas, [(0, 0); 3]);
    tracemalloc::stop();
}

/// Starts or stops tracing from its `Drop`.
#[derive(pymem::Trace)]
struct Toggler {
    next: std::cell::RefCell<Option<Gc<Toggler>>>,
    #[trace(skip)]
    start: bool,
}

impl Drop for Toggler {
    fn drop(&mut self) {
        if self.start {
            tracemalloc::start(1).unwrap();
            let _fresh = node(); // traced from here on
        } else {
            tracemalloc::stop();
        }
    }
}

/// Scenario 45, second half: tracing toggled while the collector clears garbage neither
/// recurses nor corrupts the traces; what is freed afterwards is forgotten.
#[test]
fn s45_tracing_started_and_stopped_during_a_collection() {
    fresh();
    let ring = |start| {
        let (a, b) = (
            Gc::new(Toggler {
                next: Default::default(),
                start,
            }),
            Gc::new(Toggler {
                next: Default::default(),
                start,
            }),
        );
        *a.next.borrow_mut() = Some(b.clone());
        *b.next.borrow_mut() = Some(a);
    };
    ring(true);
    assert_eq!(gc::collect(), 2);
    assert!(
        tracemalloc::is_tracing(),
        "started from a Drop during the collection"
    );
    assert_eq!(
        tracemalloc::get_traced_memory().0,
        0,
        "the node made there is gone"
    );
    let kept = node();
    assert_eq!(tracemalloc::get_traced_memory().0, sys::getsizeof(&kept));
    ring(false); // allocated while tracing: traced
    assert!(tracemalloc::get_traced_memory().0 > sys::getsizeof(&kept));
    assert_eq!(gc::collect(), 2);
    assert!(
        !tracemalloc::is_tracing(),
        "stopped from a Drop during the collection"
    );
    assert_eq!(tracemalloc::get_traced_memory(), (0, 0));
    drop(kept); // traced once, freed after tracing stopped: nothing to forget, no panic
    tracemalloc::start(1).unwrap();
    assert_eq!(tracemalloc::take_snapshot().unwrap().traces().len(), 0);
    tracemalloc::stop();
}

/// A frame provider that panics on every call.
struct Failing;

impl FrameProvider for Failing {
    fn frames(&self, _: usize, _: &mut Vec<Frame>) -> usize {
        panic!("the frame provider failed");
    }
}

/// Scenario 50: a frame provider that panics while `Gc::new` or `Gc::try_new` records the
/// new block. The panic goes on to the caller, and the block goes back: the allocated
/// blocks, the traced memory and `gc.get_count()` are what they were before.
#[test]
fn s50_a_panicking_frame_provider_frees_the_block_it_was_called_for() {
    fresh();
    let baseline = crate::support::allocated_blocks();
    tracemalloc::set_frame_provider(Some(Rc::new(Failing)));
    tracemalloc::start(1).unwrap();
    let (traced, count) = (tracemalloc::get_traced_memory().0, gc::get_count());
    for fallible in [false, true] {
        let made = std::panic::catch_unwind(|| {
            if fallible {
                drop(Gc::try_new(Node::default()));
            } else {
                drop(node());
            }
        });
        let message = made.unwrap_err();
        assert_eq!(
            *message.downcast::<&str>().unwrap(),
            "the frame provider failed"
        );
        assert_eq!(
            crate::support::allocated_blocks(),
            baseline,
            "no block leaked"
        );
        assert_eq!(tracemalloc::get_traced_memory().0, traced);
        assert_eq!(gc::get_count(), count, "the count was given back");
    }
    tracemalloc::set_frame_provider(None);
    let obj = node();
    assert!(tracemalloc::get_object_traceback(&obj).is_some());
    drop(obj);
    tracemalloc::stop();
    assert_eq!(crate::support::allocated_blocks(), baseline);
}
