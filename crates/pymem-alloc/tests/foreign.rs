//! Reliability-plan scenario 43: a small block the pools do not own is rejected before
//! anything is read or written through it, and the allocator is intact afterwards. (Large
//! requests go to the system allocator whoever made them; see `RawAlloc::dealloc`.)

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
