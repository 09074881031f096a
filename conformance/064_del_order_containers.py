# Order of __del__ when containers die: lists and tuples release items last-to-first, dicts first-to-last.
class D:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        print("del", self.tag)


print("-- list")
items = [D("l0"), D("l1"), D("l2")]
del items
print("-- tuple")
t = (D("t0"), D("t1"), D("t2"))
del t
print("-- dict values")
d = {"a": D("d0"), "b": D("d1"), "c": D("d2")}
del d
print("-- dict keys")
d = {D("k0"): 0, D("k1"): 1}
del d
print("-- list.clear()")
items = [D("c0"), D("c1"), D("c2")]
items.clear()
print("-- del slice")
items = [D("s0"), D("s1"), D("s2"), D("s3")]
del items[1:3]
print("remaining:", [x.tag for x in items])
items = None
print("-- instance attributes")
o = D("owner")
o.first = D("attr1")
o.second = D("attr2")
del o
print("-- locals on return")


def f():
    a = D("local_a")
    b = D("local_b")
    c = D("local_c")
    return "f returned"


print(f())
print("-- nested list")
n = [D("outer0"), [D("inner0"), D("inner1")], D("outer2")]
del n
print("-- list slice assignment")
items = [D("r0"), D("r1")]
items[:] = [D("new")]
print("replaced")
del items
print("end")
