# Loops: while/else, for/else, break, continue (also through finally), nested loops, loop variable after loop.
i = 0
while i < 5:
    i += 1
    if i == 2:
        continue
    print("while", i)
else:
    print("while-else ran, i =", i)
n = 0
while True:
    n += 1
    if n > 3:
        break
else:
    print("never")
print("after break n =", n)
for x in [1, 3, 5]:
    if x % 2 == 0:
        print("found even")
        break
else:
    print("no even found")
for x in [1, 4, 5]:
    if x % 2 == 0:
        print("found even", x)
        break
else:
    print("never")
for i in range(3):
    for j in range(3):
        if j == i:
            continue
        if j > 1:
            break
        print("pair", i, j)
print("loop var after:", i, j)
for k in []:
    pass
else:
    print("empty for-else")
primes = []
for cand in range(2, 30):
    for d in range(2, cand):
        if cand % d == 0:
            break
    else:
        primes.append(cand)
print(primes)
total = 0
for c in "a1b22c333":
    if not c.isdigit():
        continue
    total += int(c)
print("digit sum", total)
count = 10
while count:
    count -= 3 if count > 3 else count
print("count", count)
words = iter(["x", "stop", "y"])
for w in words:
    if w == "stop":
        break
print("rest:", list(words))
for idx, ch in enumerate("ab"):
    pass
print(idx, ch)
for i in range(3):
    try:
        if i == 1:
            continue
        if i == 2:
            break
        print("body", i)
    finally:
        print("finally", i)
def swallow():
    for _ in range(2):
        try:
            raise KeyError("lost")
        finally:
            return "return in finally swallowed the exception"
print(swallow())
