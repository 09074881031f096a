# Numeric builtins: chr/ord/hex/bin/oct/abs/round (banker's, ndigits)/pow (3-arg)/divmod.
print(chr(97), chr(8364), ord("a"), ord("\n"), ord("€"))
try:
    chr(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    ord("ab")
except TypeError as e:
    print("TypeError:", e)
print(hex(255), hex(-255), hex(0), bin(10), bin(-10), oct(64), oct(-8))
print(abs(-5), abs(5), abs(-2.5), abs(0), abs(-0.0), abs(True))
print([round(x) for x in (0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5)])
print(round(3.14159, 2), round(2.675, 2), round(1234.5678, -2), round(1250, -2), round(1350, -2), round(-1250, -2))
print(round(7), round(7.0), type(round(7.5)).__name__, type(round(7.5, 0)).__name__, round(0.125, 2), round(0.375, 2))
print(pow(2, 10), pow(2, -1), pow(-2, 3), pow(3, 4, 5), pow(2, 100, 1000), pow(-3, 3, 7), pow(3, -1, 7))
try:
    pow(2, 3, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    pow(2.0, 3, 5)
except TypeError as e:
    print("TypeError:", e)
print(divmod(17, 5), divmod(-17, 5), divmod(17, -5), divmod(17.5, 5), divmod(-1, 3))
try:
    divmod(1, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(max(3, 7, 5), min([4, 1, 8]), sum([1, 2, 3], 10), int(True) + 1)
print(0x1f, 0o17, 0b101, 1_000_000, 1e3, 2j * 2j, complex(1, 2).real)
print(int("42"), int("-0x10", 16), int("0b11", 2), int("  7  "), int("1_000"))
print(float("inf") > 10 ** 300, 10 ** 308 < float("1e309"), round(-0.5) == 0)
print(format(255, "x"), format(-42, "b"), hex(2 ** 64), 7 .bit_length(), (-7).__abs__())
print(abs(-10 ** 20), pow(10, 20) == 10 ** 20, pow(7, 0), pow(0, 0), divmod(2 ** 65, 3))
print(round(5.5), round(6.5), round(-5.5), round(2.5, 0), round(1e16), round(0.1 + 0.2, 10))
