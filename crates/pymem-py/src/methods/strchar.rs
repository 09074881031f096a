//! Character classes and case mappings with Python's definitions (its `str.isspace`,
//! `isdecimal`, `title`… follow the Unicode database differently from Rust's `char`
//! methods): pure functions over Rust strings.

/// The first code point of each run of ten decimal digits (Unicode category Nd, 15.1).
const DECIMAL_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x11f50, 0x16a60, 0x16ac0,
    0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e950,
    0x1fbf0,
];

/// The digits that are not decimal (superscripts, circled digits…), as inclusive ranges.
const OTHER_DIGITS: &[(u32, u32)] = &[
    (0xb2, 0xb3),
    (0xb9, 0xb9),
    (0x1369, 0x1371),
    (0x19da, 0x19da),
    (0x2070, 0x2070),
    (0x2074, 0x2079),
    (0x2080, 0x2089),
    (0x2460, 0x2468),
    (0x2474, 0x247c),
    (0x2488, 0x2490),
    (0x24ea, 0x24ea),
    (0x24f5, 0x24fd),
    (0x24ff, 0x24ff),
    (0x2776, 0x277e),
    (0x2780, 0x2788),
    (0x278a, 0x2792),
    (0x10a40, 0x10a43),
    (0x10e60, 0x10e68),
    (0x11052, 0x1105a),
    (0x1f100, 0x1f10a),
];

/// The ideographs Unihan gives a numeric value (Python's `isnumeric` counts them; their
/// category is Lo, so Rust's `is_numeric` does not).
const NUMERIC_IDEOGRAPHS: &[u32] = &[
    0x3405, 0x3483, 0x382a, 0x3b4d, 0x4e00, 0x4e03, 0x4e07, 0x4e09, 0x4e24, 0x4e5d, 0x4e8c, 0x4e94,
    0x4e96, 0x4eac, 0x4ebf, 0x4ec0, 0x4edf, 0x4ee8, 0x4f0d, 0x4f70, 0x4fe9, 0x5006, 0x5104, 0x5146,
    0x5169, 0x516b, 0x516d, 0x5341, 0x5343, 0x5344, 0x5345, 0x534c, 0x53c1, 0x53c2, 0x53c3, 0x53c4,
    0x56db, 0x58f1, 0x58f9, 0x5e7a, 0x5efe, 0x5eff, 0x5f0c, 0x5f0d, 0x5f0e, 0x5f10, 0x62d0, 0x62fe,
    0x634c, 0x67d2, 0x6d1e, 0x6f06, 0x7396, 0x767e, 0x7695, 0x79ed, 0x8086, 0x842c, 0x8cae, 0x8cb3,
    0x8d30, 0x920e, 0x94a9, 0x9621, 0x9646, 0x964c, 0x9678, 0x96f6, 0xf96b, 0xf973, 0xf978, 0xf9b2,
    0xf9d1, 0xf9d3, 0xf9fd, 0x20001, 0x20064, 0x200e2, 0x20121, 0x2092a, 0x20983, 0x2098c, 0x2099c,
    0x20aea, 0x20afd, 0x20b19, 0x22390, 0x22998, 0x23b1b, 0x2626d, 0x2f890,
];

/// The marks and symbols Unicode's Alphabetic property includes but Python's `isalpha`
/// (categories L*) does not: vowel signs, circled letters… As inclusive ranges, flattened:
/// `[lo0, hi0, lo1, hi1, …]`.
const ALPHABETIC_MARKS: &[u32] = &[
    0x345, 0x36f, 0x5b0, 0x5c7, 0x610, 0x61a, 0x64b, 0x65f, 0x670, 0x670, 0x6d6, 0x6e4, 0x6e7,
    0x6ed, 0x711, 0x711, 0x730, 0x73f, 0x7a6, 0x7b0, 0x816, 0x817, 0x81b, 0x823, 0x825, 0x827,
    0x829, 0x82c, 0x8d4, 0x903, 0x93a, 0x93b, 0x93e, 0x94f, 0x955, 0x957, 0x962, 0x963, 0x981,
    0x983, 0x9be, 0x9cc, 0x9d7, 0x9d7, 0x9e2, 0x9e3, 0xa01, 0xa03, 0xa3e, 0xa51, 0xa70, 0xa71,
    0xa75, 0xa83, 0xabe, 0xacc, 0xae2, 0xae3, 0xafa, 0xb03, 0xb3e, 0xb57, 0xb62, 0xb63, 0xb82,
    0xb82, 0xbbe, 0xbcc, 0xbd7, 0xbd7, 0xc00, 0xc04, 0xc3e, 0xc56, 0xc62, 0xc63, 0xc81, 0xc83,
    0xcbe, 0xcd6, 0xce2, 0xce3, 0xcf3, 0xd03, 0xd3e, 0xd4c, 0xd57, 0xd57, 0xd62, 0xd63, 0xd81,
    0xd83, 0xdcf, 0xdf3, 0xe31, 0xe31, 0xe34, 0xe3a, 0xe4d, 0xe4d, 0xeb1, 0xeb1, 0xeb4, 0xebc,
    0xecd, 0xecd, 0xf71, 0xf83, 0xf8d, 0xfbc, 0x102b, 0x103e, 0x1056, 0x1059, 0x105e, 0x1060,
    0x1062, 0x1064, 0x1067, 0x106d, 0x1071, 0x1074, 0x1082, 0x108d, 0x108f, 0x109d, 0x1712, 0x1713,
    0x1732, 0x1733, 0x1752, 0x1753, 0x1772, 0x1773, 0x17b6, 0x17c8, 0x1885, 0x1886, 0x18a9, 0x18a9,
    0x1920, 0x1938, 0x1a17, 0x1a1b, 0x1a55, 0x1a74, 0x1abf, 0x1ace, 0x1b00, 0x1b04, 0x1b35, 0x1b43,
    0x1b80, 0x1b82, 0x1ba1, 0x1bad, 0x1be7, 0x1bf1, 0x1c24, 0x1c36, 0x1dd3, 0x1df4, 0x24b6, 0x24e9,
    0x2de0, 0x2dff, 0xa674, 0xa67b, 0xa69e, 0xa69f, 0xa802, 0xa802, 0xa80b, 0xa80b, 0xa823, 0xa827,
    0xa880, 0xa881, 0xa8b4, 0xa8c5, 0xa8ff, 0xa8ff, 0xa926, 0xa92a, 0xa947, 0xa952, 0xa980, 0xa983,
    0xa9b4, 0xa9bf, 0xa9e5, 0xa9e5, 0xaa29, 0xaa36, 0xaa43, 0xaa43, 0xaa4c, 0xaa4d, 0xaa7b, 0xaa7d,
    0xaab0, 0xaab0, 0xaab2, 0xaab4, 0xaab7, 0xaab8, 0xaabe, 0xaabe, 0xaaeb, 0xaaef, 0xaaf5, 0xaaf5,
    0xabe3, 0xabea, 0xfb1e, 0xfb1e, 0x10376, 0x1037a, 0x10a01, 0x10a0f, 0x10d24, 0x10d27, 0x10eab,
    0x10eac, 0x11000, 0x11002, 0x11038, 0x11045, 0x11073, 0x11074, 0x11080, 0x11082, 0x110b0,
    0x110c2, 0x11100, 0x11102, 0x11127, 0x11132, 0x11145, 0x11146, 0x11180, 0x11182, 0x111b3,
    0x111bf, 0x111ce, 0x111cf, 0x1122c, 0x1123e, 0x11241, 0x11241, 0x112df, 0x11303, 0x1133e,
    0x1134c, 0x11357, 0x11357, 0x11362, 0x11363, 0x11435, 0x11445, 0x114b0, 0x114c1, 0x115af,
    0x115be, 0x115dc, 0x115dd, 0x11630, 0x11640, 0x116ab, 0x116b5, 0x1171d, 0x1172a, 0x1182c,
    0x11838, 0x11930, 0x1193c, 0x11940, 0x11940, 0x11942, 0x11942, 0x119d1, 0x119df, 0x119e4,
    0x119e4, 0x11a01, 0x11a0a, 0x11a35, 0x11a39, 0x11a3b, 0x11a3e, 0x11a51, 0x11a5b, 0x11a8a,
    0x11a97, 0x11c2f, 0x11c3e, 0x11c92, 0x11cb6, 0x11d31, 0x11d43, 0x11d47, 0x11d47, 0x11d8a,
    0x11d96, 0x11ef3, 0x11f01, 0x11f03, 0x11f03, 0x11f34, 0x11f40, 0x16f4f, 0x16f4f, 0x16f51,
    0x16f92, 0x16ff0, 0x16ff1, 0x1bc9e, 0x1bc9e, 0x1e000, 0x1e02a, 0x1e08f, 0x1e08f, 0x1e947,
    0x1e947, 0x1f130, 0x1f189,
];

/// Python's whitespace (`Py_UNICODE_ISSPACE`): Unicode's White_Space plus the information
/// separators U+001C..U+001F.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// The value of a decimal digit of any script (category Nd).
pub(crate) fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii() {
        return c.to_digit(10);
    }
    let c = c as u32;
    let i = DECIMAL_ZEROS.partition_point(|&z| z <= c);
    let d = c - DECIMAL_ZEROS[i.checked_sub(1)?];
    (d < 10).then_some(d)
}

/// `str.isdecimal` for one character.
pub(crate) fn is_decimal(c: char) -> bool {
    decimal_value(c).is_some()
}

/// `str.isdigit` for one character.
pub(crate) fn is_digit(c: char) -> bool {
    is_decimal(c)
        || OTHER_DIGITS
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&(c as u32)))
}

/// `str.isnumeric` for one character.
pub(crate) fn is_numeric(c: char) -> bool {
    c.is_numeric() || NUMERIC_IDEOGRAPHS.binary_search(&(c as u32)).is_ok()
}

/// `str.isalpha` for one character (categories L*; Rust's Alphabetic also has letter
/// numbers, which are numeric, and the marks of [`ALPHABETIC_MARKS`]).
pub(crate) fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    c.is_alphabetic() && !c.is_numeric() && !in_ranges(ALPHABETIC_MARKS, c as u32)
}

/// Whether `c` falls in one of the flattened inclusive `ranges`.
fn in_ranges(ranges: &[u32], c: u32) -> bool {
    // The first range not wholly below `c`, by binary search over the pairs.
    let (mut lo, mut hi) = (0, ranges.len() / 2);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if ranges[2 * mid + 1] < c {
            lo = mid + 1
        } else {
            hi = mid
        }
    }
    lo < ranges.len() / 2 && ranges[2 * lo] <= c
}

/// `str.isalnum` for one character.
pub(crate) fn is_alnum(c: char) -> bool {
    is_alpha(c) || is_numeric(c)
}

/// Whether `c` has case (Python's `_PyUnicode_IsCased`).
pub(crate) fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || is_titlecase(c)
}

/// The titlecase letters (category Lt): the Latin digraphs and the Greek letters with
/// prosgegrammeni.
pub(crate) fn is_titlecase(c: char) -> bool {
    matches!(c, '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}')
        || matches!(
            c as u32,
            0x1f88..=0x1f8f | 0x1f98..=0x1f9f | 0x1fa8..=0x1faf | 0x1fbc | 0x1fcc | 0x1ffc
        )
}

/// `str.isprintable` for one character: not a control, format, separator (but the
/// space), surrogate, private-use or unassigned character.
pub(crate) fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !(c.is_control()
        || (c.is_whitespace())
        || matches!(
            c as u32,
            0xad | 0x600..=0x605
                | 0x200b..=0x200f
                | 0x2028..=0x202e
                | 0x2060..=0x206f
                | 0xfeff
                | 0xe000..=0xf8ff
                | 0xfff9..=0xfffb
        ))
}

/// The titlecase mapping of one character (`str.title`, `str.capitalize`).
pub(crate) fn to_title(c: char, out: &mut String) {
    let digraph = match c {
        '\u{1c4}'..='\u{1c6}' => Some('\u{1c5}'),
        '\u{1c7}'..='\u{1c9}' => Some('\u{1c8}'),
        '\u{1ca}'..='\u{1cc}' => Some('\u{1cb}'),
        '\u{1f1}'..='\u{1f3}' => Some('\u{1f2}'),
        _ if is_titlecase(c) => Some(c),
        _ => None,
    };
    if let Some(t) = digraph {
        out.push(t);
        return;
    }
    // A multi-character uppercase (ß → SS, ﬁ → FI) titlecases as its first letter upper.
    let mut up = c.to_uppercase();
    out.extend(up.next());
    out.extend(up.flat_map(char::to_lowercase));
}

/// `str.title`: a character after a cased one is lowercased, any other is titlecased.
pub(crate) fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            to_title(c, &mut out);
        }
        prev_cased = is_cased(c);
    }
    out
}

/// `str.capitalize`: the first character titlecased, the rest lowercased.
pub(crate) fn capitalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    if let Some(c) = chars.next() {
        to_title(c, &mut out);
    }
    out.push_str(&chars.as_str().to_lowercase());
    out
}

/// `str.swapcase`.
pub(crate) fn swapcase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else if c.is_lowercase() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `str.casefold`: lowercasing the uppercase mapping approximates Unicode's full case
/// folding (ß → ss, ſ → s, ﬁ → fi).
pub(crate) fn casefold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_uppercase)
        .flat_map(char::to_lowercase)
        .collect()
}

/// `str.islower` / `str.isupper`: some cased character, and none of the other case.
pub(crate) fn is_lower(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if c.is_uppercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_lowercase();
    }
    cased
}

/// `str.isupper`.
pub(crate) fn is_upper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// `str.istitle`: uppercase and titlecase characters only after uncased ones, lowercase
/// ones only after cased ones, and at least one cased character.
pub(crate) fn is_title(s: &str) -> bool {
    let (mut cased, mut prev_cased) = (false, false);
    for c in s.chars() {
        if c.is_uppercase() || is_titlecase(c) {
            if prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else if c.is_lowercase() {
            if !prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    cased
}

/// `str.isidentifier`: an XID_Start character or `_`, then XID_Continue characters
/// (approximated by the letter and number classes).
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let cont = |c: char| c == '_' || c.is_alphanumeric() || is_decimal(c) || c == '\u{b7}';
    (first == '_' || first.is_alphabetic()) && chars.all(cont)
}

/// Whether every character satisfies `f`, and there is at least one.
pub(crate) fn all_chars(s: &str, f: fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_match_cpython() {
        assert!(all_chars("\t\n\x1c \u{3000}", is_space));
        assert!(!is_space('\u{200b}'));
        assert!(all_chars("0١٢", is_decimal) && !is_decimal('²'));
        assert!(is_digit('²') && !is_digit('½') && is_numeric('½') && is_numeric('一'));
        assert!(is_alpha('é') && !is_alpha('Ⅻ') && is_alnum('Ⅻ'));
        assert!(!is_alpha('ⓐ') && !is_alpha('\u{93e}') && is_alpha('\u{915}'));
        assert!(!is_alpha('\u{345}') && !is_alpha('\u{36f}') && is_alpha('\u{370}'));
    }

    #[test]
    fn case_mappings_match_cpython() {
        assert_eq!(title("hello world"), "Hello World");
        assert_eq!(title("they're bill's friends"), "They'Re Bill'S Friends");
        assert_eq!(title("ßa ǆb"), "Ssa ǅb");
        assert_eq!(capitalize("hELLO"), "Hello");
        assert_eq!(capitalize("ǆx"), "ǅx");
        assert_eq!(swapcase("Hello ß"), "hELLO SS");
        assert_eq!(casefold("Straße ǅ"), "strasse ǆ");
    }

    #[test]
    fn case_predicates_match_cpython() {
        assert!(is_lower("abc1") && !is_lower("1") && !is_lower("aB"));
        assert!(is_upper("AB1") && !is_upper("Ab"));
        assert!(is_title("Hello World") && !is_title("HEllo") && !is_title("") && is_title("ǅa"));
        assert!(
            is_identifier("x1") && is_identifier("_") && !is_identifier("1x") && !is_identifier("")
        );
    }
}
