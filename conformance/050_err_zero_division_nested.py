# Uncaught ZeroDivisionError three calls deep: traceback (with caret lines) on stderr, status 1.
def ratio(a, b):
    return a / b


def average(values):
    total = sum(values)
    return ratio(total, len(values))


def report(groups):
    for name, values in groups:
        print(name, average(values))


print("start")
report([("first", [1, 2, 3]), ("empty", [])])
print("never printed")
