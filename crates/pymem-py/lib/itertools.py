"""Functional tools for creating and using iterators (pymem's, written in Python).

Each iterator is a class named as CPython's (`type(chain())` is `itertools.chain`). Most
do their step in `__next__`, keeping no item once it is returned, as CPython's C versions
do; the combinatoric ones step a generator kept in `_it` (which holds only indices and the
pools, as CPython's do).
"""

_END = object()


class _Iter:
    __slots__ = ('_it',)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)


def _is_number(x):
    """CPython's `PyNumber_Check`: whether `x` converts to a number."""
    t = type(x)
    return hasattr(t, '__index__') or hasattr(t, '__int__') or hasattr(t, '__float__')


class count(_Iter):
    __slots__ = ('_n', '_step')

    def __init__(self, start=0, step=1):
        if not (_is_number(start) and _is_number(step)):
            raise TypeError('a number is required')
        self._n = start
        self._step = step

    def __next__(self):
        n = self._n
        self._n = n + self._step
        return n

    def __repr__(self):
        if self._step == 1 and type(self._step) is int:
            return f'count({self._n!r})'
        return f'count({self._n!r}, {self._step!r})'


class cycle(_Iter):
    __slots__ = ('_src', '_saved', '_i')

    def __init__(self, iterable):
        self._src = iter(iterable)
        self._saved = []
        self._i = 0

    def __next__(self):
        if self._src is not None:
            x = next(self._src, _END)
            if x is not _END:
                self._saved.append(x)
                return x
            self._src = None
        if not self._saved:
            raise StopIteration
        x = self._saved[self._i]
        self._i = (self._i + 1) % len(self._saved)
        return x


class repeat(_Iter):
    __slots__ = ('_obj', '_times')

    def __init__(self, object, times=None):
        self._obj = object
        self._times = None if times is None else max(times, 0)

    def __next__(self):
        if self._times is None:
            return self._obj
        if self._times <= 0:
            raise StopIteration
        self._times -= 1
        return self._obj

    def __length_hint__(self):
        if self._times is None:
            raise TypeError('len() of unsized object')
        return self._times

    def __repr__(self):
        if self._times is None:
            return f'repeat({self._obj!r})'
        return f'repeat({self._obj!r}, {self._times})'


class chain(_Iter):
    __slots__ = ('_sources', '_active')

    def __init__(self, *iterables):
        self._sources = iter(iterables)
        self._active = None

    @classmethod
    def from_iterable(cls, iterable):
        c = cls.__new__(cls)
        c._sources = iter(iterable)
        c._active = None
        return c

    def __next__(self):
        while True:
            if self._active is None:
                self._active = iter(next(self._sources))
            x = next(self._active, _END)
            if x is not _END:
                return x
            self._active = None


_ISLICE_MSG = ('Indices for islice() must be None or an integer: '
               '0 <= x <= sys.maxsize.')


def _islice_arg(x, msg):
    if x is None:
        return None
    if type(x) is not int or x < 0:
        raise ValueError(msg)
    return x


class islice(_Iter):
    __slots__ = ('_src', '_next', '_stop', '_step', '_count')

    def __init__(self, iterable, *args):
        if not 1 <= len(args) <= 3:
            n = len(args) + 1
            if n < 2:
                raise TypeError(f'islice expected at least 2 arguments, got {n}')
            raise TypeError(f'islice expected at most 4 arguments, got {n}')
        if len(args) == 1:
            start, stop, step = None, args[0], None
        else:
            start, stop, step = (args + (None,))[:3]
        stop = _islice_arg(stop, 'Stop argument for islice() must be None or an '
                           'integer: 0 <= x <= sys.maxsize.')
        start = _islice_arg(start, _ISLICE_MSG) or 0
        step = _islice_arg(step, 'Step for islice() must be a positive integer or None.')
        if step == 0:
            raise ValueError('Step for islice() must be a positive integer or None.')
        self._src = iter(iterable)
        self._next, self._stop, self._step, self._count = start, stop, step or 1, 0

    def __next__(self):
        if self._src is None:
            raise StopIteration
        # Items before the next one wanted are read and dropped, even past `stop`.
        while self._count < self._next:
            if next(self._src, _END) is _END:
                return self._exhausted()
            self._count += 1
        if self._stop is not None and self._count >= self._stop:
            return self._exhausted()
        x = next(self._src, _END)
        if x is _END:
            return self._exhausted()
        self._count += 1
        self._next += self._step
        if self._stop is not None and self._next > self._stop:
            self._next = self._stop
        return x

    def _exhausted(self):
        self._src = None
        raise StopIteration


class accumulate(_Iter):
    __slots__ = ('_src', '_func', '_total', '_initial')

    def __init__(self, iterable, func=None, *, initial=None):
        self._src = iter(iterable)
        self._func = func
        self._total = _END
        self._initial = _END if initial is None else initial

    def __next__(self):
        if self._initial is not _END:
            self._total, self._initial = self._initial, _END
            return self._total
        x = next(self._src)
        if self._total is _END:
            self._total = x
        elif self._func is None:
            self._total = self._total + x
        else:
            self._total = self._func(self._total, x)
        return self._total


def _product(pools):
    if not all(pools):
        return
    indices = [0] * len(pools)
    while True:
        yield tuple(pool[i] for pool, i in zip(pools, indices))
        for k in reversed(range(len(pools))):
            indices[k] += 1
            if indices[k] < len(pools[k]):
                break
            indices[k] = 0
        else:
            return


class product(_Iter):
    __slots__ = ()

    def __init__(self, *iterables, repeat=1):
        if repeat < 0:
            raise ValueError('repeat argument cannot be negative')
        pools = [tuple(p) for p in iterables] * repeat
        self._it = _product(pools)


def _permutations(pool, r):
    n = len(pool)
    if r > n:
        return
    indices = list(range(n))
    cycles = list(range(n, n - r, -1))
    yield tuple(pool[i] for i in indices[:r])
    while n:
        for i in reversed(range(r)):
            cycles[i] -= 1
            if cycles[i] == 0:
                indices[i:] = indices[i + 1:] + indices[i:i + 1]
                cycles[i] = n - i
            else:
                j = cycles[i]
                indices[i], indices[-j] = indices[-j], indices[i]
                yield tuple(pool[i] for i in indices[:r])
                break
        else:
            return


def _r_arg(r):
    if type(r) is not int:
        raise TypeError(f"'{type(r).__name__}' object cannot be interpreted as an integer")
    if r < 0:
        raise ValueError('r must be non-negative')
    return r


class permutations(_Iter):
    __slots__ = ()

    def __init__(self, iterable, r=None):
        pool = tuple(iterable)
        r = len(pool) if r is None else _r_arg(r)
        self._it = _permutations(pool, r)


def _combinations(pool, r, replace):
    n = len(pool)
    if not n and r or r > n and not replace:
        return
    indices = [0] * r if replace else list(range(r))
    yield tuple(pool[i] for i in indices)
    while True:
        for i in reversed(range(r)):
            if indices[i] != (n - 1 if replace else i + n - r):
                break
        else:
            return
        if replace:
            indices[i:] = [indices[i] + 1] * (r - i)
        else:
            indices[i] += 1
            for j in range(i + 1, r):
                indices[j] = indices[j - 1] + 1
        yield tuple(pool[i] for i in indices)


class combinations(_Iter):
    __slots__ = ()

    def __init__(self, iterable, r):
        self._it = _combinations(tuple(iterable), _r_arg(r), False)


class combinations_with_replacement(_Iter):
    __slots__ = ()

    def __init__(self, iterable, r):
        self._it = _combinations(tuple(iterable), _r_arg(r), True)


class _grouper(_Iter):
    __slots__ = ()


class groupby(_Iter):
    __slots__ = ('_key', '_src', '_want', '_k', '_v', '_tag')

    def __init__(self, iterable, key=None):
        self._key = key
        self._src = iter(iterable)
        self._want = self._k = self._v = self._tag = object()

    def _advance(self):
        self._v = next(self._src)
        self._k = self._v if self._key is None else self._key(self._v)

    def __next__(self):
        self._tag = tag = object()
        while self._k == self._want:
            self._advance()
        self._want = self._k
        g = _grouper.__new__(_grouper)
        g._it = self._group(self._want, tag)
        return self._k, g

    def _group(self, want, tag):
        while self._tag is tag and self._k == want:
            yield self._v
            try:
                self._advance()
            except StopIteration:
                return


class zip_longest(_Iter):
    __slots__ = ('_its', '_active', '_fill')

    def __init__(self, *iterables, fillvalue=None):
        self._its = [iter(x) for x in iterables]
        self._active = len(self._its)
        self._fill = fillvalue

    def __next__(self):
        if not self._active:
            raise StopIteration
        values = []
        for i, it in enumerate(self._its):
            x = self._fill if it is None else next(it, _END)
            if x is _END:
                self._active -= 1
                if not self._active:
                    raise StopIteration
                self._its[i] = None
                x = self._fill
            values.append(x)
        return tuple(values)


class starmap(_Iter):
    __slots__ = ('_func', '_src')

    def __init__(self, function, iterable):
        self._func = function
        self._src = iter(iterable)

    def __next__(self):
        return self._func(*next(self._src))


class takewhile(_Iter):
    __slots__ = ('_pred', '_src', '_done')

    def __init__(self, predicate, iterable):
        self._pred = predicate
        self._src = iter(iterable)
        self._done = False

    def __next__(self):
        if self._done:
            raise StopIteration
        x = next(self._src)
        if self._pred(x):
            return x
        self._done = True
        raise StopIteration


class dropwhile(_Iter):
    __slots__ = ('_pred', '_src', '_dropped')

    def __init__(self, predicate, iterable):
        self._pred = predicate
        self._src = iter(iterable)
        self._dropped = False

    def __next__(self):
        while not self._dropped:
            x = next(self._src)
            if not self._pred(x):
                self._dropped = True
                return x
        return next(self._src)


class filterfalse(_Iter):
    __slots__ = ('_pred', '_src')

    def __init__(self, function, iterable):
        self._pred = function
        self._src = iter(iterable)

    def __next__(self):
        while True:
            x = next(self._src)
            if not (bool(x) if self._pred is None else self._pred(x)):
                return x


class compress(_Iter):
    __slots__ = ('_data', '_sel')

    def __init__(self, data, selectors):
        self._data = iter(data)
        self._sel = iter(selectors)

    def __next__(self):
        while True:
            d = next(self._data)
            if next(self._sel):
                return d


class _tee_data:
    """A block of up to 57 values read from a `tee`'s source, shared by its iterators: the
    values live until every iterator has left the block, as in CPython's teedataobject."""
    __slots__ = ('src', 'values', 'next')

    def __init__(self, src):
        self.src = src
        self.values = []
        self.next = None


class _tee(_Iter):
    __slots__ = ('_data', '_i', '__weakref__')

    def __next__(self):
        if self._i == 57:
            if self._data.next is None:
                self._data.next = _tee_data(self._data.src)
            self._data = self._data.next
            self._i = 0
        if self._i == len(self._data.values):
            self._data.values.append(next(self._data.src))
        self._i += 1
        return self._data.values[self._i - 1]


def tee(iterable, n=2):
    if type(n) is not int:
        raise TypeError(f"'{type(n).__name__}' object cannot be interpreted as an integer")
    if n < 0:
        raise ValueError('n must be >= 0')
    data = _tee_data(iter(iterable))
    out = []
    for _ in range(n):
        t = _tee.__new__(_tee)
        t._data, t._i = data, 0
        out.append(t)
    return tuple(out)


class pairwise(_Iter):
    __slots__ = ('_src', '_old')

    def __init__(self, iterable):
        self._src = iter(iterable)
        self._old = _END

    def __next__(self):
        if self._old is _END:
            self._old = next(self._src)
        new = next(self._src)
        pair = self._old, new
        self._old = new
        return pair


class batched(_Iter):
    __slots__ = ('_src', '_n')

    def __init__(self, iterable, n):
        if type(n) is not int:
            raise TypeError(f"'{type(n).__name__}' object cannot be interpreted as an integer")
        if n < 1:
            raise ValueError('n must be at least one')
        self._src = iter(iterable)
        self._n = n

    def __next__(self):
        batch = tuple(islice(self._src, self._n))
        if not batch:
            raise StopIteration
        return batch
