# sys.exit(3): output so far, finally blocks run, nothing on stderr, exit status 3.
import sys


def main():
    print("working")
    try:
        sys.exit(3)
    finally:
        print("finally still runs")


try:
    main()
except SystemExit as e:
    print("caught SystemExit with code", e.code, "- re-raising")
    raise
print("never printed")
