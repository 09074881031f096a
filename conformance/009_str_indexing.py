# str indexing and slicing, iteration, ord/chr, comparison, immutability, escapes.
s = "abcdefghij"
print(s[0], s[-1], s[3], s[-3])
print(s[2:5], s[:3], s[7:], s[-3:], s[:-7], s[::2], s[1::3], s[::-1], s[8:2:-2], s[-1:-4:-1])
print(repr(s[5:2]), repr(s[100:]), s[-100:3], s[3:100])
try:
    s[10]
except IndexError as e:
    print("IndexError:", e)
try:
    s[0] = "z"
except TypeError as e:
    print("TypeError:", e)
for ch in "hey":
    print(ch, ord(ch), end="; ")
print()
print([c for c in "a1b2" if c.isdigit()], list("xyz"), tuple("ab"))
print(chr(65), chr(0x263A), ord("€"), "\u00e9", "\x41", "\101", "\N{GREEK SMALL LETTER ALPHA}")
print(len("a\tb\n"), "line1\nline2".count("\n"), r"raw\n" + "x", len(r"\n"))
print("abc" == "abc", "abc" != "abd", "a" < "b" < "c", sorted(["b", "A", "a", "B"]))
print("x".join("123"), "%s" % "s", str(123)[::-1])
multi = """first
second"""
print(multi.split("\n"), len(multi))
print("implicit" " concatenation", ("paren"
                                     "thesized"))
s2 = s
s2 += "k"
print(s, s2)
print("".join(reversed("stressed")), "racecar" == "racecar"[::-1])
print(s.upper()[2:4], "Hello"[1:].lower(), "hello"[10:20] == "")
print("é" * 3, "ab" * 0, "ab" * -1, 3 * "xy")
print(hash("abc") == hash("ab" + "c"), "abc".__len__(), "abc".__contains__("b"))
