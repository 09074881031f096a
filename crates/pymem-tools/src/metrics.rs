//! The published figures ([`Gauges`]) as Prometheus / OpenMetrics metric families.
//!
//! A scrape reads atomics only: it never touches the heap, so its cost does not grow with the
//! number of objects. Names follow Prometheus's conventions (`_total` counters, base units).

use std::sync::Arc;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{
    DescriptorEncoder, EncodeMetric, NoLabelSet as NoLabels, text::encode,
};
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

fn by_generation() -> impl Iterator<Item = (usize, Labels)> {
    (0..GENERATIONS).map(|g| (g, [("generation", g.to_string())]))
}

fn size_class_labels(class: usize) -> Labels {
    [("size_class", (16 * (class + 1)).to_string())]
}

impl PymemCollector {
    fn counters(
        &self,
        e: &mut DescriptorEncoder,
        name: &str,
        help: &str,
        cells: &[std::sync::atomic::AtomicU64; GENERATIONS],
    ) -> std::fmt::Result {
        let mut family = e.encode_descriptor(name, help, None, MetricType::Counter)?;
        for (g, labels) in by_generation() {
            ConstCounter::new(Gauges::get(&cells[g])).encode(family.encode_family(&labels)?)?;
        }
        Ok(())
    }

    fn gauge(
        e: &mut DescriptorEncoder,
        name: &str,
        help: &str,
        unit: Option<&Unit>,
        value: u64,
    ) -> std::fmt::Result {
        let metric = ConstGauge::new(value as i64);
        metric.encode(e.encode_descriptor(name, help, unit, MetricType::Gauge)?)
    }

    fn pauses(&self, e: &mut DescriptorEncoder) -> std::fmt::Result {
        let help = "Collection pauses, by generation";
        let mut family = e.encode_descriptor(
            "pymem_gc_pause",
            help,
            Some(&Unit::Seconds),
            MetricType::Histogram,
        )?;
        for (g, labels) in by_generation() {
            let (sum, count, buckets) = self.histogram(g);
            family
                .encode_family(&labels)?
                .encode_histogram::<NoLabels>(sum, count, &buckets, None)?;
        }
        Ok(())
    }

    /// Sum, count and per-bucket counts of generation `g`'s pauses (the encoder makes them
    /// cumulative; `f64::MAX` is its `+Inf`).
    fn histogram(&self, g: usize) -> (f64, u64, Vec<(f64, u64)>) {
        let bounds = PAUSE_BUCKETS.iter().copied().chain([f64::MAX]);
        let buckets: Vec<_> = bounds
            .zip(&self.0.pause_buckets[g])
            .map(|(b, c)| (b, Gauges::get(c)))
            .collect();
        let count = buckets.iter().map(|(_, c)| c).sum();
        (
            Gauges::get(&self.0.pause_nanos[g]) as f64 / 1e9,
            count,
            buckets,
        )
    }

    fn gc_families(&self, e: &mut DescriptorEncoder) -> std::fmt::Result {
        let g = &self.0;
        self.counters(
            e,
            "pymem_gc_collections",
            "Collections, by generation",
            &g.collections,
        )?;
        self.counters(
            e,
            "pymem_gc_objects_collected",
            "Unreachable objects destroyed by collections, by generation",
            &g.collected,
        )?;
        self.counters(
            e,
            "pymem_gc_objects_uncollectable",
            "Unreachable objects collections could not destroy, by generation",
            &g.uncollectable,
        )?;
        self.pauses(e)?;
        let help = "gc.get_count(): generation 0's tracked allocations minus deallocations, then collections of the younger generation";
        let mut family = e.encode_descriptor("pymem_gc_count", help, None, MetricType::Gauge)?;
        for (gen_, labels) in by_generation() {
            ConstGauge::new(Gauges::get(&g.counts[gen_]) as i64)
                .encode(family.encode_family(&labels)?)?;
        }
        Ok(())
    }

    fn heap_families(&self, e: &mut DescriptorEncoder) -> std::fmt::Result {
        let g = &self.0;
        let bytes = Some(&Unit::Bytes);
        Self::gauge(
            e,
            "pymem_heap_allocated",
            "Bytes in allocated pool blocks",
            bytes,
            Gauges::get(&g.heap_bytes),
        )?;
        Self::gauge(
            e,
            "pymem_heap_blocks_allocated",
            "Object blocks allocated (sys.getallocatedblocks())",
            None,
            Gauges::get(&g.blocks),
        )?;
        Self::gauge(
            e,
            "pymem_heap_arenas",
            "Arenas held",
            None,
            Gauges::get(&g.arenas),
        )?;
        let mut family = e.encode_descriptor(
            "pymem_heap_class_blocks",
            "Allocated blocks, by size class (bytes)",
            None,
            MetricType::Gauge,
        )?;
        for (class, cell) in g.class_blocks.iter().enumerate() {
            ConstGauge::new(Gauges::get(cell) as i64)
                .encode(family.encode_family(&size_class_labels(class))?)?;
        }
        drop(family);
        Self::gauge(
            e,
            "pymem_traced_current",
            "Bytes traced by tracemalloc now",
            bytes,
            Gauges::get(&g.traced[0]),
        )?;
        Self::gauge(
            e,
            "pymem_traced_peak",
            "Most bytes traced by tracemalloc at once",
            bytes,
            Gauges::get(&g.traced[1]),
        )?;
        Self::gauge(
            e,
            "process_resident_memory",
            "Resident memory size",
            bytes,
            rss_bytes(),
        )
    }
}

impl Collector for PymemCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> std::fmt::Result {
        self.gc_families(&mut encoder)?;
        self.heap_families(&mut encoder)
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
