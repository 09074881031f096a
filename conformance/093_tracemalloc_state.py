# tracemalloc lifecycle: is_tracing, start(nframes), traceback limit, get_object_traceback, stop.
import tracemalloc

print("initially tracing:", tracemalloc.is_tracing(), tracemalloc.get_traced_memory())
tracemalloc.start(5)
print("tracing:", tracemalloc.is_tracing(), "limit:", tracemalloc.get_traceback_limit())


def helper():
    return bytearray(10000)


def caller():
    return helper()


obj = caller()
tb = tracemalloc.get_object_traceback(obj)
print("traceback frames:", len(tb), [f.lineno for f in tb])
print("oldest frame first:", tb[0].lineno, tb[0].filename.split("/")[-1])
print("formatted lines:", len(tb.format()), tb.format()[1].strip())
print("untraced object:", tracemalloc.get_object_traceback(None))
tracemalloc.stop()
print("after stop:", tracemalloc.is_tracing(), tracemalloc.get_object_traceback(obj))
tracemalloc.start()
print("restart limit:", tracemalloc.get_traceback_limit())
tracemalloc.stop()
try:
    tracemalloc.start(0)
except ValueError as e:
    print("ValueError:", e)
print("stop when stopped is fine:", tracemalloc.stop())
