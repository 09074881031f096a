//! The algorithms behind the `bytes` and `bytearray` methods, as pure functions over byte
//! slices (ASCII semantics for case and whitespace, as CPython's `bytes_methods.c`).

/// Whitespace for bytes (`Py_ISSPACE`): space, `\t`, `\n`, `\v`, `\f`, `\r`.
pub(crate) fn is_space(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// `b.swapcase()`.
pub(crate) fn swapcase(b: &[u8]) -> Vec<u8> {
    b.iter()
        .map(|&c| {
            if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}

/// `b.capitalize()`.
pub(crate) fn capitalize(b: &[u8]) -> Vec<u8> {
    let mut out = b.to_ascii_lowercase();
    if let Some(c) = out.first_mut() {
        *c = c.to_ascii_uppercase();
    }
    out
}

/// `b.title()`: letters after a letter lowercased, others uppercased.
pub(crate) fn title(b: &[u8]) -> Vec<u8> {
    let mut prev_cased = false;
    b.iter()
        .map(|&c| {
            let out = if prev_cased {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            };
            prev_cased = c.is_ascii_alphabetic();
            out
        })
        .collect()
}

/// `b.isupper()`: some uppercase letter and no lowercase one.
pub(crate) fn is_upper(b: &[u8]) -> bool {
    b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase)
}

/// `b.islower()`.
pub(crate) fn is_lower(b: &[u8]) -> bool {
    b.iter().any(u8::is_ascii_lowercase) && !b.iter().any(u8::is_ascii_uppercase)
}

/// `b.istitle()`: uppercase only after uncased bytes, lowercase only after cased ones.
pub(crate) fn is_title(b: &[u8]) -> bool {
    let (mut cased, mut prev) = (false, false);
    for c in b {
        if c.is_ascii_uppercase() && prev || c.is_ascii_lowercase() && !prev {
            return false;
        }
        prev = c.is_ascii_alphabetic();
        cased |= prev;
    }
    cased
}

/// `b.hex(sep, per)`: groups of `|per|` bytes, counted from the right when `per` is
/// positive, from the left when negative.
pub(crate) fn hex(b: &[u8], sep: Option<char>, per: i64) -> String {
    let digits = |x: &u8| format!("{x:02x}");
    let (Some(sep), n @ 1..) = (sep, per.unsigned_abs() as usize) else {
        return b.iter().map(digits).collect();
    };
    let first = if per > 0 { b.len() % n } else { n };
    let mut out = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        let boundary = if per > 0 {
            i >= first && (i - first) % n == 0
        } else {
            i % n == 0
        };
        if i > 0 && boundary {
            out.push(sep);
        }
        out.push_str(&digits(x));
    }
    out
}

/// `bytes.fromhex(s)`: pairs of hex digits, whitespace allowed between pairs; the error is
/// the position of the offending character.
pub(crate) fn fromhex(s: &str) -> Result<Vec<u8>, usize> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii() && is_space(&(chars[i] as u8)) {
            i += 1;
            continue;
        }
        let hi = chars[i].to_digit(16).ok_or(i)?;
        let lo = chars.get(i + 1).and_then(|c| c.to_digit(16)).ok_or(i + 1)?;
        out.push((hi * 16 + lo) as u8);
        i += 2;
    }
    Ok(out)
}

/// The position of `n` in `h[lo..hi]` (the last one when `rev`), or -1.
pub(crate) fn find(h: &[u8], n: &[u8], (lo, hi): (usize, usize), rev: bool) -> i64 {
    if lo > hi {
        return -1;
    }
    let w = &h[lo..hi];
    let found = match (n.is_empty(), rev) {
        (true, false) => Some(0),
        (true, true) => Some(w.len()),
        (false, false) => w.windows(n.len()).position(|x| x == n),
        (false, true) => w.windows(n.len()).rposition(|x| x == n),
    };
    found.map_or(-1, |i| (i + lo) as i64)
}

/// The non-overlapping occurrences of `n` in `h[lo..hi]`.
pub(crate) fn count(h: &[u8], n: &[u8], (lo, hi): (usize, usize)) -> usize {
    if lo > hi {
        return 0;
    }
    if n.is_empty() {
        return hi - lo + 1;
    }
    let (mut w, mut k) = (&h[lo..hi], 0);
    while let Some(i) = w.windows(n.len()).position(|x| x == n) {
        k += 1;
        w = &w[i + n.len()..];
    }
    k
}

/// `startswith`/`endswith` of `n` within `h[lo..hi]`.
pub(crate) fn tailmatch(h: &[u8], n: &[u8], (lo, hi): (usize, usize), suffix: bool) -> bool {
    if hi < n.len() || hi - n.len() < lo {
        return false;
    }
    let at = if suffix { hi - n.len() } else { lo };
    &h[at..at + n.len()] == n
}

/// `h.replace(old, new, count)`; a negative count replaces all.
pub(crate) fn replace(h: &[u8], old: &[u8], new: &[u8], count: i64) -> Vec<u8> {
    let mut left = if count < 0 {
        usize::MAX
    } else {
        count as usize
    };
    let mut out = Vec::with_capacity(h.len());
    let mut i = 0;
    if old.is_empty() {
        // An empty pattern matches before every byte and at the end.
        for (k, &b) in h.iter().enumerate() {
            if k < left {
                out.extend_from_slice(new);
            }
            out.push(b);
        }
        if h.len() < left {
            out.extend_from_slice(new);
        }
        return out;
    }
    while left > 0 {
        let Some(p) = h[i..].windows(old.len()).position(|x| x == old) else {
            break;
        };
        out.extend_from_slice(&h[i..i + p]);
        out.extend_from_slice(new);
        i += p + old.len();
        left -= 1;
    }
    out.extend_from_slice(&h[i..]);
    out
}

/// `h.split(sep, max)` (or `rsplit` when `rev`) for a non-empty `sep`.
pub(crate) fn split<'a>(h: &'a [u8], sep: &[u8], max: i64, rev: bool) -> Vec<&'a [u8]> {
    let mut left = if max < 0 { usize::MAX } else { max as usize };
    let mut out = Vec::new();
    let mut rest = h;
    while left > 0 {
        let found = find(rest, sep, (0, rest.len()), rev);
        let Ok(p) = usize::try_from(found) else { break };
        if rev {
            out.push(&rest[p + sep.len()..]);
            rest = &rest[..p];
        } else {
            out.push(&rest[..p]);
            rest = &rest[p + sep.len()..];
        }
        left -= 1;
    }
    out.push(rest);
    if rev {
        out.reverse();
    }
    out
}

/// `h.split()` (or `rsplit()` when `rev`): runs of non-whitespace.
pub(crate) fn split_ws(h: &[u8], max: i64, rev: bool) -> Vec<&[u8]> {
    let mut left = if max < 0 { usize::MAX } else { max as usize };
    let mut out = Vec::new();
    let mut rest = h;
    loop {
        rest = strip(rest, None, !rev, rev);
        if rest.is_empty() {
            break;
        }
        if left == 0 {
            out.push(rest);
            break;
        }
        let cut = if rev {
            rest.iter().rposition(is_space)
        } else {
            rest.iter().position(is_space)
        };
        let Some(p) = cut else {
            out.push(rest);
            break;
        };
        let (word, next) = if rev {
            (&rest[p + 1..], &rest[..p])
        } else {
            (&rest[..p], &rest[p + 1..])
        };
        out.push(word);
        rest = next;
        left -= 1;
    }
    if rev {
        out.reverse();
    }
    out
}

/// `h.splitlines(keepends)`: `\n`, `\r` and `\r\n` end lines.
pub(crate) fn splitlines(h: &[u8], keep: bool) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < h.len() {
        if h[i] != b'\n' && h[i] != b'\r' {
            i += 1;
            continue;
        }
        let eol = if h[i] == b'\r' && h.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
        out.push(&h[start..if keep { eol } else { i }]);
        start = eol;
        i = eol;
    }
    if start < h.len() {
        out.push(&h[start..]);
    }
    out
}

/// `h.strip(chars)` on the chosen sides; whitespace when `chars` is `None`.
pub(crate) fn strip<'a>(h: &'a [u8], chars: Option<&[u8]>, left: bool, right: bool) -> &'a [u8] {
    let strip_it = |b: &u8| match chars {
        Some(set) => set.contains(b),
        None => is_space(b),
    };
    let lo = if left {
        h.iter().position(|b| !strip_it(b)).unwrap_or(h.len())
    } else {
        0
    };
    let hi = if right {
        h.iter().rposition(|b| !strip_it(b)).map_or(lo, |i| i + 1)
    } else {
        h.len()
    };
    &h[lo..hi.max(lo)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_matches_cpython() {
        assert_eq!(hex(b"abcde", Some(':'), 2), "61:6263:6465");
        assert_eq!(hex(b"abcde", Some(':'), -2), "6162:6364:65");
        assert_eq!(hex(b"abcde", Some(':'), 0), "6162636465");
        assert_eq!(hex(b"ab", Some('-'), 1), "61-62");
        assert_eq!(fromhex(" 01  02 "), Ok(vec![1, 2]));
        assert_eq!(fromhex("0102 0"), Err(6));
        assert_eq!(fromhex("0g"), Err(1));
    }

    #[test]
    fn splitting_matches_cpython() {
        assert_eq!(split_ws(b"  a  b ", 1, true), [&b"  a"[..], b"b"]);
        assert_eq!(split_ws(b" a b ", -1, false), [&b"a"[..], b"b"]);
        assert_eq!(split_ws(b" a  b c", 1, false), [&b"a"[..], b"b c"]);
        assert_eq!(split(b"a,b,c", b",", 1, true), [&b"a,b"[..], b"c"]);
        assert_eq!(split(b"a,b,c", b",", -1, false), [&b"a"[..], b"b", b"c"]);
        assert_eq!(
            splitlines(b"a\r\nb\rc\n", true),
            [&b"a\r\n"[..], b"b\r", b"c\n"]
        );
        assert_eq!(strip(b"xxaxx", Some(b"x"), true, false), b"axx");
        assert_eq!(strip(b"   ", None, true, true), b"");
    }

    #[test]
    fn search_and_case_match_cpython() {
        assert_eq!(replace(b"abc", b"", b"-", -1), b"-a-b-c-");
        assert_eq!(replace(b"abc", b"", b"-", 2), b"-a-bc");
        assert_eq!(replace(b"aaa", b"a", b"bb", 2), b"bbbba");
        assert_eq!(count(b"aaa", b"a", (1, 3)), 2);
        assert_eq!(find(b"abcabc", b"c", (0, 6), true), 5);
        assert_eq!(title(b"Hello wORLD"), b"Hello World");
        assert!(is_title(b"Ab Cd") && !is_title(b"AB"));
    }
}
