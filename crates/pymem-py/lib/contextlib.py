"""Utilities for with-statement contexts (pymem's, written in Python)."""

__all__ = ['contextmanager', 'closing', 'nullcontext', 'AbstractContextManager',
           'ContextDecorator', 'ExitStack', 'redirect_stdout', 'redirect_stderr',
           'suppress']

import sys as _sys


class AbstractContextManager:
    __slots__ = ()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return None


class ContextDecorator:
    """A context manager that is also a decorator: the function runs inside `with self`."""

    def _recreate_cm(self):
        return self

    def __call__(self, func):
        def inner(*args, **kwds):
            with self._recreate_cm():
                return func(*args, **kwds)
        for attr in ('__module__', '__name__', '__qualname__', '__doc__'):
            setattr(inner, attr, getattr(func, attr))
        inner.__wrapped__ = func
        return inner


class _GeneratorContextManager(ContextDecorator, AbstractContextManager):
    """What `@contextmanager` functions return: `__enter__` runs the generator to its
    `yield`, `__exit__` resumes it, or throws the exception into it."""

    def _recreate_cm(self):
        return type(self)(self.func, self.args, self.kwds)

    def __init__(self, func, args, kwds):
        self.gen = func(*args, **kwds)
        self.func, self.args, self.kwds = func, args, kwds
        doc = getattr(func, '__doc__', None)
        if doc is None:
            doc = type(self).__doc__
        self.__doc__ = doc

    def __enter__(self):
        del self.args, self.kwds, self.func
        try:
            return next(self.gen)
        except StopIteration:
            raise RuntimeError("generator didn't yield") from None

    def __exit__(self, typ, value, traceback):
        if typ is None:
            return self._finish()
        if value is None:
            value = typ()
        try:
            self.gen.throw(value)
        except BaseException as exc:
            suppress = self._thrown_out(exc, value, traceback)
            if suppress is None:
                raise
            return suppress
        try:
            raise RuntimeError("generator didn't stop after throw()")
        finally:
            self.gen.close()

    def _finish(self):
        """The block ended normally: the generator must end at its next step."""
        try:
            next(self.gen)
        except StopIteration:
            return False
        try:
            raise RuntimeError("generator didn't stop")
        finally:
            self.gen.close()

    def _thrown_out(self, exc, value, traceback):
        """What `__exit__` returns when throwing `value` in ended the generator with
        `exc`: True suppresses `value`, False re-raises it, None lets `exc` propagate."""
        if isinstance(exc, StopIteration):
            return exc is not value
        if exc is value or (isinstance(exc, RuntimeError) and isinstance(value, StopIteration)
                            and exc.__cause__ is value):
            value.__traceback__ = traceback
            return False
        return None


def contextmanager(func):
    """A decorator: `func` is a generator function that yields once; the call is a context
    manager whose `__enter__` returns what it yields."""
    def helper(*args, **kwds):
        return _GeneratorContextManager(func, args, kwds)
    for attr in ('__module__', '__name__', '__qualname__', '__doc__'):
        setattr(helper, attr, getattr(func, attr))
    helper.__wrapped__ = func
    return helper


class closing(AbstractContextManager):
    """`with closing(thing)`: calls `thing.close()` at the end."""

    def __init__(self, thing):
        self.thing = thing

    def __enter__(self):
        return self.thing

    def __exit__(self, *exc_info):
        self.thing.close()


class suppress(AbstractContextManager):
    """`with suppress(*exceptions)`: the listed exceptions end the block silently."""

    def __init__(self, *exceptions):
        self._exceptions = exceptions

    def __enter__(self):
        pass

    def __exit__(self, exctype, excinst, exctb):
        if exctype is None:
            return False
        return issubclass(exctype, self._exceptions)


class nullcontext(AbstractContextManager):
    """`with nullcontext(x) as y`: `y` is `x`, and nothing else happens."""

    def __init__(self, enter_result=None):
        self.enter_result = enter_result

    def __enter__(self):
        return self.enter_result

    def __exit__(self, *excinfo):
        pass


class _RedirectStream(AbstractContextManager):
    _stream = None

    def __init__(self, new_target):
        self._new_target = new_target
        self._old_targets = []

    def __enter__(self):
        self._old_targets.append(getattr(_sys, self._stream))
        setattr(_sys, self._stream, self._new_target)
        return self._new_target

    def __exit__(self, exctype, excinst, exctb):
        setattr(_sys, self._stream, self._old_targets.pop())


class redirect_stdout(_RedirectStream):
    """`with redirect_stdout(f)`: `sys.stdout` is `f` inside the block."""
    _stream = 'stdout'


class redirect_stderr(_RedirectStream):
    """`with redirect_stderr(f)`: `sys.stderr` is `f` inside the block."""
    _stream = 'stderr'


class ExitStack(AbstractContextManager):
    """A stack of exit callbacks, run last first when the `with` block ends."""

    def __init__(self):
        self._exit_callbacks = []

    def pop_all(self):
        new_stack = type(self)()
        new_stack._exit_callbacks = self._exit_callbacks
        self._exit_callbacks = []
        return new_stack

    def push(self, exit):
        try:
            exit_method = type(exit).__exit__
        except AttributeError:
            self._exit_callbacks.append(exit)
        else:
            self._exit_callbacks.append(lambda *exc: exit_method(exit, *exc))
        return exit

    def enter_context(self, cm):
        cls = type(cm)
        try:
            enter = cls.__enter__
            exit = cls.__exit__
        except AttributeError:
            raise TypeError(f"'{cls.__module__}.{cls.__qualname__}' object does "
                            "not support the context manager protocol") from None
        result = enter(cm)
        self._exit_callbacks.append(lambda *exc: exit(cm, *exc))
        return result

    def callback(self, callback, /, *args, **kwds):
        def _exit_wrapper(exc_type, exc, tb):
            callback(*args, **kwds)
        _exit_wrapper.__wrapped__ = callback
        self._exit_callbacks.append(_exit_wrapper)
        return callback

    def close(self):
        self.__exit__(None, None, None)

    def __exit__(self, *exc_details):
        received_exc = exc_details[0] is not None
        suppressed = pending = False
        while self._exit_callbacks:
            cb = self._exit_callbacks.pop()
            try:
                if cb(*exc_details):
                    suppressed, pending = True, False
                    exc_details = (None, None, None)
            except BaseException as new_exc:
                if exc_details[1] is not None and new_exc.__context__ is None:
                    new_exc.__context__ = exc_details[1]
                pending = True
                exc_details = (type(new_exc), new_exc, new_exc.__traceback__)
        if pending:
            self._reraise(exc_details[1])
        return received_exc and suppressed

    @staticmethod
    def _reraise(exc):
        try:
            raise exc
        finally:
            del exc
