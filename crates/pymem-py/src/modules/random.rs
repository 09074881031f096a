//! (L3) The `random` module: CPython's Mersenne Twister (`_randommodule.c`) and the
//! `Random` methods of `Lib/random.py`, bit for bit: the same seed gives the same numbers.
//!
//! `random.Random` is a class made here whose instances carry their generator as a native
//! value ([`Gen`]); the module's functions are that class's methods bound to a hidden
//! instance, as `random.random` is `_inst.random` in CPython. The sequence methods are in
//! [`super::random_seq`], the distributions in [`super::random_dist`].

use std::cell::RefCell;
use std::rc::Rc;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive};

use crate::error::{PyResult, err, type_error, value_error};
use crate::obj::{Atom, Kind, Obj, PyRef};
use crate::{ops, val};

use super::math::real;
use super::math_int::index_big;
use super::{
    ClassSpec, Kw, attach_native, class_of, fns, native, new_module, new_object, set_attr,
};

/// The generator's state size in 32-bit words.
const N: usize = 624;
const M: usize = 397;

/// A Mersenne Twister (MT19937) and `Random.gauss`'s saved second value.
pub(super) struct Gen {
    mt: [u32; N],
    index: usize,
    pub(super) gauss_next: Option<f64>,
}

impl Gen {
    /// A generator seeded with `init_genrand(s)`.
    fn init_genrand(s: u32) -> Gen {
        let mut mt = [0u32; N];
        mt[0] = s;
        for i in 1..N {
            let prev = mt[i - 1];
            mt[i] = 1812433253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Gen {
            mt,
            index: N,
            gauss_next: None,
        }
    }

    /// A generator seeded from a key of 32-bit words (`init_by_array`).
    fn from_key(key: &[u32]) -> Gen {
        let mut g = Gen::init_genrand(19650218);
        let mt = &mut g.mt;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1664525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1566083941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        g
    }

    /// Regenerates the state: the twist of all `N` words.
    fn twist(&mut self) {
        let mt = &mut self.mt;
        for kk in 0..N {
            let y = (mt[kk] & 0x8000_0000) | (mt[(kk + 1) % N] & 0x7fff_ffff);
            let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
            mt[kk] = mt[(kk + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// The next 32 random bits (`genrand_uint32`).
    pub(super) fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// A float in `[0, 1)` from 53 random bits (`random_random`).
    pub(super) fn random(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (a as f64 * 67108864.0 + b as f64) * (1.0 / 9007199254740992.0)
    }

    /// `getrandbits(k)` for `k <= 64`.
    pub(super) fn bits_u64(&mut self, k: u32) -> u64 {
        match k {
            0 => 0,
            1..=32 => (self.next_u32() >> (32 - k)) as u64,
            _ => {
                let lo = self.next_u32() as u64;
                let hi = (self.next_u32() >> (64 - k)) as u64;
                lo | (hi << 32)
            }
        }
    }

    /// `getrandbits(k)`: words from least to most significant, the last one's low bits
    /// dropped.
    pub(super) fn bits_big(&mut self, k: u64) -> BigInt {
        if k <= 64 {
            return BigInt::from(self.bits_u64(k as u32));
        }
        let words = (k - 1) / 32 + 1;
        let mut left = k;
        let digits: Vec<u32> = (0..words)
            .map(|_| {
                let r = self.next_u32();
                let r = if left < 32 { r >> (32 - left) } else { r };
                left = left.saturating_sub(32);
                r
            })
            .collect();
        BigInt::from_biguint(Sign::Plus, BigUint::new(digits))
    }

    /// `_randbelow_with_getrandbits(n)` for `n > 0` that fits 64 bits.
    pub(super) fn below_u64(&mut self, n: u64) -> u64 {
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.bits_u64(k);
            if r < n {
                return r;
            }
        }
    }

    /// `_randbelow_with_getrandbits(n)` for any `n > 0`.
    pub(super) fn below(&mut self, n: &BigInt) -> BigInt {
        if let Some(n) = n.to_u64() {
            return BigInt::from(self.below_u64(n));
        }
        let k = n.bits();
        loop {
            let r = self.bits_big(k);
            if &r < n {
                return r;
            }
        }
    }
}

/// The 32-bit words of `|n|`, least significant first (`[0]` for zero), as CPython's
/// `random_seed` keys the generator with an int.
fn key_of(n: &BigInt) -> Vec<u32> {
    let digits = n.magnitude().to_u32_digits();
    if digits.is_empty() { vec![0] } else { digits }
}

/// A key from the operating system's randomness (`random_seed_urandom`), or from the
/// clock and the process id where it cannot be read.
fn os_key() -> Vec<u32> {
    use std::io::Read;
    let mut buf = [0u8; N * 4];
    let ok = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf));
    if ok.is_ok() {
        return buf
            .chunks(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
    }
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    vec![t as u32, (t >> 32) as u32, std::process::id()]
}

/// The generator a seed argument makes (`Random.seed(a)`, version 2).
fn gen_for_seed(a: Option<&PyRef>) -> PyResult<Gen> {
    let Some(a) = a.filter(|a| !a.is_none()) else {
        return Ok(Gen::from_key(&os_key()));
    };
    let key = match a.atom() {
        Some(Atom::Float(_)) => key_of(&BigInt::from(ops::hash(a)?)),
        Some(Atom::Str(_)) | Some(Atom::Bytes(_)) => return super::random_sha::seed_text(a),
        Some(at) if crate::num::to_bigint(at).is_some() => key_of(&index_big(a)?),
        _ if matches!(a.kind(), Some(Kind::ByteArray(_))) => {
            return super::random_sha::seed_text(a);
        }
        _ if super::math::special(a, "__index__").is_ok_and(|r| r.is_some()) => {
            key_of(&index_big(a)?)
        }
        _ => {
            return Err(type_error(
                "The only supported seed types are:\nNone, int, float, str, bytes, and bytearray.",
            ));
        }
    };
    Ok(Gen::from_key(&key))
}

/// The key of a big int, for [`super::random_sha`].
pub(super) fn gen_from_int(n: &BigInt) -> Gen {
    Gen::from_key(&key_of(n))
}

// ---- The class -----------------------------------------------------------------------

/// `random.Random`.
pub(super) static RANDOM: ClassSpec = ClassSpec {
    name: "Random",
    module: "random",
    methods: fns![
        "__init__" => init,
        "seed" => seed,
        "random" => random,
        "getrandbits" => getrandbits,
        "randbytes" => randbytes,
        "randrange" => randrange,
        "randint" => randint,
        "uniform" => super::random_dist::uniform,
        "gauss" => super::random_dist::gauss,
        "normalvariate" => super::random_dist::normalvariate,
        "lognormvariate" => super::random_dist::lognormvariate,
        "triangular" => super::random_dist::triangular,
        "expovariate" => super::random_dist::expovariate,
        "paretovariate" => super::random_dist::paretovariate,
        "weibullvariate" => super::random_dist::weibullvariate,
        "getstate" => getstate,
        "setstate" => setstate,
        "choice" => super::random_seq::choice,
        "shuffle" => super::random_seq::shuffle,
        "sample" => super::random_seq::sample,
        "choices" => super::random_seq::choices,
    ],
    statics: fns!["__new__" => new],
    props: &[],
    slots: &[],
    has_dict: true,
    base: None,
};

/// The module-level names: the methods of the hidden instance.
const MODULE_FUNCTIONS: &[&str] = &[
    "seed",
    "random",
    "getrandbits",
    "randbytes",
    "randrange",
    "randint",
    "uniform",
    "gauss",
    "normalvariate",
    "lognormvariate",
    "triangular",
    "expovariate",
    "paretovariate",
    "weibullvariate",
    "getstate",
    "setstate",
    "choice",
    "shuffle",
    "sample",
    "choices",
];

/// Makes the `random` module: the class, a hidden instance seeded from the OS, and the
/// instance's bound methods as functions.
pub(crate) fn create() -> PyRef {
    let (module, d) = new_module("random", "Random variable generators.");
    let cls = class_of(&RANDOM);
    set_attr(&d, "Random", PyRef::O(cls.clone()));
    let inst = new_object(&cls);
    attach_native(&inst, Rc::new(RefCell::new(Gen::from_key(&os_key()))));
    set_attr(&d, "_inst", inst.clone());
    for def in RANDOM.methods {
        if MODULE_FUNCTIONS.contains(&def.name) {
            set_attr(
                &d,
                def.name,
                Obj::new(Kind::Builtin(def, Some(inst.clone()))),
            );
        }
    }
    module
}

/// `Random.__new__(cls, x=None)`: an instance with a generator (seeded by `__init__`).
fn new(args: &[PyRef], _kw: Kw<'_>) -> PyResult {
    let [PyRef::O(cls), ..] = args else {
        return Err(type_error("Random.__new__(X): X is not a type object"));
    };
    let x = new_object(cls);
    attach_native(&x, Rc::new(RefCell::new(Gen::init_genrand(0))));
    Ok(x)
}

/// The generator of a `Random` method's `self`.
pub(super) fn gen_of(args: &[PyRef], method: &str) -> PyResult<Rc<RefCell<Gen>>> {
    let slf = super::receiver(&RANDOM, method, args)?;
    native::<RefCell<Gen>>(slf).ok_or_else(|| type_error("Random object has no generator"))
}

/// The arguments after `self`, with keywords by name: `names` in order.
pub(super) fn params(
    fname: &str,
    args: &[PyRef],
    kw: Kw<'_>,
    names: &[&str],
) -> PyResult<Vec<Option<PyRef>>> {
    super::check_kw(fname, kw, names)?;
    let rest = args.get(1..).unwrap_or_default();
    if rest.len() > names.len() {
        return Err(type_error(format!(
            "Random.{fname}() takes from 1 to {} positional arguments but {} were given",
            names.len() + 1,
            args.len()
        )));
    }
    (0..names.len())
        .map(|i| super::arg(fname, rest, kw, i, names[i]))
        .collect()
}

/// The required parameter `name` of `fname`, or CPython's error for a missing one.
pub(super) fn required(fname: &str, v: Option<PyRef>, name: &str) -> PyResult<PyRef> {
    v.ok_or_else(|| {
        type_error(format!(
            "Random.{fname}() missing 1 required positional argument: '{name}'"
        ))
    })
}

/// `Random.__init__(self, x=None)`.
fn init(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    seed(args, kw)
}

/// `Random.seed(self, a=None, version=2)`.
fn seed(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("seed", args, kw, &["a", "version"])?;
    let g = gen_of(args, "seed")?;
    if let Some(v) = &p[1]
        && v.as_i64() != Some(2)
    {
        return Err(value_error("only version 2 seeding is supported by pymem"));
    }
    let new = gen_for_seed(p[0].as_ref())?;
    *g.borrow_mut() = new;
    Ok(val::none())
}

/// `Random.random(self)`.
fn random(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    params("random", args, kw, &[])?;
    let g = gen_of(args, "random")?;
    let r = g.borrow_mut().random();
    Ok(val::float(r))
}

/// `Random.getrandbits(self, k)`.
fn getrandbits(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("getrandbits", args, kw, &["k"])?;
    let k = index_big(&required("getrandbits", p[0].clone(), "k")?)?;
    if k.is_negative() {
        return Err(value_error("number of bits must be non-negative"));
    }
    let k = k
        .to_u64()
        .ok_or_else(|| err("OverflowError", "Python int too large to convert to C int"))?;
    let g = gen_of(args, "getrandbits")?;
    let r = g.borrow_mut().bits_big(k);
    Ok(val::bigint(r))
}

/// `Random.randbytes(self, n)`: `getrandbits(n * 8)` as little-endian bytes.
fn randbytes(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("randbytes", args, kw, &["n"])?;
    let n = super::int_arg(&required("randbytes", p[0].clone(), "n")?)?;
    if n < 0 {
        return Err(value_error("number of bits must be non-negative"));
    }
    let g = gen_of(args, "randbytes")?;
    let r = g.borrow_mut().bits_big(n as u64 * 8);
    let mut bytes = r.magnitude().to_bytes_le();
    bytes.resize(n as usize, 0);
    Ok(val::bytes(bytes))
}

/// `Random.randrange(self, start, stop=None, step=1)`, as `Lib/random.py`.
fn randrange(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("randrange", args, kw, &["start", "stop", "step"])?;
    let start = required("randrange", p[0].clone(), "start")?;
    let g = gen_of(args, "randrange")?;
    let istart = index_big(&start)?;
    let Some(stop) = p[1].clone().filter(|s| !s.is_none()) else {
        if p[2].is_some() {
            return Err(type_error("Missing a non-None stop argument"));
        }
        if istart.is_positive() {
            return Ok(val::bigint(g.borrow_mut().below(&istart)));
        }
        return Err(value_error("empty range for randrange()"));
    };
    let width = index_big(&stop)? - &istart;
    let step = p[2].clone().unwrap_or_else(|| val::int(1));
    let istep = index_big(&step)?;
    let n = range_count(width, &istep)?;
    if !n.is_positive() {
        return Err(empty_range(
            &[&start, &stop, &step],
            p[2].is_some() && !istep.is_one(),
        ));
    }
    Ok(val::bigint(istart + istep * g.borrow_mut().below(&n)))
}

/// How many values `range(0, width, step)` has (zero or less when empty).
fn range_count(width: BigInt, step: &BigInt) -> PyResult<BigInt> {
    match step.sign() {
        _ if step.is_one() => Ok(width),
        Sign::Plus => Ok((width + step - 1u32).div_floor(step)),
        Sign::Minus => Ok((width + step + 1u32).div_floor(step)),
        Sign::NoSign => Err(value_error("zero step for randrange()")),
    }
}

/// "empty range in randrange(start, stop[, step])", the step shown unless it is 1.
fn empty_range(parts: &[&PyRef; 3], with_step: bool) -> crate::error::PyErr {
    let n = if with_step { 3 } else { 2 };
    let shown: PyResult<Vec<String>> = parts[..n].iter().map(|x| ops::str_of(x)).collect();
    match shown {
        Ok(s) => value_error(format!("empty range in randrange({})", s.join(", "))),
        Err(e) => e,
    }
}

/// `Random.randint(self, a, b)`: `randrange(a, b + 1)`.
fn randint(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("randint", args, kw, &["a", "b"])?;
    let a = required("randint", p[0].clone(), "a")?;
    let b = required("randint", p[1].clone(), "b")?;
    let b1 = ops::binary(crate::code::BinOp::Add, &b, &val::int(1))?;
    randrange(&[args[0].clone(), a, b1], &[])
}

/// `Random.getstate(self)`: `(3, (624 words..., index), gauss_next)`.
fn getstate(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    params("getstate", args, kw, &[])?;
    let g = gen_of(args, "getstate")?;
    let g = g.borrow();
    let mut words: Vec<PyRef> = g.mt.iter().map(|&w| val::int(w as i64)).collect();
    words.push(val::int(g.index as i64));
    let gauss = g.gauss_next.map_or_else(val::none, val::float);
    Ok(val::tuple(vec![val::int(3), val::tuple(words), gauss]))
}

/// `Random.setstate(self, state)`.
fn setstate(args: &[PyRef], kw: Kw<'_>) -> PyResult {
    let p = params("setstate", args, kw, &["state"])?;
    let state = ops::collect(&required("setstate", p[0].clone(), "state")?)?;
    let version = state.first().cloned().unwrap_or_else(val::none);
    if version.as_i64() != Some(3) || state.len() != 3 {
        let v = ops::str_of(&version)?;
        return Err(value_error(format!(
            "state with version {v} passed to Random.setstate() of version 3"
        )));
    }
    let words = ops::collect(&state[1])?;
    if words.len() != N + 1 {
        return Err(value_error("state vector is the wrong size"));
    }
    let mut mt = [0u32; N];
    for (w, x) in mt.iter_mut().zip(&words) {
        *w = index_big(x)?.to_u32().ok_or_else(|| {
            err(
                "OverflowError",
                "Python int too large to convert to C unsigned long",
            )
        })?;
    }
    let index = index_big(&words[N])?.to_usize().filter(|&i| i <= N);
    let index = index.ok_or_else(|| value_error("invalid state"))?;
    let gauss_next = match state[2].is_none() {
        true => None,
        false => Some(real(&state[2])?),
    };
    *gen_of(args, "setstate")?.borrow_mut() = Gen {
        mt,
        index,
        gauss_next,
    };
    Ok(val::none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_outputs_of_init_by_array() {
        // mt19937ar.c's published test: init_by_array({0x123, 0x234, 0x345, 0x456}).
        let mut g = Gen::from_key(&[0x123, 0x234, 0x345, 0x456]);
        let first: Vec<u32> = (0..3).map(|_| g.next_u32()).collect();
        assert_eq!(first, [1067595299, 955945823, 477289528]);
    }

    #[test]
    fn zero_seeds_with_one_zero_word() {
        assert_eq!(key_of(&BigInt::from(0)), [0]);
        assert_eq!(key_of(&BigInt::from(-(1i64 << 32) - 5)), [5, 1]);
    }
}
