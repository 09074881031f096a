//! The published figures ([`Gauges`]) as Prometheus / OpenMetrics metric families.
//!
//! A scrape reads atomics only: it never touches the heap, so its cost does not grow with the
//! number of objects. Names follow Prometheus's conventions (`_total` counters, base units).

use std::fmt::Result;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, NoLabelSet, text::encode};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::{Registry, Unit};

use crate::published::{GENERATIONS, Gauges, PAUSE_BUCKETS};
use crate::rss::rss_bytes;

/// A Prometheus collector over a thread's published figures.
#[derive(Debug)]
pub struct PymemCollector(pub Arc<Gauges>);

type Labels = [(&'static str, String); 1];

/// One labelled family: its name, help, type and the `(labels, value)` of each series.
struct Family<'a> {
    name: &'a str,
    help: &'a str,
    kind: MetricType,
    series: Vec<(Labels, u64)>,
}

fn by_generation(cells: &[AtomicU64; GENERATIONS]) -> Vec<(Labels, u64)> {
    let label = |g: usize| [("generation", g.to_string())];
    (0..GENERATIONS)
        .map(|g| (label(g), Gauges::get(&cells[g])))
        .collect()
}

fn by_size_class(cells: &[AtomicU64]) -> Vec<(Labels, u64)> {
    let label = |class: usize| [("size_class", (16 * (class + 1)).to_string())];
    cells
        .iter()
        .enumerate()
        .map(|(c, cell)| (label(c), Gauges::get(cell)))
        .collect()
}

fn encode_family(e: &mut DescriptorEncoder, f: Family) -> Result {
    let mut family = e.encode_descriptor(f.name, f.help, None, f.kind)?;
    for (labels, value) in &f.series {
        let series = family.encode_family(labels)?;
        match f.kind {
            MetricType::Counter => ConstCounter::new(*value).encode(series)?,
            _ => ConstGauge::new(*value as i64).encode(series)?,
        }
    }
    Ok(())
}

/// `(name, help, cells)` of the per-generation families: counters, then gauges.
type PerGeneration<'a> = (&'static str, &'static str, &'a [AtomicU64; GENERATIONS]);
/// `(name, help, unit, value)` of an unlabelled gauge.
type Plain = (&'static str, &'static str, Option<&'static Unit>, u64);

static BYTES: Unit = Unit::Bytes;

const COLLECTIONS: &str = "Collections, by generation";
const COLLECTED: &str = "Unreachable objects destroyed by collections, by generation";
const UNCOLLECTABLE: &str = "Unreachable objects collections could not destroy, by generation";
const PAUSES: &str = "Collection pauses, by generation";
const COUNT: &str = "gc.get_count(): generation 0's tracked allocations minus deallocations, \
                     then collections of the younger generation";
const TRACKED: &str = "Tracked objects, by generation (as of the last Publisher::publish_tracked)";
const HEAP_BYTES: &str = "Bytes in allocated pool blocks";
const BLOCKS: &str = "Object blocks allocated (sys.getallocatedblocks())";
const ARENAS: &str = "Arenas held";
const CLASS_BLOCKS: &str = "Allocated blocks, by size class (bytes)";
const TRACED: &str = "Bytes traced by tracemalloc now";
const TRACED_PEAK: &str = "Most bytes traced by tracemalloc at once";
const RSS: &str = "Resident memory size";

fn gauge(e: &mut DescriptorEncoder, (name, help, unit, value): Plain) -> Result {
    let metric = ConstGauge::new(value as i64);
    metric.encode(e.encode_descriptor(name, help, unit, MetricType::Gauge)?)
}

impl PymemCollector {
    fn counters(&self) -> [PerGeneration<'_>; 3] {
        let g = &self.0;
        [
            ("pymem_gc_collections", COLLECTIONS, &g.collections),
            ("pymem_gc_objects_collected", COLLECTED, &g.collected),
            (
                "pymem_gc_objects_uncollectable",
                UNCOLLECTABLE,
                &g.uncollectable,
            ),
        ]
    }

    fn generation_gauges(&self) -> [PerGeneration<'_>; 2] {
        let g = &self.0;
        [
            ("pymem_gc_count", COUNT, &g.counts),
            ("pymem_gc_tracked_objects", TRACKED, &g.tracked),
        ]
    }

    fn plain_gauges(&self) -> [Plain; 6] {
        let (g, get) = (&self.0, Gauges::get);
        [
            (
                "pymem_heap_allocated",
                HEAP_BYTES,
                Some(&BYTES),
                get(&g.heap_bytes),
            ),
            ("pymem_heap_blocks_allocated", BLOCKS, None, get(&g.blocks)),
            ("pymem_heap_arenas", ARENAS, None, get(&g.arenas)),
            (
                "pymem_traced_current",
                TRACED,
                Some(&BYTES),
                get(&g.traced[0]),
            ),
            (
                "pymem_traced_peak",
                TRACED_PEAK,
                Some(&BYTES),
                get(&g.traced[1]),
            ),
            ("process_resident_memory", RSS, Some(&BYTES), rss_bytes()),
        ]
    }

    fn pauses(&self, e: &mut DescriptorEncoder) -> Result {
        let kind = MetricType::Histogram;
        let unit = Some(&Unit::Seconds);
        let mut family = e.encode_descriptor("pymem_gc_pause", PAUSES, unit, kind)?;
        for g in 0..GENERATIONS {
            let (sum, count, buckets) = self.histogram(g);
            let labels = [("generation", g.to_string())];
            let mut series = family.encode_family(&labels)?;
            series.encode_histogram::<NoLabelSet>(sum, count, &buckets, None)?;
        }
        Ok(())
    }

    /// Sum, count and per-bucket counts of generation `g`'s pauses (the encoder makes them
    /// cumulative; `f64::MAX` is its `+Inf`).
    fn histogram(&self, g: usize) -> (f64, u64, Vec<(f64, u64)>) {
        let bounds = PAUSE_BUCKETS.iter().copied().chain([f64::MAX]);
        let cells = &self.0.pause_buckets[g];
        let buckets: Vec<_> = bounds
            .zip(cells)
            .map(|(b, c)| (b, Gauges::get(c)))
            .collect();
        let count = buckets.iter().map(|(_, c)| c).sum();
        let sum = Gauges::get(&self.0.pause_nanos[g]) as f64 / 1e9;
        (sum, count, buckets)
    }

    fn per_generation(
        e: &mut DescriptorEncoder,
        families: &[PerGeneration],
        kind: MetricType,
    ) -> Result {
        for &(name, help, cells) in families {
            encode_family(
                e,
                Family {
                    name,
                    help,
                    kind,
                    series: by_generation(cells),
                },
            )?;
        }
        Ok(())
    }
}

impl Collector for PymemCollector {
    fn encode(&self, mut e: DescriptorEncoder) -> Result {
        Self::per_generation(&mut e, &self.counters(), MetricType::Counter)?;
        self.pauses(&mut e)?;
        Self::per_generation(&mut e, &self.generation_gauges(), MetricType::Gauge)?;
        let series = by_size_class(&self.0.class_blocks);
        let (name, kind) = ("pymem_heap_class_blocks", MetricType::Gauge);
        encode_family(
            &mut e,
            Family {
                name,
                help: CLASS_BLOCKS,
                kind,
                series,
            },
        )?;
        self.plain_gauges()
            .into_iter()
            .try_for_each(|plain| gauge(&mut e, plain))
    }
}

/// A registry holding a [`PymemCollector`] over `gauges`.
pub fn registry(gauges: Arc<Gauges>) -> Registry {
    let mut registry = Registry::default();
    registry.register_collector(Box::new(PymemCollector(gauges)));
    registry
}

/// The OpenMetrics text of `registry` (what a scrape returns).
pub fn render(registry: &Registry) -> String {
    let mut out = String::new();
    encode(&mut out, registry).expect("writing to a String cannot fail");
    out
}
