"""Validation helpers that return their verdict instead of raising."""

import re

BRANCHES = ("main", "release", "develop")
SHA = re.compile(r"[0-9a-f]{7,40}")


def is_known_branch(value):
    return value in BRANCHES


def is_commit_id(value):
    return SHA.fullmatch(value) is not None


def is_clean_tag(value):
    if not value or len(value) > 64:
        return False
    if not re.fullmatch(r"v[0-9.]+", value):
        return False
    return True


def looks_like_ref(value):
    return value.startswith("refs/")


def has_text(value):
    return bool(value.strip())
