"""Adds a folder of a binding's examples to a built package (a jar), at the
same path the binding's README cites them by: add_examples.py JAR BASE DIR
puts every file under BASE/DIR into JAR as DIR/... (tests/dist/readme_paths.py
checks each cited path is there)."""

import os
import sys
import zipfile

jar, base, folder = sys.argv[1:4]
with zipfile.ZipFile(jar, "a", zipfile.ZIP_DEFLATED) as z:
    have = set(z.namelist())
    for top, dirs, names in os.walk(os.path.join(base, folder)):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(top, name)
            entry = os.path.relpath(path, base).replace(os.sep, "/")
            if entry in have:
                sys.exit("%s already has %s" % (jar, entry))
            info = zipfile.ZipInfo(entry, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            with open(path, "rb") as f:
                z.writestr(info, f.read())
