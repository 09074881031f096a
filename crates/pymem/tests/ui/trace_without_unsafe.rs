// Scenario 37: Trace is an unsafe trait (its contract is the collector's soundness); an impl
// without `unsafe` must not compile. `#[derive(Trace)]` is the safe way.
struct Leaf(u32);

impl pymem::Trace for Leaf {
    fn trace(&self, _tracer: &mut pymem::Visitor<'_>) {}
}

fn main() {
    let _ = Leaf(1).0;
}
