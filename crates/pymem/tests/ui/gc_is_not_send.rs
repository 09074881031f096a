// Scenario 37: a Gc belongs to its thread's heap; moving one to another thread must not compile.
fn assert_send<T: Send>() {}

fn main() {
    assert_send::<pymem::Gc<u32>>();
}
