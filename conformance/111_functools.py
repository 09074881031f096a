# functools: reduce, partial, wraps, lru_cache, cache, cached_property, total_ordering, cmp_to_key.
import functools
from functools import reduce, partial, wraps, lru_cache, cache, cached_property, total_ordering, cmp_to_key
print(reduce(lambda a, b: a + b, [1, 2, 3, 4]), reduce(lambda a, b: a * b, [], 7))
try:
    reduce(lambda a, b: a, [])
except TypeError as e:
    print('TypeError', e)
def f(a, b, c=0, *, d=1):
    return (a, b, c, d)
p = partial(f, 1, d=5)
print(p(2), p(2, 3, d=9), p.args, p.keywords, p.func is f)
p2 = partial(p, 7); print(p2(), p2.args, p2.func is f)
print(repr(partial(int, base=2))[:17])
print(partial(int, base=2)('101'))
def deco(fn):
    @wraps(fn)
    def inner(*a, **k):
        """inner doc"""
        return fn(*a, **k)
    return inner
@deco
def hello(x):
    """Say hello."""
    return 'hello ' + x
hello.extra = 1
print(hello('w'), hello.__name__, hello.__doc__, hello.__qualname__, hello.__wrapped__.__name__)
@lru_cache(maxsize=2)
def sq(n):
    print('computing', n)
    return n * n
print(sq(2), sq(2), sq(3), sq(4), sq(2))
print(sq.cache_info())
sq.cache_clear(); print(sq.cache_info(), sq.__name__)
@lru_cache
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(50), fib.cache_info())
@cache
def c1(a, b=1):
    return a + b
print(c1(1), c1(1), c1(1, b=1), c1.cache_info())
print(type(c1.cache_info()).__name__, c1.cache_info().hits)
class A:
    def __init__(self):
        self.n = 0
    @cached_property
    def val(self):
        self.n += 1
        print('computing val')
        return 42
a = A(); print(a.val, a.val, a.n, 'val' in vars(a))
del a.val; print(a.val, a.n)
@total_ordering
class V:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o.v
    def __lt__(self, o):
        return self.v < o.v
print(V(1) < V(2), V(1) > V(2), V(1) <= V(1), V(2) >= V(3), V(2) > V(1))
try:
    @total_ordering
    class N:
        pass
except ValueError as e:
    print('ValueError', e)
print(sorted([3, 1, 2], key=cmp_to_key(lambda a, b: b - a)))
print(sorted(['bb', 'a', 'ccc'], key=cmp_to_key(lambda a, b: len(a) - len(b))))
class M:
    @lru_cache(maxsize=None)
    def m(self, x):
        return x * 2
m = M(); print(m.m(3), m.m(3), M.m.cache_info())
@lru_cache(maxsize=None)
def depth(n):
    return n if n < 2 else depth(n - 1) + 1
print('recursion through lru_cache:', depth(900))
