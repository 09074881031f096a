# itertools: the iterators and their reprs.
from itertools import *
import itertools
print(list(islice(count(5), 3)), count(5), count(2, 3), repeat('a', 2), repeat(1))
c = count(5); next(c); print(c)
print(list(islice(cycle('ab'), 5)))
print(list(repeat(7, 3)), repeat(1, 4).__length_hint__())
print(list(chain([1, 2], 'ab')), list(chain.from_iterable([[1], [2, 3]])))
print(list(islice(range(10), 2, 8, 2)), list(islice('abcdef', 3)), list(islice(range(5), 1, None)))
print(list(accumulate([1, 2, 3, 4])), list(accumulate([1, 2, 3], lambda a, b: a * b, initial=10)))
print(list(accumulate([])), list(accumulate([], initial=0)))
print(list(product('ab', [1, 2])), list(product([0, 1], repeat=2)))
print(list(permutations('abc', 2)), len(list(permutations(range(4)))))
print(list(combinations('abcd', 2)), list(combinations(range(3), 5)))
print(list(combinations_with_replacement('abc', 2)))
print([(k, list(g)) for k, g in groupby('aaabbcdd')])
print([(k, list(g)) for k, g in groupby([1, 3, 2, 4, 5], key=lambda x: x % 2)])
gs = list(groupby('aabb')); print([(k, list(g)) for k, g in gs])
print(list(zip_longest('abc', [1], fillvalue='-')), list(zip_longest()))
print(list(starmap(pow, [(2, 3), (3, 2)])))
print(list(takewhile(lambda x: x < 3, [1, 2, 3, 1])), list(dropwhile(lambda x: x < 3, [1, 2, 3, 1])))
print(list(filterfalse(None, [0, 1, '', 'a'])), list(filterfalse(lambda x: x % 2, range(6))))
print(list(compress('abcdef', [1, 0, 1, 0, 1])))
a, b = tee([1, 2, 3]); print(next(a), list(b), list(a))
print(list(pairwise('abcd')), list(batched(range(7), 3)))
print(type(chain()).__name__, type(count()).__module__, iter(c) is c)
for bad in (lambda: islice(range(3), -1), lambda: batched('ab', 0), lambda: list(permutations('ab', -1)), lambda: tee([], -1), lambda: list(product('a', repeat=-1))):
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    next(islice([], 0))
except StopIteration:
    print('StopIteration')
print(sum(1 for _ in combinations(range(10), 3)))
