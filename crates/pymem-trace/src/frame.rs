//! [`Frame`] and [`Traceback`]: where an allocation happened, with CPython's text forms.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// One place in the program: a file and a line (CPython's `tracemalloc.Frame`). Ordered
/// and hashed by `(filename, lineno)`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Frame {
    filename: Arc<str>,
    lineno: u32,
}

impl Frame {
    /// A frame of `filename` at `lineno`.
    pub fn new(filename: impl Into<Arc<str>>, lineno: u32) -> Frame {
        Frame {
            filename: filename.into(),
            lineno,
        }
    }

    /// The frame CPython records when there is none: `<unknown>:0`.
    pub fn unknown() -> Frame {
        Frame::new("<unknown>", 0)
    }

    /// The file name.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    pub(crate) fn filename_arc(&self) -> &Arc<str> {
        &self.filename
    }

    /// The line number.
    pub fn lineno(&self) -> u32 {
        self.lineno
    }
}

/// `filename:lineno`, as CPython's `str(frame)`.
impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.filename, self.lineno)
    }
}

/// `<Frame filename='f' lineno=1>`, as CPython's `repr(frame)`.
impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<Frame filename={:?} lineno={}>",
            PyStr(&self.filename),
            self.lineno
        )
    }
}

/// A string in Python's repr quoting (single quotes unless the text holds one).
struct PyStr<'a>(&'a str);

impl fmt::Debug for PyStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quote = if self.0.contains('\'') && !self.0.contains('"') {
            '"'
        } else {
            '\''
        };
        write!(f, "{quote}")?;
        for c in self.0.chars() {
            match c {
                '\\' => write!(f, "\\\\")?,
                c if c == quote => write!(f, "\\{c}")?,
                '\n' => write!(f, "\\n")?,
                '\t' => write!(f, "\\t")?,
                c => write!(f, "{c}")?,
            }
        }
        write!(f, "{quote}")
    }
}

/// The frames of one allocation, **oldest first** (CPython's `tracemalloc.Traceback`),
/// and how deep the stack really was (`total_nframe`) when frames were left out.
/// Compared, ordered and hashed by its frames alone, as CPython does.
///
/// ```
/// use pymem_trace::{Frame, Traceback};
///
/// // Captured most recent first, stored and shown oldest first, as CPython's.
/// let tb = Traceback::from_most_recent_first(vec![Frame::new("b.py", 4), Frame::new("a.py", 2)], Some(3));
/// let frames: Vec<String> = tb.frames().iter().map(|f| f.to_string()).collect();
/// assert_eq!(frames, ["a.py:2", "b.py:4"]);
/// assert_eq!(tb.total_nframe(), Some(3));
/// ```
#[derive(Clone)]
pub struct Traceback {
    frames: Vec<Frame>,
    total_nframe: Option<usize>,
}

impl Traceback {
    /// A traceback from frames **most recent first**, the order in which they are captured
    /// (as CPython's constructor takes them; it stores them reversed).
    pub fn from_most_recent_first(
        mut frames: Vec<Frame>,
        total_nframe: Option<usize>,
    ) -> Traceback {
        frames.reverse();
        Traceback {
            frames,
            total_nframe,
        }
    }

    /// The frames, oldest first.
    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }

    /// The most recent frame (the one `lineno` statistics group by).
    pub fn most_recent(&self) -> Option<&Frame> {
        self.frames.last()
    }

    /// Frames in the stack when the allocation was traced, if it was counted (may exceed
    /// `len()` when the traceback limit cut frames off).
    pub fn total_nframe(&self) -> Option<usize> {
        self.total_nframe
    }

    /// Number of frames kept.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Whether no frame is kept.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// CPython's `Traceback.format(limit, most_recent_first)`: `  File "f", line n` per
    /// frame, each followed by `    <source line>` when the file can be read. A positive
    /// `limit` keeps the most recent `limit` frames, a negative one the oldest `-limit`.
    pub fn format(&self, limit: Option<isize>, most_recent_first: bool) -> Vec<String> {
        let n = self.frames.len();
        let kept = match limit {
            Some(l) if l > 0 => &self.frames[n.saturating_sub(l as usize)..],
            Some(l) if l < 0 => &self.frames[..n.saturating_sub(l.unsigned_abs())],
            _ => &self.frames[..],
        };
        let mut ordered: Vec<&Frame> = kept.iter().collect();
        if most_recent_first {
            ordered.reverse();
        }
        let mut lines = Vec::new();
        for frame in ordered {
            lines.push(format!(
                "  File \"{}\", line {}",
                frame.filename, frame.lineno
            ));
            if let Some(source) = source_line(&frame.filename, frame.lineno) {
                lines.push(format!("    {source}"));
            }
        }
        lines
    }
}

impl PartialEq for Traceback {
    fn eq(&self, other: &Traceback) -> bool {
        self.frames == other.frames
    }
}

impl Eq for Traceback {}

impl std::hash::Hash for Traceback {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.frames.hash(state);
    }
}

impl PartialOrd for Traceback {
    fn partial_cmp(&self, other: &Traceback) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Traceback {
    fn cmp(&self, other: &Traceback) -> std::cmp::Ordering {
        self.frames.cmp(&other.frames)
    }
}

/// CPython's `str(traceback)`: its oldest frame.
impl fmt::Display for Traceback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.frames.first() {
            Some(frame) => write!(f, "{frame}"),
            None => Ok(()),
        }
    }
}

/// `<Traceback (<Frame …>, …)>` plus ` total_nframe=N` when known, as CPython's `repr`.
impl fmt::Debug for Traceback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Traceback (")?;
        for (i, frame) in self.frames.iter().enumerate() {
            write!(f, "{frame:?}")?;
            if i + 1 < self.frames.len() || self.frames.len() == 1 {
                write!(f, ",")?;
            }
            if i + 1 < self.frames.len() {
                write!(f, " ")?;
            }
        }
        write!(f, ")")?;
        match self.total_nframe {
            Some(n) => write!(f, " total_nframe={n}>"),
            None => write!(f, ">"),
        }
    }
}

thread_local! {
    /// CPython's `linecache`: each file read once, split into lines.
    static LINES: RefCell<HashMap<String, Option<Vec<String>>>> = RefCell::new(HashMap::new());
}

/// Line `lineno` (1-based) of `filename`, stripped, if the file can be read and the line is
/// not blank.
fn source_line(filename: &str, lineno: u32) -> Option<String> {
    LINES.with_borrow_mut(|cache| {
        let lines = cache.entry(filename.to_string()).or_insert_with(|| {
            let text = std::fs::read_to_string(filename).ok()?;
            Some(text.lines().map(str::to_string).collect())
        });
        let line = lines.as_ref()?.get((lineno as usize).checked_sub(1)?)?;
        let line = line.trim();
        (!line.is_empty()).then(|| line.to_string())
    })
}
