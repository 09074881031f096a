//! (L3) `random.Random`'s sequence methods (`choice`, `shuffle`, `sample`, `choices`),
//! drawing exactly as `Lib/random.py` of CPython 3.13 does.

use std::collections::HashSet;

use crate::code::{BinOp, CmpOp};
use crate::error::{PyResult, err, type_error, value_error};
use crate::obj::{Kind, PyRef};
use crate::{ops, val};

use super::Kw;
use super::math::real;
use super::random::{Gen, gen_of, params, required};

/// `Random.choice(self, seq)`.
pub(super) fn choice(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("choice", args, kw, &["seq"])?;
    let seq = required("choice", p[0].clone(), "seq")?;
    let n = ops::len(&seq)?;
    if n == 0 {
        return Err(err("IndexError", "Cannot choose from an empty sequence"));
    }
    let i = gen_of(args, "choice")?.borrow_mut().below_u64(n as u64);
    ops::getitem(&seq, &val::int(i as i64))
}

/// `Random.shuffle(self, x)`: Fisher-Yates from the end, in place.
pub(super) fn shuffle(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("shuffle", args, kw, &["x"])?;
    let x = required("shuffle", p[0].clone(), "x")?;
    let g = gen_of(args, "shuffle")?;
    for i in (1..ops::len(&x)?).rev() {
        let j = g.borrow_mut().below_u64(i as u64 + 1) as usize;
        swap(&x, i, j)?;
    }
    Ok(val::none())
}

/// `x[i], x[j] = x[j], x[i]`.
fn swap(x: &PyRef, i: usize, j: usize) -> PyResult<()> {
    if let Some(l) = x.as_list() {
        let mut l = l.borrow_mut();
        if i < l.len() && j < l.len() {
            l.swap(i, j);
            return Ok(());
        }
    }
    let (ki, kj) = (val::int(i as i64), val::int(j as i64));
    let (a, b) = (ops::getitem(x, &kj)?, ops::getitem(x, &ki)?);
    ops::setitem(x, &ki, a)?;
    ops::setitem(x, &kj, b)
}

/// Whether `x` can be a population (`isinstance(x, collections.abc.Sequence)`): sets and
/// dicts cannot.
fn is_sequence(x: &PyRef) -> bool {
    !matches!(
        x.kind(),
        Some(Kind::Set(..)) | Some(Kind::Dict(_)) | Some(Kind::DictView(..))
    )
}

/// `Random.sample(self, population, k, *, counts=None)`.
pub(super) fn sample(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("sample", args, kw, &["population", "k", "counts"])?;
    let population = required("sample", p[0].clone(), "population")?;
    let k = required("sample", p[1].clone(), "k")?;
    if !is_sequence(&population) {
        return Err(type_error(
            "Population must be a sequence.  For dicts or sets, use sorted(d).",
        ));
    }
    let n = ops::len(&population)?;
    let g = gen_of(args, "sample")?;
    let k = ops::index(&k)?;
    match p[2].clone().filter(|c| !c.is_none()) {
        Some(counts) => sample_counts(&mut g.borrow_mut(), &population, n, k, &counts),
        None => {
            let picks = sample_indices(&mut g.borrow_mut(), n as u64, k)?;
            items(&population, &picks)
        }
    }
}

/// `population[i]` for each index.
fn items(population: &PyRef, picks: &[u64]) -> PyResult {
    let out: PyResult<Vec<PyRef>> = picks
        .iter()
        .map(|&i| ops::getitem(population, &val::int(i as i64)))
        .collect();
    Ok(val::list(out?))
}

/// The indices `sample(range(n), k)` picks: from a shrinking pool when `n` is small, else
/// by rejecting repeats (the same draws either way as `random.py`).
fn sample_indices(g: &mut Gen, n: u64, k: i64) -> PyResult<Vec<u64>> {
    if k < 0 || k as u64 > n {
        return Err(value_error("Sample larger than population or is negative"));
    }
    let k = k as u64;
    let mut setsize = 21u64;
    if k > 5 {
        let e = ((k * 3) as f64).ln() / 4f64.ln();
        setsize += 4u64.pow(e.ceil() as u32);
    }
    if n <= setsize {
        let mut pool: Vec<u64> = (0..n).collect();
        let picks = (0..k).map(|i| {
            let j = g.below_u64(n - i) as usize;
            let pick = pool[j];
            pool[j] = pool[(n - i - 1) as usize];
            pick
        });
        return Ok(picks.collect());
    }
    let mut selected = HashSet::new();
    let picks = (0..k).map(|_| {
        loop {
            let j = g.below_u64(n);
            if selected.insert(j) {
                break j;
            }
        }
    });
    Ok(picks.collect())
}

/// `sample(population, k, counts=counts)`: a sample of `range(total)` mapped through the
/// cumulative counts.
fn sample_counts(g: &mut Gen, population: &PyRef, n: usize, k: i64, counts: &PyRef) -> PyResult {
    let cum = accumulate(counts)?;
    if cum.len() != n {
        return Err(value_error(
            "The number of counts does not match the population",
        ));
    }
    let Some(total) = cum.last() else {
        return Err(err("IndexError", "pop from empty list"));
    };
    if total.as_i64().is_none() {
        return Err(type_error("Counts must be integers"));
    }
    let total = total.as_i64().unwrap_or(0);
    if total <= 0 {
        return Err(value_error("Total of counts must be greater than zero"));
    }
    let picks = sample_indices(g, total as u64, k)?;
    let cum = &cum[..cum.len() - 1];
    let mut out = Vec::with_capacity(picks.len());
    for s in picks {
        let i = bisect_right(cum, &val::int(s as i64), cum.len())?;
        out.push(ops::getitem(population, &val::int(i as i64))?);
    }
    Ok(val::list(out))
}

/// `list(itertools.accumulate(xs))`.
fn accumulate(xs: &PyRef) -> PyResult<Vec<PyRef>> {
    let mut out: Vec<PyRef> = Vec::new();
    for x in ops::collect(xs)? {
        let next = match out.last() {
            Some(acc) => ops::binary(BinOp::Add, acc, &x)?,
            None => x,
        };
        out.push(next);
    }
    Ok(out)
}

/// `bisect.bisect_right(a, x, 0, hi)`.
fn bisect_right(a: &[PyRef], x: &PyRef, hi: usize) -> PyResult<usize> {
    let (mut lo, mut hi) = (0, hi);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if ops::truthy(&ops::compare(x, &a[mid], CmpOp::Lt)?)? {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(lo)
}

/// `Random.choices(self, population, weights=None, *, cum_weights=None, k=1)`.
pub(super) fn choices(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let names = ["population", "weights", "cum_weights", "k"];
    let p = params("choices", args, kw, &names)?;
    let population = required("choices", p[0].clone(), "population")?;
    let k = p[3]
        .as_ref()
        .map(ops::index)
        .transpose()?
        .unwrap_or(1)
        .max(0);
    let n = ops::len(&population)?;
    let g = gen_of(args, "choices")?;
    let none_to_absent = |x: &Option<PyRef>| x.clone().filter(|x| !x.is_none());
    let Some(cum) = cum_weights(none_to_absent(&p[1]), none_to_absent(&p[2]))? else {
        let picks: Vec<u64> = (0..k)
            .map(|_| (g.borrow_mut().random() * n as f64).floor() as u64)
            .collect();
        return items(&population, &picks);
    };
    let total = weights_total(&cum, n)?;
    let mut out = Vec::with_capacity(k as usize);
    for _ in 0..k {
        let x = val::float(g.borrow_mut().random() * total);
        let i = bisect_right(&cum, &x, n - 1)?;
        out.push(ops::getitem(&population, &val::int(i as i64))?);
    }
    Ok(val::list(out))
}

/// The cumulative weights from `weights` or `cum_weights` (`None` if neither is given).
fn cum_weights(weights: Option<PyRef>, cum: Option<PyRef>) -> PyResult<Option<Vec<PyRef>>> {
    match (cum, weights) {
        (None, None) => Ok(None),
        (None, Some(w)) => accumulate(&w)
            .map(Some)
            .map_err(|e| weights_not_iterable(e, &w)),
        (Some(c), None) => ops::collect(&c).map(Some),
        (Some(_), Some(_)) => Err(type_error(
            "Cannot specify both weights and cumulative weights",
        )),
    }
}

/// The total of the cumulative weights as a float, checked as `random.py` checks it.
fn weights_total(cum: &[PyRef], n: usize) -> PyResult<f64> {
    if cum.len() != n {
        return Err(value_error(
            "The number of weights does not match the population",
        ));
    }
    let Some(last) = cum.last() else {
        return Err(err("IndexError", "list index out of range"));
    };
    let total = real(last)?;
    if total <= 0.0 {
        return Err(value_error("Total of weights must be greater than zero"));
    }
    if !total.is_finite() {
        return Err(value_error("Total of weights must be finite"));
    }
    Ok(total)
}

/// `choices(pop, 3)`'s hint that `k` must be given by keyword.
fn weights_not_iterable(e: crate::error::PyErr, w: &PyRef) -> crate::error::PyErr {
    match w.as_i64() {
        Some(k) if e.is("TypeError") => type_error(format!(
            "The number of choices must be a keyword argument: k={k}"
        )),
        _ => e,
    }
}
