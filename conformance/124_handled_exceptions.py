# The exception being handled (sys.exception()) after return, break and continue out of an exceptional finally body or an except clause, and in a generator suspended inside an except clause.
import sys
def f():
    for i in range(2):
        try:
            raise KeyError(i)
        finally:
            break
    print("after", sys.exception())
    return 5
print(f())
for j in range(3):
    try:
        raise ValueError(j)
    finally:
        if j < 2:
            continue
        print("last", sys.exception())
        break
print("end", sys.exception())
def g():
    try:
        raise KeyError(1)
    except KeyError:
        yield 1
        print("in gen", repr(sys.exception()))
it = g(); next(it); print("caller", sys.exception()); next(it, None)
def h():
    try:
        raise KeyError(2)
    finally:
        return "swallowed"
print(h(), sys.exception())
def k():
    try:
        raise KeyError(3)
    except KeyError:
        return "ret in except"
print(k(), sys.exception())
def gg():
    try:
        raise KeyError(4)
    except KeyError:
        yield 1
x = gg(); next(x); del x
print("after del", sys.exception())
