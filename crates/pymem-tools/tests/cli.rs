//! The `pymem-tools` commands on saved files, against the library functions they wrap.

use std::path::Path;
use std::process::Command;

use pymem::Gc;

fn tool(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pymem-tools"))
        .args(args)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.success(), text(out.stdout), text(out.stderr))
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pymem-tools-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn dumped_snapshot(dir: &Path) -> (std::path::PathBuf, pymem_trace::Snapshot) {
    #[derive(pymem::Trace)]
    struct Blob([u64; 4]);
    pymem::tracemalloc::start(3).unwrap();
    let kept: Vec<_> = (0..500).map(|i| Gc::new(Blob([i; 4]))).collect();
    let snapshot = pymem::tracemalloc::take_snapshot().unwrap();
    pymem::tracemalloc::stop();
    drop(kept);
    let path = dir.join("snap.dump");
    snapshot.dump(&path).unwrap();
    (path, snapshot)
}

#[test]
fn help_lists_every_command() {
    let (ok, out, _) = tool(&["--help"]);
    assert!(ok);
    for command in ["plot", "flame", "top", "dot"] {
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(command)),
            "{command} in {out}"
        );
    }
}

#[test]
fn top_prints_the_snapshots_statistics() {
    let dir = scratch("top");
    let (path, snapshot) = dumped_snapshot(&dir);
    let (ok, out, err) = tool(&["top", path.to_str().unwrap(), "-n", "3"]);
    assert!(ok, "{err}");
    let expected: Vec<String> = snapshot
        .statistics("lineno", false)
        .unwrap()
        .iter()
        .take(3)
        .map(|s| s.to_string())
        .collect();
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn flame_writes_folded_stacks_and_svg() {
    let dir = scratch("flame");
    let (path, snapshot) = dumped_snapshot(&dir);
    let folded = dir.join("out.folded");
    let (ok, _, err) = tool(&[
        "flame",
        path.to_str().unwrap(),
        "--folded",
        "--count",
        "-o",
        folded.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let expected = pymem_tools::flame::folded(&snapshot, pymem_tools::flame::Weight::Count);
    assert_eq!(
        std::fs::read_to_string(&folded)
            .unwrap()
            .lines()
            .collect::<Vec<_>>(),
        expected
    );
    let svg = dir.join("out.svg");
    assert!(tool(&["flame", path.to_str().unwrap(), "-o", svg.to_str().unwrap()]).0);
    assert!(
        std::fs::read_to_string(&svg)
            .unwrap()
            .contains("pymem allocations")
    );
}

#[test]
fn plot_draws_svg_and_png_and_rejects_other_extensions() {
    let dir = scratch("plot");
    let dat = dir.join("rec.dat");
    let text = "CMDLINE demo\nMEM 10.000000 1800000000.0000\nHEAP 1.000000 1800000000.0000\nMEM 12.500000 1800000000.5000\nHEAP 2.000000 1800000000.5000\nGC 0 12 0.000100 1800000000.2500\n";
    std::fs::write(&dat, text).unwrap();
    let svg = dir.join("rec.svg");
    assert!(tool(&["plot", dat.to_str().unwrap(), "-o", svg.to_str().unwrap()]).0);
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.contains("demo") && svg.contains("width=\"1024\""));
    let png = dir.join("rec.png");
    assert!(
        tool(&[
            "plot",
            dat.to_str().unwrap(),
            "-o",
            png.to_str().unwrap(),
            "--width",
            "320",
            "--height",
            "200"
        ])
        .0
    );
    let decoder = png::Decoder::new(std::io::Cursor::new(std::fs::read(&png).unwrap()));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (320, 200));
    let (ok, _, err) = tool(&["plot", dat.to_str().unwrap(), "-o", "x.gif"]);
    assert!(!ok && err.contains(".svg or .png"));
}

#[test]
fn dot_renders_what_render_svg_renders() {
    let dir = scratch("dot");
    let source = "digraph ObjectGraph {\n  node[shape=box];\n  a -> b;\n  b -> c;\n  c -> a;\n}\n";
    let dot = dir.join("g.dot");
    std::fs::write(&dot, source).unwrap();
    let svg = dir.join("g.svg");
    let (ok, _, err) = tool(&["dot", dot.to_str().unwrap(), "-o", svg.to_str().unwrap()]);
    assert!(ok, "{err}");
    let expected = pymem_tools::render_svg(source).unwrap();
    assert_eq!(std::fs::read_to_string(&svg).unwrap(), expected);
    let (ok, _, err) = tool(&[
        "dot",
        dir.join("missing.dot").to_str().unwrap(),
        "-o",
        "x.svg",
    ]);
    assert!(!ok && err.starts_with("pymem-tools: "), "{err}");
}
