//! memory_profiler's `mprof` recording format (`.dat`) and its `memory_usage()`.
//!
//! The lines are memory_profiler 0.61's: `CMDLINE <cmd>`, `MEM <MiB %.6f> <unix time %.4f>`
//! and `FUNC <name> <MiB> <t> <MiB> <t> <level>`. pymem adds two line kinds that `mprof`
//! skips (its reader ignores unknown fields): `HEAP <MiB %.6f> <unix time %.4f>` (pymem's pool
//! bytes) and `GC <generation> <collected> <pause seconds %.6f> <unix time %.4f>`.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::published::{CollectionEvent, Gauges};
use crate::rss::mib;
use crate::sampler::{FuncSpan, Recording, Sample, Sampler};

/// Seconds since the Unix epoch.
pub fn unix_seconds(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn from_unix(seconds: f64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs_f64(seconds.max(0.0))
}

/// The `.dat` text of a recording.
pub fn to_dat(recording: &Recording) -> String {
    let mut out = format!("CMDLINE {}\n", recording.cmdline);
    for s in &recording.samples {
        let t = unix_seconds(s.at);
        let _ = writeln!(out, "MEM {:.6} {:.4}", mib(s.rss), t);
        let _ = writeln!(out, "HEAP {:.6} {:.4}", mib(s.heap_bytes), t);
    }
    for c in &recording.collections {
        let pause = c.pause.as_secs_f64();
        let (g, n, t) = (c.generation, c.collected, unix_seconds(c.at));
        let _ = writeln!(out, "GC {g} {n} {pause:.6} {t:.4}");
    }
    recording.funcs.iter().for_each(|f| write_func(&mut out, f));
    out
}

fn write_func(out: &mut String, f: &FuncSpan) {
    let (m0, t0) = (f.start.0, unix_seconds(f.start.1));
    let (m1, t1) = (f.end.0, unix_seconds(f.end.1));
    let _ = writeln!(
        out,
        "FUNC {} {m0:.4} {t0:.4} {m1:.4} {t1:.4} {}",
        f.name, f.level
    );
}

/// An error in a `.dat` line: its number (from 1) and text.
#[derive(Debug, PartialEq, Eq)]
pub struct DatError(pub usize, pub String);

impl std::fmt::Display for DatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: cannot parse {:?}", self.0, self.1)
    }
}

impl std::error::Error for DatError {}

/// Reads a `.dat` file's text back (mprof's own files too; unknown lines are skipped, as
/// mprof does). Heap bytes are kept to the MiB precision the file has.
pub fn parse_dat(text: &str) -> Result<Recording, DatError> {
    let mut recording = Recording::default();
    for (i, line) in text.lines().enumerate() {
        parse_line(&mut recording, line).ok_or_else(|| DatError(i + 1, line.to_owned()))?;
    }
    Ok(recording)
}

fn parse_line(r: &mut Recording, line: &str) -> Option<()> {
    let (field, rest) = line.split_once(' ').unwrap_or((line, ""));
    let nums = || {
        rest.split(' ')
            .map(str::parse::<f64>)
            .collect::<Result<Vec<_>, _>>()
    };
    match field {
        "CMDLINE" => r.cmdline = rest.to_owned(),
        "MEM" => r.samples.push(mem_sample(&nums().ok()?)?),
        "HEAP" => heap_sample(r, &nums().ok()?)?,
        "GC" => r.collections.push(gc_event(&nums().ok()?)?),
        "FUNC" => r.funcs.push(func_span(rest)?),
        _ => {}
    }
    Some(())
}

fn bytes_of(mib_value: f64) -> u64 {
    (mib_value * 1024.0 * 1024.0).round() as u64
}

fn mem_sample(v: &[f64]) -> Option<Sample> {
    let [m, t] = v else { return None };
    let at = from_unix(*t);
    let (rss, heap_bytes, traced, counts) = (bytes_of(*m), 0, 0, [0; 3]);
    Some(Sample {
        at,
        rss,
        heap_bytes,
        traced,
        counts,
    })
}

/// A `HEAP` line completes the `MEM` sample with the same time stamp.
fn heap_sample(r: &mut Recording, v: &[f64]) -> Option<()> {
    let [m, t] = v else { return None };
    let last = r.samples.last_mut()?;
    (unix_seconds(last.at) - t)
        .abs()
        .lt(&1e-3)
        .then(|| last.heap_bytes = bytes_of(*m))
}

fn gc_event(v: &[f64]) -> Option<CollectionEvent> {
    let [g, n, pause, t] = v else { return None };
    Some(CollectionEvent {
        at: from_unix(*t),
        generation: (*g as usize).min(2),
        collected: *n as usize,
        uncollectable: 0,
        pause: Duration::from_secs_f64(pause.max(0.0)),
    })
}

fn func_span(rest: &str) -> Option<FuncSpan> {
    let mut parts = rest.split(' ');
    let name = parts.next()?.to_owned();
    let v: Vec<f64> = parts.map(str::parse).collect::<Result<_, _>>().ok()?;
    let level = v.get(4).map_or(0, |l| *l as usize);
    let start = (*v.first()?, from_unix(*v.get(1)?));
    let end = (*v.get(2)?, from_unix(*v.get(3)?));
    Some(FuncSpan {
        name,
        start,
        end,
        level,
    })
}

/// memory_profiler's `memory_usage((f, args), interval)`: runs `f` on this thread while a
/// sampler records the process's RSS every `interval`; the samples in MiB, and `f`'s result.
pub fn memory_usage<R>(interval: Duration, f: impl FnOnce() -> R) -> (Vec<f64>, R) {
    let sampler = Sampler::start(Arc::new(Gauges::default()), interval, "");
    let result = f();
    let recording = sampler.stop();
    (
        recording.samples.iter().map(|s| mib(s.rss)).collect(),
        result,
    )
}
