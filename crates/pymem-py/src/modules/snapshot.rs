//! (L3) The classes of `tracemalloc`: `Snapshot`, `Statistic`, `StatisticDiff`, `Trace`,
//! `Traceback`, `Frame`, `Filter` and `DomainFilter`, over pymem-trace's.
//!
//! A `Snapshot` keeps pymem-trace's snapshot attached ([`super::attach_native`]); the
//! others are plain instances whose attributes are Python values (a `Traceback` is a
//! tuple of `Frame`s, oldest first, as CPython's is a sequence of them), converted back
//! to pymem-trace's types where its formatting and grouping are used.

use std::rc::Rc;

use pymem::tracemalloc::{
    BlockTrace, DomainFilter, Filter, Frame, Snapshot, Statistic, StatisticDiff, TraceFilter,
    Traceback, TracemallocError, format_size,
};

use crate::error::{PyErr, PyResult, err, type_error};
use crate::obj::PyRef;
use crate::types::BuiltinType;
use crate::{ops, val};

use super::{
    ClassSpec, Kw, Prop, arg, attach_native, class_of, fns, native, new_object, new_tuple_object,
    receiver, set_field, tuple_items,
};

/// CPython's exceptions for pymem-trace's errors.
pub(crate) fn trace_error(e: TracemallocError) -> PyErr {
    match e {
        TracemallocError::NotTracing => err("RuntimeError", e.to_string()),
        TracemallocError::Io(_) => err("OSError", e.to_string()),
        _ => err("ValueError", e.to_string()),
    }
}

/// A class of this module with a `__dict__` and the given methods.
macro_rules! class {
    ($name:literal, $methods:expr, $statics:expr, $props:expr) => {
        ClassSpec {
            name: $name,
            module: "tracemalloc",
            methods: $methods,
            statics: $statics,
            props: $props,
            slots: &[],
            has_dict: true,
            base: None,
        }
    };
}

/// `tracemalloc.Snapshot`.
pub(crate) static SNAPSHOT: ClassSpec = class!(
    "Snapshot",
    fns!["statistics" => statistics, "compare_to" => compare_to, "filter_traces" => filter_traces],
    &[],
    &[Prop::ro("traces", traces)]
);
/// `tracemalloc.Statistic`.
pub(crate) static STATISTIC: ClassSpec = class!(
    "Statistic",
    fns!["__str__" => statistic_str, "__repr__" => statistic_repr],
    &[],
    &[]
);
/// `tracemalloc.StatisticDiff`.
pub(crate) static STATISTIC_DIFF: ClassSpec = class!(
    "StatisticDiff",
    fns!["__str__" => diff_str, "__repr__" => diff_repr],
    &[],
    &[]
);
/// `tracemalloc.Trace`.
pub(crate) static TRACE: ClassSpec = class!(
    "Trace",
    fns!["__str__" => trace_str, "__repr__" => trace_repr],
    &[],
    &[]
);
/// `tracemalloc.Frame`.
pub(crate) static FRAME: ClassSpec = class!(
    "Frame",
    fns!["__str__" => frame_str, "__repr__" => frame_repr, "__eq__" => frame_eq, "__hash__" => frame_hash],
    &[],
    &[]
);
/// `tracemalloc.Filter`.
pub(crate) static FILTER: ClassSpec = class!("Filter", &[], fns!["__new__" => filter_new], &[]);
/// `tracemalloc.DomainFilter`.
pub(crate) static DOMAIN_FILTER: ClassSpec = class!(
    "DomainFilter",
    &[],
    fns!["__new__" => domain_filter_new],
    &[]
);

/// `tracemalloc.Traceback`: a tuple of `Frame`s, oldest first, with `total_nframe`.
pub(crate) static TRACEBACK: ClassSpec = ClassSpec {
    name: "Traceback",
    module: "tracemalloc",
    methods: fns![
        "__str__" => traceback_str,
        "__repr__" => traceback_repr,
        "__len__" => traceback_len,
        "__getitem__" => traceback_getitem,
        "format" => traceback_format,
    ],
    statics: &[],
    props: &[],
    slots: &[],
    has_dict: true,
    base: Some(BuiltinType::Tuple),
};

/// The classes the module exports, by name.
pub(crate) static CLASSES: &[(&str, &ClassSpec)] = &[
    ("Snapshot", &SNAPSHOT),
    ("Statistic", &STATISTIC),
    ("StatisticDiff", &STATISTIC_DIFF),
    ("Trace", &TRACE),
    ("Traceback", &TRACEBACK),
    ("Frame", &FRAME),
    ("Filter", &FILTER),
    ("DomainFilter", &DOMAIN_FILTER),
];

/// A new instance of `spec`'s class with the given attributes.
fn object(spec: &'static ClassSpec, fields: Vec<(&str, PyRef)>) -> PyRef {
    let x = new_object(&class_of(spec));
    for (name, value) in fields {
        set_field(&x, name, value);
    }
    x
}

/// An int from a count.
fn int(n: usize) -> PyRef {
    val::int(n as i64)
}

// ---- Conversions ----------------------------------------------------------------------

/// A `Snapshot` object over pymem-trace's.
pub(crate) fn snapshot_object(s: Snapshot) -> PyRef {
    let x = object(
        &SNAPSHOT,
        vec![("traceback_limit", int(s.traceback_limit()))],
    );
    attach_native(&x, Rc::new(s));
    x
}

/// A `Traceback` object: `Frame` objects, oldest first.
pub(crate) fn traceback_object(tb: &Traceback) -> PyRef {
    let frames = tb.frames().iter().map(frame_object).collect();
    let x = new_tuple_object(&TRACEBACK, frames);
    set_field(
        &x,
        "total_nframe",
        tb.total_nframe().map_or_else(val::none, int),
    );
    x
}

/// A `Frame` object.
fn frame_object(f: &Frame) -> PyRef {
    object(
        &FRAME,
        vec![
            ("filename", val::str_(f.filename())),
            ("lineno", int(f.lineno() as usize)),
        ],
    )
}

/// A `Statistic` object.
fn statistic_object(s: &Statistic) -> PyRef {
    let tb = traceback_object(&s.traceback);
    object(
        &STATISTIC,
        vec![
            ("traceback", tb),
            ("size", int(s.size)),
            ("count", int(s.count)),
        ],
    )
}

/// A `StatisticDiff` object.
fn diff_object(d: &StatisticDiff) -> PyRef {
    let fields = vec![
        ("traceback", traceback_object(&d.traceback)),
        ("size", int(d.size)),
        ("size_diff", val::int(d.size_diff as i64)),
        ("count", int(d.count)),
        ("count_diff", val::int(d.count_diff as i64)),
    ];
    object(&STATISTIC_DIFF, fields)
}

/// A `Trace` object.
fn trace_object(t: &BlockTrace) -> PyRef {
    let tb = traceback_object(t.traceback());
    object(
        &TRACE,
        vec![
            ("domain", int(t.domain() as usize)),
            ("size", int(t.size())),
            ("traceback", tb),
        ],
    )
}

/// A `Frame` object back as pymem-trace's.
fn rust_frame(f: &PyRef) -> PyResult<Frame> {
    let filename = ops::str_of(&ops::getattr_str(f, "filename")?)?;
    let lineno = ops::index(&ops::getattr_str(f, "lineno")?)?;
    Ok(Frame::new(
        filename,
        lineno.clamp(0, u32::MAX as i64) as u32,
    ))
}

/// A `Traceback` object back as pymem-trace's.
fn rust_traceback(tb: &PyRef) -> PyResult<Traceback> {
    let mut frames = tuple_items(tb)
        .iter()
        .map(rust_frame)
        .collect::<PyResult<Vec<_>>>()?;
    frames.reverse();
    let total = ops::getattr_str(tb, "total_nframe")?;
    let total = if total.is_none() {
        None
    } else {
        Some(ops::index(&total)?.max(0) as usize)
    };
    Ok(Traceback::from_most_recent_first(frames, total))
}

/// An int attribute of `x`.
fn attr_i64(x: &PyRef, name: &str) -> PyResult<i64> {
    ops::index(&ops::getattr_str(x, name)?)
}

// ---- Snapshot -------------------------------------------------------------------------

/// The pymem-trace snapshot of the `Snapshot` a method was called on.
fn snapshot_of(method: &str, args: &[PyRef]) -> PyResult<Rc<Snapshot>> {
    let x = receiver(&SNAPSHOT, method, args)?;
    native::<Snapshot>(x).ok_or_else(|| type_error("Snapshot object is not initialized"))
}

/// `(key_type, cumulative=False)` after `self` (and `old_snapshot` when `first` is 2).
fn key_args(name: &str, args: &[PyRef], kw: Kw<'_>, first: usize) -> PyResult<(String, bool)> {
    super::check_kw(name, kw, &["key_type", "cumulative", "old_snapshot"])?;
    let key = arg(name, args, kw, first, "key_type")?
        .ok_or_else(|| type_error(format!("{name}() missing 'key_type'")))?;
    let key = key
        .as_str()
        .ok_or_else(|| type_error("key_type must be a str"))?
        .to_owned();
    let cumulative = match arg(name, args, kw, first + 1, "cumulative")? {
        Some(c) => ops::truthy(&c)?,
        None => false,
    };
    Ok((key, cumulative))
}

/// `snapshot.statistics(key_type, cumulative=False)`: `Statistic`s, largest first.
fn statistics(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = snapshot_of("statistics", args)?;
    let (key, cumulative) = key_args("statistics", args, kw, 1)?;
    let stats = s.statistics(&key, cumulative).map_err(trace_error)?;
    Ok(val::list(stats.iter().map(statistic_object).collect()))
}

/// `snapshot.compare_to(old_snapshot, key_type, cumulative=False)`: `StatisticDiff`s.
fn compare_to(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = snapshot_of("compare_to", args)?;
    let old = arg("compare_to", args, kw, 1, "old_snapshot")?
        .ok_or_else(|| type_error("compare_to() missing 'old_snapshot'"))?;
    let old = snapshot_of("compare_to", &[old])?;
    let (key, cumulative) = key_args("compare_to", args, kw, 2)?;
    let diffs = s.compare_to(&old, &key, cumulative).map_err(trace_error)?;
    Ok(val::list(diffs.iter().map(diff_object).collect()))
}

/// `snapshot.filter_traces(filters)`: a new `Snapshot` of the traces that pass.
fn filter_traces(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let s = snapshot_of("filter_traces", args)?;
    let filters = arg("filter_traces", args, kw, 1, "filters")?
        .ok_or_else(|| type_error("filter_traces() missing 'filters'"))?;
    let filters = ops::collect(&filters).map_err(|_| {
        type_error(format!(
            "filters must be a list of filters, not {}",
            crate::types::type_name(&filters)
        ))
    })?;
    let filters = filters
        .iter()
        .map(rust_filter)
        .collect::<PyResult<Vec<_>>>()?;
    Ok(snapshot_object(s.filter_traces(&filters)))
}

/// `snapshot.traces`: the `Trace`s.
fn traces(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let s = snapshot_of("traces", args)?;
    Ok(val::list(s.traces().iter().map(trace_object).collect()))
}

// ---- Filters --------------------------------------------------------------------------

/// `Filter(inclusive, filename_pattern, lineno=None, all_frames=False, domain=None)`.
fn filter_new(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let names = [
        "inclusive",
        "filename_pattern",
        "lineno",
        "all_frames",
        "domain",
    ];
    super::check_kw("Filter", kw, &names)?;
    let mut fields = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let v = arg("Filter", &args[1..], kw, i, name)?;
        let v = match (v, i) {
            (Some(v), _) => v,
            (None, 0 | 1) => {
                return Err(type_error(format!(
                    "Filter.__init__() missing required argument '{name}'"
                )));
            }
            (None, 3) => val::bool_(false),
            (None, _) => val::none(),
        };
        fields.push((*name, v));
    }
    new_with(args, fields)
}

/// `DomainFilter(inclusive, domain)`.
fn domain_filter_new(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let mut fields = Vec::new();
    for (i, name) in ["inclusive", "domain"].iter().enumerate() {
        let v = arg("DomainFilter", &args[1..], kw, i, name)?;
        let v = v.ok_or_else(|| {
            type_error(format!(
                "DomainFilter.__init__() missing required argument '{name}'"
            ))
        })?;
        fields.push((*name, v));
    }
    new_with(args, fields)
}

/// `__new__` of a filter class: an instance of `args[0]` with the given attributes.
fn new_with(args: &[PyRef], fields: Vec<(&str, PyRef)>) -> PyResult {
    let Some(PyRef::O(cls)) = args.first().filter(|c| c.as_type().is_some()) else {
        return Err(type_error("__new__(X): X is not a type object"));
    };
    let x = new_object(cls);
    for (name, value) in fields {
        set_field(&x, name, value);
    }
    Ok(x)
}

/// A `Filter` or `DomainFilter` object as pymem-trace's.
fn rust_filter(f: &PyRef) -> PyResult<TraceFilter> {
    let inclusive = ops::truthy(&ops::getattr_str(f, "inclusive")?)?;
    let domain = ops::getattr_str(f, "domain")?;
    let Some(pattern) = crate::attr::getattr_opt(f, "filename_pattern")? else {
        return Ok(DomainFilter::new(inclusive, ops::index(&domain)? as u32).into());
    };
    let mut filter = Filter::new(inclusive, &ops::str_of(&pattern)?);
    let lineno = ops::getattr_str(f, "lineno")?;
    if !lineno.is_none() {
        filter = filter.lineno(ops::index(&lineno)? as u32);
    }
    filter = filter.all_frames(ops::truthy(&ops::getattr_str(f, "all_frames")?)?);
    if !domain.is_none() {
        filter = filter.domain(ops::index(&domain)? as u32);
    }
    Ok(filter.into())
}

// ---- Text forms -----------------------------------------------------------------------

/// An attribute formatted as CPython's `_format_size`.
fn size_text(x: &PyRef, name: &str, signed: bool) -> PyResult<String> {
    Ok(format_size(attr_i64(x, name)? as f64, signed))
}

/// `, average=...`, or nothing when `count` is 0.
fn average(x: &PyRef) -> PyResult<String> {
    let count = attr_i64(x, "count")?;
    if count == 0 {
        return Ok(String::new());
    }
    let avg = attr_i64(x, "size")? as f64 / count as f64;
    Ok(format!(", average={}", format_size(avg, false)))
}

/// `str(x.traceback)`: one of our tracebacks formatted here (whatever way `str()` finds
/// to a built-in `__str__`), another object through `str()`.
fn tb_text(x: &PyRef) -> PyResult<String> {
    let tb = ops::getattr_str(x, "traceback")?;
    match is_traceback(&tb) {
        true => Ok(rust_traceback(&tb)?.to_string()),
        false => ops::str_of(&tb),
    }
}

/// `repr(x.traceback)`, as [`tb_text`].
fn tb_repr(x: &PyRef) -> PyResult<String> {
    let tb = ops::getattr_str(x, "traceback")?;
    match is_traceback(&tb) {
        true => Ok(format!("{:?}", rust_traceback(&tb)?)),
        false => ops::repr(&tb),
    }
}

/// Whether `x` is one of our `Traceback` objects.
fn is_traceback(x: &PyRef) -> bool {
    receiver(&TRACEBACK, "__str__", std::slice::from_ref(x)).is_ok()
}

/// `str(statistic)`: `a.py:5: size=5002 B, count=2, average=2501 B`.
fn statistic_str(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&STATISTIC, "__str__", args)?;
    let (tb, size, count) = (
        tb_text(x)?,
        size_text(x, "size", false)?,
        attr_i64(x, "count")?,
    );
    Ok(val::string(format!(
        "{tb}: size={size}, count={count}{}",
        average(x)?
    )))
}

/// `repr(statistic)`.
fn statistic_repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&STATISTIC, "__repr__", args)?;
    let (tb, size, count) = (tb_repr(x)?, attr_i64(x, "size")?, attr_i64(x, "count")?);
    Ok(val::string(format!(
        "<Statistic traceback={tb} size={size} count={count}>"
    )))
}

/// `str(diff)`: `a.py:5: size=5002 B (+5000 B), count=2 (+1), average=2501 B`.
fn diff_str(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&STATISTIC_DIFF, "__str__", args)?;
    let (size, size_diff) = (
        size_text(x, "size", false)?,
        size_text(x, "size_diff", true)?,
    );
    let (count, count_diff) = (attr_i64(x, "count")?, attr_i64(x, "count_diff")?);
    let tb = tb_text(x)?;
    Ok(val::string(format!(
        "{tb}: size={size} ({size_diff}), count={count} ({count_diff:+}){}",
        average(x)?
    )))
}

/// `repr(diff)`.
fn diff_repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&STATISTIC_DIFF, "__repr__", args)?;
    let (size, size_diff) = (attr_i64(x, "size")?, attr_i64(x, "size_diff")?);
    let (count, count_diff) = (attr_i64(x, "count")?, attr_i64(x, "count_diff")?);
    let tb = tb_repr(x)?;
    Ok(val::string(format!(
        "<StatisticDiff traceback={tb} size={size} ({size_diff:+}) count={count} ({count_diff:+})>"
    )))
}

/// `str(trace)`: `b.py:4: 10 B`.
fn trace_str(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&TRACE, "__str__", args)?;
    Ok(val::string(format!(
        "{}: {}",
        tb_text(x)?,
        size_text(x, "size", false)?
    )))
}

/// `repr(trace)`.
fn trace_repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&TRACE, "__repr__", args)?;
    let (domain, size, tb) = (
        attr_i64(x, "domain")?,
        size_text(x, "size", false)?,
        tb_repr(x)?,
    );
    Ok(val::string(format!(
        "<Trace domain={domain} size={size}, traceback={tb}>"
    )))
}

/// `str(frame)`: `file:line`.
fn frame_str(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let f = rust_frame(receiver(&FRAME, "__str__", args)?)?;
    Ok(val::string(f.to_string()))
}

/// `repr(frame)`: `<Frame filename='file' lineno=1>`.
fn frame_repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let f = rust_frame(receiver(&FRAME, "__repr__", args)?)?;
    Ok(val::string(format!("{f:?}")))
}

/// `frame == other`: by `(filename, lineno)`.
fn frame_eq(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let a = rust_frame(receiver(&FRAME, "__eq__", args)?)?;
    let Some(other) = args
        .get(1)
        .filter(|o| receiver(&FRAME, "__eq__", std::slice::from_ref(o)).is_ok())
    else {
        return Ok(val::not_implemented());
    };
    Ok(val::bool_(a == rust_frame(other)?))
}

/// `hash(frame)`: of `(filename, lineno)`.
fn frame_hash(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let f = receiver(&FRAME, "__hash__", args)?;
    let pair = val::tuple(vec![
        ops::getattr_str(f, "filename")?,
        ops::getattr_str(f, "lineno")?,
    ]);
    Ok(val::int(ops::hash(&pair)? as i64))
}

/// `str(traceback)`: its oldest frame.
fn traceback_str(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let tb = rust_traceback(receiver(&TRACEBACK, "__str__", args)?)?;
    Ok(val::string(tb.to_string()))
}

/// `repr(traceback)`: `<Traceback (<Frame ...>,)>`, with ` total_nframe=N` when known.
fn traceback_repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let tb = rust_traceback(receiver(&TRACEBACK, "__repr__", args)?)?;
    Ok(val::string(format!("{tb:?}")))
}

/// `len(traceback)`.
fn traceback_len(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&TRACEBACK, "__len__", args)?;
    Ok(int(tuple_items(x).len()))
}

/// `traceback[i]` (a `Frame`) or `traceback[i:j]` (a tuple of them).
fn traceback_getitem(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&TRACEBACK, "__getitem__", args)?;
    let key = args
        .get(1)
        .ok_or_else(|| type_error("expected 1 argument, got 0"))?;
    ops::getitem(&val::tuple(tuple_items(x).to_vec()), key)
}

/// `traceback.format(limit=None, most_recent_first=False)`: the lines CPython's
/// `traceback` module would print, with the source lines that can be read.
fn traceback_format(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let tb = rust_traceback(receiver(&TRACEBACK, "format", args)?)?;
    super::check_kw("format", kw, &["limit", "most_recent_first"])?;
    let limit = match arg("format", &args[1..], kw, 0, "limit")? {
        Some(l) if !l.is_none() => Some(ops::index(&l)? as isize),
        _ => None,
    };
    let recent_first = match arg("format", &args[1..], kw, 1, "most_recent_first")? {
        Some(r) => ops::truthy(&r)?,
        None => false,
    };
    let lines = tb.format(limit, recent_first);
    Ok(val::list(lines.into_iter().map(val::string).collect()))
}
