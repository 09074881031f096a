//! [`Traced`]: any [`RawAlloc`] with a [`Tracer`] in front.

use std::alloc::Layout;
use std::panic::Location;
use std::ptr::NonNull;

use pymem_alloc::RawAlloc;

use crate::tracer::{DEFAULT_DOMAIN, Tracer};

/// An allocator whose blocks `tracemalloc` can trace: each allocation made while its
/// tracer traces is recorded with where it came from, each free forgets it. Blocks are
/// traced in [`DEFAULT_DOMAIN`].
///
/// The allocation site is the caller of `alloc` (`#[track_caller]`); a wrapper that
/// allocates for someone else passes its own caller to [`Traced::alloc_at`], as pymem's
/// `Gc::new` does.
///
/// ```
/// use pymem_alloc::{RawAlloc, System};
/// use pymem_trace::Traced;
/// use std::alloc::Layout;
///
/// let traced = Traced::new(System);
/// let layout = Layout::from_size_align(64, 8).unwrap();
/// let untraced = traced.alloc(layout).unwrap(); // not tracing yet
/// traced.tracer().start(1).unwrap();
/// let block = traced.alloc(layout).unwrap();
/// assert_eq!(traced.tracer().traced_memory(), (64, 64));
/// // SAFETY: both blocks came from `traced` with `layout`.
/// unsafe {
///     traced.dealloc(block, layout);
///     traced.dealloc(untraced, layout);
/// }
/// assert_eq!(traced.tracer().traced_memory(), (0, 64)); // the peak stays
/// ```
#[derive(Default)]
pub struct Traced<A> {
    inner: A,
    tracer: Tracer,
}

impl<A: RawAlloc> Traced<A> {
    /// `inner` with a tracer that does not trace yet.
    pub fn new(inner: A) -> Traced<A> {
        Traced {
            inner,
            tracer: Tracer::new(),
        }
    }

    /// The wrapped allocator.
    pub fn inner(&self) -> &A {
        &self.inner
    }

    /// The tracer.
    pub fn tracer(&self) -> &Tracer {
        &self.tracer
    }

    /// [`RawAlloc::alloc`], recording `caller` as the allocation site. Budget when not
    /// tracing: the inner allocation, a load and a branch.
    ///
    /// If the tracer's [`FrameProvider`](crate::FrameProvider) panics, the block goes back
    /// to the inner allocator, untraced, before the panic goes on.
    #[inline(always)]
    pub fn alloc_at(
        &self,
        layout: Layout,
        caller: &'static Location<'static>,
    ) -> Option<NonNull<u8>> {
        let block = self.inner.alloc(layout)?;
        if self.tracer.is_tracing() {
            self.record_or_free(block, layout, caller);
        }
        Some(block)
    }

    /// Records a new block; gives it back if recording unwinds (a frame provider panics:
    /// the trace is added only after the provider returns, so there is none to forget).
    #[cold]
    fn record_or_free(
        &self,
        block: NonNull<u8>,
        layout: Layout,
        caller: &'static Location<'static>,
    ) {
        struct FreeOnUnwind<'a, A: RawAlloc>(&'a A, NonNull<u8>, Layout);
        impl<A: RawAlloc> Drop for FreeOnUnwind<'_, A> {
            fn drop(&mut self) {
                // SAFETY: the block came from this allocator with this layout just now,
                // and no one else has it.
                unsafe { self.0.dealloc(self.1, self.2) }
            }
        }
        let on_unwind = FreeOnUnwind(&self.inner, block, layout);
        self.tracer
            .record(DEFAULT_DOMAIN, block.as_ptr().addr(), layout.size(), caller);
        core::mem::forget(on_unwind);
    }

    /// Forgets the trace of a block about to be freed by other means than `dealloc` (a
    /// caller that frees through the inner allocator's own fast path).
    #[inline(always)]
    pub fn untrace(&self, ptr: NonNull<u8>) {
        self.tracer.forget(DEFAULT_DOMAIN, ptr.as_ptr().addr());
    }
}

// SAFETY: blocks come from `inner` and go back to it unchanged; the tracer only records
// addresses and sizes and never touches the blocks.
unsafe impl<A: RawAlloc> RawAlloc for Traced<A> {
    #[inline]
    #[track_caller]
    fn alloc(&self, layout: Layout) -> Option<NonNull<u8>> {
        self.alloc_at(layout, Location::caller())
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        self.untrace(ptr);
        // SAFETY: the caller's contract; the block came from `inner`.
        unsafe { self.inner.dealloc(ptr, layout) }
    }

    /// A moved or resized block is traced anew, from this call (as CPython's realloc hook).
    /// If the frame provider panics, the new block is returned untraced and the panic is
    /// dropped: the old block is already gone, so unwinding would lose the caller's data.
    #[track_caller]
    unsafe fn realloc(
        &self,
        ptr: NonNull<u8>,
        layout: Layout,
        new_size: usize,
    ) -> Option<NonNull<u8>> {
        // SAFETY: the caller's contract.
        let new = unsafe { self.inner.realloc(ptr, layout, new_size) }?;
        self.untrace(ptr);
        if self.tracer.is_tracing() {
            let caller = Location::caller();
            let record = || {
                self.tracer
                    .record(DEFAULT_DOMAIN, new.as_ptr().addr(), new_size, caller)
            };
            // The old block is gone and the caller must get the new one, so a frame
            // provider's panic cannot go on: the block stays untraced, the panic is dropped.
            if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(record)) {
                drop_payload(panic);
            }
        }
        Some(new)
    }
}

/// Drops a caught panic's payload, whose own drop may panic: such a nested payload is
/// dropped the same way a few times, then forgotten.
fn drop_payload(panic: Box<dyn std::any::Any + Send>) {
    let mut payload = panic;
    for _ in 0..8 {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(payload))) {
            Ok(()) => return,
            Err(nested) => payload = nested,
        }
    }
    std::mem::forget(payload);
}
