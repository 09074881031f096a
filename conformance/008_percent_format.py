# printf-style % formatting of str: conversions, flags, width/precision, dict mapping, errors.
print("%s %s" % ("a", "b"))
print("%d %i %5d %-5d| %05d %+d %x %X %#x %o %#o" % (42, 42, 42, 42, 42, 42, 255, 255, 255, 8, 8))
print("%f %.2f %10.3f %-10.1f| %e %.2E %g %G" % (3.14159, 3.14159, 3.14159, 3.14159, 12345.678, 0.000123, 1e-5, 1e20))
print("%r %s %a" % ("str", "str", "é"))
print("%c%c%c" % (72, "i", 33))
print("%(name)s is %(age)d years" % {"name": "Bob", "age": 30})
print("%s" % [1, 2], "%s" % (3,), "%s" % ((1, 2),), "%d%%" % 50)
print("%*d|%-*d|%.*f" % (6, 1, 6, 2, 2, 3.14159))
print("%5s|%-5s|%.2s" % ("ab", "ab", "abcdef"))
print("%d" % 3.99, "%d" % True, "%s" % None, "%x" % -255)
for fmt, args in [("%d", "x"), ("%s %s", ("one",)), ("%s", ("a", "b")), ("%z", 1)]:
    try:
        print(fmt % args)
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
print("%s and %s" % (1.5, 2 ** 70))
print("%.3s|%8.3f|%-8d|" % ("python", 2.0, -3))
print("%i items" % 3, "%u" % 7, "%.0f %.0f" % (0.5, 1.5))
