# del: names (NameError afterwards), list items and slices, dict keys, attributes, tuples of targets.
x = 5
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)
items = list(range(8))
del items[0]
del items[-1]
del items[1:3]
print(items)
d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d)
try:
    del d["zz"]
except KeyError as e:
    print("KeyError:", e)
class Obj:
    cls_attr = "class"
o = Obj()
o.a = 1
o.b = 2
del o.a
print(vars(o), hasattr(o, "a"))
try:
    del o.a
except AttributeError as e:
    print("AttributeError:", e)
try:
    del o.cls_attr
except AttributeError as e:
    print("AttributeError:", e)
del Obj.cls_attr
print(hasattr(Obj, "cls_attr"))
p, q, r = 1, 2, 3
del p, q
print("r" in dir(), "p" in dir(), r)
nested = [[1, 2], [3, 4]]
del nested[0][1], nested[1]
print(nested)
def local_del():
    v = "local"
    del v
    try:
        return v
    except UnboundLocalError as e:
        return "UnboundLocalError: " + str(e)
print(local_del())
try:
    del undefined_thing
except NameError as e:
    print("NameError:", e)
t = (1, 2)
try:
    del t[0]
except TypeError as e:
    print("TypeError:", e)
s = "str"
try:
    del s[0]
except TypeError as e:
    print("TypeError:", e)
g = 1
def del_global():
    global g
    del g
del_global()
print("g" in globals())
lst = [1, 2, 3]
alias = lst
del lst
print(alias)
[a, b] = [10, 20]
del [a, b]
print("a" in dir(), "b" in dir())
