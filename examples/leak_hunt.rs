//! A leak hunt with pymem-tools: a small service leaks through a response cache that never
//! evicts and a listener registry that keeps Session <-> Listener cycles alive; the tools find
//! both step by step, then the fixed service shows no growth.
//!
//! `cargo run -p pymem-tools --example leak_hunt -- [OUT_DIR] [--docs]` writes the pictures to
//! `OUT_DIR` (default: `pymem-leak-hunt` in the temp dir; `--docs`: `docs/img`). Addresses in
//! the printed text are masked (`0x…`), so the output is the same on every run.

use std::cell::RefCell;
use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use pymem::tracemalloc::{self, Frame, FrameProvider};
use pymem::{Gc, Trace};
use pymem_tools::dot::{GraphOptions, show_backrefs};
use pymem_tools::flame::{self, Weight};
use pymem_tools::names::short_name;
use pymem_tools::objgraph::{PeakStats, show_growth};
use pymem_tools::published::{Gauges, Publisher};
use pymem_tools::sampler::{self, Recording};
use pymem_tools::{Chain, Link, plot, render_svg, why_alive};

/// Requests handled per round.
pub(crate) const REQUESTS: usize = 2000;
/// Safe points (memory samples) per round.
const SAMPLES_PER_ROUND: usize = 4;
/// Rounds run by the leaky service, and again by the fixed one.
pub(crate) const ROUNDS: usize = 3;
/// Responses the fixed cache keeps.
pub(crate) const CACHE_CAPACITY: usize = 10;

/// The bytes of a request or response body.
#[derive(Trace)]
pub(crate) struct Buffer {
    #[trace(skip)]
    bytes: Vec<u8>,
}

/// A client's session; its listener points back at it (a cycle).
#[derive(Trace)]
pub(crate) struct Session {
    #[trace(skip)]
    user: usize,
    listener: RefCell<Option<Gc<Listener>>>,
}

/// Called on events for one session; registered in the [`Registry`].
#[derive(Trace)]
pub(crate) struct Listener {
    session: Gc<Session>,
}

/// A request in flight: dropped when handled.
#[derive(Trace)]
pub(crate) struct Request {
    pub(crate) session: Gc<Session>,
    pub(crate) body: Gc<Buffer>,
}

/// What the cache remembers of a handled request.
#[derive(Trace)]
pub(crate) struct Response {
    session: Gc<Session>,
    body: Gc<Buffer>,
}

/// The response cache (leak 1 while nothing evicts).
#[derive(Trace)]
pub(crate) struct Cache {
    responses: RefCell<Vec<Gc<Response>>>,
}

/// The service-wide listener registry (leak 2 while nothing unregisters).
#[derive(Trace)]
pub(crate) struct Registry {
    listeners: RefCell<Vec<Gc<Listener>>>,
}

/// The service: its cache and registry live as long as it does.
pub(crate) struct Service {
    pub(crate) cache: Gc<Cache>,
    pub(crate) registry: Gc<Registry>,
    fixed: bool,
    users: usize,
}

impl Service {
    pub(crate) fn new(fixed: bool) -> Service {
        Service {
            cache: Gc::new(Cache {
                responses: RefCell::new(Vec::new()),
            }),
            registry: Gc::new(Registry {
                listeners: RefCell::new(Vec::new()),
            }),
            fixed,
            users: 0,
        }
    }

    fn serve(&mut self, requests: usize) {
        in_frame("serve", line!(), || {
            (0..requests).for_each(|_| self.handle_request())
        });
    }

    /// A round of [`REQUESTS`], with a safe point after each part.
    fn serve_round(&mut self, publisher: &Publisher, recording: &mut Recording) {
        for _ in 0..SAMPLES_PER_ROUND {
            self.serve(REQUESTS / SAMPLES_PER_ROUND);
            safe_point(publisher, recording);
        }
    }

    fn handle_request(&mut self) {
        self.users += 1;
        let request = in_frame("accept", line!(), || accept(self.users));
        let listener = in_frame("subscribe", line!(), || subscribe(&request.session));
        self.registry.listeners.borrow_mut().push(listener.clone());
        let response = in_frame("respond", line!(), || respond(&request));
        self.remember(response);
        if self.fixed {
            self.unregister(&listener);
        }
    }

    fn remember(&self, response: Gc<Response>) {
        let mut responses = self.cache.responses.borrow_mut();
        responses.push(response);
        if self.fixed && responses.len() > CACHE_CAPACITY {
            responses.remove(0);
        }
    }

    fn unregister(&self, listener: &Gc<Listener>) {
        let mut listeners = self.registry.listeners.borrow_mut();
        listeners.retain(|l| !Gc::ptr_eq(l, listener));
    }
}

pub(crate) fn accept(user: usize) -> Request {
    let session = Gc::new(Session {
        user,
        listener: RefCell::new(None),
    });
    let body = buffer(256);
    Request { session, body }
}

pub(crate) fn subscribe(session: &Gc<Session>) -> Gc<Listener> {
    let listener = Gc::new(Listener {
        session: session.clone(),
    });
    *session.listener.borrow_mut() = Some(listener.clone());
    listener
}

pub(crate) fn respond(request: &Request) -> Gc<Response> {
    let size = request.body.bytes.len() * 4 + request.session.user % 2;
    Gc::new(Response {
        session: request.session.clone(),
        body: buffer(size),
    })
}

fn buffer(size: usize) -> Gc<Buffer> {
    Gc::new(Buffer {
        bytes: vec![0; size],
    })
}

thread_local! {
    /// The service's own call stack, as tracemalloc frames (most recent last).
    static STACK: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with `name:line` on the service's stack, which [`ServiceFrames`] reports.
fn in_frame<R>(name: &'static str, line: u32, f: impl FnOnce() -> R) -> R {
    STACK.with_borrow_mut(|s| s.push(Frame::new(name, line)));
    let result = f();
    STACK.with_borrow_mut(|s| s.pop());
    result
}

/// Attributes allocations to the service's functions (as a language runtime reports its
/// script's frames) rather than to unwound Rust frames, whose names vary with the build.
struct ServiceFrames;

impl FrameProvider for ServiceFrames {
    fn frames(&self, limit: usize, out: &mut Vec<Frame>) -> usize {
        STACK.with_borrow(|s| {
            out.extend(s.iter().rev().take(limit).cloned());
            s.len()
        })
    }
}

/// What the hunt found, for the test.
pub(crate) struct Findings {
    /// `show_growth` after each leaky round.
    pub(crate) leaky_growth: Vec<String>,
    /// `show_growth` after each fixed round (after one warm-up round).
    pub(crate) fixed_growth: Vec<String>,
    /// `why_alive`'s chains to one leaked session: each link's place and type, root first
    /// (the names only: `WhyAlive` holds the objects, and would keep the leak alive).
    pub(crate) chains: Chains,
    /// The tracemalloc snapshot after the leaky rounds, as folded stacks by bytes.
    pub(crate) folded: Vec<String>,
    /// The files written: the backrefs SVG, the flame graph SVG, the memory SVG and PNG.
    pub(crate) files: Vec<PathBuf>,
}

/// The whole hunt, printing each step to `out` and writing the pictures into `dir`.
pub(crate) fn hunt(dir: &Path, out: &mut dyn Write) -> Result<Findings, Box<dyn Error>> {
    std::fs::create_dir_all(dir)?;
    let publisher = Publisher::install(Arc::new(Gauges::default()));
    let mut recording = Recording {
        cmdline: "leak_hunt".into(),
        ..Recording::default()
    };
    tracemalloc::set_frame_provider(Some(Rc::new(ServiceFrames)));
    tracemalloc::start(8)?;
    let found = hunt_leaks(&publisher, &mut recording, dir, out);
    tracemalloc::stop();
    tracemalloc::set_frame_provider(None);
    let mut findings = found?;
    findings.fixed_growth = step_fixed(&publisher, &mut recording, out)?;
    findings.files.extend(step_plot(&recording, dir, out)?);
    Ok(findings)
}

/// Steps 1 to 4, on the leaky service (dropped at the end, with everything it leaked).
fn hunt_leaks(
    publisher: &Publisher,
    recording: &mut Recording,
    dir: &Path,
    out: &mut dyn Write,
) -> Result<Findings, Box<dyn Error>> {
    let mut service = in_frame("Service::new", line!(), || Service::new(false));
    safe_point(publisher, recording);
    let leaky_growth = step_growth(&mut service, publisher, recording, out)?;
    let session = leaked_session(&service);
    let chains = step_why_alive(&session, out)?;
    let backrefs = step_backrefs(&session, dir, out)?;
    let (folded, flame) = step_flame(dir, out)?;
    Ok(Findings {
        leaky_growth,
        fixed_growth: Vec::new(),
        chains,
        folded,
        files: vec![backrefs, flame],
    })
}

/// Step 1: `show_growth` after each round names the types that keep growing.
fn step_growth(
    service: &mut Service,
    publisher: &Publisher,
    recording: &mut Recording,
    out: &mut dyn Write,
) -> Result<Vec<String>, Box<dyn Error>> {
    writeln!(
        out,
        "== step 1: show_growth after each round of {REQUESTS} requests"
    )?;
    let mut peak = PeakStats::new();
    growth_text(&mut peak)?; // the baseline, not printed
    let mut rounds = Vec::new();
    for round in 1..=ROUNDS {
        service.serve_round(publisher, recording);
        let text = growth_text(&mut peak)?;
        writeln!(out, "-- round {round}\n{text}", text = text.trim_end())?;
        rounds.push(text);
    }
    Ok(rounds)
}

fn growth_text(peak: &mut PeakStats) -> Result<String, Box<dyn Error>> {
    let mut text = Vec::new();
    show_growth(10, peak, None, &mut text)?;
    Ok(String::from_utf8(text)?)
}

/// Publishes the figures and records a sample and the collections since the last one.
fn safe_point(publisher: &Publisher, recording: &mut Recording) {
    publisher.publish();
    let gauges = publisher.gauges();
    recording.samples.push(sampler::sample(gauges));
    recording.collections.extend(gauges.take_collections());
}

/// The session of the 8th request: registered, and cached.
fn leaked_session(service: &Service) -> Gc<Session> {
    service.registry.listeners.borrow()[7].session.clone()
}

/// Step 2: `why_alive` prints the chains from the roots that hold a leaked session.
fn step_why_alive(session: &Gc<Session>, out: &mut dyn Write) -> Result<Chains, Box<dyn Error>> {
    writeln!(out, "\n== step 2: why_alive(session of request 8)")?;
    let why = why_alive(session);
    write!(out, "{}", mask_addresses(&why.to_string()))?;
    Ok(why.chains().iter().map(chain_names).collect())
}

type Chains = Vec<Vec<(Option<String>, &'static str)>>;

fn chain_names(chain: &Chain) -> Vec<(Option<String>, &'static str)> {
    let link = |l: &Link| (l.via.clone(), l.object.type_name());
    chain.links.iter().map(link).collect()
}

/// Step 3: the backrefs graph of that session, as DOT and SVG.
fn step_backrefs(
    session: &Gc<Session>,
    dir: &Path,
    out: &mut dyn Write,
) -> Result<PathBuf, Box<dyn Error>> {
    writeln!(out, "\n== step 3: show_backrefs(session, max_depth=3)")?;
    let graph = show_backrefs(&[session], &GraphOptions::default());
    let path = dir.join("leak_hunt_backrefs.svg");
    std::fs::write(&path, render_svg(&graph.dot)?)?;
    std::fs::write(dir.join("leak_hunt_backrefs.dot"), &graph.dot)?;
    writeln!(
        out,
        "Graph written to leak_hunt_backrefs.dot ({} nodes)",
        graph.nodes
    )?;
    Ok(path)
}

/// Step 4: where the live memory was allocated, as folded stacks and a flame graph.
fn step_flame(dir: &Path, out: &mut dyn Write) -> Result<(Vec<String>, PathBuf), Box<dyn Error>> {
    writeln!(
        out,
        "\n== step 4: tracemalloc snapshot as a flame graph (bytes)"
    )?;
    let snapshot = tracemalloc::take_snapshot()?;
    let lines = flame::folded(&snapshot, Weight::Size);
    for line in &lines {
        writeln!(out, "{line}")?;
    }
    let path = dir.join("leak_hunt_flame.svg");
    std::fs::write(
        &path,
        flame::svg(&lines, Weight::Size, "leak_hunt: live bytes")?,
    )?;
    Ok((lines, path))
}

/// Step 5: the fixed service (the cache evicts, listeners unregister) stops growing.
fn step_fixed(
    publisher: &Publisher,
    recording: &mut Recording,
    out: &mut dyn Write,
) -> Result<Vec<String>, Box<dyn Error>> {
    writeln!(
        out,
        "\n== step 5: the fix: evict past {CACHE_CAPACITY}, unregister listeners"
    )?;
    let mut service = Service::new(true);
    service.serve_round(publisher, recording); // fills the cache to capacity
    let mut peak = PeakStats::new();
    growth_text(&mut peak)?;
    let mut rounds = Vec::new();
    for round in 1..=ROUNDS {
        service.serve_round(publisher, recording);
        let text = growth_text(&mut peak)?;
        let shown = if text.is_empty() {
            "(no growth)"
        } else {
            text.trim_end()
        };
        writeln!(out, "-- round {round}\n{shown}")?;
        rounds.push(text);
    }
    Ok(rounds)
}

/// Step 6: memory over time, collections marked, as SVG and PNG.
fn step_plot(
    recording: &Recording,
    dir: &Path,
    out: &mut dyn Write,
) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    writeln!(out, "\n== step 6: memory over time")?;
    let (svg, png) = (
        dir.join("leak_hunt_memory.svg"),
        dir.join("leak_hunt_memory.png"),
    );
    std::fs::write(&svg, plot::svg(recording, "leak_hunt", (900, 500))?)?;
    std::fs::write(&png, plot::png(recording, "leak_hunt", (900, 500))?)?;
    let (samples, collections) = (recording.samples.len(), recording.collections.len());
    writeln!(out, "{samples} samples, {collections} collections")?;
    Ok(vec![svg, png])
}

/// `0x7f3a…` becomes `0x…`: addresses differ from run to run.
pub(crate) fn mask_addresses(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("0x") {
        masked.push_str(&rest[..at + 2]);
        rest = rest[at + 2..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
        masked.push('…');
    }
    masked.push_str(rest);
    masked
}

/// `[OUT_DIR] [--docs]`: the directory the pictures go to.
fn out_dir() -> PathBuf {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/img");
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().find(|a| *a != "--docs") {
        Some(dir) => PathBuf::from(dir),
        None if args.iter().any(|a| a == "--docs") => docs,
        None => std::env::temp_dir().join("pymem-leak-hunt"),
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = out_dir();
    let findings = hunt(&dir, &mut std::io::stdout().lock())?;
    println!("\n{}", summary(&findings));
    let dir = dir.canonicalize()?;
    println!("wrote {} files to {}", findings.files.len(), dir.display());
    Ok(())
}

/// One line: what grew, which roots held it, what the fix left growing.
fn summary(findings: &Findings) -> String {
    let first_word = |line: &str| line.split_whitespace().next().map(str::to_owned);
    let mut grew: Vec<_> = findings.leaky_growth[0]
        .lines()
        .filter_map(first_word)
        .collect();
    grew.sort();
    let roots: Vec<_> = findings.chains.iter().map(|c| short_name(c[0].1)).collect();
    let still = findings
        .fixed_growth
        .iter()
        .filter(|g| !g.is_empty())
        .count();
    let weight = |line: &String| line.rsplit(' ').next().and_then(|w| w.parse::<u64>().ok());
    let traced: u64 = findings.folded.iter().filter_map(weight).sum();
    format!(
        "summary: growing {}; held by {}; {traced} bytes traced after the leaky rounds; \
         rounds growing after the fix: {still}",
        grew.join(", "),
        roots.join(", ")
    )
}
