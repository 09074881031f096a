//! Random alloc/realloc/free programs against a map of live blocks: the operations and
//! the oracles are in `model/program.rs`, which the fuzz target
//! `fuzz/fuzz_targets/alloc_ops.rs` shares; this file generates the programs with proptest.

// A crate root's `mod` would look for tests/program.rs, another test target's place.
#[path = "model/program.rs"]
mod program;

use program::{Op, run};
use proptest::prelude::*;
use pymem_alloc::{PyMalloc, RawAlloc};
use std::alloc::Layout;

fn config() -> ProptestConfig {
    let cases = if cfg!(miri) { 4 } else { 256 };
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn s40_s42_random_programs_keep_blocks_disjoint_and_return_arenas(
        ops in proptest::collection::vec(
            any::<[u8; 3]>().prop_map(Op::from_bytes),
            0..if cfg!(miri) { 40 } else { 2000 },
        )
    ) {
        run(&ops);
    }
}

#[test]
fn s42_a_large_batch_of_small_blocks_returns_its_arenas() {
    let n: usize = if cfg!(miri) { 3000 } else { 200_000 };
    let a = PyMalloc::new();
    let layout = Layout::from_size_align(32, 16).unwrap();
    let blocks: Vec<_> = (0..n).map(|_| a.alloc(layout).unwrap()).collect();
    let peak = a.arenas();
    let per_arena = pymem_alloc::blocks_per_pool(1) * pymem_alloc::POOLS_PER_ARENA;
    assert_eq!(peak, n.div_ceil(per_arena));
    for &b in blocks.iter().rev() {
        // SAFETY: live blocks of `a` with this layout.
        unsafe { a.dealloc(b, layout) };
    }
    let stats = a.stats();
    assert_eq!(
        a.arenas(),
        1,
        "all but the last usable arena went back to the system"
    );
    assert_eq!(
        (
            stats.arenas_allocated_total,
            stats.arenas_reclaimed,
            stats.arenas_highwater
        ),
        (peak, peak - 1, peak)
    );
    a.validate();
}

#[test]
fn pools_are_reused_most_recently_freed_first() {
    let a = PyMalloc::new();
    let layout = Layout::from_size_align(100, 16).unwrap();
    let x = a.alloc(layout).unwrap();
    // SAFETY: a live block with this layout.
    unsafe { a.dealloc(x, layout) };
    let y = a.alloc(layout).unwrap();
    assert_eq!(y, x, "LIFO free list");
    // SAFETY: a live block with this layout.
    unsafe { a.dealloc(y, layout) };
}
