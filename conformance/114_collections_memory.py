# Memory behaviour of collections, functools and contextlib objects: references held, __del__ timing, gc tracking.
import gc
import sys
from collections import deque, defaultdict, OrderedDict, namedtuple, Counter
from functools import lru_cache, partial
from contextlib import contextmanager, ExitStack


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print('  __del__', self.name)


x = Noisy('x')
print('refcount of x:', sys.getrefcount(x))
d = deque([x, x])
print('in a deque twice:', sys.getrefcount(x))
d.pop()
print('after pop:', sys.getrefcount(x))
d.clear()
print('after clear:', sys.getrefcount(x))
del x

print('a bounded deque drops its oldest item at once:')
d = deque(maxlen=2)
for name in 'abc':
    d.append(Noisy(name))
    print('  appended', name)
print('popleft and discard:')
d.popleft()
print('clear releases left to right:')
d.appendleft(Noisy('left'))
d.clear()
print('deque, defaultdict, OrderedDict, Counter tracked:', gc.is_tracked(deque()),
      gc.is_tracked(defaultdict(list)), gc.is_tracked(OrderedDict()), gc.is_tracked(Counter()))

print('a defaultdict value dies with its key:')
dd = defaultdict(lambda: Noisy('default'))
dd['k']
del dd['k']
print('a namedtuple holds its fields:')
P = namedtuple('P', 'a b')
y = Noisy('y')
p = P(y, 1)
print('  refcount of y:', sys.getrefcount(y))
del y
del p
print('  (after del p)')


@lru_cache(maxsize=None)
def ident(obj):
    return 1


print('lru_cache keeps its arguments alive:')
ident(Noisy('arg'))
print('  after the call')
ident.cache_clear()
print('  after cache_clear')

print('a partial holds its arguments:')
z = Noisy('z')
pz = partial(print, z)
print('  refcount of z:', sys.getrefcount(z))
del z
del pz
print('  (after del pz)')


@contextmanager
def resource(name):
    print('  acquire', name)
    try:
        yield name
    finally:
        print('  release', name)


print('contextmanager cleanup:')
with resource('r1'):
    print('  body')
cm = resource('r2')
cm.__enter__()
print('  entered, dropping the manager without __exit__')
del cm
print('  (after del cm)')
print('ExitStack releases its callbacks after close:')
with ExitStack() as stack:
    stack.callback(lambda obj: print('  callback with', obj.name), Noisy('cb'))
print('  (after with)')
print('collected:', gc.collect())


class Node:
    pass


print('cycles through them, and what gc.collect() counts:')
d = deque(); n = Node(); n.d = d; d.append(n); del d, n
print('  deque <-> instance:', gc.collect())
dd = defaultdict(list); dd['me'] = dd; del dd
print('  defaultdict in itself:', gc.collect())
od = OrderedDict(); od['me'] = od; del od
print('  OrderedDict in itself:', gc.collect())
items = []; p = P(items, 0); items.append(p); del items, p
print('  namedtuple <-> list:', gc.collect())
