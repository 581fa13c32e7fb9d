"""A named tuple type of the project: each field holds what its constructor call gave it."""

from collections import namedtuple
from typing import NamedTuple

Attachment = namedtuple("Attachment", "stored_path, original_name, thumbnail")
Export = NamedTuple("Export", [("target", str), ("label", str)])
