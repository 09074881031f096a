//! (L3) The `time` module: the clocks, `sleep`, and `gmtime`/`localtime`/`strftime`/
//! `asctime` with `time.struct_time`.
//!
//! `perf_counter` and `monotonic` read the same monotonic clock (as CPython's do on
//! Linux); `process_time` reads the process's CPU clock. `struct_time` is a tuple of the
//! nine classic fields with `tm_zone` and `tm_gmtoff` as attributes.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::error::{PyResult, err, type_error, value_error};
use crate::obj::{Atom, BuiltinDef, PyRef};
use crate::{ops, val};

use super::math::real;
use super::{
    ClassSpec, Kw, add_functions, at_most, fns, new_module, new_tuple_object, no_args, no_kw,
    receiver, set_attr, set_field, tuple_items,
};

/// The module's functions.
static FUNCTIONS: &[BuiltinDef] = fns![
    "time" => time, "time_ns" => time_ns,
    "perf_counter" => monotonic, "perf_counter_ns" => monotonic_ns,
    "monotonic" => monotonic, "monotonic_ns" => monotonic_ns,
    "process_time" => process_time, "process_time_ns" => process_time_ns,
    "sleep" => sleep, "gmtime" => gmtime, "localtime" => localtime,
    "strftime" => strftime, "asctime" => asctime, "ctime" => ctime,
];

/// Makes the `time` module.
pub(crate) fn create() -> PyRef {
    let (module, d) = new_module(
        "time",
        "This module provides various functions to manipulate time values.",
    );
    add_functions(&d, FUNCTIONS);
    set_attr(&d, "struct_time", PyRef::O(super::class_of(&STRUCT_TIME)));
    module
}

// ---- Clocks ------------------------------------------------------------------------------

/// Nanoseconds since the epoch (negative before it).
fn now_ns() -> i128 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// An int result of up to 128 bits.
fn int128(n: i128) -> PyRef {
    val::bigint(n.into())
}

/// `time.time()`.
fn time(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("time", args, kw)?;
    Ok(val::float(now_ns() as f64 * 1e-9))
}

/// `time.time_ns()`.
fn time_ns(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("time_ns", args, kw)?;
    Ok(int128(now_ns()))
}

thread_local! {
    /// The origin of the monotonic clock: the first reading on this thread.
    static ORIGIN: Instant = Instant::now();
}

/// Nanoseconds of the monotonic clock.
fn monotonic_nanos() -> i128 {
    ORIGIN.with(|o| o.elapsed().as_nanos() as i128)
}

/// `time.monotonic()` and `time.perf_counter()`.
fn monotonic(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("monotonic", args, kw)?;
    Ok(val::float(monotonic_nanos() as f64 * 1e-9))
}

/// `time.monotonic_ns()` and `time.perf_counter_ns()`.
fn monotonic_ns(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("monotonic_ns", args, kw)?;
    Ok(int128(monotonic_nanos()))
}

/// The CPU time of this process in nanoseconds (`CLOCK_PROCESS_CPUTIME_ID`).
fn cpu_nanos() -> i128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the call's duration.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0;
    }
    ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128
}

/// `time.process_time()`.
fn process_time(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("process_time", args, kw)?;
    Ok(val::float(cpu_nanos() as f64 * 1e-9))
}

/// `time.process_time_ns()`.
fn process_time_ns(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_args("process_time_ns", args, kw)?;
    Ok(int128(cpu_nanos()))
}

/// Seconds as `_PyTime_FromSecondsObject` reads them: an int or a float, else the
/// TypeError of an int conversion.
fn seconds(x: &PyRef) -> PyResult<f64> {
    match x.atom() {
        Some(Atom::Float(f)) => Ok(*f),
        _ => real(&val::int(ops::index(x)?)),
    }
}

/// `time.sleep(secs)`.
fn sleep(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_kw("sleep", kw)?;
    let [secs] = args else {
        return Err(type_error(format!(
            "time.sleep() takes exactly one argument ({} given)",
            args.len()
        )));
    };
    let s = seconds(secs)?;
    if s.is_nan() {
        return Err(value_error("Invalid value NaN (not a number)"));
    }
    if s < 0.0 {
        return Err(value_error("sleep length must be non-negative"));
    }
    std::thread::sleep(
        Duration::try_from_secs_f64(s)
            .map_err(|_| err("OverflowError", "sleep length is too large"))?,
    );
    Ok(val::none())
}

// ---- Calendar ----------------------------------------------------------------------------

/// A broken-down time: `struct tm`'s fields as Python shows them, and the zone.
struct Tm {
    fields: [i64; 9],
    zone: String,
    gmtoff: i64,
}

/// The civil date of a day number since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

/// Whether `y` is a leap year.
fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// The UTC broken-down time of `t` seconds since the epoch.
fn utc(t: i64, gmtoff: i64, zone: String) -> Tm {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let before: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let yday = before[(m - 1) as usize] + d + (m > 2 && is_leap(y)) as i64;
    let wday = (days + 3).rem_euclid(7); // 1970-01-01 was a Thursday (Monday is 0)
    Tm {
        fields: [
            y,
            m,
            d,
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            wday,
            yday,
            0,
        ],
        zone,
        gmtoff,
    }
}

/// The local broken-down time of `t` (the C library's `localtime_r`, for the zone and DST).
fn local(t: i64) -> PyResult<Tm> {
    // SAFETY: `tm` is plain data; an all-zero value is a valid `struct tm`.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let tt = t as libc::time_t;
    // SAFETY: both pointers are valid for the call; localtime_r is the reentrant form.
    let r = unsafe { libc::localtime_r(&tt, &mut tm) };
    if r.is_null() {
        return Err(err(
            "OverflowError",
            "timestamp out of range for platform time_t",
        ));
    }
    let zone = match tm.tm_zone.is_null() {
        true => String::new(),
        // SAFETY: a non-null tm_zone points to a NUL-terminated string owned by the C library.
        false => unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
            .to_string_lossy()
            .into_owned(),
    };
    let gmtoff = tm.tm_gmtoff;
    let mut out = utc(t + gmtoff, gmtoff, zone);
    out.fields[8] = tm.tm_isdst.signum() as i64;
    Ok(out)
}

/// The optional seconds argument of `gmtime`/`localtime`/`ctime`: now if absent or None,
/// floored otherwise.
fn opt_seconds(name: &str, args: &[PyRef], kw: Kw<'_>) -> PyResult<i64> {
    no_kw(name, kw)?;
    at_most(name, args, 1)?;
    let s = match args.first().filter(|a| !a.is_none()) {
        Some(x) => seconds(x)?,
        None => return Ok(now_ns().div_euclid(1_000_000_000) as i64),
    };
    if !s.is_finite() || s.abs() > 1e17 {
        return Err(err(
            "OverflowError",
            "timestamp out of range for platform time_t",
        ));
    }
    Ok(s.floor() as i64)
}

/// `time.gmtime([secs])`.
fn gmtime(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = opt_seconds("gmtime", args, kw)?;
    Ok(struct_time(&utc(t, 0, "GMT".into())))
}

/// `time.localtime([secs])`.
fn localtime(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = opt_seconds("localtime", args, kw)?;
    Ok(struct_time(&local(t)?))
}

// ---- struct_time -------------------------------------------------------------------------

/// `time.struct_time`.
static STRUCT_TIME: ClassSpec = ClassSpec {
    name: "struct_time",
    module: "time",
    methods: fns!["__repr__" => struct_time_repr],
    statics: &[],
    props: &[],
    slots: &[],
    has_dict: true,
    base: Some(crate::types::BuiltinType::Tuple),
};

/// The names of the tuple's fields.
const FIELDS: [&str; 9] = [
    "tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst",
];

/// A `struct_time` of `tm`.
fn struct_time(tm: &Tm) -> PyRef {
    let items = tm.fields.iter().map(|&v| val::int(v)).collect();
    let x = new_tuple_object(&STRUCT_TIME, items);
    for (name, &v) in FIELDS.iter().zip(&tm.fields) {
        set_field(&x, name, val::int(v));
    }
    set_field(&x, "tm_zone", val::str_(&tm.zone));
    set_field(&x, "tm_gmtoff", val::int(tm.gmtoff));
    x
}

/// `time.struct_time(tm_year=1970, ...)`.
fn struct_time_repr(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let x = receiver(&STRUCT_TIME, "__repr__", args)?;
    let mut parts = Vec::new();
    for (name, v) in FIELDS.iter().zip(tuple_items(x)) {
        parts.push(format!("{name}={}", ops::repr(v)?));
    }
    Ok(val::string(format!(
        "time.struct_time({})",
        parts.join(", ")
    )))
}

/// The fields of a time-tuple argument of `fname` (a `struct_time` or a 9-tuple), with
/// its zone, checked as CPython's `checktm` (0 for the month, day and day of year means 1).
fn tm_of(fname: &str, x: &PyRef) -> PyResult<Tm> {
    let Some(crate::obj::Kind::Tuple(items)) = x.payload() else {
        return Err(type_error("Tuple or struct_time argument required"));
    };
    if items.len() != 9 {
        return Err(type_error(format!(
            "{fname}(): illegal time tuple argument"
        )));
    }
    let mut fields = [0i64; 9];
    for (f, v) in fields.iter_mut().zip(items.iter()) {
        *f = ops::index(v)?;
    }
    check_tm(&mut fields)?;
    let attr = |name| crate::attr::getattr_opt(x, name);
    let zone = attr("tm_zone")?.and_then(|z| z.as_str().map(str::to_owned));
    let gmtoff = attr("tm_gmtoff")?.and_then(|z| z.as_i64());
    Ok(Tm {
        fields,
        zone: zone.unwrap_or_default(),
        gmtoff: gmtoff.unwrap_or(0),
    })
}

/// CPython's `checktm`: each field in its range, with its message.
fn check_tm(f: &mut [i64; 9]) -> PyResult<()> {
    for i in [1, 2, 7] {
        if f[i] == 0 {
            f[i] = 1;
        }
    }
    let ranges = [
        (1, 1, 12, "month out of range"),
        (2, 1, 31, "day of month out of range"),
        (3, 0, 23, "hour out of range"),
        (4, 0, 59, "minute out of range"),
        (5, 0, 61, "seconds out of range"),
        (6, 0, i64::MAX, "day of week out of range"),
        (7, 1, 366, "day of year out of range"),
    ];
    for (i, lo, hi, msg) in ranges {
        if f[i] < lo || f[i] > hi {
            return Err(value_error(msg));
        }
    }
    f[6] = f[6].rem_euclid(7);
    Ok(())
}

/// The time tuple argument at `args[i]`, or the local time now.
fn tm_arg(fname: &str, args: &[PyRef], i: usize) -> PyResult<Tm> {
    match args.get(i) {
        Some(x) => tm_of(fname, x),
        None => local(now_ns().div_euclid(1_000_000_000) as i64),
    }
}

// ---- Formatting ----------------------------------------------------------------------------

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name in `names` at `i` (wrapped into range), or its first three letters.
fn name(names: &[&'static str], i: i64, short: bool) -> &'static str {
    let n = names[i.rem_euclid(names.len() as i64) as usize];
    if short { &n[..3] } else { n }
}

/// One `%` directive of C's `strftime` in the C locale; `None` for an unknown one.
fn directive(c: char, tm: &Tm) -> Option<String> {
    let [y, mon, d, h, min, s, wd, yd, _] = tm.fields;
    Some(match c {
        'Y' => y.to_string(),
        'y' => format!("{:02}", y.rem_euclid(100)),
        'm' => format!("{mon:02}"),
        'd' => format!("{d:02}"),
        'e' => format!("{d:>2}"),
        'H' => format!("{h:02}"),
        'I' => format!("{:02}", if h % 12 == 0 { 12 } else { h % 12 }),
        'M' => format!("{min:02}"),
        'S' => format!("{s:02}"),
        'p' => (if h < 12 { "AM" } else { "PM" }).to_owned(),
        'j' => format!("{yd:03}"),
        'w' => ((wd + 1) % 7).to_string(),
        'u' => (wd + 1).to_string(),
        'a' => name(&DAYS, wd, true).to_owned(),
        'A' => name(&DAYS, wd, false).to_owned(),
        'b' | 'h' => name(&MONTHS, mon - 1, true).to_owned(),
        'B' => name(&MONTHS, mon - 1, false).to_owned(),
        'Z' => tm.zone.clone(),
        'z' => {
            let (sign, off) = if tm.gmtoff < 0 {
                ('-', -tm.gmtoff)
            } else {
                ('+', tm.gmtoff)
            };
            format!("{sign}{:02}{:02}", off / 3600, off / 60 % 60)
        }
        'F' => format!("{y}-{mon:02}-{d:02}"),
        'T' => format!("{h:02}:{min:02}:{s:02}"),
        'D' => format!("{mon:02}/{d:02}/{:02}", y.rem_euclid(100)),
        'R' => format!("{h:02}:{min:02}"),
        'c' => asctime_of(tm),
        'x' => format!("{mon:02}/{d:02}/{:02}", y.rem_euclid(100)),
        'X' => format!("{h:02}:{min:02}:{s:02}"),
        'n' => "\n".to_owned(),
        't' => "\t".to_owned(),
        '%' => "%".to_owned(),
        _ => return None,
    })
}

/// `strftime` of `format`: unknown directives are kept as written, as glibc does.
fn format_tm(format: &str, tm: &Tm) -> String {
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(d) => match directive(d, tm) {
                Some(s) => out.push_str(&s),
                None => {
                    out.push('%');
                    out.push(d);
                }
            },
            None => out.push('%'),
        }
    }
    out
}

/// `time.strftime(format[, t])`.
fn strftime(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_kw("strftime", kw)?;
    at_most("strftime", args, 2)?;
    let Some(format) = args.first() else {
        return Err(type_error("strftime() takes at least 1 argument (0 given)"));
    };
    let Some(format) = format.as_str() else {
        return Err(type_error(format!(
            "strftime() argument 1 must be str, not {}",
            crate::types::type_name(format)
        )));
    };
    let tm = tm_arg("strftime", args, 1)?;
    Ok(val::string(format_tm(format, &tm)))
}

/// C's `asctime` layout: `Thu Jan  1 00:00:00 1970`.
fn asctime_of(tm: &Tm) -> String {
    let [y, mon, d, h, min, s, wd, ..] = tm.fields;
    format!(
        "{} {} {d:>2} {h:02}:{min:02}:{s:02} {y}",
        name(&DAYS, wd, true),
        name(&MONTHS, mon - 1, true)
    )
}

/// `time.asctime([t])`.
fn asctime(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    no_kw("asctime", kw)?;
    at_most("asctime", args, 1)?;
    Ok(val::string(asctime_of(&tm_arg("asctime", args, 0)?)))
}

/// `time.ctime([secs])`: `asctime(localtime(secs))`.
fn ctime(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let t = opt_seconds("ctime", args, kw)?;
    Ok(val::string(asctime_of(&local(t)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_of_known_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11016), (2000, 2, 29));
    }
}
