# Errors of itertools, functools and collections: CPython's exception types and messages; namedtuple edge cases and subclasses.
from collections import namedtuple, deque, OrderedDict, Counter, defaultdict
from functools import partial, lru_cache, reduce
import itertools
E = namedtuple('E', '')
print(E(), E._fields, len(E()))
One = namedtuple('One', 'a')
print(One(1), One.__new__.__doc__, One.__doc__)
for bad in [lambda: namedtuple('1x', 'a'), lambda: namedtuple('X', 'class'), lambda: namedtuple('X', '_a'),
            lambda: namedtuple('X', 'a b', defaults=[1, 2, 3]), lambda: One(1, 2), lambda: One(b=1),
            lambda: One._make([1, 2]), lambda: deque(maxlen=-1), lambda: deque([1])[5], lambda: deque().popleft(),
            lambda: defaultdict(5), lambda: OrderedDict().popitem(), lambda: partial(), lambda: partial(5),
            lambda: lru_cache('x'), lambda: reduce(), lambda: itertools.islice([], 'a'), lambda: itertools.count('a').__next__(),
            lambda: Counter.fromkeys('ab'), lambda: itertools.chain(5).__next__(), lambda: list(itertools.starmap(pow, [1]))]:
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__, e)
class Sub(One):
    def total(self):
        return self.a * 2
print(Sub(4), Sub(4).total(), isinstance(Sub(4), One))
d = deque(range(5)); d[1] = 'x'; d.remove(3); print(d, d.count('x'), d.copy(), d * 2, 2 * deque('ab'))
