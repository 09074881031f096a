//! (L0) [`Trace`] for std types. Types that cannot own a `Gc` are untracked (`TRACKED = false`);
//! containers are tracked exactly when their elements are.
//!
//! There is deliberately no impl for `Rc`, `Arc`, `&T` or `UnsafeCell`: what they point to
//! is shared or not owned, so reporting it could count one edge twice (see the `Trace`
//! contract). `Cell<T>` is traced in place, for any `T` (so `Cell<Option<Gc<T>>>` works).

use core::cell::{Cell, OnceCell, RefCell};
use core::hash::BuildHasher;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};

use crate::trace::{Place, Trace, TraceDyn, Visitor};

/// Implements an untracked, edge-free `Trace` for each listed type.
macro_rules! no_edges {
    ($($ty:ty),* $(,)?) => {$(
        // SAFETY: values of this type own no `Gc` or `Weak`.
        unsafe impl Trace for $ty {
            const TRACKED: bool = false;
            #[inline]
            fn trace(&self, _: &mut Visitor<'_>) {}
        }
    )*};
}

no_edges!(
    (),
    bool,
    char,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    str,
    String,
    &'static str,
    std::ffi::OsString,
    std::path::PathBuf,
    core::time::Duration,
    std::time::Instant,
    std::time::SystemTime,
    core::any::TypeId,
    core::cmp::Ordering,
    core::num::NonZeroU8,
    core::num::NonZeroU16,
    core::num::NonZeroU32,
    core::num::NonZeroU64,
    core::num::NonZeroU128,
    core::num::NonZeroUsize,
    core::num::NonZeroI8,
    core::num::NonZeroI16,
    core::num::NonZeroI32,
    core::num::NonZeroI64,
    core::num::NonZeroI128,
    core::num::NonZeroIsize,
);

/// Stands in for a type inside its own definition when `#[derive(Trace)]` computes
/// `TRACKED` (a field of type `Box<Self>` adds nothing to "can this type own a `Gc`").
#[doc(hidden)]
pub struct NoEdges;

no_edges!(NoEdges);

// SAFETY: `PhantomData` owns nothing.
unsafe impl<T: ?Sized> Trace for core::marker::PhantomData<T> {
    const TRACKED: bool = false;
    #[inline]
    fn trace(&self, _: &mut Visitor<'_>) {}
}

/// Implements `Trace` for a container by tracing each element it yields once.
macro_rules! trace_elements {
    ($(impl<$($g:ident),*> for $ty:ty, $elem:ident => $each:expr $(, labelled $labelled:expr)?;)*) => {$(
        // SAFETY: the container owns its elements; iterating visits each exactly once and
        // runs no user code.
        unsafe impl<$($g: Trace),*> Trace for $ty {
            const TRACKED: bool = trace_elements!(@tracked $($g)*);
            #[inline]
            fn trace(&self, visitor: &mut Visitor<'_>) {
                if Self::TRACKED {
                    let $elem = self;
                    $each(visitor);
                }
            }
            $(
            fn trace_labelled(&self, visitor: &mut Visitor<'_>) {
                if Self::TRACKED {
                    let $elem = self;
                    $labelled(visitor);
                }
            }
            )?
        }
    )*};
    (@tracked $($g:ident)*) => { false $(|| $g::TRACKED)* };
}

/// Each element of `items`, labelled with its index (`trace_labelled`).
fn trace_indexed<'a, T: Trace + 'a>(items: impl Iterator<Item = &'a T>, visitor: &mut Visitor<'_>) {
    for (i, item) in items.enumerate() {
        visitor.at(Place::Index(i), |v| item.trace_labelled(v));
    }
}

trace_elements! {
    impl<T> for Vec<T>, v => |t: &mut Visitor<'_>| T::trace_slice(v, t),
        labelled |t: &mut Visitor<'_>| trace_indexed(v.iter(), t);
    impl<T> for VecDeque<T>, v => |t: &mut Visitor<'_>| {
        let (front, back) = v.as_slices();
        T::trace_slice(front, t);
        T::trace_slice(back, t);
    }, labelled |t: &mut Visitor<'_>| trace_indexed(v.iter(), t);
    impl<T> for LinkedList<T>, v => |t: &mut Visitor<'_>| v.iter().for_each(|x| x.trace(t));
    impl<T> for BinaryHeap<T>, v => |t: &mut Visitor<'_>| v.iter().for_each(|x| x.trace(t));
    impl<T> for BTreeSet<T>, v => |t: &mut Visitor<'_>| v.iter().for_each(|x| x.trace(t));
    impl<T> for Option<T>, v => |t: &mut Visitor<'_>| v.iter().for_each(|x| x.trace(t)),
        labelled |t: &mut Visitor<'_>| v.iter().for_each(|x| x.trace_labelled(t));
    impl<T> for Box<[T]>, v => |t: &mut Visitor<'_>| T::trace_slice(v, t),
        labelled |t: &mut Visitor<'_>| trace_indexed(v.iter(), t);
    impl<T> for Box<T>, v => |t: &mut Visitor<'_>| (**v).trace(t),
        labelled |t: &mut Visitor<'_>| (**v).trace_labelled(t);
    impl<T> for OnceCell<T>, v => |t: &mut Visitor<'_>| v.get().iter().for_each(|x| x.trace(t));
    impl<T, E> for Result<T, E>, v => |t: &mut Visitor<'_>| match v {
        Ok(x) => x.trace(t),
        Err(e) => e.trace(t),
    };
    impl<K, V> for BTreeMap<K, V>, v => |t: &mut Visitor<'_>| v.iter().for_each(|(k, x)| {
        k.trace(t);
        x.trace(t);
    });
}

// SAFETY: as `trace_elements!`; the hasher is not traced (a `Gc` hidden in it can only
// leak, never be freed early).
unsafe impl<K: Trace, V: Trace, S: BuildHasher> Trace for HashMap<K, V, S> {
    const TRACKED: bool = K::TRACKED || V::TRACKED;
    fn trace(&self, visitor: &mut Visitor<'_>) {
        if Self::TRACKED {
            for (k, v) in self {
                k.trace(visitor);
                v.trace(visitor);
            }
        }
    }
}

// SAFETY: as for `HashMap`.
unsafe impl<T: Trace, S: BuildHasher> Trace for HashSet<T, S> {
    const TRACKED: bool = T::TRACKED;
    fn trace(&self, visitor: &mut Visitor<'_>) {
        if Self::TRACKED {
            self.iter().for_each(|x| x.trace(visitor));
        }
    }
}

// SAFETY: the slice owns its elements; each is visited once.
unsafe impl<T: Trace> Trace for [T] {
    const TRACKED: bool = T::TRACKED;
    #[inline]
    fn trace(&self, visitor: &mut Visitor<'_>) {
        if Self::TRACKED {
            T::trace_slice(self, visitor);
        }
    }

    fn trace_labelled(&self, visitor: &mut Visitor<'_>) {
        if Self::TRACKED {
            trace_indexed(self.iter(), visitor);
        }
    }
}

// SAFETY: the array owns its elements; each is visited once.
unsafe impl<T: Trace, const N: usize> Trace for [T; N] {
    const TRACKED: bool = T::TRACKED;
    fn trace(&self, visitor: &mut Visitor<'_>) {
        self.as_slice().trace(visitor)
    }

    fn trace_labelled(&self, visitor: &mut Visitor<'_>) {
        self.as_slice().trace_labelled(visitor)
    }
}

// SAFETY: a `Box<str>` owns no `Gc`.
unsafe impl Trace for Box<str> {
    const TRACKED: bool = false;
    fn trace(&self, _: &mut Visitor<'_>) {}
}

// SAFETY: forwards to the boxed value's own `Trace`, through the sealed `TraceDyn`.
unsafe impl Trace for Box<dyn TraceDyn> {
    fn trace(&self, visitor: &mut Visitor<'_>) {
        (**self).trace_dyn(visitor)
    }
}

// SAFETY: `RefCell::try_borrow` runs no user code. While the cell is mutably borrowed its
// contents cannot be read, so it reports itself untraceable: the collector then treats the
// object as referenced from outside (safe: at worst a leak until the borrow ends).
unsafe impl<T: Trace + ?Sized> Trace for RefCell<T> {
    const TRACKED: bool = T::TRACKED;
    fn trace(&self, visitor: &mut Visitor<'_>) {
        match self.try_borrow() {
            Ok(value) => value.trace(visitor),
            Err(_) => visitor.mark_untraceable(),
        }
    }

    fn trace_labelled(&self, visitor: &mut Visitor<'_>) {
        match self.try_borrow() {
            Ok(value) => value.trace_labelled(visitor),
            Err(_) => visitor.mark_untraceable(),
        }
    }
}

// SAFETY: the cell owns its value, traced once, in place. Taking it out instead (`take`)
// would need `Default`, user code, and would mutate the cell.
unsafe impl<T: Trace + ?Sized> Trace for Cell<T> {
    const TRACKED: bool = T::TRACKED;
    fn trace(&self, visitor: &mut Visitor<'_>) {
        // SAFETY: a `Cell` hands out no reference to its value (only `get_mut`, which needs
        // the `&mut Cell` that our `&self` excludes), so the only way to invalidate this
        // shared borrow is to replace the value (`set`, `replace`, `take`, `swap`) while it
        // lives. Only `Trace` impls run until `trace` returns, and rule 3 of the `Trace`
        // contract forbids them to mutate anything.
        unsafe { (*self.as_ptr()).trace(visitor) }
    }
}

/// Implements `Trace` for tuples: each field once.
macro_rules! trace_tuples {
    ($(($($name:ident),+))*) => {$(
        // SAFETY: a tuple owns its fields; each is visited once.
        unsafe impl<$($name: Trace),+> Trace for ($($name,)+) {
            const TRACKED: bool = false $(|| $name::TRACKED)+;
            #[allow(non_snake_case)]
            fn trace(&self, visitor: &mut Visitor<'_>) {
                let ($($name,)+) = self;
                $($name.trace(visitor);)+
            }
        }
    )*};
}

trace_tuples! {
    (A) (A, B) (A, B, C) (A, B, C, D) (A, B, C, D, E) (A, B, C, D, E, F) (A, B, C, D, E, F, G)
    (A, B, C, D, E, F, G, H) (A, B, C, D, E, F, G, H, I) (A, B, C, D, E, F, G, H, I, J)
    (A, B, C, D, E, F, G, H, I, J, K) (A, B, C, D, E, F, G, H, I, J, K, L)
}
