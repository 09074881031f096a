// Scenario 37: the tracing context lives inside one collection on one thread.
fn assert_send<T: Send>() {}

fn main() {
    assert_send::<pymem::Visitor<'static>>();
}
