//! `GlobalPyMalloc`: pymalloc as the process's global allocator.
//!
//! Thread-safety story: one `Mutex` around one [`PyMalloc`]; requests over 512 bytes go
//! straight to the system allocator without the lock. That is simple and correct for blocks
//! freed on another thread than the one that allocated them, but every small allocation and
//! free takes the lock: uncontended it costs an atomic exchange and release, and when several
//! threads allocate at once they serialise on it. glibc, mimalloc and jemalloc keep
//! per-thread caches instead, so multi-threaded, allocation-heavy programs are slower with
//! this adapter than with them (measured in `docs/benchmarks.md`, B11). pymem's own object
//! heap does not use it: each thread's heap has its own lock-free `PyMalloc`.
//!
//! ```no_run
//! #[global_allocator]
//! static GLOBAL: pymem_alloc::GlobalPyMalloc = pymem_alloc::GlobalPyMalloc::new();
//! ```

use std::alloc::{GlobalAlloc, Layout};
use std::ptr::{self, NonNull};
use std::sync::Mutex;

use crate::pymalloc::PyMalloc;
use crate::raw::{RawAlloc, System};

/// A `PyMalloc` that may move between threads because only the lock holder touches it.
struct Locked(PyMalloc);

// SAFETY: `PyMalloc` holds raw pointers into arenas it owns and no thread-local state; the
// mutex gives one thread at a time exclusive access.
unsafe impl Send for Locked {}

/// pymalloc behind one lock, usable as `#[global_allocator]`.
pub struct GlobalPyMalloc {
    pools: Mutex<Locked>,
}

impl GlobalPyMalloc {
    /// A global allocator with no arena yet.
    pub const fn new() -> GlobalPyMalloc {
        GlobalPyMalloc {
            pools: Mutex::new(Locked(PyMalloc::new())),
        }
    }

    /// Runs `f` on the pools under the lock (a poisoned lock is still consistent: the
    /// allocator does not panic halfway through an operation).
    fn with<R>(&self, f: impl FnOnce(&PyMalloc) -> R) -> R {
        let guard = self.pools.lock().unwrap_or_else(|e| e.into_inner());
        f(&guard.0)
    }

    /// The pools' statistics (for `debugmallocstats`).
    pub fn stats(&self) -> crate::Stats {
        self.with(PyMalloc::stats)
    }
}

impl Default for GlobalPyMalloc {
    fn default() -> GlobalPyMalloc {
        GlobalPyMalloc::new()
    }
}

// SAFETY: small layouts are served by the locked pools and returned to them (the layout at
// free equals the one at allocation); the rest is `System`'s.
unsafe impl GlobalAlloc for GlobalPyMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let block = if PyMalloc::is_small(layout) {
            self.with(|p| p.alloc_small(layout.size()))
        } else {
            System.alloc(layout)
        };
        block.map_or(ptr::null_mut(), NonNull::as_ptr)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `GlobalAlloc` callers pass a pointer this allocator returned.
        let ptr = unsafe { NonNull::new_unchecked(ptr) };
        if PyMalloc::is_small(layout) {
            // SAFETY: small layouts came from the pools.
            self.with(|p| unsafe { p.free_small(ptr) });
        } else {
            // SAFETY: other layouts came from `System`.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `GlobalAlloc` callers pass a valid new size for this alignment.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: `GlobalAlloc` callers pass a pointer this allocator returned.
        let block = unsafe { NonNull::new_unchecked(ptr) };
        let moved = match (PyMalloc::is_small(layout), PyMalloc::is_small(new_layout)) {
            // SAFETY: pool block to pool block, under the lock.
            (true, true) => self.with(|p| unsafe { p.realloc(block, layout, new_size) }),
            // SAFETY: system block to system block.
            (false, false) => unsafe { System.realloc(block, layout, new_size) },
            // SAFETY: crossing between pools and the system: move the contents.
            _ => unsafe { crate::raw::move_block(self, block, layout, new_layout) },
        };
        moved.map_or(ptr::null_mut(), NonNull::as_ptr)
    }
}
