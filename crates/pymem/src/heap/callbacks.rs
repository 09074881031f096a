//! (L1) `gc.callbacks`: the phases, the info a callback receives, and the registry the
//! heap keeps (re-exported by [`crate::gc`]).

use core::cell::{Cell, RefCell};
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

/// `gc.callbacks`: the registered callbacks in order, and the next id.
pub(crate) struct Callbacks {
    list: RefCell<Vec<(CallbackId, Callback)>>,
    next_id: Cell<u64>,
}

impl Callbacks {
    pub(crate) fn new() -> Callbacks {
        Callbacks {
            list: RefCell::new(Vec::new()),
            next_id: Cell::new(UNREGISTERED + 1),
        }
    }

    /// Registers `callback` at the end; its id.
    pub(crate) fn add(&self, callback: Callback) -> CallbackId {
        let id = CallbackId(self.next_id.get());
        self.next_id.set(id.0 + 1);
        self.list.borrow_mut().push((id, callback));
        id
    }

    /// Unregisters `id`; what was removed, for the caller to drop outside the borrow (a
    /// closure's drop may use `gc`).
    pub(crate) fn remove(&self, id: CallbackId) -> Vec<(CallbackId, Callback)> {
        let mut list = self.list.borrow_mut();
        list.extract_if(.., |(other, _)| *other == id).collect()
    }

    /// Unregisters every callback; they are the caller's to drop.
    pub(crate) fn take(&self) -> Vec<(CallbackId, Callback)> {
        self.list.take()
    }

    /// A copy of the list for one phase, so that callbacks may add or remove callbacks.
    pub(crate) fn snapshot(&self) -> Vec<(CallbackId, Callback)> {
        self.list.borrow().clone()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.borrow().is_empty()
    }
}
