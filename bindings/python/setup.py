"""Only for the wheel `make dist` builds (scripts/dist/python.sh): when the
library sits inside the package (cmpay/libcmpay.so), the wheel is a platform
wheel (installed into platlib, not purelib) tagged py3-none-<CMPAY_WHEEL_PLAT>,
e.g. manylinux2014_x86_64, win_amd64: any Python 3, no CPython ABI, one
OS/arch, the way ctypes-based packages with a bundled library are tagged. Without the library
(the sdist, a source install) it is the plain pure-Python package."""

import os

from setuptools import setup
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLED = any(
    os.path.exists(os.path.join(HERE, "cmpay", name)) for name in ("libcmpay.so", "libcmpay.dylib", "cmpay.dll")
)
cmdclass = {}
distclass = Distribution
PLAT = os.environ.get("CMPAY_WHEEL_PLAT", "")

# Honest per artifact: a wheel names the one OS its library is for; the sdist
# (no library: CMPAY_LIB on any OS) names none.
CLASSIFIERS = [
    "Intended Audience :: Developers",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3 :: Only",
    "Topic :: Office/Business :: Financial",
    "Typing :: Typed",
]
if BUNDLED:
    if PLAT.startswith("manylinux"):
        CLASSIFIERS.append("Operating System :: POSIX :: Linux")
    elif PLAT.startswith("win"):
        CLASSIFIERS.append("Operating System :: Microsoft :: Windows")

if BUNDLED:
    from setuptools.command.bdist_wheel import bdist_wheel

    class BinaryDistribution(Distribution):
        def has_ext_modules(self):  # a native file is inside: not purelib
            return True

    class PlatformWheel(bdist_wheel):
        def finalize_options(self):
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self):
            plat = PLAT
            if not plat:
                raise SystemExit("set CMPAY_WHEEL_PLAT (e.g. manylinux2014_x86_64) to build a wheel with the library inside")
            return "py3", "none", plat

    cmdclass = {"bdist_wheel": PlatformWheel}
    distclass = BinaryDistribution

setup(cmdclass=cmdclass, distclass=distclass, classifiers=CLASSIFIERS)
