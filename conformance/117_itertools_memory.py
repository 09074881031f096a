# When items held by itertools, functools and collections objects die: lru_cache eviction, tee's shared buffer, chain, groupby, reduce over a temporary; references partial, deque and Counter hold.
import sys, gc
from functools import lru_cache, partial, reduce
from itertools import tee, islice, chain, groupby, product, permutations
from collections import deque, Counter, namedtuple
class N:
    def __init__(self, n): self.n = n
    def __del__(self): print('  del', self.n)
    def __repr__(self): return f'N({self.n})'
@lru_cache(maxsize=2)
def keep(x):
    return x.n
for i in range(4):
    keep(N(i)); print('called', i)
print(keep.cache_info())
a, b = tee(N(i) for i in range(3))
print(next(a)); print('a took one')
print(next(b)); print('b took one')
del a, b
print('tees gone')
it = chain([N('c1')], [N('c2')])
print(next(it)); print('after next')
del it
print('chain gone')
groups = groupby([N('g1'), N('g2')], key=lambda n: 1)
k, g = next(groups)
print(k); del g; print('group dropped')
del groups
print('groupby gone')
r = reduce(lambda acc, n: acc + [n.n], [N('r1'), N('r2')], [])
print(r)
x = N('x')
print(sys.getrefcount(x))
p = partial(print, x)
q = partial(p, 1)
print(sys.getrefcount(x))
del p, q
print(sys.getrefcount(x))
d = deque([x] * 3)
d.rotate(1)
print(sys.getrefcount(x))
del d
print(sys.getrefcount(x))
c = Counter([x, x])
print(sys.getrefcount(x), c[x])
del c, x
print('end')
print('product is lazy:', next(product(range(10 ** 6), repeat=4)))
p = permutations([N('p1'), N('p2')])
print(next(p))
del p
print('permutations gone')
import contextlib
import functools
import itertools
tracked = [itertools.count(), itertools.repeat(1), itertools.chain(), itertools.islice([], 1),
           itertools.tee([])[0], functools.partial(print), namedtuple('Q', 'a')(1),
           contextlib.nullcontext(), contextlib.ExitStack()]
print('tracked:', [(type(o).__name__, gc.is_tracked(o)) for o in tracked])
