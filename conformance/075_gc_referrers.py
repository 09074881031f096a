# gc.get_referrers: which tracked containers point at an object (types only, filtered to this test).
import gc

gc.disable()
gc.collect()


class Node:
    __slots__ = ("next",)


target = Node()
holder_list = [target]
holder_dict = {"t": target}
holder_node = Node()
holder_node.next = target
holder_tuple = (target, 1)


def referrer_types(obj, exclude):
    return sorted(type(r).__name__ for r in gc.get_referrers(obj) if not any(r is e for e in exclude))


module_globals = globals()
print("referrers:", referrer_types(target, [module_globals]))
print("module globals refer to it:", any(r is module_globals for r in gc.get_referrers(target)))
del holder_list
print("after deleting the list:", referrer_types(target, [module_globals]))
holder_dict.clear()
print("after clearing the dict:", referrer_types(target, [module_globals]))
holder_node.next = None
del holder_tuple
print("after dropping node link and tuple:", referrer_types(target, [module_globals]))
lonely = Node()
print("only the globals:", referrer_types(lonely, [module_globals]), len(gc.get_referrers(lonely)))


def local_scope():
    local = Node()
    box = [local, local]
    return len([r for r in gc.get_referrers(local) if r is box])


print("a list holding it twice appears once:", local_scope())
atom = "not tracked"
box = [atom]
print("an untracked object's referrers include the tracked list:", any(r is box for r in gc.get_referrers(atom)))
