# Big integers: factorial, powers, mixed-sign big arithmetic, str/int round trips, bases.
def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r

f50 = fact(50)
print(f50)
print(len(str(fact(100))), sum(int(c) for c in str(fact(100))))
p = 2 ** 200
print(p)
print(p - 1, p + 1, -p)
print(p // 3, p % 3, divmod(-p, 7))
print(p * p == 2 ** 400, p // (2 ** 100) == 2 ** 100)
print((p + 12345) % 1000007, pow(3, 1000, 10 ** 9 + 7))
print(-(10 ** 30) // 7, -(10 ** 30) % 7, (10 ** 30) // -7)
print(2 ** 64 - 1, 0xFFFFFFFFFFFFFFFF == 2 ** 64 - 1, 1 << 100)
print((1 << 100) >> 99, (-(1 << 100)) >> 99, (2 ** 100) & (2 ** 100 - 1), (2 ** 70) | 1)
print(~(2 ** 70), (2 ** 70) ^ (2 ** 69))
print(int("123456789012345678901234567890") * 10)
print(hex(2 ** 100), oct(2 ** 70), bin(2 ** 40 + 5))
print(int("ff" * 10, 16), int("-1010", 2), int("zz", 36), int("0x1F", 0), int("0o17", 0))
print(abs(-(3 ** 80)), (3 ** 80).bit_length())
a, b = 3 ** 100, 2 ** 150
print(a > b, a < b, a == a + 0, max(a, b) == a)
print(float(2 ** 60), int(1e20), int(2.5e30))
fib = [0, 1]
while len(fib) < 150:
    fib.append(fib[-1] + fib[-2])
print(fib[-1])
print(10 ** 18 + 1, -(10 ** 18) - 1, 9223372036854775807 + 1, -9223372036854775808 - 1)
