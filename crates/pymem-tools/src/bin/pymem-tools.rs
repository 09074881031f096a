//! `pymem-tools`: the tools' commands on saved files (a `.dat` recording, a tracemalloc
//! snapshot dump, a DOT graph). `pymem-tools --help` lists them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use pymem_tools::flame::{self, Weight};
use pymem_tools::{mprof, plot};
use pymem_trace::Snapshot;

/// Watching pymem's memory from saved files: plot an mprof recording, draw a flame graph of
/// a tracemalloc snapshot, print a snapshot's top lines, render an object graph's DOT.
#[derive(Parser)]
#[command(name = "pymem-tools", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Plot a recording (`mprof`'s `.dat`, pymem's HEAP and GC lines included) like `mprof plot`.
    Plot {
        /// The `.dat` file.
        dat: PathBuf,
        /// Output file: `.svg` or `.png`.
        #[arg(short, long)]
        output: PathBuf,
        /// Chart title (default: the recording's command line).
        #[arg(short, long)]
        title: Option<String>,
        /// Width in pixels.
        #[arg(long, default_value_t = 1024)]
        width: u32,
        /// Height in pixels.
        #[arg(long, default_value_t = 600)]
        height: u32,
    },
    /// Draw a flame graph of a tracemalloc snapshot (pymem-trace's dump format).
    Flame {
        /// The snapshot dump (`Snapshot::dump`).
        snapshot: PathBuf,
        /// Output SVG file.
        #[arg(short, long)]
        output: PathBuf,
        /// Weigh frames by allocation count instead of bytes.
        #[arg(long)]
        count: bool,
        /// Write the folded stacks (`a;b;c 123` lines) instead of an SVG.
        #[arg(long)]
        folded: bool,
    },
    /// Print a snapshot's top statistics (tracemalloc's `statistics()`, one per line).
    Top {
        /// The snapshot dump (`Snapshot::dump`).
        snapshot: PathBuf,
        /// How many lines.
        #[arg(short = 'n', long, default_value_t = 10)]
        limit: usize,
        /// Group by `lineno`, `filename` or `traceback`.
        #[arg(short, long, default_value = "lineno")]
        key: String,
        /// Count each frame of a traceback, not only the most recent (`cumulative=True`).
        #[arg(long)]
        cumulative: bool,
    },
    /// Render a DOT file (`show_refs`, `show_backrefs`, `why_alive`) to SVG in pure Rust, so
    /// that no Graphviz is needed.
    #[cfg(feature = "svg")]
    Dot {
        /// The `.dot` file.
        dot: PathBuf,
        /// Output SVG file.
        #[arg(short, long)]
        output: PathBuf,
    },
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pymem-tools: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::Plot {
            dat,
            output,
            title,
            width,
            height,
        } => plot_file(&dat, &output, title, (width, height)),
        Command::Flame {
            snapshot,
            output,
            count,
            folded,
        } => flame_file(&snapshot, &output, count, folded),
        Command::Top {
            snapshot,
            limit,
            key,
            cumulative,
        } => top(&snapshot, limit, &key, cumulative),
        #[cfg(feature = "svg")]
        Command::Dot { dot, output } => dot_file(&dot, &output),
    }
}

#[cfg(feature = "svg")]
fn dot_file(dot: &Path, output: &Path) -> Result<()> {
    let source = std::fs::read_to_string(dot)?;
    let svg = with_progress("laying out", || pymem_tools::render_svg(&source))?;
    Ok(std::fs::write(output, svg)?)
}

fn plot_file(dat: &Path, output: &Path, title: Option<String>, size: (u32, u32)) -> Result<()> {
    let recording = mprof::parse_dat(&std::fs::read_to_string(dat)?)?;
    let title = title.unwrap_or_else(|| recording.cmdline.clone());
    let bytes = match output.extension().and_then(|e| e.to_str()) {
        Some("svg") => plot::svg(&recording, &title, size)?.into_bytes(),
        Some("png") => plot::png(&recording, &title, size)?,
        _ => return Err("the output must end in .svg or .png".into()),
    };
    Ok(std::fs::write(output, bytes)?)
}

/// Runs `work` behind a spinner on stderr (hidden when stderr is not a terminal).
fn with_progress<T>(message: &str, work: impl FnOnce() -> T) -> T {
    let bar = ProgressBar::new_spinner().with_message(message.to_owned());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("a valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    let result = work();
    bar.finish_and_clear();
    result
}

fn load(path: &Path) -> Result<Snapshot> {
    let message = format!("loading {}", path.display());
    Ok(with_progress(&message, || Snapshot::load(path))?)
}

fn flame_file(snapshot: &Path, output: &Path, count: bool, folded: bool) -> Result<()> {
    let snapshot = load(snapshot)?;
    let weight = if count { Weight::Count } else { Weight::Size };
    let lines = with_progress("folding stacks", || flame::folded(&snapshot, weight));
    let bytes = match folded {
        true => lines
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .into_bytes(),
        false => with_progress("drawing", || {
            flame::svg(&lines, weight, "pymem allocations")
        })?,
    };
    Ok(std::fs::write(output, bytes)?)
}

fn top(snapshot: &Path, limit: usize, key: &str, cumulative: bool) -> Result<()> {
    let stats = load(snapshot)?.statistics(key, cumulative)?;
    stats.iter().take(limit).for_each(|stat| println!("{stat}"));
    Ok(())
}
