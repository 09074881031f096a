//! What thread teardown prints about `gc.garbage`: the analogue of the lines CPython prints
//! at interpreter shutdown (`tests/cpython/shutdown.py`, recorded in `shutdown.out`).

use crate::support::Recorded;
use pymem::{Gc, Object, Trace, gc};
use std::cell::RefCell;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

fn cpython() -> Recorded {
    Recorded::parse(include_str!("../cpython/shutdown.out"))
}

/// shutdown.py's `Simple`: one reference slot; counts its drops across threads.
#[derive(Trace)]
struct Simple {
    r#ref: RefCell<Option<Object>>,
    #[trace(skip)]
    drops: Arc<AtomicUsize>,
}

impl Drop for Simple {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

/// A `sys.stderr` that another thread can read after this one exits.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What one thread left on its `sys.stderr`, and the ids of what it left in `gc.garbage`.
struct Exit {
    stderr: String,
    garbage: Vec<usize>,
    drops: usize,
}

/// shutdown.py's child, on a thread: `DEBUG_SAVEALL`, `cycles` self-cycles collected into
/// `gc.garbage`, then `at_exit` as the debug flags, and the thread exits.
fn thread_exit(cycles: usize, at_exit: gc::DebugFlags) -> Exit {
    let stderr = Shared::default();
    let drops = Arc::new(AtomicUsize::new(0));
    let (out, d) = (stderr.clone(), drops.clone());
    let garbage = std::thread::spawn(move || {
        // Installed before the heap exists, so that its thread-local is destroyed after
        // the heap's teardown (thread-locals go in reverse order of first use).
        pymem::sys::set_stderr(Box::new(out));
        gc::disable();
        gc::set_debug(gc::DEBUG_SAVEALL);
        for _ in 0..cycles {
            let x = Gc::new(Simple {
                r#ref: RefCell::new(None),
                drops: d.clone(),
            });
            *x.r#ref.borrow_mut() = Some(Gc::as_object(&x));
        }
        assert_eq!(gc::collect(), cycles);
        gc::set_debug(at_exit);
        let ids = gc::garbage().iter().map(Object::id).collect();
        assert_eq!(d.load(Ordering::SeqCst), 0, "gc.garbage keeps them");
        ids
    })
    .join()
    .unwrap();
    let stderr = String::from_utf8(stderr.0.lock().unwrap().clone()).unwrap();
    let drops = drops.load(Ordering::SeqCst);
    Exit {
        stderr,
        garbage,
        drops,
    }
}

/// CPython's recorded lines of `case`, with `__main__.Simple` as pymem's type name and each
/// masked address (`0x…`) as the next id of `ids`.
fn expected(py: &Recorded, case: &str, ids: &[usize]) -> String {
    let name = std::any::type_name::<Simple>();
    let mut ids = ids.iter();
    let mut text = String::new();
    for i in 0..py.usize(&format!("{case}.lines")) {
        let mut line = py
            .get(&format!("{case}.{i}"))
            .replace("__main__.Simple", name);
        while let Some(at) = line.find("0x…") {
            let id = ids.next().expect("an id for each address");
            line.replace_range(at..at + "0x…".len(), &format!("{id:#x}"));
        }
        text += &line;
        text.push('\n');
    }
    text
}

#[test]
fn thread_exit_warns_about_gc_garbage_with_cpythons_hint() {
    let py = cpython();
    let exit = thread_exit(2, gc::DebugFlags::empty());
    assert_eq!(exit.stderr, expected(&py, "hint", &[]));
    assert_eq!(
        exit.stderr,
        "gc:0: ResourceWarning: gc: 2 uncollectable objects at shutdown; \
         use gc.set_debug(gc.DEBUG_UNCOLLECTABLE) to list them\n"
    );
    assert_eq!(
        exit.drops, 2,
        "then gc.garbage is released and its cycles freed"
    );
    let one = thread_exit(1, gc::DebugFlags::empty());
    assert_eq!(one.stderr, expected(&py, "one", &[]));
}

#[test]
fn debug_uncollectable_at_thread_exit_lists_gc_garbage() {
    let py = cpython();
    let exit = thread_exit(2, gc::DEBUG_UNCOLLECTABLE);
    assert_eq!(exit.stderr, expected(&py, "uncollectable", &exit.garbage));
    let name = std::any::type_name::<Simple>();
    let [a, b] = exit.garbage[..] else {
        panic!("two objects")
    };
    assert!(exit.stderr.ends_with(&format!(
        "\n      [<{name} object at {a:#x}>, <{name} object at {b:#x}>]\n"
    )));
    assert_eq!(exit.drops, 2);
}

#[test]
fn nothing_is_printed_under_saveall_or_with_gc_garbage_empty() {
    let py = cpython();
    for (case, cycles, at_exit) in [
        ("saveall", 2, gc::DEBUG_SAVEALL),
        (
            "saveall_uncollectable",
            2,
            gc::DEBUG_SAVEALL | gc::DEBUG_UNCOLLECTABLE,
        ),
        ("empty", 0, gc::DEBUG_UNCOLLECTABLE),
    ] {
        let exit = thread_exit(cycles, at_exit);
        assert_eq!(exit.stderr, expected(&py, case, &[]), "{case}");
        assert_eq!((exit.stderr.as_str(), exit.drops), ("", cycles), "{case}");
    }
}

#[test]
fn cpythons_default_filters_hide_the_warning_pymem_has_none() {
    // CPython ignores ResourceWarning by default and prints only the list; pymem has no
    // warning filters and prints what `python -W default` (or `-X dev`) prints.
    let py = cpython();
    let exit = thread_exit(2, gc::DEBUG_UNCOLLECTABLE);
    let listed = expected(&py, "default_filters", &exit.garbage);
    assert_eq!(py.usize("default_filters.lines"), 1);
    assert!(exit.stderr.ends_with(&listed), "{}", exit.stderr);
    assert_eq!(exit.stderr, expected(&py, "uncollectable", &exit.garbage));
}
