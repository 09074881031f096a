# Helper module for the import programs: defines things, prints nothing when imported.
__all__ = ["Square", "area_of", "PI"]

PI = 3.14159
_private = "hidden"
loads = 0
loads += 1
registry = []


class Square:
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side * self.side

    def __repr__(self):
        return f"Square({self.side})"


def area_of(shape):
    registry.append(shape)
    return shape.area()


def circle_area(r):
    return PI * r * r


def whoami():
    return __name__
