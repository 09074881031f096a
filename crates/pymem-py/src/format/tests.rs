//! Every expected string below is what CPython 3.13.0 printed for the same call.

use num_bigint::BigInt;

use super::*;

fn show(result: Result<String, FormatError>) -> String {
    match result {
        Ok(s) => s,
        Err(FormatError::Value(m)) => format!("ValueError: {m}"),
        Err(FormatError::Type(m)) => format!("TypeError: {m}"),
        Err(FormatError::Overflow(m)) => format!("OverflowError: {m}"),
    }
}

fn big(decimal: &str) -> BigInt {
    decimal.parse().expect("test ints are decimal")
}

#[test]
fn float_repr_matches_cpython() {
    for &(x, want) in FLOAT_REPR {
        assert_eq!(float_repr(x), want, "repr({x:?})");
    }
}

#[test]
fn format_float_matches_cpython() {
    for &(x, spec, want) in FLOAT_FORMAT {
        assert_eq!(show(format_float(x, spec)), want, "format({x:?}, {spec:?})");
    }
}

#[test]
fn format_int_matches_cpython() {
    for &(x, spec, want) in INT_FORMAT {
        assert_eq!(
            show(format_int(&big(x), spec)),
            want,
            "format({x}, {spec:?})"
        );
    }
}

#[test]
fn format_str_matches_cpython() {
    for &(s, spec, want) in STR_FORMAT {
        assert_eq!(show(format_str(s, spec)), want, "format({s:?}, {spec:?})");
    }
}

#[test]
fn int_to_radix_matches_cpython() {
    for &(x, radix, want) in RADIX {
        assert_eq!(
            int_to_radix(&BigInt::from(x), radix, radix != 10),
            want,
            "{x} in base {radix}"
        );
    }
}

#[test]
fn percent_format_matches_cpython() {
    for &(fmt, args, want) in PERCENT {
        let mut source = Source::new(args);
        let got = match percent_format(fmt, &mut source) {
            Ok(s) => s,
            Err(PctError::Source(e)) => e,
            Err(PctError::Format(e)) => show(Err(e)),
        };
        assert_eq!(got, want, "{fmt:?} % {args:?}");
    }
}

#[test]
fn parse_spec_fills_in_defaults() {
    let spec = parse_spec("*^+z#012_.3e", SpecKind::Float).map_err(|e| show(Err(e)));
    let want = FormatSpec {
        fill: '*',
        align: '^',
        sign: Some('+'),
        no_neg_zero: true,
        alternate: true,
        width: Some(12),
        grouping: Some('_'),
        precision: Some(3),
        ty: Some('e'),
    };
    assert_eq!(spec, Ok(want));
    // A bare `0` means zero fill after the sign for numbers, but plain left-aligned fill for str.
    let int = parse_spec("05", SpecKind::Int).map_err(|e| show(Err(e)));
    assert_eq!(
        int.map(|s| (s.fill, s.align, s.ty, s.width)),
        Ok(('0', '=', Some('d'), Some(5)))
    );
    let text = parse_spec("05", SpecKind::Str).map_err(|e| show(Err(e)));
    assert_eq!(
        text.map(|s| (s.fill, s.align, s.ty)),
        Ok(('0', '<', Some('s')))
    );
}

#[derive(Clone, Copy, Debug)]
enum Arg {
    I(i64),
    F(f64),
    S(&'static str),
}
use Arg::{F, I, S};

/// The right-hand side of a test `%`: `(a, b)`, a lone `a`, or `{"k": a}`.
#[derive(Clone, Copy, Debug)]
enum Args {
    Tuple(&'static [Arg]),
    Single(Arg),
    Map(&'static [(&'static str, Arg)]),
}

/// A [`PctSource`] doing the conversions the interpreter does, for the types above.
struct Source {
    positional: Vec<Arg>,
    map: Option<&'static [(&'static str, Arg)]>,
    next: usize,
}

impl Source {
    fn new(args: Args) -> Source {
        let (positional, map) = match args {
            Args::Tuple(args) => (args.to_vec(), None),
            Args::Single(arg) => (vec![arg], None),
            Args::Map(map) => (Vec::new(), Some(map)),
        };
        Source {
            positional,
            map,
            next: 0,
        }
    }
}

fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                format!("\\x{:02x}", u32::from(c))
            }
        })
        .collect()
}

fn convert(arg: Arg, conv: char) -> Result<PctValue, String> {
    Ok(match (conv, arg) {
        ('s' | 'c', S(s)) => PctValue::Str(s.to_owned()),
        ('r', S(s)) => PctValue::Str(format!("'{s}'")),
        ('a', S(s)) => PctValue::Str(format!("'{}'", ascii(s))),
        ('s' | 'r' | 'a', I(i)) => PctValue::Str(i.to_string()),
        ('s' | 'r' | 'a', F(f)) => PctValue::Str(float_repr(f)),
        ('e' | 'E' | 'f' | 'F' | 'g' | 'G', F(f)) => PctValue::Float(f),
        ('e' | 'E' | 'f' | 'F' | 'g' | 'G', I(i)) => PctValue::Float(i as f64),
        ('e' | 'E' | 'f' | 'F' | 'g' | 'G', S(_)) => {
            return Err("TypeError: must be real number, not str".into());
        }
        (_, I(i)) => PctValue::Int(BigInt::from(i)),
        (_, F(f)) => PctValue::Int(BigInt::from(f.trunc() as i64)),
        ('o' | 'x' | 'X', S(_)) => {
            return Err(format!(
                "TypeError: %{conv} format: an integer is required, not str"
            ));
        }
        (_, S(_)) => {
            return Err(format!(
                "TypeError: %{conv} format: a real number is required, not str"
            ));
        }
    })
}

impl PctSource for Source {
    type Error = String;

    fn next_arg(&mut self, conv: char) -> Result<Option<PctValue>, String> {
        let Some(&arg) = self.positional.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        convert(arg, conv).map(Some)
    }

    fn mapping_arg(&mut self, key: &str, conv: char) -> Result<PctValue, String> {
        let map = self.map.ok_or("TypeError: format requires a mapping")?;
        let (_, arg) = map
            .iter()
            .find(|(k, _)| *k == key)
            .ok_or(format!("KeyError: '{key}'"))?;
        convert(*arg, conv)
    }

    fn next_int(&mut self) -> Result<Option<i64>, String> {
        match self.next_arg('d')? {
            Some(PctValue::Int(i)) => Ok(i.try_into().ok()),
            _ => Ok(None),
        }
    }

    fn has_remaining(&self) -> bool {
        self.next < self.positional.len()
    }
}

const FLOAT_REPR: &[(f64, &str)] = &[
    (1e+16, "1e+16"),
    (1e-05, "1e-05"),
    (1.5e-05, "1.5e-05"),
    (f64::INFINITY, "inf"),
    (f64::NEG_INFINITY, "-inf"),
    (f64::NAN, "nan"),
    (-0.0, "-0.0"),
    (0.0, "0.0"),
    (1.0, "1.0"),
    (100.0, "100.0"),
    (0.0001, "0.0001"),
    (1.2345678901234568e+16, "1.2345678901234568e+16"),
    (123456789012345.0, "123456789012345.0"),
    (0.30000000000000004, "0.30000000000000004"),
    (0.3333333333333333, "0.3333333333333333"),
    (0.6666666666666666, "0.6666666666666666"),
    (5e-324, "5e-324"),
    (1.7976931348623157e+308, "1.7976931348623157e+308"),
    (9999999999999998.0, "9999999999999998.0"),
    (1000000000000000.0, "1000000000000000.0"),
    (1.2345678901234568e+17, "1.2345678901234568e+17"),
    (2.000000000000001e+16, "2.000000000000001e+16"),
    (0.001, "0.001"),
    (1e+22, "1e+22"),
    (1e+23, "1e+23"),
    (1234.5, "1234.5"),
    (-2.5, "-2.5"),
    (0.1, "0.1"),
    (0.00030000000000000003, "0.00030000000000000003"),
    (9007199254740992.0, "9007199254740992.0"),
    (9.223372036854776e+18, "9.223372036854776e+18"),
    (1e+100, "1e+100"),
    (1.1e-10, "1.1e-10"),
    (9.999999999999999e-05, "9.999999999999999e-05"),
    (0.5, "0.5"),
    (-1e-300, "-1e-300"),
    (8e-323, "8e-323"),
    (9.99e-05, "9.99e-05"),
    (-926456659051271.2, "-926456659051271.2"),
    (1054251202554832.2, "1054251202554832.2"),
    (1.5e-323, "1.5e-323"),
];

const FLOAT_FORMAT: &[(f64, &str, &str)] = &[
    (2.5, ".0f", "2"),
    (3.5, ".0f", "4"),
    (0.5, ".0f", "0"),
    (0.125, ".2f", "0.12"),
    (0.375, ".2f", "0.38"),
    (1234567.891, ",.2f", "1,234,567.89"),
    (-0.0, "z.1f", "0.0"),
    (-0.0001, "z.2f", "0.00"),
    (-0.0001, ".2f", "-0.00"),
    (-0.0, ".1f", "-0.0"),
    (-0.0, "z", "0.0"),
    (-1e-300, "z.2e", "-1.00e-300"),
    (1e-07, "g", "1e-07"),
    (123456789.0, "g", "1.23457e+08"),
    (1.0, "", "1.0"),
    (12.0, ".3", "12.0"),
    (123.0, ".3", "1.23e+02"),
    (0.5, "%", "50.000000%"),
    (0.125, ".1%", "12.5%"),
    (-0.0, "z%", "0.000000%"),
    (1.0, "10", "       1.0"),
    (1e+16, "", "1e+16"),
    (1e+16, "#", "1.e+16"),
    (1.0, "#.0f", "1."),
    (1.5, "e", "1.500000e+00"),
    (1.5, "E", "1.500000E+00"),
    (-1.5, "+.3e", "-1.500e+00"),
    (1.5, " .2f", " 1.50"),
    (-1.5, " .2f", "-1.50"),
    (1.5, "+", "+1.5"),
    (f64::INFINITY, "F", "INF"),
    (f64::INFINITY, "E", "INF"),
    (f64::NAN, "G", "NAN"),
    (f64::NAN, "+f", "+nan"),
    (f64::NAN, "f", "nan"),
    (f64::NEG_INFINITY, "z010", "-000000inf"),
    (f64::NAN, "010", "0000000nan"),
    (f64::INFINITY, "<10", "inf       "),
    (f64::INFINITY, "", "inf"),
    (1234567.0, ",", "1,234,567.0"),
    (1234567.0, "_", "1_234_567.0"),
    (1234567.25, "_.1f", "1_234_567.2"),
    (1234.5, "015,.2f", "0,000,001,234.50"),
    (1234.5, "08,", "01,234.5"),
    (-1234.5, "=+12,.1f", "-    1,234.5"),
    (1.23456789, ".3g", "1.23"),
    (1.23456789, ".10g", "1.23456789"),
    (1.0, "#.3g", "1.00"),
    (1.0, "#g", "1.00000"),
    (0.0001, "g", "0.0001"),
    (1e-05, "g", "1e-05"),
    (1e+16, "g", "1e+16"),
    (123456.0, "g", "123456"),
    (1234567.0, "g", "1.23457e+06"),
    (100000.0, ".0g", "1e+05"),
    (0.0, "g", "0"),
    (0.0, "e", "0.000000e+00"),
    (-0.0, "g", "-0"),
    (1e+22, "f", "10000000000000000000000.000000"),
    (1e-300, "f", "0.000000"),
    (1.0, "n", "1"),
    (1234567.0, "n", "1.23457e+06"),
    (1.5, "*^10.2f", "***1.50***"),
    (1.5, "x<8", "1.5xxxxx"),
    (1.5, "0<8", "1.500000"),
    (-1.5, "08.2f", "-0001.50"),
    (-1.5, "<08.2f", "-1.50000"),
    (1.5, "^+9", "  +1.5   "),
    (12345.678, ".2e", "1.23e+04"),
    (12345.678, "10.3E", " 1.235E+04"),
    (1.0, ".0e", "1e+00"),
    (1.0, "#.0e", "1.e+00"),
    (9.999, ".2f", "10.00"),
    (9.9999, ".3g", "10"),
    (0.000123456, ".3", "0.000123"),
    (1e-05, "", "1e-05"),
    (1e-05, ".2", "1e-05"),
    (123456789.0, ".15", "123456789.0"),
    (0.1, ".20f", "0.10000000000000000555"),
    (0.1, ".17g", "0.10000000000000001"),
    (5e-324, ".3e", "4.941e-324"),
    (1.7976931348623157e+308, "e", "1.797693e+308"),
    (1e+16, ",", "1e+16"),
    (1234567.0, ".3", "1.23e+06"),
    (
        1e+300,
        ".3f",
        "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000",
    ),
    (2.675, ".2f", "2.67"),
    (1.0, ".0%", "100%"),
    (
        1.0,
        "d",
        "ValueError: Unknown format code 'd' for object of type 'float'",
    ),
    (
        1.0,
        "s",
        "ValueError: Unknown format code 's' for object of type 'float'",
    ),
    (1.0, ".", "ValueError: Format specifier missing precision"),
    (1.0, ",_", "ValueError: Cannot specify both ',' and '_'."),
    (1.0, "_,", "ValueError: Cannot specify both ',' and '_'."),
    (
        1.0,
        "xx",
        "ValueError: Invalid format specifier 'xx' for object of type 'float'",
    ),
    (1.0, ",n", "ValueError: Cannot specify ',' with 'n'."),
    (1.0, ".2147483648f", "ValueError: precision too big"),
    (
        1.0,
        "99999999999999999999",
        "ValueError: Too many decimal digits in format string",
    ),
    (
        1.0,
        "\u{1}",
        "ValueError: Unknown format code '\\x1' for object of type 'float'",
    ),
    (1.0, "=10.2f", "      1.00"),
    (1.0, "#", "1.0"),
    (100.0, "#", "100.0"),
    (1e-05, "#.0e", "1.e-05"),
];

const INT_FORMAT: &[(&str, &str, &str)] = &[
    ("255", "#010x", "0x000000ff"),
    (
        "1000000000000000000000000000000",
        ",",
        "1,000,000,000,000,000,000,000,000,000,000",
    ),
    ("255", "x", "ff"),
    ("255", "X", "FF"),
    ("255", "#X", "0XFF"),
    ("255", "#o", "0o377"),
    ("5", "#b", "0b101"),
    ("-255", "#x", "-0xff"),
    ("0", "#x", "0x0"),
    ("1234", "08,", "0,001,234"),
    ("1234", "010,", "00,001,234"),
    ("1234567", "_", "1_234_567"),
    ("-1234567", ",", "-1,234,567"),
    ("65535", "_x", "ffff"),
    (
        "4294967296",
        "_b",
        "1_0000_0000_0000_0000_0000_0000_0000_0000",
    ),
    ("255", "#_o", "0o377"),
    ("4294967296", "#012_X", "0X1_0000_0000"),
    ("65", "c", "A"),
    ("65", "^5c", "  A  "),
    ("65", "05c", "0000A"),
    ("128512", "c", "😀"),
    ("42", "+d", "+42"),
    ("42", " d", " 42"),
    ("-42", " d", "-42"),
    ("42", "=+8", "+     42"),
    ("42", "*^9", "***42****"),
    ("42", "<6", "42    "),
    ("42", "06", "000042"),
    ("-42", "06", "-00042"),
    ("42", "x<6", "42xxxx"),
    ("42", "0<6", "420000"),
    ("42", "#d", "42"),
    ("1234", "n", "1234"),
    ("3", "e", "3.000000e+00"),
    ("3", ".2f", "3.00"),
    ("3", "%", "300.000000%"),
    ("100000000000000000000", "g", "1e+20"),
    ("10000000000000000", "", "10000000000000000"),
    ("-5", ".1e", "-5.0e+00"),
    ("7", "E", "7.000000E+00"),
    ("9007199254740993", ".0f", "9007199254740992"),
    (
        "1000000000000000000000000000000",
        "x",
        "c9f2c9cd04674edea40000000",
    ),
    (
        "-1000000000000000000000000000000",
        "_X",
        "-C_9F2C_9CD0_4674_EDEA_4000_0000",
    ),
    ("0", "", "0"),
    ("-7", "", "-7"),
    ("7", "b", "111"),
    ("-7", "08b", "-0000111"),
    (
        "1",
        "z",
        "ValueError: Negative zero coercion (z) not allowed in integer format specifier",
    ),
    (
        "1",
        ".2",
        "ValueError: Precision not allowed in integer format specifier",
    ),
    (
        "1",
        "+c",
        "ValueError: Sign not allowed with integer format specifier 'c'",
    ),
    (
        "1",
        "#c",
        "ValueError: Alternate form (#) not allowed with integer format specifier 'c'",
    ),
    (
        "1",
        "zd",
        "ValueError: Negative zero coercion (z) not allowed in integer format specifier",
    ),
    ("1", ",c", "ValueError: Cannot specify ',' with 'c'."),
    ("1", "_n", "ValueError: Cannot specify '_' with 'n'."),
    ("1", ",x", "ValueError: Cannot specify ',' with 'x'."),
    (
        "1",
        "s",
        "ValueError: Unknown format code 's' for object of type 'int'",
    ),
    ("-1", "c", "OverflowError: %c arg not in range(0x110000)"),
    (
        "1114112",
        "c",
        "OverflowError: %c arg not in range(0x110000)",
    ),
    (
        "1180591620717411303424",
        "c",
        "OverflowError: Python int too large to convert to C long",
    ),
    (
        "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "e",
        "OverflowError: int too large to convert to float",
    ),
    (
        "5",
        "\u{1}",
        "ValueError: Unknown format code '\\x1' for object of type 'int'",
    ),
    (
        "5",
        "é",
        "ValueError: Unknown format code '\\xe9' for object of type 'int'",
    ),
    ("5", ",,", "ValueError: Cannot specify ',' with ','."),
    ("5", "_d", "5"),
    ("5", " ", " 5"),
    (
        "5",
        "dd",
        "ValueError: Invalid format specifier 'dd' for object of type 'int'",
    ),
    ("123", "X^+#11_x", "XXX+0x7bXXX"),
];

const STR_FORMAT: &[(&str, &str, &str)] = &[
    ("ab", "^7", "  ab   "),
    ("ab", ">5", "   ab"),
    ("ab", "5", "ab   "),
    ("ab", "*<5", "ab***"),
    ("abc", ".2", "ab"),
    ("héllo", ".3", "hél"),
    ("héllo", "^9.4", "  héll   "),
    ("€", "3", "€  "),
    ("ab", "05", "ab000"),
    ("ab", "s", "ab"),
    ("", "3", "   "),
    ("ab", "é^6", "ééabéé"),
    ("ab", "0^6", "00ab00"),
    ("ab", "", "ab"),
    ("abc", "1", "abc"),
    (
        "ab",
        "d",
        "ValueError: Unknown format code 'd' for object of type 'str'",
    ),
    (
        "ab",
        "+",
        "ValueError: Sign not allowed in string format specifier",
    ),
    (
        "ab",
        " ",
        "ValueError: Space not allowed in string format specifier",
    ),
    (
        "ab",
        "=",
        "ValueError: '=' alignment not allowed in string format specifier",
    ),
    (
        "ab",
        "#",
        "ValueError: Alternate form (#) not allowed in string format specifier",
    ),
    (
        "ab",
        "z",
        "ValueError: Negative zero coercion (z) not allowed in string format specifier",
    ),
    ("ab", ",", "ValueError: Cannot specify ',' with 's'."),
    ("ab", "_", "ValueError: Cannot specify '_' with 's'."),
    (
        "ab",
        "ss",
        "ValueError: Invalid format specifier 'ss' for object of type 'str'",
    ),
    ("ab", ".", "ValueError: Format specifier missing precision"),
    ("ab", "^.0", ""),
];

const RADIX: &[(i64, u32, &str)] = &[
    (-31, 16, "-0x1f"),
    (15, 8, "0o17"),
    (5, 2, "0b101"),
    (0, 16, "0x0"),
    (-8, 2, "-0b1000"),
    (-1, 8, "-0o1"),
    (255, 10, "255"),
];

const PERCENT: &[(&str, Args, &str)] = &[
    (
        "%5.2f|%-6d|%x|%r",
        Args::Tuple(&[F(12.3456), I(42), I(255), S("hi")]),
        "12.35|42    |ff|'hi'",
    ),
    (
        "%(a)s and %(b)d",
        Args::Map(&[("a", S("x")), ("b", I(5))]),
        "x and 5",
    ),
    ("%s", Args::Tuple(&[S("abc")]), "abc"),
    ("%d%%", Args::Tuple(&[I(50)]), "50%"),
    ("%05d", Args::Tuple(&[I(-42)]), "-0042"),
    ("%+d", Args::Tuple(&[I(5)]), "+5"),
    ("% d", Args::Tuple(&[I(5)]), " 5"),
    ("%-5d|", Args::Tuple(&[I(5)]), "5    |"),
    ("%x %X %o", Args::Tuple(&[I(255), I(255), I(8)]), "ff FF 10"),
    (
        "%#x %#X %#o",
        Args::Tuple(&[I(255), I(255), I(8)]),
        "0xff 0XFF 0o10",
    ),
    ("%#08x", Args::Tuple(&[I(255)]), "0x0000ff"),
    ("%8.3x", Args::Tuple(&[I(255)]), "     0ff"),
    ("%-#8x|", Args::Tuple(&[I(255)]), "0xff    |"),
    ("%#-08x|", Args::Tuple(&[I(-255)]), "-0xff   |"),
    ("%.5d", Args::Tuple(&[I(42)]), "00042"),
    ("%+.3d", Args::Tuple(&[I(7)]), "+007"),
    ("%e", Args::Tuple(&[F(12345.678)]), "1.234568e+04"),
    ("%E", Args::Tuple(&[F(12345.678)]), "1.234568E+04"),
    ("%g", Args::Tuple(&[F(1e-07)]), "1e-07"),
    ("%G", Args::Tuple(&[F(1e+20)]), "1E+20"),
    ("%.3g", Args::Tuple(&[F(12345.678)]), "1.23e+04"),
    ("%#g", Args::Tuple(&[F(1.0)]), "1.00000"),
    ("%#.0f", Args::Tuple(&[F(2.0)]), "2."),
    ("%010.3f", Args::Tuple(&[F(-3.5)]), "-00003.500"),
    ("%+.1f", Args::Tuple(&[F(2.25)]), "+2.2"),
    ("%f", Args::Tuple(&[F(f64::INFINITY)]), "inf"),
    ("%05f", Args::Tuple(&[F(f64::INFINITY)]), "00inf"),
    ("%F", Args::Tuple(&[F(f64::NAN)]), "NAN"),
    ("%.2s", Args::Tuple(&[S("abcdef")]), "ab"),
    ("%.3r", Args::Tuple(&[S("abcdef")]), "'ab"),
    ("%*d", Args::Tuple(&[I(5), I(42)]), "   42"),
    ("%-*d|", Args::Tuple(&[I(5), I(42)]), "42   |"),
    ("%*d|", Args::Tuple(&[I(-5), I(42)]), "42   |"),
    ("%.*f", Args::Tuple(&[I(2), F(1.23456)]), "1.23"),
    ("%.*f", Args::Tuple(&[I(-2), F(1.23456)]), "1"),
    ("%c", Args::Tuple(&[I(65)]), "A"),
    ("%c", Args::Tuple(&[S("z")]), "z"),
    ("%3c|", Args::Tuple(&[I(65)]), "  A|"),
    ("%-3c|", Args::Tuple(&[S("é")]), "é  |"),
    (
        "%ld %hi %Lf",
        Args::Tuple(&[I(1), I(2), F(3.0)]),
        "1 2 3.000000",
    ),
    ("%i %u", Args::Tuple(&[I(3), I(4)]), "3 4"),
    ("%s", Args::Single(I(5)), "5"),
    ("%05s|%-05d|", Args::Tuple(&[S("a"), I(3)]), "    a|3    |"),
    ("% 05.1f", Args::Tuple(&[F(2.5)]), " 02.5"),
    ("%.0f %.0f", Args::Tuple(&[F(0.5), F(1.5)]), "0 2"),
    ("%(a)s %(a)r", Args::Map(&[("a", S("q"))]), "q 'q'"),
    ("%(x(y))d", Args::Map(&[("x(y)", I(7))]), "7"),
    ("%d", Args::Tuple(&[F(2.9)]), "2"),
    ("%x", Args::Tuple(&[I(-255)]), "-ff"),
    ("abc", Args::Tuple(&[]), "abc"),
    (
        "%d %d",
        Args::Tuple(&[I(1)]),
        "TypeError: not enough arguments for format string",
    ),
    (
        "%d",
        Args::Tuple(&[I(1), I(2)]),
        "TypeError: not all arguments converted during string formatting",
    ),
    (
        "abc",
        Args::Single(I(5)),
        "TypeError: not all arguments converted during string formatting",
    ),
    (
        "abc%q",
        Args::Tuple(&[I(1)]),
        "ValueError: unsupported format character 'q' (0x71) at index 4",
    ),
    (
        "%q",
        Args::Tuple(&[]),
        "TypeError: not enough arguments for format string",
    ),
    ("%", Args::Tuple(&[]), "ValueError: incomplete format"),
    ("%5", Args::Tuple(&[I(1)]), "ValueError: incomplete format"),
    ("%(a", Args::Map(&[]), "ValueError: incomplete format key"),
    (
        "%(a)",
        Args::Map(&[("a", I(1))]),
        "ValueError: incomplete format",
    ),
    (
        "%c",
        Args::Tuple(&[S("ab")]),
        "TypeError: %c requires int or char",
    ),
    (
        "%c",
        Args::Tuple(&[I(-1)]),
        "OverflowError: %c arg not in range(0x110000)",
    ),
    (
        "%c",
        Args::Tuple(&[I(1114112)]),
        "OverflowError: %c arg not in range(0x110000)",
    ),
    (
        "%5%",
        Args::Tuple(&[]),
        "TypeError: not enough arguments for format string",
    ),
    (
        "%5%",
        Args::Tuple(&[I(1)]),
        "ValueError: unsupported format character '%' (0x25) at index 2",
    ),
    ("%.", Args::Tuple(&[I(1)]), "ValueError: incomplete format"),
    ("%(a)s", Args::Map(&[]), "KeyError: 'a'"),
    (
        "%d",
        Args::Tuple(&[S("x")]),
        "TypeError: %d format: a real number is required, not str",
    ),
    (
        "%x",
        Args::Tuple(&[S("x")]),
        "TypeError: %x format: an integer is required, not str",
    ),
    (
        "%f",
        Args::Tuple(&[S("x")]),
        "TypeError: must be real number, not str",
    ),
    (
        "%é",
        Args::Tuple(&[I(1)]),
        "ValueError: unsupported format character '?' (0xe9) at index 1",
    ),
    (
        "%*d",
        Args::Tuple(&[I(1)]),
        "TypeError: not enough arguments for format string",
    ),
    ("%s", Args::Tuple(&[F(1.0)]), "1.0"),
    ("%r", Args::Tuple(&[F(1e+16)]), "1e+16"),
    ("%a", Args::Tuple(&[S("é")]), "'\\xe9'"),
    ("%.1s", Args::Tuple(&[F(1e+16)]), "1"),
    ("%*.*s|", Args::Tuple(&[I(6), I(2), S("abc")]), "    ab|"),
];
