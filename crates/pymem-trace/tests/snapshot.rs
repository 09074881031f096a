//! Snapshots, statistics, diffs, filters and text forms against CPython 3.13: the synthetic
//! snapshots of CPython's own `test_tracemalloc.py` (`create_snapshots`), built here and in
//! `cpython/snapshots.py`, whose recorded output (`cpython/snapshots.out`) this test must
//! reproduce line for line.

use std::fmt::Write as _;
use std::sync::Arc;

use pymem_trace::{
    BlockTrace, DomainFilter, Filter, Frame, Snapshot, TraceFilter, Traceback, TracemallocError,
    Tracer,
};

/// `(domain, size, frames most recent first, total_nframe)`, as `_tracemalloc._get_traces`.
type Raw = (u32, usize, &'static [(&'static str, u32)], usize);

fn snapshot(raw: &[Raw]) -> Snapshot {
    let traces = raw
        .iter()
        .map(|&(domain, size, frames, total)| {
            let frames = frames.iter().map(|&(f, l)| Frame::new(f, l)).collect();
            let tb = Traceback::from_most_recent_first(frames, Some(total));
            BlockTrace::new(domain, size, Arc::new(tb))
        })
        .collect();
    Snapshot::new(traces, 2)
}

const AB: &[(&str, u32)] = &[("a.py", 2), ("b.py", 4)];
const A5: &[(&str, u32)] = &[("a.py", 5), ("b.py", 4)];

fn snapshots() -> (Snapshot, Snapshot) {
    let s1 = snapshot(&[
        (0, 10, AB, 3),
        (0, 10, AB, 3),
        (0, 10, AB, 3),
        (1, 2, A5, 3),
        (2, 66, &[("b.py", 1)], 1),
        (3, 7, &[("<unknown>", 0)], 1),
    ]);
    let s2 = snapshot(&[
        (0, 10, AB, 3),
        (0, 10, AB, 3),
        (0, 10, AB, 3),
        (2, 2, A5, 3),
        (2, 5000, A5, 3),
        (4, 400, &[("c.py", 578)], 1),
    ]);
    (s1, s2)
}

fn show(out: &mut String, label: &str, items: &[impl std::fmt::Display]) {
    writeln!(out, "{label}: {}", items.len()).unwrap();
    for item in items {
        writeln!(out, "  {item}").unwrap();
    }
}

/// Python's `repr` of a list of strings without `'` in them.
fn py_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("'{s}'")).collect();
    format!("[{}]", quoted.join(", "))
}

fn run_the_script() -> String {
    let (s1, s2) = snapshots();
    let mut out = String::new();
    for key in ["lineno", "filename", "traceback"] {
        show(
            &mut out,
            &format!("statistics {key}"),
            &s1.statistics(key, false).unwrap(),
        );
        show(
            &mut out,
            &format!("compare_to {key}"),
            &s2.compare_to(&s1, key, false).unwrap(),
        );
    }
    for key in ["lineno", "filename"] {
        let label = format!("statistics {key} cumulative");
        show(&mut out, &label, &s1.statistics(key, true).unwrap());
        let label = format!("compare_to {key} cumulative");
        show(&mut out, &label, &s2.compare_to(&s1, key, true).unwrap());
    }
    let f = |inclusive, pattern| TraceFilter::from(Filter::new(inclusive, pattern));
    let filters: [(&str, Vec<TraceFilter>); 10] = [
        ("exclude b.py", vec![f(false, "b.py")]),
        (
            "include a.py line 5",
            vec![Filter::new(true, "a.py").lineno(5).into()],
        ),
        (
            "include b.py all_frames",
            vec![Filter::new(true, "b.py").all_frames(true).into()],
        ),
        (
            "include *.py domain 2",
            vec![Filter::new(true, "*.py").domain(2).into()],
        ),
        (
            "exclude *.py domain 0",
            vec![Filter::new(false, "*.py").domain(0).into()],
        ),
        ("include domain 3", vec![DomainFilter::new(true, 3).into()]),
        ("exclude domain 0", vec![DomainFilter::new(false, 0).into()]),
        (
            "include a.py, exclude line 5",
            vec![f(true, "a.py"), Filter::new(false, "a.py").lineno(5).into()],
        ),
        ("include <unknown>", vec![f(true, "<unknown>")]),
        ("none", vec![]),
    ];
    for (label, fs) in &filters {
        show(
            &mut out,
            &format!("filter {label}"),
            s1.filter_traces(fs).traces(),
        );
    }
    let tb = s1.traces()[0].traceback();
    writeln!(out, "str traceback: {tb}").unwrap();
    writeln!(out, "repr traceback: {tb:?}").unwrap();
    writeln!(out, "repr frame: {:?}", tb.frames()[0]).unwrap();
    writeln!(out, "repr trace: {:?}", s1.traces()[0]).unwrap();
    writeln!(
        out,
        "repr empty: {:?}",
        Traceback::from_most_recent_first(vec![], None)
    )
    .unwrap();
    for (limit, recent, shown) in [
        (None, false, "None False"),
        (Some(1), false, "1 False"),
        (Some(-1), false, "-1 False"),
        (None, true, "None True"),
    ] {
        writeln!(
            out,
            "format {shown}: {}",
            py_list(&tb.format(limit, recent))
        )
        .unwrap();
    }
    let err = |e: TracemallocError| e.to_string();
    writeln!(
        out,
        "error key: {}",
        err(s1.statistics("spam", false).unwrap_err())
    )
    .unwrap();
    let cumulative = s1.statistics("traceback", true).unwrap_err();
    writeln!(out, "error cumulative: {}", err(cumulative)).unwrap();
    let tracer = Tracer::new();
    for n in [0, 65536] {
        writeln!(
            out,
            "error start {n}: {}",
            err(tracer.start(n).unwrap_err())
        )
        .unwrap();
    }
    writeln!(
        out,
        "error snapshot: {}",
        err(tracer.take_snapshot().unwrap_err())
    )
    .unwrap();
    out
}

#[test]
#[cfg_attr(miri, ignore)] // files (and linecache): Miri's isolation forbids them
fn statistics_diffs_filters_and_text_match_cpython() {
    let expected = include_str!("cpython/snapshots.out");
    let ours = run_the_script();
    for (i, (a, b)) in ours.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, b, "line {}", i + 1);
    }
    assert_eq!(ours.lines().count(), expected.lines().count());
}

#[test]
#[cfg_attr(miri, ignore)] // files (and linecache): Miri's isolation forbids them
fn a_snapshot_survives_dump_and_load() {
    let (s1, s2) = snapshots();
    let dir = std::env::temp_dir().join(format!("pymem-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, s) in [s1, s2].iter().enumerate() {
        let path = dir.join(format!("s{i}.dump"));
        s.dump(&path).unwrap();
        let loaded = Snapshot::load(&path).unwrap();
        assert_eq!(&loaded, s);
        assert_eq!(loaded.traceback_limit(), 2);
        let totals: Vec<_> = loaded
            .traces()
            .iter()
            .map(|t| t.traceback().total_nframe())
            .collect();
        let originals: Vec<_> = s
            .traces()
            .iter()
            .map(|t| t.traceback().total_nframe())
            .collect();
        assert_eq!(totals, originals);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[cfg_attr(miri, ignore)] // files (and linecache): Miri's isolation forbids them
fn a_damaged_truncated_or_foreign_dump_is_an_error_never_a_panic() {
    let (s1, _) = snapshots();
    let dir = std::env::temp_dir().join(format!("pymem-trace-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.dump");
    s1.dump(&good).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let write = |name: &str, data: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, data).unwrap();
        p
    };
    // Every truncation and every single-byte flip is refused.
    for cut in 0..bytes.len() {
        let err = Snapshot::load(write("cut", &bytes[..cut])).unwrap_err();
        assert!(
            matches!(err, TracemallocError::BadDump(_)),
            "cut at {cut}: {err}"
        );
    }
    for at in 0..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x40;
        let err = Snapshot::load(write("flip", &flipped)).unwrap_err();
        assert!(
            matches!(err, TracemallocError::BadDump(_)),
            "flip at {at}: {err}"
        );
    }
    let mut newer = bytes.clone();
    newer[8] = 9; // version 9
    let err = Snapshot::load(write("newer", &newer)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not a valid snapshot dump: format version 9, this build reads version 1"
    );
    let err = Snapshot::load(write("text", b"hello")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not a valid snapshot dump: not a pymem tracemalloc snapshot (bad magic)"
    );
    let missing = Snapshot::load(dir.join("missing")).unwrap_err();
    assert!(
        matches!(missing, TracemallocError::Io(ref e) if e.kind() == std::io::ErrorKind::NotFound)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Scenario 49: sizes near `usize::MAX` (any `usize` makes a `BlockTrace`) never overflow a
/// total: statistics saturate at `usize::MAX`, differences at `isize::MAX`/`MIN`.
#[test]
fn s49_huge_sizes_saturate() {
    let huge = huge_snapshot();
    let stats = huge.statistics("lineno", false).unwrap();
    assert_eq!((stats[0].size, stats[0].count), (usize::MAX, 2));
    assert_eq!(stats[1].size, 1);
    let empty = snapshot(&[]);
    let grown = huge.compare_to(&empty, "lineno", false).unwrap();
    assert_eq!((grown[0].size_diff, grown[0].count_diff), (isize::MAX, 2));
    let shrunk = empty.compare_to(&huge, "lineno", false).unwrap();
    assert_eq!((shrunk[0].size, shrunk[0].size_diff), (0, isize::MIN));
    let line = grown[0].to_string();
    // CPython: `_format_size(2**64 - 1, False)`, `_format_size(2**63 - 1, True)`.
    assert!(line.contains("size=16777216 TiB (+8388608 TiB)"), "{line}");
}

/// Scenario 49, the file: a dump whose (checksummed) traces are larger than any block can
/// be is refused on load.
#[test]
#[cfg_attr(miri, ignore = "writes a file")]
fn s49_a_dump_holding_huge_sizes_is_refused() {
    let dir = std::env::temp_dir().join(format!("pymem-trace-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.dump");
    huge_snapshot().dump(&path).unwrap();
    let err = Snapshot::load(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not a valid snapshot dump: a trace's size is larger than any block can be"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn huge_snapshot() -> Snapshot {
    snapshot(&[
        (0, usize::MAX, AB, 3),
        (0, usize::MAX, AB, 3),
        (0, 1, A5, 3),
    ])
}
