//! [`Filter`] and [`DomainFilter`]: which traces `Snapshot::filter_traces` keeps, with
//! CPython's matching rules (shell-style patterns, `.pyc` read as `.py`, the most recent
//! frame only unless `all_frames`).

use crate::snapshot::BlockTrace;

/// Keeps (`inclusive`) or drops traces by file name pattern and line (CPython's
/// `tracemalloc.Filter`).
///
/// ```
/// use pymem_trace::{BlockTrace, Filter, Frame, Snapshot, TraceFilter, Traceback};
/// use std::sync::Arc;
///
/// let at = |file: &str| Arc::new(Traceback::from_most_recent_first(vec![Frame::new(file, 1)], None));
/// let snapshot = Snapshot::new(
///     vec![BlockTrace::new(0, 8, at("app.py")), BlockTrace::new(0, 16, at("<frozen importlib>"))],
///     1,
/// );
/// let mine = snapshot.filter_traces(&[TraceFilter::Filter(Filter::new(false, "<frozen *"))]);
/// assert_eq!(mine.traces().len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// Keep matching traces (`true`) or drop them (`false`).
    pub inclusive: bool,
    filename_pattern: String,
    /// Only this line (`None`: any line).
    pub lineno: Option<u32>,
    /// Match any frame of the traceback, not only the most recent one.
    pub all_frames: bool,
    /// Only traces of this domain (`None`: any).
    pub domain: Option<u32>,
}

impl Filter {
    /// A filter on `filename_pattern` (`*`, `?`, `[seq]`, `[!seq]`), any line, most recent
    /// frame only, any domain.
    pub fn new(inclusive: bool, filename_pattern: &str) -> Filter {
        Filter {
            inclusive,
            filename_pattern: normalize(filename_pattern).to_string(),
            lineno: None,
            all_frames: false,
            domain: None,
        }
    }

    /// The same filter restricted to line `lineno`.
    pub fn lineno(mut self, lineno: u32) -> Filter {
        self.lineno = Some(lineno);
        self
    }

    /// The same filter, matching any frame of the traceback.
    pub fn all_frames(mut self, all_frames: bool) -> Filter {
        self.all_frames = all_frames;
        self
    }

    /// The same filter restricted to `domain`.
    pub fn domain(mut self, domain: u32) -> Filter {
        self.domain = Some(domain);
        self
    }

    /// The pattern, normalised (read-only, as in CPython).
    pub fn filename_pattern(&self) -> &str {
        &self.filename_pattern
    }

    fn frame_matches(&self, filename: &str, lineno: u32) -> bool {
        fnmatch(normalize(filename), &self.filename_pattern)
            && self.lineno.is_none_or(|l| l == lineno)
    }

    /// CPython's `Filter._match`: whether the trace passes this filter.
    fn matches(&self, trace: &BlockTrace) -> bool {
        let frames = trace.traceback().frames();
        let result = if self.all_frames {
            let any = frames
                .iter()
                .any(|f| self.frame_matches(f.filename(), f.lineno()));
            any == self.inclusive
        } else {
            match frames.last() {
                Some(f) => self.frame_matches(f.filename(), f.lineno()) == self.inclusive,
                None => !self.inclusive,
            }
        };
        match self.domain {
            Some(d) if self.inclusive => result && trace.domain() == d,
            Some(d) => result || trace.domain() != d,
            None => result,
        }
    }
}

/// Keeps (`inclusive`) or drops the traces of one domain (CPython's `DomainFilter`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DomainFilter {
    /// Keep the domain's traces (`true`) or drop them (`false`).
    pub inclusive: bool,
    domain: u32,
}

impl DomainFilter {
    /// A filter on `domain`.
    pub fn new(inclusive: bool, domain: u32) -> DomainFilter {
        DomainFilter { inclusive, domain }
    }

    /// The domain (read-only, as in CPython).
    pub fn domain(&self) -> u32 {
        self.domain
    }
}

/// Either kind of filter, as `filter_traces` takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceFilter {
    /// By file and line.
    Filter(Filter),
    /// By domain.
    Domain(DomainFilter),
}

impl TraceFilter {
    pub(crate) fn inclusive(&self) -> bool {
        match self {
            TraceFilter::Filter(f) => f.inclusive,
            TraceFilter::Domain(f) => f.inclusive,
        }
    }

    /// Whether the trace passes (an exclusive filter passes what it does not reject).
    pub(crate) fn matches(&self, trace: &BlockTrace) -> bool {
        match self {
            TraceFilter::Filter(f) => f.matches(trace),
            TraceFilter::Domain(f) => (trace.domain() == f.domain) == f.inclusive,
        }
    }
}

impl From<Filter> for TraceFilter {
    fn from(f: Filter) -> TraceFilter {
        TraceFilter::Filter(f)
    }
}

impl From<DomainFilter> for TraceFilter {
    fn from(f: DomainFilter) -> TraceFilter {
        TraceFilter::Domain(f)
    }
}

/// CPython's `_normalize_filename` on POSIX: `normcase` is the identity, and `.pyc` reads
/// as `.py`.
fn normalize(filename: &str) -> &str {
    filename.strip_suffix(".pyc").map_or(filename, |stem| {
        &filename[..stem.len() + 3] // "x.pyc" -> "x.py"
    })
}

/// Shell-style matching of the whole `name` (`fnmatch.fnmatchcase`): `*` any run, `?` one
/// character, `[abc]`, `[a-z]`, `[!abc]` one character of (or not of) a set; an unclosed
/// `[` is literal.
pub fn fnmatch(name: &str, pattern: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    matches_from(&name, &pattern)
}

fn matches_from(name: &[char], pattern: &[char]) -> bool {
    // Iterative with backtracking to the last `*`, so patterns cost O(n * m) at worst.
    let (mut n, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
                continue;
            }
            Some(&c) => {
                if let Some(len) = match_one(c, &pattern[p..], name[n]) {
                    p += len;
                    n += 1;
                    continue;
                }
            }
            None => {}
        }
        match star {
            Some((sp, sn)) => {
                p = sp + 1;
                n = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Whether the pattern item starting at `pattern[0]` (== `c`) matches `ch`; returns the
/// item's length in the pattern.
fn match_one(c: char, pattern: &[char], ch: char) -> Option<usize> {
    match c {
        '?' => Some(1),
        '[' => match parse_set(pattern) {
            Some((len, set_matches)) => set_matches(ch).then_some(len),
            None => (ch == '[').then_some(1),
        },
        _ => (c == ch).then_some(1),
    }
}

/// Parses `[...]` at the start of `pattern`: its length and a matcher, or `None` if the
/// bracket is not closed (then it is a literal `[`).
#[allow(clippy::type_complexity)]
fn parse_set(pattern: &[char]) -> Option<(usize, Box<dyn Fn(char) -> bool + '_>)> {
    let mut i = 1;
    let negate = matches!(pattern.get(i), Some('!'));
    if negate {
        i += 1;
    }
    let start = i;
    // A `]` right after `[` or `[!` is a member, not the end.
    if pattern.get(i) == Some(&']') {
        i += 1;
    }
    while pattern.get(i).is_some_and(|&c| c != ']') {
        i += 1;
    }
    pattern.get(i)?;
    let members = &pattern[start..i];
    let matcher = move |ch: char| {
        let mut j = 0;
        let mut found = false;
        while j < members.len() {
            if j + 2 < members.len() && members[j + 1] == '-' {
                found |= members[j] <= ch && ch <= members[j + 2];
                j += 3;
            } else {
                found |= members[j] == ch;
                j += 1;
            }
        }
        found != negate
    };
    Some((i + 1, Box::new(matcher)))
}

#[cfg(test)]
mod tests {
    use super::{fnmatch, normalize};

    #[test]
    fn fnmatch_follows_pythons_fnmatchcase() {
        // Each row: fnmatch.fnmatchcase(name, pattern) in CPython 3.13.
        for (name, pattern, expected) in [
            ("abc", "abc", true),
            ("abc", "a*", true),
            ("abc", "*c", true),
            ("abc", "*b*", true),
            ("abc", "a?c", true),
            ("abc", "a??c", false),
            ("abc", "", false),
            ("", "*", true),
            ("a/b/c.py", "*.py", true),
            ("a/b/c.py", "a/*", true),
            ("abc", "ABC", false),
            ("a[c", "a[c", true),
            ("abc", "a[bx]c", true),
            ("abc", "a[!b]c", false),
            ("a-c", "a[a-c-]c", true),
            ("a]c", "a[]]c", true),
            ("aaab", "*a*b", true),
            ("mississippi", "*ss*ss*pi", true),
        ] {
            assert_eq!(fnmatch(name, pattern), expected, "{name:?} {pattern:?}");
        }
    }

    #[test]
    fn pyc_reads_as_py() {
        assert_eq!(normalize("a.pyc"), "a.py");
        assert_eq!(normalize("a.pyo"), "a.pyo");
        assert_eq!(normalize("a.py"), "a.py");
    }
}
