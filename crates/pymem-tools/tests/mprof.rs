//! The `.dat` format, pinned against memory_profiler 0.61's `mprof` under CPython 3.13: our
//! lines have the shapes of the lines `mprof run` writes, and mprof's reader reads our
//! files back to the same figures.

mod oracle;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use pymem_tools::mprof::{parse_dat, to_dat, unix_seconds};
use pymem_tools::published::{Gauges, Publisher};
use pymem_tools::rss::mib;
use pymem_tools::sampler::{FuncSpan, Recording, Sampler};

/// A line with each number replaced by `N.` and one `d` per decimal (or `N`).
fn shape(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_ascii_digit() {
            out.push(c);
            continue;
        }
        while chars.next_if(char::is_ascii_digit).is_some() {}
        out.push('N');
        if chars.next_if_eq(&'.').is_some() {
            out.push('.');
            while chars.next_if(char::is_ascii_digit).is_some() {
                out.push('d');
            }
        }
    }
    out
}

fn recorded() -> Recording {
    let publisher = Publisher::install(Arc::new(Gauges::default()));
    let sampler = Sampler::start(
        publisher.gauges().clone(),
        Duration::from_millis(5),
        "cargo test mprof",
    );
    let start = (mib(pymem_tools::rss::rss_bytes()), SystemTime::now());
    pymem::gc::collect();
    std::thread::sleep(Duration::from_millis(30));
    let end = (mib(pymem_tools::rss::rss_bytes()), SystemTime::now());
    let mut recording = sampler.stop();
    recording.funcs.push(FuncSpan {
        name: "__main__.work".into(),
        start,
        end,
        level: 0,
    });
    drop(publisher);
    recording
}

const PROG: &str = "@profile\ndef work():\n    a = [1] * (10 ** 6)\n    del a\n\nwork()\n";

#[test]
fn lines_have_the_shapes_mprof_writes() {
    let Some(py) = oracle::python() else { return };
    let dir = oracle::scratch("mprof-shapes");
    std::fs::write(dir.join("prog.py"), PROG).unwrap();
    let code = "import sys, subprocess; subprocess.run([sys.executable, '-m', 'mprof', 'run', '-o', sys.argv[1], '--python', sys.argv[2]], check=True, capture_output=True)";
    let dat = dir.join("out.dat");
    oracle::run(
        &py,
        code,
        &[dat.to_str().unwrap(), dir.join("prog.py").to_str().unwrap()],
        "",
    );
    let theirs = std::fs::read_to_string(&dat).unwrap();
    let shapes = |text: &str, kind: &str| -> std::collections::BTreeSet<String> {
        text.lines()
            .filter(|l| l.starts_with(kind))
            .map(shape)
            .collect()
    };
    let ours = to_dat(&recorded());
    for kind in ["MEM ", "FUNC "] {
        let (a, b) = (shapes(&ours, kind), shapes(&theirs, kind));
        assert!(
            !a.is_empty() && a.iter().all(|s| b.contains(s)),
            "{kind}: ours {a:?}, mprof's {b:?}"
        );
    }
    assert!(ours.starts_with("CMDLINE cargo test mprof\n") && theirs.contains("CMDLINE "));
}

const READ: &str = "
import sys, mprof
d = mprof.read_mprofile_file(sys.argv[1])
print(d['cmd_line'].strip())
for m, t in zip(d['mem_usage'], d['timestamp']): print('MEM', repr(m), repr(t))
for name, spans in d['func_timestamp'].items():
    for s in spans: print('FUNC', name, *map(repr, s))
";

#[test]
fn mprof_reads_our_files_back() {
    let Some(py) = oracle::python() else { return };
    let recording = recorded();
    let dir = oracle::scratch("mprof-read");
    let path = dir.join("ours.dat");
    std::fs::write(&path, to_dat(&recording)).unwrap();
    let out = oracle::run(&py, READ, &[path.to_str().unwrap()], "");
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("cargo test mprof"));
    let mems: Vec<(f64, f64)> = lines
        .clone()
        .filter_map(|l| l.strip_prefix("MEM "))
        .map(|l| {
            let (m, t) = l.split_once(' ').unwrap();
            (m.parse().unwrap(), t.parse().unwrap())
        })
        .collect();
    assert_eq!(mems.len(), recording.samples.len());
    for (s, (m, t)) in recording.samples.iter().zip(&mems) {
        assert!((mib(s.rss) - m).abs() < 1e-6 && (unix_seconds(s.at) - t).abs() < 1e-4);
    }
    let func: Vec<&str> = lines.filter(|l| l.starts_with("FUNC ")).collect();
    assert_eq!(func.len(), 1);
    assert!(func[0].starts_with("FUNC __main__.work ") && func[0].ends_with(" 0"));
}

#[test]
fn our_reader_round_trips_our_files() {
    let recording = recorded();
    assert!(
        !recording.collections.is_empty(),
        "gc.collect() was recorded"
    );
    let back = parse_dat(&to_dat(&recording)).unwrap();
    assert_eq!(back.cmdline, recording.cmdline);
    assert_eq!(back.samples.len(), recording.samples.len());
    for (a, b) in back.samples.iter().zip(&recording.samples) {
        assert!(a.rss.abs_diff(b.rss) <= 1 && a.heap_bytes.abs_diff(b.heap_bytes) <= 1);
    }
    let gens = |r: &Recording| {
        r.collections
            .iter()
            .map(|c| (c.generation, c.collected))
            .collect::<Vec<_>>()
    };
    assert_eq!(gens(&back), gens(&recording));
    assert_eq!(back.funcs.len(), 1);
    let (ours, theirs) = (&recording.funcs[0], &back.funcs[0]);
    assert_eq!((&theirs.name, theirs.level), (&ours.name, 0));
    assert!(
        (theirs.start.0 - ours.start.0).abs() < 1e-4 && (theirs.end.0 - ours.end.0).abs() < 1e-4
    );
    assert!(ours.end.1.duration_since(ours.start.1).unwrap() >= Duration::from_millis(30));
}

#[test]
fn rss_is_psutils_and_memory_usage_samples_it() {
    let Some(py) = oracle::python() else { return };
    let code = "import psutil, sys; print(psutil.Process(int(sys.argv[1])).memory_info().rss)";
    let before = pymem_tools::rss::rss_bytes();
    let theirs: u64 = oracle::run(&py, code, &[&std::process::id().to_string()], "")
        .trim()
        .parse()
        .unwrap();
    let after = pymem_tools::rss::rss_bytes();
    // psutil reads the same statm field; the process may move a little between the reads.
    let slack = 256 * 1024;
    assert!(
        before.min(after) - slack <= theirs && theirs <= before.max(after) + slack,
        "{before} {theirs} {after}"
    );
    let (samples, result) = pymem_tools::mprof::memory_usage(Duration::from_millis(5), || {
        std::thread::sleep(Duration::from_millis(40));
        7
    });
    assert_eq!(result, 7);
    assert!(
        samples.len() >= 2 && samples.iter().all(|&m| m > 0.0),
        "{samples:?}"
    );
}
