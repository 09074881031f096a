//! The algorithms behind `str`'s splitting, stripping, searching and padding methods, as
//! pure functions over Rust strings; indices are in code points, as Python counts them.

use super::strchar::is_space;
use crate::obj::PyStr;

/// `s.split()`: runs of non-whitespace, at most `max` splits (negative: no limit); after
/// the last split the rest is kept whole, its leading whitespace dropped.
pub(crate) fn split_ws(s: &str, max: i64) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut left = if max < 0 { i64::MAX } else { max };
    while left > 0 {
        rest = rest.trim_start_matches(is_space);
        if rest.is_empty() {
            return out;
        }
        let end = rest.find(is_space).unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = &rest[end..];
        left -= 1;
    }
    let rest = rest.trim_start_matches(is_space);
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// `s.rsplit()`: as [`split_ws`] from the right.
pub(crate) fn rsplit_ws(s: &str, max: i64) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut left = if max < 0 { i64::MAX } else { max };
    while left > 0 {
        rest = rest.trim_end_matches(is_space);
        if rest.is_empty() {
            break;
        }
        let start = rest.rfind(is_space).map_or(0, |i| {
            i + rest[i..].chars().next().map_or(1, char::len_utf8)
        });
        out.push(&rest[start..]);
        rest = &rest[..start];
        left -= 1;
    }
    let rest = rest.trim_end_matches(is_space);
    if left == 0 && !rest.is_empty() {
        out.push(rest);
    }
    out.reverse();
    out
}

/// `s.split(sep, max)` for a non-empty `sep`.
pub(crate) fn split_sep<'a>(s: &'a str, sep: &str, max: i64) -> Vec<&'a str> {
    match usize::try_from(max) {
        Ok(n) => s.splitn(n.saturating_add(1), sep).collect(),
        Err(_) => s.split(sep).collect(),
    }
}

/// `s.rsplit(sep, max)` for a non-empty `sep`.
pub(crate) fn rsplit_sep<'a>(s: &'a str, sep: &str, max: i64) -> Vec<&'a str> {
    let mut out: Vec<&str> = match usize::try_from(max) {
        Ok(n) => s.rsplitn(n.saturating_add(1), sep).collect(),
        Err(_) => s.rsplit(sep).collect(),
    };
    out.reverse();
    out
}

/// Whether `c` ends a line for `str.splitlines`.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// `s.splitlines(keepends)`: `\r\n` is one break.
pub(crate) fn splitlines(s: &str, keepends: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !is_line_break(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        if c == '\r' && it.peek().is_some_and(|&(_, n)| n == '\n') {
            it.next();
            end += 1;
        }
        out.push(&s[start..if keepends { end } else { i }]);
        start = end;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// `s.strip(chars)` on the chosen sides; whitespace when `chars` is `None`.
pub(crate) fn strip<'a>(s: &'a str, chars: Option<&str>, left: bool, right: bool) -> &'a str {
    let pred = |c: char| match chars {
        Some(set) => set.contains(c),
        None => is_space(c),
    };
    let s = if left { s.trim_start_matches(pred) } else { s };
    if right { s.trim_end_matches(pred) } else { s }
}

/// `s.expandtabs(tab)`: columns restart after `\n` and `\r`.
pub(crate) fn expandtabs(s: &str, tab: i64) -> String {
    let mut out = String::with_capacity(s.len());
    let mut col: i64 = 0;
    for c in s.chars() {
        match c {
            '\t' if tab > 0 => {
                let n = tab - col % tab;
                out.extend(std::iter::repeat_n(' ', n as usize));
                col += n;
            }
            '\t' => {}
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    out
}

/// `s` with `left` and `right` fill characters around it.
pub(crate) fn pad(s: &str, left: usize, right: usize, fill: char) -> String {
    let mut out = String::with_capacity(s.len() + (left + right) * fill.len_utf8());
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(std::iter::repeat_n(fill, right));
    out
}

/// The padding `str.center` puts left and right of `n` characters for `width`.
pub(crate) fn center_margins(n: usize, width: usize) -> (usize, usize) {
    let marg = width.saturating_sub(n);
    // CPython's formula: the odd character goes left when the width is odd.
    let left = marg / 2 + (marg & width & 1);
    (left, marg - left)
}

/// `s.zfill(width)`: zeros after a leading sign.
pub(crate) fn zfill(s: &str, n: usize, width: usize) -> String {
    let fill = width.saturating_sub(n);
    let (sign, digits) = match s.as_bytes().first() {
        Some(b'+' | b'-') => s.split_at(1),
        _ => ("", s),
    };
    let mut out = String::with_capacity(s.len() + fill);
    out.push_str(sign);
    out.extend(std::iter::repeat_n('0', fill));
    out.push_str(digits);
    out
}

/// The byte offset of code point `i` of `s` (its length past the end).
pub(crate) fn byte_offset(s: &PyStr, i: usize) -> usize {
    if s.is_ascii() {
        return i.min(s.s.len());
    }
    s.s.char_indices().nth(i).map_or(s.s.len(), |(b, _)| b)
}

/// The code point index of byte offset `b` of `s`.
pub(crate) fn char_index(s: &PyStr, b: usize) -> usize {
    if s.is_ascii() {
        b
    } else {
        s.s[..b].chars().count()
    }
}

/// The part of `s` between code points `lo` and `hi` (`lo <= hi <= nchars`), as a string
/// and its byte offset.
fn window(s: &PyStr, lo: usize, hi: usize) -> (&str, usize) {
    let a = byte_offset(s, lo);
    let b = if s.is_ascii() {
        hi
    } else {
        a + byte_offset_in(&s.s[a..], hi - lo)
    };
    (&s.s[a..b], a)
}

/// The byte offset of code point `n` of `s` (its length past the end).
fn byte_offset_in(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(b, _)| b)
}

/// `s.find(sub, lo, hi)` (or `rfind` when `rev`) with adjusted bounds: the code point
/// index, or -1.
pub(crate) fn find(s: &PyStr, sub: &str, (lo, hi): (usize, usize), rev: bool) -> i64 {
    if lo > hi {
        return -1;
    }
    let (w, base) = window(s, lo, hi);
    let found = if rev { w.rfind(sub) } else { w.find(sub) };
    found.map_or(-1, |b| char_index(s, base + b) as i64)
}

/// `s.count(sub, lo, hi)` with adjusted bounds: non-overlapping occurrences.
pub(crate) fn count(s: &PyStr, sub: &str, (lo, hi): (usize, usize)) -> usize {
    if lo > hi {
        return 0;
    }
    if sub.is_empty() {
        return hi - lo + 1;
    }
    window(s, lo, hi).0.matches(sub).count()
}

/// `s.startswith(sub, lo, hi)` (`endswith` when `suffix`) with adjusted bounds
/// (CPython's `tailmatch`; a start past the end never matches).
pub(crate) fn tailmatch(s: &PyStr, sub: &PyStr, (lo, hi): (usize, usize), suffix: bool) -> bool {
    if hi < sub.nchars || hi - sub.nchars < lo {
        return false;
    }
    let at = if suffix { hi - sub.nchars } else { lo };
    window(s, at, at + sub.nchars).0 == &*sub.s
}

/// `s.replace(old, new, count)`; a negative count replaces all.
pub(crate) fn replace(s: &str, old: &str, new: &str, count: i64) -> String {
    match usize::try_from(count) {
        Ok(n) => s.replacen(old, new, n),
        Err(_) => s.replace(old, new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ps(s: &str) -> PyStr {
        PyStr::new(s.into())
    }

    #[test]
    fn split_matches_cpython() {
        assert_eq!(split_ws("  a b  c  ", -1), ["a", "b", "c"]);
        assert_eq!(split_ws("  a b  c  ", 1), ["a", "b  c  "]);
        assert_eq!(split_ws("   ", 0), Vec::<&str>::new());
        assert_eq!(split_ws(" a ", 0), ["a "]);
        assert_eq!(rsplit_ws("  a b  c  ", 1), ["  a b", "c"]);
        assert_eq!(rsplit_ws(" a b ", -1), ["a", "b"]);
        assert_eq!(rsplit_ws(" a ", 0), [" a"]);
        assert_eq!(split_sep("a,b,,c", ",", -1), ["a", "b", "", "c"]);
        assert_eq!(split_sep("a,b,c", ",", 1), ["a", "b,c"]);
        assert_eq!(rsplit_sep("a,b,c", ",", 1), ["a,b", "c"]);
        assert_eq!(split_sep("x", "x", -1), ["", ""]);
        assert_eq!(split_sep("  lead ", " ", -1), ["", "", "lead", ""]);
    }

    #[test]
    fn splitlines_matches_cpython() {
        assert_eq!(
            splitlines("one\ntwo\r\nthree", false),
            ["one", "two", "three"]
        );
        assert_eq!(splitlines("a\r\rb\n", true), ["a\r", "\r", "b\n"]);
        assert_eq!(splitlines("", false), Vec::<&str>::new());
        assert_eq!(splitlines("x\u{2028}y", false), ["x", "y"]);
    }

    #[test]
    fn strip_and_pad_match_cpython() {
        assert_eq!(strip("  Hi  ", None, true, true), "Hi");
        assert_eq!(strip("xxhixx", Some("x"), true, false), "hixx");
        assert_eq!(strip("xyhiyx", Some("xy"), false, true), "xyhi");
        assert_eq!(center_margins(3, 9), (3, 3));
        assert_eq!(center_margins(1, 4), (1, 2));
        assert_eq!(center_margins(2, 5), (2, 1));
        assert_eq!(zfill("-42", 3, 5), "-0042");
        assert_eq!(zfill("42", 2, 1), "42");
        assert_eq!(expandtabs("a\tbc\td\n\te", 4), "a   bc  d\n    e");
    }

    #[test]
    fn search_matches_cpython() {
        let s = ps("héllo héllo");
        assert_eq!(find(&s, "llo", (0, 11), false), 2);
        assert_eq!(find(&s, "llo", (0, 11), true), 8);
        assert_eq!(find(&s, "llo", (3, 11), false), 8);
        assert_eq!(find(&s, "", (11, 11), false), 11);
        assert_eq!(find(&s, "", (12, 11), false), -1);
        assert_eq!(count(&ps("aaaa"), "aa", (0, 4)), 2);
        assert_eq!(count(&ps("abc"), "", (0, 3)), 4);
        assert_eq!(count(&ps("abc"), "", (4, 3)), 0);
        assert!(tailmatch(&s, &ps("hé"), (0, 11), false));
        assert!(tailmatch(&s, &ps("llo"), (0, 11), true));
        assert!(!tailmatch(&ps("abc"), &ps(""), (4, 3), false));
        assert!(tailmatch(&ps("abc"), &ps(""), (3, 3), true));
        assert_eq!(replace("abc", "", "-", 2), "-a-bc");
        assert_eq!(replace("aaa", "a", "b", -1), "bbb");
    }
}
