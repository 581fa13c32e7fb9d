"""TEMPORARY shim while the taint engine is written (replaced in this session)."""

from __future__ import annotations


class Summarizer:
    def __init__(self, rules, include_tests=False, taint_parameters=False):
        self.rules = rules

    def __call__(self, ctx):
        return None


def solve(summaries):
    return []
