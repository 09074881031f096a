# math: constants, float functions and their errors, exact int functions, fsum, hypot.
import math

print(math.pi, math.e, math.tau, math.inf, -math.inf, math.nan)
for x in [0.0, 0.5, 2.0, 10.0, 1e-300, 123.456]:
    print(x, math.sqrt(x), math.exp(x), math.log(x) if x else None, math.log2(x) if x else None,
          math.log10(x) if x else None, math.log1p(x), math.expm1(x))
for x in [-1.5, -0.5, 0.0, 0.25, 1.0, 3.0]:
    print(x, math.sin(x), math.cos(x), math.tan(x), math.atan(x), math.sinh(x), math.cosh(x),
          math.tanh(x), math.degrees(x), math.radians(x))
print(math.asin(0.5), math.acos(0.5), math.atan2(1, -1), math.atan2(-0.0, -1.0), math.exp2(10.5))
print(math.asinh(1e300), math.acosh(1e300), math.asinh(-2.5), math.acosh(1.5), math.atanh(0.5), math.atanh(-0.99))
print(math.floor(2.5), math.floor(-2.5), math.ceil(2.5), math.ceil(-2.5), math.trunc(-2.7))
print(math.floor(10**30), math.ceil(-10**30), math.trunc(True), type(math.floor(3)))
print(math.floor(1e20), math.ceil(1.5e300) == int(1.5e300))

class Num:
    def __floor__(self): return "floor!"
    def __ceil__(self): return "ceil!"
    def __trunc__(self): return "trunc!"
    def __float__(self): return 2.25

print(math.floor(Num()), math.ceil(Num()), math.trunc(Num()), math.sqrt(Num()))
print(math.fabs(-3), math.copysign(2, -0.0), math.fmod(7, -3), math.fmod(-7.5, 2), math.fmod(1, math.inf))
print(math.modf(3.75), math.modf(-2.5), math.modf(math.inf), math.frexp(10.0), math.frexp(0.0), math.frexp(-1e-310))
print(math.ldexp(0.5, 4), math.ldexp(1.0, -1074), math.ldexp(3, -1080), math.ldexp(1.0, -10**30))
print(math.pow(2, 10), math.pow(2, -1), math.pow(0.0, 0.0), math.pow(math.nan, 0))
print(math.log(8, 2), math.log(100, 10), math.log(10**400), math.log2(2**1000), math.log2(2**2000 + 1),
      math.log10(10**500), math.log(3**1000, 3))
print(math.hypot(3, 4), math.hypot(), math.hypot(-5), math.hypot(1, 2, 3), math.hypot(1e-320, 1e-320),
      math.hypot(1e308, 1e308, 1e300), math.hypot(0.1, 0.2, 0.3, 0.4))
print(math.erf(0.5), math.erfc(2.5), math.erf(-math.inf), math.ulp(1.0), math.ulp(1e308), math.ulp(-0.0),
      math.nextafter(1.0, 2.0), math.nextafter(0.0, -1.0), math.nextafter(-5e-324, 1.0))
print(math.dist((1, 2), (4, 6)), math.dist([0.5, 1.5, 2.5], [3, 2, 1]))
print(math.isfinite(1.0), math.isinf(-math.inf), math.isnan(math.nan), math.isnan(1))
print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1.0, 1.1), math.isclose(1.0, 1.1, rel_tol=0.2),
      math.isclose(0.0, 1e-10, abs_tol=1e-9), math.isclose(math.inf, math.inf))
print(math.gcd(), math.gcd(12, 18), math.gcd(-12, 18, 27), math.gcd(2**100, 6**50), math.lcm(),
      math.lcm(4, 6, 10), math.lcm(0, 5), math.lcm(-3, 4))
print(math.factorial(0), math.factorial(20), math.factorial(30))
print(math.comb(10, 3), math.comb(5, 7), math.comb(100, 50), math.perm(5), math.perm(5, 2), math.perm(3, 4))
print(math.isqrt(0), math.isqrt(99), math.isqrt(10**40 + 5), math.prod([]), math.prod(range(1, 11)),
      math.prod([1.5, 2], start=2))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]))
print(math.fsum([1, 2**-53, 2**-53 * 0.5]), math.fsum([]), math.fsum([math.inf, 1.0]), math.fsum(iter([1, 2.5])))

def check(f, *args, **kw):
    try:
        print(f.__name__, f(*args, **kw))
    except Exception as e:
        print(f.__name__, type(e).__name__, e)

check(math.sqrt, -1)
check(math.log, 0)
check(math.log, -2.0)
check(math.log, 10, 1)
check(math.log, -10**400)
check(math.log2, 0)
check(math.log1p, -1)
check(math.exp, 1000)
check(math.sin, math.inf)
check(math.acos, 2)
check(math.atanh, 1)
check(math.fmod, math.inf, 1)
check(math.fmod, 1, 0)
check(math.pow, 0, -1)
check(math.pow, -2, 0.5)
check(math.pow, 10, 400)
check(math.ldexp, 1.0, 5000)
check(math.cosh, 1000)
check(math.sqrt, "4")
check(math.floor, "x")
check(math.trunc, object())
check(math.floor, math.inf)
check(math.ceil, math.nan)
check(math.factorial, -1)
check(math.factorial, 5.0)
check(math.comb, -1, 2)
check(math.comb, 3, -2)
check(math.perm, 3, -1)
check(math.isqrt, -4)
check(math.gcd, 1.5)
check(math.fsum, [math.inf, -math.inf])
check(math.fsum, [1e308, 1e308])
check(math.isclose, 1, 2, rel_tol=-1)
check(math.dist, (1, 2), (1, 2, 3))
check(math.sqrt, 1, 2)
