# An uncaught exception raised through itertools, functools.reduce, partial, lru_cache and a defaultdict factory: their frames do not show, as CPython's C versions have none.
from collections import defaultdict
from functools import lru_cache, partial, reduce
from itertools import starmap


@lru_cache
def inverse(x):
    return 1 / x


def step(total, x):
    return total + inverse(x)


table = defaultdict(partial(reduce, step, [4, 2, 0]))
print(list(starmap(pow, [(2, 3)])))
print(sum(starmap(lambda key: table[key], [('a',)])))
