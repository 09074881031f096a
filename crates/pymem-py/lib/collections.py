"""Container datatypes: deque, defaultdict, OrderedDict, namedtuple, Counter (pymem's,
written in Python)."""

import sys as _sys

_recursive = set()


def _guarded_repr(obj, make):
    """`make()`, or '...' when `obj`'s repr is already being made (a container in itself)."""
    key = id(obj)
    if key in _recursive:
        return '...'
    _recursive.add(key)
    try:
        return make()
    finally:
        _recursive.discard(key)


class deque:
    """A double-ended queue: a dict from position to item between `_head` and `_tail`, so
    that both ends take O(1)."""
    __slots__ = ('_items', '_head', '_tail', '_maxlen', '__weakref__')

    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None:
            if type(maxlen) is not int:
                raise TypeError(f"'{type(maxlen).__name__}' object cannot be interpreted as an integer")
            if maxlen < 0:
                raise ValueError('maxlen must be non-negative')
        self._items = {}
        self._head = self._tail = 0
        self._maxlen = maxlen
        self.extend(iterable)

    @property
    def maxlen(self):
        return self._maxlen

    def __len__(self):
        return self._tail - self._head

    def __bool__(self):
        return self._tail != self._head

    def append(self, x):
        if self._maxlen == 0:
            return
        self._items[self._tail] = x
        self._tail += 1
        if self._maxlen is not None and len(self) > self._maxlen:
            self.popleft()

    def appendleft(self, x):
        if self._maxlen == 0:
            return
        self._head -= 1
        self._items[self._head] = x
        if self._maxlen is not None and len(self) > self._maxlen:
            self.pop()

    def pop(self):
        if self._tail == self._head:
            raise IndexError('pop from an empty deque')
        self._tail -= 1
        return self._items.pop(self._tail)

    def popleft(self):
        if self._tail == self._head:
            raise IndexError('pop from an empty deque')
        x = self._items.pop(self._head)
        self._head += 1
        return x

    def extend(self, iterable):
        if iterable is self:
            iterable = list(iterable)
        for x in iterable:
            self.append(x)

    def extendleft(self, iterable):
        if iterable is self:
            iterable = list(iterable)
        for x in iterable:
            self.appendleft(x)

    def rotate(self, n=1):
        size = len(self)
        if not size:
            return
        n %= size
        for _ in range(n):
            self.appendleft(self.pop())

    def clear(self):
        self._items.clear()
        self._head = self._tail = 0

    def copy(self):
        return deque(self, self._maxlen)

    __copy__ = copy

    def count(self, x):
        return sum(1 for y in self if y is x or y == x)

    def index(self, x, start=0, stop=None):
        size = len(self)
        start, stop, _ = slice(start, stop).indices(size)
        for i in range(start, stop):
            y = self._items[self._head + i]
            if y is x or y == x:
                return i
        raise ValueError(f'{x!r} is not in deque')

    def remove(self, value):
        i = self.index(value)
        self.rotate(-i)
        self.popleft()
        self.rotate(i)

    def reverse(self):
        items = list(self)
        self.clear()
        self.extendleft(items)

    def _position(self, i):
        if type(i) is not int:
            raise TypeError('sequence index must be integer, not '
                            f"'{type(i).__name__}'")
        size = len(self)
        if i < 0:
            i += size
        if not 0 <= i < size:
            raise IndexError('deque index out of range')
        return self._head + i

    def __getitem__(self, i):
        return self._items[self._position(i)]

    def __setitem__(self, i, x):
        self._items[self._position(i)] = x

    def __iter__(self):
        items = self._items
        for i in range(self._head, self._tail):
            yield items[i]

    def __reversed__(self):
        items = self._items
        for i in range(self._tail - 1, self._head - 1, -1):
            yield items[i]

    def __contains__(self, x):
        return any(y is x or y == x for y in self)

    def __eq__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None

    def __iadd__(self, other):
        self.extend(other)
        return self

    def __add__(self, other):
        if not isinstance(other, deque):
            raise TypeError(f'can only concatenate deque (not "{type(other).__name__}") to deque')
        d = self.copy()
        d.extend(other)
        return d

    def __repr__(self):
        def make():
            body = repr(list(self))
            name = type(self).__name__
            if self._maxlen is None:
                return f'{name}({body})'
            return f'{name}({body}, maxlen={self._maxlen})'
        return _guarded_repr(self, make)


class defaultdict(dict):
    """A dict whose missing keys get `default_factory()`."""

    def __init__(self, default_factory=None, *args, **kwargs):
        if default_factory is not None and not callable(default_factory):
            raise TypeError('first argument must be callable or None')
        super().__init__(*args, **kwargs)
        self.default_factory = default_factory

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        self[key] = value = self.default_factory()
        return value

    def copy(self):
        return type(self)(self.default_factory, self)

    __copy__ = copy

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        new = self.copy()
        new.update(other)
        return new

    def __repr__(self):
        return _guarded_repr(self, lambda: (
            f'{type(self).__name__}({self.default_factory!r}, {dict.__repr__(self)})'))


class OrderedDict(dict):
    """A dict that remembers insertion order, as every dict does; this one also moves keys
    and compares in order."""

    def move_to_end(self, key, last=True):
        value = dict.pop(self, key)
        if last:
            dict.__setitem__(self, key, value)
            return
        rest = list(dict.items(self))
        dict.clear(self)
        dict.__setitem__(self, key, value)
        for k, v in rest:
            dict.__setitem__(self, k, v)

    def popitem(self, last=True):
        if not self:
            raise KeyError('dictionary is empty')
        key = next(reversed(self.keys())) if last else next(iter(self))
        return key, dict.pop(self, key)

    def __reversed__(self):
        return reversed(list(self.keys()))

    def copy(self):
        return type(self)(self)

    __copy__ = copy

    def __eq__(self, other):
        if isinstance(other, OrderedDict):
            return dict.__eq__(self, other) and list(self) == list(other)
        return dict.__eq__(self, other)

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    __hash__ = None

    def __repr__(self):
        if not self:
            return f'{type(self).__name__}()'
        return _guarded_repr(self, lambda: f'{type(self).__name__}({dict.__repr__(self)})')


def _tuplegetter(index, doc):
    return property(lambda self: self[index], doc=doc)


def _check_names(typename, field_names, rename):
    names = [str(n) for n in field_names]
    seen = set()
    if rename:
        for i, name in enumerate(names):
            if (not name.isidentifier() or _iskeyword(name) or name.startswith('_')
                    or name in seen):
                names[i] = f'_{i}'
            seen.add(names[i])
        seen = set()
    for name in [typename] + names:
        if type(name) is not str:
            raise TypeError('Type names and field names must be strings')
        if not name.isidentifier():
            raise ValueError('Type names and field names must be valid '
                             f'identifiers: {name!r}')
        if _iskeyword(name):
            raise ValueError('Type names and field names cannot be a '
                             f'keyword: {name!r}')
    for name in names:
        if name.startswith('_') and not rename:
            raise ValueError('Field names cannot start with an underscore: '
                             f'{name!r}')
        if name in seen:
            raise ValueError(f'Encountered duplicate field name: {name!r}')
        seen.add(name)
    return tuple(names)


_KEYWORDS = frozenset((
    'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
    'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global',
    'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
    'return', 'try', 'while', 'with', 'yield'))


def _iskeyword(name):
    return name in _KEYWORDS


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    """A tuple subclass `typename` whose items are also the attributes `field_names`."""
    if isinstance(field_names, str):
        field_names = field_names.replace(',', ' ').split()
    typename = _sys.intern(str(typename))
    fields = _check_names(typename, field_names, rename)
    if defaults is not None:
        defaults = tuple(defaults)
        if len(defaults) > len(fields):
            raise TypeError('Got more default values than field names')
    arglist = ', '.join(fields)
    if len(fields) == 1:
        arglist += ','
    ns = {'_tuple_new': tuple.__new__, '__builtins__': {}, '__name__': f'namedtuple_{typename}'}
    exec(f'def __new__(_cls, {arglist}): return _tuple_new(_cls, ({arglist}))', ns)
    __new__ = ns['__new__']
    __new__.__doc__ = f'Create new instance of {typename}({arglist})'
    if defaults:
        __new__.__defaults__ = defaults
    field_defaults = dict(zip(fields[len(fields) - len(defaults or ()):], defaults or ()))
    size = len(fields)

    @classmethod
    def _make(cls, iterable):
        result = tuple.__new__(cls, iterable)
        if len(result) != size:
            raise TypeError(f'Expected {size} arguments, got {len(result)}')
        return result

    def _replace(self, /, **kwds):
        result = self._make([kwds.pop(f, v) for f, v in zip(fields, self)])
        if kwds:
            raise TypeError(f'Got unexpected field names: {list(kwds)!r}')
        return result

    def __repr__(self):
        body = ', '.join(f'{f}={v!r}' for f, v in zip(fields, self))
        return f'{type(self).__name__}({body})'

    def _asdict(self):
        return dict(zip(self._fields, self))

    def __getnewargs__(self):
        return tuple(self)

    body = {
        '__doc__': f'{typename}({arglist})', '__slots__': (), '_fields': fields,
        '_field_defaults': field_defaults, '__new__': __new__, '_make': _make,
        '_replace': _replace, '__repr__': __repr__, '_asdict': _asdict,
        '__getnewargs__': __getnewargs__, '__match_args__': fields,
    }
    for i, name in enumerate(fields):
        body[name] = _tuplegetter(i, f'Alias for field number {i}')
    for f in (_replace, __repr__, _asdict, __getnewargs__):
        f.__qualname__ = f'{typename}.{f.__name__}'
    __new__.__qualname__ = f'{typename}.__new__'
    cls = type(typename, (tuple,), body)
    cls.__module__ = '__main__' if module is None else module
    return cls


class Counter(dict):
    """A dict from items to their counts."""

    def __init__(self, iterable=None, /, **kwds):
        super().__init__()
        self.update(iterable, **kwds)

    def __missing__(self, key):
        return 0

    def total(self):
        return sum(self.values())

    def most_common(self, n=None):
        items = sorted(self.items(), key=lambda kv: kv[1], reverse=True)
        return items if n is None else items[:n]

    def elements(self):
        for elem, count in self.items():
            for _ in range(count):
                yield elem

    @classmethod
    def fromkeys(cls, iterable, v=None):
        raise NotImplementedError(
            'Counter.fromkeys() is undefined.  Use Counter(iterable) instead.')

    def update(self, iterable=None, /, **kwds):
        if iterable is not None:
            if isinstance(iterable, dict):
                for elem, count in iterable.items():
                    self[elem] = count + self[elem]
            else:
                for elem in iterable:
                    self[elem] += 1
        if kwds:
            self.update(kwds)

    def subtract(self, iterable=None, /, **kwds):
        if iterable is not None:
            if isinstance(iterable, dict):
                for elem, count in iterable.items():
                    self[elem] = self[elem] - count
            else:
                for elem in iterable:
                    self[elem] -= 1
        if kwds:
            self.subtract(kwds)

    def copy(self):
        return type(self)(self)

    def __delitem__(self, elem):
        if elem in self:
            super().__delitem__(elem)

    def __repr__(self):
        if not self:
            return f'{type(self).__name__}()'
        return _guarded_repr(self, lambda: f'{type(self).__name__}({dict(self.most_common())!r})')

    def _keep(self, pairs):
        result = Counter()
        for elem, count in pairs:
            if count > 0:
                result[elem] = count
        return result

    def __add__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self._keep([(e, c + other[e]) for e, c in self.items()]
                          + [(e, c) for e, c in other.items() if e not in self])

    def __sub__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self._keep([(e, c - other[e]) for e, c in self.items()]
                          + [(e, -c) for e, c in other.items() if e not in self])

    def __or__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self._keep([(e, max(c, other[e])) for e, c in self.items()]
                          + [(e, c) for e, c in other.items() if e not in self])

    def __and__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self._keep([(e, min(c, other[e])) for e, c in self.items()])

    def __pos__(self):
        return self._keep(self.items())

    def __neg__(self):
        return self._keep([(e, -c) for e, c in self.items()])
