"""pymem's own views of a Python program's heap: why an object is alive, and a heap report."""

import gc
import objgraph
import psutil


def _type_name(o):
    return type(o).__name__


def _describe(o):
    if _type_name(o) == 'module':
        return 'module %s' % o.__name__
    return _type_name(o)


def _edge(parent, child):
    # How `parent` refers to `child`: a key, an index or an attribute name.
    if type(parent) is dict:
        for k, v in parent.items():
            if v is child:
                return '[%r]' % (k,)
    if type(parent) in (list, tuple):
        for i, v in enumerate(parent):
            if v is child:
                return '[%d]' % i
    d = getattr(parent, '__dict__', None)
    if type(d) is dict and not isinstance(parent, type):
        if d is child:
            return '.__dict__'
        for k, v in d.items():
            if v is child:
                return '.%s' % k
    return ''


def why_alive(obj, max_depth=20, file=None):
    """The chain of references from a module to `obj` as text (printed too, or written to
    `file`): each line a referrer and how it holds the next."""
    chain = objgraph.find_backref_chain(obj, objgraph.is_proper_module, max_depth=max_depth)
    if len(chain) == 1 and not objgraph.is_proper_module(obj):
        lines = ['%s is not reachable from a module (held by a frame or a cycle)'
                 % _describe(obj)]
    else:
        lines = ['%s is alive because:' % _describe(obj)]
        for parent, child in zip(chain, chain[1:]):
            lines.append('  %s%s -> %s' % (_describe(parent), _edge(parent, child),
                                          _describe(child)))
    text = '\n'.join(lines)
    if file is not None:
        file.write(text + '\n')
    else:
        print(text)
    return text


def heap_report(limit=10):
    """A text report: the process RSS, the collector's counts, the most common types."""
    rss = psutil.Process().memory_info().rss
    lines = ['RSS: %.1f MiB' % (rss / 2 ** 20),
             'gc counts: %r' % (gc.get_count(),),
             'objects tracked: %d' % len(gc.get_objects()),
             'most common types:']
    for name, n in objgraph.most_common_types(limit):
        lines.append('  %-30s %8d' % (name, n))
    text = '\n'.join(lines)
    print(text)
    return text
