# Closures: captured variables, nonlocal, global, late binding, independent counters.
def make_counter(start=0):
    count = start
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc

c1, c2 = make_counter(), make_counter(100)
print(c1(), c1(), c1(5), c2(), c1())
total = 0
def add_global(n):
    global total
    total += n
    return total
print(add_global(3), add_global(4), total)
def set_new_global():
    global created_later
    created_later = "made inside"
set_new_global()
print(created_later)
funcs = [lambda: i for i in range(3)]
print([f() for f in funcs])
funcs = [lambda i=i: i for i in range(3)]
print([f() for f in funcs])
def outer():
    x = "outer"
    def middle():
        def inner():
            return x
        return inner
    x = "rebound"
    return middle()()
print(outer())
def shadow():
    total = "local"
    return total
print(shadow(), total)
def unbound():
    try:
        print(y)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    y = 1
    return y
unbound()
def acc():
    items = []
    def add(x):
        items.append(x)
        return len(items)
    def get():
        return list(items)
    return add, get
add, get = acc()
add("a")
add("b")
print(get(), add.__closure__ is not None, len(add.__closure__), type(add.__closure__[0]).__name__)
def nl_chain():
    a = 0
    def one():
        nonlocal a
        def two():
            nonlocal a
            a += 10
        two()
        a += 1
    one()
    one()
    return a
print(nl_chain())
print(make_counter.__code__.co_freevars, make_counter(1).__code__.co_freevars)
