"""memory_profiler 0.61's `@profile` line table and `memory_usage`, on pymem.

Line events come from the interpreter's hook for the profiled code only
(`_pymem.set_line_hook`); memory is the process RSS in MiB, read as memory_profiler's
default psutil backend reads it. The bookkeeping (`CodeMap.trace`) and the table
(`show_results`) follow memory_profiler's so that the columns and figures mean the same.
"""

import sys
import _pymem
import psutil

_TWO_20 = float(2 ** 20)


def _get_memory():
    return psutil.Process().memory_info().rss / _TWO_20


def _source_lines(filename):
    try:
        with open(filename) as f:
            return f.read().splitlines(True)
    except OSError:
        return []


def _function_lines(all_lines, first):
    # inspect.getsourcelines' block: the decorators and the def, then every line indented
    # deeper than the def (blank lines inside), trailing blank lines left out.
    i = first - 1
    while i < len(all_lines) and all_lines[i].lstrip().startswith('@'):
        i += 1
    indent = len(all_lines[i]) - len(all_lines[i].lstrip()) if i < len(all_lines) else 0
    last = i + 1
    j = i + 1
    while j < len(all_lines):
        text = all_lines[j]
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        if text.strip():
            last = j + 1
        j += 1
    return range(first, last + 1)


def _first_line(code):
    # CPython 3.13's co_firstlineno is the first decorator's line; ours is the def's: step
    # back over the decorators (a no-op where co_firstlineno is already the decorator's).
    lines = _source_lines(code.co_filename)
    first = code.co_firstlineno
    while first > 1 and lines[first - 2].lstrip().startswith('@'):
        first -= 1
    return first


class LineProfiler:
    """memory_profiler's per-line bookkeeping for the functions it wraps."""

    def __init__(self):
        self.code_map = {}
        self.prevlines = []
        self.prev_lineno = None

    def trace(self, code, lineno, prev_lineno):
        memory = _get_memory()
        lines = self.code_map[code]
        prev_value = lines.get(lineno, None)
        previous_memory = prev_value[1] if prev_value else 0
        previous_inc = prev_value[0] if prev_value else 0
        prev_line_value = lines.get(prev_lineno, None) if prev_lineno else None
        prev_line_memory = prev_line_value[1] if prev_line_value else 0
        occ_count = lines[lineno][2] + 1 if lineno in lines else 1
        lines[lineno] = (previous_inc + (memory - prev_line_memory),
                         max(memory, previous_memory), occ_count)

    def __call__(self, func):
        code = func.__code__
        self.code_map.setdefault(code, {})

        def on_line(lineno):
            self.trace(code, self.prevlines[-1], self.prev_lineno)
            self.prev_lineno = self.prevlines[-1]
            self.prevlines[-1] = lineno

        depth = [0]  # calls of func running (recursion): the hook goes with the outermost

        def wrapper(*args, **kwargs):
            self.prevlines.append(_first_line(code))
            if depth[0] == 0:
                _pymem.set_line_hook(code, on_line)
            depth[0] += 1
            try:
                return func(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    _pymem.set_line_hook(code, None)
                lineno = self.prevlines.pop()
                self.trace(code, lineno, self.prev_lineno)
                self.prev_lineno = lineno

        wrapper.__name__ = func.__name__
        wrapper.__wrapped__ = func
        return wrapper


def show_results(prof, stream=None, precision=1):
    """Writes memory_profiler's table for each function `prof` profiled."""
    if stream is None:
        stream = sys.stdout
    template = '{0:>6} {1:>12} {2:>12}  {3:>10}   {4:<}'
    for code, lines in prof.code_map.items():
        filename = code.co_filename
        header = template.format('Line #', 'Mem usage', 'Increment', 'Occurrences',
                                 'Line Contents')
        stream.write('Filename: ' + filename + '\n\n')
        stream.write(header + '\n')
        stream.write('=' * len(header) + '\n')
        all_lines = _source_lines(filename)
        template_mem = '{0:' + '{0}.{1}f'.format(precision + 4, precision) + '} MiB'
        for lineno in _function_lines(all_lines, _first_line(code)):
            mem = lines.get(lineno)
            if mem:
                inc = template_mem.format(mem[0])
                total_mem = template_mem.format(mem[1])
                occurrences = mem[2]
            else:
                total_mem = inc = occurrences = ''
            stream.write(template.format(lineno, total_mem, inc, occurrences,
                                         all_lines[lineno - 1]))
        stream.write('\n\n')


def profile(func=None, stream=None, precision=1, backend='psutil'):
    """The decorator: the function's line table is printed each time it returns."""
    if func is None:
        return lambda f: profile(f, stream=stream, precision=precision, backend=backend)
    prof = LineProfiler()
    wrapped = prof(func)

    def wrapper(*args, **kwargs):
        try:
            return wrapped(*args, **kwargs)
        finally:
            show_results(prof, stream=stream, precision=precision)

    wrapper.__name__ = func.__name__
    wrapper.__wrapped__ = func
    return wrapper


def memory_usage(proc=-1, interval=.1, timeout=None, timestamps=False, include_children=False,
                 multiprocess=False, max_usage=False, retval=False, stream=None,
                 backend=None, max_iterations=None):
    """The process's memory in MiB: one sample for a process, or, for `(f, args, kw)`,
    samples before and after the call (no sampling thread: the call runs on this one)."""
    import time
    if isinstance(proc, (list, tuple)):
        f = proc[0]
        args = proc[1] if len(proc) > 1 else ()
        kw = proc[2] if len(proc) > 2 else {}
        ret = []
        ret.append(_sample(timestamps, time))
        value = f(*args, **kw)
        ret.append(_sample(timestamps, time))
    else:
        value = None
        n = 1 if timeout is None else max(1, int(timeout / interval))
        ret = []
        for i in range(n):
            ret.append(_sample(timestamps, time))
            if i + 1 < n:
                time.sleep(interval)
    if max_usage:
        ret = max(m[0] if timestamps else m for m in ret)
    if retval:
        return ret, value
    return ret


def _sample(timestamps, time):
    m = _get_memory()
    return (m, time.time()) if timestamps else m
