# try/except/else/finally ordering, return/break/continue through finally, re-raise.
def run(raise_it):
    log = []
    try:
        log.append("try")
        if raise_it:
            raise ValueError("boom")
        log.append("try end")
    except ValueError as e:
        log.append(f"except {e}")
    else:
        log.append("else")
    finally:
        log.append("finally")
    log.append("after")
    return log
print(run(False))
print(run(True))
def ret_in_try():
    try:
        return "from try"
    finally:
        print("finally runs before return")
print(ret_in_try())
def finally_overrides():
    try:
        return "try"
    finally:
        return "finally"
print(finally_overrides())
def reraise():
    try:
        try:
            1 / 0
        except ZeroDivisionError:
            print("handling, then re-raise")
            raise
        finally:
            print("inner finally")
    except ZeroDivisionError as e:
        print("outer caught:", e)
reraise()
def name_cleared():
    try:
        raise ValueError("v")
    except ValueError as err:
        pass
    try:
        err
    except NameError as e:
        print("NameError:", e)
name_cleared()
def nested_handlers():
    try:
        try:
            raise TypeError("inner")
        except ValueError:
            print("wrong handler")
        finally:
            print("inner finally (propagating)")
    except TypeError as e:
        print("outer handler got", e)
nested_handlers()
def exc_in_else():
    try:
        pass
    except Exception:
        print("not here")
    else:
        raise RuntimeError("from else")
try:
    exc_in_else()
except RuntimeError as e:
    print("caught:", e)
print("done")
