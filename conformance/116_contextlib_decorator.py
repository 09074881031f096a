# contextlib: a contextmanager used as a decorator, redirect_stdout, the base classes.
from contextlib import contextmanager, redirect_stdout, AbstractContextManager, ContextDecorator
@contextmanager
def section(name):
    print('begin', name)
    yield
    print('end', name)
@section('deco')
def work(x):
    print('work', x)
    return x * 2
print(work(1), work(2), work.__name__)
class Sink:
    def __init__(self):
        self.parts = []
    def write(self, s):
        self.parts.append(s)
s = Sink()
with redirect_stdout(s):
    print('hidden', 1)
print('captured', s.parts)
