//! Runs the leak-hunt example's steps (examples/leak_hunt.rs, included as a module) and
//! checks what each tool found against what the service is known to leak: per round,
//! `REQUESTS` more of each leaked type, nothing after the fix.

#[allow(dead_code)] // the example's `main` and `out_dir`
#[path = "../../../examples/leak_hunt.rs"]
mod leak_hunt;

use leak_hunt::{REQUESTS, ROUNDS, Service, accept, hunt, mask_addresses, respond, subscribe};
use pymem::sys::getsizeof;

mod support;
use pymem_tools::names::short_name;

/// `show_growth`'s lines as (type, count, delta), sorted by type (ties keep objgraph's
/// first-seen order, which depends on the collector's list order).
fn rows(text: &str) -> Vec<(String, usize, i64)> {
    let mut rows: Vec<_> = text.lines().map(parse_row).collect();
    rows.sort();
    rows
}

fn parse_row(line: &str) -> (String, usize, i64) {
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields.len(), 3, "{line:?}");
    let delta = fields[2].trim_start_matches('+').parse().unwrap();
    (fields[0].to_owned(), fields[1].parse().unwrap(), delta)
}

/// The chains as `Type` and `.place: Type` strings, root first.
fn chain_text(chain: &[(Option<String>, &str)]) -> Vec<String> {
    let link = |(via, ty): &(Option<String>, &str)| match via {
        Some(via) => format!("{via}: {}", short_name(ty)),
        None => short_name(ty),
    };
    chain.iter().map(link).collect()
}

fn run() -> (leak_hunt::Findings, String) {
    let dir = std::env::temp_dir().join(format!("pymem-leak-hunt-test-{}", std::process::id()));
    let mut out = Vec::new();
    let findings = hunt(&dir, &mut out).unwrap();
    (findings, String::from_utf8(out).unwrap())
}

#[test]
fn the_hunt_finds_both_leaks_and_the_fix_stops_them() {
    let (findings, out) = run();
    assert_eq!(findings.leaky_growth.len(), ROUNDS);
    for (round, text) in findings.leaky_growth.iter().enumerate() {
        let count = REQUESTS * (round + 1);
        let expected: Vec<_> = ["Listener", "Response", "Session"]
            .map(|t| (t.to_owned(), count, REQUESTS as i64))
            .into();
        assert_eq!(rows(text), expected, "round {}", round + 1);
    }
    assert_eq!(findings.fixed_growth, vec![String::new(); ROUNDS]);
    assert!(out.contains("(no growth)"));

    let chains: Vec<_> = findings.chains.iter().map(|c| chain_text(c)).collect();
    assert_eq!(
        chains,
        [
            ["Cache", ".responses[7]: Response", ".session: Session"],
            ["Registry", ".listeners[7]: Listener", ".session: Session"],
        ]
    );
    assert!(out.contains("2 roots reach it:\nchain 1, 2 links:\n    Cache at 0x… (root"));

    assert_eq!(without_lines(&findings.folded), expected_folded());
    check_doc_quotes(&out);

    let names: Vec<_> = findings
        .files
        .iter()
        .map(|p| p.file_name().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "leak_hunt_backrefs.svg",
            "leak_hunt_flame.svg",
            "leak_hunt_memory.svg",
            "leak_hunt_memory.png"
        ]
    );
    check_backrefs_svg(&std::fs::read_to_string(&findings.files[0]).unwrap());
    check_backrefs_dot(&std::fs::read_to_string(findings.files[0].with_extension("dot")).unwrap());
    check_flame_svg(&std::fs::read_to_string(&findings.files[1]).unwrap());
    parse(&std::fs::read_to_string(&findings.files[2]).unwrap());
    check_png(&std::fs::read(&findings.files[3]).unwrap());
    std::fs::remove_dir_all(findings.files[0].parent().unwrap()).unwrap();
}

/// The SVG as XML; inferno's has a DOCTYPE.
fn parse(svg: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(svg, options).unwrap()
}

/// The texts of the SVG's `tag` elements (layout-rs writes a label line per `tspan`,
/// inferno a frame per `text`), in document order.
fn texts(svg: &str, tag: &str) -> Vec<String> {
    let doc = parse(svg);
    let text = |n: roxmltree::Node| n.text().map(str::to_owned);
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .filter_map(text)
        .collect()
}

/// One box per object on the chains (the session, its listener and response, the registry
/// and the cache), with the type names as text.
fn check_backrefs_svg(svg: &str) {
    let texts = texts(svg, "tspan");
    for ty in ["Session", "Listener", "Response", "Registry", "Cache"] {
        assert_eq!(
            texts.iter().filter(|t| *t == ty).count(),
            1,
            "{ty} in {texts:?}"
        );
    }
}

/// Graphviz reads the DOT the SVG was rendered from, and draws the same five objects and the
/// five references with their places.
fn check_backrefs_dot(dot: &str) {
    let Some(svg) = support::graphviz_svg(dot) else {
        return;
    };
    let doc = parse(&svg);
    let class = |c: &str| {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(c))
            .count()
    };
    assert_eq!((class("node"), class("edge")), (5, 5));
    let mut labels = texts(&svg, "text");
    labels.retain(|t| t.starts_with('.'));
    labels.sort();
    let expected = [
        ".listener",
        ".listeners[7]",
        ".responses[7]",
        ".session",
        ".session",
    ];
    assert_eq!(labels, expected);
}

/// The flame graph names the service's frames that allocated the leaked objects.
fn check_flame_svg(svg: &str) {
    let all = texts(svg, "text").join("\n");
    for frame in ["accept:", "respond:", "subscribe:"] {
        assert!(all.contains(frame), "{frame} in {all}");
    }
}

fn check_png(bytes: &[u8]) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (900, 500));
}

#[test]
fn addresses_are_masked() {
    assert_eq!(
        mask_addresses("Cache at 0x7f9be3d04010 (root), Session at 0xA1"),
        "Cache at 0x… (root), Session at 0x…"
    );
}

/// Folded stacks with the frames' line numbers dropped (`serve:105;accept:120 8` becomes
/// `serve;accept 8`).
fn without_lines(folded: &[String]) -> Vec<String> {
    let frame = |f: &str| f.rsplit_once(':').unwrap().0.to_owned();
    let strip = |line: &String| {
        let (stack, weight) = line.rsplit_once(' ').unwrap();
        let frames: Vec<_> = stack.split(';').map(frame).collect();
        format!("{} {weight}", frames.join(";"))
    };
    folded.iter().map(strip).collect()
}

/// What tracemalloc must hold after the leaky rounds: each live object's block
/// (`sys::getsizeof`, measured on one request built by the service's own functions; every
/// `Buffer` has the same block, its bytes being on the Rust heap), per function that
/// allocated it; the request bodies were freed.
fn expected_folded() -> Vec<String> {
    let service = Service::new(false);
    let request = accept(0);
    let listener = subscribe(&request.session);
    let response = respond(&request);
    let leaked = REQUESTS * ROUNDS;
    let response_bytes = getsizeof(&response) + getsizeof(&request.body);
    let new_bytes = getsizeof(&service.cache) + getsizeof(&service.registry);
    vec![
        format!("Service::new {new_bytes}"),
        format!("serve;accept {}", leaked * getsizeof(&request.session)),
        format!("serve;respond {}", leaked * response_bytes),
        format!("serve;subscribe {}", leaked * getsizeof(&listener)),
    ]
}

/// The `text` blocks docs/observability.md quotes for steps 2, 4 and 5 are the output's
/// (step 1's rows can come in another order: see `rows`).
fn check_doc_quotes(out: &str) {
    let doc = include_str!("../../../docs/observability.md");
    let section = &doc[doc.find("## Leak hunt").unwrap()..];
    let blocks: Vec<&str> = section
        .split("```text\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    for step in ["== step 2", "== step 4", "== step 5"] {
        let block = blocks.iter().find(|b| b.starts_with(step)).unwrap();
        assert!(
            out.contains(block),
            "docs/observability.md quotes\n{block}\nbut the output is\n{out}"
        );
    }
}
