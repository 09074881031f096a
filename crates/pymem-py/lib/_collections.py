"""The parts of `collections` that CPython writes in C (its `_collections`): deque,
defaultdict, OrderedDict. pymem's are Python, and tracebacks leave out their frames, as
CPython's have none."""

_recursive = set()


def _guarded_repr(obj, make, inner='...'):
    """`make()`, or `inner` when `obj`'s repr is already being made (a container in
    itself)."""
    key = id(obj)
    if key in _recursive:
        return inner
    _recursive.add(key)
    try:
        return make()
    finally:
        _recursive.discard(key)


class deque:
    """A double-ended queue: the item at each position between `_head` and `_tail` is the
    instance attribute named by the position (`'-1'`, `'0'`…), so that both ends take O(1)
    and a deque is one object for the collector, as CPython's is (not a deque and a dict)."""
    __module__ = 'collections'
    __slots__ = ('_head', '_tail', '_maxlen', '__dict__', '__weakref__')

    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None:
            if type(maxlen) is not int:
                raise TypeError(f"'{type(maxlen).__name__}' object cannot be interpreted as an integer")
            if maxlen < 0:
                raise ValueError('maxlen must be non-negative')
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
        setattr(self, str(self._tail), x)
        self._tail += 1
        if self._maxlen is not None and len(self) > self._maxlen:
            self.popleft()

    def appendleft(self, x):
        if self._maxlen == 0:
            return
        self._head -= 1
        setattr(self, str(self._head), x)
        if self._maxlen is not None and len(self) > self._maxlen:
            self.pop()

    def pop(self):
        if self._tail == self._head:
            raise IndexError('pop from an empty deque')
        self._tail -= 1
        return self._take(self._tail)

    def popleft(self):
        if self._tail == self._head:
            raise IndexError('pop from an empty deque')
        x = self._take(self._head)
        self._head += 1
        return x

    def _take(self, position):
        key = str(position)
        x = getattr(self, key)
        delattr(self, key)
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
        # Left to right, as CPython releases them (the dict's order is insertion order).
        while self._tail != self._head:
            self.popleft()
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
            y = getattr(self, str(self._head + i))
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
        return getattr(self, str(self._position(i)))

    def __setitem__(self, i, x):
        setattr(self, str(self._position(i)), x)

    def _items(self, positions):
        ends = self._head, self._tail
        for i in positions:
            if (self._head, self._tail) != ends:
                raise RuntimeError('deque mutated during iteration')
            yield getattr(self, str(i))

    def __iter__(self):
        return self._items(range(self._head, self._tail))

    def __reversed__(self):
        return self._items(range(self._tail - 1, self._head - 1, -1))

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

    def __imul__(self, n):
        items = list(self)
        self.clear()
        for _ in range(n):
            self.extend(items)
        return self

    def __mul__(self, n):
        return self.copy().__imul__(n)

    __rmul__ = __mul__

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
        return _guarded_repr(self, make, '[...]')


class defaultdict(dict):
    """A dict whose missing keys get `default_factory()`."""
    __module__ = 'collections'

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
    __module__ = 'collections'

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


# A namedtuple's field: item `index` of the instance, read-only. (No class docstring:
# `__doc__` is a slot, each field's own.)
class _tuplegetter:
    __slots__ = ('_index', '__doc__')
    __module__ = 'collections'

    def __init__(self, index, doc):
        self._index = index
        self.__doc__ = doc

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance[self._index]

    def __set__(self, instance, value):
        raise AttributeError("can't set attribute")

    def __delete__(self, instance):
        raise AttributeError("can't delete attribute")

    def __repr__(self):
        return f'{type(self).__name__}({self._index}, {self.__doc__!r})'
