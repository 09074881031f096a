# complex: literals, complex(), repr, arithmetic (CPython's algorithms), comparisons, hashes.
import gc


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)


inf, nan = float("inf"), float("nan")
print(2j, 1.5j, 0j, -0j, -2j, 1e300j, 1j.real, 1j.imag, type(1j).__name__)
for re_, im in [(1, 2), (1, 0), (-0.0, -1), (0.0, -0.0), (-0.0, 0.0), (nan, inf), (-inf, nan),
                (1e16, 1e-7), (0.1, 0.2), (2**53, -3)]:
    z = complex(re_, im)
    print(repr(z), str(z), z.real, z.imag, z.conjugate(), bool(z), hash(z) if z == z else "nan")
print(complex(), complex(3), complex(2.5), complex(True), complex(1j), complex(1, 2j),
      complex(1j, 1j), complex(real=4), complex(imag=5), complex(1.5, imag=-2))
for s in ["1+2j", " ( 3-4J ) ", "-j", "j", "1e3", "1_000.5-2_0j", "inf-nanj", "(1)",
          "1+", "1 + 2j", "((1))", "", "1__0", "1e+j"]:
    show(lambda: complex(s))


class C:
    def __complex__(self):
        return 3 + 4j


class F:
    def __float__(self):
        return 2.5


class I:
    def __index__(self):
        return 7


class Bad:
    def __complex__(self):
        return 1.0


print(complex(C()), complex(F()), complex(I()), complex(F(), I()), complex(C(), 1))
for f in [lambda: complex(Bad()), lambda: complex([]), lambda: complex(1, []),
          lambda: complex("1", 2), lambda: complex(1, "2"), lambda: complex(b"1"),
          lambda: complex(1, 2, 3), lambda: complex(x=1), lambda: complex(10**400)]:
    show(f)
a, b = 3 + 4j, -1.5 + 2.25j
for x, y in [(a, b), (a, 2), (2, a), (a, 0.5), (0.5, a), (1e308 + 1e308j, 2),
             (0.1 + 0.3j, 0.7 - 0.2j), (1j, 1j), (1 + 1e-300j, 1e300 + 1e-300j), (True, 1j)]:
    print(x + y, x - y, x * y, x / y, x ** y)
print(2j * 2j, (1 + 2j) ** 2, (1 + 2j) ** -3, (1 + 2j) ** 0.5, (1 + 2j) ** 100, 1j ** 101,
      2 ** (1 + 1j), 0j ** 0, 0j ** 2, (-8 + 0j) ** (1 / 3), (1e200 + 1e200j) ** 2)
print(-a, +a, abs(a), abs(b), abs(complex(inf, nan)), abs(complex(nan, 1)), abs(0j))
for f in [lambda: a / 0, lambda: 1 / 0j, lambda: 0j ** -1, lambda: 0j ** 1j, lambda: a ** 1e10,
          lambda: (1 + 2j) ** complex(inf, 1), lambda: abs(1.7e308 + 1.7e308j), lambda: a // 2,
          lambda: a % 2, lambda: divmod(a, 2), lambda: 2 // a, lambda: a < 1, lambda: 1 >= a,
          lambda: a > b, lambda: ~a, lambda: int(a), lambda: float(a), lambda: round(a),
          lambda: pow(a, 2, 3),
          lambda: 10**400 + 1j, lambda: a + "x", lambda: a & 1]:
    show(f)
print(1 + 0j == 1, 1 == 1 + 0j, 1.5 + 0j == 1.5, 1j == 1, 1j != 1j, 2**53 + 1 == complex(2**53),
      complex(nan) == complex(nan), 1j == "1j", 1j in [1j], 1 in {1 + 0j}, a == (3 + 4j))
print(hash(1 + 0j) == hash(1), hash(1.5 + 0j) == hash(1.5), hash(2j), hash(-1 + 0j), hash(a),
      hash(complex(-1, 1)), hash(complex(inf, -inf)), {1: "x"}[1 + 0j])
x = 1 + 1j
x += 1
x *= 2j
x /= 2
x **= 2
print(x, isinstance(x, complex), isinstance(1, complex), gc.is_tracked(1j), complex.__name__)
print(format(1 + 2j), format(1 + 2j, ".2f"), format(-1.5j, "g"), format(1j, ""), f"{2 - 3j:>12}",
      f"{1e20 + 1j:.3e}", f"{0.5j:+}", f"{1 + 2j:*^16.1f}", f"{a:,.1f}")
for spec in ["05", "=10", "%", "d"]:
    show(lambda: format(a, spec))
for args in [(a, 2, 3), (1.5, 2, 3j), (2, 1j, 1.5), (2, 1.5, 1j), ("x", 2, 1j)]:
    show(lambda: pow(*args))
show(lambda: a.__pow__(2, 3))
print(a.__add__(1), a.__radd__(1), a.__mul__("x"), a.__eq__(3 + 4j), a.__getnewargs__(),
      a.__complex__() is a, (1j).__abs__(), hasattr(a, "__floordiv__"), hasattr(a, "__lt__"))
