"""Input validation helpers."""

import re

from werkzeug.exceptions import BadRequest

BRANCHES = ("main", "release", "develop")
SHA = re.compile(r"[0-9a-f]{7,40}")


def require_branch(value):
    if value not in BRANCHES:
        raise BadRequest("unknown branch")
    return value


def require_sha(value):
    if not SHA.fullmatch(value):
        raise BadRequest("bad commit id")
    return value


def normalise_ref(value):
    return value.strip().removeprefix("refs/heads/")
