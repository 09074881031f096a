//! The memory_profiler table, pinned against memory_profiler 0.61 under CPython 3.13:
//! the same function profiled by both, compared with the memory figures masked.

mod oracle;

use pymem_tools::line_profile::{Backend, LineProfiler};

const SOURCE: &str = "from memory_profiler import profile

@profile(precision=3)
def work():
    a = [1] * (10 ** 6)
    for i in range(3):
        a.append(i)
    del a
    return 1

work()
";

/// The lines CPython's tracer reports for `work()`, in order (the `for` line once per
/// iteration and once when the range is exhausted).
const EXECUTED: [u32; 10] = [5, 6, 7, 6, 7, 6, 7, 6, 8, 9];

/// Each memory cell (`{:>12}` of `"<n>.<precision> MiB"`) becomes `<mem>` of the same
/// width, so that only the figures are ignored; panics if a cell is not in that format.
fn mask(table: &str, precision: usize) -> String {
    table
        .lines()
        .map(|line| mask_line(line, precision))
        .collect::<Vec<_>>()
        .join("\n")
}

fn mask_line(line: &str, precision: usize) -> String {
    let is_row = line.len() > 44 && line[..6].trim().parse::<u32>().is_ok();
    if !is_row || line[7..33].trim().is_empty() {
        return line.to_owned();
    }
    let cells = [&line[7..19], &line[20..32]];
    for cell in cells {
        let number = cell.trim().strip_suffix(" MiB").expect("a MiB cell");
        let (_, fraction) = number.split_once('.').expect("a decimal point");
        assert_eq!(fraction.len(), precision, "in {line:?}");
        number.parse::<f64>().expect("a number");
    }
    format!(
        "{}{:>12} {:>12}{}",
        &line[..7],
        "<mem>",
        "<mem>",
        &line[32..]
    )
}

#[test]
fn table_layout_matches_memory_profiler() {
    let Some(py) = oracle::python() else { return };
    let dir = oracle::scratch("line-profile");
    let path = dir.join("table.py");
    std::fs::write(&path, SOURCE).unwrap();
    let path = path.to_str().unwrap();
    let expected = oracle::run(
        &py,
        "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__')",
        &[path],
        "",
    );
    let mut profiler = LineProfiler::new(path, SOURCE, 3, 9, Backend::Rss);
    EXECUTED.iter().for_each(|&line| profiler.line(line));
    profiler.finish();
    let ours = profiler.report(3);
    assert_eq!(mask(&ours, 3), mask(&expected, 3));
    assert!(ours.ends_with("\n\n\n") && expected.ends_with("\n\n\n"));
}

#[test]
fn occurrences_and_increments_follow_memory_profilers_rule() {
    let mut profiler = LineProfiler::new("f.rs", "a\nb\nc\n", 1, 3, Backend::Heap);
    [2, 3, 2, 3].iter().for_each(|&l| profiler.line(l));
    profiler.finish();
    let stats = profiler.stats();
    let occurrences: Vec<_> = stats.iter().map(|(l, s)| (*l, s.occurrences)).collect();
    assert_eq!(occurrences, [(1, 1), (2, 2), (3, 2)]);
    // Heap bytes did not change: each line's increment is its first measurement (charged
    // against nothing, as memory_profiler charges the decorator line) or zero.
    let m = stats[&1].memory;
    assert_eq!(stats[&1].increment, m);
    assert_eq!((stats[&2].increment, stats[&3].increment), (0.0, 0.0));
}
