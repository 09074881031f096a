//! (L1) The types of the objects the last collection freed, counted only while a tool asks
//! for them ([`crate::gc::set_count_freed_types`]): a per-collection report needs the
//! garbage's types before the values are dropped, and nothing else should pay for them.

use core::cell::{Cell, RefCell};

/// The switch and the last collection's tally, type names in order of first appearance.
#[derive(Default)]
pub(crate) struct FreedTypes {
    enabled: Cell<bool>,
    last: RefCell<Vec<(&'static str, usize)>>,
}

impl FreedTypes {
    pub(crate) fn is_enabled(&self) -> bool {
        self.enabled.get()
    }

    pub(crate) fn set_enabled(&self, enabled: bool) {
        self.enabled.set(enabled);
        self.last.borrow_mut().clear();
    }

    /// Replaces the tally with `names` counted (distinct types are few: a linear search).
    pub(crate) fn record(&self, names: impl Iterator<Item = &'static str>) {
        let mut last = self.last.borrow_mut();
        last.clear();
        for name in names {
            match last.iter_mut().find(|(n, _)| *n == name) {
                Some((_, count)) => *count += 1,
                None => last.push((name, 1)),
            }
        }
    }

    pub(crate) fn last(&self) -> Vec<(&'static str, usize)> {
        self.last.borrow().clone()
    }
}
