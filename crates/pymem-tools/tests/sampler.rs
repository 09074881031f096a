//! The sampler thread: it records the collections of the watched thread, and ends when the
//! sampler is stopped or dropped (the only test in this binary, so that no other test's
//! sampler runs meanwhile).

use std::sync::Arc;
use std::time::Duration;

use pymem_tools::published::{Gauges, Publisher};
use pymem_tools::sampler::Sampler;

/// Threads of this process named `pymem-sampler` (Linux's /proc; 0 elsewhere).
fn sampler_threads() -> usize {
    let tasks = std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten();
    let name =
        |task: std::path::PathBuf| std::fs::read_to_string(task.join("comm")).unwrap_or_default();
    tasks
        .filter(|task| name(task.path()).trim() == "pymem-sampler")
        .count()
}

/// [`sampler_threads`] once it equals `n`, or after 10 s (a new thread names itself once it
/// runs).
fn sampler_threads_settled(n: usize) -> usize {
    for _ in 0..1000 {
        if sampler_threads() == n {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    sampler_threads()
}

#[test]
fn records_every_collection_and_ends_when_stopped_or_dropped() {
    let publisher = Publisher::install(Arc::new(Gauges::default()));
    let sampler = Sampler::start(publisher.gauges().clone(), Duration::from_millis(1), "t");
    assert_eq!(sampler_threads_settled(1), 1);
    for g in [0, 1, 2, 0] {
        pymem::gc::collect_generation(g).unwrap();
    }
    let recording = sampler.stop();
    let generations: Vec<usize> = recording.collections.iter().map(|c| c.generation).collect();
    assert_eq!(generations, [0, 1, 2, 0]);
    assert!(recording.samples.len() >= 2, "a first and a last sample");
    assert_eq!(sampler_threads_settled(0), 0);
    let dropped = Sampler::start(publisher.gauges().clone(), Duration::from_secs(3600), "t");
    assert_eq!(sampler_threads_settled(1), 1);
    drop(dropped);
    assert_eq!(sampler_threads_settled(0), 0, "dropping ends the thread");
}
