//! [`RawAlloc`]: the interface every allocator layer implements, and [`System`].

use std::alloc::{GlobalAlloc, Layout};
use std::ptr::NonNull;

/// A raw memory allocator that is told the layout again when memory is freed (so that it
/// never needs to read memory to find out who owns a block).
///
/// **Zero sizes.** `alloc` is safe for any layout, so a zero-size one must work too: it
/// is served as a one-byte request, as CPython's `PyMem_RawMalloc(0)` is. The block is
/// real and unique (distinct live blocks have distinct addresses, which tracemalloc's
/// tables rely on) and counted like any other; `dealloc` takes it back with the same
/// zero-size layout. (`GlobalAlloc` forbids zero sizes, so none reaches the system
/// allocator.)
///
/// # Safety
///
/// Implementations must return blocks that fit the layout and do not overlap any other live
/// block, and keep a block's contents until it is freed or reallocated. Callers promise the
/// rules below.
pub unsafe trait RawAlloc {
    /// A block for `layout` (a zero size counts as one byte), or `None` when memory is
    /// exhausted.
    fn alloc(&self, layout: Layout) -> Option<NonNull<u8>>;

    /// Frees a block.
    ///
    /// # Safety
    /// `ptr` must come from this allocator's `alloc`/`realloc` with exactly `layout`, and not
    /// have been freed since.
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout);

    /// Resizes a block, keeping `min(old, new)` bytes of contents. On `None` the old block is
    /// still valid. `layout` may have a zero size (a block `alloc` served as one byte).
    ///
    /// # Safety
    /// As for [`RawAlloc::dealloc`]; `new_size` must be non-zero and form a valid layout with
    /// `layout.align()`.
    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        layout: Layout,
        new_size: usize,
    ) -> Option<NonNull<u8>> {
        // SAFETY: the caller's contract makes `layout.align()` and `new_size` valid.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: the caller's contract.
        unsafe { move_block(self, ptr, layout, new_layout) }
    }
}

/// Something that hands out and takes back blocks by layout: a [`RawAlloc`] or a
/// `GlobalAlloc`.
pub(crate) trait Blocks {
    fn get(&self, layout: Layout) -> Option<NonNull<u8>>;
    /// # Safety
    /// `ptr` must be a live block from `get` with `layout`.
    unsafe fn put(&self, ptr: NonNull<u8>, layout: Layout);
}

impl<A: RawAlloc + ?Sized> Blocks for A {
    fn get(&self, layout: Layout) -> Option<NonNull<u8>> {
        self.alloc(layout)
    }
    unsafe fn put(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: the caller's contract.
        unsafe { self.dealloc(ptr, layout) }
    }
}

impl Blocks for crate::GlobalPyMalloc {
    fn get(&self, layout: Layout) -> Option<NonNull<u8>> {
        // SAFETY: `layout` has a non-zero size (our callers' contract).
        NonNull::new(unsafe { std::alloc::GlobalAlloc::alloc(self, layout) })
    }
    unsafe fn put(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: the caller's contract.
        unsafe { std::alloc::GlobalAlloc::dealloc(self, ptr.as_ptr(), layout) }
    }
}

/// Realloc by allocate, copy `min(old, new)` bytes, free.
///
/// # Safety
/// `ptr` must be a live block of `a` with `layout`; `new_layout` must have a non-zero size.
pub(crate) unsafe fn move_block(
    a: &(impl Blocks + ?Sized),
    ptr: NonNull<u8>,
    layout: Layout,
    new_layout: Layout,
) -> Option<NonNull<u8>> {
    let new = a.get(new_layout)?;
    let len = layout.size().min(new_layout.size());
    // SAFETY: both blocks are live, distinct, and at least `len` bytes long.
    unsafe { core::ptr::copy_nonoverlapping(ptr.as_ptr(), new.as_ptr(), len) };
    // SAFETY: the caller's contract; the old block is no longer used.
    unsafe { a.put(ptr, layout) };
    Some(new)
}

/// The system allocator (`std::alloc::System`), passed through.
#[derive(Clone, Copy, Debug, Default)]
pub struct System;

/// `layout`, or a one-byte layout of the same alignment for a zero size (what a zero-size
/// request is served as: see [`RawAlloc`]).
#[inline]
pub(crate) fn nonzero(layout: Layout) -> Layout {
    if layout.size() == 0 {
        // SAFETY: the alignment came from a valid layout, and 1 rounded up to it cannot
        // overflow `isize`.
        unsafe { Layout::from_size_align_unchecked(1, layout.align()) }
    } else {
        layout
    }
}

// SAFETY: forwards to `std::alloc::System`, which upholds the same contract; zero sizes
// are served as one byte, both ways.
unsafe impl RawAlloc for System {
    #[inline]
    fn alloc(&self, layout: Layout) -> Option<NonNull<u8>> {
        // SAFETY: `nonzero` gives a layout with a non-zero size.
        NonNull::new(unsafe { std::alloc::System.alloc(nonzero(layout)) })
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: the caller's contract: `ptr` came from `System` with `layout`, which
        // `alloc` served as `nonzero(layout)`.
        unsafe { std::alloc::System.dealloc(ptr.as_ptr(), nonzero(layout)) }
    }

    #[inline]
    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        layout: Layout,
        new_size: usize,
    ) -> Option<NonNull<u8>> {
        // SAFETY: the caller's contract, with the layout the block was served as.
        NonNull::new(unsafe { std::alloc::System.realloc(ptr.as_ptr(), nonzero(layout), new_size) })
    }
}
