//! The figures a pymem thread publishes for other threads (sampler, exporter) to read.
//!
//! pymem's heap is thread-local and `!Sync`, so no other thread may look at it. Instead the
//! owning thread writes a few atomics at *safe points*: after every collection (through a gc
//! callback, so pymem's allocation and deallocation paths are untouched and cost nothing
//! more; a full collection also refreshes the allocator's figures), and whenever it calls
//! [`Publisher::publish`]. Readers on any thread see the figures as of the last safe point;
//! none of them ever walks the heap.

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use pymem::gc::{self, CallbackId, CallbackInfo, Phase};

/// Number of pymem generations.
pub const GENERATIONS: usize = 3;
/// Number of pymalloc size classes (class `i` holds blocks of `16 * (i + 1)` bytes).
pub const SIZE_CLASSES: usize = 32;
/// Collections kept for readers that drain them ([`Gauges::take_collections`]).
const EVENT_CAPACITY: usize = 4096;

/// One collection, as the owning thread saw it end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CollectionEvent {
    /// Wall-clock time at the end of the collection.
    pub at: SystemTime,
    /// The generation collected.
    pub generation: usize,
    /// Objects destroyed.
    pub collected: usize,
    /// Unreachable objects left alive.
    pub uncollectable: usize,
    /// The pause.
    pub pause: Duration,
}

/// The published figures; every field is written by one thread and read by any.
#[derive(Debug, Default)]
pub struct Gauges {
    /// Collections per generation.
    pub collections: [AtomicU64; GENERATIONS],
    /// Objects destroyed by collections, per generation.
    pub collected: [AtomicU64; GENERATIONS],
    /// Unreachable objects left alive by collections, per generation.
    pub uncollectable: [AtomicU64; GENERATIONS],
    /// Sum of pauses per generation, in nanoseconds.
    pub pause_nanos: [AtomicU64; GENERATIONS],
    /// `gc.get_count()` per generation at the last safe point.
    pub counts: [AtomicU64; GENERATIONS],
    /// Tracked objects per generation at the last [`Publisher::publish_tracked`] (0 until
    /// then).
    pub tracked: [AtomicU64; GENERATIONS],
    /// Bytes in allocated pool blocks at the last [`Publisher::publish`].
    pub heap_bytes: AtomicU64,
    /// Allocated blocks per size class at the last [`Publisher::publish`].
    pub class_blocks: [AtomicU64; SIZE_CLASSES],
    /// Arenas held at the last [`Publisher::publish`].
    pub arenas: AtomicU64,
    /// Object blocks allocated (`sys.getallocatedblocks()`) at the last safe point.
    pub blocks: AtomicU64,
    /// tracemalloc's traced bytes now and at peak, at the last safe point.
    pub traced: [AtomicU64; 2],
    /// Collections per generation whose pause fell in each bucket of [`PAUSE_BUCKETS`]
    /// (not cumulative; the last cell is `+Inf`).
    pub pause_buckets: [[AtomicU64; PAUSE_BUCKETS.len() + 1]; GENERATIONS],
    events: Mutex<VecDeque<CollectionEvent>>,
}

/// Upper bounds (seconds) of the pause histogram's buckets.
pub const PAUSE_BUCKETS: [f64; 12] = [
    0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
];

impl Gauges {
    /// A relaxed load of one figure.
    pub fn get(cell: &AtomicU64) -> u64 {
        cell.load(Relaxed)
    }

    /// The collections recorded since the last call (at most the last 4096).
    pub fn take_collections(&self) -> Vec<CollectionEvent> {
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        events.drain(..).collect()
    }

    fn record(&self, event: CollectionEvent) {
        let g = event.generation;
        self.collections[g].fetch_add(1, Relaxed);
        self.collected[g].fetch_add(event.collected as u64, Relaxed);
        self.uncollectable[g].fetch_add(event.uncollectable as u64, Relaxed);
        self.pause_nanos[g].fetch_add(event.pause.as_nanos() as u64, Relaxed);
        let seconds = event.pause.as_secs_f64();
        let bucket = PAUSE_BUCKETS.iter().position(|&b| seconds <= b);
        self.pause_buckets[g][bucket.unwrap_or(PAUSE_BUCKETS.len())].fetch_add(1, Relaxed);
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        if events.len() == EVENT_CAPACITY {
            events.pop_front();
        }
        events.push_back(event);
    }

    /// The cheap figures: counters pymem keeps, read in O(1).
    fn refresh_counts(&self) {
        let (c0, c1, c2) = gc::get_count();
        for (cell, c) in self.counts.iter().zip([c0, c1, c2]) {
            cell.store(c as u64, Relaxed);
        }
        self.blocks
            .store(pymem::sys::getallocatedblocks() as u64, Relaxed);
        let (current, peak) = pymem::tracemalloc::get_traced_memory();
        self.traced[0].store(current as u64, Relaxed);
        self.traced[1].store(peak as u64, Relaxed);
    }

    /// The allocator's figures: a walk of the pool headers (pools, not objects).
    fn refresh_pools(&self) {
        let Some(stats) = pymem::sys::mallocstats() else {
            return;
        };
        self.heap_bytes
            .store(stats.allocated_bytes() as u64, Relaxed);
        self.arenas.store(stats.arenas_current as u64, Relaxed);
        for (cell, class) in self.class_blocks.iter().zip(stats.classes.iter()) {
            cell.store(class.blocks_in_use as u64, Relaxed);
        }
    }
}

/// Keeps a thread's [`Gauges`] up to date; lives on (and is `!Send` like) that thread.
/// Dropping it stops the updates.
pub struct Publisher {
    gauges: Arc<Gauges>,
    callback: CallbackId,
    /// `!Send`: the callback belongs to this thread's heap, and so must its removal.
    _thread_bound: PhantomData<*const ()>,
}

impl Publisher {
    /// Starts publishing the current thread's figures into `gauges`: registers a gc callback
    /// and publishes once.
    pub fn install(gauges: Arc<Gauges>) -> Publisher {
        let sink = gauges.clone();
        let callback = gc::add_callback(move |phase, info| on_collection(&sink, phase, info));
        let publisher = Publisher {
            gauges,
            callback,
            _thread_bound: PhantomData,
        };
        publisher.publish();
        publisher
    }

    /// A safe point: refreshes every figure, the allocator's included. Costs a walk of the
    /// pool headers (one per 16 KiB pool in use), never a walk of the objects.
    pub fn publish(&self) {
        self.gauges.refresh_counts();
        self.gauges.refresh_pools();
    }

    /// An expensive safe point, for programs that want tracked objects per generation:
    /// walks every generation's list (O(tracked objects); pymem keeps no per-generation
    /// count, which would cost its allocation path). Call it rarely.
    pub fn publish_tracked(&self) {
        for (g, cell) in self.gauges.tracked.iter().enumerate() {
            let objects = gc::get_objects(Some(g)).map_or(0, |objects| objects.len());
            cell.store(objects as u64, Relaxed);
        }
    }

    /// The gauges being published.
    pub fn gauges(&self) -> &Arc<Gauges> {
        &self.gauges
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        gc::remove_callback(self.callback);
    }
}

fn on_collection(gauges: &Gauges, phase: Phase, info: &CallbackInfo) {
    if phase != Phase::Stop {
        return;
    }
    gauges.record(CollectionEvent {
        at: SystemTime::now(),
        generation: info.generation,
        collected: info.collected,
        uncollectable: info.uncollectable,
        pause: info.duration,
    });
    gauges.refresh_counts();
    if info.generation == GENERATIONS - 1 {
        // A full collection walked every tracked object; the pool headers are fewer (a pool
        // holds at least 32 blocks), so the allocator's figures come nearly free here.
        gauges.refresh_pools();
    }
}
