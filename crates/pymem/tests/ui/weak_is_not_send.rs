// Scenario 37: a Weak names an object of its thread's heap; sending one must not compile.
fn assert_send<T: Send>() {}

fn main() {
    assert_send::<pymem::Weak<u32>>();
}
