# Uncaught NameError in a function called from module level; the name has no close match.
def compute(n):
    result = n * 2
    return result + qqqqzzzz


print("before")
value = compute(21)
print(value)
