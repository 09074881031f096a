# psutil: Process().memory_info()/memory_full_info() and virtual_memory(): field names, types and invariants (the byte figures vary).
import os
import psutil

p = psutil.Process()
print(p.pid == os.getpid(), psutil.Process(os.getpid()).pid == p.pid)
mi = p.memory_info()
print(type(mi).__name__, mi._fields)
print(mi.rss > 0, mi.vms >= mi.rss, mi[0] == mi.rss, len(mi))
full = p.memory_full_info()
print(type(full).__name__, full._fields)
print(full.uss > 0, full.pss >= full.uss, full.rss >= full.uss)
print("@numbers vary")
print(mi)
print(full)
print("@numbers same")
vm = psutil.virtual_memory()
print(type(vm).__name__, vm._fields)
print(vm.total > vm.available > 0, 0 <= vm.percent <= 100, vm.used == vm.total - vm.available)
before = p.memory_info().rss
block = [bytes(1000) for _ in range(20000)]
after = p.memory_info().rss
print("20 MB of bytes grew RSS by at least 10 MiB:", after - before >= 10 * 2 ** 20)
del block
