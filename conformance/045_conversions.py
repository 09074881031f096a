# Conversions: int()/float()/str()/bool()/list() and the exact ValueError/TypeError messages.
print(int("12"), int(" -12 "), int("+7"), int(3.99), int(-3.99), int("101", 2), int("z", 36), int(b"42"))
print(float("1.5"), float("-1e3"), float(" .5 "), float("nan") != float("nan"), float(3), float("-inf"))
print(str(1.0), str(-0.0), str(10 ** 20), str(1e20), str([1, "a"]), str((1,)), str({"k": None}))
bad_ints = ["", "abc", "1.5", "12a", "0x10", " ", "1 2", "--1", "٣", "1__0"]
for s in bad_ints:
    try:
        print(repr(s), "->", int(s))
    except ValueError as e:
        print("ValueError:", e)
for s, base in [("12", 2), ("g", 16), ("10", 1), ("10", 37)]:
    try:
        print(int(s, base))
    except ValueError as e:
        print("ValueError:", e)
for s in ["", "abc", "1.2.3", "1e", "inf inf", "0x10"]:
    try:
        print(float(s))
    except ValueError as e:
        print("ValueError:", e)
for v in [None, [1], {}]:
    try:
        int(v)
    except TypeError as e:
        print("TypeError:", e)
    try:
        float(v)
    except TypeError as e:
        print("TypeError:", e)
try:
    int(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
try:
    int(float("nan"))
except ValueError as e:
    print("ValueError:", e)
try:
    "a" + 1
except TypeError as e:
    print("TypeError:", e)
try:
    1 + "a"
except TypeError as e:
    print("TypeError:", e)
print(str(12) + "3", int("12") + 3, "%d" % int("8"), repr(str(None)))
print(bool("False"), bool(0j), list("abc"), tuple([1]), set("aab") == {"a", "b"}, dict([(1, 2)]))
print(int("٣"), float("١.٥"), int("१२"))
