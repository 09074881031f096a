# raise SystemExit("msg"): the message goes to stderr, exit status 1, no traceback.
print("about to exit")
raise SystemExit("fatal: configuration missing")
