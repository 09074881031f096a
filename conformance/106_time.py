# time: the clocks' types and order, sleep's effect and errors, gmtime, strftime, asctime.
import time

print(type(time.time()), type(time.time_ns()), type(time.perf_counter()), type(time.perf_counter_ns()))
print(type(time.monotonic()), type(time.monotonic_ns()), type(time.process_time()), type(time.process_time_ns()))
print(time.time() > 1.7e9, time.time_ns() > 1700000000 * 10**9)
a, b = time.monotonic(), time.monotonic()
print(b >= a, time.perf_counter_ns() <= time.perf_counter_ns(), time.process_time() >= 0)
start = time.perf_counter()
print(time.sleep(0.02))
print(time.perf_counter() - start >= 0.015, time.monotonic() > a)
time.sleep(0)
for t in [0, 1e9, -1, 1.9, -1.5, 951782400, 4102444799, 2**31]:
    g = time.gmtime(t)
    print(g, g.tm_year, g.tm_yday, g.tm_zone, g.tm_gmtoff, g[0], len(g), tuple(g)[-3:])
print(time.strftime("%Y-%m-%d %H:%M:%S %a %A %b %B %j %y %p %I %w %Z %z %%", time.gmtime(1e9)))
print(time.strftime("%F %T %D %R %e|%u %c", time.gmtime(1234567890)))
print(time.asctime(time.gmtime(0)), time.asctime((2024, 2, 29, 13, 5, 9, 3, 60, 0)))
print(time.strftime("%d/%m/%Y", (2000, 1, 2, 3, 4, 5, 6, 2, 0)))
lt = time.localtime()
print(type(lt).__name__, len(lt), isinstance(lt.tm_zone, str), type(time.ctime()))
print(isinstance(time.gmtime(), time.struct_time), isinstance(time.gmtime(), tuple))

def check(f, *args):
    try:
        print(f.__name__, f(*args))
    except Exception as e:
        print(f.__name__, type(e).__name__, e)

check(time.sleep, -1)
check(time.sleep, "x")
check(time.sleep, float("nan"))
check(time.gmtime, "x")
check(time.strftime, 5)
check(time.asctime, (1, 2))
check(time.strftime, "%Y", (1, 2))
check(time.strftime, "%Y", 5)
check(time.strftime, "%Y", (2000, 13, 1, 0, 0, 0, 0, 1, 0))
check(time.strftime, "%Y %m %d %j", (2000, 0, 0, 0, 0, 0, 0, 0, 0))
check(time.strftime, "%H", (2000, 1, 1, 24, 0, 0, 0, 1, 0))
