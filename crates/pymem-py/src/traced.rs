//! (L0) Memory an object owns outside its pymem block, shown to tracemalloc.
//!
//! CPython allocates a str's characters inside the str object and a bytearray's buffer with
//! `PyObject_Malloc`, so tracemalloc counts them at the line that made them. pymem-py keeps
//! both in Rust allocations beside the object's block; this module reports those
//! allocations with `tracemalloc::track` (CPython's `PyTraceMalloc_Track`) in a domain of
//! their own, and untracks them when they are freed or move. While tracemalloc is off each
//! call is one thread-local check.

use std::cell::{Ref, RefCell, RefMut};
use std::ops::{Deref, DerefMut};

use pymem::tracemalloc;

/// The tracemalloc domain of the buffers objects own (CPython's are in domain 0 with the
/// objects; pymem's domain 0 is its heap's blocks).
pub(crate) const BUFFER_DOMAIN: u32 = 1;

/// Reports `size` bytes at `ptr` (nothing for an empty allocation, which has no address).
#[inline]
pub(crate) fn track(ptr: *const u8, size: usize) {
    if size > 0 && tracemalloc::is_tracing() {
        // Fails only when tracing stopped meanwhile: nothing to record then.
        let _ = tracemalloc::track(BUFFER_DOMAIN, ptr.addr(), size);
    }
}

/// Forgets the allocation at `ptr` (an address never tracked is ignored).
#[inline]
pub(crate) fn untrack(ptr: *const u8, size: usize) {
    if size > 0 && tracemalloc::is_tracing() {
        let _ = tracemalloc::untrack(BUFFER_DOMAIN, ptr.addr());
    }
}

/// A bytearray's buffer: a `RefCell<Vec<u8>>` whose allocation tracemalloc sees, traced
/// again whenever a mutable borrow ends with the buffer moved or resized.
pub(crate) struct TracedBytes(RefCell<Vec<u8>>);

impl TracedBytes {
    pub(crate) fn new(v: Vec<u8>) -> Self {
        track(v.as_ptr(), v.capacity());
        TracedBytes(RefCell::new(v))
    }

    #[inline]
    pub(crate) fn borrow(&self) -> Ref<'_, Vec<u8>> {
        self.0.borrow()
    }

    pub(crate) fn borrow_mut(&self) -> BytesMut<'_> {
        let v = self.0.borrow_mut();
        let (ptr, capacity) = (v.as_ptr(), v.capacity());
        BytesMut { v, ptr, capacity }
    }
}

impl Drop for TracedBytes {
    fn drop(&mut self) {
        let v = self.0.get_mut();
        untrack(v.as_ptr(), v.capacity());
    }
}

/// A mutable borrow of a [`TracedBytes`]; re-reports the allocation if it changed.
pub(crate) struct BytesMut<'a> {
    v: RefMut<'a, Vec<u8>>,
    ptr: *const u8,
    capacity: usize,
}

impl Deref for BytesMut<'_> {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.v
    }
}

impl DerefMut for BytesMut<'_> {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.v
    }
}

impl Drop for BytesMut<'_> {
    fn drop(&mut self) {
        if (self.v.as_ptr(), self.v.capacity()) != (self.ptr, self.capacity) {
            untrack(self.ptr, self.capacity);
            track(self.v.as_ptr(), self.v.capacity());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes traced now.
    fn traced() -> usize {
        tracemalloc::get_traced_memory().0
    }

    #[test]
    fn a_buffer_is_traced_while_it_lives_and_retraced_when_it_moves() {
        tracemalloc::start(1).unwrap();
        let base = traced();
        let b = TracedBytes::new(vec![0; 1000]);
        assert_eq!(traced(), base + 1000);
        b.borrow_mut().extend_from_slice(&[1; 5000]);
        let capacity = b.borrow().capacity();
        assert!(capacity >= 6000);
        assert_eq!(traced(), base + capacity, "the old allocation is forgotten");
        drop(b);
        assert_eq!(traced(), base);
        let s = crate::obj::PyStr::new("x".repeat(300).into());
        assert_eq!(traced(), base + 300);
        drop(s);
        assert_eq!(traced(), base);
        tracemalloc::stop();
    }

    #[test]
    fn nothing_is_traced_while_tracemalloc_is_off() {
        let b = TracedBytes::new(vec![0; 100]);
        tracemalloc::start(1).unwrap();
        let base = traced();
        drop(b);
        assert_eq!(
            traced(),
            base,
            "untracking an allocation never traced does nothing"
        );
        tracemalloc::stop();
    }
}
