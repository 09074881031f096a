//! [`Snapshot`]: the traces at one moment, and what CPython's `tracemalloc.Snapshot`
//! computes from them: statistics grouped by line, file or traceback, differences between
//! two snapshots, filtered copies.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::error::TracemallocError;
use crate::filter::TraceFilter;
use crate::format::format_size;
use crate::frame::{Frame, Traceback};

/// One traced block (CPython's `tracemalloc.Trace`).
///
/// ```
/// use pymem_trace::{BlockTrace, Frame, Traceback};
/// use std::sync::Arc;
///
/// let tb = Traceback::from_most_recent_first(vec![Frame::new("b.py", 4)], None);
/// let trace = BlockTrace::new(0, 10, Arc::new(tb));
/// assert_eq!(trace.to_string(), "b.py:4: 10 B");
/// assert_eq!(trace.size(), 10);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BlockTrace {
    domain: u32,
    size: usize,
    traceback: Arc<Traceback>,
}

impl BlockTrace {
    /// A trace of a `size`-byte block of `domain` allocated at `traceback`.
    pub fn new(domain: u32, size: usize, traceback: Arc<Traceback>) -> BlockTrace {
        BlockTrace {
            domain,
            size,
            traceback,
        }
    }

    /// The address space the block belongs to (0: the traced allocator's own blocks).
    pub fn domain(&self) -> u32 {
        self.domain
    }

    /// Bytes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Where it was allocated.
    pub fn traceback(&self) -> &Arc<Traceback> {
        &self.traceback
    }
}

/// `<traceback>: <size>`, e.g. `b.py:4: 10 B` (CPython's `str(trace)`).
impl fmt::Display for BlockTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            self.traceback,
            format_size(self.size as f64, false)
        )
    }
}

/// `<Trace domain=D size=S, traceback=<Traceback …>>` (CPython's `repr(trace)`).
impl fmt::Debug for BlockTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<Trace domain={} size={}, traceback={:?}>",
            self.domain,
            format_size(self.size as f64, false),
            self.traceback
        )
    }
}

/// How `statistics` and `compare_to` group traces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    /// By the most recent frame.
    Lineno,
    /// By the most recent frame's file.
    Filename,
    /// By the whole traceback.
    Traceback,
}

impl KeyType {
    /// Parses CPython's key names, `"lineno"`, `"filename"` and `"traceback"`.
    pub fn parse(key: &str) -> Result<KeyType, TracemallocError> {
        match key {
            "lineno" => Ok(KeyType::Lineno),
            "filename" => Ok(KeyType::Filename),
            "traceback" => Ok(KeyType::Traceback),
            other => Err(TracemallocError::UnknownKeyType(other.to_string())),
        }
    }
}

/// The size and number of the blocks allocated at one place (CPython's `Statistic`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statistic {
    /// The place: a one-frame traceback for `lineno` and `filename`.
    pub traceback: Arc<Traceback>,
    /// Bytes allocated there.
    pub size: usize,
    /// Blocks allocated there.
    pub count: usize,
}

/// `a.py:5: size=5002 B, count=2, average=2501 B` (CPython's `str(statistic)`).
impl fmt::Display for Statistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: size={}, count={}",
            self.traceback,
            format_size(self.size as f64, false),
            self.count
        )?;
        write_average(f, self.size, self.count)
    }
}

fn write_average(f: &mut fmt::Formatter<'_>, size: usize, count: usize) -> fmt::Result {
    if count == 0 {
        return Ok(());
    }
    write!(
        f,
        ", average={}",
        format_size(size as f64 / count as f64, false)
    )
}

/// A statistic and how it changed since an older snapshot (CPython's `StatisticDiff`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatisticDiff {
    /// The place.
    pub traceback: Arc<Traceback>,
    /// Bytes in the newer snapshot.
    pub size: usize,
    /// Bytes newer minus older.
    pub size_diff: isize,
    /// Blocks in the newer snapshot.
    pub count: usize,
    /// Blocks newer minus older.
    pub count_diff: isize,
}

/// `a.py:5: size=5002 B (+5000 B), count=2 (+1), average=2501 B` (CPython's `str`).
impl fmt::Display for StatisticDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: size={} ({}), count={} ({:+})",
            self.traceback,
            format_size(self.size as f64, false),
            format_size(self.size_diff as f64, true),
            self.count,
            self.count_diff
        )?;
        write_average(f, self.size, self.count)
    }
}

/// The traces of one moment (CPython's `tracemalloc.Snapshot`).
///
/// ```
/// use pymem_trace::{BlockTrace, Frame, Snapshot, Traceback};
/// use std::sync::Arc;
///
/// let at = |line| Arc::new(Traceback::from_most_recent_first(vec![Frame::new("a.py", line)], None));
/// let before = Snapshot::new(vec![BlockTrace::new(0, 2, at(5))], 1);
/// let after = Snapshot::new(
///     vec![BlockTrace::new(0, 2, at(5)), BlockTrace::new(0, 5000, at(5)), BlockTrace::new(0, 7, at(9))],
///     1,
/// );
/// let stats = after.statistics("lineno", false).unwrap();
/// assert_eq!(stats[0].to_string(), "a.py:5: size=5002 B, count=2, average=2501 B");
/// let diff = after.compare_to(&before, "lineno", false).unwrap();
/// assert_eq!(diff[0].to_string(), "a.py:5: size=5002 B (+5000 B), count=2 (+1), average=2501 B");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    traces: Vec<BlockTrace>,
    traceback_limit: usize,
}

impl Snapshot {
    /// A snapshot of `traces`, taken with `traceback_limit` frames per traceback.
    pub fn new(traces: Vec<BlockTrace>, traceback_limit: usize) -> Snapshot {
        Snapshot {
            traces,
            traceback_limit,
        }
    }

    /// The traces.
    pub fn traces(&self) -> &[BlockTrace] {
        &self.traces
    }

    /// The traceback limit the traces were taken with.
    pub fn traceback_limit(&self) -> usize {
        self.traceback_limit
    }

    /// CPython's `filter_traces(filters)`: a new snapshot of the traces that match at least
    /// one inclusive filter (if there is any) and that no exclusive filter rejects. With no
    /// filters, a copy.
    pub fn filter_traces(&self, filters: &[TraceFilter]) -> Snapshot {
        let (include, exclude): (Vec<&TraceFilter>, Vec<&TraceFilter>) =
            filters.iter().partition(|f| f.inclusive());
        let keep = |trace: &&BlockTrace| {
            (include.is_empty() || include.iter().any(|f| f.matches(trace)))
                && exclude.iter().all(|f| f.matches(trace))
        };
        Snapshot::new(
            self.traces.iter().filter(keep).cloned().collect(),
            self.traceback_limit,
        )
    }

    /// CPython's `statistics(key_type, cumulative)`: the traces grouped by `key_type`
    /// (`"lineno"`, `"filename"` or `"traceback"`), largest first. `cumulative` counts each
    /// trace once for every frame of its traceback (not with `"traceback"`).
    pub fn statistics(
        &self,
        key_type: &str,
        cumulative: bool,
    ) -> Result<Vec<Statistic>, TracemallocError> {
        let mut stats: Vec<Statistic> = self
            .group_by(key_type, cumulative)?
            .into_iter()
            .map(|(traceback, (size, count))| Statistic {
                traceback,
                size,
                count,
            })
            .collect();
        stats.sort_by(|a, b| (b.size, b.count, &b.traceback).cmp(&(a.size, a.count, &a.traceback)));
        Ok(stats)
    }

    /// CPython's `compare_to(old, key_type, cumulative)`: for every place in either
    /// snapshot, the statistic here and its difference from `old`, largest change first.
    pub fn compare_to(
        &self,
        old: &Snapshot,
        key_type: &str,
        cumulative: bool,
    ) -> Result<Vec<StatisticDiff>, TracemallocError> {
        let new_groups = self.group_by(key_type, cumulative)?;
        let mut old_groups: HashMap<Arc<Traceback>, (usize, usize)> =
            old.group_by(key_type, cumulative)?.into_iter().collect();
        let mut diffs: Vec<StatisticDiff> = Vec::new();
        for (traceback, (size, count)) in new_groups {
            let (old_size, old_count) = old_groups.remove(&traceback).unwrap_or((0, 0));
            diffs.push(diff(traceback, size, old_size, count, old_count));
        }
        for (traceback, (old_size, old_count)) in old_groups {
            diffs.push(diff(traceback, 0, old_size, 0, old_count));
        }
        diffs.sort_by(|a, b| diff_key(b).cmp(&diff_key(a)));
        Ok(diffs)
    }

    /// `(size, count)` per key, in order of first appearance.
    fn group_by(&self, key_type: &str, cumulative: bool) -> Result<Vec<Group>, TracemallocError> {
        let key = KeyType::parse(key_type)?;
        if cumulative && key == KeyType::Traceback {
            return Err(TracemallocError::CumulativeTraceback);
        }
        let mut groups = Groups::default();
        for trace in &self.traces {
            let tb = &trace.traceback;
            if cumulative {
                // Most recent first, as CPython walks its raw tuples.
                for frame in tb.frames().iter().rev() {
                    groups.add(one_frame(frame, key), trace.size);
                }
            } else {
                groups.add(group_key(tb, key), trace.size);
            }
        }
        Ok(groups.order)
    }
}

/// A grouping key and its traces' `(size, count)`.
type Group = (Arc<Traceback>, (usize, usize));

/// Accumulates `(size, count)` per key, keeping the keys' first-appearance order.
#[derive(Default)]
struct Groups {
    index: HashMap<Arc<Traceback>, usize>,
    order: Vec<Group>,
}

impl Groups {
    fn add(&mut self, key: Arc<Traceback>, size: usize) {
        let at = *self.index.entry(key.clone()).or_insert_with(|| {
            self.order.push((key, (0, 0)));
            self.order.len() - 1
        });
        // Sizes come from `BlockTrace::new`, which takes any `usize`: totals saturate rather
        // than wrap (CPython's are unbounded integers; no real heap gets near).
        let (total, count) = &mut self.order[at].1;
        *total = total.saturating_add(size);
        *count = count.saturating_add(1);
    }
}

/// The grouping key of one trace: all of its traceback, or its most recent frame (with line
/// 0 for `filename`).
fn group_key(tb: &Arc<Traceback>, key: KeyType) -> Arc<Traceback> {
    match (key, tb.most_recent()) {
        (KeyType::Traceback, _) | (_, None) => tb.clone(),
        (_, Some(frame)) => one_frame(frame, key),
    }
}

fn one_frame(frame: &Frame, key: KeyType) -> Arc<Traceback> {
    let frame = match key {
        KeyType::Filename => Frame::new(frame.filename_arc().clone(), 0),
        _ => frame.clone(),
    };
    Arc::new(Traceback::from_most_recent_first(vec![frame], None))
}

fn diff(
    traceback: Arc<Traceback>,
    size: usize,
    old_size: usize,
    count: usize,
    old_count: usize,
) -> StatisticDiff {
    StatisticDiff {
        traceback,
        size,
        size_diff: signed_diff(size, old_size),
        count,
        count_diff: signed_diff(count, old_count),
    }
}

/// `new - old`, saturated to `isize`'s range.
fn signed_diff(new: usize, old: usize) -> isize {
    let diff = new as i128 - old as i128;
    isize::try_from(diff).unwrap_or(if diff < 0 { isize::MIN } else { isize::MAX })
}

/// CPython's `StatisticDiff._sort_key`.
fn diff_key(d: &StatisticDiff) -> (usize, usize, usize, usize, &Traceback) {
    (
        d.size_diff.unsigned_abs(),
        d.size,
        d.count_diff.unsigned_abs(),
        d.count,
        &d.traceback,
    )
}
