//! (L3) The `tracemalloc` module: pymem's allocation tracer, with allocations attributed
//! to the Python line that made them.
//!
//! pymem traces every object block; what it records as the place of an allocation comes
//! from a frame provider, which `start` installs: the Python frames the interpreter is
//! running (`interp::current_python_frames`), innermost first.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use pymem::tracemalloc::{Frame, FrameProvider, MAX_NFRAME, Traceback, TracemallocError};

use crate::error::{PyResult, value_error};
use crate::obj::{BuiltinDef, PyRef};
use crate::val;

use super::snapshot::{CLASSES, snapshot_object, trace_error, traceback_object};
use super::{
    Kw, add_functions, arg, at_most, check_kw, class_of, fns, int_arg, new_module, no_args,
    one_arg, set_attr,
};

/// The module's functions.
static FUNCTIONS: &[BuiltinDef] = fns![
    "start" => start,
    "stop" => stop,
    "is_tracing" => is_tracing,
    "clear_traces" => clear_traces,
    "get_traced_memory" => get_traced_memory,
    "reset_peak" => reset_peak,
    "get_tracemalloc_memory" => get_tracemalloc_memory,
    "get_traceback_limit" => get_traceback_limit,
    "get_object_traceback" => get_object_traceback,
    "take_snapshot" => take_snapshot,
];

/// Makes the `tracemalloc` module.
pub(crate) fn create() -> PyRef {
    let (module, d) = new_module(
        "tracemalloc",
        "Debug module to trace memory blocks allocated by Python.",
    );
    add_functions(&d, FUNCTIONS);
    for (name, spec) in CLASSES {
        set_attr(&d, name, PyRef::O(class_of(spec)));
    }
    module
}

/// The Python frames of each allocation, for pymem's tracer.
#[derive(Default)]
struct PythonFrames {
    /// File names already converted to the tracer's `Arc<str>`, by the code's `Rc<str>`:
    /// a script has few files, and converting one costs an allocation.
    files: RefCell<Vec<(Rc<str>, Arc<str>)>>,
}

impl PythonFrames {
    /// The tracer's `Arc<str>` for a code object's file name.
    fn file(&self, name: &Rc<str>) -> Arc<str> {
        let mut files = self.files.borrow_mut();
        if let Some((_, arc)) = files.iter().find(|(rc, _)| Rc::ptr_eq(rc, name)) {
            return arc.clone();
        }
        if files.len() >= 256 {
            files.clear(); // many files (generated code): start over rather than search long
        }
        let arc: Arc<str> = Arc::from(&**name);
        files.push((name.clone(), arc.clone()));
        arc
    }
}

impl FrameProvider for PythonFrames {
    /// The innermost `limit` Python frames; CPython's `<unknown>:0` outside Python code.
    fn frames(&self, limit: usize, out: &mut Vec<Frame>) -> usize {
        let frames = crate::interp::current_python_frames(limit);
        if frames.is_empty() {
            out.push(Frame::unknown());
            return 1;
        }
        let n = frames.len();
        out.extend(
            frames
                .iter()
                .map(|(file, line)| Frame::new(self.file(file), *line)),
        );
        n
    }
}

/// Starts tracing with `nframe` frames per traceback, Python frames attributed (also the
/// interpreter's `-X tracemalloc=N`).
pub(crate) fn start_tracing(nframe: usize) -> PyResult<()> {
    pymem::tracemalloc::start(nframe).map_err(trace_error)?;
    pymem::tracemalloc::set_frame_provider(Some(Rc::new(PythonFrames::default())));
    Ok(())
}

/// `tracemalloc.start(nframe=1)`.
fn start(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    check_kw("start", kw, &["nframe"])?;
    at_most("start", args, 1)?;
    let n = match arg("start", args, kw, 0, "nframe")? {
        Some(n) => int_arg(&n)?,
        None => 1,
    };
    if !(1..=MAX_NFRAME as i64).contains(&n) {
        return Err(value_error(
            TracemallocError::InvalidFrameCount(0).to_string(),
        ));
    }
    start_tracing(n as usize)?;
    Ok(val::none())
}

/// `tracemalloc.stop()`.
fn stop(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("stop", args, kw)?;
    pymem::tracemalloc::stop();
    Ok(val::none())
}

/// `tracemalloc.is_tracing()`.
fn is_tracing(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("is_tracing", args, kw)?;
    Ok(val::bool_(pymem::tracemalloc::is_tracing()))
}

/// `tracemalloc.clear_traces()`.
fn clear_traces(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("clear_traces", args, kw)?;
    pymem::tracemalloc::clear_traces();
    Ok(val::none())
}

/// `tracemalloc.get_traced_memory()`: `(current, peak)`.
fn get_traced_memory(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("get_traced_memory", args, kw)?;
    let (current, peak) = pymem::tracemalloc::get_traced_memory();
    Ok(val::tuple(vec![
        val::int(current as i64),
        val::int(peak as i64),
    ]))
}

/// `tracemalloc.reset_peak()`.
fn reset_peak(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("reset_peak", args, kw)?;
    pymem::tracemalloc::reset_peak();
    Ok(val::none())
}

/// `tracemalloc.get_tracemalloc_memory()`.
fn get_tracemalloc_memory(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("get_tracemalloc_memory", args, kw)?;
    Ok(val::int(pymem::tracemalloc::get_tracemalloc_memory() as i64))
}

/// `tracemalloc.get_traceback_limit()`.
fn get_traceback_limit(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("get_traceback_limit", args, kw)?;
    Ok(val::int(pymem::tracemalloc::get_traceback_limit() as i64))
}

/// `tracemalloc.get_object_traceback(obj)`: where `obj` was allocated, or `None`.
fn get_object_traceback(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let x = one_arg("get_object_traceback", args, kw)?;
    let tb = match x {
        PyRef::A(a) => pymem::tracemalloc::get_object_traceback(a),
        PyRef::O(o) => pymem::tracemalloc::get_object_traceback(o),
    };
    // CPython's `Traceback(frames)` here leaves `total_nframe` unknown.
    let tb = tb.map(|tb| {
        Traceback::from_most_recent_first(tb.frames().iter().rev().cloned().collect(), None)
    });
    Ok(tb.map_or_else(val::none, |tb| traceback_object(&tb)))
}

/// `tracemalloc.take_snapshot()`.
fn take_snapshot(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("take_snapshot", args, kw)?;
    let s = pymem::tracemalloc::take_snapshot().map_err(trace_error)?;
    Ok(snapshot_object(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tm(name: &str, args: &[PyRef]) -> PyResult {
        super::super::builtin_module("tracemalloc");
        let f = super::super::module_attr("tracemalloc", name).expect("tracemalloc function");
        crate::call::call(&f, args, &[])
    }

    #[test]
    fn snapshots_need_tracing() {
        assert!(tm("take_snapshot", &[]).is_err());
        assert!(tm("start", &[val::int(0)]).is_err());
        tm("start", &[]).unwrap();
        let keep: Vec<PyRef> = (0..50).map(|_| val::list(vec![])).collect();
        let s = tm("take_snapshot", &[]).unwrap();
        let stats = crate::ops::getattr_str(&s, "statistics").unwrap();
        let stats = crate::call::call(&stats, &[val::str_("lineno")], &[]).unwrap();
        assert!(!stats.as_list().unwrap().borrow().is_empty());
        tm("stop", &[]).unwrap();
        drop(keep);
    }
}
