# guppy/heapy: hpy().heap() after setrelheap(): the partition's header and the rows for the program's class and its instance dicts.
from guppy import hpy


class Node:
    def __init__(self, i):
        self.i = i
        self.kids = []


h = hpy()
h.setrelheap()
nodes = [Node(i) for i in range(200)]
lines = str(h.heap()).split("\n")
print("@numbers vary")
print(lines[0])
print(lines[1])
for line in lines[2:]:
    if "Node" in line:
        print(line[:6] + line[6:13] + " ... " + line.split("  ")[-1].split(" ", 1)[-1])
print("@numbers same")
rows = [line.split() for line in lines[2:] if line.endswith("Node")]
print([(" ".join(r[7:]), int(r[1])) for r in rows])
