//! The `debug-alloc` feature: CPython's debug hooks around the heap's pools. These tests
//! damage memory on purpose, as CPython's own tests of its hooks do, so they run natively
//! only (never under Miri, which would rightly call the damage undefined behaviour).

use pymem::{Gc, sys};
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

#[test]
#[cfg_attr(miri, ignore)]
fn a_freed_object_is_poisoned_and_held_in_quarantine() {
    let before = sys::getallocatedblocks();
    let obj = Gc::new(Cell::new([7u8; 16]));
    let value = obj.as_ptr().cast::<u8>();
    assert_eq!(sys::getallocatedblocks(), before + 1);
    drop(obj);
    // Quarantined blocks do not count as allocated.
    assert_eq!(sys::getallocatedblocks(), before);
    // SAFETY (deliberate): the block is freed but still held by the quarantine, so the
    // memory is readable; its bytes were overwritten with DEADBYTE.
    let bytes = unsafe { std::slice::from_raw_parts(value, 16) };
    assert!(bytes.iter().all(|&b| b == 0xDD), "{bytes:x?}");
}

#[test]
#[cfg_attr(miri, ignore)]
fn writing_past_an_object_is_reported_when_it_is_freed() {
    let obj = Gc::new(Cell::new([0u8; 16]));
    let end = obj.as_ptr().cast::<u8>().wrapping_add(16);
    // SAFETY (deliberate): one byte past the value is the block's tail guard, still inside
    // the debug allocation.
    unsafe { end.write(0) };
    let report = catch_unwind(AssertUnwindSafe(|| drop(obj))).expect_err("damage reported");
    let message = report.downcast_ref::<String>().expect("a message");
    assert!(
        message.contains("buffer overflow") && message.contains("32 bytes"),
        "{message}"
    );
}
