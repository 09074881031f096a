//! The SVG and PNG outputs, checked by parsing them: well-formed XML with the expected
//! elements, a PNG that decodes to the requested size with drawn pixels; and folded stacks
//! equal to a brute-force sum over the snapshot.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use pymem_tools::flame::{Weight, folded, svg as flame_svg};
use pymem_tools::plot;
use pymem_tools::published::CollectionEvent;
use pymem_tools::sampler::{FuncSpan, Recording, Sample};
use pymem_trace::{BlockTrace, Frame, Snapshot, Traceback};
use quick_xml::events::Event;

/// Every element name in `xml` with its count, and each element's own text (entities
/// resolved, trimmed); panics if the document is not well-formed.
fn parse_xml(xml: &str) -> (BTreeMap<String, usize>, Vec<String>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut elements, mut texts, mut open) = (BTreeMap::new(), Vec::new(), Vec::<String>::new());
    let mut count = |name: &[u8]| {
        *elements
            .entry(String::from_utf8_lossy(name).into_owned())
            .or_insert(0) += 1
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                count(e.name().as_ref());
                open.push(String::new());
            }
            Event::Empty(e) => count(e.name().as_ref()),
            Event::End(_) => texts.push(open.pop().expect("balanced").trim().to_owned()),
            Event::Text(t) => match open.last_mut() {
                Some(text) => text.push_str(&t.decode().unwrap()),
                None => assert!(
                    t.decode().unwrap().trim().is_empty(),
                    "text outside the root"
                ),
            },
            Event::GeneralRef(r) => open
                .last_mut()
                .unwrap()
                .push_str(entity(&r.decode().unwrap())),
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "every element closed");
    (elements, texts)
}

fn entity(name: &str) -> &'static str {
    match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "quot" => "\"",
        "apos" => "'",
        other => panic!("unexpected entity {other}"),
    }
}

fn tb(frames: &[(&str, u32)]) -> Arc<Traceback> {
    let frames = frames
        .iter()
        .rev()
        .map(|&(f, l)| Frame::new(f, l))
        .collect();
    Arc::new(Traceback::from_most_recent_first(frames, None))
}

fn snapshot() -> Snapshot {
    let main = tb(&[("main.py", 1), ("a.py", 2)]);
    let other = tb(&[("main.py", 1), ("b.py", 7)]);
    let traces = vec![
        BlockTrace::new(0, 4096, main.clone()),
        BlockTrace::new(0, 100, main),
        BlockTrace::new(0, 32, other),
        BlockTrace::new(0, 8, tb(&[])),
    ];
    Snapshot::new(traces, 2)
}

#[test]
fn folded_stacks_sum_each_stack() {
    assert_eq!(
        folded(&snapshot(), Weight::Size),
        [
            "<unknown> 8",
            "main.py:1;a.py:2 4196",
            "main.py:1;b.py:7 32"
        ]
    );
    assert_eq!(
        folded(&snapshot(), Weight::Count),
        ["<unknown> 1", "main.py:1;a.py:2 2", "main.py:1;b.py:7 1"]
    );
}

#[test]
fn a_real_snapshots_folded_weights_sum_to_the_traced_memory() {
    #[derive(pymem::Trace)]
    struct Blob([u64; 8]);
    pymem::tracemalloc::start(5).unwrap();
    let kept: Vec<_> = (0..1000).map(|i| pymem::Gc::new(Blob([i; 8]))).collect();
    let snapshot = pymem::tracemalloc::take_snapshot().unwrap();
    let (current, _) = pymem::tracemalloc::get_traced_memory();
    pymem::tracemalloc::stop();
    let weight = |lines: Vec<String>| -> u64 {
        lines
            .iter()
            .map(|l| l.rsplit_once(' ').unwrap().1.parse::<u64>().unwrap())
            .sum()
    };
    assert_eq!(weight(folded(&snapshot, Weight::Size)), current as u64);
    assert_eq!(
        weight(folded(&snapshot, Weight::Count)),
        snapshot.traces().len() as u64
    );
    assert!(kept.len() <= snapshot.traces().len());
}

#[test]
fn flame_graph_svg_has_a_frame_per_stack_entry() {
    let lines = folded(&snapshot(), Weight::Size);
    let svg =
        String::from_utf8(flame_svg(&lines, Weight::Size, "pymem allocations").unwrap()).unwrap();
    let (elements, texts) = parse_xml(&svg);
    assert!(elements["svg"] >= 1 && elements["rect"] >= 5);
    // The frames: all, main.py:1, a.py:2, b.py:7, <unknown>; each with its bytes in a title.
    for (name, bytes) in [
        ("all", "4,236"),
        ("main.py:1", "4,228"),
        ("a.py:2", "4,196"),
        ("b.py:7", "32"),
        ("<unknown>", "8"),
    ] {
        let title = format!("{name} ({bytes} bytes, ");
        assert!(
            texts.iter().any(|t| t.starts_with(&title)),
            "{title} in {texts:?}"
        );
    }
    assert!(texts.iter().any(|t| t == "pymem allocations"));
}

fn recording() -> Recording {
    let at = |ms: u64| UNIX_EPOCH + Duration::from_secs(1_800_000_000) + Duration::from_millis(ms);
    let mib = 1024 * 1024;
    let samples = (0..20)
        .map(|i| Sample {
            at: at(i * 100),
            rss: (10 + i) * mib,
            heap_bytes: i * mib / 2,
            traced: 0,
            counts: [0; 3],
        })
        .collect();
    let gc = |ms, generation| CollectionEvent {
        at: at(ms),
        generation,
        collected: 10,
        uncollectable: 0,
        pause: Duration::from_micros(50),
    };
    let work = FuncSpan {
        name: "app.work".into(),
        start: (12.0, at(300)),
        end: (15.0, at(900)),
        level: 0,
    };
    Recording {
        cmdline: "test".into(),
        samples,
        collections: vec![gc(500, 0), gc(1200, 2)],
        funcs: vec![work],
    }
}

#[test]
fn svg_chart_is_well_formed_with_series_marks_and_labels() {
    let svg = plot::svg(&recording(), "memory over time", (800, 480)).unwrap();
    let (elements, texts) = parse_xml(&svg);
    // Two memory series, the peak line, two collection marks, the function's bracket (and
    // the legend's samples).
    assert!(elements["polyline"] >= 6, "{elements:?}");
    for label in [
        "app.work",
        "memory over time",
        "RSS",
        "pymem heap",
        "collections",
        "time (in seconds)",
        "memory used (in MiB)",
    ] {
        assert!(texts.iter().any(|t| t == label), "{label} in {texts:?}");
    }
    assert!(svg.contains("width=\"800\"") && svg.contains("height=\"480\""));
}

#[test]
fn png_chart_decodes_to_its_size_with_drawn_pixels() {
    let bytes = plot::png(&recording(), "memory over time", (640, 400)).unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(
        (info.width, info.height, info.color_type),
        (640, 400, png::ColorType::Rgb)
    );
    let rgb: Vec<&[u8]> = pixels.chunks(3).collect();
    let count = |c: [u8; 3]| rgb.iter().filter(|p| **p == c).count();
    assert!(count([255, 255, 255]) > rgb.len() / 2, "a white background");
    assert!(count([0, 0, 0]) > 100, "black RSS line, axes and text");
    assert!(count([255, 0, 0]) > 50, "the red peak line");
    assert!(count([0, 0, 255]) > 50, "the blue heap line");
}
