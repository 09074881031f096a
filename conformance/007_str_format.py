# Formatting: f-strings with format specs, !r/!s/!a, nested specs, str.format, format().
name, n, x = "pymem", 42, 3.14159265
print(f"{name} {n} {x}")
print(f"{name!r} {name!s} {'é'!a} {n!r}")
print(f"[{n:5}] [{n:<5}] [{n:^5}] [{n:>5}] [{n:05}] [{n:+}] [{-n:+}] [{n: }]")
print(f"[{name:10}] [{name:>10}] [{name:^10}] [{name:*^11}] [{name:.2}]")
print(f"{x:.2f} {x:10.3f} {x:e} {x:.3e} {x:g} {x:%} {0.25:.1%} {1e20:g} {1234.5:,.2f}")
print(f"{255:x} {255:X} {255:#x} {255:o} {255:#o} {255:b} {255:#b} {65:c} {1000000:,} {1000000:_}")
print(f"{-255:x} {255:08b} {255:#010x} {3:.2f} {2.5:.0f} {3.5:.0f}")
width, prec = 12, 4
print(f"[{x:{width}.{prec}f}] [{x:>{width}}] [{name:{'^'}{width}}]")
print(f"{n * 2} {n // 5 = } {name.upper()} {[i for i in range(3)]} {'nested ' + name}")
print(f"{{literal braces}} {n}{{}}")
d = {"a": 1}
print(f"{d['a']} {d!r} {len(d)}")
print(f"{x=:.2f} {n=}")
print("{} and {}".format("first", "second"), "{1} {0} {1}".format("a", "b"))
print("{name} is {age}".format(name="Ann", age=7), "{0[0]} {0[1]}".format(("t", "u")))
print("{:>8}|{:<8}|{:^8}".format("r", "l", "c"), "{:.3}".format("truncate"), "{!r}".format("q"))
print("{a.real} {b[k]}".format(a=5, b={"k": "v"}))
print(format(3.14159, ".3f"), format(42, "08b"), format("s", ">3"), format(1234567, ","))
print(format(True), format(None), format(12.0), format(1e100), format(-0.0))
print(f"{True:d} {False:>5} {None!s:>6}")
print("{:10.4f}|{:<10.2e}|{:+.1f}".format(2.718281828, 12345.678, -0.05))
print("{:,}".format(-1234567.891), "{:.2%}".format(1 / 3), f"{12:{'<'}4}|")
for v in [0, 7, -7, 1.5, -1.5, 1e-7, 123456789.0]:
    print(f"{v!r:>14} {v:>14} {v:>10.3g}")
