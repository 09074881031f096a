//! `gc.set_debug` / `gc.get_debug` and the `DEBUG_*` flags.

use core::ops::{BitOr, BitOrAssign};

use crate::heap;

/// A set of `gc` debugging flags (CPython's `gc.DEBUG_*` bit mask; same values).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DebugFlags(u32);

impl DebugFlags {
    /// Print collection statistics to [`sys::stderr`](crate::sys::set_stderr).
    pub const STATS: DebugFlags = DebugFlags(1);
    /// Print each unreachable object found collectable.
    pub const COLLECTABLE: DebugFlags = DebugFlags(2);
    /// Print each unreachable object found uncollectable (pymem has no legacy `tp_del`
    /// finalizers, so no collection finds one), and at thread exit list `gc.garbage` after
    /// the "uncollectable objects at shutdown" warning instead of hinting at this flag.
    pub const UNCOLLECTABLE: DebugFlags = DebugFlags(4);
    /// Keep unreachable objects in `gc.garbage` instead of destroying them.
    pub const SAVEALL: DebugFlags = DebugFlags(32);
    /// `COLLECTABLE | UNCOLLECTABLE | SAVEALL`, for finding leaks.
    pub const LEAK: DebugFlags = DebugFlags(2 | 4 | 32);

    /// No flags.
    pub const fn empty() -> DebugFlags {
        DebugFlags(0)
    }

    /// From CPython's integer mask; bits CPython does not define are dropped.
    pub const fn from_bits_truncate(bits: u32) -> DebugFlags {
        DebugFlags(bits & (1 | 2 | 4 | 32))
    }

    /// CPython's integer mask.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: DebugFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for DebugFlags {
    type Output = DebugFlags;

    fn bitor(self, rhs: DebugFlags) -> DebugFlags {
        DebugFlags(self.0 | rhs.0)
    }
}

impl BitOrAssign for DebugFlags {
    fn bitor_assign(&mut self, rhs: DebugFlags) {
        self.0 |= rhs.0;
    }
}

/// `gc.DEBUG_STATS`.
pub const DEBUG_STATS: DebugFlags = DebugFlags::STATS;
/// `gc.DEBUG_COLLECTABLE`.
pub const DEBUG_COLLECTABLE: DebugFlags = DebugFlags::COLLECTABLE;
/// `gc.DEBUG_UNCOLLECTABLE`.
pub const DEBUG_UNCOLLECTABLE: DebugFlags = DebugFlags::UNCOLLECTABLE;
/// `gc.DEBUG_SAVEALL`.
pub const DEBUG_SAVEALL: DebugFlags = DebugFlags::SAVEALL;
/// `gc.DEBUG_LEAK`.
pub const DEBUG_LEAK: DebugFlags = DebugFlags::LEAK;

/// `gc.set_debug(flags)`.
pub fn set_debug(flags: DebugFlags) {
    if let Some(heap) = heap::current() {
        heap.debug.set(flags);
    }
}

/// `gc.get_debug()`.
pub fn get_debug() -> DebugFlags {
    heap::current().map_or(DebugFlags::empty(), |heap| heap.debug.get())
}
