# sorted (key, reverse, stability), reversed, min/max (key, default), sum (start), any/all.
data = [5, 2, 9, 1, 5, 6]
print(sorted(data), sorted(data, reverse=True), data)
words = ["kiwi", "Banana", "apple", "fig", "cherry"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len), sorted(words, key=len, reverse=True))
people = [("ann", 30), ("bob", 25), ("cid", 30), ("dee", 25)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (-p[1], p[0])))
print(sorted("hello"), sorted({3: "c", 1: "a"}), sorted((2, 1)), sorted([]))
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed((1, 2))))
print(min(data), max(data), min("hello"), max([3, 8], [3, 9]), min(4, 2, 8), max(4, 2, 8))
print(min(words, key=len), max(words, key=len), max(people, key=lambda p: p[1]))
print(min([], default="empty"), max([], default=None), max([1], default=0))
try:
    min([])
except ValueError as e:
    print("ValueError:", e)
try:
    max(1)
except TypeError as e:
    print("TypeError:", e)
print(sum(data), sum([0.5, 0.25]), sum([[1], [2]], []), sum(range(5), 100), sum([]))
print(any(x > 8 for x in data), all(x > 0 for x in data), any([]), all([]), all([1, [], 2]))
checked = []
def check(x):
    checked.append(x)
    return x > 4
print(any(check(x) for x in data), checked)
checked.clear()
print(all(check(x) for x in data), checked)
print(sorted(range(10), key=lambda n: n % 3))
print(sorted([3.5, 1, 2.25, -1]), sorted([True, False, 2, -1]))
class Box:
    def __init__(self, v):
        self.v = v
    def __repr__(self):
        return f"Box({self.v})"
boxes = [Box(3), Box(1), Box(2)]
print(sorted(boxes, key=lambda b: b.v), min(boxes, key=lambda b: b.v), max(boxes, key=lambda b: -b.v))
try:
    sorted(boxes)
except TypeError as e:
    print("TypeError:", e)
