"""psutil's process and system memory figures on Linux, read from /proc as psutil reads them.

The names, fields and orders are psutil's (pmem, pfullmem, svmem), so that programs written
for psutil run unchanged; only the memory functions exist.
"""

import os
from collections import namedtuple

PAGESIZE = 4096

pmem = namedtuple('pmem', 'rss vms shared text lib data dirty')
pfullmem = namedtuple('pfullmem', 'rss vms shared text lib data dirty uss pss swap')
svmem = namedtuple(
    'svmem',
    'total available percent used free active inactive buffers cached shared slab')


class NoSuchProcess(Exception):
    """The process `pid` does not exist (psutil's exception)."""


def _read(path):
    with open(path) as f:
        return f.read()


def _kv_bytes(path):
    # Lines "Name:   123 kB": the values in bytes, by name.
    out = {}
    for line in _read(path).splitlines():
        name, _, rest = line.partition(':')
        fields = rest.split()
        if fields and fields[0].isdigit():
            scale = 1024 if len(fields) > 1 and fields[1] == 'kB' else 1
            out[name] = int(fields[0]) * scale
    return out


class Process:
    """A process, by pid (this one by default)."""

    def __init__(self, pid=None):
        if pid is None:
            pid = os.getpid()
        if not os.path.exists('/proc/%d' % pid):
            raise NoSuchProcess('process PID not found (pid=%d)' % pid)
        self._pid = pid

    @property
    def pid(self):
        return self._pid

    def memory_info(self):
        # /proc/PID/statm: vms rss shared text lib data dirty, in pages (psutil's order).
        vms, rss, shared, text, lib, data, dirty = [
            int(x) * PAGESIZE for x in _read('/proc/%d/statm' % self._pid).split()[:7]]
        return pmem(rss, vms, shared, text, lib, data, dirty)

    def memory_full_info(self):
        # uss: private pages; pss: the proportional share (smaps_rollup, as psutil >= 5.6).
        basic = self.memory_info()
        r = _kv_bytes('/proc/%d/smaps_rollup' % self._pid)
        uss = r.get('Private_Clean', 0) + r.get('Private_Dirty', 0) + r.get('Private_Hugetlb', 0)
        return pfullmem(*basic, uss, r.get('Pss', 0), r.get('Swap', 0))

    def __repr__(self):
        return "psutil.Process(pid=%d, name='pymem', status='running')" % self._pid


def virtual_memory():
    """The system's memory (/proc/meminfo), with psutil's svmem fields and arithmetic."""
    m = _kv_bytes('/proc/meminfo')
    total, free = m['MemTotal'], m['MemFree']
    buffers = m.get('Buffers', 0)
    cached = m.get('Cached', 0) + m.get('SReclaimable', 0)
    avail = m.get('MemAvailable', free + buffers + cached)
    used = total - avail
    percent = round((total - avail) / total * 100, 1)
    return svmem(total, avail, percent, used, free, m.get('Active', 0), m.get('Inactive', 0),
                 buffers, cached, m.get('Shmem', 0), m.get('Slab', 0))
