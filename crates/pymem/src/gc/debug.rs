//! (L4) `gc.set_debug` / `gc.get_debug` and the `DEBUG_*` flags.

pub use crate::heap::DebugFlags;
use crate::heap::{self, Heap};

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
///
/// ```
/// use pymem::gc;
///
/// gc::set_debug(gc::DEBUG_STATS | gc::DEBUG_COLLECTABLE);
/// assert_eq!(gc::get_debug().bits(), 3); // CPython's values
/// gc::set_debug(gc::DebugFlags::empty());
/// ```
pub fn set_debug(flags: DebugFlags) {
    if let Some(heap) = heap::current() {
        heap.set_debug_flags(flags);
    }
}

/// `gc.get_debug()`.
///
/// ```
/// assert!(pymem::gc::get_debug().is_empty()); // no flags by default
/// ```
pub fn get_debug() -> DebugFlags {
    heap::current().map_or(DebugFlags::empty(), Heap::debug_flags)
}
