"""The build backend: setuptools' own, plus mypy (which brings mypyc) as a build requirement
only when `SECREVIEW_COMPILE=1` asks for the compiled build (see `setup.py`).

Without the variable every hook is setuptools' and the build needs nothing more than
today's: no mypy download, no C compiler. An editable install is never compiled (the
extension modules would land beside the sources and shadow the code being edited).
"""

import os

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 (every hook this module does not wrap)

# mypyc of mypy 1.16 is the first to know `@mypyc_attr(native_class=False)`
COMPILE_REQUIRES = ["mypy>=1.16"]


def _compiling() -> bool:
    return os.environ.get("SECREVIEW_COMPILE") == "1"


def get_requires_for_build_wheel(config_settings=None):
    extra = COMPILE_REQUIRES if _compiling() else []
    return _setuptools.get_requires_for_build_wheel(config_settings) + extra


def get_requires_for_build_editable(config_settings=None):
    os.environ.pop("SECREVIEW_COMPILE", None)
    return _setuptools.get_requires_for_build_editable(config_settings)


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    os.environ.pop("SECREVIEW_COMPILE", None)
    return _setuptools.prepare_metadata_for_build_editable(metadata_directory, config_settings)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    os.environ.pop("SECREVIEW_COMPILE", None)
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
