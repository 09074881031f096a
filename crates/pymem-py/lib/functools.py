"""Higher-order functions and operations on callables (pymem's, written in Python)."""

from collections import namedtuple

WRAPPER_ASSIGNMENTS = ('__module__', '__name__', '__qualname__', '__doc__',
                       '__annotations__', '__type_params__')
WRAPPER_UPDATES = ('__dict__',)

_initial_missing = object()


def reduce(function, iterable, initial=_initial_missing, /):
    it = iter(iterable)
    if initial is _initial_missing:
        for value in it:
            break
        else:
            raise TypeError('reduce() of empty iterable with no initial value')
    else:
        value = initial
    for element in it:
        value = function(value, element)
    return value


class partial:
    """`partial(func, *args, **keywords)`: `func` with some arguments given already."""
    __slots__ = ('func', 'args', 'keywords', '__dict__', '__weakref__')

    def __new__(cls, func, /, *args, **keywords):
        if not callable(func):
            raise TypeError('the first argument must be callable')
        if isinstance(func, partial):
            args = func.args + args
            keywords = {**func.keywords, **keywords}
            func = func.func
        self = super().__new__(cls)
        self.func = func
        self.args = args
        self.keywords = keywords
        return self

    def __call__(self, /, *args, **keywords):
        keywords = {**self.keywords, **keywords}
        return self.func(*self.args, *args, **keywords)

    def __repr__(self):
        parts = [repr(self.func)]
        parts.extend(repr(x) for x in self.args)
        parts.extend(f'{k}={v!r}' for k, v in self.keywords.items())
        name = type(self).__qualname__
        if type(self) is partial:
            name = 'functools.partial'
        return f"{name}({', '.join(parts)})"


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    for attr in assigned:
        try:
            value = getattr(wrapped, attr)
        except AttributeError:
            pass
        else:
            setattr(wrapper, attr, value)
    for attr in updated:
        source = getattr(wrapped, attr, {})
        if attr != '__dict__':
            getattr(wrapper, attr).update(source)
            continue
        # Through setattr: an instance's `__dict__` may be a copy on pymem.
        for k, v in source.items():
            setattr(wrapper, k, v)
    wrapper.__wrapped__ = wrapped
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    return partial(update_wrapper, wrapped=wrapped, assigned=assigned, updated=updated)


_CacheInfo = namedtuple('CacheInfo', ['hits', 'misses', 'maxsize', 'currsize'],
                        module='functools')

_kwd_mark = (object(),)
_fast_types = {int, str}


def _make_key(args, kwds, typed):
    key = args
    if kwds:
        key += _kwd_mark
        for item in kwds.items():
            key += item
    if typed:
        key += tuple(type(v) for v in args)
        if kwds:
            key += tuple(type(v) for v in kwds.values())
    elif len(key) == 1 and type(key[0]) in _fast_types:
        return key[0]
    return key


def lru_cache(maxsize=128, typed=False):
    """A decorator that keeps the results of the last `maxsize` calls (all if None)."""
    if isinstance(maxsize, int):
        if maxsize < 0:
            maxsize = 0
    elif callable(maxsize) and isinstance(typed, bool):
        user_function, maxsize = maxsize, 128
        return _lru_wrapper(user_function, maxsize, typed)
    elif maxsize is not None:
        raise TypeError('Expected first argument to be an integer, a callable, or None')

    def decorating_function(user_function):
        return _lru_wrapper(user_function, maxsize, typed)
    return decorating_function


def _lru_wrapper(user_function, maxsize, typed):
    cache = {}
    stats = [0, 0]

    def wrapper(*args, **kwds):
        key = _make_key(args, kwds, typed)
        if key in cache:
            stats[0] += 1
            result = cache.pop(key)
            cache[key] = result
            return result
        stats[1] += 1
        result = user_function(*args, **kwds)
        if maxsize != 0:
            cache[key] = result
            if maxsize is not None and len(cache) > maxsize:
                del cache[next(iter(cache))]
        return result

    def cache_info():
        return _CacheInfo(stats[0], stats[1], maxsize, len(cache))

    def cache_clear():
        cache.clear()
        stats[0] = stats[1] = 0

    wrapper.cache_info = cache_info
    wrapper.cache_clear = cache_clear
    wrapper.cache_parameters = lambda: {'maxsize': maxsize, 'typed': typed}
    return update_wrapper(wrapper, user_function)


def cache(user_function, /):
    return lru_cache(maxsize=None)(user_function)


_NOT_FOUND = object()


class cached_property:
    """A property computed once per instance, then kept in the instance's `__dict__`."""

    def __init__(self, func):
        self.func = func
        self.attrname = None
        self.__doc__ = func.__doc__
        self.__module__ = func.__module__

    def __set_name__(self, owner, name):
        if self.attrname is None:
            self.attrname = name
        elif name != self.attrname:
            raise TypeError('Cannot assign the same cached_property to two different '
                            f'names ({self.attrname!r} and {name!r}).')

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.attrname is None:
            raise TypeError('Cannot use cached_property instance without calling '
                            '__set_name__ on it.')
        value = self.func(instance)
        setattr(instance, self.attrname, value)
        return value


_ORDER_OPS = {
    '__lt__': [('__gt__', lambda self, other, op: op(other, self)),
               ('__le__', lambda self, other, op: _or_eq(op(self, other), self, other)),
               ('__ge__', lambda self, other, op: _not(op(self, other)))],
    '__le__': [('__ge__', lambda self, other, op: op(other, self)),
               ('__lt__', lambda self, other, op: _and_ne(op(self, other), self, other)),
               ('__gt__', lambda self, other, op: _not(op(self, other)))],
    '__gt__': [('__lt__', lambda self, other, op: op(other, self)),
               ('__ge__', lambda self, other, op: _or_eq(op(self, other), self, other)),
               ('__le__', lambda self, other, op: _not(op(self, other)))],
    '__ge__': [('__le__', lambda self, other, op: op(other, self)),
               ('__gt__', lambda self, other, op: _and_ne(op(self, other), self, other)),
               ('__lt__', lambda self, other, op: _not(op(self, other)))],
}


def _not(r):
    return r if r is NotImplemented else not r


def _or_eq(r, self, other):
    return r if r is NotImplemented else r or self == other


def _and_ne(r, self, other):
    return r if r is NotImplemented else r and self != other


def _derived(name, root_op, how):
    def method(self, other):
        return how(self, other, lambda a, b: root_op(a, b))
    method.__name__ = name
    return method


def total_ordering(cls):
    """Fills in the rich comparisons `cls` lacks from the one it defines and `__eq__`."""
    roots = {op for op in _ORDER_OPS
             if getattr(cls, op, None) is not getattr(object, op, None)}
    if not roots:
        raise ValueError('must define at least one ordering operation: < > <= >=')
    root = max(roots)
    root_op = getattr(cls, root)
    for name, how in _ORDER_OPS[root]:
        if name not in roots:
            method = _derived(name, root_op, how)
            method.__qualname__ = f'{cls.__qualname__}.{name}'
            setattr(cls, name, method)
    return cls


def cmp_to_key(mycmp):
    """A key class whose comparisons call `mycmp(a, b)`."""
    class K:
        __slots__ = ['obj']

        def __init__(self, obj):
            self.obj = obj

        def __lt__(self, other):
            return mycmp(self.obj, other.obj) < 0

        def __gt__(self, other):
            return mycmp(self.obj, other.obj) > 0

        def __eq__(self, other):
            return mycmp(self.obj, other.obj) == 0

        def __le__(self, other):
            return mycmp(self.obj, other.obj) <= 0

        def __ge__(self, other):
            return mycmp(self.obj, other.obj) >= 0

        __hash__ = None
    return K
