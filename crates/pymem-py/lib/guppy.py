"""guppy3's heapy entry point, `hpy()`, over pymem's heap: `heap()` prints heapy's
partition table by kind (a class, or `dict of` a class for instance dicts), largest first.

The set of objects is what gc.get_objects() reports and the objects those refer to directly
(heapy also counts untracked objects such as str and int); sizes are sys.getsizeof's.
"""

import gc
import sys


def _kind(obj, owners):
    t = type(obj)
    if t is dict and id(obj) in owners:
        return 'dict of ' + _class_name(owners[id(obj)])
    if t is dict:
        return 'dict (no owner)'
    return _class_name(t)


def _class_name(t):
    module = getattr(t, '__module__', 'builtins')
    if module == 'builtins':
        return t.__name__
    return '%s.%s' % (module, t.__qualname__)


def _all_objects(ignore):
    seen = {}
    objs = gc.get_objects()
    ignore.add(id(seen))
    ignore.add(id(objs))
    for o in objs:
        if id(o) not in ignore:
            seen[id(o)] = o
    for o in list(seen.values()):
        for r in _parts(o):
            if id(r) not in seen and id(r) not in ignore and not _preexisting(r):
                seen[id(r)] = r
    return seen


def _parts(o):
    # What heapy finds from a tracked object: its referents, and an instance's __dict__
    # (which gc.get_objects() does not list on its own here).
    parts = gc.get_referents(o)
    if type(type(o)) is type and not isinstance(o, type):
        d = getattr(o, '__dict__', None)
        if type(d) is dict:
            parts.append(d)
    return parts


def _preexisting(r):
    # Classes, and what CPython keeps from its start (None, bools, the small ints).
    t = type(r)
    if t is int:
        return -5 <= r <= 256
    return t is type or r is None or t is bool


def _owners(objects):
    # id(d) -> class for each instance dict d.
    out = {}
    for o in objects:
        if type(type(o)) is type and not isinstance(o, type):
            d = getattr(o, '__dict__', None)
            if type(d) is dict:
                out[id(d)] = type(o)
    return out


class Partition:
    """A set of objects partitioned by kind; str() is heapy's table."""

    def __init__(self, objects):
        objs = list(objects.values())
        owners = _owners(objs)
        rows = {}
        for o in objs:
            k = _kind(o, owners)
            n, size = rows.get(k, (0, 0))
            rows[k] = (n + 1, size + sys.getsizeof(o))
        self.rows = sorted(rows.items(), key=lambda kv: (-kv[1][1], kv[0]))
        self.count = len(objs)
        self.size = sum(s for _, (_, s) in self.rows)

    def __str__(self):
        lines = ['Partition of a set of %d object%s. Total size = %d bytes.'
                 % (self.count, '' if self.count == 1 else 's', self.size),
                 ' Index  Count   %     Size   % Cumulative  % Kind (class / dict of class)']
        cum = 0
        for i, (kind, (n, size)) in enumerate(self.rows[:10]):
            cum += size
            lines.append('%6d %6d %3d %8d %3d %9d %3d %s' % (
                i, n, _pct(n, self.count), size, _pct(size, self.size), cum,
                _pct(cum, self.size), kind))
        if len(self.rows) > 10:
            lines.append("<%d more rows. Type e.g. '_.more' to view.>" % (len(self.rows) - 10))
        return '\n'.join(lines)

    __repr__ = __str__

    def __len__(self):
        return self.count


def _pct(part, whole):
    # heapy's int('%.0f' % ...): ties round to even.
    return int('%.0f' % (part * 100.0 / whole)) if whole else 0


class _Heapy:
    """What hpy() returns: heap(), setrelheap()."""

    def __init__(self):
        self._rel = {}

    def setrelheap(self, reference=None):
        """Makes later heap() calls leave out every object that exists now."""
        gc.collect()
        # The objects are kept, not only their ids: an id freed and reused by a new object
        # would hide it.
        self._rel = {}
        self._rel = _all_objects({id(self), id(self._rel)})

    def heap(self):
        """The partition of the objects reachable now (less those of setrelheap)."""
        gc.collect()
        ignore = set(self._rel)
        for o in (self, self._rel, ignore, sys._getframe()):
            ignore.add(id(o))
        return Partition(_all_objects(ignore))


def hpy():
    """A heapy session (guppy's entry point)."""
    return _Heapy()
