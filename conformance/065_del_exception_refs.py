# Exceptions keep frames alive via __traceback__; `except ... as e` unbinds e; then objects die.
import sys


class Res:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("free", self.name)


def fails():
    r = Res("frame local")
    raise ValueError("oops")


try:
    fails()
except ValueError as e:
    print("in handler, traceback alive:", e.__traceback__ is not None)
print("after handler (e unbound, frame freed)")
saved = None
try:
    fails()
except ValueError as e:
    saved = e
print("handler done, exception saved")
print("frame name:", saved.__traceback__.tb_next.tb_frame.f_code.co_name)
saved = None
print("saved exception dropped")
try:
    fails()
except ValueError:
    print("exc_info set:", sys.exc_info()[0].__name__)
print("exc_info cleared:", sys.exc_info())


def catches():
    try:
        fails()
    except ValueError as err:
        return str(err)


print("caught inside function:", catches())
err_obj = ValueError(Res("exception arg"))
del err_obj
print("exception with arg freed")


def hold(e):
    e.extra = Res("attribute on exception")
    return e


x = hold(KeyError("k"))
del x
print("end")
