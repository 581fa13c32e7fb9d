"""The package's extension modules: none by default (the pure-Python package), or, with
`SECREVIEW_COMPILE=1`, the modules of the per-file taint passes compiled with mypyc.

Everything else about the package is in pyproject.toml. The compiled build is opt-in: it
needs mypy (which `build_support/backend.py` adds to the build requirements) and a C
compiler, and takes a few minutes, which the README's set-up command must not pay.
"""

import os
import sys

from setuptools import setup

# Modules of the per-file passes the profile of a review spends its time in, which mypy
# checks clean and whose annotations hold at run time (compiled code checks them: a value
# of another type than declared raises TypeError). Paths under src/secreview/. Their
# classes that code not compiled reads field by field stay Python classes
# (`@mypyc_attr(native_class=False)`): reading a compiled class's field from Python costs
# twice a slot's. Left out, and why (README "Compiled build (optional)"): context.py (its
# `cached_property`s compile to plain properties: nothing cached), flow.py (a compiled
# generic class is not subscriptable), transfer.py and its mixins (calls, objects,
# typetags, checks, exits, weak: annotations that do not hold, a lambda in a method), solve.py.
COMPILED = [
    "python/symbols.py",
    "python/taint/scopes.py",
    "python/taint/summary.py",
    "python/values.py",
    "python/taint/conditions.py",
]

# mypy checks (and mypyc compiles) the modules above only: the modules they import are
# read for their types, not checked
MYPY_OPTIONS = ["--follow-imports=silent", "--ignore-missing-imports"]

# The commands that build extension modules: the hooks that only ask for the build's
# requirements or metadata (egg_info, dist_info) run before mypy is installed.
_BUILDS = {"build", "build_ext", "bdist_wheel", "install"}


def ext_modules() -> list:
    """The compiled modules, if this build is asked to compile and is building."""
    if os.environ.get("SECREVIEW_COMPILE") != "1" or not _BUILDS & set(sys.argv[1:]):
        return []
    from mypyc.build import mypycify

    paths = [f"src/secreview/{module}" for module in COMPILED]
    return mypycify([*paths, *MYPY_OPTIONS], opt_level="3", debug_level="0", group_name="secreview")


setup(ext_modules=ext_modules())
