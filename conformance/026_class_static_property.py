# classmethod, staticmethod, property with getter/setter/deleter, alternative constructors.
class Temp:
    scale = "C"

    def __init__(self, celsius=0.0):
        self._c = celsius

    @property
    def celsius(self):
        print("get celsius")
        return self._c

    @celsius.setter
    def celsius(self, value):
        print("set celsius", value)
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._c = value

    @celsius.deleter
    def celsius(self):
        print("del celsius")
        del self._c

    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32

    @classmethod
    def from_f(cls, f):
        return cls((f - 32) * 5 / 9)

    @classmethod
    def describe(cls):
        return f"{cls.__name__} in {cls.scale}"

    @staticmethod
    def valid(v):
        return v >= -273.15

t = Temp(25)
print(t.celsius, t.fahrenheit)
t.celsius = 100
print(t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
try:
    t.fahrenheit = 1
except AttributeError as e:
    print("AttributeError:", e)
del t.celsius
print(hasattr(t, "_c"))
try:
    t.celsius
except AttributeError as e:
    print("AttributeError:", e)
print(Temp.from_f(212).celsius, type(Temp.from_f(32)).__name__)
print(Temp.describe(), t.describe(), Temp.valid(-300), t.valid(0))
class Kelvin(Temp):
    scale = "K"
print(Kelvin.describe(), type(Kelvin.from_f(32)).__name__)
print(type(Temp.__dict__["celsius"]).__name__, type(Temp.__dict__["from_f"]).__name__, type(Temp.__dict__["valid"]).__name__)
print(Temp.celsius.fget.__name__, Temp.fahrenheit.fset is None, Temp.celsius.fdel is not None)
class Lazy:
    def __init__(self):
        self.computed = 0
    def _get(self):
        self.computed += 1
        return self.computed * 10
    value = property(_get, doc="computed value")
z = Lazy()
print(z.value, z.value, Lazy.value.__doc__)
