# gc.get_threshold/set_threshold, get_count right after collect, enable/disable/isenabled.
import gc

print("enabled at start:", gc.isenabled())
print("default threshold:", gc.get_threshold())
gc.collect()
print("count after collect:", gc.get_count())
gc.disable()
print("enabled after disable:", gc.isenabled())
gc.disable()
print("disable is idempotent:", gc.isenabled())
gc.enable()
print("enabled after enable:", gc.isenabled())
gc.set_threshold(500)
print("one value:", gc.get_threshold())
gc.set_threshold(300, 20)
print("two values:", gc.get_threshold())
gc.set_threshold(100, 5, 3)
print("three values:", gc.get_threshold())
try:
    gc.set_threshold()
except TypeError as e:
    print("TypeError:", e)
try:
    gc.set_threshold(1, 2, 3, 4)
except TypeError as e:
    print("TypeError:", e)
gc.set_threshold(700, 10, 10)
print("restored:", gc.get_threshold())
gc.disable()
gc.collect()
print("count after full collect:", gc.get_count())
keep = [[] for _ in range(25)]
c = gc.get_count()
print("25 new lists tracked in generation 0:", c[0] >= 25, c[1:], type(c).__name__)
gc.collect(0)
print("after collect(0):", gc.get_count())
gc.collect(1)
print("after collect(1):", gc.get_count())
gc.collect(2)
print("after collect(2):", gc.get_count())
for bad in (-1, 3):
    try:
        gc.collect(bad)
    except ValueError as e:
        print("ValueError:", e)
print("collect(generation=2):", gc.collect(generation=2))
gc.enable()
print("enabled at end:", gc.isenabled())
