"""objgraph 3.7's functions over pymem's heap: the same names, arguments and output formats.

Adapted from objgraph (Marius Gedminas, MIT licence) for the interpreter's gc module: the
objects are those gc.get_objects() reports, and type names are Python's (`type(o).__name__`).
"""

import gc
import sys


def _short_typename(obj):
    return type(obj).__name__


def _long_typename(obj):
    objtype = type(obj)
    name = objtype.__name__
    module = getattr(objtype, '__module__', None)
    if module:
        return '%s.%s' % (module, name)
    return name


def _typename(obj, shortnames):
    return _short_typename(obj) if shortnames else _long_typename(obj)


def count(typename, objects=None):
    """The number of objects of type `typename` (a dotted name compares module.name)."""
    if objects is None:
        objects = gc.get_objects()
    if '.' in typename:
        return sum(1 for o in objects if _long_typename(o) == typename)
    return sum(1 for o in objects if _short_typename(o) == typename)


def typestats(objects=None, shortnames=True, filter=None):
    """A dict mapping type names to the number of objects of that type."""
    if objects is None:
        objects = gc.get_objects()
    stats = {}
    for o in objects:
        if filter and not filter(o):
            continue
        n = _typename(o, shortnames)
        stats[n] = stats.get(n, 0) + 1
    return stats


def most_common_types(limit=10, objects=None, shortnames=True, filter=None):
    """(type name, count) pairs of the most common types, most common first."""
    stats = sorted(typestats(objects, shortnames=shortnames, filter=filter).items(),
                   key=lambda kv: kv[1], reverse=True)
    if limit:
        stats = stats[:limit]
    return stats


def show_most_common_types(limit=10, objects=None, shortnames=True, file=None, filter=None):
    """Prints the table of types of the most common objects."""
    if file is None:
        file = sys.stdout
    stats = most_common_types(limit, objects, shortnames=shortnames, filter=filter)
    width = max(len(name) for name, count in stats)
    for name, count in stats:
        file.write('%-*s %i\n' % (width, name, count))


_peak_stats = {}


def growth(limit=10, peak_stats=None, shortnames=True, filter=None):
    """(type name, count, increase) of the types whose peak count grew since the last call."""
    if peak_stats is None:
        peak_stats = _peak_stats
    gc.collect()
    stats = typestats(shortnames=shortnames, filter=filter)
    deltas = {}
    for name, count in stats.items():
        old_count = peak_stats.get(name, 0)
        if count > old_count:
            deltas[name] = count - old_count
            peak_stats[name] = count
    deltas = sorted(deltas.items(), key=lambda kv: kv[1], reverse=True)
    if limit:
        deltas = deltas[:limit]
    return [(name, stats[name], delta) for name, delta in deltas]


def show_growth(limit=10, peak_stats=None, shortnames=True, file=None, filter=None):
    """Prints the increase in peak object counts since the last call."""
    result = growth(limit, peak_stats, shortnames, filter)
    if result:
        if file is None:
            file = sys.stdout
        width = max(len(name) for name, _, _ in result)
        for name, count, delta in result:
            file.write('%-*s%9d %+9d\n' % (width, name, count, delta))


def by_type(typename, objects=None):
    """The objects of type `typename`."""
    if objects is None:
        objects = gc.get_objects()
    if '.' in typename:
        return [o for o in objects if _long_typename(o) == typename]
    return [o for o in objects if _short_typename(o) == typename]


def get_leaking_objects(objects=None):
    """The objects that no tracked object refers to."""
    gc.collect()
    all_objects = gc.get_objects()
    if objects is None:
        objects = all_objects
    ids = set(id(i) for i in objects)
    for i in all_objects:
        if i is not objects:
            ids.difference_update(id(j) for j in gc.get_referents(i))
    return [i for i in objects if id(i) in ids]


def find_backref_chain(obj, predicate, max_depth=20, extra_ignore=()):
    """A shortest chain of references from an object matching `predicate` to `obj`."""
    return _find_chain(obj, predicate, gc.get_referrers, max_depth, extra_ignore)


def find_ref_chain(obj, predicate, max_depth=20, extra_ignore=()):
    """A shortest chain of references from `obj` to an object matching `predicate`."""
    return _find_chain(obj, predicate, gc.get_referents, max_depth, extra_ignore)[::-1]


def _find_chain(obj, predicate, edge_func, max_depth=20, extra_ignore=()):
    queue = [obj]
    depth = {id(obj): 0}
    parent = {id(obj): None}
    ignore = set(extra_ignore)
    for o in (extra_ignore, queue, depth, parent, ignore, sys._getframe(), sys._getframe(1)):
        ignore.add(id(o))
    gc.collect()
    while queue:
        target = queue.pop(0)
        if predicate(target):
            chain = [target]
            while parent[id(target)] is not None:
                target = parent[id(target)]
                chain.append(target)
            return chain
        tdepth = depth[id(target)]
        if tdepth < max_depth:
            referrers = edge_func(target)
            ignore.add(id(referrers))
            for source in referrers:
                if id(source) in ignore:
                    continue
                if id(source) not in depth:
                    depth[id(source)] = tdepth + 1
                    parent[id(source)] = target
                    queue.append(source)
    return [obj]


def is_proper_module(obj):
    """Whether `obj` is a module object."""
    return type(obj).__name__ == 'module'


def show_refs(objs, max_depth=3, extra_ignore=(), filter=None, too_many=10,
              highlight=None, filename=None, extra_info=None, refcounts=False,
              shortnames=True, output=None, extra_node_attrs=None):
    """Writes the graph of the objects `objs` refers to (DOT, or SVG by the file name)."""
    return _show_graph(objs, max_depth, extra_ignore, filter, too_many, highlight,
                       gc.get_referents, True, filename, output, extra_info, shortnames, None)


def show_backrefs(objs, max_depth=3, extra_ignore=(), filter=None, too_many=10,
                  highlight=None, filename=None, extra_info=None, refcounts=False,
                  shortnames=True, output=None, extra_node_attrs=None):
    """Writes the graph of the objects that refer to `objs` (DOT, or SVG by the file name)."""
    return _show_graph(objs, max_depth, extra_ignore, filter, too_many, highlight,
                       gc.get_referrers, False, filename, output, extra_info, shortnames,
                       is_proper_module)


def _label(obj, shortnames, extra_info):
    r = repr(obj)
    if len(r) > 40:
        r = r[:37] + '...'
    label = _typename(obj, shortnames) + '\\n' + r.replace('\\', '\\\\').replace('"', '\\"')
    if extra_info:
        label += '\\n' + str(extra_info(obj))
    return label


_temp_count = 0


def _show_graph(objs, max_depth, extra_ignore, filter, too_many, highlight, edge_func,
                swap, filename, output, extra_info, shortnames, cull_func):
    if not isinstance(objs, (list, tuple)):
        objs = [objs]
    if filename and output:
        raise ValueError('Cannot specify both output and filename.')
    lines = ['digraph ObjectGraph {', '  node[shape=box, style=filled, fillcolor=white];']
    queue = []
    depth = {}
    ignore = set(extra_ignore)
    for o in (objs, depth, ignore, queue, lines, sys._getframe(), sys._getframe(1)):
        ignore.add(id(o))
    for obj in objs:
        lines.append('  o%d[fontcolor=red];' % id(obj))
        depth[id(obj)] = 0
        queue.append(obj)
    gc.collect()
    nodes = 0
    while queue:
        nodes += 1
        target = queue.pop(0)
        tdepth = depth[id(target)]
        color = 'lightblue' if highlight and highlight(target) else 'white'
        lines.append('  o%d[label="%s", fillcolor="%s"];'
                     % (id(target), _label(target, shortnames, extra_info), color))
        if tdepth >= max_depth or (cull_func is not None and cull_func(target)):
            continue
        neighbours = edge_func(target)
        ignore.add(id(neighbours))
        n = 0
        for source in neighbours:
            if id(source) in ignore or (filter and not filter(source)):
                continue
            if swap:
                lines.append('  o%d -> o%d;' % (id(target), id(source)))
            else:
                lines.append('  o%d -> o%d;' % (id(source), id(target)))
            n += 1
            if id(source) not in depth:
                depth[id(source)] = tdepth + 1
                queue.append(source)
            if n >= too_many:
                break
    lines.append('}')
    dot = '\n'.join(lines) + '\n'
    if output is not None:
        output.write(dot)
        return None
    if filename is None:
        filename = 'objects.dot'
    if filename.endswith('.dot'):
        with open(filename, 'w') as f:
            f.write(dot)
        print('Graph written to %s (%d nodes)' % (filename, nodes))
        return None
    # objgraph writes the DOT to a temporary file and has Graphviz draw it; pymem-tools draws.
    import _pymem
    import os
    global _temp_count
    _temp_count += 1
    dot_name = '/tmp/objgraph-%d-%d.dot' % (os.getpid(), _temp_count)
    with open(dot_name, 'w') as f:
        f.write(dot)
    print('Graph written to %s (%d nodes)' % (dot_name, nodes))
    with open(filename, 'w') as f:
        f.write(_pymem.render_svg(dot))
    print('Image generated as %s' % filename)
    return None
