# collections: deque, defaultdict, OrderedDict, namedtuple, Counter.
from collections import deque, defaultdict, OrderedDict, namedtuple, Counter
d = deque([1, 2, 3], maxlen=3)
print(d, d.maxlen, len(d))
d.append(4); print(d)
d.appendleft(0); print(d)
print(d.pop(), d.popleft(), d)
d = deque('abc'); d.extend('de'); d.extendleft('yz'); print(d)
d.rotate(2); print(d); d.rotate(-3); print(d)
print(d.index('c'), 'c' in d, 'q' in d, d[0], d[-1], list(reversed(d)))
d.clear(); print(d, bool(d), deque(), deque(maxlen=2))
try:
    d.pop()
except IndexError as e:
    print('IndexError', e)
try:
    deque([1]).index(5)
except ValueError as e:
    print('ValueError', e)
print(deque([1, 2]) == deque([1, 2]), deque(range(3)) + deque([9]))
dd = defaultdict(list)
dd['a'].append(1)
print(dd, isinstance(dd, dict), dd.default_factory, len(dd))
c = defaultdict(int); 
for ch in 'hello':
    c[ch] += 1
print(c, c['zz'], dict(c))
n = defaultdict(); print(n)
try:
    n['x']
except KeyError as e:
    print('KeyError', e)
print('x' in defaultdict(int), defaultdict(int).get('x'))
od = OrderedDict(a=1, b=2, c=3)
print(od, OrderedDict())
od.move_to_end('a'); print(od)
od.move_to_end('c', last=False); print(od)
print(od.popitem(), od.popitem(last=False), od)
print(OrderedDict(a=1, b=2) == OrderedDict(b=2, a=1), OrderedDict(a=1, b=2) == {'b': 2, 'a': 1})
Point = namedtuple('Point', ['x', 'y'])
p = Point(1, y=2)
print(p, p.x, p[1], isinstance(p, tuple), p == (1, 2), Point._fields, len(p))
print(p._replace(x=5), p._asdict(), Point._make([3, 4]), Point)
x, y = p; print(x + y, hash(p) == hash((1, 2)), tuple(p))
P3 = namedtuple('P3', 'a b c', defaults=[0, 9])
print(P3(1), P3(1, 2), P3._field_defaults, P3.__doc__)
R = namedtuple('R', 'abc def _x abc', rename=True); print(R._fields)
try:
    Point(1)
except TypeError as e:
    print('TypeError', e)
try:
    namedtuple('Bad', 'a a')
except ValueError as e:
    print('ValueError', e)
try:
    p._replace(z=1)
except (TypeError, ValueError) as e:
    print(type(e).__name__, e)
cnt = Counter('abracadabra')
print(cnt, cnt.most_common(2), cnt['z'], Counter())
cnt.update('aaz'); cnt.subtract({'b': 2}); print(cnt)
print(sorted(Counter(a=2, b=1).elements()), Counter(a=3) + Counter(a=1, b=2), Counter(a=3) - Counter(a=1, b=2))
print(Counter(a=3, b=1) | Counter(a=1, b=2), Counter(a=3, b=1) & Counter(a=1, b=2), Counter(a=1, b=-2).total())
print(isinstance(cnt, dict), Counter(a=1) == {'a': 1})
d = deque([1]); d.append(d); print(d)
print(Point.x, OrderedDict.fromkeys('ab'), list(reversed(OrderedDict.fromkeys('ab'))))
try:
    p.x = 5
except AttributeError as e:
    print('AttributeError', e)
print(type(deque()), defaultdict, Counter, type(p).__mro__[1:])
print(Counter(a=1, b=0) == Counter(a=1), Counter(a=1) <= Counter(a=2, b=1), Counter(a=3) < Counter(a=3), Counter(a=1) == {'a': 1}, Counter(a=2) >= Counter(a=1), Counter(a=1) != Counter(a=2))
