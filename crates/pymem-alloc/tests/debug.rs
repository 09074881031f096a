//! `DebugAlloc`: the checks of CPython's debug hooks, each provoked on purpose
//! (reliability scenario 41).

use pymem_alloc::{Damage, DebugAlloc, DebugError, PyMalloc, RawAlloc};
use std::alloc::Layout;
use std::panic::{AssertUnwindSafe, catch_unwind};

fn layout(n: usize) -> Layout {
    Layout::from_size_align(n, 16).unwrap()
}

fn caught(f: impl FnOnce()) -> String {
    let panic = catch_unwind(AssertUnwindSafe(f)).expect_err("the check should fire");
    *panic.downcast::<String>().unwrap()
}

#[test]
fn fresh_blocks_are_filled_and_freed_ones_poisoned() {
    let a = DebugAlloc::new(PyMalloc::new());
    let p = a.alloc(layout(24)).unwrap();
    // SAFETY: a live 24-byte block.
    let fresh = unsafe { std::slice::from_raw_parts(p.as_ptr(), 24) };
    assert!(fresh.iter().all(|&b| b == 0xCD));
    // SAFETY: a live block with this layout.
    unsafe { a.dealloc(p, layout(24)) };
    // SAFETY: quarantined: still allocated in the inner allocator, so readable.
    let freed = unsafe { std::slice::from_raw_parts(p.as_ptr(), 24) };
    assert!(freed.iter().all(|&b| b == 0xDD));
    a.flush();
    assert_eq!(a.inner().allocated_blocks(), 0);
}

#[test]
fn s41_a_one_byte_overflow_is_reported_with_the_serial() {
    let a = DebugAlloc::new(PyMalloc::new());
    let _first = a.alloc(layout(8)).unwrap();
    let p = a.alloc(layout(10)).unwrap();
    // SAFETY: deliberately one byte past the block, into its tail guard (still inside the
    // debug allocation).
    unsafe { p.as_ptr().add(10).write(0) };
    // SAFETY: a live block with this layout.
    let message = caught(|| unsafe { a.dealloc(p, layout(10)) });
    let expected = DebugError {
        damage: Damage::Overflow,
        address: p.as_ptr().addr(),
        serial: 2,
        size: 10,
    };
    assert_eq!(message, expected.to_string());
    assert!(message.contains("serial 2") && message.contains("buffer overflow"));
    // The block is still allocated: repaired, it frees normally (nothing leaks).
    // SAFETY: the guard byte written above, restored.
    unsafe { p.as_ptr().add(10).write(0xFD) };
    // SAFETY: live blocks with these layouts.
    unsafe {
        a.dealloc(p, layout(10));
        a.dealloc(_first, layout(8));
    }
}

#[test]
fn s41_a_one_byte_underflow_is_reported() {
    let a = DebugAlloc::new(PyMalloc::new());
    let p = a.alloc(layout(32)).unwrap();
    // SAFETY: deliberately one byte before the block, into its head guard.
    unsafe { p.as_ptr().sub(1).write(0) };
    // SAFETY: a live block with this layout.
    let message = caught(|| unsafe { a.dealloc(p, layout(32)) });
    assert!(
        message.contains("buffer underflow") && message.contains("serial 1"),
        "{message}"
    );
    // SAFETY: the guard byte written above, restored; then a live block with its layout.
    unsafe {
        p.as_ptr().sub(1).write(0xFD);
        a.dealloc(p, layout(32));
    }
}

#[test]
fn s41_a_write_after_free_is_caught_when_the_block_leaves_quarantine() {
    let a = DebugAlloc::new(PyMalloc::new());
    let p = a.alloc(layout(16)).unwrap();
    // SAFETY: a live block with this layout.
    unsafe { a.dealloc(p, layout(16)) };
    // SAFETY: deliberately after free; the memory is still held by the quarantine.
    unsafe { p.as_ptr().add(3).write(42) };
    let message = caught(|| a.flush());
    assert!(
        message.contains("written after it was freed") && message.contains("serial 1"),
        "{message}"
    );
    // The damaged block went back to the quarantine; repaired, it is released.
    // SAFETY: the quarantine still holds the block's memory.
    unsafe { p.as_ptr().add(3).write(0xDD) };
    a.flush();
    assert_eq!(a.inner().allocated_blocks(), 0);
}

#[test]
fn freeing_with_another_size_is_reported() {
    let a = DebugAlloc::new(PyMalloc::new());
    let p = a.alloc(layout(40)).unwrap();
    // SAFETY: deliberately the wrong layout; the debug checks read only the block's own
    // head and the guard after the smaller size, inside the allocation.
    let message = caught(|| unsafe { a.dealloc(p, layout(20)) });
    assert!(
        message.contains("40 bytes originally requested, freed as 20 bytes"),
        "{message}"
    );
    // SAFETY: the block is still live; this is its layout.
    unsafe { a.dealloc(p, layout(40)) };
    a.flush();
    assert_eq!(a.inner().allocated_blocks(), 0);
}
