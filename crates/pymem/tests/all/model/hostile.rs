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
        panic!("{BOMB_DROP_MESSAGE}");
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
    if message.starts_with(PANIC_DROP_MESSAGE) {
        Ok(())
    } else {
        Err(message)
    }
}

/// Keeps the panics the hostile kinds provoke out of the panic hook's output; other panics
/// still reach the hook installed before. libtest keeps a test's output in memory until the
/// test ends, and the provoked panics' messages came to about 2 MB a program: 4.6 GB for
/// 2,000 programs, and a 100,000-program run ran the machine out of memory.
pub(crate) fn quiet_provoked_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !provoked(info.payload()) {
                previous(info);
            }
        }));
    });
}

/// Whether a panic is one the hostile kinds make (see `classify`).
fn provoked(payload: &(dyn Any + Send)) -> bool {
    let text = match payload.downcast_ref::<String>() {
        Some(text) => text.as_str(),
        None => payload.downcast_ref::<&str>().copied().unwrap_or(""),
    };
    payload.is::<Bomb>() || text == BOMB_DROP_MESSAGE || text.starts_with(PANIC_DROP_MESSAGE)
}

/// The message of a `Bomb`'s drop.
const BOMB_DROP_MESSAGE: &str = "a panic payload's drop panicked";
/// How the message of a `PanicDrop`'s panic starts (`program.rs`).
pub(crate) const PANIC_DROP_MESSAGE: &str = "the Drop of a PanicDrop failed";

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
