"""File-name helpers of the document store."""

import re


def safe_name(name):
    """Reduce a client's file name to one component inside the store."""
    name = name.replace("/", "_").replace("\\", "_")
    name = name.replace("..", "")
    return name.strip() or "unnamed"


def clean_component(name):
    return re.sub(r"[/\\]", "", name).replace("..", "")


def strip_traversal(name):
    """Looks like a sanitiser, but removes one `../` once: `....//` still climbs."""
    return name.replace("../", "", 1)
