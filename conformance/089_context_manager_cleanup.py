# Context managers release resources deterministically: close order, exceptions, nested pools.
class Resource:
    open_count = 0
    def __init__(self, name, log):
        self.name, self.log = name, log
        self.closed = False
    def __enter__(self):
        Resource.open_count += 1
        self.log.append("open " + self.name)
        return self
    def __exit__(self, exc_type, exc, tb):
        self.closed = True
        Resource.open_count -= 1
        self.log.append("close " + self.name + (" after " + exc_type.__name__ if exc_type else ""))
        return False
    def __del__(self):
        self.log.append("free " + self.name)
log = []
with Resource("a", log) as a, Resource("b", log) as b:
    log.append("use both")
print(log, Resource.open_count)
log.clear()
del a, b
print("freed after del:", log)
log.clear()
try:
    with Resource("c", log):
        with Resource("d", log):
            raise RuntimeError("fail inside")
except RuntimeError:
    log.append("handled")
print(log, Resource.open_count)
log.clear()
class Pool:
    def __init__(self, log):
        self.log = log
        self.items = []
    def __enter__(self):
        return self
    def acquire(self, name):
        r = Resource(name, self.log).__enter__()
        self.items.append(r)
        return r
    def __exit__(self, *exc):
        while self.items:
            self.items.pop().__exit__(None, None, None)
        self.log.append("pool closed")
with Pool(log) as pool:
    pool.acquire("p1")
    pool.acquire("p2")
    pool.acquire("p3")
print(log, Resource.open_count)
log.clear()
def generator_cm(log):
    log.append("setup")
    try:
        yield "value"
    finally:
        log.append("teardown")
class FromGen:
    def __init__(self, gen):
        self.gen = gen
    def __enter__(self):
        return next(self.gen)
    def __exit__(self, *exc):
        self.gen.close()
with FromGen(generator_cm(log)) as v:
    log.append("body " + v)
print(log)
