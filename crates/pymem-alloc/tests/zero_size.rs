//! Reliability scenario 51: `RawAlloc::alloc` is safe for any layout, so a zero-size one
//! must not reach the system allocator as it is (`GlobalAlloc` forbids it). Each
//! allocator serves it as a one-byte request, as CPython's `PyMem_RawMalloc(0)`: a real,
//! aligned, distinct block, counted and freed like any other.

use pymem_alloc::{DebugAlloc, PyMalloc, RawAlloc, System};
use std::alloc::Layout;
use std::collections::HashSet;
use std::ptr::NonNull;

fn zero(align: usize) -> Layout {
    Layout::from_size_align(0, align).unwrap()
}

/// Allocates zero-size blocks of several alignments, checks them, grows one of them with
/// `realloc`, and frees everything.
fn exercise(a: &impl RawAlloc) {
    let mut blocks: Vec<(NonNull<u8>, Layout)> = Vec::new();
    for align in [1, 8, 16, 64, 4096] {
        for _ in 0..3 {
            let block = a.alloc(zero(align)).expect("a zero-size block");
            assert_eq!(block.as_ptr().addr() % align, 0, "aligned to {align}");
            blocks.push((block, zero(align)));
        }
    }
    let addresses: HashSet<usize> = blocks.iter().map(|(p, _)| p.as_ptr().addr()).collect();
    assert_eq!(
        addresses.len(),
        blocks.len(),
        "every block has its own address"
    );
    let (p, l) = blocks.pop().unwrap();
    // SAFETY: a live block of `a` with layout `l`; the new size is non-zero.
    let grown = unsafe { a.realloc(p, l, 100) }.unwrap();
    // SAFETY: the grown block is 100 bytes long and ours.
    unsafe { grown.as_ptr().write_bytes(0xAB, 100) };
    blocks.push((grown, Layout::from_size_align(100, l.align()).unwrap()));
    for (p, l) in blocks {
        // SAFETY: each is a live block of `a` with its layout.
        unsafe { a.dealloc(p, l) };
    }
}

#[test]
fn s51_a_zero_size_layout_is_served_as_one_byte_by_the_system_allocator() {
    exercise(&System);
}

#[test]
fn s51_a_zero_size_layout_is_served_as_one_byte_by_the_pools() {
    let pools = PyMalloc::new();
    let block = pools.alloc(zero(8)).unwrap();
    assert_eq!(pools.allocated_blocks(), 1, "counted like any block");
    // SAFETY: a live block of `pools` with its layout.
    unsafe { pools.dealloc(block, zero(8)) };
    assert_eq!(pools.allocated_blocks(), 0);
    exercise(&pools);
    assert_eq!(pools.allocated_blocks(), 0);
    pools.validate();
}

#[test]
fn s51_a_zero_size_layout_under_the_debug_hooks() {
    exercise(&DebugAlloc::new(PyMalloc::new()));
}
