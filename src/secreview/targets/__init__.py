"""The targets stage: which files to review, and their text.

`discover` turns command-line paths into `Target`s (a directory walk that skips VCS data,
environments, caches and build output, and honours the exclude globs); `load` reads one
target into a `SourceFile` in a worker process. Bad input becomes a `Diagnostic`, never an
exception, so one broken file cannot hide the findings in the others.
"""

from secreview.targets.excludes import Excludes
from secreview.targets.source import decode_source, load, read_bytes
from secreview.targets.walk import (
    ENVIRONMENT_MARKERS,
    OUTPUT_DIRS,
    PYTHON_SUFFIXES,
    SKIP_DIRS,
    Discovery,
    Target,
    discover,
    review_root,
)

__all__ = [
    "ENVIRONMENT_MARKERS",
    "OUTPUT_DIRS",
    "PYTHON_SUFFIXES",
    "SKIP_DIRS",
    "Discovery",
    "Excludes",
    "Target",
    "decode_source",
    "discover",
    "load",
    "read_bytes",
    "review_root",
]
