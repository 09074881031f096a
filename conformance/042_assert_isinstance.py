# assert (with message, caught), isinstance/issubclass with tuples and ABC-free classes, callable.
def check(v):
    assert v > 0, f"value must be positive, got {v}"
    return v
print(check(3))
try:
    check(-2)
except AssertionError as e:
    print("AssertionError:", e, e.args)
try:
    assert False
except AssertionError as e:
    print("bare AssertionError:", repr(e), e.args)
try:
    assert [], ["list", "message"]
except AssertionError as e:
    print("AssertionError:", e.args[0])
assert True, "never raised"
print(isinstance(1, int), isinstance(True, int), isinstance(1.0, int), isinstance("s", (int, str)))
print(isinstance([], (tuple, (dict, list))), isinstance(None, type(None)), isinstance(int, type))
print(issubclass(bool, int), issubclass(int, (str, float)), issubclass(int, object), issubclass(type, object))
class A: pass
class B(A): pass
class C: pass
print(isinstance(B(), A), isinstance(A(), B), issubclass(B, (C, A)), issubclass(C, (A, B)))
try:
    isinstance(1, 2)
except TypeError as e:
    print("TypeError:", e)
try:
    issubclass(1, int)
except TypeError as e:
    print("TypeError:", e)
def fn(): pass
class Callable:
    def __call__(self): pass
print(callable(fn), callable(print), callable(A), callable(A()), callable(Callable()), callable("s"), callable(None))
print(callable(lambda: 0), callable([].append), callable(type), callable(len))
print(type(5) is int, type(True) is bool, type(None).__name__, type([]) == list, type(A()) is A)
values = [1, "a", 2.5, None, [1], (1,), {"k": 1}, True]
print([type(v).__name__ for v in values])
print([v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)])
print(isinstance(A, type), isinstance(type, type), type(type).__name__, object.__class__.__name__)
