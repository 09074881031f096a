# with statement: __enter__/__exit__ order, exception info, suppression by returning True.
class Ctx:
    def __init__(self, name, suppress=False):
        self.name, self.suppress = name, suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        kind = exc_type.__name__ if exc_type else None
        print("exit", self.name, kind, repr(exc), tb is not None)
        return self.suppress
with Ctx("a") as value:
    print("body got", value)
with Ctx("outer"), Ctx("inner") as v:
    print("nested body", v)
with Ctx("quiet", suppress=True):
    raise ValueError("suppressed")
print("after suppressed")
try:
    with Ctx("loud"):
        raise KeyError("escapes")
except KeyError as e:
    print("escaped:", repr(e))
try:
    with Ctx("o", suppress=False), Ctx("i", suppress=True):
        raise TypeError("inner swallows")
    print("continued after inner suppression")
except TypeError:
    print("never")
def early():
    with Ctx("ret"):
        return "returned"
print(early())
for i in range(2):
    with Ctx(f"loop{i}"):
        if i == 0:
            continue
        break
class Failing:
    def __enter__(self):
        raise RuntimeError("enter failed")
    def __exit__(self, *a):
        print("never called")
try:
    with Failing():
        print("never")
except RuntimeError as e:
    print("RuntimeError:", e)
class ExitRaises:
    def __enter__(self):
        return self
    def __exit__(self, *a):
        raise OSError("from exit")
try:
    with ExitRaises():
        raise ValueError("original")
except OSError as e:
    print(repr(e), "context:", repr(e.__context__))
with Ctx("p") as (first, *rest):
    print(first, rest)
try:
    with 42:
        pass
except TypeError as e:
    print("TypeError:", e)
