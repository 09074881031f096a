# Helper module for the import programs: module-level state, imports another helper, prints nothing.
import modhelper_shapes

count = 0


def bump():
    global count
    count += 1
    return count


def shapes_loads():
    return modhelper_shapes.loads
