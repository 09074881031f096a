# Booleans: and/or return operands, short circuit, not, chained comparisons, bool as int.
def t(name, value):
    print("eval", name)
    return value

print(t("a", 0) and t("b", 1))
print(t("a", 2) and t("b", 3))
print(t("a", 0) or t("b", ""))
print(t("a", "x") or t("b", "y"))
print(not 0, not 1, not "", not "s", not [], not [0], not None)
print(True + True, True * 10, False - 1, True / 2, sum([True, False, True]))
print(bool(0), bool(0.0), bool(""), bool(()), bool({}), bool(set()), bool(None))
print(bool(1), bool(-1), bool(0.1), bool(" "), bool((0,)), bool({0: 0}))
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 == 2, 1 == 1.0 == True)
x = 5
print(0 < x <= 5, 0 < x < 5, x is x, x is not None, x in [1, 5], x not in (5,))
print(True is True, isinstance(True, int), issubclass(bool, int), type(True).__name__)
print(True == 1, False == 0, hash(True) == hash(1), {True: "a", 1: "b"})
print(str(True), repr(False), int(True), float(False))
print(True & False, True | False, True ^ True, -True)
print(None or "default", "" or 0 or [] or "last", 1 and 2 and 3)
a = []
b = a or [1]
print(b, a is b)
print(all([]), any([]), all([1, 0]), any([0, 0, 3]))
