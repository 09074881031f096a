//! CPython's `sys` functions about objects and memory, plus the two hooks the collector
//! reports through: `sys.stderr` and `sys.unraisablehook`.
//!
//! Like the heap, `stderr` and the unraisable hook are per thread: each thread is its own
//! interpreter as far as pymem is concerned.
//!
//! With the `fault-injection` cargo feature, this module also has CPython's allocation
//! failure hooks from `_testcapi` (`set_nomemory`, `remove_mem_hooks`) and a periodic
//! variant (`set_nomemory_every`), which make object allocations on this thread fail so
//! that the error paths of [`Gc::try_new`](crate::Gc::try_new) can be tested.

use core::cell::RefCell;
use core::fmt;
use std::any::Any;
use std::io::Write;
use std::rc::Rc;

use crate::erased::AsObject;

#[cfg(feature = "fault-injection")]
pub use crate::nomemory::{remove_mem_hooks, set_nomemory, set_nomemory_every};

/// `sys.getrefcount(obj)`: the object's reference count.
///
/// CPython's result is one higher than the references the caller sees, because passing
/// the object as an argument adds one; in Rust a borrow adds none, so for
/// `x = object(); sys.getrefcount(x)` (CPython: 2) pymem returns 1.
pub fn getrefcount(obj: &dyn AsObject) -> usize {
    obj.obj_ptr().refcnt()
}

/// `sys.getsizeof(obj)`: bytes of the object's block, header(s) included, as CPython adds
/// the GC pre-header to `__sizeof__`. Memory the value owns elsewhere (a `Vec`'s buffer) is
/// not included, as for CPython objects without a custom `__sizeof__`.
pub fn getsizeof(obj: &dyn AsObject) -> usize {
    obj.obj_ptr().vtable().block_size
}

/// `sys._debugmallocstats()`: writes this thread's pymalloc statistics to [`set_stderr`]'s
/// writer, in CPython's layout (size classes, arenas, bytes). With the `system-alloc`
/// feature there are no pools, and it says so instead.
pub fn debugmallocstats() {
    match crate::alloc::stats() {
        Some(stats) => write_stderr(format_args!("{stats}")),
        None => write_stderr(format_args!(
            "pymalloc is not in use: every block comes from the system allocator\n"
        )),
    }
}

/// The statistics [`debugmallocstats`] prints, as data (`None` with `system-alloc`).
pub fn mallocstats() -> Option<pymem_alloc::Stats> {
    crate::alloc::stats()
}

/// `sys.getallocatedblocks()`: object blocks allocated on this thread (from pools, and from
/// the system for objects over 512 bytes); 0 with `system-alloc`, where nothing counts them.
pub fn getallocatedblocks() -> usize {
    crate::alloc::allocated_blocks().unwrap_or(0)
}

thread_local! {
    static STDERR: RefCell<Option<Box<dyn Write>>> = const { RefCell::new(None) };
    static UNRAISABLE: RefCell<Option<Rc<UnraisableHook>>> = const { RefCell::new(None) };
}

/// Replaces this thread's `sys.stderr`, where `gc.DEBUG_*` output and the default
/// unraisable hook write. Returns the previous writer (`None`: the process's stderr).
pub fn set_stderr(writer: Box<dyn Write>) -> Option<Box<dyn Write>> {
    STDERR.with_borrow_mut(|w| w.replace(writer))
}

/// Restores the process's stderr; returns the writer that was installed.
pub fn reset_stderr() -> Option<Box<dyn Write>> {
    STDERR.try_with(|w| w.borrow_mut().take()).ok().flatten()
}

/// Writes to this thread's `sys.stderr`. Falls back to the process's stderr while the
/// installed writer is busy (it called back into pymem) or during thread teardown.
pub(crate) fn write_stderr(args: fmt::Arguments<'_>) {
    let written = STDERR.try_with(|w| match w.try_borrow_mut().as_deref_mut() {
        Ok(Some(writer)) => writer.write_fmt(args).is_ok(),
        _ => false,
    });
    if written != Ok(true) {
        let _ = std::io::stderr().write_fmt(args);
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

/// Installs this thread's `sys.unraisablehook`.
pub fn set_unraisablehook(hook: impl Fn(&UnraisableHookArgs<'_>) + 'static) {
    UNRAISABLE.with_borrow_mut(|h| *h = Some(Rc::new(hook)));
}

/// Restores the default hook, which writes CPython's two lines to [`set_stderr`]'s writer:
/// `Exception ignored in: <object>` and the panic message.
pub fn reset_unraisablehook() {
    let _ = UNRAISABLE.try_with(|h| h.borrow_mut().take());
}

/// The default `sys.unraisablehook`.
pub fn default_unraisablehook(args: &UnraisableHookArgs<'_>) {
    let head = args.err_msg.unwrap_or("Exception ignored in");
    write_stderr(format_args!(
        "{head}: {}\npanicked: {}\n",
        args.object, args.message
    ));
}

/// Reports a caught panic through the hook (CPython's `PyErr_WriteUnraisable`). A hook that
/// panics itself is reported by the default hook.
pub(crate) fn report_unraisable(panic: &(dyn Any + Send), err_msg: Option<&str>, object: &str) {
    let message = panic_message(panic);
    let args = UnraisableHookArgs {
        message,
        err_msg,
        object,
    };
    let hook = UNRAISABLE.try_with(|h| h.borrow().clone()).ok().flatten();
    match hook {
        Some(hook) => {
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hook(&args)));
            if let Err(inner) = run {
                let inner = UnraisableHookArgs {
                    message: panic_message(&*inner),
                    err_msg: Some("Exception ignored in sys.unraisablehook"),
                    object,
                };
                default_unraisablehook(&inner);
            }
        }
        None => default_unraisablehook(&args),
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
