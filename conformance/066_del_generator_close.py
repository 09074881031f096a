# Dropping a suspended generator closes it at once: GeneratorExit and finally run before the next line.
class Res:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("free", self.name)


def gen():
    r = Res("generator local")
    try:
        print("generator started")
        yield 1
        yield 2
    except GeneratorExit:
        print("GeneratorExit in generator")
        raise
    finally:
        print("generator finally")


g = gen()
print(next(g))
del g
print("after del g")
g = gen()
print("unstarted generator dropped")
del g
print("after del unstarted")
for v in gen():
    print("loop got", v)
    break
print("after break out of for loop")
g = gen()
list(g)
print("exhausted generator is done")
del g
print("exhausted dropped")


def outer():
    yield from gen()


o = outer()
next(o)
o = None
print("after dropping delegating generator")
names = (x.name for x in [Res("captured list item")])
print(next(names))
names = None
print("end")
