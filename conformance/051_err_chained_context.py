# Uncaught exception raised while handling another: both tracebacks and "During handling ..." line.
def load(config, key):
    try:
        return config[key]
    except KeyError:
        raise RuntimeError(f"missing setting {key!r}")


settings = {"host": "localhost"}
print(load(settings, "host"))
print(load(settings, "port"))
