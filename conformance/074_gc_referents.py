# gc.get_referents of small objects: lengths, types, identity of what each container references.
import gc


def kinds(*objs):
    return [type(o).__name__ for o in gc.get_referents(*objs)]


a, b = [1], [2]
lst = [a, b, "s", 7]
print("list:", len(gc.get_referents(lst)), kinds(lst))
print("list references a and b:", any(o is a for o in gc.get_referents(lst)), any(o is b for o in gc.get_referents(lst)))
print("tuple:", kinds((a, "x", 3)))
print("dict with str keys:", kinds({"k": a, "j": 2}))
print("dict with int key:", sorted(kinds({1: a})))
print("set:", kinds({1}), len(gc.get_referents({1, 2, 3})))
print("empty containers:", gc.get_referents([], {}, ()))
print("atoms:", gc.get_referents(1, "s", 2.5, None))
print("two arguments:", len(gc.get_referents([a], [a, b])))


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(a, b)
refs = gc.get_referents(p)
print("instance refers to its class:", any(o is Point for o in refs))
print("instance refers to its attribute values:", any(o is a for o in refs), any(o is b for o in refs))


class Slot:
    __slots__ = ("v", "w")


s = Slot()
s.v = a
print("slotted instance:", sorted(kinds(s)), any(o is a for o in gc.get_referents(s)))
s.w = b
print("both slots set:", sorted(kinds(s)))
nested = [[a], [[b]]]
print("only direct referents:", len(gc.get_referents(nested)), any(o is a for o in gc.get_referents(nested)))
cell_holder = [a]
print("list holds the list object itself:", gc.get_referents(cell_holder)[0] is a)
