//! (L3) `sys.stdin`, `sys.stdout`, `sys.stderr`: a small text stream class over the
//! process's standard streams, and the writes the interpreter makes through whatever
//! object `sys.stdout` or `sys.stderr` currently is.

use std::io::{BufRead, IsTerminal, Write};

use crate::error::{PyResult, err, type_error};
use crate::obj::PyRef;
use crate::{call, ops, val};

use super::{
    ClassSpec, Kw, Prop, class_of, fns, module_attr, new_object, no_args, receiver, set_slot, slot,
};

/// The slot that holds the stream's file descriptor (0, 1 or 2).
const FD: &str = "_fd";

/// `_io.TextIOWrapper`, as far as the standard streams need it.
pub(crate) static TEXT_IO: ClassSpec = ClassSpec {
    name: "TextIOWrapper",
    module: "_io",
    methods: fns![
        "write" => write,
        "flush" => flush,
        "readline" => readline,
        "fileno" => fileno,
        "isatty" => isatty,
        "readable" => readable,
        "writable" => writable,
        "__repr__" => repr,
    ],
    statics: &[],
    props: &[
        Prop::ro("name", name),
        Prop::ro("encoding", encoding),
        Prop::ro("mode", mode),
    ],
    slots: &[FD],
    has_dict: false,
    base: None,
};

/// A new stream object over file descriptor `fd`.
pub(crate) fn new_stream(fd: i64) -> PyRef {
    let s = new_object(&class_of(&TEXT_IO));
    set_slot(&s, FD, val::int(fd));
    s
}

/// The descriptor of one of our standard stream objects; `None` for any other object.
fn stream_fd(x: &PyRef) -> Option<i64> {
    let is_ours = crate::types::is_subtype(&crate::types::type_of(x), &class_of(&TEXT_IO));
    is_ours
        .then(|| slot(x, FD).and_then(|fd| fd.as_i64()))
        .flatten()
}

/// The descriptor of the stream a method was called on.
fn fd_of(method: &str, args: &[PyRef]) -> PyResult<i64> {
    let x = receiver(&TEXT_IO, method, args)?;
    stream_fd(x).ok_or_else(|| err("ValueError", "I/O operation on uninitialized object"))
}

/// Writes to the process's stream `fd` (or to the interpreter's capture buffer). Errors
/// (a closed pipe) are dropped, as the interpreter's own output cannot report them.
fn raw_write(fd: i64, s: &str) {
    if super::interpreter_alive() && crate::interp::write_captured(s) {
        return;
    }
    let r = match fd {
        2 => std::io::stderr().write_all(s.as_bytes()),
        _ => std::io::stdout().write_all(s.as_bytes()),
    };
    drop(r);
}

/// Writes `s` through `sys.<name>`: our stream objects write to the process's streams,
/// other objects get `write(s)` called; `None` discards the text, as CPython's `print`
/// does. Before `sys` exists the text goes to stream `fd`.
fn write_through(name: &str, fd: i64, s: &str) -> PyResult<()> {
    let Some(target) = module_attr("sys", name) else {
        raw_write(fd, s);
        return Ok(());
    };
    if target.is_none() {
        return Ok(());
    }
    match stream_fd(&target) {
        Some(fd) => {
            raw_write(fd, s);
            Ok(())
        }
        None => call::call(&ops::getattr_str(&target, "write")?, &[val::str_(s)], &[]).map(drop),
    }
}

/// Writes to `sys.stdout` (whatever object it is now); an exception from a replacement's
/// `write` is dropped (use [`try_write_stdout`] to see it).
pub(crate) fn write_stdout(s: &str) {
    drop(write_through("stdout", 1, s));
}

/// Writes to `sys.stdout`, propagating an exception from a replacement's `write`.
pub(crate) fn try_write_stdout(s: &str) -> PyResult<()> {
    write_through("stdout", 1, s)
}

/// Writes to `sys.stderr` (whatever object it is now), dropping any exception: this is
/// where errors are reported, so there is nowhere left to report its own.
pub(crate) fn write_stderr(s: &str) {
    drop(write_through("stderr", 2, s));
}

/// The writer pymem's `gc.DEBUG_*` output and reports go to: `sys.stderr`.
pub(crate) struct SysStderr;

impl Write for SysStderr {
    /// Writes the bytes (as UTF-8, lossily) to `sys.stderr`.
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        write_stderr(&String::from_utf8_lossy(buf));
        Ok(buf.len())
    }

    /// Nothing to flush: each write went through.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `stream.write(s)`: the number of characters written.
fn write(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    super::no_kw("write", kw)?;
    let fd = fd_of("write", args)?;
    let [_, text] = args else {
        return Err(type_error(format!(
            "write() takes exactly one argument ({} given)",
            args.len().saturating_sub(1)
        )));
    };
    let Some(s) = text.as_pystr() else {
        return Err(type_error(format!(
            "write() argument must be str, not {}",
            crate::types::type_name(text)
        )));
    };
    raw_write(fd, &s.s);
    Ok(val::int(s.nchars as i64))
}

/// `stream.flush()`.
fn flush(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let fd = fd_of("flush", args)?;
    no_args("flush", &args[1..], kw)?;
    let r = match fd {
        2 => std::io::stderr().flush(),
        _ => std::io::stdout().flush(),
    };
    drop(r);
    Ok(val::none())
}

/// `stream.readline([size])`: a line with its newline, `''` at end of file.
fn readline(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    if fd_of("readline", args)? != 0 {
        return Err(err("OSError", "not readable"));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| err("OSError", e.to_string()))?;
    Ok(val::string(line))
}

/// `stream.fileno()`.
fn fileno(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let fd = fd_of("fileno", args)?;
    no_args("fileno", &args[1..], kw)?;
    Ok(val::int(fd))
}

/// `stream.isatty()`.
fn isatty(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let fd = fd_of("isatty", args)?;
    no_args("isatty", &args[1..], kw)?;
    let tty = match fd {
        0 => std::io::stdin().is_terminal(),
        1 => std::io::stdout().is_terminal(),
        _ => std::io::stderr().is_terminal(),
    };
    Ok(val::bool_(tty))
}

/// `stream.readable()`.
fn readable(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(fd_of("readable", args)? == 0))
}

/// `stream.writable()`.
fn writable(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    Ok(val::bool_(fd_of("writable", args)? != 0))
}

/// `stream.name`: `'<stdout>'` and so on.
fn name(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    Ok(val::str_(stream_name(fd_of("name", args)?)))
}

/// `'<stdin>'`, `'<stdout>'` or `'<stderr>'`.
fn stream_name(fd: i64) -> &'static str {
    match fd {
        0 => "<stdin>",
        1 => "<stdout>",
        _ => "<stderr>",
    }
}

/// `stream.encoding`.
fn encoding(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    fd_of("encoding", args)?;
    Ok(val::str_("utf-8"))
}

/// `stream.mode`.
fn mode(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let fd = fd_of("mode", args)?;
    Ok(val::str_(if fd == 0 { "r" } else { "w" }))
}

/// `<_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>`.
fn repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let fd = fd_of("__repr__", args)?;
    let mode = if fd == 0 { "r" } else { "w" };
    Ok(val::string(format!(
        "<_io.TextIOWrapper name='{}' mode='{mode}' encoding='utf-8'>",
        stream_name(fd)
    )))
}
