# import of helper modules beside the script: import, from-import, aliases, module caching, __name__.
import sys
import modhelper_shapes
import modhelper_shapes as shapes_alias
from modhelper_shapes import Square, area_of as area
from modhelper_counter import bump, shapes_loads
import modhelper_counter

print(__name__, modhelper_shapes.__name__, modhelper_shapes.whoami())
print(modhelper_shapes is shapes_alias, sys.modules["modhelper_shapes"] is modhelper_shapes)
sq = Square(4)
print(sq, area(sq), modhelper_shapes.registry, modhelper_shapes.circle_area(1))
print(bump(), bump(), modhelper_counter.count, shapes_loads(), modhelper_shapes.loads)
import modhelper_shapes
print(modhelper_shapes.loads, "module body ran once")
modhelper_shapes.PI = 3
print(shapes_alias.circle_area(2), modhelper_counter.modhelper_shapes is modhelper_shapes)
print(type(modhelper_shapes).__name__, modhelper_shapes.__file__.endswith("modhelper_shapes.py"))
print(sorted(n for n in dir(modhelper_shapes) if not n.startswith("__")))
ns = {}
exec("from modhelper_shapes import *", ns)
print(sorted(k for k in ns if k != "__builtins__"))
try:
    import modhelper_does_not_exist
except ModuleNotFoundError as e:
    print("ModuleNotFoundError:", e, e.name)
try:
    from modhelper_shapes import nothing_here
except ImportError as e:
    print("ImportError:", str(e).split(" (")[0])
print(Square.__module__, area.__module__, area.__name__)
print("modhelper_counter" in sys.modules, "__main__" in sys.modules, sys.modules["__main__"].__name__)
