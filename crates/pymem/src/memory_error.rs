//! (L0) [`MemoryError`]: what [`Gc::try_new`](crate::Gc::try_new) returns when no block could be
//! allocated (CPython's `MemoryError`), with the value handed back.

use core::alloc::Layout;
use core::any::type_name;
use core::fmt;

/// An object allocation failed (CPython raises `MemoryError`). It holds the value that was
/// to be moved into the object, so nothing is lost: [`into_inner`](MemoryError::into_inner)
/// gives it back. The failed allocation changed no count (`gc.get_count()`, the pools'
/// statistics, tracemalloc's traced memory) and ran no collection.
///
/// ```
/// use pymem::{Gc, MemoryError};
///
/// fn boxed(name: String) -> Result<Gc<String>, String> {
///     Gc::try_new(name).map_err(MemoryError::into_inner)
/// }
/// assert_eq!(*boxed("a".to_string()).unwrap(), "a");
/// ```
pub struct MemoryError<T> {
    value: T,
    layout: Layout,
}

impl<T> MemoryError<T> {
    pub(crate) fn new(value: T, layout: Layout) -> MemoryError<T> {
        MemoryError { value, layout }
    }

    /// The value that was not moved into an object.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The block that could not be allocated: header(s) and value, as
    /// [`sys::getsizeof`](crate::sys::getsizeof) would have reported.
    pub fn layout(&self) -> Layout {
        self.layout
    }
}

/// Without a `T: Debug` bound (as `std::sync::mpsc::SendError`), so that `?` can turn it
/// into a `Box<dyn Error>` for any value.
impl<T> fmt::Debug for MemoryError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryError")
            .field("type_name", &type_name::<T>())
            .field("layout", &self.layout)
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Display for MemoryError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let size = self.layout.size();
        write!(
            f,
            "memory allocation of {size} bytes failed (a Gc<{}>)",
            type_name::<T>()
        )
    }
}

impl<T> std::error::Error for MemoryError<T> {}
