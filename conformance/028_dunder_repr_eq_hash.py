# __repr__/__str__/__eq__/__hash__/__lt__: printing, equality, dict keys, sorting instances.
class Card:
    order = "23456789TJQKA"
    def __init__(self, rank, suit):
        self.rank, self.suit = rank, suit
    def __repr__(self):
        return f"Card({self.rank!r}, {self.suit!r})"
    def __str__(self):
        return self.rank + self.suit
    def __eq__(self, other):
        if not isinstance(other, Card):
            return NotImplemented
        return (self.rank, self.suit) == (other.rank, other.suit)
    def __hash__(self):
        return hash((self.rank, self.suit))
    def __lt__(self, other):
        return Card.order.index(self.rank) < Card.order.index(other.rank)

hand = [Card("K", "s"), Card("2", "h"), Card("T", "d"), Card("A", "c")]
print(hand)
print([str(c) for c in hand], str(hand[0]), repr(hand[0]), f"{hand[0]} {hand[0]!r}")
print(sorted(hand), max(hand), min(hand), sorted(hand, reverse=True)[0])
print(Card("K", "s") == Card("K", "s"), Card("K", "s") != Card("K", "h"), Card("K", "s") == "Ks")
print(Card("K", "s") in hand, hand.index(Card("T", "d")), hand.count(Card("2", "h")))
seen = {Card("K", "s"): 1}
seen[Card("K", "s")] += 1
print(seen, len({Card("A", "c"), Card("A", "c")}))
print(Card("2", "c") > Card("A", "d"), Card("3", "c") < Card("4", "c"))
class NoHash:
    def __eq__(self, other):
        return True
try:
    hash(NoHash())
except TypeError as e:
    print("TypeError:", e)
print(NoHash.__hash__ is None, NoHash() == 5, 5 == NoHash())
class Plain:
    pass
a = Plain()
print(a == a, a == Plain(), a != Plain(), {a: 1}[a])
class OnlyStr:
    def __str__(self):
        return "only str"
x = OnlyStr()
print(x, str(x), repr(x).startswith("<__main__.OnlyStr object"))
class OnlyRepr:
    def __repr__(self):
        return "OnlyRepr()"
print(OnlyRepr(), str(OnlyRepr()), [OnlyRepr()], f"{OnlyRepr()}")
try:
    Card("A", "s") < 3
except AttributeError as e:
    print("AttributeError:", e)
class Version:
    def __init__(self, *parts):
        self.parts = parts
    def __eq__(self, other):
        return self.parts == other.parts
    def __le__(self, other):
        return self.parts <= other.parts
print(Version(1, 2) <= Version(1, 3), Version(1, 3) >= Version(1, 2))
try:
    Version(1) < Version(2)
except TypeError as e:
    print("TypeError:", e)
