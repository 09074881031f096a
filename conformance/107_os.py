# os: environ as a str mapping, getenv, getcwd, listdir/remove/mkdir/rmdir, os.path.
import os
import os.path
import os.path as osp
from os.path import join, splitext
import sys

print(os.name, repr(os.sep), repr(os.linesep), os.curdir, os.pardir, os.devnull, os.extsep, os.pathsep)
print(os.path is osp, osp is sys.modules["os.path"], sys.modules["posixpath"] is os.path, os.path.__name__)
print(type(os.getpid()).__name__, os.getpid() > 0, os.path.basename(os.getcwd()), os.path.isabs(os.getcwd()))

env = os.environ
print(type(env).__name__, env.get("PYMEM_NO_SUCH_VAR"), os.getenv("PATH") == env.get("PATH"))
print(os.getenv("PYMEM_NO_SUCH_VAR"), os.getenv("PYMEM_NO_SUCH_VAR", "dflt"), os.getenv(key="X_PYMEM", default=3))
print(len(env) == len(list(env)) == len(env.keys()) == len(env.items()) > 0)
print(all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()))
env["PYMEM_TEST_VAR"] = "hello"
print(env["PYMEM_TEST_VAR"], os.getenv("PYMEM_TEST_VAR"), "PYMEM_TEST_VAR" in env)
del env["PYMEM_TEST_VAR"]
print("PYMEM_TEST_VAR" in env, env.get("PYMEM_TEST_VAR", 0), type(env.copy()).__name__)
print(repr(env)[:9])

for parts in [("a", "b", "c"), ("/a", "b"), ("a/", "b"), ("a", "/b", "c"), ("", "x"), ("a", "")]:
    print(parts, join(*parts))
for p in ["/a/b/c.txt", "a/b/", "//x", "/", "", "file", "a//b///c", ".bashrc", "x/.tar.gz", "a.b/c", "..."]:
    print(repr(p), osp.split(p), osp.basename(p), osp.dirname(p), splitext(p), osp.normpath(p))
for p in ["/../a/./b/../c//", "../x/..", "a/../..", "//a//b", "///a", "./."]:
    print(repr(p), osp.normpath(p))
print(osp.abspath("x/../y") == osp.join(os.getcwd(), "y"), osp.abspath("/a/./b"))
env["HOME"] = "/home/someone/"
print(osp.expanduser("~"), osp.expanduser("~/x"), osp.expanduser("no/tilde"), osp.expanduser("a~"))

here = os.path.dirname(os.path.abspath(__file__))
print(osp.exists(__file__), osp.isfile(__file__), osp.isdir(here), osp.isfile(here), osp.exists("/no/such/path"))
print(osp.getsize(osp.join(here, "modhelper_counter.py")) > 0, "107_os.py" in os.listdir(here), "README.md" in os.listdir())

tmp = os.path.join("/tmp", "pymem_os_test_" + str(os.getpid()))
os.mkdir(tmp)
name = os.path.join(tmp, "f.txt")
with open(name, "w") as f:
    f.write("12345")
print(sorted(os.listdir(tmp)), osp.getsize(name), osp.isfile(name))
os.remove(name)
print(os.listdir(tmp), osp.exists(name))
os.rmdir(tmp)
print(osp.exists(tmp))

def check(f, *args):
    try:
        print(f.__name__, f(*args))
    except Exception as e:
        print(f.__name__, type(e).__name__, e)

check(os.remove, "/no/such/file")
check(os.listdir, "/no/such/dir")
check(os.rmdir, "/no/such/dir")
check(osp.getsize, "/no/such/file")
check(join, "a", 1)
check(osp.exists, 3.5)
check(os.getenv, 1)
check(env.__setitem__, "K", 1)
check(env.__getitem__, "PYMEM_NO_SUCH_VAR")
