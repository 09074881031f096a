//! `open()`: file objects for reading and writing text and bytes — `read`, `readline`,
//! `readlines`, iteration, `write`, `writelines`, `seek`/`tell`, `close`, and the context
//! manager protocol.
//!
//! A file object is an instance of a class made from a [`ClassSpec`]; the Rust state (the
//! contents read, the writer) is attached to it natively and dropped with it, which
//! flushes and closes the file as CPython's deallocation does. A file opened for reading
//! is read whole at `open()`; `+` modes are not supported.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use super::args::{Sig, bind, opt, str_arg};
use crate::call::Kwargs;
use crate::error::{PyErr, PyResult, err, err_args, type_error, value_error};
use crate::modules::{ClassSpec, Prop, attach_native, class_of, fns, native, new_object};
use crate::obj::{Atom, BuiltinDef, PyRef};
use crate::types::type_name;
use crate::{attr, call, ops, val};

/// The functions of this module, by Python name.
pub(super) const FUNCS: &[BuiltinDef] = &[BuiltinDef {
    name: "open",
    func: open,
}];

/// The methods every file object has.
const METHODS: &[BuiltinDef] = fns![
    "read" => read,
    "readline" => readline,
    "readlines" => readlines,
    "write" => write,
    "writelines" => writelines,
    "close" => close,
    "flush" => flush,
    "seek" => seek,
    "tell" => tell,
    "readable" => readable,
    "writable" => writable,
    "seekable" => seekable,
    "__enter__" => enter,
    "__exit__" => exit,
    "__iter__" => enter,
    "__next__" => next,
    "__repr__" => repr,
];

/// The properties every file object has.
const PROPS: &[Prop] = &[
    Prop {
        get: BuiltinDef {
            name: "name",
            func: name,
        },
        set: None,
    },
    Prop {
        get: BuiltinDef {
            name: "mode",
            func: mode,
        },
        set: None,
    },
    Prop {
        get: BuiltinDef {
            name: "closed",
            func: closed,
        },
        set: None,
    },
];

/// The class of text files.
const TEXT_SPEC: ClassSpec = ClassSpec {
    name: "TextIOWrapper",
    module: "_io",
    methods: METHODS,
    statics: &[],
    props: PROPS,
    slots: &[],
    has_dict: false,
    base: None,
};

/// Text files (`_io.TextIOWrapper`).
static TEXT_FILE: ClassSpec = TEXT_SPEC;

/// Binary files opened for reading (`_io.BufferedReader`).
static BINARY_READER: ClassSpec = ClassSpec {
    name: "BufferedReader",
    ..TEXT_SPEC
};

/// Binary files opened for writing (`_io.BufferedWriter`).
static BINARY_WRITER: ClassSpec = ClassSpec {
    name: "BufferedWriter",
    ..TEXT_SPEC
};

/// What a file object holds.
struct FileState {
    name: String,
    mode: String,
    binary: bool,
    encoding: String,
    /// The contents, for a file opened for reading (text decoded, newlines translated).
    contents: Option<Vec<u8>>,
    /// The read position: a byte offset into `contents`.
    pos: usize,
    writer: Option<std::io::BufWriter<std::fs::File>>,
    closed: bool,
}

/// `open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None, …)`.
fn open(args: &[PyRef], kwargs: Kwargs<'_>) -> PyResult {
    const SIG: Sig = Sig {
        name: "open",
        names: &[
            "file",
            "mode",
            "buffering",
            "encoding",
            "errors",
            "newline",
            "closefd",
            "opener",
        ],
        posonly: 0,
        required: 1,
    };
    let a = bind(&SIG, args, kwargs)?;
    let (mut st, kind) = new_state(&a)?;
    match kind {
        'r' => st.contents = Some(read_contents(&st, opt(&a[4]), opt(&a[5]).is_none())?),
        _ => st.writer = Some(open_for_writing(&st.name, kind)?),
    }
    let spec = match (st.binary, kind) {
        (false, _) => &TEXT_FILE,
        (true, 'r') => &BINARY_READER,
        (true, _) => &BINARY_WRITER,
    };
    let obj = new_object(&class_of(spec));
    attach_native(&obj, Rc::new(RefCell::new(st)));
    Ok(obj)
}

/// The state of a file about to be opened from `open()`'s arguments, and the mode's kind.
fn new_state(a: &[Option<PyRef>]) -> PyResult<(FileState, char)> {
    let file = a[0].clone().expect("required");
    let name = str_arg(&file, "open() argument 'file'")?.to_owned();
    let mode = match opt(&a[1]) {
        Some(m) => str_arg(m, "open() argument 'mode'")?.to_owned(),
        None => "r".to_owned(),
    };
    let (kind, binary) = parse_mode(&mode)?;
    let encoding = match opt(&a[3]) {
        Some(_) if binary => {
            return Err(value_error("binary mode doesn't take an encoding argument"));
        }
        Some(e) => str_arg(e, "open() argument 'encoding'")?.to_owned(),
        None => "utf-8".to_owned(),
    };
    let st = FileState {
        name,
        mode,
        binary,
        encoding,
        contents: None,
        pos: 0,
        writer: None,
        closed: false,
    };
    Ok((st, kind))
}

/// The mode's kind (`r`, `w`, `a`, `x`) and whether it is binary.
fn parse_mode(mode: &str) -> PyResult<(char, bool)> {
    let invalid = || value_error(format!("invalid mode: '{mode}'"));
    let kinds: Vec<char> = mode.chars().filter(|c| "rwax".contains(*c)).collect();
    let valid = mode.chars().all(|c| "rwaxbt+".contains(c)) && kinds.len() == 1;
    let (binary, text) = (mode.contains('b'), mode.contains('t'));
    if !valid || (binary && text) {
        return Err(invalid());
    }
    if mode.contains('+') {
        return Err(value_error(format!(
            "mode '{mode}' is not supported: '+' modes are not implemented"
        )));
    }
    Ok((kinds[0], binary))
}

/// The OSError subclass CPython raises for an I/O error, with `errno`, `strerror` and
/// the file name as its arguments.
pub(crate) fn os_error(e: &std::io::Error, path: &str) -> PyErr {
    let errno = e.raw_os_error().unwrap_or(0);
    let class = match errno {
        2 => "FileNotFoundError",
        1 | 13 => "PermissionError",
        17 => "FileExistsError",
        20 => "NotADirectoryError",
        21 => "IsADirectoryError",
        _ => "OSError",
    };
    let text = e.to_string();
    let strerror = text.split(" (os error").next().unwrap_or(&text).to_owned();
    err_args(
        class,
        vec![
            val::int(errno as i64),
            val::string(strerror),
            val::str_(path),
        ],
    )
}

/// Reads a whole file: bytes as they are, text decoded with newlines translated.
fn read_contents(st: &FileState, errors: Option<&PyRef>, translate: bool) -> PyResult<Vec<u8>> {
    let bytes = std::fs::read(&st.name).map_err(|e| os_error(&e, &st.name))?;
    if st.binary {
        return Ok(bytes);
    }
    let text = match (
        st.encoding.to_ascii_lowercase().replace('_', "-").as_str(),
        errors,
    ) {
        ("utf-8" | "utf8", None) => String::from_utf8(bytes).map_err(|_| decode_error(&st.name))?,
        _ => decode(bytes, &st.encoding, errors)?,
    };
    let text = if translate {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    Ok(text.into_bytes())
}

/// Decodes with `bytes.decode`, which knows the encodings and error handlers.
fn decode(bytes: Vec<u8>, encoding: &str, errors: Option<&PyRef>) -> PyResult<String> {
    let b = val::bytes(bytes);
    let errors = errors.cloned().unwrap_or_else(|| val::str_("strict"));
    let s = call::call(
        &attr::getattr(&b, &val::str_("decode"))?,
        &[val::str_(encoding), errors],
        &[],
    )?;
    Ok(s.as_str().unwrap_or_default().to_owned())
}

#[cold]
fn decode_error(name: &str) -> PyErr {
    err(
        "UnicodeDecodeError",
        format!("'utf-8' codec can't decode the contents of {name:?}"),
    )
}

/// Opens `path` for mode `w`, `a` or `x`.
fn open_for_writing(path: &str, kind: char) -> PyResult<std::io::BufWriter<std::fs::File>> {
    let mut o = std::fs::OpenOptions::new();
    match kind {
        'a' => o.append(true).create(true),
        'x' => o.write(true).create_new(true),
        _ => o.write(true).create(true).truncate(true),
    };
    o.open(path)
        .map(std::io::BufWriter::new)
        .map_err(|e| os_error(&e, path))
}

/// The state of the file object `args[0]`.
fn state(args: &[PyRef]) -> PyResult<Rc<RefCell<FileState>>> {
    let x = args
        .first()
        .ok_or_else(|| type_error("file method needs an argument"))?;
    native::<RefCell<FileState>>(x)
        .ok_or_else(|| type_error(format!("'{}' object is not a file", type_name(x))))
}

/// The state of an open file.
fn open_state(args: &[PyRef]) -> PyResult<Rc<RefCell<FileState>>> {
    let st = state(args)?;
    if st.borrow().closed {
        return Err(value_error("I/O operation on closed file."));
    }
    Ok(st)
}

/// `args[i]` as a size (None or negative: everything).
fn size_arg(args: &[PyRef], i: usize) -> PyResult<Option<usize>> {
    match args.get(i).filter(|s| !s.is_none()) {
        Some(s) => Ok(usize::try_from(ops::index(s)?).ok()),
        None => Ok(None),
    }
}

/// Takes the next `size` characters (bytes in binary mode), or up to `stop` included.
fn take(st: &mut FileState, size: Option<usize>, stop: Option<u8>) -> PyResult<PyRef> {
    let Some(contents) = &st.contents else {
        return Err(err("OSError", "not readable"));
    };
    let rest = &contents[st.pos..];
    let mut end = stop
        .and_then(|c| rest.iter().position(|&b| b == c))
        .map_or(rest.len(), |i| i + 1);
    if let Some(n) = size {
        end = end.min(if st.binary { n } else { char_bytes(rest, n) });
    }
    let piece = rest[..end].to_vec();
    st.pos += end;
    Ok(match st.binary {
        true => val::bytes(piece),
        false => val::string(String::from_utf8(piece).unwrap_or_default()),
    })
}

/// The number of bytes the first `n` characters of UTF-8 text take.
fn char_bytes(text: &[u8], n: usize) -> usize {
    let mut chars = 0;
    for (i, &b) in text.iter().enumerate() {
        if b & 0xc0 != 0x80 {
            if chars == n {
                return i;
            }
            chars += 1;
        }
    }
    text.len()
}

/// `f.read(size=-1)`.
fn read(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let st = open_state(args)?;
    let size = size_arg(args, 1)?;
    take(&mut st.borrow_mut(), size, None)
}

/// `f.readline(size=-1)`.
fn readline(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let st = open_state(args)?;
    let size = size_arg(args, 1)?;
    take(&mut st.borrow_mut(), size, Some(b'\n'))
}

/// `f.readlines()`.
fn readlines(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let st = open_state(args)?;
    let mut lines = Vec::new();
    loop {
        let line = take(&mut st.borrow_mut(), None, Some(b'\n'))?;
        if ops::len(&line)? == 0 {
            return Ok(val::list(lines));
        }
        lines.push(line);
    }
}

/// `next(f)`: the next line, StopIteration at the end.
fn next(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let line = readline(&args[..1.min(args.len())], &[])?;
    match ops::len(&line)? {
        0 => Err(crate::error::stop_iteration(val::none())),
        _ => Ok(line),
    }
}

/// `f.write(s)`: the number of characters (bytes) written.
fn write(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let st = open_state(args)?;
    let x = args
        .get(1)
        .ok_or_else(|| type_error("write() takes exactly one argument (0 given)"))?;
    let (binary, encoding) = {
        let s = st.borrow();
        (s.binary, s.encoding.clone())
    };
    let (data, n) = encode_for(binary, &encoding, x)?;
    let mut s = st.borrow_mut();
    let w = s
        .writer
        .as_mut()
        .ok_or_else(|| err("OSError", "not writable"))?;
    w.write_all(&data)
        .map_err(|e| err("OSError", e.to_string()))?;
    Ok(val::int(n as i64))
}

/// The bytes `write(x)` writes and the count it returns.
fn encode_for(binary: bool, encoding: &str, x: &PyRef) -> PyResult<(Vec<u8>, usize)> {
    match (binary, x.atom(), x.payload()) {
        (true, Some(Atom::Bytes(b)), _) => Ok((b.to_vec(), b.len())),
        (true, _, Some(crate::obj::Kind::ByteArray(b))) => {
            Ok((b.borrow().clone(), b.borrow().len()))
        }
        (true, ..) => Err(type_error(format!(
            "a bytes-like object is required, not '{}'",
            type_name(x)
        ))),
        (false, Some(Atom::Str(s)), _) if encoding.eq_ignore_ascii_case("utf-8") => {
            Ok((s.s.as_bytes().to_vec(), s.nchars))
        }
        (false, Some(Atom::Str(s)), _) => {
            let b = call::call(
                &attr::getattr(x, &val::str_("encode"))?,
                &[val::str_(encoding)],
                &[],
            )?;
            match b.atom() {
                Some(Atom::Bytes(b)) => Ok((b.to_vec(), s.nchars)),
                _ => Err(type_error("encoder did not return bytes")),
            }
        }
        _ => Err(type_error(format!(
            "write() argument must be str, not {}",
            type_name(x)
        ))),
    }
}

/// `f.writelines(lines)`.
fn writelines(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let lines = args
        .get(1)
        .ok_or_else(|| type_error("writelines() takes exactly one argument (0 given)"))?;
    for line in ops::collect(lines)? {
        write(&[args[0].clone(), line], &[])?;
    }
    Ok(val::none())
}

/// `f.close()`: flushes and closes; closing twice is allowed.
fn close(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let st = state(args)?;
    let (writer, contents) = {
        let mut s = st.borrow_mut();
        s.closed = true;
        (s.writer.take(), s.contents.take())
    };
    drop(contents);
    if let Some(mut w) = writer {
        w.flush().map_err(|e| err("OSError", e.to_string()))?;
    }
    Ok(val::none())
}

/// `f.flush()`.
fn flush(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let st = open_state(args)?;
    if let Some(w) = st.borrow_mut().writer.as_mut() {
        w.flush().map_err(|e| err("OSError", e.to_string()))?;
    }
    Ok(val::none())
}

/// `f.seek(offset, whence=0)`: positions within what was read (offsets are bytes).
fn seek(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let st = open_state(args)?;
    let offset = ops::index(
        args.get(1)
            .ok_or_else(|| type_error("seek expected at least 1 argument, got 0"))?,
    )?;
    let whence = args.get(2).map(ops::index).transpose()?.unwrap_or(0);
    let mut s = st.borrow_mut();
    let len = s.contents.as_ref().map_or(0, Vec::len) as i64;
    let base = match whence {
        0 => 0,
        1 => s.pos as i64,
        2 => len,
        _ => {
            return Err(value_error(format!(
                "invalid whence ({whence}, should be 0, 1 or 2)"
            )));
        }
    };
    s.pos = (base + offset).clamp(0, len) as usize;
    Ok(val::int(s.pos as i64))
}

/// `f.tell()`.
fn tell(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let st = open_state(args)?;
    let s = st.borrow();
    Ok(val::int(s.pos as i64))
}

/// `f.readable()`.
fn readable(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    Ok(val::bool_(open_state(args)?.borrow().contents.is_some()))
}

/// `f.writable()`.
fn writable(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    Ok(val::bool_(open_state(args)?.borrow().writer.is_some()))
}

/// `f.seekable()`.
fn seekable(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    open_state(args)?;
    Ok(val::bool_(true))
}

/// `f.__enter__()` and `f.__iter__()`: the file itself.
fn enter(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    open_state(args)?;
    Ok(args[0].clone())
}

/// `f.__exit__(*exc_info)`: closes the file.
fn exit(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    close(&args[..1.min(args.len())], &[])
}

/// `f.name`.
fn name(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    Ok(val::string(state(args)?.borrow().name.clone()))
}

/// `f.mode`.
fn mode(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    Ok(val::string(state(args)?.borrow().mode.clone()))
}

/// `f.closed`.
fn closed(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    Ok(val::bool_(state(args)?.borrow().closed))
}

/// `<_io.TextIOWrapper name='f.txt' mode='r' encoding='utf-8'>`.
fn repr(args: &[PyRef], _kw: Kwargs<'_>) -> PyResult {
    let st = state(args)?;
    let s = st.borrow();
    let name = ops::repr(&val::str_(&s.name))?;
    Ok(val::string(match s.binary {
        true => format!(
            "<_io.{} name={name}>",
            if s.contents.is_some() {
                "BufferedReader"
            } else {
                "BufferedWriter"
            }
        ),
        false => format!(
            "<_io.TextIOWrapper name={name} mode='{}' encoding='{}'>",
            s.mode, s.encoding
        ),
    }))
}
