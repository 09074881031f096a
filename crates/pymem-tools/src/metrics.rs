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

fn gauge(
    e: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    unit: Option<&Unit>,
    value: u64,
) -> Result {
    let metric = ConstGauge::new(value as i64);
    metric.encode(e.encode_descriptor(name, help, unit, MetricType::Gauge)?)
}

impl PymemCollector {
    fn counters(&self, e: &mut DescriptorEncoder) -> Result {
        let g = &self.0;
        let families = [
            (
                "pymem_gc_collections",
                "Collections, by generation",
                &g.collections,
            ),
            (
                "pymem_gc_objects_collected",
                "Unreachable objects destroyed by collections, by generation",
                &g.collected,
            ),
            (
                "pymem_gc_objects_uncollectable",
                "Unreachable objects collections could not destroy, by generation",
                &g.uncollectable,
            ),
        ];
        for (name, help, cells) in families {
            encode_family(
                e,
                Family {
                    name,
                    help,
                    kind: MetricType::Counter,
                    series: by_generation(cells),
                },
            )?;
        }
        Ok(())
    }

    fn pauses(&self, e: &mut DescriptorEncoder) -> Result {
        let help = "Collection pauses, by generation";
        let kind = MetricType::Histogram;
        let mut family = e.encode_descriptor("pymem_gc_pause", help, Some(&Unit::Seconds), kind)?;
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
        (
            Gauges::get(&self.0.pause_nanos[g]) as f64 / 1e9,
            count,
            buckets,
        )
    }

    fn generations(&self, e: &mut DescriptorEncoder) -> Result {
        let g = &self.0;
        let count_help = "gc.get_count(): generation 0's tracked allocations minus deallocations, then collections of the younger generation";
        let tracked_help =
            "Tracked objects, by generation (as of the last Publisher::publish_tracked)";
        let families = [
            ("pymem_gc_count", count_help, &g.counts),
            ("pymem_gc_tracked_objects", tracked_help, &g.tracked),
        ];
        for (name, help, cells) in families {
            let (kind, series) = (MetricType::Gauge, by_generation(cells));
            encode_family(
                e,
                Family {
                    name,
                    help,
                    kind,
                    series,
                },
            )?;
        }
        Ok(())
    }

    fn heap(&self, e: &mut DescriptorEncoder) -> Result {
        let g = &self.0;
        let bytes = Some(&Unit::Bytes);
        gauge(
            e,
            "pymem_heap_allocated",
            "Bytes in allocated pool blocks",
            bytes,
            Gauges::get(&g.heap_bytes),
        )?;
        gauge(
            e,
            "pymem_heap_blocks_allocated",
            "Object blocks allocated (sys.getallocatedblocks())",
            None,
            Gauges::get(&g.blocks),
        )?;
        gauge(
            e,
            "pymem_heap_arenas",
            "Arenas held",
            None,
            Gauges::get(&g.arenas),
        )?;
        let help = "Allocated blocks, by size class (bytes)";
        let series = by_size_class(&g.class_blocks);
        encode_family(
            e,
            Family {
                name: "pymem_heap_class_blocks",
                help,
                kind: MetricType::Gauge,
                series,
            },
        )
    }

    fn process(&self, e: &mut DescriptorEncoder) -> Result {
        let (g, bytes) = (&self.0, Some(&Unit::Bytes));
        gauge(
            e,
            "pymem_traced_current",
            "Bytes traced by tracemalloc now",
            bytes,
            Gauges::get(&g.traced[0]),
        )?;
        gauge(
            e,
            "pymem_traced_peak",
            "Most bytes traced by tracemalloc at once",
            bytes,
            Gauges::get(&g.traced[1]),
        )?;
        gauge(
            e,
            "process_resident_memory",
            "Resident memory size",
            bytes,
            rss_bytes(),
        )
    }
}

impl Collector for PymemCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result {
        self.counters(&mut encoder)?;
        self.pauses(&mut encoder)?;
        self.generations(&mut encoder)?;
        self.heap(&mut encoder)?;
        self.process(&mut encoder)
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
