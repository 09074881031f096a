# Exception chaining: __context__ (implicit), __cause__ (raise from), __suppress_context__, from None.
def implicit():
    try:
        {}["key"]
    except KeyError:
        raise ValueError("while handling")
try:
    implicit()
except ValueError as e:
    print(repr(e), repr(e.__context__), e.__cause__, e.__suppress_context__)
def explicit():
    try:
        int("x")
    except ValueError as exc:
        raise RuntimeError("wrapped") from exc
try:
    explicit()
except RuntimeError as e:
    print(repr(e), type(e.__cause__).__name__, e.__cause__ is e.__context__, e.__suppress_context__)
def suppressed():
    try:
        1 / 0
    except ZeroDivisionError:
        raise LookupError("clean") from None
try:
    suppressed()
except LookupError as e:
    print(repr(e), e.__cause__, type(e.__context__).__name__, e.__suppress_context__)
try:
    raise TypeError("t") from KeyError("k")
except TypeError as e:
    print(repr(e.__cause__), e.__context__)
def depth3():
    try:
        try:
            raise KeyError(1)
        except KeyError:
            raise IndexError(2)
    except IndexError:
        raise ValueError(3)
try:
    depth3()
except ValueError as e:
    c = e
    names = []
    while c is not None:
        names.append(f"{type(c).__name__}{c.args}")
        c = c.__context__
    print(" <- ".join(names))
e = ValueError("manual")
e.__cause__ = KeyError("set by hand")
print(e.__suppress_context__, repr(e.__cause__))
try:
    raise RuntimeError("x") from ValueError
except RuntimeError as err:
    print(type(err.__cause__).__name__, err.__cause__.args)
try:
    raise RuntimeError from 5
except TypeError as err:
    print("TypeError:", err)
try:
    try:
        raise KeyError("a")
    except KeyError as first:
        try:
            raise first
        except KeyError as again:
            print(again is first, again.__context__)
except Exception:
    pass
def tb_names(e):
    tb = e.__traceback__
    out = []
    while tb is not None:
        out.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return out
try:
    depth3()
except ValueError as e:
    print(tb_names(e), tb_names(e.__context__))
