//! Reliability-plan scenario 43: a block the allocator does not own is rejected before
//! anything is read or written through it, and the allocator is intact afterwards: a small
//! one by the arena lookup, a large one (served by the system allocator) by the set of
//! large blocks, so that the count of blocks stays exact (scenario 55).

use pymem_alloc::{PyMalloc, RawAlloc};
use std::alloc::Layout;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr::NonNull;

fn rejected(a: &PyMalloc, block: NonNull<u8>, layout: Layout) -> String {
    let result = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: deliberately breaks `dealloc`'s contract (the block is not `a`'s): the
        // allocator finds the arena by address before it touches the block or a pool, and
        // Miri checks that it reads nothing through `block`.
        unsafe { a.dealloc(block, layout) }
    }));
    let payload = result.unwrap_err();
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload.downcast::<&str>().unwrap().to_string(),
    }
}

#[test]
fn s43_a_block_from_another_allocator_or_the_stack_is_rejected_unread() {
    let layout = Layout::from_size_align(32, 16).unwrap();
    let (a, b) = (PyMalloc::new(), PyMalloc::new());
    let mine = a.alloc(layout).unwrap();
    let theirs = b.alloc(layout).unwrap();
    let on_stack = [0u128; 2];
    let message = rejected(&a, theirs, layout);
    assert!(message.contains("not from this allocator"), "{message}");
    let message = rejected(&a, NonNull::from(&on_stack).cast(), layout);
    assert!(message.contains("not from this allocator"), "{message}");
    assert_eq!(
        on_stack,
        [0, 0],
        "nothing was written through the foreign pointer"
    );
    a.validate();
    b.validate();
    // SAFETY: each block goes back to the allocator that made it, with its layout.
    unsafe {
        a.dealloc(mine, layout);
        b.dealloc(theirs, layout);
    }
    assert_eq!((a.stats().arenas_current, b.stats().arenas_current), (1, 1));
    a.validate();
}

/// Scenario 55: `dealloc` of a large block another allocator made (another `PyMalloc`, or
/// the system allocator directly) used to free it and decrement this allocator's count of
/// large blocks, off by one from then on (or wrapping below zero). Now it is refused, like
/// a small one, and the counts stay exact; `realloc` refuses it too.
#[test]
fn s55_a_large_block_from_another_allocator_is_rejected_and_counts_stay_exact() {
    let large = Layout::from_size_align(4096, 16).unwrap();
    let (a, b) = (PyMalloc::new(), PyMalloc::new());
    let mine = a.alloc(large).unwrap();
    let theirs = b.alloc(large).unwrap();
    let system = pymem_alloc::System.alloc(large).unwrap();
    assert_eq!(a.allocated_blocks(), 1);
    for foreign in [theirs, system] {
        let message = rejected(&a, foreign, large);
        assert!(message.contains("not from this allocator"), "{message}");
        assert_eq!(a.allocated_blocks(), 1, "the count did not move");
        let grown = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: deliberately breaks `realloc`'s contract, as above.
            unsafe { a.realloc(foreign, large, 8192) }
        }));
        assert!(grown.is_err(), "realloc refused it too");
    }
    // SAFETY: each block goes back to the allocator that made it, with its layout.
    unsafe {
        let mine = a.realloc(mine, large, 8192).unwrap();
        a.dealloc(mine, Layout::from_size_align(8192, 16).unwrap());
        b.dealloc(theirs, large);
        pymem_alloc::System.dealloc(system, large);
    }
    assert_eq!((a.allocated_blocks(), b.allocated_blocks()), (0, 0));
    a.validate();
}
