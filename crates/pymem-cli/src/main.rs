//! The `pymem` command: runs Python programs on pymem's heap.
//!
//! ```text
//! pymem run FILE.py [ARGS]     run a script (also: pymem FILE.py)
//! pymem -c CODE [ARGS]         run a string
//! pymem -m MODULE [ARGS]       run MODULE.py from the current directory
//! pymem                        the interactive prompt
//! -X tracemalloc[=N]           start tracemalloc with N frames (PYTHONTRACEMALLOC=N too)
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use pymem_py::{Interpreter, RunError};

/// The interpreter thread's stack: deep enough for `sys.getrecursionlimit()` Python frames
/// and the Rust frames between them (virtual memory, committed only as it is used).
const STACK_SIZE: usize = 512 << 20;

/// What the command line asks for.
enum Mode {
    File(PathBuf),
    Code(String),
    Module(String),
    Repl,
}

struct Options {
    mode: Mode,
    argv: Vec<String>,
    tracemalloc: Option<usize>,
}

fn main() -> ExitCode {
    let opts = match parse(std::env::args().skip(1).collect()) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}\n{}", usage());
            return ExitCode::from(2);
        }
    };
    let worker = std::thread::Builder::new()
        .name("python".into())
        .stack_size(STACK_SIZE)
        .spawn(move || run(opts));
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => ExitCode::from(70),
    }
}

fn usage() -> &'static str {
    "usage: pymem [-X tracemalloc[=N]] (run FILE.py | FILE.py | -c CODE | -m MODULE) [ARGS...]"
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut tracemalloc = env_tracemalloc();
    let mut it = args.into_iter().peekable();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-X" => {
                tracemalloc = x_option(&it.next().ok_or("-X needs an argument")?)?.or(tracemalloc)
            }
            "-h" | "--help" => return Err("pymem runs Python programs on pymem's heap".into()),
            "-c" => {
                let code = it.next().ok_or("Argument expected for the -c option")?;
                let argv = std::iter::once("-c".to_owned()).chain(it).collect();
                return Ok(Options {
                    mode: Mode::Code(code),
                    argv,
                    tracemalloc,
                });
            }
            "-m" => {
                let m = it.next().ok_or("Argument expected for the -m option")?;
                let argv = std::iter::once(m.clone()).chain(it).collect();
                return Ok(Options {
                    mode: Mode::Module(m),
                    argv,
                    tracemalloc,
                });
            }
            "run" => {
                let file = it.next().ok_or("pymem run needs a file")?;
                return Ok(file_options(file, it.collect(), tracemalloc));
            }
            f if !f.starts_with('-') => {
                return Ok(file_options(f.to_owned(), it.collect(), tracemalloc));
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(Options {
        mode: Mode::Repl,
        argv: vec![String::new()],
        tracemalloc,
    })
}

fn file_options(file: String, rest: Vec<String>, tracemalloc: Option<usize>) -> Options {
    let argv = std::iter::once(file.clone()).chain(rest).collect();
    Options {
        mode: Mode::File(PathBuf::from(file)),
        argv,
        tracemalloc,
    }
}

/// `-X tracemalloc` (1 frame) or `-X tracemalloc=N`; other `-X` options are ignored, as
/// CPython ignores the ones it does not know.
fn x_option(opt: &str) -> Result<Option<usize>, String> {
    match opt.split_once('=') {
        None if opt == "tracemalloc" => Ok(Some(1)),
        Some(("tracemalloc", n)) => n
            .parse()
            .map(Some)
            .map_err(|_| "-X tracemalloc=NFRAME: invalid number of frames".to_owned()),
        _ => Ok(None),
    }
}

fn env_tracemalloc() -> Option<usize> {
    let v = std::env::var("PYTHONTRACEMALLOC").ok()?;
    v.parse().ok().filter(|&n: &usize| n > 0)
}

fn run(opts: Options) -> u8 {
    let mut py = Interpreter::new();
    py.set_argv(opts.argv);
    if let Some(n) = opts.tracemalloc
        && let Err(e) = py.start_tracemalloc(n)
    {
        eprintln!("pymem: cannot start tracemalloc: {e:?}");
        return 1;
    }
    let r = match opts.mode {
        Mode::File(path) => py.run_file(&path),
        Mode::Code(code) => py.run_source(&code, "<string>"),
        Mode::Module(m) => py.run_module(&m),
        Mode::Repl => repl(&mut py),
    };
    py.shutdown();
    status(r)
}

fn status(r: Result<(), RunError>) -> u8 {
    match r {
        Ok(()) => 0,
        Err(RunError::Exit(code)) => code.clamp(0, 255) as u8,
        Err(RunError::Io(e)) => {
            eprintln!("pymem: can't open file: {e}");
            2
        }
    }
}

/// The interactive prompt: `>>> ` and `... ` for blocks, history in `~/.pymem_history`.
fn repl(py: &mut Interpreter) -> Result<(), RunError> {
    let mut rl =
        rustyline::DefaultEditor::new().map_err(|e| RunError::Io(std::io::Error::other(e)))?;
    let history = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pymem_history"));
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    println!(
        "pymem {} (Python 3.13 on pymem's heap)",
        env!("CARGO_PKG_VERSION")
    );
    while let Some(entry) = read_entry(&mut rl) {
        let _ = rl.add_history_entry(entry.trim_end());
        if let Err(RunError::Exit(code)) = py.run_interactive(&entry)
            && py.exit_requested()
        {
            return Err(RunError::Exit(code));
        }
    }
    if let Some(h) = &history {
        let _ = rl.save_history(h);
    }
    Ok(())
}

/// Reads one statement: a line, or a block ended by an empty line.
fn read_entry(rl: &mut rustyline::DefaultEditor) -> Option<String> {
    let first = rl.readline(">>> ").ok()?;
    let mut entry = first.clone() + "\n";
    if !first.trim_end().ends_with(':') {
        return Some(entry);
    }
    while let Ok(line) = rl.readline("... ") {
        if line.trim().is_empty() {
            break;
        }
        entry.push_str(&line);
        entry.push('\n');
    }
    Some(entry)
}
