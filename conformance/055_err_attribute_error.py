# Uncaught AttributeError on an instance (attribute name far from any existing one).
class Account:
    def __init__(self, owner):
        self.owner = owner
        self.balance = 0


acct = Account("ann")
print(acct.owner, acct.balance)
print(acct.zzzqqq)
