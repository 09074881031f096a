//! Random alloc/realloc/free programs over sizes 1..=4096, checked against a map of live
//! blocks: no two live blocks overlap, alignment holds, contents survive realloc, counters
//! match, the structures validate, and freeing everything (and trimming the spare pools)
//! returns the arenas.

use proptest::prelude::*;
use pymem_alloc::{PyMalloc, RawAlloc};
use std::alloc::Layout;
use std::collections::BTreeMap;
use std::ptr::NonNull;

#[derive(Clone, Debug)]
enum Op {
    Alloc(usize),
    Free(usize),
    Realloc(usize, usize),
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![6 => 1..=512_usize, 1 => 513..=4096_usize, 1 => prop::sample::select(vec![16, 32, 48, 64, 512])]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => size().prop_map(Op::Alloc),
        3 => any::<usize>().prop_map(Op::Free),
        2 => (any::<usize>(), size()).prop_map(|(i, s)| Op::Realloc(i, s)),
    ]
}

struct Live {
    ptr: NonNull<u8>,
    layout: Layout,
    fill: u8,
}

impl Live {
    fn check(&self, len: usize) {
        // SAFETY: the block is live and at least `len` bytes long.
        let data = unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), len) };
        assert!(
            data.iter().all(|&b| b == self.fill),
            "contents of a live block changed"
        );
    }

    fn fill(&self) {
        // SAFETY: the block is live and `layout.size()` bytes long.
        unsafe { self.ptr.as_ptr().write_bytes(self.fill, self.layout.size()) };
    }
}

/// Live blocks by start address, to check for overlap.
#[derive(Default)]
struct Map(BTreeMap<usize, usize>);

impl Map {
    fn insert(&mut self, ptr: NonNull<u8>, size: usize) {
        let (start, end) = (ptr.as_ptr().addr(), ptr.as_ptr().addr() + size);
        let before = self.0.range(..=start).next_back();
        assert!(
            before.is_none_or(|(_, &e)| e <= start),
            "overlaps the block before"
        );
        let after = self.0.range(start..).next();
        assert!(
            after.is_none_or(|(&s, _)| s >= end),
            "overlaps the block after"
        );
        self.0.insert(start, end);
    }

    fn remove(&mut self, ptr: NonNull<u8>) {
        assert!(self.0.remove(&ptr.as_ptr().addr()).is_some());
    }
}

fn run(ops: &[Op]) {
    let a = PyMalloc::new();
    // One arena is kept even when empty (bpo-37257): the baseline includes it.
    let warm = a.alloc(Layout::from_size_align(16, 16).unwrap()).unwrap();
    // SAFETY: just allocated with this layout.
    unsafe { a.dealloc(warm, Layout::from_size_align(16, 16).unwrap()) };
    a.trim();
    let baseline = a.arenas();
    let (mut live, mut map, mut next_fill) = (Vec::<Live>::new(), Map::default(), 1u8);
    for op in ops {
        match *op {
            Op::Alloc(size) => {
                let layout = Layout::from_size_align(size, 16).unwrap();
                let ptr = a.alloc(layout).expect("memory");
                assert_eq!(ptr.as_ptr().addr() % 16, 0, "alignment");
                map.insert(ptr, size);
                let block = Live {
                    ptr,
                    layout,
                    fill: next_fill,
                };
                next_fill = next_fill.wrapping_add(1).max(1);
                block.fill();
                live.push(block);
            }
            Op::Free(i) if !live.is_empty() => {
                let block = live.swap_remove(i % live.len());
                block.check(block.layout.size());
                map.remove(block.ptr);
                // SAFETY: a live block of `a` with its layout.
                unsafe { a.dealloc(block.ptr, block.layout) };
            }
            Op::Realloc(i, size) if !live.is_empty() => {
                let at = i % live.len();
                let old = &live[at];
                old.check(old.layout.size());
                map.remove(old.ptr);
                // SAFETY: a live block of `a` with its layout; `size` is non-zero.
                let ptr = unsafe { a.realloc(old.ptr, old.layout, size) }.expect("memory");
                let block = Live {
                    ptr,
                    layout: Layout::from_size_align(size, 16).unwrap(),
                    fill: old.fill,
                };
                block.check(old.layout.size().min(size));
                map.insert(ptr, size);
                block.fill();
                live[at] = block;
            }
            _ => {}
        }
        assert_eq!(a.allocated_blocks(), live.len(), "blocks counted");
        if cfg!(feature = "expensive-checks") || cfg!(miri) {
            a.validate();
        }
    }
    for block in live.drain(..) {
        block.check(block.layout.size());
        // SAFETY: a live block of `a` with its layout.
        unsafe { a.dealloc(block.ptr, block.layout) };
    }
    a.validate();
    a.trim();
    a.validate();
    assert_eq!(
        (a.allocated_blocks(), a.arenas()),
        (0, baseline),
        "arenas returned"
    );
}

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
        ops in proptest::collection::vec(op(), 0..if cfg!(miri) { 40 } else { 2000 })
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
