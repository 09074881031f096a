# Function parameters: defaults, *args, **kwargs, keyword-only, positional-only, TypeErrors.
def f(a, b=2, *args, c, d=4, **kwargs):
    return (a, b, args, c, d, kwargs)

print(f(1, c=3))
print(f(1, 5, 6, 7, c=8, e=9, d=0))
print(f(*[1, 2, 3], **{"c": 4, "z": 5}))

def pos_only(a, b, /, c, *, d):
    return a, b, c, d

print(pos_only(1, 2, 3, d=4), pos_only(1, 2, c=3, d=4))
for call in [lambda: pos_only(1, b=2, c=3, d=4), lambda: pos_only(1, 2, 3, 4),
             lambda: f(), lambda: f(1), lambda: f(1, c=1, a=2), lambda: pos_only(1, 2, 3, d=4, e=5)]:
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)

def mutable_default(x, acc=[]):
    acc.append(x)
    return acc

print(mutable_default(1), mutable_default(2), mutable_default(3, []))

def count_calls(n=0):
    return n + 1

print(count_calls(), count_calls(10), count_calls(n=5))
print(f.__name__, f.__defaults__, f.__kwdefaults__, f.__code__.co_argcount, f.__code__.co_kwonlyargcount)

def star_only(*, x=1, y):
    return x, y

print(star_only(y=2), star_only(y=3, x=4))

def kwargs_order(**kw):
    return list(kw.items())

print(kwargs_order(z=1, a=2, m=3))

def varargs(*args):
    return type(args).__name__, len(args), args

print(varargs(), varargs(1, "a", None))

def returns_nothing():
    pass

print(returns_nothing(), (lambda: None)())

def early(x):
    if x:
        return "early"
    return "late"

print(early(1), early(0))
def outer_default(x=len("abc")):
    return x
print(outer_default())
