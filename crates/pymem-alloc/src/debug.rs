//! `DebugAlloc`: CPython's debug memory hooks (`PYTHONMALLOC=debug`) as a decorator over any
//! [`RawAlloc`], plus a quarantine that catches writes after free.
//!
//! ```text
//!   base                       p (returned, aligned)                   p + n
//!   | ... | size (8) | 0xFD x8 | data: 0xCD when fresh, 0xDD freed | 0xFD x8 | serial (8) |
//! ```
//! At free the guard bytes and the recorded size are checked and the data is filled with
//! 0xDD; the block then waits in a FIFO quarantine, and when it leaves, the 0xDD fill is
//! checked before the memory goes back to the wrapped allocator. Any damage panics with a
//! [`DebugError`] naming the block by address and serial number.

use core::alloc::Layout;
use core::cell::{Cell, RefCell};
use core::fmt;
use core::ptr::NonNull;
use std::collections::VecDeque;

use crate::raw::RawAlloc;

const CLEANBYTE: u8 = 0xCD;
const DEADBYTE: u8 = 0xDD;
const FORBIDDENBYTE: u8 = 0xFD;
const GUARD: usize = 8;
/// Freed blocks held back before their memory is reused.
const QUARANTINE: usize = 1024;

/// What the checks found wrong with a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Damage {
    /// The guard bytes before the block were overwritten (buffer underflow).
    Underflow,
    /// The guard bytes after the block were overwritten (buffer overflow).
    Overflow,
    /// The block was freed with another size than it was allocated with.
    SizeMismatch {
        /// The size passed at free.
        freed_as: usize,
    },
    /// The block was written after it was freed.
    WriteAfterFree,
}

/// A damaged block, as reported (by panicking with this message) when it is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DebugError {
    /// What is wrong.
    pub damage: Damage,
    /// The block's address (CPython's `p`).
    pub address: usize,
    /// The block's serial number: the n-th allocation of this allocator.
    pub serial: u64,
    /// The size requested at allocation.
    pub size: usize,
}

impl fmt::Display for DebugError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let DebugError {
            address,
            serial,
            size,
            ..
        } = *self;
        write!(
            f,
            "Debug memory block at address p={address:#x} (serial {serial}, {size} bytes): "
        )?;
        match self.damage {
            Damage::Underflow => write!(
                f,
                "the {GUARD} bytes at p-{GUARD} are not all FORBIDDENBYTE (0xFD): buffer underflow"
            ),
            Damage::Overflow => write!(
                f,
                "the {GUARD} bytes at tail=p+{size} are not all FORBIDDENBYTE (0xFD): buffer overflow"
            ),
            Damage::SizeMismatch { freed_as } => {
                write!(
                    f,
                    "{size} bytes originally requested, freed as {freed_as} bytes"
                )
            }
            Damage::WriteAfterFree => {
                write!(
                    f,
                    "written after it was freed (its DEADBYTE (0xDD) fill changed)"
                )
            }
        }
    }
}

impl std::error::Error for DebugError {}

/// Wraps `A` with guard bytes, fill patterns, serial numbers and a free quarantine.
pub struct DebugAlloc<A: RawAlloc> {
    inner: A,
    serial: Cell<u64>,
    quarantine: RefCell<VecDeque<(NonNull<u8>, Layout)>>,
}

/// Bytes before the data: room for the size and the leading guard, and the alignment.
fn head(layout: Layout) -> usize {
    layout.align().max(2 * GUARD)
}

fn outer(layout: Layout) -> Layout {
    let size = head(layout) + layout.size() + 2 * GUARD;
    Layout::from_size_align(size, head(layout)).expect("debug block layout")
}

impl<A: RawAlloc> DebugAlloc<A> {
    /// Debug hooks around `inner`.
    pub fn new(inner: A) -> DebugAlloc<A> {
        DebugAlloc {
            inner,
            serial: Cell::new(0),
            quarantine: RefCell::new(VecDeque::new()),
        }
    }

    /// The wrapped allocator.
    pub fn inner(&self) -> &A {
        &self.inner
    }

    /// Freed blocks held in the quarantine (still allocated in the wrapped allocator).
    pub fn quarantined(&self) -> usize {
        self.quarantine.borrow().len()
    }

    /// Checks and releases every quarantined block (the quarantine also drains itself as
    /// blocks are freed, and on drop).
    pub fn flush(&self) {
        loop {
            // The borrow ends here: `release` may put a damaged block back.
            let next = self.quarantine.borrow_mut().pop_front();
            let Some((p, layout)) = next else { break };
            self.release(p, layout);
        }
    }

    /// Checks a quarantined block's fill, then gives its memory back. A damaged block goes
    /// back to the front of the quarantine before the report, so it stays allocated for
    /// inspection (and a program that repairs it can flush again).
    fn release(&self, p: NonNull<u8>, layout: Layout) {
        // SAFETY: quarantined blocks are live blocks of `inner`, filled by `dealloc`.
        let data = unsafe { core::slice::from_raw_parts(p.as_ptr(), layout.size()) };
        if data.iter().any(|&b| b != DEADBYTE) {
            self.quarantine.borrow_mut().push_front((p, layout));
            report(Damage::WriteAfterFree, p, layout.size(), layout);
        }
        // SAFETY: `base` and `outer` are what `alloc` got from `inner`.
        unsafe {
            self.inner.dealloc(
                NonNull::new_unchecked(p.as_ptr().sub(head(layout))),
                outer(layout),
            )
        }
    }

    fn check(&self, p: NonNull<u8>, layout: Layout) {
        // SAFETY: `p` is a live debug block, so its head and tail exist.
        let (recorded, before, after) = unsafe {
            let base = p.as_ptr();
            let recorded = base.sub(2 * GUARD).cast::<usize>().read_unaligned();
            let before = core::slice::from_raw_parts(base.sub(GUARD), GUARD);
            let after = core::slice::from_raw_parts(base.add(layout.size()), GUARD);
            (recorded, before, after)
        };
        if before.iter().any(|&b| b != FORBIDDENBYTE) {
            report(Damage::Underflow, p, recorded, layout);
        }
        if recorded != layout.size() {
            report(
                Damage::SizeMismatch {
                    freed_as: layout.size(),
                },
                p,
                recorded,
                layout,
            );
        }
        if after.iter().any(|&b| b != FORBIDDENBYTE) {
            report(Damage::Overflow, p, recorded, layout);
        }
    }
}

/// The serial number stored after a block's tail guard.
fn serial_of(p: NonNull<u8>, layout: Layout) -> u64 {
    // SAFETY: debug blocks have 8 bytes of serial after the tail guard.
    unsafe {
        p.as_ptr()
            .add(layout.size() + GUARD)
            .cast::<u64>()
            .read_unaligned()
    }
}

/// Panics with the [`DebugError`] for `p` (CPython stops with a fatal error instead).
#[cold]
fn report(damage: Damage, p: NonNull<u8>, size: usize, layout: Layout) -> ! {
    let error = DebugError {
        damage,
        address: p.as_ptr().addr(),
        serial: serial_of(p, layout),
        size,
    };
    panic!("{error}")
}

// SAFETY: every block handed out is `layout.size()` bytes inside a larger block of `inner`,
// aligned to `head(layout)` >= `layout.align()`; it goes back to `inner` (after quarantine)
// with the same outer layout.
unsafe impl<A: RawAlloc> RawAlloc for DebugAlloc<A> {
    fn alloc(&self, layout: Layout) -> Option<NonNull<u8>> {
        let base = self.inner.alloc(outer(layout))?;
        let serial = self.serial.get() + 1;
        self.serial.set(serial);
        let n = layout.size();
        // SAFETY: the outer block holds head + n + 16 bytes, so every write is in bounds.
        unsafe {
            let p = base.as_ptr().add(head(layout));
            p.sub(2 * GUARD).cast::<usize>().write_unaligned(n);
            p.sub(GUARD).write_bytes(FORBIDDENBYTE, GUARD);
            p.write_bytes(CLEANBYTE, n);
            p.add(n).write_bytes(FORBIDDENBYTE, GUARD);
            p.add(n + GUARD).cast::<u64>().write_unaligned(serial);
            Some(NonNull::new_unchecked(p))
        }
    }

    unsafe fn dealloc(&self, ptr: NonNull<u8>, layout: Layout) {
        self.check(ptr, layout);
        // SAFETY: the block is live and `layout.size()` bytes long (just checked).
        unsafe { ptr.as_ptr().write_bytes(DEADBYTE, layout.size()) };
        let evicted = {
            let mut q = self.quarantine.borrow_mut();
            q.push_back((ptr, layout));
            (q.len() > QUARANTINE).then(|| q.pop_front()).flatten()
        };
        if let Some((p, l)) = evicted {
            self.release(p, l);
        }
    }
}

impl<A: RawAlloc + Default> Default for DebugAlloc<A> {
    fn default() -> DebugAlloc<A> {
        DebugAlloc::new(A::default())
    }
}

impl<A: RawAlloc> Drop for DebugAlloc<A> {
    fn drop(&mut self) {
        self.flush();
    }
}
