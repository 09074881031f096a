// A `FreeList` impl on a type derived without `#[trace(freelist)]` would never be connected
// to `Gc::new` and the deallocation; it must not compile.
use pymem::freelist::{FreeList, FreeListSpec};

#[derive(pymem::Trace)]
struct Float(#[trace(skip)] f64);

impl FreeList for Float {
    const LISTS: &'static [FreeListSpec] = &[FreeListSpec::new("PyFloatObject", 100)];
}

fn main() {
    let _ = Float(1.0).0;
}
