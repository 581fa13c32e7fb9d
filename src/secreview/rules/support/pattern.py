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
    # the framework or API the hit is about when the flagged node does not say it (a
    # Django settings module need not import Django): picks the rule's `fix_by_api` text
    api: str = ""
    # the hit stands unless all these names of other modules are constants there (what
    # `ModuleContext.constant_unless` says): the review decides, knowing every module
    unless_constant: tuple[str, ...] = ()
    # the hit is about this configuration option, whose reads across the tree decide it
    # (`support/option_uses.py`): dropped when every read is a file name; when the tree never
    # reads it and `named_only` (its name is all the evidence), a low-confidence hint
    option: str = ""
    named_only: bool = False


class Rule:
    meta: ClassVar[RuleMeta]
    calls: ClassVar[frozenset[str]] = frozenset()  # qualified call names, e.g. "yaml.load"
    nodes: ClassVar[tuple[type[ast.AST], ...]] = ()  # other node types to inspect
    include_tests: ClassVar[bool] = False  # also report in test modules
    # With `ast.Call` in `nodes`: the method names whose calls `check_node` may report
    # (`x.<name>(...)`); it is not called for other calls. Empty: every call.
    methods: ClassVar[frozenset[str]] = frozenset()
    # Text without which the rule cannot report: substrings of which at least one must
    # occur in the module (its source text, the values of its string literals, or its
    # dotted module name) for the rule to run on it at all. Empty: the rule always runs.
    # Every part of a name `ctx.resolve` returns, but a leading `builtins`, is written in
    # one of those (an import, an attribute, the module's own package), so the last part of
    # a qualified call or constant name is always a safe trigger; so are keyword and
    # attribute names the rule requires. See `secreview.python.analyzer._Triggers`.
    triggers: ClassVar[frozenset[str]] = frozenset()
    triggers_ignore_case: ClassVar[bool] = False  # match the triggers in any letter case

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
