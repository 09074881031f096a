# Custom exception classes: args, extra attributes, __str__ override, hierarchies, str/repr.
class AppError(Exception):
    pass
class NotFound(AppError):
    def __init__(self, name, code=404):
        super().__init__(name, code)
        self.name = name
        self.code = code
class Pretty(AppError):
    def __str__(self):
        return f"pretty: {self.args[0]}"
class NoSuper(Exception):
    def __init__(self, value):
        self.value = value
for exc in [AppError(), AppError("one"), AppError("two", 2), NotFound("page"), Pretty("p", 1), NoSuper(7)]:
    print(type(exc).__name__, exc.args, repr(str(exc)), repr(exc))
try:
    raise NotFound("user", code=410)
except AppError as e:
    print("caught", type(e).__name__, e.name, e.code, e.args, isinstance(e, NotFound))
class WithDefault(ValueError):
    def __init__(self, msg="default message"):
        super().__init__(msg)
try:
    raise WithDefault
except ValueError as e:
    print(repr(e), str(e))
print([k.__name__ for k in NotFound.__mro__])
class Wrapped(Exception):
    def __init__(self, inner):
        super().__init__(f"wrapped {type(inner).__name__}")
        self.inner = inner
try:
    try:
        [].pop()
    except IndexError as ie:
        raise Wrapped(ie)
except Wrapped as w:
    print(w, "|", w.inner, "|", w.__context__ is w.inner)
e = AppError("x")
e.args = ("changed", 1)
print(str(e), repr(e))
e2 = AppError("note me")
e2.add_note("a note")
e2.add_note("second note")
print(e2.__notes__)
class Multi(Exception):
    def __repr__(self):
        return "Multi<custom repr>"
print(repr(Multi("m")), str(Multi("m")), f"{Multi('f')!r}")
try:
    raise AppError
except AppError as e:
    print(repr(e), e.args)
class Code(Exception):
    code = 1
print(Code().code, issubclass(Code, BaseException), Code("a") == Code("a"))
