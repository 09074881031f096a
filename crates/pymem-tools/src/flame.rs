//! A tracemalloc snapshot as an allocation flame graph (memray's and Fil's report): folded
//! stacks (`a.py:2;b.py:4 4096`), and an SVG drawn by inferno, weighted by bytes or by
//! allocation count.

use std::collections::BTreeMap;
use std::io;

use inferno::flamegraph::{self, Options};
use pymem_trace::{BlockTrace, Snapshot};

/// What a frame's width stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    /// Bytes still allocated.
    Size,
    /// Blocks still allocated.
    Count,
}

impl Weight {
    fn of(self, trace: &BlockTrace) -> u64 {
        match self {
            Weight::Size => trace.size() as u64,
            Weight::Count => 1,
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Weight::Size => "bytes",
            Weight::Count => "allocations",
        }
    }
}

/// The snapshot's traces as folded stacks, oldest frame first, one line per distinct stack
/// (sorted), each with its total weight. A trace with no frames is `<unknown>`.
pub fn folded(snapshot: &Snapshot, weight: Weight) -> Vec<String> {
    let mut stacks: BTreeMap<String, u64> = BTreeMap::new();
    for trace in snapshot.traces() {
        *stacks.entry(stack(trace)).or_default() += weight.of(trace);
    }
    let line = |(stack, w): (String, u64)| format!("{stack} {w}");
    stacks.into_iter().map(line).collect()
}

/// A trace's frames, oldest first, `;`-separated (a `;` in a name becomes `:`).
fn stack(trace: &BlockTrace) -> String {
    let frames = trace.traceback().frames();
    let names: Vec<String> = frames
        .iter()
        .map(|f| f.to_string().replace(';', ":"))
        .collect();
    match names.is_empty() {
        true => "<unknown>".to_owned(),
        false => names.join(";"),
    }
}

/// An SVG flame graph of folded stack lines (from [`folded`]).
pub fn svg(lines: &[String], weight: Weight, title: &str) -> io::Result<Vec<u8>> {
    let mut options = Options::default();
    options.title = title.to_owned();
    options.count_name = weight.unit().to_owned();
    options.name_type = "Frame:".to_owned();
    let mut out = Vec::new();
    flamegraph::from_lines(&mut options, lines.iter().map(String::as_str), &mut out)
        .map_err(io::Error::other)?;
    Ok(out)
}
