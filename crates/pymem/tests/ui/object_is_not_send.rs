// Scenario 37: the type-erased handle is a Gc too; sending one must not compile.
fn assert_send<T: Send>() {}

fn main() {
    assert_send::<pymem::Object>();
}
