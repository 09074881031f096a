# contextlib: contextmanager, closing, suppress, nullcontext, ExitStack.
from contextlib import contextmanager, closing, suppress, nullcontext, ExitStack

@contextmanager
def tag(name):
    """Wrap in a tag."""
    print(f'<{name}>')
    try:
        yield name.upper()
    except KeyError as e:
        print('handled', repr(e))
    finally:
        print(f'</{name}>')

with tag('a') as t:
    print('inside', t)
with tag('b'):
    raise KeyError('k')
print('after b', tag.__name__, tag.__doc__)
try:
    with tag('c'):
        raise ValueError('v')
except ValueError as e:
    print('propagated', e)

@contextmanager
def noyield():
    if False:
        yield
try:
    with noyield():
        pass
except RuntimeError as e:
    print('RuntimeError', e)

@contextmanager
def twice():
    yield 1
    yield 2
try:
    with twice():
        pass
except RuntimeError as e:
    print('RuntimeError', e)

@contextmanager
def swallow():
    try:
        yield
    except Exception:
        pass
with swallow():
    raise StopIteration('s')
print('stopiteration swallowed')

@contextmanager
def passthrough():
    yield
try:
    with passthrough():
        raise StopIteration('through')
except StopIteration as e:
    print('StopIteration', e)

class Res:
    def __init__(self, n):
        self.n = n
    def close(self):
        print('close', self.n)
with closing(Res(1)) as r:
    print('using', r.n)
with suppress(KeyError, IndexError):
    [][1]
print('suppressed')
try:
    with suppress(KeyError):
        1 / 0
except ZeroDivisionError as e:
    print('ZeroDivisionError', e)
with nullcontext(5) as v:
    print('null', v)
with nullcontext() as v:
    print('null', v)
with ExitStack() as stack:
    for i in range(3):
        stack.enter_context(tag(f't{i}'))
    stack.callback(print, 'callback', 1, end='!\n')
    print('body')
stack = ExitStack()
stack.callback(print, 'closed by close()')
stack.close()
with ExitStack() as s:
    s.enter_context(suppress(ValueError))
    raise ValueError('gone')
print('exitstack suppressed')
try:
    with ExitStack() as s:
        s.enter_context(object())
except TypeError as e:
    print('TypeError', e)
with ExitStack() as s:
    moved = s.pop_all()
    moved.callback(print, 'moved')
print('before moved close')
moved.close()
