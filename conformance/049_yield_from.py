# yield from: delegation of next/send/throw/close to a subgenerator and its return value.
def inner():
    x = yield "inner 1"
    print("inner received", x)
    yield "inner 2"
    return "inner result"
def outer():
    result = yield from inner()
    print("yield from returned", result)
    yield "outer done"
o = outer()
print(next(o))
print(o.send("hello"))
print(next(o))
print(next(o, "end"))
def catcher():
    while True:
        try:
            yield "ready"
        except ValueError as e:
            print("caught inside:", e)
            yield "recovered"
def delegating_throw():
    try:
        yield from catcher()
    finally:
        print("outer finally")
d = delegating_throw()
print(next(d), d.throw(ValueError("through yield from")))
d.close()
def sub():
    try:
        yield 1
        yield 2
    finally:
        print("sub finally")
def delegator():
    yield from sub()
g = delegator()
print(next(g))
g.close()
print("close reached the subgenerator")
def chain(*its):
    for it in its:
        yield from it
print(list(chain([1, 2], "ab", range(2), {"k": 0})))
def averager():
    total, count = 0, 0
    while True:
        value = yield
        if value is None:
            return total / count
        total, count = total + value, count + 1
def grouper(results, key):
    while True:
        results[key] = yield from averager()
results = {}
for key, values in [("a", [1, 2, 3]), ("b", [10, 20])]:
    group = grouper(results, key)
    next(group)
    for v in values:
        group.send(v)
    group.send(None)
print(results)
def flatten(x):
    if isinstance(x, list):
        for item in x:
            yield from flatten(item)
    else:
        yield x
print(list(flatten([1, [2, [3, [4]], 5], [[6]]])))
def returns_early():
    return "nothing yielded"
    yield
def wrapper():
    r = yield from returns_early()
    yield r
print(list(wrapper()))
