# Decorators written by hand: plain, with arguments, stacked, class decorators, metadata copy.
def trace(func):
    def wrapper(*args, **kwargs):
        print("call", func.__name__, args, kwargs)
        result = func(*args, **kwargs)
        print("ret", func.__name__, result)
        return result
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper
@trace
def add(a, b=0):
    "Adds."
    return a + b
add(1, b=2)
print(add.__name__, add.__doc__)
def repeat(times):
    def deco(func):
        def wrapper(*args):
            return [func(*args) for _ in range(times)]
        return wrapper
    return deco
@repeat(3)
def hello(name):
    return "hi " + name
print(hello("bo"))
def tag(label):
    def deco(func):
        def wrapper():
            return f"<{label}>{func()}</{label}>"
        return wrapper
    return deco
@tag("b")
@tag("i")
def text():
    return "word"
print(text())
order = []
def record(name):
    order.append("factory " + name)
    def deco(f):
        order.append("apply " + name)
        return f
    return deco
@record("outer")
@record("inner")
def target():
    pass
print(order)
registry = {}
def register(cls):
    registry[cls.__name__] = cls
    cls.registered = True
    return cls
@register
class Plugin:
    pass
print(sorted(registry), Plugin.registered)
def counted(func):
    def wrapper(*a):
        wrapper.calls += 1
        return func(*a)
    wrapper.calls = 0
    return wrapper
@counted
def noop():
    return None
noop()
noop()
print("calls:", noop.calls)
def memo(func):
    cache = {}
    def wrapper(n):
        if n not in cache:
            cache[n] = func(n)
        return cache[n]
    return wrapper
@memo
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80))
