//! memory_profiler's line-by-line report (`@profile` + `show_results`) for a Rust scope.
//!
//! The scope marks each statement with [`LineProfiler::line`]`(line!())`; a measurement is
//! taken when the next statement starts (or the scope ends) and charged to the statement
//! that just ran, exactly as memory_profiler's trace function charges the previous line.
//! The memory measured is chosen by [`Backend`]: pymem's own heap bytes are exact and free
//! of RSS noise (no negative increments from allocator retention).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::rss::{mib, rss_bytes};

/// What a measurement reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Process RSS (memory_profiler's default `psutil` backend).
    Rss,
    /// This thread's pymem pool bytes (walks the pool headers at each line).
    Heap,
}

impl Backend {
    fn measure(self) -> f64 {
        match self {
            Backend::Rss => mib(rss_bytes()),
            Backend::Heap => mib(heap_bytes()),
        }
    }
}

fn heap_bytes() -> u64 {
    pymem::sys::mallocstats().map_or(0, |s| s.allocated_bytes() as u64)
}

/// One line's figures: memory_profiler's `(increment, max memory, occurrences)`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LineStats {
    /// Sum of the memory differences charged to the line (MiB).
    pub increment: f64,
    /// The most memory seen after the line ran (MiB).
    pub memory: f64,
    /// Times the line ran.
    pub occurrences: usize,
}

/// Records one scope's lines; [`LineProfiler::report`] prints the table.
pub struct LineProfiler {
    filename: String,
    source: String,
    first: u32,
    last: u32,
    backend: Backend,
    lines: BTreeMap<u32, LineStats>,
    /// The line running now and the one before it (memory_profiler's `prevlines`).
    current: Option<u32>,
    previous: Option<u32>,
}

impl LineProfiler {
    /// A profiler for the lines `first..=last` of `filename`, whose text is `source`;
    /// `first` is where the scope starts (memory_profiler's decorator line).
    pub fn new(filename: &str, source: &str, first: u32, last: u32, backend: Backend) -> Self {
        let (filename, source) = (filename.to_owned(), source.to_owned());
        let lines = BTreeMap::new();
        let (current, previous) = (Some(first), None);
        LineProfiler {
            filename,
            source,
            first,
            last,
            backend,
            lines,
            current,
            previous,
        }
    }

    /// Statement `lineno` starts: the previous statement is measured.
    pub fn line(&mut self, lineno: u32) {
        self.charge();
        self.previous = self.current;
        self.current = Some(lineno);
    }

    /// The scope returns: its last statement is measured.
    pub fn finish(&mut self) {
        self.charge();
        self.previous = self.current.take();
    }

    /// The figures so far, by line number.
    pub fn stats(&self) -> &BTreeMap<u32, LineStats> {
        &self.lines
    }

    /// memory_profiler's `CodeMap.trace` for the line that just ran.
    fn charge(&mut self) {
        let Some(line) = self.current else { return };
        let memory = self.backend.measure();
        let prev_line_memory = self
            .previous
            .and_then(|p| self.lines.get(&p))
            .map_or(0.0, |s| s.memory);
        let old = self.lines.get(&line).copied().unwrap_or_default();
        self.lines.insert(
            line,
            LineStats {
                increment: old.increment + (memory - prev_line_memory),
                memory: memory.max(old.memory),
                occurrences: old.occurrences + 1,
            },
        );
    }

    /// The table, in memory_profiler 0.61's `show_results` layout with `precision` digits.
    pub fn report(&self, precision: usize) -> String {
        let header = row(
            "Line #",
            "Mem usage",
            "Increment",
            "Occurrences",
            "Line Contents",
        );
        let mut out = format!(
            "Filename: {}\n\n{header}\n{}\n",
            self.filename,
            "=".repeat(header.len())
        );
        let source: Vec<&str> = self.source.split_inclusive('\n').collect();
        for lineno in self.first..=self.last {
            let text = source.get(lineno as usize - 1).copied().unwrap_or("");
            out.push_str(&self.report_line(lineno, text, precision));
        }
        out.push_str("\n\n");
        out
    }

    fn report_line(&self, lineno: u32, text: &str, precision: usize) -> String {
        let Some(s) = self.lines.get(&lineno) else {
            return row(&lineno.to_string(), "", "", "", text);
        };
        let cell = |v: f64| format!("{v:w$.precision$} MiB", w = precision + 4);
        let occurrences = s.occurrences.to_string();
        row(
            &lineno.to_string(),
            &cell(s.memory),
            &cell(s.increment),
            &occurrences,
            text,
        )
    }
}

/// memory_profiler's template `'{0:>6} {1:>12} {2:>12}  {3:>10}   {4:<}'`.
fn row(lineno: &str, memory: &str, increment: &str, occurrences: &str, text: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{lineno:>6} {memory:>12} {increment:>12}  {occurrences:>10}   {text}"
    );
    out
}
