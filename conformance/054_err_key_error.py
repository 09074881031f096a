# Uncaught KeyError from a dict subscript inside a function: caret line under the subscript.
inventory = {"apples": 3, "pears": 5}


def stock(item):
    count = inventory[item]
    return count


print(stock("apples"))
print(stock("bananas"))
