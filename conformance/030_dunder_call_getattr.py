# __call__, __getattr__ (fallback only), __setattr__, __delattr__, __getattribute__ basics.
class Multiplier:
    def __init__(self, k):
        self.k = k
    def __call__(self, x, *, plus=0):
        return x * self.k + plus
m = Multiplier(3)
print(m(4), m(4, plus=1), callable(m), callable(Multiplier), callable(5))
class Proxy:
    def __init__(self, target):
        self._target = target
    def __getattr__(self, name):
        print("getattr fallback:", name)
        return getattr(self._target, name)
p = Proxy([3, 1, 2])
p.append(0)
print(p._target, p.count(1))
try:
    p.nonexistent
except AttributeError as e:
    print("AttributeError:", e)
class Defaults:
    x = 1
    def __getattr__(self, name):
        if name.startswith("opt_"):
            return name[4:].upper()
        raise AttributeError(f"no {name}")
d = Defaults()
print(d.x, d.opt_color, getattr(d, "missing", "fallback"), hasattr(d, "opt_q"), hasattr(d, "zz"))
class Logged:
    def __setattr__(self, name, value):
        print("setattr", name, value)
        super().__setattr__(name, value)
    def __delattr__(self, name):
        print("delattr", name)
        super().__delattr__(name)
lg = Logged()
lg.a = 1
lg.a += 1
del lg.a
print(vars(lg))
class Frozen:
    def __init__(self, v):
        object.__setattr__(self, "v", v)
    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is frozen")
f = Frozen(5)
try:
    f.v = 6
except AttributeError as e:
    print("AttributeError:", e, f.v)
class Counting:
    def __init__(self):
        self.reads = 0
    def __getattribute__(self, name):
        if name != "reads":
            object.__setattr__(self, "reads", object.__getattribute__(self, "reads") + 1)
        return object.__getattribute__(self, name)
    def hello(self):
        return "hi"
c = Counting()
c.hello()
c.hello()
print(c.reads)
class Adder:
    def __init__(self):
        self.total = 0
    def __call__(self, *nums):
        self.total += sum(nums)
        return self
a = Adder()
print(a(1)(2, 3)(4).total)
