# __del__ runs immediately when the last reference goes away (prompt refcounting), in program order.
class Noisy:
    def __init__(self, name):
        self.name = name
        print("create", name)

    def __del__(self):
        print("destroy", self.name)


a = Noisy("a")
print("before del a")
del a
print("after del a")
b = Noisy("b")
b2 = b
del b
print("b still referenced by b2")
b2 = None
print("after b2 = None")
c = Noisy("c1")
c = Noisy("c2")
print("c rebound")
Noisy("temporary")
print("after temporary expression statement")
lst = [Noisy("in list")]
lst.pop()
print("after pop")
d = {"k": Noisy("in dict")}
d["k"] = 0
print("after dict overwrite")


def scope():
    local = Noisy("local")
    print("leaving scope")


scope()
print("after scope")


def returns():
    return Noisy("returned")


returns()
print("discarded return value")
x = returns().name
print("kept only the name:", x)
holder = Noisy("holder")
holder.child = Noisy("child")
del holder
print("after holder")
del c
print("end")
