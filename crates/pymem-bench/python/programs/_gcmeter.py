# The measurement every program of this directory ends with: time spent in collections
# (gc.callbacks start/stop, when time.perf_counter exists) and collections per generation
# (gc.get_stats()), printed as one line:
#   RESULT <name> checksum=<checksum> gc_ms=<ms or -1> collections=<g0>/<g1>/<g2>
import gc

try:
    from time import perf_counter
except ImportError:
    perf_counter = None


class GcMeter:
    """Time spent in collections (gc.callbacks start/stop) and collections per generation."""

    def __init__(self):
        self.total = 0.0
        self.started = None
        self.hooked = False
        self.before = self.counts()
        if perf_counter is not None and hasattr(gc, "callbacks"):
            gc.callbacks.append(self.callback)
            self.hooked = True

    def counts(self):
        return [s["collections"] for s in gc.get_stats()]

    def callback(self, phase, info):
        if phase == "start":
            self.started = perf_counter()
        elif phase == "stop" and self.started is not None:
            self.total += perf_counter() - self.started
            self.started = None

    def report(self, name, checksum):
        after = self.counts()
        if self.hooked:
            gc.callbacks.remove(self.callback)
            total_ms = self.total * 1000.0
            ms = f"{total_ms:.3f}"
        else:
            ms = "-1"
        deltas = "/".join([str(after[i] - self.before[i]) for i in range(3)])
        print(f"RESULT {name} checksum={checksum} gc_ms={ms} collections={deltas}")
