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
    // CPython 3.13's own line for this state of class 0 reads the same.
    assert_eq!(
        lines[4],
        "    0     16           1             106           915"
    );
    assert_eq!(
        lines[5],
        "    6    112           1               5           140"
    ); // (16384 - 48) / 112 = 145
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
    assert_eq!((stats.unused_pools, stats.small_blocks), (62, 111));
    for (i, b) in blocks.into_iter().enumerate() {
        // SAFETY: live blocks with these layouts.
        unsafe { a.dealloc(b, if i < 106 { small } else { mid }) };
    }
}
