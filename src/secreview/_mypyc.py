"""`mypyc_attr` for the modules the optional compiled build compiles (`setup.py`): what
mypyc should make of a class (a plain Python class where it needs an instance `__dict__`).

mypy_extensions comes with mypy, which only the compiled build needs; the pure-Python
package runs without it, where the decorator is an identity.
"""

from collections.abc import Callable
from typing import Any

try:
    from mypy_extensions import mypyc_attr
except ImportError:  # the pure-Python package: nothing reads the attributes

    def mypyc_attr(*attrs: str, **kwattrs: object) -> Callable[[Any], Any]:  # type: ignore[misc]
        """An identity decorator."""
        return lambda cls: cls


__all__ = ["mypyc_attr"]
