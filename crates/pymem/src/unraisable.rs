//! (L0) Errors that cannot propagate (CPython's `PyErr_WriteUnraisable`): this thread's
//! `sys.unraisablehook`, and its `sys.stderr`, where the default hook and the `gc.DEBUG_*`
//! output write. [`crate::sys`] re-exports the public half.
//!
//! Both the hook and the writer are user code called from the middle of a collection or a
//! deallocation, so neither may unwind into it: [`report`] and [`write_stderr`] catch
//! their panics and drop every payload with [`unwind::drop_payload`].
//!
//! Like the heap, `stderr` and the unraisable hook are per thread: each thread is its own
//! interpreter as far as pymem is concerned.

use core::cell::RefCell;
use core::fmt;
use std::any::Any;
use std::io::Write;
use std::rc::Rc;

use crate::unwind::{self, Panic};

thread_local! {
    static STDERR: RefCell<Option<Box<dyn Write>>> = const { RefCell::new(None) };
    static UNRAISABLE: RefCell<Option<Rc<UnraisableHook>>> = const { RefCell::new(None) };
}

/// Replaces this thread's `sys.stderr`, where `gc.DEBUG_*` output and the default
/// unraisable hook write. Returns the previous writer (`None`: the process's stderr).
///
/// A writer that panics is treated as a failed write: the text goes to the process's
/// stderr instead, and the panic is dropped (it never unwinds into the collector).
pub fn set_stderr(writer: Box<dyn Write>) -> Option<Box<dyn Write>> {
    STDERR.with_borrow_mut(|w| w.replace(writer))
}

/// Restores the process's stderr; returns the writer that was installed.
pub fn reset_stderr() -> Option<Box<dyn Write>> {
    STDERR.try_with(|w| w.borrow_mut().take()).ok().flatten()
}

/// Writes to this thread's `sys.stderr`. Falls back to the process's stderr when the
/// installed writer fails or panics, while it is busy (it called back into pymem), and
/// during thread teardown. Never unwinds.
pub(crate) fn write_stderr(args: fmt::Arguments<'_>) {
    let written = STDERR.try_with(|w| match w.try_borrow_mut().as_deref_mut() {
        Ok(Some(writer)) => unwind::catch(|| writer.write_fmt(args).is_ok()),
        _ => Ok(false),
    });
    match written {
        Ok(Ok(true)) => {}
        Ok(Err(panic)) => {
            unwind::drop_payload(panic);
            let _ = std::io::stderr().write_fmt(args);
        }
        _ => {
            let _ = std::io::stderr().write_fmt(args);
        }
    }
}

/// What `sys.unraisablehook` receives: a panic that could not propagate (from a `gc`
/// callback, a finalizer, a weakref callback, or a `Drop` run at thread exit).
#[derive(Debug)]
pub struct UnraisableHookArgs<'a> {
    /// The panic's message (`&str` or `String` payloads; otherwise `"Box<dyn Any>"`).
    pub message: &'a str,
    /// CPython's `err_msg`: replaces "Exception ignored in" when set.
    pub err_msg: Option<&'a str>,
    /// What was running: a description like CPython's repr of the callable.
    pub object: &'a str,
}

type UnraisableHook = dyn Fn(&UnraisableHookArgs<'_>);

/// Installs this thread's `sys.unraisablehook`. A hook that panics is reported by the
/// default hook (CPython's "Exception ignored in sys.unraisablehook"), and its payload is
/// dropped, a panic of that drop included.
pub fn set_unraisablehook(hook: impl Fn(&UnraisableHookArgs<'_>) + 'static) {
    let old = UNRAISABLE.with_borrow_mut(|h| h.replace(Rc::new(hook)));
    drop(old); // outside the borrow: its drop may report
}

/// Restores the default hook, which writes CPython's two lines to [`set_stderr`]'s writer:
/// `Exception ignored in: <object>` and the panic message.
pub fn reset_unraisablehook() {
    let old = UNRAISABLE
        .try_with(|h| h.borrow_mut().take())
        .ok()
        .flatten();
    drop(old);
}

/// The default `sys.unraisablehook`.
pub fn default_unraisablehook(args: &UnraisableHookArgs<'_>) {
    let head = args.err_msg.unwrap_or("Exception ignored in");
    write_stderr(format_args!(
        "{head}: {}\npanicked: {}\n",
        args.object, args.message
    ));
}

/// Reports a caught panic through the hook (CPython's `PyErr_WriteUnraisable`), then
/// drops its payload. Never unwinds.
pub(crate) fn report(panic: Panic, object: &str) {
    let args = UnraisableHookArgs {
        message: panic_message(&*panic),
        err_msg: None,
        object,
    };
    call_hook(&args);
    unwind::drop_payload(panic);
}

/// Drops a value that user code owns (a `gc` callback, a weakref callback, an object of
/// `gc.garbage`) and reports a panic of its drop as `<drop of {what}>`. Never unwinds.
pub(crate) fn drop_reporting<T>(value: T, what: impl FnOnce() -> String) {
    if let Err(panic) = unwind::drop_caught(value) {
        report(panic, &format!("<drop of {}>", what()));
    }
}

/// Calls the installed hook (the default one if none is, or if the hook is being
/// replaced right now); a hook that panics is reported by the default hook.
fn call_hook(args: &UnraisableHookArgs<'_>) {
    let hook = UNRAISABLE
        .try_with(|h| h.try_borrow().ok().and_then(|h| h.clone()))
        .ok()
        .flatten();
    let Some(hook) = hook else {
        return default_unraisablehook(args);
    };
    if let Err(inner) = unwind::catch(|| hook(args)) {
        default_unraisablehook(&UnraisableHookArgs {
            message: panic_message(&*inner),
            err_msg: Some("Exception ignored in sys.unraisablehook"),
            object: args.object,
        });
        unwind::drop_payload(inner);
    }
    // Our clone is the last owner if the hook replaced itself; a panic of its drop has
    // nowhere to be reported without calling a hook again.
    if let Err(panic) = unwind::drop_caught(hook) {
        unwind::drop_payload(panic);
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    if let Some(s) = panic.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s
    } else {
        "Box<dyn Any>"
    }
}
