//! The hostile parts of the model's programs (`program.rs`): the payload whose drop panics,
//! a `sys.stderr` that panics, and how the harness tells the panics it provoked from the
//! ones it did not. Shared with the fuzz target, as `program.rs` is.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, panic_any};

/// A panic payload whose own `Drop` panics: the hostile kinds, callbacks and hooks panic
/// with it, and pymem must drop it without letting that second panic out.
pub struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("a panic payload's drop panicked");
    }
}

/// What an operation's panic was: `Ok` for the panics the hostile kinds make (a `Bomb`,
/// taken without dropping it, or their message), `Err` with the message otherwise.
pub(crate) fn classify(payload: Box<dyn Any + Send>) -> Result<(), String> {
    let payload = match payload.downcast::<Bomb>() {
        Ok(bomb) => {
            std::mem::forget(bomb); // zero-sized: nothing leaks
            return Ok(());
        }
        Err(payload) => payload,
    };
    let message = match payload.downcast_ref::<String>() {
        Some(text) => text.clone(),
        None => format!("{:?}", payload.downcast_ref::<&str>()),
    };
    if message.starts_with("the Drop of a PanicDrop failed") {
        Ok(())
    } else {
        Err(message)
    }
}

/// Runs `f`, returning its panic classified.
pub(crate) fn guarded(f: impl FnOnce()) -> Option<Result<(), String>> {
    catch_unwind(AssertUnwindSafe(f)).err().map(classify)
}

/// A `sys.stderr` that panics with a `Bomb` on every write (`Hostile(2)`).
pub struct LoudWriter;

impl std::io::Write for LoudWriter {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        panic_any(Bomb)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
