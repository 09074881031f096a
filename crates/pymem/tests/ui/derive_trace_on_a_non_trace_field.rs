// A derived Trace visits every field: a field type with no Trace impl must not compile
// (silently skipping it could hide a Gc from the collector). `#[trace(skip)]` opts out.
struct Opaque;

#[derive(pymem::Trace)]
struct Holder {
    opaque: Opaque,
}

fn main() {
    let _ = Holder { opaque: Opaque }.opaque;
}
