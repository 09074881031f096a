//! `Stats` and its report in CPython's `_debugmallocstats` layout.

use pymem_alloc::{PyMalloc, RawAlloc};
use std::alloc::Layout;

#[test]
fn the_report_has_cpythons_layout_and_adds_up() {
    let a = PyMalloc::new();
    let small = Layout::from_size_align(16, 16).unwrap();
    let mid = Layout::from_size_align(100, 16).unwrap();
    let blocks: Vec<_> = (0..106)
        .map(|_| a.alloc(small).unwrap())
        .chain((0..5).map(|_| a.alloc(mid).unwrap()))
        .collect();
    let report = a.stats().to_string();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "Small block threshold = 512, in 32 size classes.");
    assert_eq!(
        lines[2],
        "class   size   num pools   blocks in use  avail blocks"
    );
    assert_eq!(
        lines[3],
        "-----   ----   ---------   -------------  ------------"
    );
    // CPython 3.13 prints 915 available blocks here: its pools start with their 48-byte
    // header (1021 blocks of 16 bytes), pymem's hold 1024 (the headers are apart).
    assert_eq!(
        lines[4],
        "    0     16           1             106           918"
    );
    assert_eq!(
        lines[5],
        "    6    112           1               5           141"
    ); // 16384 / 112 = 146
    assert_eq!(
        lines[7],
        "# arenas allocated total           =                    1"
    );
    assert_eq!(
        lines[11],
        "1 arenas * 1048576 bytes/arena     =            1,048,576"
    );
    assert_eq!(
        lines.last().unwrap(),
        &"Total                              =            1,048,576"
    );
    let stats = a.stats();
    assert_eq!(stats.allocated_bytes(), 106 * 16 + 5 * 112);
    assert_eq!((stats.unused_pools, stats.small_blocks), (61, 111));
    for (i, b) in blocks.into_iter().enumerate() {
        // SAFETY: live blocks with these layouts.
        unsafe { a.dealloc(b, if i < 106 { small } else { mid }) };
    }
}

#[test]
fn a_class_keeps_one_spare_pool_until_trimmed() {
    let a = PyMalloc::new();
    let layout = Layout::from_size_align(48, 16).unwrap();
    let x = a.alloc(layout).unwrap();
    // SAFETY: a live block with this layout.
    unsafe { a.dealloc(x, layout) };
    // The pool emptied while it was the only used pool of class 2: it stays as the spare,
    // counted as a pool with nothing in use, and the report still adds up.
    let stats = a.stats();
    assert_eq!(stats.classes[2].pools, 1);
    assert_eq!(stats.classes[2].blocks_in_use, 0);
    assert_eq!(stats.classes[2].blocks_available, 341); // 16384 / 48
    assert_eq!(stats.unused_pools, 62);
    let report = stats.to_string();
    assert!(report.contains("\n    2     48           1               0           341\n"));
    assert!(report.ends_with("Total                              =            1,048,576\n"));
    // The next allocation reuses the spare's block.
    assert_eq!(a.alloc(layout).unwrap(), x);
    // SAFETY: as above.
    unsafe { a.dealloc(x, layout) };
    assert_eq!(a.trim(), 1);
    assert_eq!(a.trim(), 0);
    let stats = a.stats();
    assert_eq!((stats.classes[2].pools, stats.unused_pools), (0, 63));
    a.validate();
}

#[test]
fn a_pool_that_empties_beside_another_goes_back_to_its_arena() {
    let a = PyMalloc::new();
    let layout = Layout::from_size_align(512, 16).unwrap();
    // 32 blocks fill a pool of class 31; the 33rd opens a second pool.
    let blocks: Vec<_> = (0..33).map(|_| a.alloc(layout).unwrap()).collect();
    assert_eq!(a.stats().classes[31].pools, 2);
    // SAFETY: a live block with this layout.
    unsafe { a.dealloc(blocks[32], layout) };
    // The second pool emptied while the first (full) was not in usedpools: a spare.
    assert_eq!(a.stats().classes[31].pools, 2);
    for &b in &blocks[..32] {
        // SAFETY: as above.
        unsafe { a.dealloc(b, layout) };
    }
    // The first pool re-entered usedpools beside the spare and emptied: released.
    let stats = a.stats();
    assert_eq!(
        (stats.classes[31].pools, stats.classes[31].blocks_in_use),
        (1, 0)
    );
    assert_eq!(stats.unused_pools, 62);
    a.validate();
}
