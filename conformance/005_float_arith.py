# float arithmetic and repr: shortest repr, rounding artifacts, inf/nan, conversions.
print(0.1 + 0.2, 0.1 + 0.2 == 0.3, 1 / 3, 2 / 3, 10 / 4)
print(1.0, 100.0, 1e22, 1e16, 1e15, 123456789012345678.0, 0.000001, 0.0000001)
print(1.5e-10, -2.5e300, 3.14159, 2.0 ** 0.5, 2 ** -1)
print(7.0 // 2, -7.0 // 2, 7.0 % -2, -7.5 % 2, divmod(7.5, 2), divmod(-7.5, 2))
print(3.0 * 1.1, 1.1 * 1.1, 1 - 0.9, 100 * 1.1)
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, inf + 1, inf - inf, inf * 0, -inf < 0 < inf)
print(nan == nan, nan != nan, nan is nan, inf == inf, float("-inf"), float("Infinity"))
print(float("1e500"), float("-0"), -0.0 == 0.0, 0.0 * -1)
print((2.5).is_integer(), (3.0).is_integer(), (0.5).as_integer_ratio(), (0.75).hex())
print(int(2.9), int(-2.9), float(7), float("  3.25  "), float("1_000.5"))
print(round(2.675, 2), round(0.5), round(1.5), round(2.5), round(-0.5), round(3.14159, 3))
print(1e308 * 10, 5e-324, 5e-324 / 2, 2.0 ** 1023 * 2 == inf)
try:
    2.0 ** 10000
except OverflowError as e:
    print("OverflowError:", e)
try:
    1.0 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    5.0 % 0.0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(max(1.5, 2), min(-0.5, 0), abs(-3.5), sum([0.1] * 10))
print(float.fromhex("0x1.8p1"), 1.0.hex(), float(10 ** 20), 10 ** 20 / 10)
print(3 / 2 * 2, 7 // 2.0, 2 ** 0.5 * 2 ** 0.5, 1e-7 + 1)
print([x / 10 for x in range(11)])
