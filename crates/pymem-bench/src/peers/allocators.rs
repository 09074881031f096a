//! The raw allocators of B11: the global allocator and pymem's pools, on one thread or on
//! [`Workload::THREADS`] at once.

use std::time::Instant;

use super::Peer;
use crate::alloc_mix::{self, Global};
use crate::{Outcome, Workload};

/// Runs B11 (or B11mt) at size `n` on `peer` (`Malloc` or `PyMalloc`).
pub(super) fn run(peer: Peer, w: Workload, n: usize) -> Option<Outcome> {
    let started = Instant::now();
    let mut outcome = match w {
        Workload::Alloc => one(peer, n),
        Workload::AllocThreads => threads(peer, n),
        _ => return None,
    };
    outcome.phases.push(("total", started.elapsed()));
    Some(outcome)
}

fn one(peer: Peer, n: usize) -> Outcome {
    match peer {
        Peer::PyMalloc => alloc_mix::run(&pymem_alloc::PyMalloc::new(), n),
        _ => alloc_mix::run(&Global, n),
    }
}

/// `n` operations on each thread; the outcomes are summed (each thread's checksum is the
/// same, so the sum is still a check of the work).
fn threads(peer: Peer, n: usize) -> Outcome {
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..Workload::THREADS)
            .map(|_| s.spawn(move || one(peer, n)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("B11mt thread"))
            .collect()
    });
    outcomes
        .into_iter()
        .fold(Outcome::default(), |sum, o| Outcome {
            checksum: sum.checksum.wrapping_add(o.checksum),
            allocated: sum.allocated + o.allocated,
            freed: sum.freed + o.freed,
            ..Outcome::default()
        })
}
