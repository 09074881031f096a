"""Higher-order functions and operations on callables (pymem's, written in Python)."""

__all__ = ['update_wrapper', 'wraps', 'WRAPPER_ASSIGNMENTS', 'WRAPPER_UPDATES',
           'total_ordering', 'cache', 'cmp_to_key', 'lru_cache', 'reduce', 'partial',
           'cached_property']

from collections import namedtuple
from _functools import reduce, partial, cmp_to_key, _lru_cache_wrapper

WRAPPER_ASSIGNMENTS = ('__module__', '__name__', '__qualname__', '__doc__',
                       '__annotations__', '__type_params__')
WRAPPER_UPDATES = ('__dict__',)


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
    wrapper = _lru_cache_wrapper(user_function, maxsize, typed, _CacheInfo)
    return update_wrapper(wrapper, user_function)


def cache(user_function, /):
    return lru_cache(maxsize=None)(user_function)


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


