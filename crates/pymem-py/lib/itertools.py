"""Functional tools for creating and using iterators (pymem's, written in Python).

Each iterator is a class named as CPython's, whose instances step a generator kept in
`_it`: `type(chain())` is `itertools.chain` as on CPython.
"""


class _Iter:
    __slots__ = ('_it',)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)


class count(_Iter):
    __slots__ = ('_n', '_step')

    def __init__(self, start=0, step=1):
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


def _cycle(iterable):
    saved = []
    for x in iterable:
        yield x
        saved.append(x)
    while saved:
        yield from saved


class cycle(_Iter):
    __slots__ = ()

    def __init__(self, iterable):
        self._it = _cycle(iter(iterable))


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


def _chain(iterables):
    for it in iterables:
        yield from it


class chain(_Iter):
    __slots__ = ()

    def __init__(self, *iterables):
        self._it = _chain(iterables)

    @classmethod
    def from_iterable(cls, iterable):
        c = cls.__new__(cls)
        c._it = _chain(iter(iterable))
        return c


def _islice(it, start, stop, step):
    i = 0
    nxt = start
    for x in it:
        if stop is not None and i >= stop:
            return
        if i == nxt:
            yield x
            nxt += step
        i += 1
        if stop is not None and i >= stop:
            return


_ISLICE_MSG = ('Indices for islice() must be None or an integer: '
               '0 <= x <= sys.maxsize.')


def _islice_arg(x, msg):
    if x is None:
        return None
    if type(x) is not int or x < 0:
        raise ValueError(msg)
    return x


class islice(_Iter):
    __slots__ = ()

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
        self._it = _islice(iter(iterable), start, stop, step or 1)


def _accumulate(it, func, initial):
    total = initial
    if total is None:
        for total in it:
            yield total
            break
        else:
            return
    else:
        yield total
    for x in it:
        total = total + x if func is None else func(total, x)
        yield total


class accumulate(_Iter):
    __slots__ = ()

    def __init__(self, iterable, func=None, *, initial=None):
        self._it = _accumulate(iter(iterable), func, initial)


def _product(pools):
    result = [()]
    for pool in pools:
        result = [x + (y,) for x in result for y in pool]
    for prod in result:
        yield prod


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


def _zip_longest(its, fillvalue):
    active = len(its)
    if not active:
        return
    while True:
        values = []
        for i, it in enumerate(its):
            try:
                values.append(next(it))
            except StopIteration:
                active -= 1
                if not active:
                    return
                its[i] = repeat(fillvalue)
                values.append(fillvalue)
        yield tuple(values)


class zip_longest(_Iter):
    __slots__ = ()

    def __init__(self, *iterables, fillvalue=None):
        self._it = _zip_longest([iter(x) for x in iterables], fillvalue)


def _starmap(function, it):
    for args in it:
        yield function(*args)


class starmap(_Iter):
    __slots__ = ()

    def __init__(self, function, iterable):
        self._it = _starmap(function, iter(iterable))


def _takewhile(predicate, it):
    for x in it:
        if not predicate(x):
            return
        yield x


class takewhile(_Iter):
    __slots__ = ()

    def __init__(self, predicate, iterable):
        self._it = _takewhile(predicate, iter(iterable))


def _dropwhile(predicate, it):
    for x in it:
        if not predicate(x):
            yield x
            break
    yield from it


class dropwhile(_Iter):
    __slots__ = ()

    def __init__(self, predicate, iterable):
        self._it = _dropwhile(predicate, iter(iterable))


def _filterfalse(predicate, it):
    for x in it:
        if not (bool(x) if predicate is None else predicate(x)):
            yield x


class filterfalse(_Iter):
    __slots__ = ()

    def __init__(self, function, iterable):
        self._it = _filterfalse(function, iter(iterable))


def _compress(data, selectors):
    for d, s in zip(data, selectors):
        if s:
            yield d


class compress(_Iter):
    __slots__ = ()

    def __init__(self, data, selectors):
        self._it = _compress(iter(data), iter(selectors))


class _tee(_Iter):
    """One of the iterators `tee` returns: each has a queue of the values the others
    have read from the shared source and it has not."""
    __slots__ = ('_src', '_mine', '_all')

    def __next__(self):
        if self._mine:
            return self._mine.pop(0)
        value = next(self._src)
        for q in self._all:
            if q is not self._mine:
                q.append(value)
        return value


def tee(iterable, n=2):
    if type(n) is not int:
        raise TypeError(f"'{type(n).__name__}' object cannot be interpreted as an integer")
    if n < 0:
        raise ValueError('n must be >= 0')
    src = iter(iterable)
    queues = [[] for _ in range(n)]
    out = []
    for q in queues:
        t = _tee.__new__(_tee)
        t._src, t._mine, t._all = src, q, queues
        out.append(t)
    return tuple(out)


def _pairwise(it):
    for a in it:
        break
    else:
        return
    for b in it:
        yield a, b
        a = b


class pairwise(_Iter):
    __slots__ = ()

    def __init__(self, iterable):
        self._it = _pairwise(iter(iterable))


def _batched(it, n):
    while batch := tuple(islice(it, n)):
        yield batch


class batched(_Iter):
    __slots__ = ()

    def __init__(self, iterable, n):
        if type(n) is not int:
            raise TypeError(f"'{type(n).__name__}' object cannot be interpreted as an integer")
        if n < 1:
            raise ValueError('n must be at least one')
        self._it = _batched(iter(iterable), n)
