// Scenario 37: a Gc shared between threads would race on its count; it must not compile.
fn assert_sync<T: Sync>() {}

fn main() {
    assert_sync::<pymem::Gc<u32>>();
}
