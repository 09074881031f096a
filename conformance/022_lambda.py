# lambda: expressions, defaults, closures, as keys, immediately called, in data structures.
sq = lambda x: x * x
print(sq(7), sq.__name__, (lambda: "no args")(), (lambda *a, **k: (a, k))(1, z=2))
add = lambda a, b=10: a + b
print(add(1), add(1, 2), add(b=5, a=1))
ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}
print([ops[o](6, 3) for o in "+-*"])
pairs = [(1, "one"), (3, "three"), (2, "two")]
print(sorted(pairs, key=lambda p: p[1]), max(pairs, key=lambda p: len(p[1])))
compose = lambda f, g: lambda x: f(g(x))
inc_then_sq = compose(sq, lambda x: x + 1)
print(inc_then_sq(3))
adders = [lambda x, n=n: x + n for n in range(3)]
print([a(10) for a in adders])
fact = lambda n: 1 if n <= 1 else n * fact(n - 1)
print(fact(10))
cond = lambda x: "big" if x > 100 else ("mid" if x > 10 else "small")
print(cond(5), cond(50), cond(500))
print(list(map(lambda s: s[::-1], ["abc", "de"])), list(filter(lambda v: v, [0, 2, "", "k"])))
curry = lambda a: lambda b: lambda c: a * 100 + b * 10 + c
print(curry(1)(2)(3))
def make_multiplier(k):
    return lambda x: x * k
double, triple = make_multiplier(2), make_multiplier(3)
print(double(21), triple("ab"))
print((lambda x, /, y, *, z: (x, y, z))(1, y=2, z=3))
print(type(sq).__name__, callable(sq), sq.__code__.co_argcount)
