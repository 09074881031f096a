# Generators: yield, laziness, StopIteration, return value, generator expressions, state.
def count_up(n):
    print("start")
    i = 0
    while i < n:
        print("yielding", i)
        yield i
        i += 1
    print("exhausted")

g = count_up(2)
print(type(g).__name__, g.__name__)
print(next(g))
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("StopIteration", e.value)
print(next(g, "default after end"))
print(list(count_up(3)))
def with_return():
    yield 1
    return "result"
g = with_return()
next(g)
try:
    next(g)
except StopIteration as e:
    print("return value:", e.value)
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(12)])
squares = (x * x for x in range(5))
print(type(squares).__name__, sum(squares), sum(squares))
print(list(x for x in "abc" if x != "b"), max(len(w) for w in ["a", "bbb", "cc"]))
def pipeline():
    nums = (n for n in range(20))
    evens = (n for n in nums if n % 2 == 0)
    return [n * 10 for n in evens if n > 10]
print(pipeline())
def gen_state():
    yield 1
g = gen_state()
print(g.gi_running, g.gi_frame is not None)
list(g)
print(g.gi_frame)
def early_return(flag):
    if flag:
        return
    yield "never"
print(list(early_return(True)), list(early_return(False)))
def infinite_words():
    for w in ["x", "y"]:
        yield w
    yield from "zw"
print(list(infinite_words()), dict(enumerate(infinite_words())))
def raise_inside():
    yield 1
    raise ValueError("inside generator")
try:
    for v in raise_inside():
        print("got", v)
except ValueError as e:
    print("ValueError:", e)
def stop_in_gen():
    yield 1
    raise StopIteration
try:
    list(stop_in_gen())
except RuntimeError as e:
    print("RuntimeError:", e)
