"""Container datatypes: deque, defaultdict, OrderedDict, namedtuple, Counter (pymem's,
written in Python)."""

__all__ = ['Counter', 'OrderedDict', 'defaultdict', 'deque', 'namedtuple']

import sys as _sys

from _collections import deque, defaultdict, OrderedDict, _tuplegetter, _guarded_repr


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
    body = _namedtuple_body(typename, fields, defaults or ())
    for i, name in enumerate(fields):
        body[name] = _tuplegetter(i, f'Alias for field number {i}')
    cls = type(typename, (tuple,), body)
    if module is None:
        # As CPython: the module of the caller's frame.
        module = _sys._getframe(1).f_globals.get('__name__', '__main__')
    cls.__module__ = module
    return cls


def _namedtuple_body(typename, fields, defaults):
    arglist = ', '.join(fields) + (',' if len(fields) == 1 else '')
    return {
        '__doc__': f'{typename}({arglist})', '__slots__': (), '_fields': fields,
        '_field_defaults': dict(zip(fields[len(fields) - len(defaults):], defaults)),
        '__new__': _namedtuple_new(typename, arglist, defaults), '_make': classmethod(_nt_make),
        '_replace': _nt_replace, '__repr__': _nt_repr, '_asdict': _nt_asdict,
        '__getnewargs__': _nt_getnewargs, '__match_args__': fields,
    }


def _namedtuple_new(typename, arglist, defaults):
    """A `__new__` whose parameters are the fields, so that a wrong call has Python's own
    error message (made from source text, as CPython does)."""
    ns = {'_tuple_new': tuple.__new__, '__builtins__': {}, '__name__': f'namedtuple_{typename}'}
    exec(f'def __new__(_cls, {arglist}): return _tuple_new(_cls, ({arglist}))', ns)
    new = ns['__new__']
    new.__doc__ = f'Create new instance of {typename}({arglist})'
    new.__qualname__ = f'{typename}.__new__'
    if defaults:
        new.__defaults__ = defaults
    return new


def _nt_make(cls, iterable):
    result = tuple.__new__(cls, iterable)
    if len(result) != len(cls._fields):
        raise TypeError(f'Expected {len(cls._fields)} arguments, got {len(result)}')
    return result


def _nt_replace(self, /, **kwds):
    result = self._make([kwds.pop(f, v) for f, v in zip(self._fields, self)])
    if kwds:
        raise TypeError(f'Got unexpected field names: {list(kwds)!r}')
    return result


def _nt_repr(self):
    body = ', '.join(f'{f}={v!r}' for f, v in zip(self._fields, self))
    return f'{type(self).__name__}({body})'


def _nt_asdict(self):
    return dict(zip(self._fields, self))


def _nt_getnewargs(self):
    return tuple(self)


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

    def __eq__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] == other[e] for c in (self, other) for e in c)

    def __ne__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return not self == other

    def __le__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] <= other[e] for c in (self, other) for e in c)

    def __lt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self <= other and self != other

    def __ge__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] >= other[e] for c in (self, other) for e in c)

    def __gt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self >= other and self != other

    __hash__ = None

    def __pos__(self):
        return self._keep(self.items())

    def __neg__(self):
        return self._keep([(e, -c) for e, c in self.items()])
