# Comprehensions: list/dict/set, nested, conditions, scoping of the loop variable, walrus.
print([x * x for x in range(6)], [x for x in range(10) if x % 3 == 0])
print([(x, y) for x in range(3) for y in range(x)])
matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([row[i] for i in range(3) for row in matrix][:4], [[row[i] for row in matrix] for i in range(3)])
print([n for row in matrix for n in row if n % 2], [x if x > 2 else -x for x in range(5)])
print({k: len(k) for k in ["a", "bb", "ccc"]}, {x % 4: x for x in range(10)})
print(sorted({c.lower() for c in "HeLLo WoRLD" if c.isalpha()}))
x = "outer"
print([x for x in range(3)], x)
i = 100
squares = [i * i for i in range(4)]
print(squares, i)
base = 10
print([base + n for n in range(3)])
class Scope:
    factor = 3
    values = [n for n in range(3)]
    try:
        scaled = [n * factor for n in range(3)]
    except NameError as e:
        scaled = "NameError: " + str(e)
print(Scope.values, Scope.scaled)
data = [3, 8, 1, 9, 4]
print([y for v in data if (y := v * 2) > 7], y)
print([[c for c in w] for w in ["ab", "c"]], [len(w) for w in "one two three".split()])
funcs = [lambda: n for n in range(3)]
print([f() for f in funcs])
print({(a, b) for a in range(2) for b in range(2)} == {(0, 0), (0, 1), (1, 0), (1, 1)})
flat = [item for sub in [[1], [2, 3], []] for item in sub]
print(flat, sum(x for x in flat), list(map(lambda t: t[0] * t[1], [(a, b) for a in (1, 2) for b in (3,)])))
nested_dict = {outer: {inner: outer * inner for inner in range(1, 3)} for outer in range(1, 3)}
print(nested_dict)
print([s.upper() for s in ("x", "y")], {n: [m for m in range(n)] for n in range(3)})
try:
    [undefined_in_comp for _ in range(1)]
except NameError as e:
    print("NameError:", e)
