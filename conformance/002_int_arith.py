# int arithmetic: + - * / // % ** with negative operands, divmod, comparisons, bit ops.
pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (6, 3), (1, 7)]
for a, b in pairs:
    print(a, b, "|", a + b, a - b, a * b, a / b, a // b, a % b, divmod(a, b))
for base, exp in [(2, 10), (-2, 3), (-2, 4), (3, 0), (0, 0), (10, -1), (2, -2), (-2, -1)]:
    print(f"{base} ** {exp} =", base ** exp)
print(2 ** 3 ** 2, (2 ** 3) ** 2, -2 ** 2, (-2) ** 2)
print(17 & 5, 17 | 5, 17 ^ 5, ~17, 1 << 10, 1024 >> 3, -17 >> 2, -1 << 4)
print(5 == 5.0, 5 < 6 < 7, 5 < 6 > 7, 1 != 2, 3 >= 3)
print(abs(-12), -(-12), +7, int(-3.9), int(3.9))
print(7 // 0.5, 7 % 0.5, -7 % 3.0)
x = 10
x += 5
x -= 3
x *= 2
x //= 5
x **= 3
x %= 50
print("augmented:", x)
x <<= 2
x |= 1
x ^= 8
x &= 0xff
x >>= 1
print("bit augmented:", x)
for a, b in [(5, 0), (0, 0)]:
    try:
        a // b
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
    try:
        a % b
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
try:
    1 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print((12).bit_length(), (-1).bit_length(), (0).bit_length(), (255).bit_count())
print(int.__name__, type(3 // 2).__name__, type(3 / 1).__name__)
