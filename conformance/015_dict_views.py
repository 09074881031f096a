# dict views (dynamic keys/values/items, set ops), comprehensions, iteration, mutation errors.
d = {"one": 1, "two": 2, "three": 3}
ks, vs, its = d.keys(), d.values(), d.items()
print(ks, vs, its)
d["four"] = 4
print(list(ks), list(vs), len(its), "four" in ks, 4 in vs, ("one", 1) in its)
print(sorted(ks & {"one", "five"}), sorted(ks | {"x"}), sorted(ks - {"one"}), type(ks & set()).__name__)
for k, v in d.items():
    print(k, v, end="; ")
print()
for k in d:
    print(k, end=" ")
print()
print([k for k in reversed(d)], list(reversed(d.values())))
sq = {n: n * n for n in range(6) if n % 2 == 0}
print(sq)
inv = {v: k for k, v in d.items()}
print(inv)
pairs = {(a, b): a * b for a in range(1, 3) for b in range(1, 3)}
print(pairs)
try:
    for k in d:
        d["new"] = 0
except RuntimeError as e:
    print("RuntimeError:", e)
for k in list(d):
    if len(k) > 3:
        del d[k]
print(d)
nested = {"outer": {"inner": [1, 2]}}
nested["outer"]["inner"].append(3)
print(nested, nested["outer"].get("inner"))
counts = {}
for word in "a b a c b a".split():
    counts[word] = counts.get(word, 0) + 1
print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
print(max(counts, key=counts.get), sum(counts.values()), sorted(counts))
print(list(zip(d.keys(), d.values())) == list(d.items()), dict(sorted({"b": 1, "a": 2}.items())))
print({1: "a"}.keys() == {1}, {1: "a"}.items() == {(1, "a")}, repr({}.keys()))
