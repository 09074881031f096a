//! (L0) Intrusive, circular, doubly linked lists of tracked objects (CPython's `gc_list_*`).
//!
//! A [`GcList`] is a list head living inside the boxed heap, so its address never changes
//! once [`GcList::init`] has run. Its elements are the [`Links`] in front of tracked objects
//! ([`ObjLinks`]); a place in a list, element or head, is an [`AnyLinks`].
//! During a collection the lists being collected are singly linked (`prev` holds `gc_refs`)
//! and [`GcList::validate`] states, for each phase, whether COLLECTING is expected.

use core::ptr::NonNull;

use crate::header::{Links, ObjLinks};

/// The links at a place in a list: an object's ([`ObjLinks`]) or a list head's.
///
/// Invariant: the `Links` are allocated (a tracked object's block that is not yet freed, or
/// a `GcList` head inside the live heap).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct AnyLinks(NonNull<Links>);

impl AnyLinks {
    #[inline]
    fn fields(&self) -> &Links {
        // SAFETY: by the type invariant the `Links` are allocated.
        unsafe { self.0.as_ref() }
    }

    #[inline]
    pub(crate) fn next(self) -> AnyLinks {
        AnyLinks(self.fields().next_ptr())
    }

    #[inline]
    pub(crate) fn prev(self) -> AnyLinks {
        AnyLinks(self.fields().prev_ptr())
    }

    #[inline]
    pub(crate) fn set_next(self, next: AnyLinks) {
        self.fields().set_next(next.0)
    }

    /// `self.prev = prev`, keeping `self`'s flag bits (CPython's `_PyGCHead_SET_PREV`).
    #[inline]
    pub(crate) fn set_prev_keep_flags(self, prev: AnyLinks) {
        self.fields().set_prev_keep_flags(prev.0)
    }
}

impl ObjLinks {
    /// These links as a place in a list.
    #[inline]
    pub(crate) fn any(self) -> AnyLinks {
        AnyLinks(self.as_ptr())
    }
}

/// A list head (CPython: a `PyGC_Head` used as a list).
pub(crate) struct GcList {
    head: Links,
}

/// Which collection-time mark every node of a list must carry (CPython's `flagstates`).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(feature = "expensive-checks"), allow(dead_code))]
pub(crate) enum Marks {
    /// Between collections, and survivors: real prev pointers, no COLLECTING.
    None,
    /// The unreachable set: COLLECTING set, prev pointers valid.
    Collecting,
}

impl GcList {
    /// An uninitialized head; call [`GcList::init`] once it has its final address.
    pub(crate) const fn new() -> GcList {
        GcList {
            head: Links::untracked(),
        }
    }

    /// Makes the list empty (head points to itself). Also used to reset after a splice.
    pub(crate) fn init(&self) {
        let me = self.any().0;
        self.head.set_next(me);
        self.head.set_prev(me);
    }

    #[inline]
    pub(crate) fn any(&self) -> AnyLinks {
        AnyLinks(NonNull::from(&self.head))
    }

    /// The object at `node`, or `None` when `node` is this list's head.
    #[inline]
    pub(crate) fn obj_at(&self, node: AnyLinks) -> Option<ObjLinks> {
        // SAFETY: every node of a list other than its head is a tracked object's `Links`.
        (node != self.any()).then(|| unsafe { ObjLinks::from_ptr(node.0) })
    }

    #[inline]
    pub(crate) fn first(&self) -> Option<ObjLinks> {
        self.obj_at(self.any().next())
    }

    /// The object after `obj`, or `None` at the end.
    #[inline]
    pub(crate) fn after(&self, obj: ObjLinks) -> Option<ObjLinks> {
        self.obj_at(obj.any().next())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.any().next() == self.any()
    }

    /// Appends `obj` at the tail (CPython's `gc_list_append`); keeps `obj`'s flag bits.
    #[inline]
    pub(crate) fn append(&self, obj: ObjLinks) {
        let head = self.any();
        let last = head.prev();
        obj.any().set_prev_keep_flags(last);
        last.set_next(obj.any());
        obj.any().set_next(head);
        self.head.set_prev(obj.as_ptr());
    }

    /// Moves `obj` from whatever list it is in to this list's tail (CPython's `gc_list_move`).
    pub(crate) fn move_in(&self, obj: ObjLinks) {
        unlink(obj);
        self.append(obj);
    }

    /// Splices all of `from` onto this list's tail; `from` becomes empty (`gc_list_merge`).
    pub(crate) fn merge_from(&self, from: &GcList) {
        debug_assert!(!core::ptr::eq(self, from));
        if !from.is_empty() {
            let to_tail = self.any().prev();
            let from_head = from.any().next();
            let from_tail = from.any().prev();
            to_tail.set_next(from_head);
            from_head.set_prev_keep_flags(to_tail);
            from_tail.set_next(self.any());
            self.head.set_prev(from_tail.0);
        }
        from.init();
    }

    /// Ends the list at `tail` (after a sweep that relinked its nodes one by one).
    pub(crate) fn close(&self, tail: AnyLinks) {
        tail.set_next(self.any());
        self.head.set_prev(tail.0);
    }

    /// Number of objects (CPython's `gc_list_size`): a walk, O(n).
    pub(crate) fn len(&self) -> usize {
        self.iter().count()
    }

    /// Follows `next` words only, so it is valid in every phase.
    pub(crate) fn iter(&self) -> impl Iterator<Item = ObjLinks> + '_ {
        core::iter::successors(self.first(), |&obj| self.after(obj))
    }

    /// Rebuilds a list after a panic in the middle of a collection: follows `next` words
    /// (valid in every phase), restores each `prev` pointer and drops the COLLECTING marks.
    pub(crate) fn repair(&self) {
        let mut prev = self.any();
        for obj in self.iter() {
            obj.fields().set_prev(prev.0);
            prev = obj.any();
        }
        self.head.set_prev(prev.0);
    }

    /// Checks links and marks of every node (CPython's `validate_list`). O(n).
    #[cfg(feature = "expensive-checks")]
    pub(crate) fn validate(&self, marks: Marks) {
        let collecting = matches!(marks, Marks::Collecting);
        assert!(!self.head.prev_has_flags(), "polluted list head");
        let mut prev = self.any();
        for obj in self.iter() {
            assert_eq!(obj.any().prev(), prev, "prev link does not match");
            assert_eq!(obj.is_collecting(), collecting, "COLLECTING bit");
            assert!(obj.obj().refcnt() > 0, "listed object with a zero count");
            prev = obj.any();
        }
        assert_eq!(self.any().prev(), prev, "head prev is not the tail");
    }

    /// Checks nothing unless the `expensive-checks` feature is on.
    #[cfg(not(feature = "expensive-checks"))]
    #[inline(always)]
    pub(crate) fn validate(&self, _marks: Marks) {}
}

/// Unlinks `obj` from its list, leaving its own words untouched (the caller relinks it or
/// calls [`untrack`]).
#[inline]
fn unlink(obj: ObjLinks) {
    let prev = obj.any().prev();
    let next = obj.any().next();
    prev.set_next(next);
    next.set_prev_keep_flags(prev);
}

/// Removes `obj` from its list and marks it untracked (CPython's `gc_list_remove` +
/// `_PyObject_GC_UNTRACK`). Idempotent.
#[inline]
pub(crate) fn untrack(obj: ObjLinks) {
    if obj.is_tracked() {
        unlink(obj);
        obj.fields().set_untracked();
    }
}
