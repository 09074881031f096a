//! (L1) `gc.callbacks`: the phases, the info a callback receives, and the registry the
//! heap keeps (re-exported by [`crate::gc`]).

use std::rc::Rc;
use std::time::Duration;

/// The phase a [`gc` callback](crate::gc::add_callback) is called for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before a collection (CPython's `"start"`).
    Start,
    /// After it (CPython's `"stop"`).
    Stop,
}

impl Phase {
    /// CPython's phase string.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Start => "start",
            Phase::Stop => "stop",
        }
    }
}

/// The `info` a callback receives: CPython 3.13's keys, plus the two that 3.15 adds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallbackInfo {
    /// The generation being collected.
    pub generation: usize,
    /// Objects destroyed (0 at `Start`).
    pub collected: usize,
    /// Objects found unreachable but not destroyed (0 at `Start`).
    pub uncollectable: usize,
    /// Objects examined (0 at `Start`; CPython 3.15's `"candidates"`).
    pub candidates: usize,
    /// Time spent (zero at `Start`; CPython 3.15's `"duration"`).
    pub duration: Duration,
}

/// Identifies a registered callback, for [`remove_callback`](crate::gc::remove_callback).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CallbackId(pub(crate) u64);

/// The id [`add_callback`](crate::gc::add_callback) returns when it cannot register (ids count from 1).
pub(crate) const UNREGISTERED: u64 = 0;

/// A registered `gc` callback.
pub(crate) type Callback = Rc<dyn Fn(Phase, &CallbackInfo)>;
