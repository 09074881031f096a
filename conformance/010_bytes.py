# bytes and bytearray: literals, indexing (ints), slicing, methods, mutation, hex, conversions.
b = b"hello world"
print(b, b[0], b[-1], b[0:5], b[::-1], len(b), type(b[0]).__name__)
print(b.upper(), b.split(), b.replace(b"o", b"0"), b.find(b"wor"), b.count(b"l"), b.startswith(b"he"))
print(bytes(3), bytes([65, 66, 67]), bytes(range(5)), bytes("é", "utf-8"), b"\x00\xff")
print(b"abc" + b"def", b"ab" * 3, b"a" in b"cat", 97 in b"cat", b"abc" < b"abd")
print(b.hex(), bytes.fromhex("de ad be ef"), b"\x01\x02".hex("-"), list(b"AB"))
print(b"  x ".strip(), b"a,b".split(b","), b"-".join([b"a", b"b"]), b"%d-%s" % (5, b"x"))
ba = bytearray(b"abc")
ba.append(100)
ba.extend(b"ef")
ba[0] = 65
print(ba, len(ba), ba[1], bytes(ba))
ba[1:3] = b"XYZ"
print(ba)
del ba[0]
print(ba, ba.pop(), ba)
ba.insert(0, 33)
ba.reverse()
print(ba, ba.decode("ascii"), bytearray(2), bytearray([1, 2]) == b"\x01\x02")
try:
    b[0] = 1
except TypeError as e:
    print("TypeError:", e)
try:
    bytes([256])
except ValueError as e:
    print("ValueError:", e)
try:
    b"\xff".decode("utf-8")
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)
print(repr(b"quote'"), repr(b'\t\n\\'), str(b"x"), int.from_bytes(b"\x01\x00", "big"), (258).to_bytes(2, "little"))
print(b"abc".decode(), "xyz".encode("ascii"), b"A".isupper(), b"12".isdigit(), b"ab".zfill(4))
