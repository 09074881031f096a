# objgraph: count, typestats, by_type, growth/show_growth deltas, most_common_types and chains, for the types the program makes.
import objgraph


class Node:
    def __init__(self, name):
        self.name = name
        self.children = []


class Leaf:
    pass


mine = lambda o: type(o).__name__ in ("Node", "Leaf")
objgraph.show_growth(filter=mine)
print("no growth yet:", objgraph.growth(filter=mine))
root = Node("root")
for i in range(30):
    child = Node("n%d" % i)
    root.children.append(child)
    for j in range(i % 3):
        child.children.append(Leaf())
print(objgraph.count("Node"), objgraph.count("Leaf"), objgraph.count("__main__.Node"))
print(sorted(objgraph.typestats(filter=mine).items()))
print(len(objgraph.by_type("Leaf")), all(type(x) is Leaf for x in objgraph.by_type("Leaf")))
objgraph.show_growth(filter=mine)
objgraph.show_most_common_types(limit=2, objects=objgraph.by_type("Node") + objgraph.by_type("Leaf"))
print(objgraph.most_common_types(limit=2, filter=mine))
extra = [Node("x%d" % i) for i in range(5)]
print(objgraph.growth(filter=mine))
objgraph.show_growth(filter=mine, shortnames=False)
del root.children[20:]
print(objgraph.growth(filter=mine), objgraph.count("Node"), objgraph.count("Leaf"))
leaf = root.children[5].children[1]
chain = objgraph.find_backref_chain(leaf, lambda o: o is root)
print([type(o).__name__ for o in chain])
chain = objgraph.find_ref_chain(root, lambda o: type(o) is Leaf)
print([type(o).__name__ for o in chain])
print(objgraph.find_backref_chain(leaf, lambda o: False, max_depth=2) == [leaf])
