//! A background thread that records memory over time: process RSS and the figures a pymem
//! thread publishes ([`Gauges`]), and every collection with its pause.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use crate::published::{CollectionEvent, GENERATIONS, Gauges};
use crate::rss::{mib, rss_bytes};

/// One sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// When it was taken.
    pub at: SystemTime,
    /// Process RSS in bytes.
    pub rss: u64,
    /// pymem's allocated pool bytes (as of the sampled thread's last safe point).
    pub heap_bytes: u64,
    /// tracemalloc's traced bytes (idem).
    pub traced: u64,
    /// `gc.get_count()` (idem).
    pub counts: [u64; GENERATIONS],
}

/// A function (or scope) seen entering and leaving: mprof's `FUNC` line.
#[derive(Clone, Debug, PartialEq)]
pub struct FuncSpan {
    /// `module.function`.
    pub name: String,
    /// Memory (MiB) and time at entry and exit.
    pub start: (f64, SystemTime),
    /// Idem, at exit.
    pub end: (f64, SystemTime),
    /// Nesting depth (0 for outermost).
    pub level: usize,
}

/// What a sampler recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recording {
    /// The command line (mprof's `CMDLINE`).
    pub cmdline: String,
    /// The samples, in time order.
    pub samples: Vec<Sample>,
    /// The collections, in time order.
    pub collections: Vec<CollectionEvent>,
    /// The profiled functions.
    pub funcs: Vec<FuncSpan>,
}

/// Takes one sample of `gauges` and RSS.
pub fn sample(gauges: &Gauges) -> Sample {
    Sample {
        at: SystemTime::now(),
        rss: rss_bytes(),
        heap_bytes: Gauges::get(&gauges.heap_bytes),
        traced: Gauges::get(&gauges.traced[0]),
        counts: gauges.counts.each_ref().map(Gauges::get),
    }
}

/// A running sampler; [`Sampler::stop`] ends it and returns the recording (dropping it ends
/// the thread and discards the recording).
pub struct Sampler {
    stop: Arc<AtomicBool>,
    /// `None` once stopped.
    thread: Option<JoinHandle<Recording>>,
    funcs: Mutex<Vec<FuncSpan>>,
    depth: AtomicUsize,
}

impl Sampler {
    /// Starts sampling `gauges` every `interval` on a new thread.
    pub fn start(gauges: Arc<Gauges>, interval: Duration, cmdline: &str) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let cmdline = cmdline.to_owned();
        let thread = std::thread::Builder::new()
            .name("pymem-sampler".into())
            .spawn(move || run(&gauges, interval, &flag, cmdline))
            .expect("spawning the sampler thread");
        let (funcs, depth) = (Mutex::new(Vec::new()), AtomicUsize::new(0));
        Sampler {
            stop,
            thread: Some(thread),
            funcs,
            depth,
        }
    }

    /// Runs `f`, recording its RSS and time at entry and exit as mprof's `FUNC` line for
    /// `name` (memory_profiler's `@profile` under `mprof run`); nested calls get deeper
    /// levels.
    pub fn profile<R>(&self, name: &str, f: impl FnOnce() -> R) -> R {
        let level = self.depth.fetch_add(1, Ordering::Relaxed);
        let start = (mib(rss_bytes()), SystemTime::now());
        let result = f();
        let end = (mib(rss_bytes()), SystemTime::now());
        self.depth.fetch_sub(1, Ordering::Relaxed);
        let span = FuncSpan {
            name: name.to_owned(),
            start,
            end,
            level,
        };
        self.funcs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(span);
        result
    }

    /// Stops the thread (after one last sample) and returns what it recorded.
    pub fn stop(mut self) -> Recording {
        let mut recording = self.finish().expect("stopped once");
        let funcs = self.funcs.get_mut().unwrap_or_else(|e| e.into_inner());
        recording.funcs = std::mem::take(funcs);
        recording
    }

    fn finish(&mut self) -> Option<Recording> {
        let thread = self.thread.take()?;
        self.stop.store(true, Ordering::Release);
        thread.thread().unpark();
        Some(thread.join().expect("the sampler thread panicked"))
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.finish();
    }
}

fn run(gauges: &Gauges, interval: Duration, stop: &AtomicBool, cmdline: String) -> Recording {
    let mut recording = Recording {
        cmdline,
        ..Recording::default()
    };
    loop {
        recording.samples.push(sample(gauges));
        recording.collections.extend(gauges.take_collections());
        if stop.load(Ordering::Acquire) {
            return recording;
        }
        std::thread::park_timeout(interval);
    }
}
