//! A growable array whose buffer comes from the system allocator, never from the global
//! one: the allocator's own bookkeeping must not re-enter the allocator when it is the
//! process's global allocator (`GlobalPyMalloc`).

use core::alloc::Layout;
use core::ptr::NonNull;

use crate::raw::{RawAlloc, System};

/// A `Vec<T>` for `Copy`-free plain data, backed by [`System`].
pub(crate) struct SysVec<T> {
    ptr: NonNull<T>,
    len: usize,
    cap: usize,
}

impl<T> SysVec<T> {
    pub(crate) const fn new() -> SysVec<T> {
        SysVec {
            ptr: NonNull::dangling(),
            len: 0,
            cap: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn as_slice(&self) -> &[T] {
        // SAFETY: `ptr` holds `len` initialised elements (dangling and empty when cap = 0).
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        // SAFETY: as above, and `&mut self` makes the access exclusive.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    /// Appends `value`, doubling the buffer (at least 16) when full. Aborts when the system
    /// is out of memory, as `Vec` does.
    pub(crate) fn push(&mut self, value: T) {
        if self.len == self.cap {
            self.grow();
        }
        // SAFETY: `len < cap`, so the slot is inside the buffer and uninitialised.
        unsafe { self.ptr.as_ptr().add(self.len).write(value) };
        self.len += 1;
    }

    /// Inserts `value` at `index` (`<= len`), shifting the rest right.
    pub(crate) fn insert(&mut self, index: usize, value: T) {
        assert!(index <= self.len, "SysVec::insert out of bounds");
        if self.len == self.cap {
            self.grow();
        }
        // SAFETY: `index <= len < cap`: the shifted range and the slot are inside the buffer.
        unsafe {
            let at = self.ptr.as_ptr().add(index);
            core::ptr::copy(at, at.add(1), self.len - index);
            at.write(value);
        }
        self.len += 1;
    }

    /// Removes and returns the element at `index` (`< len`), shifting the rest left.
    pub(crate) fn remove(&mut self, index: usize) -> T {
        assert!(index < self.len, "SysVec::remove out of bounds");
        // SAFETY: `index < len`: the element is initialised and read once; the tail moves
        // down over it.
        unsafe {
            let at = self.ptr.as_ptr().add(index);
            let value = at.read();
            core::ptr::copy(at.add(1), at, self.len - index - 1);
            self.len -= 1;
            value
        }
    }

    fn grow(&mut self) {
        let new_cap = (self.cap * 2).max(16);
        let new_layout = Layout::array::<T>(new_cap).expect("SysVec capacity");
        let new = if self.cap == 0 {
            System.alloc(new_layout)
        } else {
            let old_layout = Layout::array::<T>(self.cap).expect("SysVec capacity");
            // SAFETY: the buffer came from `System` with `old_layout`.
            unsafe { System.realloc(self.ptr.cast(), old_layout, new_layout.size()) }
        };
        let new = new.unwrap_or_else(|| std::alloc::handle_alloc_error(new_layout));
        self.ptr = new.cast();
        self.cap = new_cap;
    }
}

impl<T> Drop for SysVec<T> {
    fn drop(&mut self) {
        // SAFETY: the first `len` elements are initialised and dropped once here.
        unsafe { core::ptr::drop_in_place(self.as_mut_slice()) };
        if self.cap > 0 {
            let layout = Layout::array::<T>(self.cap).expect("SysVec capacity");
            // SAFETY: the buffer came from `System` with this layout.
            unsafe { System.dealloc(self.ptr.cast(), layout) };
        }
    }
}

impl<T> core::ops::Index<usize> for SysVec<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.as_slice()[i]
    }
}

impl<T> core::ops::IndexMut<usize> for SysVec<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.as_mut_slice()[i]
    }
}
