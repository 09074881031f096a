//! Slices: CPython's `PySlice_GetIndicesEx`, and taking a slice of the built-in sequences.

use pymem::Gc;

use crate::error::{PyResult, err, type_error, value_error};
use crate::obj::{Atom, Kind, PyRef, Range};
use crate::types::{lookup, type_of};
use crate::{ops, val};

/// A slice resolved against a length: the first index, the step and the number of items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: isize,
    pub(crate) stop: isize,
    pub(crate) step: isize,
    pub(crate) len: usize,
}

impl Span {
    /// The slice's positions in the sequence, in slice order.
    pub(crate) fn positions(self) -> impl Iterator<Item = usize> {
        (0..self.len).map(move |k| (self.start + k as isize * self.step) as usize)
    }

    /// Whether the slice is the whole sequence in order (`x[:]`).
    pub(crate) fn is_whole(self, len: usize) -> bool {
        self.start == 0 && self.step == 1 && self.len == len
    }
}

/// `slice(start, stop, step).indices(len)` with the slice length (CPython's
/// `PySlice_GetIndicesEx`): `(start, stop, step, slicelength)`.
pub(crate) fn slice_indices(
    start: &PyRef,
    stop: &PyRef,
    step: &PyRef,
    len: usize,
) -> PyResult<(isize, isize, isize, usize)> {
    let step = slice_step(step)?;
    // Absent bounds cover everything in the step's direction.
    let (lo, hi) = if step < 0 {
        (isize::MAX, isize::MIN)
    } else {
        (0, isize::MAX)
    };
    let (start, stop) = (bound_or(start, lo)?, bound_or(stop, hi)?);
    let len = len as isize;
    let (start, stop) = (adjust(start, len, step), adjust(stop, len, step));
    let n = match step < 0 {
        true if stop < start => (start - stop - 1) / -step + 1,
        false if start < stop => (stop - start - 1) / step + 1,
        _ => 0,
    };
    Ok((start, stop, step, n as usize))
}

/// A slice's step: 1 when absent, never 0.
fn slice_step(step: &PyRef) -> PyResult<isize> {
    if step.is_none() {
        return Ok(1);
    }
    match slice_index(step)? {
        0 => Err(value_error("slice step cannot be zero")),
        // -isize::MAX keeps `-step` representable.
        s => Ok(s.max(-isize::MAX)),
    }
}

/// A slice bound, or `default` when it is `None`.
fn bound_or(x: &PyRef, default: isize) -> PyResult<isize> {
    if x.is_none() {
        Ok(default)
    } else {
        slice_index(x)
    }
}

/// One bound clamped into the sequence (CPython's `PySlice_AdjustIndices`).
fn adjust(i: isize, len: isize, step: isize) -> isize {
    if i < 0 {
        let i = i + len;
        return if i >= 0 {
            i
        } else if step < 0 {
            -1
        } else {
            0
        };
    }
    if i >= len {
        if step < 0 { len - 1 } else { len }
    } else {
        i
    }
}

/// A slice bound (CPython's `_PyEval_SliceIndex`): ints beyond the machine range clamp.
fn slice_index(x: &PyRef) -> PyResult<isize> {
    match x.atom() {
        Some(Atom::Int(_) | Atom::Bool(_)) => Ok(x.as_i64().unwrap_or(0) as isize),
        Some(Atom::Big(b)) => Ok(if b.sign() == num_bigint::Sign::Minus {
            isize::MIN
        } else {
            isize::MAX
        }),
        _ if has_index(x) => Ok(ops::index(x)? as isize),
        _ => Err(type_error(
            "slice indices must be integers or None or have an __index__ method",
        )),
    }
}

/// Whether `x`'s class defines `__index__`.
pub(crate) fn has_index(x: &PyRef) -> bool {
    x.as_instance().is_some() && lookup(&type_of(x), "__index__").is_some()
}

/// The three parts of a slice object, if `key` is one.
pub(crate) fn as_slice(key: &PyRef) -> Option<&[PyRef; 3]> {
    match key.kind() {
        Some(Kind::Slice(parts)) => Some(parts),
        _ => None,
    }
}

/// A slice object resolved against `len`.
pub(crate) fn span(parts: &[PyRef; 3], len: usize) -> PyResult<Span> {
    let (start, stop, step, len) = slice_indices(&parts[0], &parts[1], &parts[2], len)?;
    Ok(Span {
        start,
        stop,
        step,
        len,
    })
}

/// The items of `items` a span selects.
pub(crate) fn pick<T: Clone>(items: &[T], sp: Span) -> Vec<T> {
    if sp.step == 1 {
        let lo = sp.start as usize;
        return items[lo..lo + sp.len].to_vec();
    }
    sp.positions().map(|i| items[i].clone()).collect()
}

/// `s[slice]` for a str, by code points (by bytes when it is ASCII).
pub(crate) fn str_slice(x: &PyRef, s: &crate::obj::PyStr, parts: &[PyRef; 3]) -> PyResult {
    let sp = span(parts, s.nchars)?;
    if sp.is_whole(s.nchars) {
        return Ok(x.clone());
    }
    if s.is_ascii() {
        let bytes = pick(s.s.as_bytes(), sp);
        return Ok(val::string(String::from_utf8(bytes).unwrap_or_default()));
    }
    if sp.step == 1 {
        let text: String = s.s.chars().skip(sp.start as usize).take(sp.len).collect();
        return Ok(val::string(text));
    }
    let chars: Vec<char> = s.s.chars().collect();
    Ok(val::string(pick(&chars, sp).into_iter().collect()))
}

/// `b[slice]` for bytes.
pub(crate) fn bytes_slice(x: &PyRef, b: &[u8], parts: &[PyRef; 3]) -> PyResult {
    let sp = span(parts, b.len())?;
    if sp.is_whole(b.len()) {
        return Ok(x.clone());
    }
    Ok(val::bytes(pick(b, sp)))
}

/// `r[slice]` for a range: another range (CPython's `compute_slice`).
pub(crate) fn range_slice(r: &Range, parts: &[PyRef; 3]) -> PyResult {
    let sp = span(parts, range_len(r)?)?;
    let item = |i: isize| r.start as i128 + i as i128 * r.step as i128;
    let step = r.step as i128 * sp.step as i128;
    let fit = |v: i128| {
        i64::try_from(v)
            .map_err(|_| crate::error::overflow_error("Python int too large to convert to C long"))
    };
    let r = Range {
        start: fit(item(sp.start))?,
        stop: fit(item(sp.stop))?,
        step: fit(step)?,
    };
    Ok(range_obj(r))
}

/// A range object.
pub(crate) fn range_obj(r: Range) -> PyRef {
    PyRef::A(Gc::new(Atom::Range(r)))
}

/// The number of values of a range, exactly (an i64 range may hold more than i64::MAX).
pub(crate) fn range_count(r: &Range) -> i128 {
    let (lo, hi, step) = match r.step > 0 {
        true => (r.start as i128, r.stop as i128, r.step as i128),
        false => (r.stop as i128, r.start as i128, -(r.step as i128)),
    };
    if lo >= hi {
        0
    } else {
        (hi - lo - 1) / step + 1
    }
}

/// `len(r)` for a range: `OverflowError` beyond what a length can be.
pub(crate) fn range_len(r: &Range) -> PyResult<usize> {
    usize::try_from(range_count(r))
        .ok()
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or_else(|| crate::error::overflow_error("Python int too large to convert to C ssize_t"))
}

/// `r[i]` for a range with `i` already in bounds.
pub(crate) fn range_item(r: &Range, i: usize) -> PyRef {
    let v = r.start as i128 + i as i128 * r.step as i128;
    match i64::try_from(v) {
        Ok(v) => val::int(v),
        Err(_) => val::bigint(v.into()),
    }
}

/// The `ValueError` of an extended slice assignment whose sizes differ.
pub(crate) fn check_extended_size(sp: Span, n: usize) -> PyResult<()> {
    if sp.step == 1 || n == sp.len {
        return Ok(());
    }
    let msg = format!(
        "attempt to assign sequence of size {n} to extended slice of size {}",
        sp.len
    );
    Err(value_error(msg))
}

/// The list assignment `l[slice] = seq`, sizes already checked (CPython's
/// `list_ass_subscript`); returns the replaced items, to be dropped with no borrow held.
pub(crate) fn assign_slice(items: &mut Vec<PyRef>, sp: Span, seq: Vec<PyRef>) -> Vec<PyRef> {
    if sp.step == 1 {
        let lo = (sp.start.max(0) as usize).min(items.len());
        let hi = (sp.stop.max(0) as usize).clamp(lo, items.len());
        // CPython's list_ass_slice releases the replaced items last to first.
        return items.splice(lo..hi, seq).rev().collect();
    }
    let mut old = Vec::with_capacity(seq.len());
    for (i, v) in sp.positions().zip(seq) {
        // The list may have shrunk while the values were computed: keep the rest to drop.
        match items.get_mut(i) {
            Some(slot) => old.push(std::mem::replace(slot, v)),
            None => old.push(v),
        }
    }
    old
}

/// Removes the items of a span, returning them (to be dropped with no borrow held).
pub(crate) fn delete_slice<T>(items: &mut Vec<T>, sp: Span) -> Vec<T> {
    if sp.len == 0 {
        return Vec::new();
    }
    if sp.step == 1 {
        let lo = (sp.start as usize).min(items.len());
        let hi = (lo + sp.len).min(items.len());
        // As list_ass_slice, last to first.
        return items.drain(lo..hi).rev().collect();
    }
    let mut doomed = vec![false; items.len()];
    for i in sp.positions() {
        if let Some(d) = doomed.get_mut(i) {
            *d = true;
        }
    }
    let mut kept = Vec::with_capacity(items.len() - sp.len);
    let mut removed = Vec::with_capacity(sp.len);
    for (x, gone) in items.drain(..).zip(doomed) {
        if gone { removed.push(x) } else { kept.push(x) }
    }
    *items = kept;
    removed
}

/// The bytes `b[slice] = value` assigns to a bytearray: bytes-like objects or iterables of
/// ints in range(0, 256).
pub(crate) fn assign_bytes_source(value: &PyRef) -> PyResult<Vec<u8>> {
    if let Some(b) = super::bytes_of(value) {
        return Ok(b);
    }
    let refuse =
        || type_error("can assign only bytes, buffers, or iterables of ints in range(0, 256)");
    if value.as_i64().is_some()
        || value.as_str().is_some()
        || matches!(value.atom(), Some(Atom::Big(_)))
    {
        return Err(refuse());
    }
    let items = ops::collect(value).map_err(|e| if e.is("TypeError") { refuse() } else { e })?;
    items.iter().map(byte_value).collect()
}

/// One byte for a bytearray: an int in range(0, 256).
pub(crate) fn byte_value(x: &PyRef) -> PyResult<u8> {
    let i = ops::index(x)?;
    u8::try_from(i).map_err(|_| value_error("byte must be in range(0, 256)"))
}

/// The bytearray assignment `b[slice] = data`.
pub(crate) fn assign_bytes(items: &mut Vec<u8>, sp: Span, data: Vec<u8>) -> PyResult<()> {
    if sp.step == 1 {
        let lo = (sp.start.max(0) as usize).min(items.len());
        let hi = (sp.stop.max(0) as usize).clamp(lo, items.len());
        items.splice(lo..hi, data);
        return Ok(());
    }
    if data.len() != sp.len {
        let msg = format!(
            "attempt to assign bytes of size {} to extended slice of size {}",
            data.len(),
            sp.len
        );
        return Err(value_error(msg));
    }
    for (i, b) in sp.positions().zip(data) {
        if let Some(slot) = items.get_mut(i) {
            *slot = b;
        }
    }
    Ok(())
}

/// `IndexError` for an index too large for the machine (`x[2**100]`).
pub(crate) fn index_overflow() -> crate::error::PyErr {
    err("IndexError", "cannot fit 'int' into an index-sized integer")
}
