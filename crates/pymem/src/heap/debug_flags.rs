//! (L1) The `gc.DEBUG_*` flags the heap keeps (re-exported by [`crate::gc`]).

bitflags::bitflags! {
    /// A set of `gc` debugging flags (CPython's `gc.DEBUG_*` bit mask; same values).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct DebugFlags: u32 {
        /// Print collection statistics to [`sys::stderr`](crate::sys::set_stderr).
        const STATS = 1;
        /// Print each unreachable object found collectable.
        const COLLECTABLE = 2;
        /// Print each unreachable object found uncollectable (pymem has no legacy `tp_del`
        /// finalizers, so no collection finds one), and at thread exit list `gc.garbage`
        /// after the "uncollectable objects at shutdown" warning instead of hinting at this
        /// flag.
        const UNCOLLECTABLE = 4;
        /// Keep unreachable objects in `gc.garbage` instead of destroying them.
        const SAVEALL = 32;
        /// `COLLECTABLE | UNCOLLECTABLE | SAVEALL`, for finding leaks.
        const LEAK = 2 | 4 | 32;
    }
}
