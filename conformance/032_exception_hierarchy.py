# Built-in exception hierarchy: issubclass chains, except matching by base, tuples, args.
chain = lambda cls: [k.__name__ for k in cls.__mro__]
for cls in [ZeroDivisionError, KeyError, IndexError, FileNotFoundError, UnicodeDecodeError,
            RecursionError, NotImplementedError, StopIteration, KeyboardInterrupt, SystemExit,
            ModuleNotFoundError, UnboundLocalError, TimeoutError, BrokenPipeError]:
    print(chain(cls))
print(issubclass(KeyError, LookupError), issubclass(LookupError, Exception), issubclass(SystemExit, Exception))
print(issubclass(bool, (str, int)), isinstance(ValueError("x"), (TypeError, ValueError)))
def classify(exc):
    try:
        raise exc
    except (KeyError, IndexError) as e:
        return "lookup-ish: " + type(e).__name__
    except ArithmeticError as e:
        return "arith: " + type(e).__name__
    except Exception as e:
        return "other: " + type(e).__name__
for exc in [KeyError("k"), IndexError(), OverflowError(), ZeroDivisionError, ValueError("v"), LookupError()]:
    print(classify(exc))
try:
    try:
        raise KeyboardInterrupt
    except Exception:
        print("not caught here")
except BaseException as e:
    print("caught BaseException:", type(e).__name__)
e = ValueError("msg", 2)
print(e.args, str(e), repr(e), str(ValueError()), repr(ValueError()), str(ValueError("one")))
print(repr(KeyError("k")), str(KeyError("k")), str(KeyError()), str(IndexError("i")))
print(OSError(2, "No such file").errno, OSError(2, "No such file").strerror, str(OSError(2, "No such file")))
print(type(OSError(2, "x")).__name__, IOError is OSError, EnvironmentError is OSError)
try:
    {}["a"]
except LookupError as e:
    print("LookupError caught:", type(e).__name__, e.args)
try:
    [][0]
except LookupError as e:
    print("LookupError caught:", type(e).__name__, e)
try:
    int("x")
except ValueError as e:
    print(type(e).__name__, e)
try:
    None.foo
except AttributeError as e:
    print(type(e).__name__, e)
try:
    len(5)
except TypeError as e:
    print(type(e).__name__, e)
try:
    undefined_name_here
except NameError as e:
    print(type(e).__name__, e)
s = StopIteration(7)
print(s.value, s.args, SystemExit(3).code, SystemExit().code, KeyError.__name__, Exception.__bases__[0].__name__)
