"""The shape of an API-misuse rule.

A rule names the calls (by qualified name) and/or node types it wants to see; the analyzer
walks each module once and hands every matching node to the rules that asked for it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from secreview.model import Confidence, Replacement, Severity
from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta, register_meta


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule's verdict on one node; severity/confidence override the rule's defaults."""

    node: ast.AST
    message: str
    severity: Severity | None = None
    confidence: Confidence | None = None
    fixes: tuple[Replacement, ...] = ()  # a mechanical fix (`secreview.python.fixes`)


class Rule:
    meta: ClassVar[RuleMeta]
    calls: ClassVar[frozenset[str]] = frozenset()  # qualified call names, e.g. "yaml.load"
    nodes: ClassVar[tuple[type[ast.AST], ...]] = ()  # other node types to inspect
    include_tests: ClassVar[bool] = False  # also report in test modules

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        return ()

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        return ()


PATTERN_RULES: list[Rule] = []


def register[R: type[Rule]](cls: R) -> R:
    """Class decorator: make a rule known to the analyzer and the rule list."""
    register_meta(cls.meta)
    PATTERN_RULES.append(cls())
    return cls
