# random: seeded values bit-exact with CPython's Mersenne Twister and Lib/random.py.
import random

for s in [0, 1, 42, -42, 2**32, 2**100 + 12345, True]:
    random.seed(s)
    print(s, random.random(), random.random(), random.getrandbits(7), random.getrandbits(32),
          random.getrandbits(33), random.getrandbits(64), random.getrandbits(100))

random.seed(12345)
print([random.randint(1, 6) for _ in range(20)])
print([random.randrange(10) for _ in range(10)], [random.randrange(-5, 5) for _ in range(5)])
print([random.randrange(0, 100, 7) for _ in range(5)], [random.randrange(50, 0, -3) for _ in range(5)])
print(random.randrange(10**30), random.randint(-2**70, 2**70), random.getrandbits(0))
print([random.uniform(-1, 1) for _ in range(3)])

rng = random.Random(2024)
deck = list(range(20))
rng.shuffle(deck)
print(deck)
print([rng.choice("abcdefg") for _ in range(10)], rng.choice(range(1000, 2000)))
print(rng.sample(range(100), 10), rng.sample("pymem", 5), rng.sample(range(10**6), 8))
print(rng.sample(["red", "blue"], counts=[4, 2], k=5), rng.sample(range(30), k=25))
print(rng.choices("abc", k=8), rng.choices("abc", weights=[10, 1, 1], k=8))
print(rng.choices(range(5), cum_weights=[1, 2, 3, 4.5, 5], k=6), rng.choices([1, 2]))
print([round(rng.gauss(), 12) for _ in range(5)], [round(rng.normalvariate(10, 2), 12) for _ in range(3)])
print(rng.randbytes(10), rng.randbytes(0))

a, b = random.Random(7), random.Random(7)
print(a.random() == b.random(), [a.randrange(1000) for _ in range(3)] == [b.randrange(1000) for _ in range(3)])
state = a.getstate()
print(state[0], len(state[1]), state[2])
x = [a.random() for _ in range(3)]
a.setstate(state)
print(x == [a.random() for _ in range(3)], isinstance(random.Random, type))
a.gauss()
state = a.getstate()
g1 = a.gauss()
a.setstate(state)
print(type(state[2]).__name__, a.gauss() == g1)

for s in ["hello", b"hello", bytearray(b"xyz"), "", 3.5, -0.25]:
    random.seed(s)
    print(repr(s), random.random(), random.randrange(1000))

random.seed(None)
print(0.0 <= random.random() < 1.0)
random.seed()
print(0 <= random.randrange(5) < 5)

def check(f, *args, **kw):
    try:
        print(f.__name__, f(*args, **kw))
    except Exception as e:
        print(f.__name__, type(e).__name__, e)

check(random.randrange, 0)
check(random.randrange, 5, 5)
check(random.randrange, 1, 10, 0)
check(random.randrange, 10, 1, 2)
check(random.randrange, 1.5)
check(random.randrange, 5, step=2)
check(random.randint, 3, 1)
check(random.choice, [])
check(random.sample, [1, 2], 3)
check(random.sample, {1, 2}, 1)
check(random.choices, [1, 2], [1, 2], cum_weights=[1, 2])
check(random.choices, [1, 2], [1])
check(random.choices, [1, 2], [0, 0])
check(random.choices, [1, 2, 3], 2)
check(random.getrandbits, -1)
check(random.seed, [1, 2])
check(random.sample, [1, 2, 3], 2, counts=[1, 2])
check(random.choices, [], weights=[])
check(random.choices, [], k=2)
check(random.randrange, 1, 10, 1.0)
check(random.randrange, 5, 1, 1)

d = random.Random(99)
print(d.triangular(), d.triangular(1, 3), d.triangular(0, 10, 8), d.triangular(2, 2, 2), d.triangular(5, 1))
print(d.expovariate(), d.expovariate(0.5), d.expovariate(-2), d.lognormvariate(0, 1), d.lognormvariate(1.5, 0.25))
print(d.paretovariate(3), d.weibullvariate(1, 1.5), d.weibullvariate(2.5, 0.5), d.uniform(10, 20))
check(d.expovariate, 0)
check(d.paretovariate, 0)
check(d.lognormvariate, 1)
