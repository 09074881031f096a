# getattr/setattr/hasattr/delattr with defaults, vars() and dir() of instances (non-dunder, sorted).
class Config:
    version = 2
    def __init__(self):
        self.name = "cfg"
        self.debug = False
    def method(self):
        return "m"
c = Config()
print(getattr(c, "name"), getattr(c, "missing", "dflt"), getattr(c, "version"), getattr(c, "method")())
try:
    getattr(c, "missing")
except AttributeError as e:
    print("AttributeError:", e)
setattr(c, "level", 3)
setattr(c, "name", "renamed")
print(c.level, c.name, hasattr(c, "level"), hasattr(c, "nope"), hasattr(Config, "method"))
delattr(c, "level")
print(hasattr(c, "level"))
try:
    delattr(c, "level")
except AttributeError as e:
    print("AttributeError:", e)
print(vars(c), vars(c) is c.__dict__)
c.__dict__["injected"] = 1
print(c.injected)
print([n for n in dir(c) if not n.startswith("__")])
print([n for n in dir(Config) if not n.startswith("__")])
try:
    vars(5)
except TypeError as e:
    print("TypeError:", e)
try:
    getattr(c, 5)
except TypeError as e:
    print("TypeError:", e)
for attr in ["name", "debug", "version"]:
    print(attr, "=", getattr(c, attr))
class Slotted:
    __slots__ = ("a",)
s = Slotted()
setattr(s, "a", 1)
print(getattr(s, "a"), [n for n in dir(s) if not n.startswith("__")])
try:
    vars(s)
except TypeError as e:
    print("TypeError:", e)
print(sorted(k for k in vars(Config) if not k.startswith("__")))
setattr(Config, "added", "class-level")
print(c.added, getattr(Config, "added"))
import sys
print(getattr(sys, "no_such_attribute", "sys default"), hasattr(sys, "version_info"))
print(sorted(n for n in dir([]) if not n.startswith("_"))[:5])
